"""Shards: `flaglint extract` writes part of a project's facts as JSON, and
`flaglint check --facts ...` merges shards into exactly the findings of one
run over everything."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path
from typing import Dict, List, Tuple, Union

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import flaglint
from flaglint import api, facts, shards
from flaglint.cache import FactsCache
from flaglint.facts import FileFacts

from conftest import run_cli, write_tree

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

#: fact types the bundled fixtures do not produce: a parse error (Problem),
#: an SDK key built at run time (DynamicKey), a call to a possible wrapper (CallArg)
EXTRA: Dict[str, str] = {
    "bad.py": "def f(:\n",
    "sdk.py": (
        "import ldclient\nclient = ldclient.get()\n\n"
        "def view(user, name):\n"
        "    if client.variation('flag-' + name, user, False):\n        a()\n"
        "    if is_on('new-ui', default=False):\n        b()\n"
    ),
    "registry.py": "FLAGS = {'new-ui': False}\n\ndef on(key):\n    return FLAGS.get(key, False)\n",
    "joined.py": "KEYS = ['org:a', 'org:b', 'org:c' 'org:d']\n",
    "toggles.py": "NS = 'ns'\nNEW_UI = WaffleFlag(f'{NS}.new_ui', __name__)\n",
    "settings.py": "class S(BaseSettings):\n    x: bool = False\n\ndef f(s: S):\n    return s.x\n",
}


def copy_fixture(name: str, tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    monkeypatch.chdir(root)
    return root


def fact_types() -> List[type]:
    """Every dataclass facts.py defines."""
    return [
        value
        for value in vars(facts).values()
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == facts.__name__
    ]


def types_in(value, found: set) -> set:
    if dataclasses.is_dataclass(value):
        found.add(type(value))
        for field in dataclasses.fields(value):
            types_in(getattr(value, field.name), found)
    elif isinstance(value, tuple):
        for item in value:
            types_in(item, found)
    return found


# --------------------------------------------------------------------------- the codec


def test_every_fact_type_round_trips_through_real_extracted_files(tmp_path):
    write_tree(tmp_path / "extra", EXTRA)
    extracted: List[FileFacts] = []
    for root in (FIXTURES / "knight_capital", FIXTURES / "feature_service", tmp_path / "extra"):
        extracted += api.extract(["."], cwd=root).facts
    found = set()
    for item in extracted:
        types_in(item, found)
    assert set(fact_types()) - found == set(), "a fact type is not exercised: add a file that produces it to EXTRA"

    back = shards.loads(shards.dumps(shards.Shard(tuple(extracted))), "test").facts
    assert back == tuple(extracted)
    assert repr(back) == repr(tuple(extracted)), "types changed in the round trip (1 for True, a list for a tuple)"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.from_type(FileFacts))
def test_any_file_facts_round_trip(value):
    """Built from facts.py's own type hints: a field added there is covered here."""
    back = shards.loads(shards.dumps(shards.Shard((value,))), "test").facts
    assert repr(back) == repr((value,))


def test_a_field_of_an_unknown_type_fails_loudly_on_writing():
    @dataclasses.dataclass(frozen=True)
    class Odd:
        table: dict

    with pytest.raises(TypeError, match="teach flaglint/shards.py's codec"):
        shards.encode(Odd, Odd({}))


def test_a_value_of_the_wrong_type_is_refused_on_writing():
    with pytest.raises(TypeError, match=r"cannot encode reads\[0\]\.span: expected Span, found dict"):
        shards.encode(FileFacts, FileFacts("a.py", "a", reads=(facts.Read("X", "truth", {}),)))


def test_defaults_are_left_out_of_the_json():
    encoded = shards.encode(FileFacts, FileFacts("a.py", "a"))
    assert encoded == {"path": "a.py", "module": "a"}


@dataclasses.dataclass(frozen=True)
class _ZeroDefault:
    value: Union[bool, int, None] = 0


def test_a_value_equal_to_its_default_but_of_another_type_is_kept():
    encoded = shards.encode(_ZeroDefault, _ZeroDefault(False))
    assert encoded == {"value": False}
    assert repr(shards.decode(_ZeroDefault, encoded)) == repr(_ZeroDefault(False))
    assert shards.encode(_ZeroDefault, _ZeroDefault(0)) == {}


def test_bool_and_int_stay_apart():
    for value in (True, 1, None, 0, False, 1 << 70):
        definition = facts.Definition("X", facts.Span(1, 1, 1, 2), facts.ORIGIN_LITERAL, value)
        back = shards.decode(facts.Definition, json.loads(json.dumps(shards.encode(facts.Definition, definition))))
        assert repr(back.value) == repr(value)


# --------------------------------------------------------------------------- one run == merged shards

KNIGHT_A = ("smars/legacy", "smars/boot.py", "smars/config.py")
KNIGHT_B = ("smars/__init__.py", "smars/protocol.py", "smars/router.py", "smars/order.py")


def test_knight_split_in_two_gives_exactly_the_whole_run(tmp_path, monkeypatch):
    root = copy_fixture("knight_capital", tmp_path, monkeypatch)
    os.symlink("nowhere.py", root / "smars" / "legacy" / "dangling.py")  # skipped paths travel too
    assert run_cli("extract", "--no-cache", "--out", str(tmp_path / "a.json"), *KNIGHT_A).exit_code == 0
    assert run_cli("extract", "--no-cache", "--out", str(tmp_path / "b.json"), *KNIGHT_B).exit_code == 0
    whole = run_cli("check", "--no-cache", "--format", "json")
    merged = run_cli(
        "check",
        "--no-cache",
        "--format",
        "json",
        "--facts",
        str(tmp_path / "a.json"),
        "--facts",
        str(tmp_path / "b.json"),
    )
    assert whole.exit_code == merged.exit_code == 1
    assert merged.stdout == whole.stdout
    document = json.loads(merged.stdout)
    assert document["summary"]["files"] == 9
    assert document["summary"]["skipped"] == [{"path": "smars/legacy/dangling.py", "reason": "broken symlink"}]
    assert {finding["code"] for finding in document["findings"]} == {"FL001", "FL002", "FL003"}


def test_knight_shards_in_sarif_match_the_whole_run(tmp_path, monkeypatch):
    copy_fixture("knight_capital", tmp_path, monkeypatch)
    run_cli("extract", "--no-cache", "-o", str(tmp_path / "a.json"), *KNIGHT_A)
    run_cli("extract", "--no-cache", "-o", str(tmp_path / "b.json"), *KNIGHT_B)
    whole = run_cli("check", "--no-cache", "--format", "sarif")
    merged = run_cli(
        "check",
        "--no-cache",
        "--format",
        "sarif",
        "--facts",
        str(tmp_path / "b.json"),
        "--facts",
        str(tmp_path / "a.json"),
    )
    assert merged.stdout == whole.stdout and merged.exit_code == whole.exit_code == 1


def test_a_runner_merges_its_own_paths_with_other_shards(tmp_path, monkeypatch):
    copy_fixture("knight_capital", tmp_path, monkeypatch)
    run_cli("extract", "--no-cache", "--out", str(tmp_path / "a.json"), *KNIGHT_A)
    whole = run_cli("check", "--no-cache", "--format", "json")
    merged = run_cli("check", "--no-cache", "--format", "json", "--facts", str(tmp_path / "a.json"), *KNIGHT_B)
    assert merged.exit_code == 1
    assert merged.stdout == whole.stdout


def test_flag_sources_are_read_from_disk_by_the_check_run(tmp_path, monkeypatch):
    """feature_service's flags are set in .env, compose and flagd files,
    which no shard carries: the merged run must still see them."""
    root = copy_fixture("feature_service", tmp_path, monkeypatch)
    run_cli("extract", "--no-cache", "--out", str(tmp_path / "a.json"), "shop/flags.py", "shop/settings.py")
    run_cli("extract", "--no-cache", "--out", str(tmp_path / "b.json"), "shop/__init__.py", "shop/views.py")
    whole = run_cli("check", "--no-cache", "--format", "json")
    merged = run_cli(
        "check",
        "--no-cache",
        "--format",
        "json",
        "--facts",
        str(tmp_path / "a.json"),
        "--facts",
        str(tmp_path / "b.json"),
    )
    assert merged.stdout == whole.stdout and merged.exit_code == whole.exit_code
    assert json.loads(whole.stdout)["findings"], "the fixture has findings"
    (root / ".env").unlink()  # read at check time, so removing it changes the merged run
    assert (
        run_cli(
            "check",
            "--no-cache",
            "--format",
            "json",
            "--facts",
            str(tmp_path / "a.json"),
            "--facts",
            str(tmp_path / "b.json"),
        ).stdout
        != whole.stdout
    )


def test_without_a_config_file_flag_sources_are_found_from_the_working_directory(tmp_path, monkeypatch):
    """No pyproject or flaglint.toml: the merged run looks for .env files as
    ``check .`` does, so a flag set only in ``.env`` is not FL001."""
    monkeypatch.chdir(tmp_path)
    write_tree(
        tmp_path,
        {
            ".env": "NEW_UI=1\n",
            "svc/app.py": "import os\n\nif os.getenv('NEW_UI') == '1':\n    new()\nif os.getenv('OLD_UI') == '1':\n    old()\n",
        },
    )
    run_cli("extract", "--no-cache", "--out", "a.json", "svc")
    whole = run_cli("check", "--no-cache", "--format", "json")
    merged = run_cli("check", "--no-cache", "--format", "json", "--facts", "a.json")
    assert merged.stdout == whole.stdout
    assert [(f["code"], f["flag"]) for f in json.loads(merged.stdout)["findings"]] == [
        ("FL001", "env:OLD_UI"),
        ("FL002", "env:OLD_UI"),
    ]


def test_merging_shards_from_python(tmp_path, monkeypatch):
    root = copy_fixture("knight_capital", tmp_path, monkeypatch)
    first = api.extract(KNIGHT_A, cwd=root)
    second = api.extract(KNIGHT_B, cwd=root)
    whole = [finding.to_dict() for finding in api.check(cwd=root).findings]
    merged = api.check((), cwd=root, facts=[first, second]).findings
    assert [finding.to_dict() for finding in merged] == whole


def test_an_empty_shard_merges_to_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "empty").mkdir()
    assert run_cli("extract", "--out", "e.json", "empty").exit_code == 0
    result = run_cli("check", "--facts", "e.json")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "Found 0 findings in 0 files.\n")


# --------------------------------------------------------------------------- extract


def test_extract_writes_a_versioned_json_shard(tmp_path, monkeypatch):
    copy_fixture("knight_capital", tmp_path, monkeypatch)
    result = run_cli("extract", "--out", str(tmp_path / "a.json"), "smars/legacy")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"flaglint: wrote the facts of 3 files to {tmp_path / 'a.json'}\n"
    document = json.loads((tmp_path / "a.json").read_text(encoding="ascii"))
    assert document["flaglint_facts"] == shards.FORMAT == 2
    assert "slice" not in document
    assert document["flaglint_version"] == flaglint.__version__
    # paths relative to where extract ran; module names as in a whole run
    assert [(item["path"], item["module"]) for item in document["files"]] == [
        ("smars/legacy/__init__.py", "smars.legacy"),
        ("smars/legacy/peg_engine.py", "smars.legacy.peg_engine"),
        ("smars/legacy/power_peg.py", "smars.legacy.power_peg"),
    ]


def test_extract_uses_the_cache_unless_told_not_to(tmp_path, monkeypatch):
    copy_fixture("knight_capital", tmp_path, monkeypatch)
    assert run_cli("extract", "--out", "a.json", "--no-cache").exit_code == 0
    assert not Path(".flaglint_cache").exists()
    assert run_cli("extract", "--out", "a.json", "--cache-dir", "cache").exit_code == 0
    assert len(FactsCache(Path("cache")).keys()) == len(list(Path(".").rglob("*.py")))


@pytest.mark.parametrize(
    "args, message",
    [
        (("extract", "nothere"), "Error: Missing option '--out' / '-o'."),
        (("extract", "--out", "x.json", "nothere"), "flaglint: error: path does not exist: nothere"),
        (
            ("extract", "--out", "no/such/dir/x.json"),
            "flaglint: error: cannot write no/such/dir/x.json: No such file or directory",
        ),
    ],
)
def test_extract_usage_errors_exit_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    result = run_cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == message


# --------------------------------------------------------------------------- bad shards


def _good_shard(tmp_path: Path) -> dict:
    write_tree(
        tmp_path, {"flags.py": "ENABLE_X = False\n", "app.py": "from flags import ENABLE_X\nif ENABLE_X:\n    go()\n"}
    )
    assert run_cli("extract", "--no-cache", "--out", "good.json").exit_code == 0
    return json.loads(Path("good.json").read_text())


def _with(document: dict, **changes) -> str:
    return json.dumps({**document, **changes})


def _file_changed(document: dict, index: int, **changes) -> str:
    files = [dict(item) for item in document["files"]]
    files[index].update(changes)
    return json.dumps({**document, "files": files})


BAD_SHARDS: List[Tuple[str, object, str]] = [
    (
        "not-json",
        lambda doc: "{not json",
        "shard bad.json: not valid JSON: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)",
    ),
    (
        "a-baseline",
        lambda doc: json.dumps({"version": 1, "tool": "flaglint", "findings": []}),
        'shard bad.json: not a flaglint facts file (no "flaglint_facts" key)',
    ),
    ("a-list", lambda doc: "[]", 'shard bad.json: not a flaglint facts file (no "flaglint_facts" key)'),
    (
        "future-format",
        lambda doc: _with(doc, flaglint_facts=3),
        "shard bad.json: facts format 3 is not supported (this flaglint reads format 2)",
    ),
    (
        "other-flaglint",
        lambda doc: _with(doc, flaglint_version="0.0.1"),
        f"shard bad.json: written by flaglint 0.0.1 (facts {shards.FACTS_SCHEMA}), this is flaglint {flaglint.__version__} "
        f"(facts {shards.FACTS_SCHEMA}): extract every shard with the same flaglint",
    ),
    ("unknown-key", lambda doc: _with(doc, extra=1), "shard bad.json: corrupt: unknown key 'extra'"),
    (
        "missing-key",
        lambda doc: json.dumps({key: value for key, value in doc.items() if key != "files"}),
        "shard bad.json: corrupt: missing key 'files'",
    ),
    (
        "format-true",
        lambda doc: _with(doc, flaglint_facts=True),
        "shard bad.json: facts format true is not supported (this flaglint reads format 2)",
    ),
    (
        "files-not-a-list",
        lambda doc: _with(doc, files={}),
        "shard bad.json: corrupt: files: expected a list, found dict",
    ),
    (
        "wrong-type",
        lambda doc: _file_changed(doc, 0, module=3),
        "shard bad.json: corrupt: files[0].module: expected str, found 3",
    ),
    (
        "bool-for-int",
        lambda doc: _file_changed(
            doc,
            1,
            definitions=[
                {"name": "X", "span": {"line": True, "column": 1, "end_line": 1, "end_column": 2}, "origin": "literal"}
            ],
        ),
        "shard bad.json: corrupt: files[1].definitions[0].span.line: expected int, found true",
    ),
    (
        "unknown-field",
        lambda doc: _file_changed(doc, 0, colour="red"),
        "shard bad.json: corrupt: files[0]: unknown FileFacts field 'colour'",
    ),
    (
        "missing-field",
        lambda doc: json.dumps({**doc, "files": [{"path": "a.py"}]}),
        "shard bad.json: corrupt: files[0]: FileFacts field 'module' is missing",
    ),
    (
        "bad-skipped",
        lambda doc: _with(doc, skipped=[{"display": "x"}]),
        "shard bad.json: corrupt: skipped[0]: Skipped field 'reason' is missing",
    ),
]


@pytest.mark.parametrize("make, message", [pytest.param(make, message, id=name) for name, make, message in BAD_SHARDS])
def test_a_bad_shard_exits_2_with_one_clear_line(tmp_path, monkeypatch, make, message):
    monkeypatch.chdir(tmp_path)
    Path("bad.json").write_text(make(_good_shard(tmp_path)))
    result = run_cli("check", "--facts", "bad.json")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"flaglint: error: {message}\n"


def test_a_missing_or_unreadable_shard_exits_2(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "--facts", "nope.json")
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        "flaglint: error: shard nope.json: file not found\n",
    )
    Path("bin.json").write_bytes(b"\xff\xfe\x00garbage")
    result = run_cli("check", "--facts", "bin.json")
    assert result.exit_code == 2 and result.stderr.startswith("flaglint: error: shard bin.json: not valid JSON: ")


def test_the_good_shard_itself_is_accepted(tmp_path, monkeypatch):
    """The bad shards above are this one, damaged: undamaged, it works."""
    monkeypatch.chdir(tmp_path)
    _good_shard(tmp_path)
    result = run_cli("check", "--facts", "good.json", "--format", "json")
    assert result.exit_code == 1
    assert [(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]] == [
        ("FL002", "app.py", 3),
        ("FL001", "flags.py", 1),
    ]


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("--facts", "a.json", "--facts", "both.json"),
            "app.py is in shard a.json and in shard both.json: shards must not overlap",
        ),
        (
            ("--facts", "a.json", "--facts", "a.json"),
            "app.py is in shard a.json and in shard a.json: shards must not overlap",
        ),
        (("--facts", "a.json", "app.py"), "app.py is in the paths given and in shard a.json: shards must not overlap"),
    ],
)
def test_a_file_in_two_places_exits_2(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    write_tree(
        tmp_path, {"flags.py": "ENABLE_X = False\n", "app.py": "from flags import ENABLE_X\nif ENABLE_X:\n    go()\n"}
    )
    run_cli("extract", "--out", "a.json", "app.py")
    run_cli("extract", "--out", "both.json", "app.py", "flags.py")
    result = run_cli("check", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"flaglint: error: {message}\n")


def test_a_file_twice_in_one_shard_is_refused():
    item = FileFacts("a.py", "a")
    with pytest.raises(shards.ShardError, match=r"^a\.py is twice in shard x: shards must not overlap$"):
        shards.merge([shards.Shard((item, item), origin="shard x")])


def test_disjoint_shards_merge_sorted_by_path():
    one = shards.Shard((FileFacts("b.py", "b"), FileFacts("d.py", "d")), origin="one")
    two = shards.Shard((FileFacts("a.py", "a"), FileFacts("c.py", "c")), origin="two")
    assert [item.path for item in shards.merge([one, two]).facts] == ["a.py", "b.py", "c.py", "d.py"]


# --------------------------------------------------------------------------- extract --shard K/N

MONOREPO = Path(__file__).resolve().parent / "data" / "shards" / "monorepo"


def copy_monorepo(tmp_path: Path, monkeypatch) -> Path:
    root = tmp_path / "monorepo"
    shutil.copytree(MONOREPO, root, ignore=shutil.ignore_patterns("expected.txt"))
    monkeypatch.chdir(root)
    return root


def extract_slices(tmp_path: Path, count: int) -> List[str]:
    """Run ``extract --shard K/N`` for every K, as the jobs of a matrix would;
    the shard files, in order."""
    outs = []
    for index in range(1, count + 1):
        out = str(tmp_path / f"shard-{index}-of-{count}.json")
        result = run_cli("extract", "--no-cache", "--shard", f"{index}/{count}", "--out", out)
        assert result.exit_code == 0, result.output
        outs.append(out)
    return outs


@pytest.mark.parametrize("count", [1, 2, 3])
def test_a_matrix_of_n_slices_merges_to_exactly_the_whole_run(tmp_path, monkeypatch, count):
    copy_monorepo(tmp_path, monkeypatch)
    outs = extract_slices(tmp_path, count)
    sliced = [shards.load(out) for out in outs]
    owned = [sorted(item.path for item in shard.facts) for shard in sliced]
    every = sorted(path for paths in owned for path in paths)
    assert len(every) == len(set(every)) == 14, "each file in exactly one slice"
    assert all(owned), f"a slice is empty: {owned}"
    assert [shard.slice for shard in sliced] == [shards.Slice(k, count) for k in range(1, count + 1)]

    whole = run_cli("check", "--no-cache", "--format", "json")
    merged = run_cli("check", "--no-cache", "--format", "json", *(arg for out in outs for arg in ("--facts", out)))
    assert merged.exit_code == whole.exit_code == 1
    assert merged.stdout == whole.stdout
    expected = (MONOREPO / "expected.txt").read_text(encoding="utf-8").split("\n")[:-1]
    findings = json.loads(merged.stdout)["findings"]
    assert [f"{f['code']} {f['path']}:{f['line']} {f['flag']}" for f in findings] == expected


def test_the_split_of_the_monorepo_cuts_across_setters_and_readers(tmp_path, monkeypatch):
    """The fixture tests something: with two slices, NEW_TAX's setter
    (web/boot.py) and its reader (billing/tax.py) are in different shards,
    and so are POWER_PEG and RLP; one slice alone reports what the whole does not."""
    copy_monorepo(tmp_path, monkeypatch)
    holds = shards.Slice(1, 2).holds
    assert holds("web/boot.py") and not holds("billing/tax.py")
    assert holds("orders/legacy.py") and not holds("orders/protocol.py")
    outs = extract_slices(tmp_path, 2)
    alone = run_cli("check", "--no-cache", "--format", "json", "--facts", outs[1], "--facts", outs[1])
    assert alone.exit_code == 2  # the same slice twice
    whole = json.loads(run_cli("check", "--no-cache", "--format", "json").stdout)["findings"]
    assert "core.flags.NEW_TAX" not in {f["flag"] for f in whole}
    lone = api.check((), cwd=Path.cwd(), facts=[shards.Shard(shards.load(outs[1]).facts)]).findings
    assert "core.flags.NEW_TAX" in {f.flag for f in lone}


def test_the_slice_of_a_path_never_changes():
    """The assignment is part of the contract between the jobs of a matrix
    (and between flaglint versions on a cached matrix): pinned here."""
    paths = ["a.py", "pkg/__init__.py", "web/views.py", "b\u00e9.py", "x\udcff.py"]
    assert [[k for k in range(1, 4) if shards.Slice(k, 3).holds(path)] for path in paths] == [
        [2],
        [1],
        [3],
        [3],
        [1],
    ]
    assert all(shards.Slice(1, 1).holds(path) for path in paths)


@pytest.mark.parametrize(
    "text, message",
    [
        ("0/3", "'0/3': K must be between 1 and N (3)"),
        ("4/3", "'4/3': K must be between 1 and N (3)"),
        ("1/0", "'1/0': N must be between 1 and 1024"),
        ("1/1025", "'1/1025': N must be between 1 and 1024"),
        ("2", "'2' is not K/N (for example 2/3: the second of three shards)"),
        ("a/b", "'a/b' is not K/N"),
        ("-1/3", "'-1/3' is not K/N"),
        ("1/3\n::error::x", "is not K/N"),
    ],
)
def test_a_bad_shard_option_exits_2_saying_what_k_n_is(tmp_path, monkeypatch, text, message):
    copy_monorepo(tmp_path, monkeypatch)
    result = run_cli("extract", "--shard", text, "--out", str(tmp_path / "s.json"))
    assert result.exit_code == 2
    assert "Invalid value for '--shard'" in result.stderr
    assert message in result.stderr
    assert not (tmp_path / "s.json").exists()


def test_parse_slice():
    assert shards.parse_slice(" 2/3 ") == shards.Slice(2, 3)
    assert str(shards.parse_slice("1/1")) == "1/1"
    with pytest.raises(ValueError):
        shards.Slice(3, 2)


def test_a_missing_slice_is_refused_not_merged(tmp_path, monkeypatch):
    copy_monorepo(tmp_path, monkeypatch)
    outs = extract_slices(tmp_path, 3)
    result = run_cli("check", "--no-cache", "--facts", outs[0], "--facts", outs[2])
    assert result.exit_code == 2
    assert result.stderr == (
        "flaglint: error: shard 2/3 missing: merge all 3 shards, or the files of the missing ones would be judged absent\n"
    )
    assert result.stdout == ""


def test_slices_of_different_n_are_refused(tmp_path, monkeypatch):
    copy_monorepo(tmp_path, monkeypatch)
    two, three = extract_slices(tmp_path, 2), extract_slices(tmp_path, 3)
    result = run_cli("check", "--no-cache", *(arg for out in two + three for arg in ("--facts", out)))
    assert result.exit_code == 2
    assert result.stderr == "flaglint: error: shards cut 2 ways and 3 ways cannot be merged: use one N\n"


def test_the_same_slice_twice_is_refused_naming_both_files(tmp_path, monkeypatch):
    copy_monorepo(tmp_path, monkeypatch)
    first = extract_slices(tmp_path, 2)
    copy = tmp_path / "copy.json"
    shutil.copy(first[0], copy)
    result = run_cli("check", "--no-cache", "--facts", first[0], "--facts", str(copy), "--facts", first[1])
    assert result.exit_code == 2
    assert result.stderr == f"flaglint: error: shard {first[0]} and shard {copy} are both shard 1/2\n"


def test_a_slice_is_recorded_in_the_shard_and_checked_on_reading(tmp_path, monkeypatch):
    copy_monorepo(tmp_path, monkeypatch)
    (out,) = extract_slices(tmp_path, 1)
    document = json.loads(Path(out).read_text(encoding="utf-8"))
    assert document["slice"] == [1, 1]
    assert document["flaglint_facts"] == shards.FORMAT == 2
    for bad, message in (([3, 2], "not a slice K/N"), ([1, True], "expected int, found true"), ("1/2", "expected")):
        document["slice"] = bad
        with pytest.raises(shards.ShardError, match=f"corrupt: slice.*{message}"):
            shards.loads(json.dumps(document), "shard x")


def test_a_shard_of_chosen_paths_has_no_slice_and_merges_with_slices_unchecked(tmp_path, monkeypatch):
    """Must not: a shard of paths (no --shard) is not a slice, so the
    completeness check leaves it alone; only overlap is refused."""
    root = copy_monorepo(tmp_path, monkeypatch)
    assert "slice" not in json.loads(shards.dumps(api.extract(["orders"], cwd=root)))
    assert run_cli("extract", "--no-cache", "--out", str(tmp_path / "o.json"), "orders").exit_code == 0
    result = run_cli("check", "--no-cache", "--facts", str(tmp_path / "o.json"))
    assert result.exit_code == 1
    assert "shard" not in result.stderr


def test_the_extract_message_names_the_slice(tmp_path, monkeypatch):
    copy_monorepo(tmp_path, monkeypatch)
    out = tmp_path / "s.json"
    result = run_cli("extract", "--no-cache", "--shard", "3/3", "--out", str(out))
    assert result.stderr == f"flaglint: wrote the facts of 4 files (shard 3/3) to {out}\n"
