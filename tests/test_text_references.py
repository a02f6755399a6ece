"""Flag keys mentioned outside Python (front end, bundles, templates) are
read by other code: no FL005, and the audit lists where."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from flaglint import api
from flaglint.cli import main
from flaglint.config import load_config
from flaglint.sources.references import MAX_BYTES, KeySet, is_reference_file

DATA = Path(__file__).resolve().parent / "data" / "references"

#: files the test puts in place: their paths are ignored in this repository
#: (dist/, the fixture's own .gitignore), so they cannot be stored there
PLACED = {
    "web/dist/app.min.js": "bundle.min.js",
    "web/dist/app.js.map": "app.js.map",
    "web/dist/app.mjs.map": "app.mjs.map",
    "web/dist/styles.css.map": "styles.css.map",
    "ignored/old.js": "ignored.js",
    "web/node_modules/lib/index.js": "ignored.js",
}


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(DATA / "project", root)
    for target, name in PLACED.items():
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / "placed" / name, root / target)
    (root / "web/dist/huge.js").write_text("x" * MAX_BYTES + "\nfflag_only_oversized\n")
    monkeypatch.chdir(root)
    return root


def _findings(root: Path) -> list:
    findings = api.check(["."], cwd=root, config=load_config(root / "pyproject.toml")).findings
    return [(f.code, f.path, f.span.line, f.flag) for f in findings]


def test_only_keys_no_text_file_mentions_are_unused(project):
    assert _findings(project) == [
        ("FL005", "ld.yaml", 9, "sdk:launchdarkly:fflag_x"),  # only inside other tokens
        ("FL005", "ld.yaml", 10, "sdk:launchdarkly:fflag_only_binary"),
        ("FL005", "ld.yaml", 11, "sdk:launchdarkly:fflag_only_oversized"),
        ("FL005", "ld.yaml", 12, "sdk:launchdarkly:fflag_only_ignored"),  # .gitignore, node_modules
        ("FL005", "ld.yaml", 13, "sdk:launchdarkly:fflag_only_plain_txt"),  # a .txt outside templates/
        ("FL005", "ld.yaml", 14, "sdk:launchdarkly:fflag_only_python_comment"),
        ("FL005", "ld.yaml", 17, "sdk:launchdarkly:fflag_only_css_map"),  # a stylesheet's map
    ]


def test_exclude_applies_to_text_files(project):
    config = project / "pyproject.toml"
    config.write_text(config.read_text() + 'exclude = ["web/src/Banner.tsx"]\n')
    assert ("FL005", "ld.yaml", 2, "sdk:launchdarkly:fflag_in_tsx") in _findings(project)


def test_the_audit_lists_each_reference(project):
    result = CliRunner().invoke(main, ["audit", ".", "--format", "json"], prog_name="flaglint")
    assert result.exit_code == 0, result.output
    entries = {entry["short"]: entry for entry in json.loads(result.stdout)["flags"]}
    where = lambda key: [(item["path"], item["line"]) for item in entries[f"sdk:launchdarkly:{key}"]["references"]]
    assert where("fflag_in_tsx") == [("web/src/Banner.tsx", 4)]
    assert where("fflag_in_bundle") == [("web/dist/app.min.js", 1)] * 3
    assert where("fflag_in_vue") == [("web/src/Panel.vue", 2)]
    assert where("fflag_in_template") == [("shop/templates/emails/welcome.txt", 2)]
    assert where("fflag_in_jinja") == [("shop/templates/page.j2", 1)]
    assert where("org:beta.ui") == [("web/src/Tokens.js", 6)]
    assert where("fflag_x_y") == [("web/src/Tokens.js", 2)]
    assert where("fflag_x") == []
    assert where("fflag_in_source_map") == [("web/dist/app.js.map", 1)]  # the bundle's original source
    assert where("fflag_in_mjs_map") == [("web/dist/app.mjs.map", 1)]
    assert entries["sdk:launchdarkly:fflag_in_tsx"]["status"] == "outside-python"
    assert entries["sdk:launchdarkly:fflag_x"]["status"] == "unused"


def test_the_text_audit_shows_references(project):
    result = CliRunner().invoke(main, ["audit", "."], prog_name="flaglint")
    assert "referenced outside Python: web/src/Banner.tsx:4" in result.stdout


@pytest.mark.parametrize(
    "text, found",
    [
        ("isOn('fflag_x')", {"fflag_x": [1]}),
        ("flags.fflag_x && go()", {"fflag_x": [1]}),
        ("{% flag_enabled 'fflag_x' %}", {"fflag_x": [1]}),
        ("a\nb\n  fflag_x\nfflag_x", {"fflag_x": [3, 4]}),
        ("fflag_x_y", {}),
        ("xfflag_x", {}),
        ("$fflag_x", {}),
        ("fflag_x$", {}),
        ("my-fflag_x", {}),
        ("fflag_x-old", {}),
        ("FFLAG_X", {}),
    ],
)
def test_whole_token_boundaries(text, found):
    assert KeySet(["fflag_x"]).mentions(text) == found


def test_keys_with_punctuation_are_whole_tokens_too():
    keys = KeySet(["org:beta", "new-checkout", "a.b"])
    assert keys.mentions("'org:beta' new-checkout a.b") == {"org:beta": [1], "new-checkout": [1], "a.b": [1]}
    assert keys.mentions("org:beta2 old-new-checkout new-checkout-v2 a.bc") == {}


@pytest.mark.parametrize(
    "name, directory, wanted",
    [
        ("App.tsx", "web/src", True),
        ("Button.jsx", "web/src", True),
        ("flags.ts", "web/src", True),
        ("base.html", "app/templates", True),  # a Django template
        ("page.jinja", ".", True),
        ("main.js.map", "web/dist", True),  # a bundle's source map holds its original source
        ("main.mjs.map", "web/dist", True),
        ("main.MIN.JS.MAP", "web/dist", True),
        ("styles.css.map", "web/dist", False),  # a stylesheet's map: no code reads a flag there
        ("data.map", ".", False),
        ("main.js", "web/dist", True),
        ("x.mjs", ".", True),
        ("x.cjs", ".", True),
        ("Panel.vue", ".", True),
        ("Panel.svelte", ".", True),
        ("index.HTML", ".", True),
        ("page.jinja2", ".", True),
        ("mail.txt", "app/templates/emails", True),
        ("notes.txt", "docs", False),
        ("styles.css", ".", False),
        ("data.json", ".", False),
        ("views.py", ".", False),
    ],
)
def test_which_files_are_searched(name, directory, wanted):
    assert is_reference_file(name, directory) is wanted


def test_mentions_are_cached_by_content_and_key_set(tmp_path, monkeypatch):
    from flaglint.cache import FactsCache
    from flaglint.sources import references

    (tmp_path / "app.js").write_text("isOn('fflag_a');\nisOn('fflag_b');\n")
    files = [(tmp_path / "app.js", "app.js")]
    cache = FactsCache(tmp_path / "cache")
    cold = references.find_references(files, ["fflag_a"], cache)
    assert cold == {"fflag_a": [("app.js", 1)]}

    def no_scan(self, text):
        raise AssertionError("scanned again")

    monkeypatch.setattr(references.KeySet, "mentions", no_scan)
    assert references.find_references(files, ["fflag_a"], cache) == cold  # warm: no scan
    with pytest.raises(AssertionError, match="scanned again"):
        references.find_references(files, ["fflag_a", "fflag_b"], cache)  # another key set: a miss
    (tmp_path / "app.js").write_text("isOn('fflag_a');\n\n")
    with pytest.raises(AssertionError, match="scanned again"):
        references.find_references(files, ["fflag_a"], cache)  # other content: a miss


def test_a_mention_is_never_a_read_that_sets_a_flag(lint):
    # the front end mentions a key the file serves off: FL001 at the Python read stays
    files = {
        "flaglint.toml": 'flag-sources = ["ld.yaml"]\n',
        "ld.yaml": "flagValues:\n  fflag_dead: false\n",
        "app.py": "import ldclient\n\n\ndef view(ctx):\n    if ldclient.get().variation('fflag_dead', ctx, False):\n        return 1\n",
        "web/App.tsx": "export const on = isOn('fflag_dead');\n",
    }
    assert [(f.code, f.path, f.span.line) for f in lint(files)] == [("FL001", "app.py", 5), ("FL002", "app.py", 6)]
