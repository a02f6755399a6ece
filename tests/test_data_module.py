"""Extraction's fast path for data modules gives exactly libcst's facts.

A data module (a docstring, imports, literals bound to names) is read by
extract/data_parse.py and extract/data_module.py, without libcst. Here both
paths run on the same text: hand-written shapes, generated modules, and the
real files of this Python's standard library and site-packages that
qualify; every fact must be equal (positions included). Shapes the fast
path must refuse are refused, and go through libcst as before.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import List, Optional

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import run_cli, write_tree
from flaglint.extract import extract as extract_module
from flaglint.extract.data_module import data_module_facts
from flaglint.extract.data_parse import parse_data_module
from flaglint.extract.extract import extract_source, run_deep
from flaglint.extract.source import decode_source
from flaglint.facts import FileFacts, FlagDict, JoinedKey, Span

SCALE = float(os.environ.get("FLAGLINT_PROPERTY_EXAMPLES", "1"))


def by_libcst(text: str, module: str = "pkg.mod", is_package: bool = False) -> FileFacts:
    """The facts the libcst path gives, with the fast path switched off."""
    real = extract_module.data_module_facts
    extract_module.data_module_facts = lambda *args: None
    try:
        return extract_source(text, "m.py", module, is_package)
    finally:
        extract_module.data_module_facts = real


def fast(text: str, module: str = "pkg.mod", is_package: bool = False) -> Optional[FileFacts]:
    return run_deep(data_module_facts, text, "m.py", module, is_package)


def assert_same_facts(text: str, module: str = "pkg.mod", is_package: bool = False) -> FileFacts:
    facts = fast(text, module, is_package)
    assert facts is not None, "the fast path refused a data module"
    assert facts == by_libcst(text, module, is_package)
    assert extract_source(text, "m.py", module, is_package) == facts  # what extraction now returns
    return facts


# --------------------------------------------------------------------------- hand-written shapes

SHAPES = {
    "empty": "",
    "only comments": "# one\n\n   # two, indented\n",
    "docstring": '"""Tables for pkg.mod and app.tables:main."""\n',
    "no trailing newline": "X = 1",
    "imports": (
        "from __future__ import annotations\nimport os.path, sys as system\nimport a . b as c\n"
        "from . import sibling\nfrom ..up import (a as b, c,)\nfrom x import *\nfrom .. import (d)\n"
    ),
    "future after docstring and comments": '# c\n"""doc"""\n\nfrom __future__ import annotations, division\n',
    "relative import past the top": "from .... import x\nX = 1\n",
    "all": '__all__ = ["A", \'B\', "not an id", ("C"), "a" "b"]\n__all__ = ("D",)\n__all__ = {"E": "F"}\n',
    "aliases": "A = B = 5\nC = D = E = True\n",
    "literals": (
        "A = -3\nB = - -0x1F\nC = 1_000\nD = 0o17 ; E = 0b101\nF = 2.5\nG = 3j\nH = ...\nI = None\n"
        "J = (7)\nK = 1e5\nL = -1.5\nM = 00\nN = 1" + "0" * 60 + "\n"
    ),
    "strings": (
        'A = "a" \'b\' """c\nd"""\nB = r"\\d" u"x"\nC = b"\\x00\\xff" B"x"\nD = "\\N{BULLET} \\u00e9"\n'
        "E = Rb'x'\nF = 'app.module:func'\nG = \"x = pkg.mod:main [extra]\"\nH = ''''''\nI = \"\"\"\"quoted\"\"\"\n"
    ),
    "strings with escapes everywhere": 'X = ["a\\tb", "org:\\x61", "\\\\", "pkg.\\\nmod"]\n',
    "annotations": "A: int = 1\nB: Final = True\nC: typing.Final = 'x'\nD: int\nE: None = None\nF: ABC\n",
    "flag dict": 'FLAGS = {"new-ui": True, "old-ui": False, ("paren"): True}\nFLAGS = None\n',
    "flag dict rebound": 'FLAGS = {}\nFLAGS = {"a": True}\nFLAGS = {"b": 1}\n',
    "not a flag dict": 'A = {"a": True, "b": None}\nB = {1: True}\nC = {b"x": True}\nD = {"x": True, "y": 0}\n',
    "joined keys": (
        'KEYS = ["org:a", "org:b", "org:c"\n        "org:d"]\n'
        'T = ("FEATURE_A", "FEATURE_B", "FEATURE_C" "FEATURE_D")\n'
        "S = {'app-x', 'app-y', ('app-z' 'app-w')}\n"
        'D = {"FLAG_A": True, "FLAG_B": False, "FLAG_C" "FLAG_D": True}\n'
        'N = [["org:a", "org:b", "org:c" "org:d"], ("x", "y")]\n'
        'P = ["long message that is " "split on purpose", "another one"]\n'
    ),
    "nested collections": "X = {(1, 2): [3, {4, 5}], 'k': ((),), 'l': [[], {}]}\n",
    "unparenthesized tuple": "X = 1, 'a', ('b' 'c'),\nY = 'org:a', 'org:b', 'org:c' 'org:d'\n",
    "semicolons": "A = 1; B = 2;\nimport os; C = 'x'\n",
    "continuation lines": "X = \\\n    1\nY = [1,\n  2]\n",
    "CRLF": 'X = 1\r\nY = {"a": True,\r\n     "b": False}\r\n"""doc\r\nline"""\r\n',
    "tabs inside lines": "X\t=\t{'a':\tTrue}\n",
    "non-ASCII strings": "NAME = 'ünïcödé 🚩'; OTHER = {'日本': True, '🚩': False}\nJ = ['ß:a', 'ß:b', 'ß:c' 'ß:d']\n",
    "suppressions": "X = 1  # noqa: FL001\nY = {'a': True}  # flaglint: ignore[FL003]\nZ = '# noqa'\n",
    "soft keywords as names": "match = 1\ncase = 2\ntype = 3\n_ = 4\n",
    "comments inside brackets": "X = [  # why\n    'a',  # first\n    # between\n    'b',\n]\n",
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_the_fast_path_gives_libcst_facts(text):
    assert_same_facts(text)


@pytest.mark.parametrize("module, is_package", [("pkg.sub.mod", False), ("pkg.sub", True), ("", False), ("top", False)])
def test_relative_imports_resolve_the_same_way(module, is_package):
    assert_same_facts("from . import a\nfrom .. import b\nfrom .x import c\nfrom ...y import (d)\n", module, is_package)


def test_the_facts_are_the_expected_ones():
    """Not only equal to libcst's: the values a reader expects."""
    text = 'FLAGS = {\n    "new-ui": True,\n    "org:a" "org:b": False,\n}\nK = ["org:x", "org:y", "org:a" "org:b"]\n'
    facts = assert_same_facts(text)
    assert facts.flag_dicts == (FlagDict("FLAGS", 1, (("new-ui", True, 2), ("org:aorg:b", False, 3)), (), False, True),)
    assert facts.joined_keys == (JoinedKey(("org:a", "org:b"), Span(5, 24, 5, 39)),)
    assert [(d.name, d.span.line, d.origin) for d in facts.definitions] == [
        ("FLAGS", 1, "dynamic"),
        ("K", 5, "dynamic"),
    ]


# --------------------------------------------------------------------------- what it must refuse

REFUSED = {
    "a function": "X = 1\ndef f():\n    pass\n",
    "a class": "class C:\n    X = 1\n",
    "a call": "X = dict(a=1)\n",
    "a call at the top": "main()\n",
    "an if": "if X:\n    Y = 1\n",
    "a name as a value": "X = Y\n",
    "an attribute target": "x.y = 1\n",
    "a subscript target": "X[0] = 1\n",
    "a tuple target": "a, b = 1, 2\n",
    "augmented": "__all__ += ['x']\n",
    "a binary operation": "X = 1 << 5\n",
    "unary minus on a bool": "X = -True\n",
    "unary plus": "X = +1\n",
    "an f-string": "X = f'{1}'\n",
    "a spread": "X = {**A}\n",
    "a starred element": "X = [*A]\n",
    "a comprehension": "X = [i for i in range(3)]\n",
    "a lambda": "X = lambda: 1\n",
    "a subscripted annotation": "X: Dict[str, int] = {}\n",
    "an annotated tuple": "X: tuple = 1, 2\n",
    "a parenthesized target": "(X) = 1\n",
    "an indented statement": "  X = 1\n",
    "a form feed": "\x0cX = 1\n",
    "a lone CR": "X = 1\rY = 2\r",
    "a BOM": "\ufeffX = 1\n",
    "a non-ASCII name": "ÄÖ = 1\n",
    "a keyword target": "None = 1\n",
    "__debug__": "__debug__ = 1\n",
    "a misplaced future import": "X = 1\nfrom __future__ import annotations\n",
    "an unknown future": "from __future__ import braces\n",
    "a future alias": "from __future__ import annotations as a\n",
    "a bad named escape": "X = '\\N{no such name}'\n",
    "non-ASCII bytes": "X = b'ü'\n",
    "bytes joined to str": "X = b'a' 'b'\n",
    "a number glued to a name": "X = 1if 1 else 2\n",
    "a bad number": "X = 0777\n",
    "a continuation at the end": "X = 1 \\\n",
    "a continuation into a comment": "X = [1, \\\n# c\n2]\n",
    "a continuation before a statement": "X = 1\n\\\nY = 2\n",
    "a string statement that is more": "'a'.join([])\n",
    "a walrus": "X = [(y := 1)]\n",
    "nesting past the limit": "X = " + "[" * 51 + "]" * 51 + "\n",
    "a long unary chain": "X = " + "-" * 51 + "1\n",
    "a long implicit concatenation": "X = " + " ".join(["'a'"] * 51) + "\n",
    "a huge int": "X = " + "1" * 101 + "\n",
    "a dotted import name": "from x import a.b\n",
    "a trailing comma without parentheses": "from x import a,\n",
    "a match statement": "match x:\n    case 1:\n        pass\n",
    "a type alias": "type X = int\n",
    "a syntax error": "X = [1, 2\n",
}


@pytest.mark.parametrize(
    "text, message",
    [
        ("X = b'ü'\n", "syntax error: bytes can only contain ASCII literal characters"),
        ("X = 1\nY = '\\N{no such name}'\n", "syntax error: (unicode error) 'unicodeescape' codec can't decode"),
    ],
    ids=["non-ASCII bytes", "a bad named escape"],
)
def test_a_literal_python_cannot_evaluate_is_fl000_not_a_crash(text, message):
    """libcst parses these and the visitor's ``evaluated_value`` raised:
    ``internal error`` and exit 3 before. Now CPython's own syntax error."""
    problem = extract_source(text, "m.py", "m").problem
    assert problem is not None and problem.message.startswith(message)
    assert problem.line == text.count("\n")


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_the_fast_path_refuses_what_it_is_not_sure_of(text):
    assert parse_data_module(text) is None
    assert fast(text) is None
    assert extract_source(text, "m.py", "pkg.mod") == by_libcst(text)


# --------------------------------------------------------------------------- generated modules

_KEYISH = st.sampled_from(["org:a", "org:b", "org:c", "FEATURE_X", "FEATURE_Y", "app-x", "pkg.mod", "a b", "", "x=y"])


def _quoted(text: str, quote: str, prefix: str) -> str:
    body = text.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0]) if "r" not in prefix.lower() else text
    return f"{prefix}{quote}{body}{quote}"


@st.composite
def _string(draw) -> str:
    text = draw(st.one_of(_KEYISH, st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)))
    prefix = draw(st.sampled_from(["", "", "u", "R", "b", "rb"]))
    if "b" in prefix.lower() and not text.isascii():
        prefix = ""
    if "r" in prefix.lower() and ("\\" in text or "'" in text or '"' in text or "\n" in text or "\r" in text):
        prefix = prefix.lower().replace("r", "")
    quote = draw(st.sampled_from(["'", '"', "'''", '"""']))
    if len(quote) == 1:
        text = text.replace("\n", "").replace("\r", "")
    if "\r" in text:
        text = text.replace("\r", "")
    return _quoted(text, quote, prefix)


@st.composite
def _joined(draw) -> str:
    first = draw(_string())
    kind_bytes = "b" in first.split("'")[0].split('"')[0].lower()
    rest = [draw(_string()) for _ in range(draw(st.integers(1, 2)))]
    rest = [part for part in rest if ("b" in part.split("'")[0].split('"')[0].lower()) == kind_bytes]
    return " ".join([first, *rest])


_ATOMS = st.one_of(
    _string(),
    _joined(),
    st.sampled_from(["True", "False", "None", "...", "0", "1", "-1", "- 2", "0x1F", "1_000", "2.5", "-1e3", "3j"]),
)
_SPACE = st.sampled_from(["", " ", "\n    ", "  # c\n  "])


def _collections(children):
    def join(items: List[str], space: str) -> str:
        return ("," + space).join(items)

    return st.one_of(
        st.builds(
            lambda items, s, t: f"[{s}{join(items, s)}{t}]",
            st.lists(children, max_size=4),
            _SPACE,
            st.sampled_from(["", ","]),
        ),
        st.builds(lambda items, s: f"({s}{join(items, s)},)", st.lists(children, min_size=1, max_size=4), _SPACE),
        st.builds(lambda items, s: f"{{{s}{join(items, s)}}}", st.lists(children, min_size=1, max_size=4), _SPACE),
        st.builds(
            lambda pairs, s: "{" + s + join([f"{key}: {value}" for key, value in pairs], s) + "}",
            st.lists(st.tuples(st.one_of(_string(), _joined()), children), max_size=4),
            _SPACE,
        ),
        st.builds(lambda item: f"({item})", children),
    )


_VALUES = st.recursive(_ATOMS, _collections, max_leaves=12)
_NAMES = st.sampled_from(["X", "FLAGS", "__all__", "table", "ENABLE_NEW_UI", "_private"])


@st.composite
def _statement(draw) -> str:
    kind = draw(st.sampled_from(["assign", "assign", "assign", "chain", "annotated", "bare", "import", "from", "doc"]))
    name = draw(_NAMES)
    if kind == "assign":
        return f"{name} = {draw(_VALUES)}"
    if kind == "chain":
        return f"{name} = {draw(_NAMES)} = {draw(_VALUES)}"
    if kind == "annotated":
        return f"{name}: {draw(st.sampled_from(['int', 'Final', 'typing.Final', 'None']))} = {draw(_VALUES)}"
    if kind == "bare":
        return f"{name}: int"
    if kind == "import":
        return draw(st.sampled_from(["import os", "import a.b as c", "import x, y.z"]))
    if kind == "from":
        return draw(st.sampled_from(["from . import a", "from .x import (b, c as d,)", "from m import *"]))
    return draw(_string())


@st.composite
def _module(draw) -> str:
    lines = [draw(_statement()) for _ in range(draw(st.integers(0, 6)))]
    separator = draw(st.sampled_from(["\n", "\r\n"]))
    return separator.join(lines) + draw(st.sampled_from(["", separator]))


@settings(
    max_examples=max(1, round(100 * SCALE)),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
@given(_module())
def test_generated_data_modules_give_libcst_facts(text):
    # a NUL is refused before either path is tried (extract.py's nul_problem);
    # 3.12's compile() calls it a SyntaxError, and ``fast`` alone would not refuse it
    assume("\0" not in text)
    try:
        compile(text, "<generated>", "exec", dont_inherit=True)
    except SyntaxError:  # the generator's own slip (a bytes key beside a str one is fine; this is not)
        assert fast(text) is None or fast(text) == by_libcst(text)
        return
    assert_same_facts(text)


# --------------------------------------------------------------------------- real files


def _real_data_modules() -> List[Path]:
    """This Python's stdlib (without its site-packages) and the test
    environment's site-packages: the files that qualify, up to 60 KB (a
    larger one costs libcst seconds), one per content, the largest first."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    paths = [path for path in stdlib.rglob("*.py") if "site-packages" not in path.parts]
    paths += Path(sysconfig.get_paths()["purelib"]).rglob("*.py")
    found = {}
    for path in paths:
        try:
            if path.stat().st_size > 60_000:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        text = decode_source(data)
        if isinstance(text, str) and parse_data_module(text) is not None:
            found.setdefault(data, path)
    ranked = sorted(found.items(), key=lambda item: len(item[0]), reverse=True)
    return [path for _, path in ranked[:20]]


REAL = _real_data_modules()


def test_real_data_modules_are_found():
    assert len(REAL) >= 20


@pytest.mark.parametrize("path", REAL, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_real_data_modules_give_libcst_facts(path):
    text = decode_source(path.read_bytes())
    assert isinstance(text, str)
    assert_same_facts(text, "pkg.mod", path.name == "__init__.py")


# --------------------------------------------------------------------------- the large dict


def dict_module(entries: int) -> str:
    return "FLAGS = {\n" + "".join(f'    "f{i}": True,\n' for i in range(entries)) + "}\n"


def test_a_2000_entry_dict_gives_libcst_facts():
    facts = assert_same_facts(dict_module(2_000))
    assert len(facts.flag_dicts[0].entries) == 2_000 and facts.flag_dicts[0].entries[-1] == ("f1999", True, 2_001)


def test_a_40000_entry_dict_is_read_in_well_under_a_second_of_cpu():
    text = dict_module(40_000)
    started = time.process_time()
    facts = fast(text)
    seconds = time.process_time() - started
    assert facts is not None and len(facts.flag_dicts[0].entries) == 40_000
    assert seconds < 3.0  # libcst: about 5.5 s of CPU (docs/performance.md)


def test_a_check_of_data_modules_never_imports_libcst(tmp_path):
    write_tree(tmp_path, {"table.py": dict_module(40_000), "pkg/__init__.py": "from .table import FLAGS\n"})
    probe = (
        "import json, sys\nfrom flaglint.cli import main\ntry:\n    main(sys.argv[1:], prog_name='flaglint')\n"
        "except SystemExit as exit:\n    print(int(exit.code or 0))\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", probe, "check", "--no-cache", "--format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert time.monotonic() - started < 120
    assert done.stdout.splitlines()[-1] == "0", done.stderr[-2000:]
    assert '"findings": []' in done.stdout
    loaded = {name.split(".")[0] for name in __import__("json").loads(done.stderr.strip().splitlines()[-1])}
    assert "libcst" not in loaded


def test_fix_rewrites_a_data_module(tmp_path):
    """``fix`` reads a data module's facts from the fast path and rewrites
    it with libcst: the dead flag's definition goes, the rest stays."""
    write_tree(
        tmp_path,
        {
            "flags.py": '"""Flags."""\nENABLE_X = False\nOTHER = {"a": True}\n',
            "app.py": "from flags import ENABLE_X\n\n\ndef f():\n    if ENABLE_X:\n        g()\n    return 1\n",
        },
    )
    assert fast((tmp_path / "flags.py").read_text(encoding="utf-8")) is not None
    result = run_cli("fix", "--all", "--no-cache", ".", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "flags.py").read_text(encoding="utf-8") == '"""Flags."""\nOTHER = {"a": True}\n'
    assert (tmp_path / "app.py").read_text(encoding="utf-8") == "def f():\n    return 1\n"
