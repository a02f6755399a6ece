"""Never crash, property-based: whatever the input, flaglint reports findings
(FL000 for a bad file) and never raises.

Inputs come from hypothesis: random bytes, random encodings (coding cookies
naming every codec Python has, BOMs), random valid programs from hypothesmith,
truncated files, and projects built from flag idioms (``FLAG = False``,
``if FLAG:``, bit masks, IntFlag classes, ``os.getenv`` tests, SDK calls,
cross-module imports) so that the graph, the rules, the audit inventory and
the graph export all run on something with flags in it, not just the parser.

The runs are derandomized (the same examples on every machine, so CI is
reproducible) and sized to keep this file under a minute on two cores. Set
FLAGLINT_PROPERTY_EXAMPLES to a multiple (e.g. 20) to search harder locally.
"""

from __future__ import annotations

import ast
import codecs
import encodings
import encodings.aliases
import importlib.util
import json
import os
import pickle
import pkgutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

import hypothesmith
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis import strategies as st

from conftest import write_tree
from flaglint import api
from flaglint.audit import FORMATS as AUDIT_FORMATS
from flaglint.audit import analyse_paths, build_inventory
from flaglint.audit import render as render_audit
from flaglint.config import Config, load_config
from flaglint.extract.depth import DEPTH_LIMIT
from flaglint.extract.extract import extract_bytes, extract_source
from flaglint.facts import FileFacts
from flaglint.graph import export
from flaglint.rules import RULES

#: a factor on every property test's examples: more to search harder, fewer
#: (0.2 in .ci/run on the Pythons after the first) to stay within CI's time
SCALE = float(os.environ.get("FLAGLINT_PROPERTY_EXAMPLES", "1"))


def examples(count: int) -> settings:
    """Deterministic, deadline-free settings with ``count`` (scaled) examples."""
    return settings(
        max_examples=max(1, round(count * SCALE)),
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


# --------------------------------------------------------------------------- properties


def assert_file_facts(facts: FileFacts, again: FileFacts) -> None:
    """Facts are plain data: they survive pickling unchanged, and extraction
    is a pure function of the input."""
    assert isinstance(facts, FileFacts)
    assert pickle.loads(pickle.dumps(facts)) == facts
    assert again == facts


def extracts_cleanly_from_bytes(data: bytes) -> FileFacts:
    facts = extract_bytes(data, "input.py", "input")
    assert_file_facts(facts, extract_bytes(data, "input.py", "input"))
    return facts


def extracts_cleanly_from_text(text: str) -> FileFacts:
    facts = extract_source(text, "input.py", "input")
    assert_file_facts(facts, extract_source(text, "input.py", "input"))
    return facts


def everything(files: Dict[str, str | bytes], twice: bool = False) -> list:
    """Run check, the audit inventory (every format) and the graph export
    (every format) on a project made of ``files``; return check's findings.

    A finding must name a file of the project, a known rule and a real line;
    with ``twice``, a second check must give the very same findings."""
    with tempfile.TemporaryDirectory(prefix="flaglint-prop-") as scratch:
        root = Path(scratch)
        write_tree(root, files)
        config = load_config(root / "flaglint.toml") if "flaglint.toml" in files else Config()
        findings = list(api.check([str(root)], config, cwd=root).findings)
        if twice:
            assert list(api.check([str(root)], config, cwd=root).findings) == findings
        # what `flaglint audit` and `flaglint graph` do, from one analysis
        _, graph, analysis = analyse_paths([str(root)], config, root)
        inventory = build_inventory(graph, analysis, root)
        for output_format in AUDIT_FORMATS:
            assert render_audit(inventory, output_format)
        json.loads(render_audit(inventory, "json"))
        exported = export.export_graph(graph, analysis)
        for output_format in export.FORMATS:
            assert export.render(exported, output_format)
    for finding in findings:
        assert finding.code in RULES
        # an FL000 may name a file a source names but that is missing
        assert finding.path in files or finding.code == "FL000", finding
        assert finding.line >= 1
    return findings


def fl000_paths(findings) -> List[str]:
    return sorted(finding.path for finding in findings if finding.code == "FL000")


def parses(source: str | bytes) -> bool:
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        # Python 3.9 refuses syntax newer than itself (``match``) that libcst
        # reads, and flaglint analyses what libcst reads
        return sys.version_info < (3, 10) and libcst_parses(source)
    return True


def libcst_parses(source: str | bytes) -> bool:
    try:
        extracted = extract_source(source.decode("utf-8") if isinstance(source, bytes) else source, "input.py")
    except UnicodeDecodeError:
        return False
    return extracted.problem is None


# --------------------------------------------------------------------------- raw input


# Which inputs are a problem (FL000), and which kind. The oracles are
# Python's own: the importer's decoding (importlib.util.decode_source) and
# CPython's parser (ast.parse). Text Python cannot import is a problem of the
# kind named; text it can import is analysed (problem None).
NUL_BYTE = "file contains a NUL byte: binary or not Python source"
NUL_CHARACTER = "file contains a NUL character: binary or not Python source"
INVALID = ("syntax error: ", "too deeply nested to ")  # the latter only for deep input


def expected_text_problem(text: str):
    """None for text CPython parses, else the start the message must have."""
    if "\0" in text:
        return (NUL_CHARACTER,)
    return None if parses(text) else INVALID


def expected_bytes_problem(data: bytes):
    if b"\0" in data:
        return (NUL_BYTE,)
    try:
        text = importlib.util.decode_source(data)
    except (SyntaxError, UnicodeError, LookupError):
        return ("cannot decode file",)
    return expected_text_problem(text)


def assert_problem(facts: FileFacts, expected, source) -> None:
    """``expected`` is None (analysed) or the starts a message may have."""
    if expected is None:
        assert facts.problem is None, (source, facts.problem)
    else:
        assert facts.problem is not None and facts.problem.message.startswith(expected), (source, facts.problem)
        assert facts.definitions == facts.reads == (), source


def nul_line(source) -> int:
    nul = b"\0" if isinstance(source, bytes) else "\0"
    newline = b"\n" if isinstance(source, bytes) else "\n"
    return source.count(newline, 0, source.index(nul)) + 1


@examples(300)
@given(st.binary(max_size=2000))
def test_random_bytes_give_facts_or_a_problem(data):
    facts = extracts_cleanly_from_bytes(data)
    assert_problem(facts, expected_bytes_problem(data), data)
    if b"\0" in data:
        assert facts.problem.line == nul_line(data)


@examples(200)
@given(st.text(max_size=500))
def test_random_text_gives_facts_or_a_problem(text):
    facts = extracts_cleanly_from_text(text)
    assert_problem(facts, expected_text_problem(text), text)
    if "\0" in text:
        assert facts.problem.line == nul_line(text)


@pytest.mark.parametrize(
    "source, expected",
    [
        pytest.param("x = 1\n", None, id="valid"),
        pytest.param("", None, id="empty"),
        pytest.param("# only a comment", None, id="comment-no-newline"),
        pytest.param("def f(:\n", ("syntax error: invalid syntax", 1), id="invalid"),
        pytest.param(
            "x = (\n",
            # Python 3.9's parser does not name the bracket
            (
                "syntax error: '(' was never closed"
                if sys.version_info >= (3, 10)
                else "syntax error: unexpected EOF while parsing",
                1,
            ),
            id="unclosed",
        ),
        pytest.param('s = "\0"\n', (NUL_CHARACTER, 1), id="nul-in-a-string"),
        pytest.param("x = 1\n# \0\n", (NUL_CHARACTER, 2), id="nul-in-a-comment"),
    ],
)
def test_which_text_is_a_problem(source, expected):
    problem = extracts_cleanly_from_text(source).problem
    assert (problem.message, problem.line) == expected if expected else problem is None


def test_a_name_libcst_tokenizes_but_python_refuses_is_a_syntax_error():
    # libcst's tokenizer knows newer Unicode than CPython 3.11-3.13 and then
    # raises a validation error, not a syntax error: CPython names the fault
    problem = extracts_cleanly_from_text("\U00013613\n").problem
    assert problem.message.startswith("syntax error: ") and problem.line == 1, problem


@pytest.mark.parametrize(
    "data, expected",
    [
        pytest.param(b"x = 1\n\0", (NUL_BYTE, 2), id="nul-byte"),
        pytest.param(b"#\xda\n", ("cannot decode file: invalid or missing encoding declaration", None), id="not-utf8"),
        pytest.param(
            b"x = '\xff'\n",
            ("cannot decode file: invalid or missing encoding declaration", None),
            id="not-utf8-in-a-string",
        ),
        # no NUL byte, but one once decoded: used to escape as a SyntaxError traceback
        pytest.param(b'# coding: utf-7\ns = "+AAA-"\n', (NUL_CHARACTER, 2), id="nul-once-decoded-utf7"),
        pytest.param(b'# coding: unicode_escape\ns = "\\x00"\n', (NUL_CHARACTER, 2), id="nul-once-decoded-escape"),
        pytest.param(b"# coding: latin-1\nx = '\xff'\n", None, id="latin-1-cookie"),
        pytest.param(codecs.BOM_UTF8 + b"x = 1\n", None, id="utf8-bom"),
    ],
)
def test_which_bytes_are_a_problem(data, expected):
    problem = extracts_cleanly_from_bytes(data).problem
    assert (problem.message, problem.line) == expected if expected else problem is None


def _codec_names() -> List[str]:
    """Every codec module and alias Python ships, text and bytes-to-bytes
    (``rot13``, ``hex``, ``zlib``...) and odd ones (``undefined``), since a
    coding cookie may name any of them."""
    modules = {module.name for module in pkgutil.iter_modules(encodings.__path__)}
    names = sorted(modules | set(encodings.aliases.aliases) - {"aliases"})
    return [name for name in names if _looks_up(name)] + ["klingon", "utf-8-sig", "x-unknown"]


def _looks_up(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


CODECS = _codec_names()
BOMS = [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE]
BODIES = ["ENABLE_X = False\nif ENABLE_X:\n    g()\n", "s = 'caf\u00e9 \u2603'\n", "x = 1\n", ""]


@st.composite
def encoded_files(draw) -> bytes:
    """A BOM (maybe), a coding cookie naming a random codec (maybe, on line
    1 or 2), then a body encoded with some codec, or with random bytes."""
    bom = draw(st.sampled_from(BOMS))
    cookie_codec = draw(st.sampled_from(CODECS))
    cookie = draw(
        st.sampled_from(
            ["", f"# -*- coding: {cookie_codec} -*-\n", f"#!/usr/bin/env python\n# coding={cookie_codec}\n"]
        )
    )
    body_codec = draw(st.sampled_from([cookie_codec, "utf-8", "latin-1", "utf-16", "cp1252"]))
    body = draw(st.sampled_from(BODIES))
    try:
        encoded = body.encode(body_codec)
    except (LookupError, UnicodeError, TypeError, ValueError):
        encoded = body.encode("utf-8")
    if not isinstance(encoded, bytes):  # bytes-to-bytes codecs are not text encodings
        encoded = body.encode("utf-8")
    tail = draw(st.binary(max_size=40))
    return bom + cookie.encode("latin-1") + encoded + tail


@examples(300)
@given(encoded_files())
def test_any_coding_cookie_or_bom_gives_facts_or_a_problem(data):
    assert_problem(extracts_cleanly_from_bytes(data), expected_bytes_problem(data), data)


def punycode_problem(data: bytes):
    """What flaglint says of ``data`` under a punycode cookie, from the error
    the running Python raises: up to 3.12 a plain UnicodeError (no position,
    so no line); from 3.13 a UnicodeDecodeError at the first byte."""
    try:
        data.decode("punycode")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return (f"cannot decode file as punycode: invalid byte 0x{data[error.start]:02x}", line)
    except UnicodeError:
        return ("cannot decode file as punycode: Invalid extended code point '#'", None)
    raise AssertionError("punycode decoded a Python file")


@pytest.mark.parametrize(
    "codec, expected",
    [
        ("undefined", ("cannot decode file as undefined: undefined encoding", None)),
        ("rot13", ("cannot decode file: 'rot13' is not a text encoding", None)),
        ("hex", ("cannot decode file: 'hex' is not a text encoding", None)),
        ("zlib", ("cannot decode file: 'zlib' is not a text encoding", None)),
        ("base64", ("cannot decode file: 'base64' is not a text encoding", None)),
        ("uu", ("cannot decode file: 'uu' is not a text encoding", None)),
        ("punycode", punycode_problem(b"# coding: punycode\nENABLE_X = False\nif ENABLE_X:\n    g()\n")),
        ("utf-16", ("cannot decode file as utf-16: invalid byte 0x0a", 4)),
        # ASCII text means the same in these: analysed
        ("unicode_escape", None),
        ("idna", None),
        ("utf-7", None),
    ],
)
def test_each_odd_codec_in_a_cookie(codec, expected):
    # one run per codec that is not a plain text encoding, so a regression
    # names its codec instead of depending on what the random run drew
    data = f"# coding: {codec}\nENABLE_X = False\nif ENABLE_X:\n    g()\n".encode()
    facts = extracts_cleanly_from_bytes(data)
    assert_problem(facts, expected_bytes_problem(data), data)  # agrees with Python's importer
    if expected is None:
        assert facts.problem is None and [definition.name for definition in facts.definitions] == ["ENABLE_X"]
    else:
        assert (facts.problem.message, facts.problem.line) == expected


@pytest.mark.parametrize(
    "cookie, message",
    [
        # regressions: these codecs raise a plain UnicodeError, neither
        # UnicodeDecodeError nor LookupError, and used to escape as exceptions
        ("undefined", "cannot decode file as undefined: undefined encoding"),
        ("punycode", punycode_problem(b"# coding: punycode\nx = 1\n")),
        # a codec that exists but turns bytes into bytes is not "unknown"
        ("rot13", "cannot decode file: 'rot13' is not a text encoding"),
        ("zlib", "cannot decode file: 'zlib' is not a text encoding"),
    ],
)
def test_codec_that_cannot_decode_source_is_a_problem(cookie, message):
    facts = extracts_cleanly_from_bytes(f"# coding: {cookie}\nx = 1\n".encode())
    assert facts.problem is not None
    expected = message if isinstance(message, tuple) else (message, None)
    assert (facts.problem.message, facts.problem.line) == expected
    assert facts.definitions == ()


def test_text_codec_in_a_cookie_is_analysed():
    # the control for the test above: a real text codec decodes and is analysed
    facts = extracts_cleanly_from_bytes(b"# coding: cp1252\nENABLE_X = False\n")
    assert facts.problem is None
    assert [definition.name for definition in facts.definitions] == ["ENABLE_X"]


# --------------------------------------------------------------------------- valid programs


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles what it draws
@examples(40)
@given(hypothesmith.from_grammar(auto_target=False))
def test_programs_from_the_grammar_give_facts(source):
    # hypothesmith draws only what CPython compiles: every one is analysed
    facts = extracts_cleanly_from_text(source)
    assert facts.problem is None, (source, facts.problem)


@examples(20)
@given(hypothesmith.from_node(auto_target=False))
def test_programs_from_libcst_nodes_give_facts(source):
    facts = extracts_cleanly_from_text(source)
    assert facts.problem is None, (source, facts.problem)  # libcst built it, so libcst parses it


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # hypothesmith compiles what it draws
@examples(8)
@given(hypothesmith.from_node(auto_target=False), hypothesmith.from_grammar())
def test_valid_programs_through_every_stage(first, second):
    findings = everything({"first.py": first, "second.py": second})
    assert set(fl000_paths(findings)) <= {"second.py"}  # from_node programs always parse


# --------------------------------------------------------------------------- flag idioms

FLAGS = ("ENABLE_A", "ENABLE_B", "OLD", "NEW", "MASK")
flag = st.sampled_from(FLAGS)
member = st.sampled_from(("Perm.READ", "Perm.WRITE", "Perm.ALL", "self.ENABLE_A", "cls.OLD"))
ref = st.one_of(flag, flag.map("m0.{}".format), flag.map("m1.{}".format), member)
env_key = st.sampled_from(("K", "FEATURE_X", "", "a b"))
sdk_key = st.sampled_from(("'k'", "'new-ui'", "KEY", "f'x-{y}'", "m0.OLD"))

bits = st.one_of(
    st.integers(-2, 70).map("1 << {}".format),
    st.integers(-(2**70), 2**70).map(hex),
    st.sampled_from(
        ("2 ** 64", "-1", "~0", "0", "1 << 1 << 2", "(1 << 3) | (1 << 4)", "1 << 10000", "0b101", "1.5", "'x'")
    ),
)
env_reads = st.sampled_from(
    (
        "os.getenv('{k}') == '1'",
        "os.environ.get('{k}', 'false').lower() in ('1', 'true')",
        "'{k}' in os.environ",
        "bool(int(os.getenv('{k}', '0')))",
        "os.environ['{k}'] == 'on'",
        "os.getenv('{k}', DEFAULT)",
    )
).flatmap(lambda template: env_key.map(lambda key: template.format(k=key)))
sdk_reads = st.sampled_from(
    (
        "client.variation({k}, ctx, False)",
        "client.bool_variation({k}, ctx, True)",
        "ldclient.get().variation({k}, ctx, False)",
        "gb.is_on({k})",
        "gb.is_off({k})",
        "flag_is_active(request, {k})",
        "waffle.switch_is_active({k})",
        "api.get_client().get_boolean_value({k}, False)",
        "unleash.is_enabled({k})",
    )
).flatmap(lambda template: sdk_key.map(lambda key: template.format(k=key)))
values = st.one_of(
    st.sampled_from(("True", "False", "None", "0", "1", "'on'", "auto()", "DEFAULT", "object()")),
    bits,
    ref,
    st.tuples(ref, ref).map(" | ".join),
    st.tuples(ref, ref).map(" & ".join),
    ref.map("~{}".format),
    ref.map("{}.value".format),
    env_reads,
    sdk_reads,
)
conditions = st.one_of(
    ref,
    ref.map("not {}".format),
    ref.map("x & {}".format),
    ref.map("order.flags & {} != 0".format),
    ref.map("({0} & order.flags) == {0}".format),
    ref.map("bool(order.flags & {})".format),
    ref.map("not (order.flags & {} == 0)".format),
    ref.map("{} in perms".format),
    ref.map("x is {}".format),
    ref.map("{} == 1".format),
    st.tuples(ref, ref).map(" and ".join),
    st.tuples(ref, ref).map(" or not ".join),
    env_reads,
    sdk_reads,
    sdk_reads.map("not {}".format),
)
suppressions = st.sampled_from(
    (
        "",
        "",
        "  # flaglint: ignore[FL001]",
        "  # noqa: FL002",
        "  # noqa",
        "  # flaglint: ignore[",
        "  # flaglint: ignore[FL9]",
    )
)

#: the Knight pattern and plain dormant flags, so FL001-FL005 have something to find
canonical_definitions = st.sampled_from(
    (
        "OLD = 0x20",
        "NEW = 1 << 5",
        "ENABLE_A = False",
        "ENABLE_B = os.getenv('K') == '1'",
        "MASK = OLD | NEW",
        "UNUSED = False",
    )
)

simple_statements = st.one_of(
    st.sampled_from(("pass", "g()", "f0()", "f1(order)", "return", "return 1", "break", "del OLD", "...")),
    canonical_definitions,
    canonical_definitions,
    st.tuples(flag, values, suppressions).map(lambda t: f"{t[0]} = {t[1]}{t[2]}"),
    st.tuples(flag, values).map("{0[0]}: bool = {0[1]}".format),
    st.tuples(flag, values).map("{0[0]} = {0[0]} = {0[1]}".format),
    st.tuples(flag, flag).map("{0[0]}, {0[1]} = True, False".format),
    flag.map("global {0}\n{0} = True".format),
    flag.map("nonlocal {}".format),
    ref.map("order.flags |= {}".format),
    st.tuples(ref, ref).map("order.flags = {0[0]} | {0[1]}".format),
    ref.map("order.flags &= ~{}".format),
    ref.map("return Order(flags={})".format),
    ref.map("setattr(settings, '{}', True)".format),
    flag.map("settings.{} = True".format),
    flag.map("self.{} = True".format),
    env_key.map("os.environ['{}'] = '1'".format),
    env_key.map("os.environ.setdefault('{}', '1')".format),
    conditions.map("y = a if {} else b".format),
    conditions.map("assert {}".format),
    conditions.map("z = [v for v in items if {}]".format),
    conditions.map("w = lambda: {}".format),
    st.sampled_from(("import os", "from enum import Flag, IntFlag, auto", "import ldclient\nclient = ldclient.get()")),
    st.sampled_from(
        (
            "from m0 import *",
            "from m1 import OLD as NEW",
            "from . import m0",
            "from .m1 import ENABLE_A",
            "import m0 as m1",
        )
    ),
    st.sampled_from(
        ("from growthbook import GrowthBook\ngb = GrowthBook()", "from waffle import flag_is_active", "import waffle")
    ),
).map(lambda text: text.split("\n"))


def _indent(lines: List[str]) -> List[str]:
    return ["    " + line for line in lines]


def _flatten(statements: List[List[str]]) -> List[str]:
    return [line for statement in statements for line in statement]


def _compound(bodies: st.SearchStrategy) -> st.SearchStrategy:
    """Compound statements around blocks drawn from ``bodies``."""
    names = st.sampled_from(("f0", "f1", "route", "mark"))
    classes = st.sampled_from(("Perm(IntFlag)", "Perm(Flag)", "Perm(enum.IntFlag)", "Config", "Order(Base)"))
    return st.one_of(
        st.builds(lambda c, s, body: [f"if {c}:{s}", *_indent(body)], conditions, suppressions, bodies),
        st.builds(lambda c, a, b: [f"if {c}:", *_indent(a), "else:", *_indent(b)], conditions, bodies, bodies),
        st.builds(
            lambda c, d, a, b: [f"if {c}:", *_indent(a), f"elif {d}:", *_indent(b)],
            conditions,
            conditions,
            bodies,
            bodies,
        ),
        st.builds(lambda c, body: [f"while {c}:", *_indent(body)], conditions, bodies),
        st.builds(lambda n, body: [f"def {n}(x=None, order=None, perms=()):", *_indent(body)], names, bodies),
        st.builds(lambda n, body: ["@property", f"def {n}(self):", *_indent(body)], names, bodies),
        st.builds(lambda n, body: [f"class {n}:", *_indent(body)], classes, bodies),
        st.builds(lambda a, b: ["try:", *_indent(a), "except ImportError:", *_indent(b)], bodies, bodies),
        st.builds(lambda c, body: [f"with ctx({c}):", *_indent(body)], conditions, bodies),
        st.builds(lambda c, body: [f"match {c}:", "    case True:", *_indent(_indent(body))], conditions, bodies),
    )


statements = st.recursive(
    simple_statements,
    lambda inner: _compound(st.lists(inner, min_size=1, max_size=3).map(_flatten)),
    max_leaves=8,
)
imports = st.lists(
    st.sampled_from(
        (
            "import os",
            "from enum import Flag, IntFlag, auto",
            "import ldclient\nclient = ldclient.get()",
            "from m0 import *",
            "from m1 import OLD as NEW",
            "from . import m0",
            "from m0 import ENABLE_A, OLD",
            "import m1",
        )
    ),
    max_size=3,
    unique=True,
)
definitions = st.lists(
    st.one_of(canonical_definitions, st.tuples(flag, values).map(" = ".join)), min_size=1, max_size=4
)
#: a module reads like one: imports, module-level flag definitions, then code
modules = st.tuples(imports, definitions, st.lists(statements, min_size=1, max_size=4)).map(
    lambda parts: "\n".join([*parts[0], *parts[1], *_flatten(parts[2])]) + "\n"
)
env_files = st.lists(
    st.sampled_from(("K=1", "FEATURE_X=true", "export K=0", "=", "K", "# c", "K='unterminated")), max_size=3
)


#: small files each rule reports on (Knight's reused bit, a dormant flag, an
#: IntFlag alias, an unused flag, a keyed flag); random modules around them
#: import, set, read and shadow the same names
SEEDS = {
    "legacy.py": "OLD = 0x20\n\ndef route(order):\n    if order.flags & OLD:\n        peg(order)\n",
    "proto.py": "NEW = 1 << 5\n\ndef mark(order):\n    order.flags |= NEW\n",
    "dormant.py": "ENABLE_A = False\n\ndef f():\n    if ENABLE_A:\n        g()\n",
    "perm.py": "from enum import IntFlag\n\nclass Perm(IntFlag):\n    READ = 1\n    WRITE = 2\n    ALL = 2\n",
    "unused.py": "UNUSED = False\n",
    "keyed.py": "import os\nUSE_X = os.getenv('K') == '1'\nif USE_X:\n    g()\n",
}


configs = st.sampled_from(
    (
        'flag-sources = ["flags.flagd.json"]\n',
        'flag-sources = ["flags.flagd.json"]\nexternal-flags = ["ENABLE_B", "m0.OLD"]\n',
        'flag-sources = ["flags.flagd.json"]\nsources-complete = ["openfeature"]\n',
        'flag-sources = ["flags.flagd.json"]\nflag-apis = [{ name = "corp.is_on", provider = "launchdarkly" }]\n',
    )
)
_FLAGD = '{"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "%s"}'
flag_files = st.one_of(
    st.lists(
        st.tuples(st.sampled_from(("k", "new-ui", "K", "x-1", "")), st.sampled_from(("on", "off", "nope"))), max_size=3
    ).map(lambda flags: '{"flags": {%s}}' % ", ".join(f'"{key}": {_FLAGD % variant}' for key, variant in flags)),
    st.sampled_from(
        (
            "",
            '{"flags": ',
            '{"flags": [1, 2]}',
            '{"flags": {"k": null}}',
            '{"flagValues": {"k": true, "new-ui": "x"}}',
            '{"flags": {"k": {"variants": {}, "defaultVariant": "missing"}}}',
            "[]",
            "flagValues:\n  k: true\n",
        )
    ),
)


@st.composite
def flag_projects(draw) -> Dict[str, str]:
    """Seed files and random modules that import each other, maybe a
    package, maybe a .env."""
    files = {name: SEEDS[name] for name in draw(st.lists(st.sampled_from(sorted(SEEDS)), max_size=4, unique=True))}
    files["m0.py"] = draw(modules)
    files["m1.py"] = draw(modules)
    if draw(st.booleans()):
        files["pkg/__init__.py"] = draw(modules)
        files["pkg/m1.py"] = draw(modules)
    if draw(st.booleans()):
        files[".env"] = "\n".join(draw(env_files)) + "\n"
    if draw(st.booleans()):
        files["flaglint.toml"] = draw(configs)
        files["flags.flagd.json"] = draw(flag_files)
    return files


# --------------------------------------------------------------------------- flag sources

#: where flaglint looks for what the environment sets, and what it reads there
SOURCE_NAMES = (
    ".env",
    ".env.production",
    "docker-compose.yml",
    "compose.yaml",
    "Dockerfile",
    "deploy/app.yaml",
    "kustomization.yaml",
    ".gitlab-ci.yml",
    ".github/workflows/ci.yml",
    "settings.py",
    "flags.flagd.json",
)
yaml_scalars = st.one_of(
    st.sampled_from(
        ("K", "FEATURE_X", "'1'", "true", "null", "[]", "{}", '"a\\0b"', "loop", "../../etc/passwd", "~", "- x")
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12).map(json.dumps),
)
source_templates = st.sampled_from(
    (
        "services:\n  web:\n    env_file: {0}\n    environment:\n      {1}: {0}\n",
        "services:\n  web:\n    environment:\n      - {1}={0}\n",
        "services: {0}\n",
        "FROM python\nENV {1}={0}\nARG {1}\nENV {1} {0}\n",
        "apiVersion: v1\nkind: ConfigMap\ndata:\n  {1}: {0}\n",
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
        "        - env:\n            - name: {1}\n              value: {0}\n          envFrom: {0}\n",
        "configMapGenerator:\n  - name: x\n    envs: [{0}]\n    literals: [{1}={0}]\n",
        "variables:\n  {1}: {0}\njob:\n  variables: {0}\n",
        "jobs:\n  t:\n    env:\n      {1}: {0}\n    steps: {0}\n",
        "{1}={0}\nexport {1}={0}\n{0}\n",
        "FLAGS = {{{0}: True}}\nWAFFLE_SWITCHES = {0}\n",
        '{{"flags": {{"k": {0}}}, "flagValues": {0}}}',
    )
)


@st.composite
def source_projects(draw) -> Dict[str, str]:
    """A project whose flag sources (compose, Dockerfile, Kubernetes, CI,
    .env, Django settings, flagd) hold odd values and odd file names."""
    files = {"app.py": SEEDS["keyed.py"], "flaglint.toml": 'flag-sources = ["flags.flagd.json"]\n'}
    for name in draw(st.lists(st.sampled_from(SOURCE_NAMES), min_size=1, max_size=4, unique=True)):
        template = draw(source_templates)
        files[name] = template.format(draw(yaml_scalars), draw(st.sampled_from(("K", "FEATURE_X", "", "{", "a b"))))
    return files


@examples(40)
@given(source_projects())
def test_flag_sources_with_odd_content_through_every_stage(files):
    everything(files)


@examples(30)
@given(flag_projects())
def test_flag_idioms_through_every_stage(files):
    findings = everything(files)
    broken = sorted(name for name, source in files.items() if name.endswith(".py") and not parses(source))
    assert [path for path in fl000_paths(findings) if path.endswith(".py")] == broken  # what parses is analysed


@pytest.mark.parametrize("code", ["FL000", "FL001", "FL002", "FL003", "FL005"])
def test_flag_idioms_reach_the_rule(code):
    # the strategy is worth running only if the rules find something in what
    # it draws: a quick search for one project each rule reports on
    def reported(files) -> bool:
        return any(finding.code == code for finding in everything(files))

    # a search, not a property: never thinned below 100 (FLAGLINT_PROPERTY_EXAMPLES);
    # stops at the first project found. 30 was too few for FL005 on 3.9's
    # derandomized draws once registrars made it more careful
    search = settings(examples(100), max_examples=max(100, round(100 * SCALE)), phases=[Phase.generate])
    find(flag_projects(), reported, settings=search)  # raises if none


@examples(8)
@given(flag_projects())
def test_results_are_deterministic(files):
    everything(files, twice=True)


@examples(15)
@given(flag_projects(), st.data())
def test_truncated_files(files, data):
    name = data.draw(st.sampled_from(sorted(name for name in files if name.endswith(".py"))))
    encoded = files[name].encode("utf-8")
    cut = data.draw(st.integers(0, len(encoded)))
    truncated = dict(files, **{name: encoded[:cut]})
    findings = everything(truncated)
    if not parses(encoded[:cut]):
        assert name in fl000_paths(findings)


@examples(15)
@given(hypothesmith.from_node(auto_target=False), st.data())
def test_truncated_valid_programs(source, data):
    encoded = source.encode("utf-8")
    cut = data.draw(st.integers(0, len(encoded)))
    facts = extracts_cleanly_from_bytes(encoded[:cut])
    if not parses(encoded[:cut]):
        assert facts.problem is not None


# --------------------------------------------------------------------------- pathological shapes
# libcst's time grows much faster than linearly with nesting depth: a 4,000-term
# ``|`` chain took ~10 s and 4,000 subscripts minutes before flaglint.extract.depth
# sent such files to CPython's parser to be measured first.

CHAINS = {
    "bit-or chain": lambda n: "x = " + " | ".join(f"a{i}" for i in range(n)) + "\n",
    "subscripts": lambda n: "x = a" + "[0]" * n + "\n",
    "attributes": lambda n: "x = a" + ".b" * n + "\n",
    "calls": lambda n: "x = f" + "()" * n + "\n",
    "unary minus": lambda n: "x = " + "-" * n + "1\n",
    "not": lambda n: "x = " + "not " * n + "a\n",
    "lambdas": lambda n: "x = " + "lambda: " * n + "1\n",
    "conditional expressions": lambda n: "x = " + " if b else ".join(["a"] * n) + "\n",
    "and": lambda n: "x = " + " and ".join(["a"] * n) + "\n",
    "elif ladder": lambda n: "if a:\n    pass\n" + "elif a:\n    pass\n" * n,
    "multi-line chain in brackets": lambda n: "x = (\n" + " |\n".join(f"    a{i}" for i in range(n)) + "\n)\n",
}


@pytest.mark.parametrize("shape", CHAINS.values(), ids=CHAINS.keys())
def test_pathologically_deep_chain_is_fl000_not_a_hang(shape):
    facts = extracts_cleanly_from_text("ENABLE_X = False\n" + shape(5000))
    assert facts.problem is not None
    assert facts.problem.message.startswith("too deeply nested to ")
    assert facts.definitions == ()


def test_deep_chain_is_reported_at_its_line(lint):
    findings = lint(
        {"gen.py": "import os\nMASK = " + " | ".join(f"B{i}" for i in range(3000)) + "\n", "app.py": "x = 1\n"}
    )
    # CPython 3.12 cannot build a 3,003-level tree itself (near 2,000 it
    # stops), so it reports the chain's line without a count
    counted = f"too deeply nested to analyse: 3003 levels (the limit is {DEPTH_LIMIT})"
    uncounted = f"too deeply nested to analyse: more levels than Python can count (the limit is {DEPTH_LIMIT})"
    assert [(f.code, f.path, f.line, f.message) for f in findings] == [
        ("FL000", "gen.py", 2, uncounted if sys.version_info[:2] == (3, 12) else counted)
    ]


def test_the_depth_limit_is_exact():
    # an elif ladder of n branches is n + 4 levels deep; the deepest node is
    # the last branch's body. The limit is 1,000 but on CPython 3.12 (400: its
    # C recursion cap, see flaglint/extract/depth.py)
    assert DEPTH_LIMIT == (400 if sys.version_info[:2] == (3, 12) else 1000)
    deepest = DEPTH_LIMIT - 4
    assert extract_source("if a:\n    pass\n" + "elif a:\n    pass\n" * deepest, "input.py").problem is None
    problem = extracts_cleanly_from_text("if a:\n    pass\n" + "elif a:\n    pass\n" * (deepest + 1)).problem
    message = f"too deeply nested to analyse: {DEPTH_LIMIT + 1} levels (the limit is {DEPTH_LIMIT})"
    assert (problem.message, problem.line) == (message, 2 * deepest + 4)


@pytest.mark.parametrize(
    "source",
    [
        "if a:\n    pass\n" + "elif a:\n    pass\n" * (DEPTH_LIMIT - 4),
        "x = " + " | ".join(f"B{i}" for i in range(DEPTH_LIMIT - 3)) + "\n",
        "x = a" + "[0]" * (DEPTH_LIMIT - 4) + "\n",
        "x = " + "lambda a=" * (DEPTH_LIMIT // 2 - 2) + "1" + ": a" * (DEPTH_LIMIT // 2 - 2) + "\n",
        "x = " + "[" * 99 + " | ".join(f"B{i}" for i in range(DEPTH_LIMIT - 105)) + "]" * 99 + "\n",
        "".join("    " * i + "if a:\n" for i in range(90)) + "    " * 90 + "x = a" + "[0]" * (DEPTH_LIMIT - 95) + "\n",
    ],
    ids=["elif ladder", "| chain", "subscripts", "lambda defaults", "brackets and a chain", "indents and subscripts"],
)
def test_every_shape_just_inside_the_depth_limit_is_analysed(source):
    # regression: on CPython 3.12 (C recursion capped at 1,500) libcst's code
    # generation ran out at about 740 levels, and the RecursionError came out
    # as "internal error: KeyError" from extract/positions.py
    assert extract_source(source, "input.py").problem is None


@pytest.mark.parametrize(
    "source",
    [
        # long but shallow: real generated code (pip's idna table chains ~80 terms)
        "MASK = " + " | ".join(f"B{i}" for i in range(200)) + "\nif MASK:\n    g()\n",
        # more chain marks than the cheap count lets through, but flat: CPython measures it
        "TABLE = [" + ", ".join(f"-{i}.5" for i in range(2000)) + "]\nif TABLE:\n    g()\n",
        "NAMES = (\n" + "".join(f"    'a.b.c{i}',\n" for i in range(2000)) + ")\nif NAMES:\n    g()\n",
    ],
    ids=["200-term chain", "flat list of negative floats", "strings full of dots"],
)
def test_long_but_shallow_code_is_analysed(source):
    facts = extracts_cleanly_from_text(source)
    assert facts.problem is None
    assert len(facts.definitions) == 1 and len(facts.reads) == 1


def test_extraction_leaves_the_recursion_limit_alone():
    # regression: the big-stack thread raised the interpreter-wide limit to
    # 200,000 for good, so a library user's runaway recursion on an 8 MiB main
    # stack crashed the process instead of raising RecursionError
    before = sys.getrecursionlimit()
    facts = extracts_cleanly_from_text("x = f" + "(a" * 95 + ")" * 95 + "\nENABLE_X = False\n")
    assert facts.problem is None and "ENABLE_X" in [definition.name for definition in facts.definitions]
    assert sys.getrecursionlimit() == before


# --------------------------------------------------------------------------- the corpus script


def _corpus_check():
    path = Path(__file__).resolve().parent.parent / "scripts" / "corpus_check.py"
    spec = importlib.util.spec_from_file_location("corpus_check", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("corpus_check", module)  # its dataclasses look their module up
    spec.loader.exec_module(sys.modules["corpus_check"])
    return sys.modules["corpus_check"]


def test_corpus_check_counts_a_clean_run(tmp_path, capsys):
    write_tree(tmp_path, {"app.py": "ENABLE_X = False\nif ENABLE_X:\n    g()\n", "bad.py": "x = (\n"})
    assert _corpus_check().main(["--corpus", f"tiny={tmp_path}", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "   files: 2, skipped: 0\n   FL000: 1\n" in out
    assert '   findings per rule: {"FL000": 1, "FL001": 1, "FL002": 1}\n' in out
    assert "   internal errors (tracebacks, crashes, bad exits): 0\n" in out
    assert out.endswith("internal errors in all corpora: 0\n")


@pytest.mark.skipif(os.name != "posix", reason="fakes the interpreter with a shell script")
def test_corpus_check_fails_on_a_traceback(tmp_path, capsys):
    crashing = tmp_path / "python"
    crashing.write_text("#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho 'KeyError: boom' >&2\nexit 1\n")
    crashing.chmod(0o755)
    write_tree(tmp_path, {"tree/app.py": "x = 1\n"})
    assert _corpus_check().main(["--corpus", f"tiny={tmp_path / 'tree'}", "--python", str(crashing)]) == 1
    out = capsys.readouterr().out
    assert "   ! check: traceback:\n     Traceback (most recent call last):\n     KeyError: boom\n" in out
    # traceback and no JSON for each command; exit 1 is wrong for audit and graph only
    assert "   internal errors (tracebacks, crashes, bad exits): 8\n" in out
    assert out.endswith("internal errors in all corpora: 8\n")
