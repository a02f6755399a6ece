"""The pygls language server: which requests it answers, and how.

:func:`build` registers the handlers on a :class:`~.session.FlaglintServer`
(the session: scheduling and publishing); the requests' answers are made
here from the state's project: code actions (the suppression comment, and
``fix`` for one flag as one workspace edit), hover (the audit entry) and go
to definition (where a flag is declared). Every answer that needs the
project runs on the session's worker thread, after any analysis queued.
Nothing the client sends stops the server except ``shutdown`` and ``exit``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from lsprotocol import types
from pygls.uris import to_fs_path

from ..fix import FixUsageError
from ..printable import printable
from . import convert, edits, lookup
from .session import USAGE_ERRORS, FlaglintServer

CONFIG_FILES = ("pyproject.toml", "flaglint.toml")
REMOVE_KIND = types.CodeActionKind.QuickFix
SUPPRESS_KIND = types.CodeActionKind.QuickFix


def build(cache_dir: Optional[str] = ".flaglint_cache") -> FlaglintServer:
    server = FlaglintServer(cache_dir)

    @server.feature(types.INITIALIZE)
    def initialize(ls: FlaglintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        debounce = options.get("debounce")
        if isinstance(debounce, (int, float)) and 0 <= debounce <= 10:
            ls.debounce = float(debounce)
        docs = options.get("ruleDocs")
        if isinstance(docs, str) and "{code}" in docs:
            ls.docs = docs
        ls.root = _root(params)

    @server.feature(types.INITIALIZED)
    def initialized(ls: FlaglintServer, params: types.InitializedParams) -> None:
        ls.start_analysis(ls.root or Path.cwd())

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: FlaglintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, params.text_document.text, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: FlaglintServer, params: types.DidChangeTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        ls.schedule(params.text_document.uri, document.source, ls.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.TextDocumentSaveRegistrationOptions(include_text=False))
    def did_save(ls: FlaglintServer, params: types.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri.rsplit("/", 1)[-1] in CONFIG_FILES:
            ls.reload()
            return
        document = ls.workspace.get_text_document(params.text_document.uri)
        ls.schedule(params.text_document.uri, document.source, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: FlaglintServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, None, 0)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=True),
    )
    async def code_action(ls: FlaglintServer, params: types.CodeActionParams) -> Optional[List[types.CodeAction]]:
        return await _code_actions(ls, params)

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve(ls: FlaglintServer, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        flag = data.get("flag")
        if isinstance(flag, str) and action.edit is None:
            edit, refusal = await ls.on_worker(_fix_edit, ls, flag)
            if refusal is not None:
                ls.show(refusal, types.MessageType.Warning)
            action.edit = edit
        return action

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: FlaglintServer, params: types.HoverParams) -> Optional[types.Hover]:
        return await ls.on_worker(_hover, ls, params.text_document.uri, params.position)

    @server.feature(types.TEXT_DOCUMENT_DEFINITION)
    async def definition(ls: FlaglintServer, params: types.DefinitionParams) -> Optional[List[types.Location]]:
        return await ls.on_worker(_definition, ls, params.text_document.uri, params.position)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: FlaglintServer, params: None) -> None:
        ls.stop_worker()

    return server


def _root(params: types.InitializeParams) -> Path:
    """The workspace folder: the first one, else the root URI, else the current directory."""
    uri = None
    if params.workspace_folders:
        uri = params.workspace_folders[0].uri
    elif params.root_uri:
        uri = params.root_uri
    path = to_fs_path(uri) if uri else params.root_path
    return Path(path) if path and os.path.isdir(path) else Path.cwd()


# ---------------------------------------------------------------- features
async def _code_actions(ls: FlaglintServer, params: types.CodeActionParams) -> Optional[List[types.CodeAction]]:
    state = ls.state
    if state is None or not params.text_document.uri.startswith("file:"):
        return None
    document = ls.workspace.get_text_document(params.text_document.uri)
    lines = document.source.splitlines(keepends=True)
    actions: List[types.CodeAction] = []
    flags = []
    for item in params.context.diagnostics:
        if item.source != convert.SOURCE or not isinstance(item.code, str):
            continue
        found = edits.suppression(document.source, item.range.start.line + 1, item.code)
        if found is not None:
            actions.append(
                types.CodeAction(
                    title=f"Suppress {item.code} on this line",
                    kind=SUPPRESS_KIND,
                    diagnostics=[item],
                    edit=types.WorkspaceEdit(
                        changes={params.text_document.uri: [convert.text_edit(found, _bare(lines))]}
                    ),
                )
            )
        flag = convert.first_flag(item)
        if flag is not None and item.code in ("FL001", "FL002") and flag not in flags:
            flags.append(flag)
            actions.append(
                types.CodeAction(
                    title=f"Remove dead code gated by {printable(flag)}",
                    kind=REMOVE_KIND,
                    diagnostics=[item],
                    data={"flag": flag},
                )
            )
    if not _resolves_edits(ls):
        for action in actions:
            data = action.data if isinstance(action.data, dict) else {}
            if isinstance(data.get("flag"), str):
                edit, refusal = await ls.on_worker(_fix_edit, ls, data["flag"])
                action.edit = edit
                if refusal is not None:
                    action.disabled = types.CodeActionDisabled(reason=refusal)
    return actions or None


def _bare(lines: List[str]) -> List[str]:
    return [line.rstrip("\r\n") for line in lines]


def _resolves_edits(ls: FlaglintServer) -> bool:
    """Whether the client asks for a code action's edit when it is chosen (``codeAction/resolve``)."""
    capabilities = ls.client_capabilities.text_document
    action = capabilities.code_action if capabilities is not None else None
    support = action.resolve_support if action is not None else None
    return support is not None and "edit" in support.properties


def _fix_edit(ls: FlaglintServer, flag: str) -> Tuple[Optional[types.WorkspaceEdit], Optional[str]]:
    """On the worker: ``fix`` for ``flag`` as one workspace edit of every
    file it touches, or a refusal (``fix``'s own, or an open buffer not
    saved: any, touched by the fix or not)."""
    state = ls.state
    if state is None:
        return None, "flaglint: the project is not analysed yet"
    try:
        result = state.fix(flag)
    except (FixUsageError, *USAGE_ERRORS) as error:
        return None, f"flaglint: {error}"
    if result.problems:
        return None, "flaglint: nothing changed: " + "; ".join(result.problems)
    if not result.changes:
        reasons = [*result.notes, *result.skipped, *result.kept]
        return None, "flaglint: nothing to change" + (": " + "; ".join(reasons) if reasons else "")
    to_uri = convert.uri_of(state.root)
    unsaved = state.unsaved(_open_texts(ls))
    if unsaved:
        # after fix's own refusals, as before; every open buffer, not only
        # the files the fix touches: unsaved text elsewhere can use code
        # the fix deletes (an import of a module it empties), which fix,
        # reading the disk, cannot see
        names = ", ".join(printable(display) for display in unsaved)
        return None, f"flaglint: save {names} first: fix works on the files as saved"
    operations: List[Any] = []
    changes: Dict[str, List[types.TextEdit]] = {}
    for change in result.changes:
        uri = to_uri(change.display)
        document = ls.workspace.text_documents.get(uri)
        if document is not None and document.source != change.old:  # the file changed on disk since fix read it
            return None, f"flaglint: save {printable(change.display)} first: fix works on the files as saved"
        version = document.version if document is not None else None
        if change.deleted:
            operations.append(types.DeleteFile(uri=uri))
            continue
        found = [
            convert.text_edit(edit, _bare(change.old.splitlines(True)))
            for edit in edits.line_edits(change.old, change.new)
        ]
        changes[uri] = found
        operations.append(
            types.TextDocumentEdit(
                text_document=types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                edits=list(found),
            )
        )
    document_changes, deletes = _edit_support(ls)
    if any(isinstance(operation, types.DeleteFile) for operation in operations) and not deletes:
        return None, "flaglint: this fix deletes a file, which this editor cannot do in an edit: run flaglint fix"
    if document_changes:
        return types.WorkspaceEdit(document_changes=operations), None
    return types.WorkspaceEdit(changes=changes), None


def _open_texts(ls: FlaglintServer) -> Dict[Path, str]:
    """The open documents' texts by path (``file:`` URIs only)."""
    texts: Dict[Path, str] = {}
    for uri, document in list(ls.workspace.text_documents.items()):
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is not None:
            texts[Path(path)] = document.source
    return texts


def _edit_support(ls: FlaglintServer) -> Tuple[bool, bool]:
    """Whether the client takes ``documentChanges``, and file deletions among them."""
    workspace = ls.client_capabilities.workspace
    edit = workspace.workspace_edit if workspace is not None else None
    if edit is None or not edit.document_changes:
        return False, False
    return True, types.ResourceOperationKind.Delete in (edit.resource_operations or [])


def _place(ls: FlaglintServer, uri: str, position: types.Position) -> Optional[Tuple[str, int, int]]:
    """(display, 1-based line, 1-based code point column) of an LSP position."""
    state = ls.state
    if state is None or state.project is None or not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    display = state.display(Path(path)) if path else None
    if display is None:
        return None
    document = ls.workspace.text_documents.get(uri)
    lines = document.lines if document is not None else []
    text = lines[position.line] if position.line < len(lines) else ""
    return display, position.line + 1, convert.code_point_column(text, position.character) + 1


def _hover(ls: FlaglintServer, uri: str, position: types.Position) -> Optional[types.Hover]:
    place = _place(ls, uri, position)
    state = ls.state
    if place is None or state is None or state.project is None:
        return None
    flag = lookup.flag_at(state.project, *place)
    if flag is None:
        return None
    entry = lookup.entry_for(state.project, flag, state.root, lookup.git_blame(state.root))
    if entry is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.PlainText, value=lookup.hover_text(entry)))


def _definition(ls: FlaglintServer, uri: str, position: types.Position) -> Optional[List[types.Location]]:
    place = _place(ls, uri, position)
    state = ls.state
    if place is None or state is None or state.project is None:
        return None
    flag = lookup.flag_at(state.project, *place)
    if flag is None:
        return None
    entry = lookup.entry_for(state.project, flag, state.root)
    to_uri = convert.uri_of(state.root)
    found = []
    for location in lookup.declarations(flag, entry):
        start = types.Position(line=location.line - 1, character=max(0, location.column - 1))
        found.append(types.Location(uri=to_uri(location.path), range=types.Range(start=start, end=start)))
    return found or None


def serve(cache_dir: Optional[str] = ".flaglint_cache") -> None:
    """Run the server on stdin and stdout until the client says ``exit``."""
    logging.basicConfig(level=logging.WARNING, format="flaglint server: %(levelname)s %(message)s")
    build(cache_dir).start_io()
