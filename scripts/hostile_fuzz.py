"""Fuzz flaglint's commands with random hostile repositories.

Why: every hostile input tried by hand (about forty shapes, see docs/ci.md
"Untrusted repositories") gave exit 1 or 2, yet a reviewer once saw
``--format json`` exit 3. Hand-picked inputs only find what their author
thought of; this harness builds random trees from many small hostile parts
(configuration fields of every wrong type, flag files of the wrong shape,
odd encodings and line endings, baselines and ledgers that are not what they
claim, paths that do not exist) and runs every command and format on them.

A case fails when:

* the exit code is not 0, 1 or 2 (3 is flaglint's "internal error");
* stderr or stdout holds a Python traceback;
* a ``json`` / ``sarif`` run's stdout is not exactly one JSON document
  (when it exits 0 or 1: a usage error, exit 2, prints nothing there);
* a command runs past the time limit.

Everything is drawn from ``random.Random(seed)``, so a case is reproduced by
its seed::

    python scripts/hostile_fuzz.py --cases 500 --seed 1     # a run
    python scripts/hostile_fuzz.py --only 1:137 --keep /tmp/case  # one case, tree kept

Commands run in this process through click's test runner (fast: no import
per command); ``--subprocess`` runs ``python -P -m flaglint`` instead, as CI
would. Uses the standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Sequence, Tuple

#: formats whose stdout must be exactly one JSON document
JSON_FORMATS = ("json", "sarif")
ALLOWED = (0, 1, 2)

# --- values: every TOML type, and the odd values of each --------------------

_STRINGS = [
    "",
    " ",
    "FL",
    "FL001",
    "FL9",
    "fl001",
    "FL0001",
    "X",
    ".",
    "..",
    "/",
    "../../etc/passwd",
    "/dev/zero",
    "fifo",
    "sub",
    "sub/",
    "*",
    "**",
    "**/",
    "!",
    "!*.py",
    "\\",
    "[",
    "[!",
    "a\\",
    "*.py",
    "/app.py",
    "app.py",
    "sub/**/x.py",
    "\u00e9t\u00e9",
    "a\tb",
    "a\nb",
    "x" * 5000,
    "corp.is_enabled",
    "corp..x",
    ".corp",
    "is_on",
    "flags.json",
    "flags.json:X",
    "reg.py:DEFAULTS",
    "reg.py:",
    ":DEFAULTS",
    "reg.py:1x",
    "sub:X",
    "fifo:X",
    "missing.py:X",
    "launchdarkly",
    "env",
    "app",
    "pkg.config.DEFAULTS",
    "\u202e",
    "\x7f",
    "n" * 300,  # a name over NAME_MAX (255): ENAMETOOLONG
    "a/" * 2100 + "f",  # a path over PATH_MAX (4096)
]
_INTS = [0, -1, 1, 2, 3, 10**18, -(10**18), 9223372036854775807, 400000]
_FLOATS = [0.0, -1.5, 1.5, 1e308, float("inf"), float("nan")]


def _toml_string(rng: random.Random, value: str) -> str:
    # TOML basic strings take JSON's escapes, except \/ (never emitted) and
    # lone surrogates (invalid TOML either way: a useful case too)
    if rng.random() < 0.1:
        return "'" + value.replace("'", "").replace("\n", "") + "'"
    return json.dumps(value)


def toml_value(rng: random.Random, depth: int = 0) -> str:
    """A random TOML value, of any type."""
    kind = rng.choice(["str", "str", "int", "float", "bool", "list", "list", "table", "datetime"])
    if depth > 2 and kind in ("list", "table"):
        kind = "str"
    if kind == "str":
        return _toml_string(rng, rng.choice(_STRINGS))
    if kind == "int":
        return str(rng.choice(_INTS))
    if kind == "float":
        value = rng.choice(_FLOATS)
        return {float("inf"): "inf", float("nan"): "nan"}.get(value, repr(value)) if value == value else "nan"
    if kind == "bool":
        return rng.choice(["true", "false"])
    if kind == "datetime":
        return rng.choice(["1979-05-27T07:32:00Z", "1979-05-27", "07:32:00"])
    if kind == "list":
        return "[" + ", ".join(toml_value(rng, depth + 1) for _ in range(rng.choice([0, 1, 1, 2, 3]))) + "]"
    return "{" + ", ".join(f"{_key(rng)} = {toml_value(rng, depth + 1)}" for _ in range(rng.choice([0, 1, 2]))) + "}"


def _key(rng: random.Random) -> str:
    return rng.choice(["name", "method", "key", "keyword", "provider", "default", "source", "x", '"a b"', '""'])


#: values each list field mostly takes: valid enough to get past the
#: configuration check, hostile enough to matter afterwards
_FIELD_STRINGS = {
    "select": ["FL", "FL0", "FL00", "FL001", "FL002", "FL003", "FL007"],
    "ignore": ["FL", "FL0", "FL000", "FL001", "FL006"],
    "src": [".", "sub", "pkg", "k8s", "sub/", "./pkg", "pkg/../sub"],
    "flag-sources": [
        "flags.json",
        "flagd.json",
        "unleash.json",
        "flags.yaml",
        "flags.toml",
        ".env",
        "sub",
        "fifo",
        "missing.json",
        "zero.py",
        "/dev/zero",
        "../x.json",
        "app.py",
        "flaglint.lock",
        "baseline.json",
    ],
    "include": ["*.py", "app.py", "sub/", "**/*.py", "!app.py", "/pkg", "[", "\\", "#x", "x/**/"],
    "exclude": ["*.py", "sub/", "!app.py", "/pkg", "**", "tests/", "*", "!*", "migrations/**", "\\!x"],
}

_APIS = ["corp.is_enabled", "corp.flags.is_on", "is_on", "variation", "app.enabled", "x"]
_REGISTRY_SOURCES = [
    "reg.py:DEFAULTS",
    "mod.py:DEFAULTS",
    "app.py:FLAG",
    "pkg/__init__.py:DEFAULTS",
    "fifo:X",
    "zero.py:X",
    "sub:X",
    "reg.py:NOPE",
    "settings.py:DEFAULTS",
]

_FIELDS = [
    "include",
    "exclude",
    "select",
    "ignore",
    "per-file-ignores",
    "flag-sources",
    "flag-apis",
    "external-flags",
    "sources-complete",
    "src",
    "max-file-tokens",
    "analyse-generated",
    "unknown-key",
]


def field_value(rng: random.Random, name: str, wild: float) -> str:
    """Mostly values of the field's own type (so the check goes deeper than
    the type test), any type at all with probability ``wild``."""
    if rng.random() < wild:
        return toml_value(rng)
    if name in ("include", "exclude", "select", "ignore", "flag-sources", "external-flags", "src"):
        many = rng.random() < 0.05
        count = rng.randint(500, 3000) if many else rng.choice([0, 1, 2, 3])
        pool = _FIELD_STRINGS.get(name, _STRINGS) if rng.random() < 0.8 else _STRINGS
        return "[" + ", ".join(_toml_string(rng, rng.choice(pool)) for _ in range(count)) + "]"
    if name == "per-file-ignores":
        items = [
            f"{_toml_string(rng, rng.choice(_STRINGS + _FIELD_STRINGS['exclude']))} = "
            + (toml_value(rng, 2) if rng.random() < wild else json.dumps(rng.sample(_FIELD_STRINGS["ignore"], 2)))
            for _ in range(rng.randint(0, 3))
        ]
        return "{" + ", ".join(items) + "}"
    if name == "flag-apis":
        entries = []
        for _ in range(rng.randint(0, 3)):
            if rng.random() < 0.3:
                entries.append(_toml_string(rng, rng.choice(_APIS + _STRINGS[:5])))
                continue
            keys = rng.sample(["key", "keyword", "provider", "default", "source"], rng.randint(0, 3))
            if rng.random() < 0.9:
                keys.append(rng.choice(["name", "method"]))
            parts = []
            for key in keys:
                if key == "key" and rng.random() < 0.6:
                    parts.append(f"key = {rng.choice(_INTS)}")
                elif key == "default" and rng.random() < 0.6:
                    parts.append(f"default = {rng.choice(['true', 'false'])}")
                elif key in ("name", "method") and rng.random() < 0.8:
                    parts.append(f"{key} = {_toml_string(rng, rng.choice(_APIS))}")
                elif key == "source" and rng.random() < 0.7:
                    parts.append(f"{key} = {_toml_string(rng, rng.choice(_REGISTRY_SOURCES))}")
                elif rng.random() > wild:
                    parts.append(f"{key} = {_toml_string(rng, rng.choice(_STRINGS))}")
                else:
                    parts.append(f"{key} = {toml_value(rng, 2)}")
            entries.append("{" + ", ".join(parts) + "}")
        return "[" + ", ".join(entries) + "]"
    if name == "sources-complete":
        return rng.choice(["true", "false", '["env"]', '["launchdarkly", "pkg.config.DEFAULTS"]', '["app"]', "[]"])
    if name == "max-file-tokens":
        return str(rng.choice(_INTS + [5, 50]))
    if name == "analyse-generated":
        return rng.choice(["true", "false", '"yes"', "1"])
    return toml_value(rng)


def config_text(rng: random.Random, pyproject: bool) -> bytes:
    lines = ["[project]", 'name = "x"', "[tool.flaglint]"] if pyproject else []
    wild = rng.choice([0.0, 0.0, 0.05, 0.3])
    for name in rng.sample(_FIELDS, rng.randint(0, 5)):
        if name == "unknown-key" and rng.random() < 0.9:
            continue
        lines.append(f"{name} = {field_value(rng, name, wild)}")
    if rng.random() < 0.05:
        lines.append(rng.choice(["[tool.flaglint.per-file-ignores]", "[[tool.flaglint.flag-apis]]", "[tool]"]))
        lines.append(f"{_key(rng)} = {toml_value(rng)}")
    text = "\n".join(lines) + "\n"
    data = text.encode("utf-8", "surrogatepass")
    return _mangle(rng, data, 0.3)


def _mangle(rng: random.Random, data: bytes, odds: float = 1.0) -> bytes:
    """Sometimes: a BOM, CRLF or CR line ends, an undecodable byte, a NUL."""
    roll = rng.random() / odds
    if roll < 0.05:
        return b"\xef\xbb\xbf" + data
    if roll < 0.10:
        return data.replace(b"\n", b"\r\n")
    if roll < 0.13:
        return data.replace(b"\n", b"\r")
    if roll < 0.16:
        return data + b"\xff\xfe"
    if roll < 0.18:
        return data.replace(b"\n", b"\0\n", 1)
    if roll < 0.20:
        return data.encode("utf-16") if isinstance(data, str) else data.decode("utf-8", "replace").encode("utf-16")
    return data


# --- Python files --------------------------------------------------------------

_SNIPPETS = [
    "FLAG = False\nif FLAG:\n    print('dead')\n",
    "import os\nif os.environ.get('MY_FLAG'):\n    print(1)\n",
    "import os\nif os.getenv('X', '') == 'on':\n    pass\n",
    "import os\nos.environ['MY_FLAG'] = '1'\n",
    "import os\nos.environ[name] = v\n",
    "from enum import IntFlag\nclass F(IntFlag):\n    A = 1\n    B = 2\n    C = 1\n",
    "A = 1 << 3\nB = 1 << 3\ndef f(x):\n    if x & A:\n        return 1\n",
    "import ldclient\nc = ldclient.get()\nif c.variation('new-ui', u, False):\n    pass\n",
    "import corp\nif corp.is_enabled('k'):\n    pass\nif corp.is_enabled(0):\n    pass\n",
    "from corp import flags\nif flags.is_on(key='x'):\n    pass\n",
    "DEFAULTS = {'a': True, 'b': False}\n",
    "DEFAULTS = {1: True}\n",
    "DEFAULTS = [1]\n",
    "settings = object()\nif settings.FEATURE_X:\n    pass\n",
    "def __getattr__(name):\n    return False\n",
    "if FLAG:  # flaglint: ignore[FL001]\n    pass\n",
    "if FLAG:  # flaglint: ignore[]\n    pass\n",
    "if FLAG:  # flaglint: ignore[FL99999999999999999999]\n    pass\n",
    "if FLAG:  # flaglint: ignore[FL001\n    pass\n",
    "if FLAG:  # noqa: FL001,,FL\n    pass\n",
    "if FLAG:  # noqa:\n    pass\n",
    "if FLAG:  # NOQA : fl001 ::error::x\n    pass\n",
    "# flaglint: ignore-file\n",
    "# flaglint: skip\n",
    "# @generated\nX = 1\n",
    "# DO NOT EDIT\nFLAG = False\nif FLAG:\n    pass\n",
    "",
    "# only a comment",
    "\n\n\n",
    "\f\nFLAG = 0\n\fif FLAG:\n\tpass\n",
    "\u00e9l\u00e9ment = False\nif \u00e9l\u00e9ment:\n    pass\n",
    "\uff26LAG = False\nif FLAG:\n    pass\n",
    "x = '" + "a" * 100000 + "'\n",
    "x = (" + "1+" * 3000 + "1)\n",
    "if a:\n    pass\n" + "elif a:\n    pass\n" * 300,
    "def f(\n",
    "x = '\udcff'\n",
    "match x:\n    case 1 if FLAG:\n        pass\n",
    "async def f():\n    async with a as b:\n        if FLAG:\n            yield\n",
    "FLAGS = {'a': True}\nif FLAGS['a']:\n    pass\nif FLAGS.get('b'):\n    pass\n",
    "import os\nk = 'A' + 'B'\nos.environ.get(k)\nos.environ.get('P_' + k)\n",
    "from . import x\nfrom .. import y\nfrom .x import *\n",
    "import flaglint\nimport app\n",
    "print 'py2'\n",
    "x = 1\n\x00\n",
    "lambda: (" * 50 + "1" + ")" * 50 + "\n",
    "class C:\n    FLAG = False\n    def f(self):\n        if self.FLAG:\n            pass\n",
    "global_flag = False\ndef on():\n    global global_flag\n    global_flag = True\n",
    "import os\nos.environ.setdefault('MY_FLAG', 1)\nos.environ.update({'A': '1', **x})\nos.environ.pop('B')\n",
    "import os\nos.environ.update(A='1')\nos.environ |= {'C': '1'}\ndel os.environ['MY_FLAG']\n",
    "import os\nif (v := os.environ.get('W')):\n    pass\nif os.environ['X' if a else 'Y']:\n    pass\n",
    "import os\nos.environ[f'{p}_ON'] = '1'\nos.environ['%s_X' % p] = '1'\nos.environ['A_{}'.format(p)] = 1\n",
    "from pydantic_settings import BaseSettings\nclass S(BaseSettings):\n    feature_x: bool = False\n"
    "    model_config = {'env_prefix': 1}\ns = S()\nif s.feature_x:\n    pass\n",
    "from django.conf import settings\nif getattr(settings, 'FEATURE_Y', False):\n    pass\n"
    "if getattr(settings, name):\n    pass\n",
    "FEATURES = {}\nFEATURES['a'] = True\nFEATURES[1] = False\nFEATURES[None] = 1\n",
    "import corp\n@corp.is_enabled('deco')\ndef f(*a, **k):\n    return corp.is_enabled(*a, **k)\n",
    "import corp\nif corp.is_enabled(key='k', key2=1):\n    pass\nif corp.is_enabled(f'k{x}'):\n    pass\n",
    "import corp\nis_on = corp.is_enabled\nif is_on('alias'):\n    pass\nif corp.is_enabled('a' 'b'):\n    pass\n",
    "__all__ = [1, 'x', None]\nfrom .missing import *\nfrom ...too.far import y\n",
    "from __future__ import annotations\nx: 'FLAG' = 1\ndef f(a: FLAG = FLAG) -> FLAG:\n    nonlocal_ = 1\n",
    "if True:\n    FLAG = False\nelse:\n    FLAG = True\nwhile FLAG:\n    break\nelse:\n    pass\n",
    "try:\n    from x import FLAG\nexcept ImportError:\n    FLAG = False\nif FLAG:\n    pass\n",
    "FLAG = False\nif not not not FLAG and FLAG or (FLAG if FLAG else FLAG):\n    pass\nassert FLAG\n",
    "class Flags:\n    A = 1\n    B = 1\n    C = A\nif x & Flags.A:\n    pass\nif x & Flags.B:\n    pass\n",
    "import typing\nif typing.TYPE_CHECKING:\n    import flags\nFLAG: typing.Final = False\n",
    "# -*- coding: utf-8 -*-\r\nFLAG = False\r\nif FLAG:\r\n    pass\r\n",
    "FLAG = False\nif FLAG: pass; x = 1; \\\n  y = 2\n",
    "def f():\n    FLAG = False\n    if FLAG:\n        return\n    yield\n",
    "x = f'{FLAG!r:>{width}}' f\"{'nested'}\"\n",
    "import sys\nif sys.version_info >= (3, 99):\n    pass\nif __debug__:\n    pass\n",
]


def python_bytes(rng: random.Random) -> bytes:
    text = "".join(rng.choice(_SNIPPETS) for _ in range(rng.randint(1, 3)))
    data = text.encode("utf-8", "surrogateescape" if "\udcff" not in text else "surrogatepass")
    roll = rng.random()
    if roll < 0.05:
        return b"# -*- coding: latin-1 -*-\n" + data.replace(b"\xc3\xa9", b"\xe9")
    if roll < 0.08:
        return b"# -*- coding: no-such-codec -*-\n" + data
    if roll < 0.10:
        return b"# coding: utf-16\n" + data
    return _mangle(rng, data)


# --- flag sources: right names, wrong shapes -------------------------------------

_JSON_SHAPES: List[object] = [
    [],
    None,
    1,
    "flags",
    {"flags": []},
    {"flags": None},
    {"flags": {"a": None}},
    {"flags": {"a": []}},
    {"flags": {"a": {"state": 1, "variants": [], "defaultVariant": {}}}},
    {"flags": {"a": {"state": "ENABLED", "variants": {"on": True}, "defaultVariant": "missing"}}},
    {"flags": {"a": {"state": "ENABLED", "variants": None, "defaultVariant": None}}},
    {"flags": {"1": {"on": "yes", "variations": {}, "fallthrough": []}}},
    {"flags": {"a": {"on": True, "variations": [1], "fallthrough": {"variation": 5}, "offVariation": -1}}},
    {"flags": {"a": {"on": True, "variations": [True], "fallthrough": {"variation": True}}}},
    {"flags": {"a": {"on": False, "variations": [True], "offVariation": "0"}}},
    {"flags": {"a": {"on": True, "variations": [True], "fallthrough": {"rollout": None}}}},
    {"flags": {"a": {"on": True, "variations": [True], "fallthrough": {"rollout": {"variations": [None]}}}}},
    {"flagValues": []},
    {"flagValues": {"a": float("nan"), "b": float("-inf")}},
    {"flags": {"a": {"state": "ENABLED", "variants": {"on": float("inf")}, "defaultVariant": "on"}}},
    {"flagValues": {"a": None, "b": [], "c": {}}},
    {"features": None},
    {"features": {}},
    {"features": [None, 1, "x", {}]},
    {"features": [{"name": 1, "enabled": "yes", "strategies": {}}]},
    {"features": [{"name": "a", "enabled": True, "strategies": [None, {"parameters": []}]}]},
    {"features": [{"name": "a", "strategies": [{"name": "flexibleRollout", "parameters": {"rollout": "x%"}}]}]},
    {"features": [{"name": "a", "environments": None}], "version": 4},
    {"features": [{"name": "a"}], "version": 4, "featureStrategies": None, "environments": [1]},
    {"features": [{"name": "a", "dependencies": "b"}]},
    {"version": "x", "features": []},
]


def json_source(rng: random.Random) -> bytes:
    shape = rng.choice(_JSON_SHAPES)
    text = json.dumps(shape)
    if rng.random() < 0.1:
        text = text.replace('"a"', '"a\\n::error::x\\u001b]8;;http://x\\u0007"')
    if rng.random() < 0.05:
        text = text[: len(text) // 2]
    return _mangle(rng, text.encode())


_YAML = [
    "",
    "---\n",
    "- 1\n- 2\n",
    "a: [\n",
    "flags: !!python/object:os.system\n",
    "services: []\n",
    "services:\n  web: null\n",
    "services:\n  web:\n    environment: [1, {a: b}, null]\n",
    "services:\n  web:\n    environment: {MY_FLAG: [1], 1: 2, null: x}\n",
    "services:\n  web:\n    env_file: [null, 1, /dev/zero, fifo, sub]\n",
    "services:\n  web:\n    env_file: {path: .env}\n",
    "services:\n  web:\n    env_file: [" + "n" * 300 + "]\n",
    "configMapGenerator:\n- envs: [" + "a/" * 2100 + "e]\n",
    "apiVersion: v1\nkind: ConfigMap\ndata: [1]\n",
    "apiVersion: v1\nkind: ConfigMap\ndata:\n  MY_FLAG: {a: 1}\n  1: 2\n",
    "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers: {a: 1}\n",
    "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n"
    "      - env: [{name: 1, value: [2]}, null, {valueFrom: x}]\n",
    "resources: 1\nconfigMapGenerator: [{envs: [null, 1, ../../x]}, 1]\n",
    "jobs:\n  a:\n    env: [1]\n    steps: {run: x}\n",
    "variables: [1]\nstages: {}\n",
    "flags: {a: {state: ENABLED, variants: {on: yes, off: no}, defaultVariant: on}}\n",
    "features: [{name: a, enabled: yes}]\n",
    "? [1, 2]\n: x\n",
    "a: &a [*a]\n",
    "a: 2001-12-14t21:59:43.10-05:00\nb: .nan\nc: 0x1F\n",
]


def yaml_source(rng: random.Random) -> bytes:
    return _mangle(rng, rng.choice(_YAML).encode())


_ENV = [
    "MY_FLAG=1\n",
    "MY_FLAG\n",
    "=x\n",
    "export\n",
    "export MY_FLAG='unterminated\n",
    'MY_FLAG="a\\\n',
    "MY_FLAG=${OTHER:-${X}}\n",
    "\x00=1\n",
    "A B=1\n",
    "MY_FLAG=\u00e9\n",
]


def env_source(rng: random.Random) -> bytes:
    return _mangle(rng, "".join(rng.choice(_ENV) for _ in range(rng.randint(1, 3))).encode())


def toml_source(rng: random.Random) -> bytes:
    return _mangle(rng, f"flags = {toml_value(rng)}\n[x]\ny = {toml_value(rng)}\n".encode("utf-8", "surrogatepass"))


_DOCKER = ["FROM x\nENV MY_FLAG=1\n", "ENV\n", "ENV A\n", "ENV A=\\\n", "ARG\nENV =1 B\n", "FROM x\nENV A=1 B"]


# --- baselines and ledgers -----------------------------------------------------


def baseline_bytes(rng: random.Random) -> bytes:
    entry = {"fingerprint": "x", "code": "FL001", "path": "app.py", "flag": "F", "message": "m"}
    shapes: List[object] = [
        None,
        [],
        {},
        {"version": 1},
        {"version": "1", "findings": []},
        {"version": 2, "tool": "flaglint", "findings": []},
        {"version": 1, "tool": "other", "findings": []},
        {"version": 1, "tool": "flaglint", "findings": None},
        {"version": 1, "tool": "flaglint", "findings": {}},
        {"version": 1, "tool": "flaglint", "findings": [None, 1, "x"]},
        {"version": 1, "tool": "flaglint", "findings": [{}]},
        {"version": 1, "tool": "flaglint", "findings": [{**entry, "fingerprint": 1}]},
        {"version": 1, "tool": "flaglint", "findings": [{**entry, "flag": None, "message": []}]},
        {"version": 1, "tool": "flaglint", "findings": [{**entry, "code": {"a": 1}}]},
        {"version": 1, "tool": "flaglint", "findings": [{**entry, "path": ["a"]}]},
        {"version": True, "tool": "flaglint", "findings": [entry]},
        {"version": 1.0, "tool": "flaglint", "findings": [entry]},
    ]
    text = json.dumps(rng.choice(shapes))
    if rng.random() < 0.1:
        text = "[" * 100000
    return _mangle(rng, text.encode())


def ledger_bytes(rng: random.Random) -> bytes:
    bit = {"name": "A", "first_seen": "abc", "retired": False}
    shapes: List[object] = [
        None,
        [],
        {},
        {"version": 1},
        {"version": 1, "families": []},
        {"version": 1, "families": {"m.F": None}},
        {"version": 1, "families": {"m.F": {"1": [bit]}}},
        {"version": 1, "families": {"m.F": {"x": [bit]}}},
        {"version": 1, "families": {"m.F": {"1": [None]}}},
        {"version": 1, "families": {"m.F": {"1": [{**bit, "retired": "no"}]}}},
        {"version": 1, "families": {"m.F": {"1": [{**bit, "first_seen": 1}]}}},
        {"version": 1, "families": {"m.F": {"1": [{"name": "A"}]}}},
        {"version": 1, "families": {}, "renames": None},
        {"version": 1, "families": {}, "renames": [None]},
        {"version": 1, "families": {}, "renames": [{"family": "m.F", "bit": 1, "from": "A", "to": 2}]},
        {"version": 1, "families": {}, "renames": [{"family": "m.F", "bit": "1e3", "from": "A", "to": "B"}]},
        {"version": 2, "families": {}},
        {"version": 2, "families": {}, "build": None},
        {"version": 2, "families": {}, "build": {}},
        {"version": 2, "families": {}, "build": {"families": [], "keys": None}},
        {"version": 2, "families": {}, "build": {"families": {"m.F": {"1": "A"}}, "keys": {"k": 1}}},
        {"version": 2, "families": {}, "build": {"families": {"m.F": [1]}, "keys": []}},
        {"version": 99, "families": {}},
        {"version": -1, "families": {}},
        {"version": 1.5, "families": {}},
        {"version": 10**30, "families": {}},
    ]
    good = {
        "version": 2,
        "families": {"app.F": {"0x1": [bit], "0x2": [{**bit, "name": "B", "retired": True}]}},
        "renames": [{"family": "app.F", "bit": "0x1", "from": "A", "to": "B"}],
        "build": {"families": {"app.F": {"0x1": "A"}}, "keys": {}},
    }
    if rng.random() < 0.3:
        shapes = [good]
    return _mangle(rng, json.dumps(rng.choice(shapes)).encode(), 0.3)


# --- a tree ------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        return
    path.write_bytes(data)


def build_tree(rng: random.Random, root: Path) -> None:
    """A random hostile project in ``root`` (which exists and is empty)."""
    _write(root / "app.py", b"FLAG = False\nif FLAG:\n    print('dead')\n")
    names = [
        "mod.py",
        "pkg/__init__.py",
        "pkg/sub.py",
        "flaglint/__init__.py",
        "settings.py",
        "settings/base.py",
        "reg.py",
        "sub/x.py",
        "\u00e9t\u00e9.py",
        "a b.py",
        "tests/test_x.py",
        "gen_pb2.py",
        "wscript",
        "script",
        "migrations/0001.py",
    ]
    for name in rng.sample(names, rng.randint(0, 5)):
        data = python_bytes(rng)
        if name == "script":
            data = b"#!/usr/bin/env python\n" + data
        _write(root / name, data)
    if rng.random() < 0.1:
        (root / "dir.py").mkdir(exist_ok=True)  # a directory named like a module
        _write(root / "dir.py" / "__init__.py", python_bytes(rng))
    if rng.random() < 0.05 and os.name == "posix":
        _try(lambda: os.mkfifo(root / "fifo"))
    if rng.random() < 0.05:
        _try(lambda: os.symlink("/dev/zero", root / "zero.py"))
    if rng.random() < 0.05:
        _try(lambda: os.symlink("loop", root / "loop"))
    if rng.random() < 0.05:
        _try(lambda: os.symlink(".", root / "self"))
    if rng.random() < 0.05:
        odd = rng.choice(["d\n::error::x", "e\x1b]8;;x\x07", "f\udcff", "g\r"])
        _try(lambda: _write(root / odd / "m.py", python_bytes(rng)))
    sources: Dict[str, Callable[[random.Random], bytes]] = {
        "flags.json": json_source,
        "flagd.json": json_source,
        "unleash.json": json_source,
        "flags.yaml": yaml_source,
        "flags.toml": toml_source,
        ".env": env_source,
        ".env.prod": env_source,
        "docker-compose.yml": yaml_source,
        "k8s/deploy.yaml": yaml_source,
        "kustomization.yaml": yaml_source,
        ".github/workflows/ci.yml": yaml_source,
        ".gitlab-ci.yml": yaml_source,
        "Dockerfile": lambda r: r.choice(_DOCKER).encode(),
        "templates/x.html": lambda r: b"{{ flags.new_ui }} {% if MY_FLAG %}\xff",
        ".gitignore": lambda r: rng.choice([b"*.py\n!app.py\n", b"\\\n[\n", b"\xff\n", b"sub/\n!**\n"]),
    }
    for name in rng.sample(sorted(sources), rng.randint(0, 5)):
        _write(root / name, sources[name](rng))
    roll = rng.random()
    if roll < 0.45:
        _write(root / "pyproject.toml", config_text(rng, pyproject=True))
    elif roll < 0.8:
        _write(root / "flaglint.toml", config_text(rng, pyproject=False))
    if rng.random() < 0.15:
        _write(root / "flaglint.lock", ledger_bytes(rng))
    if rng.random() < 0.2:
        _write(root / "baseline.json", baseline_bytes(rng))
    if rng.random() < 0.2:
        _git_commit(root)
        if rng.random() < 0.5:  # a change since: --against and drift compare it
            _write(root / "app.py", b"FLAG = True\n" + python_bytes(rng))
    if rng.random() < 0.05:
        _write(root / "shard.facts", rng.choice([b"", b"\x80\x04K\x01.", os.urandom(200), b'{"facts": []}']))
    if rng.random() < 0.05:
        _try(lambda: (root / ".flaglint_cache").mkdir())
        _write(root / ".flaglint_cache" / "index", os.urandom(64))


def _git_commit(root: Path) -> None:
    """Make the tree a git repository with one commit of what it holds."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.invalid",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.invalid",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "x", "--no-verify"]):
        subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, timeout=60)


def _try(action: Callable[[], object]) -> None:
    try:
        action()
    except (OSError, ValueError, UnicodeError):
        pass


# --- commands --------------------------------------------------------------------


def _paths(rng: random.Random, root: Path) -> List[str]:
    """Mostly paths that exist (a run goes deeper), sometimes ones that do not,
    repeated ones, directories without Python and devices."""
    if rng.random() < 0.6:
        return []
    odd = ["missing.py", "fifo", "self", "/dev/null", "templates", "."]
    present = [".", "app.py"] + [
        name for name in ("sub", "pkg", "dir.py", "k8s", "templates", "mod.py", "settings") if (root / name).exists()
    ]
    pool = present + odd if rng.random() < 0.3 else present
    return [rng.choice(pool) for _ in range(rng.randint(1, 3))]


def pick_command(rng: random.Random, root: Path) -> Tuple[List[str], Optional[str]]:
    """(argv after ``flaglint``, the output format when it must be JSON)."""
    command = rng.choice(["check"] * 6 + ["audit"] * 2 + ["graph", "graph", "fix", "lock", "drift", "extract"])
    paths = _paths(rng, root)
    extra: List[str] = []
    if rng.random() < 0.05:
        extra += ["--config", rng.choice(["flaglint.toml", "pyproject.toml", "missing.toml", "sub", "app.py"])]
    if command == "check":
        output_format = rng.choice(["text", "json", "json", "sarif", "github"])
        extra += ["--format", output_format]
        if rng.random() < 0.2:
            extra += ["--jobs", rng.choice(["2", "1", "0", "-1"])]
        if rng.random() < 0.15:
            extra += ["--select", rng.choice(["FL001", "FL", "FL00", "", ",", "FL999", "X"])]
        if rng.random() < 0.15:
            extra += ["--ignore", rng.choice(["FL002", "FL0", ",,", "fl001"])]
        if rng.random() < 0.2:
            extra += ["--baseline", rng.choice(["baseline.json", "missing.json", "app.py", "sub"])]
            if rng.random() < 0.3:
                extra += ["--report-stale"]
        if rng.random() < 0.1:
            extra += ["--write-baseline", rng.choice(["out.json", "sub/out.json", "app.py"])]
        if rng.random() < 0.1:
            extra += ["--against", rng.choice(["HEAD", "HEAD~1", "--x", "nope", ""])]
        if rng.random() < 0.3:
            extra += ["--no-cache"]
        if rng.random() < 0.05:
            extra += ["--cache-dir", rng.choice(["app.py", "sub", "fifo", "c"])]
        if rng.random() < 0.05:
            extra += ["--exit-zero"]
        if rng.random() < 0.05:
            extra += ["--facts", rng.choice(["shard.facts", "app.py", "missing.facts"])]
        return ["check", *extra, *paths], output_format if output_format in JSON_FORMATS else None
    if command == "audit":
        output_format = rng.choice(["text", "json", "json", "markdown", "html"])
        extra += ["--format", output_format, "--no-ages"]
        return ["audit", *extra, *paths], output_format if output_format in JSON_FORMATS else None
    if command == "graph":
        output_format = rng.choice(["json", "dot", "graphml"])
        extra += ["--format", output_format]
        if rng.random() < 0.2:
            extra += ["--flag", rng.choice(["FLAG", "app.FLAG", "", "x\ny"])]
        return ["graph", *extra, *paths], output_format if output_format in JSON_FORMATS else None
    if command == "fix":
        return ["fix", "--diff", *extra, *paths], None
    if command == "lock":
        return ["lock", *extra, *[path for path in paths if os.path.exists(path)]], None
    if command == "extract":
        return ["extract", "-o", rng.choice(["shard.facts", "sub/s.facts"]), *extra, *paths], None
    output_format = rng.choice(["text", "json"])
    builds = [rng.choice(["flaglint.lock", "HEAD", "missing.lock", "app.py", "baseline.json"]) for _ in range(2)]
    return ["drift", "--format", output_format, *builds], output_format if output_format == "json" else None


# --- running --------------------------------------------------------------------


class TimedOut(BaseException):
    """Raised by the alarm; a BaseException so flaglint's own handlers let it through."""


@dataclass
class Outcome:
    argv: List[str]
    code: int
    stdout: str
    stderr: str
    seconds: float
    error: str = ""


@dataclass
class Failure:
    case: str
    argv: List[str]
    why: str
    detail: str = ""
    files: List[str] = field(default_factory=list)


def run_in_process(argv: Sequence[str], cwd: Path, timeout: float) -> Outcome:
    from click.testing import CliRunner

    from flaglint.cli import main

    old = os.getcwd()
    os.chdir(cwd)
    started = time.monotonic()

    def alarm(signum, frame):
        raise TimedOut()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        result = CliRunner().invoke(main, list(argv), prog_name="flaglint", catch_exceptions=True)
    except TimedOut:
        return Outcome(list(argv), -1, "", "", time.monotonic() - started, "timed out")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        os.chdir(old)
    error = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        if isinstance(result.exception, TimedOut):
            return Outcome(list(argv), -1, "", "", time.monotonic() - started, "timed out")
        error = "".join(traceback.format_exception(*result.exc_info)) if result.exc_info else repr(result.exception)
    return Outcome(list(argv), result.exit_code, result.stdout, result.stderr, time.monotonic() - started, error)


def run_subprocess(argv: Sequence[str], cwd: Path, timeout: float) -> Outcome:
    started = time.monotonic()
    try:
        process = subprocess.run(
            [sys.executable, "-P", "-m", "flaglint", *argv], cwd=cwd, capture_output=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return Outcome(list(argv), -1, "", "", time.monotonic() - started, "timed out")
    out, err = (stream.decode("utf-8", "replace") for stream in (process.stdout, process.stderr))
    return Outcome(list(argv), process.returncode, out, err, time.monotonic() - started)


def _not_json(constant: str) -> object:
    raise ValueError(f"{constant} is not JSON")


def judge(outcome: Outcome, json_format: Optional[str]) -> Optional[str]:
    """Why this outcome breaks a promise, or None."""
    if outcome.error == "timed out":
        return "timed out"
    if outcome.error:
        return "uncaught exception"
    if outcome.code not in ALLOWED:
        return f"exit {outcome.code}"
    if "Traceback (most recent call last)" in outcome.stdout + outcome.stderr:
        return "traceback printed"
    if json_format and outcome.code in (0, 1) and "--write-baseline" not in outcome.argv:
        try:  # strict JSON: NaN and Infinity are Python's, not JSON's
            json.loads(outcome.stdout, parse_constant=_not_json)
        except ValueError as error:
            return f"stdout is not one JSON document ({error})"
    return None


def run_case(
    seed: int, number: int, work: Path, runner: Callable[[Sequence[str], Path, float], Outcome], timeout: float
) -> List[Failure]:
    rng = random.Random(f"{seed}:{number}")
    root = work / f"case-{seed}-{number}"
    root.mkdir(parents=True)
    build_tree(rng, root)
    failures = []
    for _ in range(rng.randint(1, 3)):
        argv, json_format = pick_command(rng, root)
        outcome = runner(argv, root, timeout)
        why = judge(outcome, json_format)
        if why:
            detail = outcome.error or (outcome.stderr[-1500:] + "\n--- stdout ---\n" + outcome.stdout[:500])
            failures.append(Failure(f"{seed}:{number}", argv, why, detail, _listing(root)))
    return failures


def _listing(root: Path) -> List[str]:
    names = []
    for path in sorted(root.rglob("*")):
        if ".flaglint_cache" in path.parts:
            continue
        names.append(repr(str(path.relative_to(root))))
    return names


def isolation() -> Dict[str, str]:
    """Environment for the runs: a home and a cache secret of their own, so
    the harness never touches the user's (tests set it with monkeypatch)."""
    home = tempfile.mkdtemp(prefix="flaglint-fuzz-home-")
    return {"HOME": home, "XDG_CACHE_HOME": os.path.join(home, ".cache"), "FLAGLINT_CACHE_SECRET": "hostile-fuzz"}


def _isolate() -> None:
    os.environ.update(isolation())
    os.environ.pop("FLAGLINT_TRACEBACK", None)


def fuzz(
    seed: int, cases: int, subprocess_mode: bool = False, timeout: float = 60, keep: Optional[Path] = None
) -> List[Failure]:
    """Run ``cases`` random cases of ``seed``; the failures found. Run it
    in an environment set by :func:`isolation`."""
    runner = run_subprocess if subprocess_mode else run_in_process
    work = Path(tempfile.mkdtemp(prefix="flaglint-fuzz-")) if keep is None else keep
    failures: List[Failure] = []
    try:
        for number in range(cases):
            failures += run_case(seed, number, work, runner, timeout)
            if keep is None:
                shutil.rmtree(work / f"case-{seed}-{number}", ignore_errors=True)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return failures


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--only", metavar="SEED:N", help="run one case")
    parser.add_argument("--keep", type=Path, help="build the trees here and keep them")
    parser.add_argument("--subprocess", action="store_true", help="run python -P -m flaglint per command")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per command")
    options = parser.parse_args(argv)
    _isolate()
    if options.only:
        seed_text, _, number_text = options.only.partition(":")
        work = options.keep or Path(tempfile.mkdtemp(prefix="flaglint-fuzz-"))
        runner = run_subprocess if options.subprocess else run_in_process
        failures = run_case(int(seed_text), int(number_text), work, runner, options.timeout)
        print(f"tree: {work}", file=sys.stderr)
    else:
        failures = fuzz(options.seed, options.cases, options.subprocess, options.timeout, options.keep)
    for failure in failures:
        print(f"FAIL {failure.case}: {failure.why}: flaglint {' '.join(map(repr, failure.argv))}")
        print("  files: " + ", ".join(failure.files))
        print("  " + failure.detail.strip().replace("\n", "\n  "))
    print(f"{len(failures)} failure(s)", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
