"""``flaglint server`` end to end: a real LSP client (pytest-lsp) over stdio.

Each test starts the server as an editor would (``python -m flaglint server``),
initializes it on a small project in a temporary folder, and asserts the
exact diagnostics (ranges, codes, tags, links), code actions (the exact
edit), hover, definition, messages and shutdown. Waits poll what the client
received, with a generous deadline, so a loaded machine is slow, not flaky.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Callable, Dict, List, Optional

import pytest

pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp 1.x needs Python 3.10+ (docs/editors.md)")
types = pytest.importorskip("lsprotocol.types")

from conftest import run_cli, write_tree  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

DEADLINE = 90.0  # seconds: generous, a loaded CI runner is slow, not wrong
DOCS = "https://github.com/flaglint/flaglint/blob/main/docs/rules/{code}.md"

PROJECT: Dict[str, str] = {
    "flags.py": "NEW_UI = False\n",
    "setup.py": "import flags\n\n\ndef enable():\n    flags.NEW_UI = True\n",
    "view.py": 'import flags\n\nif flags.NEW_UI:\n    print("new")\n',
    "old.py": "import os\n\nOLD = False\n\n\ndef run():\n    if OLD:\n        print(os.sep)\n    return 1\n",
}

CAPABILITIES = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        code_action=types.CodeActionClientCapabilities(
            resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"])
        ),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(related_information=True),
    ),
    workspace=types.WorkspaceClientCapabilities(
        workspace_edit=types.WorkspaceEditClientCapabilities(
            document_changes=True, resource_operations=[types.ResourceOperationKind.Delete]
        )
    ),
)


@pytest_lsp.fixture(
    config=ClientServerConfig(server_command=[sys.executable, "-m", "flaglint", "server", "--no-cache"]),
)
async def client(lsp_client: LanguageClient):
    yield
    await lsp_client.shutdown_session()
    assert lsp_client._server is not None and lsp_client._server.returncode == 0  # shutdown, exit: a clean end


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "flaglint", "server", "--no-cache"]),
)
async def shared(lsp_client: LanguageClient, tmp_path_factory):
    """One server on PROJECT for the tests that change nothing (each server
    start costs an interpreter and the imports): old.py and view.py open."""
    root = tmp_path_factory.mktemp("shared")
    await _start(lsp_client, root)
    await _until("the first analysis", lambda: _uri(root, "old.py") in lsp_client.diagnostics)
    _open(lsp_client, root, "old.py")
    _open(lsp_client, root, "view.py")
    await _until("the open buffers analysed", lambda: _uri(root, "view.py") in lsp_client.diagnostics)
    lsp_client.root = root
    yield
    await lsp_client.shutdown_session()
    assert lsp_client._server is not None and lsp_client._server.returncode == 0


SHARED = pytest.mark.asyncio(loop_scope="module")


def _uri(root: Path, name: str) -> str:
    return (root / name).as_uri()


def _range(line: int, column: int, end_line: int, end_column: int) -> "types.Range":
    """A range from 1-based lines and columns, as flaglint's spans count them."""
    return types.Range(
        start=types.Position(line=line - 1, character=column - 1),
        end=types.Position(line=end_line - 1, character=end_column - 1),
    )


async def _until(what: str, ready: Callable[[], bool]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    while not ready():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def _start(client: LanguageClient, root: Path, files: Optional[Dict[str, str]] = None, **options) -> None:
    write_tree(root, PROJECT if files is None else files)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=CAPABILITIES,
            root_uri=root.as_uri(),
            initialization_options={"debounce": 0.05, **options},
        )
    )


def _codes(client: LanguageClient, root: Path, name: str) -> List[tuple]:
    return [(item.code, item.range.start.line + 1) for item in client.diagnostics.get(_uri(root, name), [])]


def _cleared(client: LanguageClient, uri: str) -> bool:
    """Whether the last publish for ``uri`` was empty (after an earlier one that was not)."""
    return uri in client.diagnostics and len(client.diagnostics[uri]) == 0


def _open(client: LanguageClient, root: Path, name: str, text: Optional[str] = None) -> None:
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=_uri(root, name),
                language_id="python",
                version=1,
                text=(root / name).read_text() if text is None else text,
            )
        )
    )


def _replace(client: LanguageClient, root: Path, name: str, text: str, version: int = 2) -> None:
    """The whole buffer replaced by ``text`` (a change without a range)."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=_uri(root, name), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


@SHARED
async def test_diagnostics_on_start_have_exact_ranges_codes_tags_links_and_related(shared):
    client, root = shared, shared.root
    old = _uri(root, "old.py")
    fl001, fl002 = client.diagnostics[old]
    assert fl001 == types.Diagnostic(
        range=_range(3, 1, 3, 4),
        message="flag OLD is read in 1 place but never set: every binding is false",
        severity=types.DiagnosticSeverity.Warning,
        code="FL001",
        code_description=types.CodeDescription(href=DOCS.format(code="FL001")),
        source="flaglint",
        related_information=(
            types.DiagnosticRelatedInformation(
                location=types.Location(uri=old, range=_range(7, 8, 7, 11)), message="read here"
            ),
        ),
        data={"flag": "old.OLD"},
    )
    assert fl002.code == "FL002"
    assert fl002.range == _range(8, 9, 8, 22)
    assert list(fl002.tags) == [types.DiagnosticTag.Unnecessary]
    assert fl002.severity == types.DiagnosticSeverity.Warning
    assert [(info.message, info.location.range) for info in fl002.related_information] == [
        ("OLD defined here", _range(3, 1, 3, 4)),
        ("gating test", _range(7, 8, 7, 11)),
    ]
    # files without findings get nothing but an empty list once open
    assert {uri: len(found) for uri, found in client.diagnostics.items()} == {old: 2, _uri(root, "view.py"): 0}


@pytest.mark.asyncio
async def test_an_edit_updates_every_file_it_affects_and_a_fix_waits_for_the_save(client, tmp_path):
    await _start(client, tmp_path)
    await _until("the first analysis", lambda: _uri(tmp_path, "old.py") in client.diagnostics)
    _open(client, tmp_path, "setup.py")
    _replace(client, tmp_path, "setup.py", "import flags\n\n\ndef enable():\n    pass\n")
    await _until("FL002 in view.py", lambda: _codes(client, tmp_path, "view.py") == [("FL002", 4)])
    assert _codes(client, tmp_path, "flags.py") == [("FL001", 1)]
    assert _cleared(client, _uri(tmp_path, "setup.py"))  # an edited buffer is always answered
    # the setter typed back: both files get an empty publish
    _replace(client, tmp_path, "setup.py", PROJECT["setup.py"], version=3)
    await _until("view.py cleared", lambda: _cleared(client, _uri(tmp_path, "view.py")))
    assert _cleared(client, _uri(tmp_path, "flags.py"))
    assert (tmp_path / "setup.py").read_text() == PROJECT["setup.py"]  # the server wrote nothing
    # a fix over a buffer with unsaved edits is refused
    old = _uri(tmp_path, "old.py")
    _open(client, tmp_path, "old.py")
    _replace(client, tmp_path, "old.py", PROJECT["old.py"] + "# typed, not saved\n")
    resolved = await client.code_action_resolve_async(
        types.CodeAction(title="Remove dead code gated by old.OLD", data={"flag": "old.OLD"})
    )
    assert resolved.edit is None
    await _until("the refusal", lambda: bool(client.messages))
    assert [(m.type, m.message) for m in client.messages] == [
        (types.MessageType.Warning, "flaglint: save old.py first: fix works on the files as saved")
    ]
    # a flag fix cannot resolve is fix's own refusal
    client.messages.clear()
    resolved = await client.code_action_resolve_async(
        types.CodeAction(title="Remove dead code gated by NOPE", data={"flag": "NOPE"})
    )
    assert resolved.edit is None
    await _until("the refusal", lambda: bool(client.messages))
    assert [(m.type, m.message) for m in client.messages] == [
        (types.MessageType.Warning, "flaglint: no flag named 'NOPE' in the analysed code")
    ]


@SHARED
async def test_suppress_on_this_line_adds_the_comment(shared):
    client, root = shared, shared.root
    old = _uri(root, "old.py")
    fl001 = client.diagnostics[old][0]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=old),
            range=fl001.range,
            context=types.CodeActionContext(diagnostics=[fl001]),
        )
    )
    assert [action.title for action in actions] == ["Suppress FL001 on this line", "Remove dead code gated by old.OLD"]
    assert actions[0].edit == types.WorkspaceEdit(
        changes={old: (types.TextEdit(range=_range(3, 12, 3, 12), new_text="  # flaglint: ignore[FL001]"),)}
    )
    assert actions[1].edit is None  # computed when chosen (codeAction/resolve)


@SHARED
async def test_remove_dead_code_returns_fixs_edit_and_writes_nothing(shared):
    client, root = shared, shared.root
    old = _uri(root, "old.py")
    action = types.CodeAction(title="Remove dead code gated by old.OLD", data={"flag": "old.OLD"})
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit == types.WorkspaceEdit(
        document_changes=(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=old, version=1),
                edits=(
                    types.TextEdit(range=_range(1, 1, 6, 1), new_text=""),
                    types.TextEdit(range=_range(7, 1, 9, 1), new_text=""),
                ),
            ),
        )
    )
    assert (root / "old.py").read_text() == PROJECT["old.py"]
    assert client.messages == []


@SHARED
async def test_hover_shows_the_audit_entry_and_definition_goes_to_the_declaration(shared):
    client, root = shared, shared.root
    view = types.TextDocumentIdentifier(uri=_uri(root, "view.py"))
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=view, position=types.Position(line=2, character=10))
    )
    assert hover.contents == types.MarkupContent(
        kind=types.MarkupKind.PlainText,
        value="flags.NEW_UI: live (bool flag)\nvalue False, family flags\ndefined: flags.py:1\nset: setup.py:5\nread: view.py:3",
    )
    found = await client.text_document_definition_async(
        types.DefinitionParams(text_document=view, position=types.Position(line=2, character=10))
    )
    assert list(found) == [types.Location(uri=_uri(root, "flags.py"), range=_range(1, 1, 1, 1))]
    # nothing under the cursor: no hover, no definition
    nothing = types.HoverParams(text_document=view, position=types.Position(line=0, character=0))
    assert await client.text_document_hover_async(nothing) is None


@pytest.mark.asyncio
async def test_a_configuration_error_is_an_error_message_and_a_fix_recovers(client, tmp_path):
    await _start(client, tmp_path, {**PROJECT, "flaglint.toml": 'selekt = ["FL001"]\n'})
    await _until("the error message", lambda: bool(client.messages))
    cli = run_cli("check", ".", cwd=tmp_path)
    assert cli.exit_code == 2
    assert [(m.type, m.message) for m in client.messages] == [(types.MessageType.Error, cli.stderr.strip())]
    assert "unknown key 'selekt'" in cli.stderr
    # typing meanwhile analyses nothing and says nothing more
    _open(client, tmp_path, "old.py")
    _replace(client, tmp_path, "old.py", "OLD = False\n")
    (tmp_path / "flaglint.toml").write_text('select = ["FL001"]\n')
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=_uri(tmp_path, "flaglint.toml")))
    )
    await _until("diagnostics after the fix", lambda: _uri(tmp_path, "old.py") in client.diagnostics)
    assert _codes(client, tmp_path, "old.py") == []  # the buffer, not the file: OLD is read nowhere now
    assert len(client.messages) == 1
    _replace(client, tmp_path, "old.py", PROJECT["old.py"], version=3)
    await _until("FL001 in the buffer", lambda: _codes(client, tmp_path, "old.py") == [("FL001", 3)])


@pytest.mark.asyncio
async def test_bad_input_never_kills_the_server(client, tmp_path):
    root = tmp_path / "project"
    await _start(client, root, {**PROJECT, "flaglint.toml": "max-file-tokens = 100000\n"})
    await _until("the first analysis", lambda: _uri(root, "old.py") in client.diagnostics)
    view = _uri(root, "view.py")
    _open(client, root, "view.py")
    _replace(client, root, "view.py", "import flags\n\nif flags.NEW_UI\n    print(1)\n")
    await _until("FL000 while typing", lambda: _codes(client, root, "view.py") == [("FL000", 3)])
    _replace(client, root, "view.py", "x = 1\n" * 1_750_000, version=3)  # 10.5 MB
    await _until("the size finding", lambda: _codes(client, root, "view.py") == [("FL000", 1)])
    assert client.diagnostics[view][0].message == "too large to analyse: 7000000 tokens (limit 100000)"
    outside = tmp_path / "elsewhere.py"
    outside.write_text("if X:\n    pass\n")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=outside.as_uri(), language_id="python", version=1, text=outside.read_text()
            )
        )
    )
    _replace(client, root, "view.py", PROJECT["view.py"], version=4)
    await _until("view.py cleared", lambda: _cleared(client, view))
    assert len(client.diagnostics.get(outside.as_uri(), ())) == 0  # not analysed: nothing to say
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=outside.as_uri()),
            position=types.Position(line=0, character=3),
        )
    )
    assert hover is None
    assert client.messages == []


@pytest.mark.asyncio
async def test_remove_dead_code_edits_every_file_it_touches_in_one_edit(client, tmp_path):
    files = {
        "flags.py": '"""Flags."""\n\nBETA = False\n',
        "view.py": "import flags\n\nif flags.BETA:\n    print(1)\nprint(2)\n",
    }
    await _start(client, tmp_path, files)
    await _until("the first analysis", lambda: _uri(tmp_path, "view.py") in client.diagnostics)
    resolved = await client.code_action_resolve_async(
        types.CodeAction(title="Remove dead code gated by flags.BETA", data={"flag": "flags.BETA"})
    )
    # the module the fix empties is deleted, the reader rewritten: one edit, applied together
    assert resolved.edit == types.WorkspaceEdit(
        document_changes=(
            types.DeleteFile(uri=_uri(tmp_path, "flags.py")),
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(
                    uri=_uri(tmp_path, "view.py"), version=None
                ),
                edits=(types.TextEdit(range=_range(1, 1, 5, 1), new_text=""),),
            ),
        )
    )
    assert {path.name: path.read_text() for path in tmp_path.glob("*.py")} == files  # nothing written


@pytest.mark.asyncio
async def test_a_client_without_resolve_gets_the_edit_at_once_as_plain_changes(client, tmp_path):
    """A client that cannot resolve code actions or take documentChanges
    (Neovim 0.7): the fix's edit comes with the action, as ``changes``."""
    write_tree(tmp_path, PROJECT)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(),
            root_uri=tmp_path.as_uri(),
            initialization_options={"debounce": 0.05},
        )
    )
    old = _uri(tmp_path, "old.py")
    await _until("old.py's diagnostics", lambda: old in client.diagnostics)
    _open(client, tmp_path, "old.py")
    fl002 = client.diagnostics[old][1]
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=old),
            range=fl002.range,
            context=types.CodeActionContext(diagnostics=[fl002]),
        )
    )
    assert [(action.title, action.disabled) for action in actions] == [
        ("Suppress FL002 on this line", None),
        ("Remove dead code gated by old.OLD", None),
    ]
    assert actions[0].edit == types.WorkspaceEdit(
        changes={old: (types.TextEdit(range=_range(8, 22, 8, 22), new_text="  # flaglint: ignore[FL002]"),)}
    )
    assert actions[1].edit == types.WorkspaceEdit(
        changes={
            old: (
                types.TextEdit(range=_range(1, 1, 6, 1), new_text=""),
                types.TextEdit(range=_range(7, 1, 9, 1), new_text=""),
            )
        }
    )
    # unsaved edits: the action is listed, disabled, with fix's refusal as the reason
    _replace(client, tmp_path, "old.py", PROJECT["old.py"] + "# typed, not saved\n")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=old),
            range=fl002.range,
            context=types.CodeActionContext(diagnostics=[fl002]),
        )
    )
    remove = actions[1]
    assert remove.edit is None
    assert remove.disabled == types.CodeActionDisabled(
        reason="flaglint: save old.py first: fix works on the files as saved"
    )


#: the reviewer's case: fix deletes app/legacy.py, which other.py's unsaved buffer imports
UNSAVED_ELSEWHERE: Dict[str, str] = {
    "app/__init__.py": "",
    "app/settings.py": "ENABLE_OLD = False\n",
    "app/legacy.py": 'def old_export():\n    return "old"\n',
    "app/views.py": (
        "from app.legacy import old_export\nfrom app.settings import ENABLE_OLD\n\n\n"
        'def view():\n    if ENABLE_OLD:\n        return old_export()\n    return "new"\n'
    ),
    "app/other.py": "def other():\n    return 1\n",
}
OTHER_UNSAVED = "from app.legacy import old_export\n\n\ndef other():\n    return old_export()\n"
UNSAVED_REFUSAL = "flaglint: save app/other.py first: fix works on the files as saved"


async def _views_fl002(client: LanguageClient, root: Path) -> "types.Diagnostic":
    views = _uri(root, "app/views.py")
    await _until("FL002 in app/views.py", lambda: "FL002" in [item.code for item in client.diagnostics.get(views, [])])
    _open(client, root, "app/views.py")
    _open(client, root, "app/other.py")
    return next(item for item in client.diagnostics[views] if item.code == "FL002")


@pytest.mark.asyncio
async def test_a_fix_is_refused_while_an_open_buffer_it_does_not_touch_is_unsaved(client, tmp_path):
    await _start(client, tmp_path, UNSAVED_ELSEWHERE)
    await _views_fl002(client, tmp_path)
    action = types.CodeAction(title="Remove dead code gated by ENABLE_OLD", data={"flag": "app.settings.ENABLE_OLD"})
    # every open buffer saved: the edit deletes app/legacy.py
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is not None
    assert types.DeleteFile(uri=_uri(tmp_path, "app/legacy.py")) in resolved.edit.document_changes
    assert _uri(tmp_path, "app/other.py") not in [
        change.text_document.uri for change in resolved.edit.document_changes if hasattr(change, "text_document")
    ]
    assert client.messages == []
    # other.py, which the fix does not touch, now uses old_export in its buffer only: refused
    _replace(client, tmp_path, "app/other.py", OTHER_UNSAVED)
    resolved = await client.code_action_resolve_async(
        types.CodeAction(title="Remove dead code gated by ENABLE_OLD", data={"flag": "app.settings.ENABLE_OLD"})
    )
    assert resolved.edit is None
    await _until("the refusal", lambda: bool(client.messages))
    assert [(m.type, m.message) for m in client.messages] == [(types.MessageType.Warning, UNSAVED_REFUSAL)]
    assert {name: (tmp_path / name).read_text() for name in UNSAVED_ELSEWHERE} == UNSAVED_ELSEWHERE  # nothing written


@pytest.mark.asyncio
async def test_a_client_without_resolve_gets_the_fix_disabled_while_an_untouched_buffer_is_unsaved(client, tmp_path):
    write_tree(tmp_path, UNSAVED_ELSEWHERE)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=types.ClientCapabilities(workspace=CAPABILITIES.workspace),  # edits, deletes; no resolve
            root_uri=tmp_path.as_uri(),
            initialization_options={"debounce": 0.05},
        )
    )
    fl002 = await _views_fl002(client, tmp_path)
    _replace(client, tmp_path, "app/other.py", OTHER_UNSAVED)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=_uri(tmp_path, "app/views.py")),
            range=fl002.range,
            context=types.CodeActionContext(diagnostics=[fl002]),
        )
    )
    remove = [action for action in actions if action.title.startswith("Remove dead code")]
    assert [(action.title, action.edit, action.disabled) for action in remove] == [
        ("Remove dead code gated by app.settings.ENABLE_OLD", None, types.CodeActionDisabled(reason=UNSAVED_REFUSAL))
    ]
    assert {name: (tmp_path / name).read_text() for name in UNSAVED_ELSEWHERE} == UNSAVED_ELSEWHERE  # nothing written
