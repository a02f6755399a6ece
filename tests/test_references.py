"""What counts as a reference (issue 26, parts 1, 2 and 4).

A reference is what Python would bind: a name through the module's scopes
and imports, an attribute of a resolved module or class. A same-named
method call, parameter, local, outside module's attribute or import in
dead code never makes a live or uncalled function dead; a ``match`` guard
is a gate; a literal-set ``__getattr__`` shim roots only its names. The
fixtures are ``tests/data/cross_module/name_collisions`` and
``literal_shim`` and ``tests/data/fix/self_method`` and ``match_guard``;
these tests pin the exact messages, the diff and the facts behind them.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from typing import List

import libcst as cst
import pytest
from conftest import found, run_cli, write_tree

from flaglint.extract.extract import extract_source
from flaglint.extract.references import shim_lookups
from flaglint.fix import run_fix

DATA_FIX = Path(__file__).resolve().parent / "data" / "fix"

SEND = """\
ENABLE_V2 = False


def send(msg):
    if ENABLE_V2:
        return _send_v2(msg)
    return msg.send()


def _send_v2(msg):
    return msg.send(v=2)
"""


def test_a_method_call_in_dead_code_is_not_a_call_of_the_same_named_function(tmp_path):
    write_tree(tmp_path, {"app.py": SEND})
    result = run_cli("check", "app.py", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines()[:3] == [
        "app.py:1:1: FL001 flag ENABLE_V2 is read in 1 place but never set: every binding is false",
        "app.py:6:9: FL002 this code only runs when ENABLE_V2 is on, and nothing ever sets ENABLE_V2",
        "app.py:10:1: FL002 _send_v2() is only referenced from code gated by never-set flag ENABLE_V2",
    ]
    assert "send() is only" not in result.output.replace("_send_v2() is only", "")


def test_fix_keeps_the_function_a_method_call_shares_a_name_with(tmp_path):
    write_tree(tmp_path, {"app.py": SEND})
    diff = run_cli("fix", "--diff", "app.py", cwd=tmp_path)
    assert diff.exit_code == 0
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == SEND  # --diff writes nothing
    assert "-def send(msg):" not in diff.output and "-def _send_v2(msg):" in diff.output
    assert run_cli("fix", "--all", "app.py", cwd=tmp_path).exit_code == 0
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == "def send(msg):\n    return msg.send()\n"


def test_a_method_call_in_another_module_is_not_a_reference(lint, tmp_path):
    files = {
        "pkg/__init__.py": "",
        "pkg/jobs.py": "def process():\n    return 1\n",
        "pkg/runner.py": "ENABLE_QUEUE = False\n\n\ndef run(job):\n    if ENABLE_QUEUE:\n        job.process()\n",
    }
    assert found(lint(files)) == [
        ("FL001", "pkg/runner.py", 1, "pkg.runner.ENABLE_QUEUE"),
        ("FL002", "pkg/runner.py", 6, "pkg.runner.ENABLE_QUEUE"),
    ]
    result = run_fix(["."], cwd=tmp_path)
    assert [change.display for change in result.changes] == ["pkg/runner.py"]
    assert [(item.kind, item.path, item.name) for item in result.removed] == [
        ("definition", "pkg/runner.py", "ENABLE_QUEUE")
    ]


def test_an_import_of_the_module_makes_the_attribute_a_reference(lint):
    """The true positive the resolution keeps: ``jobs.process()`` names it."""
    files = {
        "pkg/__init__.py": "",
        "pkg/jobs.py": "def process():\n    return 1\n",
        "pkg/runner.py": (
            "from pkg import jobs\n\nENABLE_QUEUE = False\n\n\ndef run():\n    if ENABLE_QUEUE:\n        jobs.process()\n"
        ),
    }
    assert found(lint(files)) == [
        ("FL001", "pkg/runner.py", 3, "pkg.runner.ENABLE_QUEUE"),
        ("FL002", "pkg/jobs.py", 1, "pkg.runner.ENABLE_QUEUE"),
        ("FL002", "pkg/runner.py", 8, "pkg.runner.ENABLE_QUEUE"),
    ]


def test_a_live_unresolved_attribute_still_keeps_a_same_named_function(lint):
    """``conn.send()`` in live code might be the module passed around: a
    miss (``send`` is not reported), never a false delete."""
    files = {
        "app.py": (
            "ENABLE_V2 = False\n\n\ndef send():\n    return 1\n\n\n"
            "def run(conn):\n    if ENABLE_V2:\n        send()\n    return conn.send()\n"
        )
    }
    assert found(lint(files)) == [
        ("FL001", "app.py", 1, "app.ENABLE_V2"),
        ("FL002", "app.py", 10, "app.ENABLE_V2"),
    ]


def test_self_method_is_the_method_not_the_module_function(lint):
    files = {"app.py": (DATA_FIX / "self_method" / "before.py").read_text(encoding="utf-8")}
    assert found(lint(files)) == [
        ("FL001", "app.py", 1, "app.ENABLE_BATCH"),
        ("FL002", "app.py", 4, "app.ENABLE_BATCH"),  # send(): self.send() is Outbox.send
        ("FL002", "app.py", 18, "app.ENABLE_BATCH"),
        ("FL002", "app.py", 30, "app.ENABLE_BATCH"),  # deliver() stays: self.deliver() may be inherited
    ]


# ------------------------------------------------------------------ facts


def _refs(source: str):
    facts = extract_source(textwrap.dedent(source), "app.py", "app")
    return dict(facts.scope_refs), {(ref.name, ref.scope) for ref in facts.guarded_refs}


def test_facts_tell_locals_and_unknown_objects_apart():
    scope_refs, _ = _refs(
        """
        import json

        def run(msg, render):
            total = 0
            def inner():
                return total
            inner()
            getattr(json, "dumps")
            return msg.send(), render.x, json.encoder.encode, f().close
        """
    )
    assert scope_refs["run"] == (
        "'dumps",  # the string
        ".close",
        ".send",
        ".x",
        "f",
        "getattr",
        "json",
        "json.dumps",
        "json.encoder.encode",
        "run.inner",
    )
    assert "total" not in scope_refs.get("run.inner", ())  # a local of the enclosing function


def test_facts_name_self_attributes_by_their_class():
    scope_refs, guarded = _refs(
        """
        FLAG = False

        class Outbox:
            def flush(self):
                if FLAG:
                    self.send()
                return self.size

        def helper(self):
            return self.send()
        """
    )
    assert ("Outbox.send", "Outbox.flush") in guarded
    assert "Outbox.size" in scope_refs["Outbox.flush"]
    assert scope_refs["helper"] == (".send",)  # not a method: ``self`` is any object


def test_global_declaration_makes_the_name_the_modules():
    scope_refs, _ = _refs(
        """
        def run():
            global send
            send = 1
            return send
        """
    )
    assert scope_refs["run"] == ("send",)


# ----------------------------------------------------------- match guards

MATCH = """\
ENABLE_TURBO = False


def run(args):
    if ENABLE_TURBO:
        print("turbo")
    match args:
        case [x, *_] if ENABLE_TURBO:
            return _turbo(x)
        case _:
            return None


def _turbo(x):
    return x * 2
"""


def test_a_match_guard_is_a_read_and_gates_its_case(tmp_path):
    write_tree(tmp_path, {"app.py": MATCH})
    result = run_cli("check", "app.py", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.output.splitlines()[:4] == [
        "app.py:1:1: FL001 flag ENABLE_TURBO is read in 2 places but never set: every binding is false",
        "app.py:6:9: FL002 this code only runs when ENABLE_TURBO is on, and nothing ever sets ENABLE_TURBO",
        "app.py:9:13: FL002 this code only runs when ENABLE_TURBO is on, and nothing ever sets ENABLE_TURBO",
        "app.py:14:1: FL002 _turbo() is only referenced from code gated by never-set flag ENABLE_TURBO",
    ]


def test_a_flag_read_only_in_a_match_guard_is_read(lint):
    files = {
        "app.py": "ENABLE_TURBO = False\n\n\ndef run(args):\n    match args:\n        case [] if ENABLE_TURBO:\n            return 1\n"
    }
    assert found(lint(files)) == [
        ("FL001", "app.py", 1, "app.ENABLE_TURBO"),
        ("FL002", "app.py", 7, "app.ENABLE_TURBO"),
    ]


def test_fix_removes_the_dead_case_and_the_helper(tmp_path):
    write_tree(tmp_path, {"app.py": MATCH})
    assert run_cli("fix", "--all", "app.py", cwd=tmp_path).exit_code == 0
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == (
        "def run(args):\n    match args:\n        case _:\n            return None\n"
    )


@pytest.mark.parametrize(
    ("subject", "after"),
    [
        ("args", "def run(args):\n    pass\n"),  # nothing to evaluate: the match goes
        ("next(args)", "def run(args):\n    next(args)\n"),  # a call may have effects: it stays
    ],
)
def test_a_match_left_without_cases_keeps_its_behaviour(tmp_path, subject, after):
    source = f"ENABLE_TURBO = False\n\n\ndef run(args):\n    match {subject}:\n        case 1 if ENABLE_TURBO:\n            return 1\n"
    write_tree(tmp_path, {"app.py": source})
    assert run_cli("fix", "--all", "app.py", cwd=tmp_path).exit_code == 0
    text = (tmp_path / "app.py").read_text(encoding="utf-8")
    assert text == after
    compile(text, "app.py", "exec")


# ------------------------------------------------------------------ shims


def _shim(source: str):
    function = cst.parse_module(textwrap.dedent(source)).body[0]
    assert isinstance(function, cst.FunctionDef)
    return sorted(shim_lookups(function).values())


@pytest.mark.parametrize(
    "test",
    ['name in {"A", "B"}', 'name in ("A", "B")', 'name in ["A", "B"]', 'name == "A" or name == "B"'],
)
def test_literal_set_shims_fetch_only_their_names(test):
    assert _shim(f"def __getattr__(name):\n    if {test}:\n        return getattr(_mod, name)\n") == [("A", "B")]


@pytest.mark.parametrize(
    "source",
    [
        "def __getattr__(name):\n    if name in _MOVED:\n        return getattr(_mod, name)\n",  # not a literal
        "def __getattr__(name):\n    if name in {'A'}:\n        pass\n    return getattr(_mod, name)\n",  # outside the if
        "def __getattr__(name):\n    if name in {'A'}:\n        pass\n    else:\n        return getattr(_mod, name)\n",
        "def __getattr__(name):\n    if name in {'A', *MORE}:\n        return getattr(_mod, name)\n",
        "def __getattr__(name):\n    if name in {'A'}:\n        return getattr(_mod, other)\n",  # another name
    ],
)
def test_other_shims_fetch_anything(source):
    assert _shim(source) == []


def test_a_literal_shim_does_not_root_the_targets_private_helpers(lint):
    files = {
        "pkg/__init__.py": "",
        "pkg/shim.py": (
            "def __getattr__(name):\n    if name in {'Bag'}:\n        from pkg import impl as _mod\n\n"
            "        return getattr(_mod, name)\n    raise AttributeError(name)\n"
        ),
        "pkg/impl.py": (
            "OLD = False\n\n\nclass Bag:\n    def fill(self):\n        if OLD:\n            return _old()\n"
            "        return []\n\n\ndef _old():\n    return 1\n"
        ),
    }
    assert found(lint(files)) == [
        ("FL001", "pkg/impl.py", 1, "pkg.impl.OLD"),
        ("FL002", "pkg/impl.py", 7, "pkg.impl.OLD"),
        ("FL002", "pkg/impl.py", 11, "pkg.impl.OLD"),
    ]


def test_a_flag_baked_in_as_on_orphans_only_what_a_reference_resolved_to(tmp_path):
    """``--value true`` removes functions whose every reference the fix
    removed; json's ``loads`` in the removed code was never a reference to
    ``pkg.fmt.loads``, which nothing calls: it stays."""
    fmt = "def loads(text):\n    return text\n\n\ndef old_render(page):\n    return page\n"
    app = (
        "from json import loads\n\nfrom pkg.fmt import old_render\n\nENABLE_NEW = True\n\n\n"
        "def handle(payload):\n    if ENABLE_NEW:\n        return payload\n"
        "    total = loads(payload)\n    return old_render(total)\n"
    )
    write_tree(tmp_path, {"pkg/__init__.py": "", "pkg/fmt.py": fmt, "pkg/app.py": app})
    result = run_cli("fix", "--flag", "ENABLE_NEW", "--value", "true", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pkg/fmt.py").read_text(encoding="utf-8") == "def loads(text):\n    return text\n"
    assert (tmp_path / "pkg/app.py").read_text(encoding="utf-8") == "def handle(payload):\n    return payload\n"


def test_a_renamed_re_export_is_a_live_reference(lint):
    """``g`` in app.py is pkg.m's ``f`` (re-exported by pkg.m2 under
    another name): its live call keeps ``f``, which dead code also calls."""
    files = {
        "pkg/__init__.py": "",
        "pkg/m.py": "def f():\n    return 1\n",
        "pkg/m2.py": "from pkg.m import f as g\n",
        "pkg/app.py": (
            "from pkg.m2 import g\n\nENABLE_X = False\n\n\ndef run():\n    if ENABLE_X:\n        f2()\n    return g()\n\n\n"
            "def f2():\n    from pkg.m import f\n    return f()\n"
        ),
    }
    assert found(lint(files)) == [
        ("FL001", "pkg/app.py", 3, "pkg.app.ENABLE_X"),
        ("FL002", "pkg/app.py", 8, "pkg.app.ENABLE_X"),
        ("FL002", "pkg/app.py", 12, "pkg.app.ENABLE_X"),
    ]


def test_fix_diff_on_the_collisions_touches_only_dead_code(tmp_path):
    """``tests/data/cross_module/name_collisions``: ``--diff`` writes nothing
    and shows no change to pkg/mail.py, pkg/jobs.py, pkg/main.py or send()."""
    root = tmp_path / "project"
    shutil.copytree(Path(__file__).resolve().parent / "data" / "cross_module" / "name_collisions" / "before", root)
    before = {path: path.read_bytes() for path in sorted(root.rglob("*.py"))}
    result = run_cli("fix", "--diff", ".", cwd=root)
    assert result.exit_code == 0
    assert {path: path.read_bytes() for path in sorted(root.rglob("*.py"))} == before
    changed = [line[len("+++ b/") :] for line in result.output.splitlines() if line.startswith("+++ b/")]
    assert changed == ["pkg/app.py", "pkg/legacy.py"]
    assert "diff --git a/pkg/settings.py b/pkg/settings.py\ndeleted file mode 100644\n" in result.output
    removed = [line for line in result.output.splitlines() if line.startswith(("-def ", "-class "))]
    assert removed == [
        "-def _send_v2(msg):",
        '-def _v2(render, note: typing.Text = ""):  # shape 5: a parameter',
        "-class _LegacyMailer:",
    ]


def test_the_dead_code_search_splits_each_reference_text_once(lint, monkeypatch):
    """Every round of the search tests every reference of the tree; a text
    that recurs (``msg.send``, ``self.x``) is split into its identifiers
    once per search, and the verdicts are those of splitting it each time."""
    from flaglint.graph import references

    split: List[str] = []
    real = references.identifiers

    def counting(ref: str) -> List[str]:
        split.append(ref)
        return real(ref)

    monkeypatch.setattr(references, "identifiers", counting)
    helpers = "".join(f"\n\ndef helper_{n}(msg):\n    return msg.send()\n" for n in range(3))
    source = SEND + helpers + "\n\ndef caller(msg):\n    return helper_0(msg) + helper_1(msg) + msg.send()\n"
    findings = lint({"app.py": source})
    assert found(findings) == [
        ("FL001", "app.py", 1, "app.ENABLE_V2"),
        ("FL002", "app.py", 6, "app.ENABLE_V2"),
        ("FL002", "app.py", 10, "app.ENABLE_V2"),
    ]
    # six references spell ``.send`` (an attribute of an unknown object):
    # the search's index splits it once (15 times in all before, once per
    # reference per round); the resolver, the names in dead blocks and the
    # names inside the dead _send_v2 once each
    assert split.count(".send") == 4


def test_the_dead_code_search_leaves_no_cycle_holding_the_graph(tmp_path):
    """The search's resolver keeps the constants lookup; as a bound method it
    tied the search, the graph and every fact into a cycle that lived on
    after the run until a full collection (on the stdlib: 1.1 million
    objects, and 1.4 s of CPU at the interpreter's exit)."""
    import gc

    from flaglint import api

    write_tree(tmp_path, {"app.py": SEND})
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        result = api.check(["."], cwd=tmp_path)
        gc.collect()
        kinds = {type(item).__name__ for item in gc.garbage}
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert [finding.code for finding in result.findings] == ["FL001", "FL002", "FL002"]
    assert not kinds & {"FlagGraph", "FlagAnalysis", "DeadCodeSearch", "Resolver", "FileFacts", "Flag"}
