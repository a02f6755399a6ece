"""The GitHub Action (action.yml), run as the composite runner runs it.

The runner is emulated, not mocked: action.yml is parsed, each ``run:`` step
is run with its ``shell:`` (``bash --noprofile --norc -eo pipefail``, as
GitHub runs ``shell: bash``) in a scratch git repository, with its ``env:``
expressions replaced by the inputs, ``github.action_path`` (a copy of this
checkout), ``runner.temp`` and the outputs earlier steps wrote to
``$GITHUB_OUTPUT``. ``uses:`` steps (setup-python, cache, artifacts,
upload-sarif) are GitHub's own and are skipped; the test does by hand the one
thing they carry between jobs, the shard files of a matrix. An expression the
emulator does not know fails the test rather than being guessed.

``python`` is a fresh virtual environment that sees the test's own
dependencies (so nothing is downloaded) but not flaglint: the action's install
step is what puts flaglint there. Installing the same action into the same
Python again changes nothing, so that one step runs once per module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import textwrap
import venv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import jsonschema
import pytest
import yaml

from conftest import git, write_tree

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
ACTION = REPO / "action.yml"
MONOREPO = DATA / "shards" / "monorepo"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

pytestmark = pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("git") is None, reason="needs bash and git, as GitHub's runners have"
)


def metadata() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the metadata


def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((DATA / "action-metadata-schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_action_yml_is_valid_actions_metadata():
    errors = [f"{error.json_path}: {error.message}" for error in schema_validator().iter_errors(metadata())]
    assert errors == []


def _broken(change) -> dict:
    document = metadata()
    change(document)
    return document


@pytest.mark.parametrize(
    "name, change",
    [
        ("run without shell", lambda d: d["runs"]["steps"][1].pop("shell")),
        ("unknown top-level key", lambda d: d.update(version="1")),
        ("unknown step key", lambda d: d["runs"]["steps"][1].update(timeout=3)),
        ("composite output without value", lambda d: d["outputs"]["sarif"].pop("value")),
        ("input without description", lambda d: d["inputs"]["paths"].pop("description")),
        ("input default not a string", lambda d: d["inputs"]["shards"].update(default=1)),
        ("branding colour", lambda d: d["branding"].update(color="pink")),
        ("branding icon omitted by GitHub", lambda d: d["branding"].update(icon="coffee")),
        ("uses without a ref", lambda d: d["runs"]["steps"][0].update(uses="actions/setup-python")),
        ("input id with a dot", lambda d: d["inputs"].update({"a.b": {"description": "x"}})),
        ("using", lambda d: d["runs"].update(using="node12")),
    ],
)
def test_the_schema_rejects_what_the_reference_does_not_allow(name, change):
    """Must not: the schema is not a rubber stamp."""
    assert list(schema_validator().iter_errors(_broken(change))), name


def test_no_input_reaches_a_script_except_through_env():
    """``${{ inputs.x }}`` inside a ``run:`` script is pasted into the shell
    text before bash reads it: a path like ``$(curl ...)`` would run. Every
    value goes through ``env:`` instead."""
    for step in metadata()["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]


def test_run_steps_have_no_conditions():
    """Conditions are kept to ``uses:`` steps, so the shell steps this test
    runs are exactly the ones the runner runs."""
    assert [step["name"] for step in metadata()["runs"]["steps"] if "run" in step and "if" in step] == []


def test_the_action_uses_the_console_script_and_isolated_pythons():
    """The working directory is the repository under review (docs/ci.md)."""
    scripts = "\n".join(step.get("run", "") for step in metadata()["runs"]["steps"])
    assert "python -m flaglint" not in scripts
    assert re.findall(r"\bpython\b(?: -\w)?", scripts) == ["python -I", "python -I", "python -I"]


def test_the_inputs_and_outputs_are_the_documented_ones():
    document = metadata()
    assert list(document["inputs"]) == [
        "paths",
        "config",
        "baseline",
        "fail-on",
        "shard",
        "shards",
        "python-version",
        "cache-secret",
        "upload-sarif",
        "category",
    ]
    assert list(document["outputs"]) == ["sarif", "findings", "shard-file"]
    ci = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    for name in [*document["inputs"], *document["outputs"]]:
        assert f"| `{name}` |" in ci, f"docs/ci.md does not document {name}"


def test_the_steps_github_runs_for_us():
    uses = [step["uses"] for step in metadata()["runs"]["steps"] if "uses" in step]
    assert uses == [
        "actions/setup-python@v5",
        "actions/cache/restore@v4",
        "actions/download-artifact@v4",
        "actions/cache/save@v4",
        "actions/upload-artifact@v4",
        "github/codeql-action/upload-sarif@v3",
    ]


# --------------------------------------------------------------------------- the emulated runner


@dataclass
class ActionRun:
    returncode: int
    outputs: Dict[str, str]
    log: str
    ran: List[str] = field(default_factory=list)


class Runner:
    """Runs action.yml's shell steps as GitHub's composite runner would."""

    def __init__(self, action_path: Path, python_bin: Path, temp: Path) -> None:
        self.action_path = action_path
        self.python_bin = python_bin
        self.temp = temp
        self.installed: Optional[Dict[str, str]] = None

    def run(self, workspace: Path, temp: Optional[Path] = None, **inputs: str) -> ActionRun:
        """One job's run of the action; ``temp`` is its ``runner.temp``
        (a new one by default, as every job gets)."""
        temp = temp or Path(tempfile.mkdtemp(dir=self.temp))
        document = metadata()
        unknown = set(inputs) - set(document["inputs"])
        assert not unknown, f"not inputs of the action: {unknown}"
        values = {f"inputs.{name}": spec.get("default", "") for name, spec in document["inputs"].items()}
        values.update({f"inputs.{name}": value for name, value in inputs.items()})
        values.update({"github.action_path": str(self.action_path), "runner.temp": str(temp), "runner.os": "Linux"})
        outputs: Dict[str, Dict[str, str]] = {}

        def expand(text: str) -> str:
            def one(match: "re.Match[str]") -> str:
                expression = match.group(1)
                step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
                if step:
                    return outputs.get(step.group(1), {}).get(step.group(2), "")
                assert expression in values, f"the emulator does not know ${{{{ {expression} }}}}"
                return values[expression]

            return EXPRESSION.sub(one, str(text))

        log: List[str] = []
        ran: List[str] = []
        returncode = 0
        for index, step in enumerate(document["runs"]["steps"]):
            if "uses" in step:
                continue
            if step["name"] == "Install flaglint" and self.installed is not None:
                outputs[step["id"]] = dict(self.installed)
                continue
            assert step["shell"] == "bash"
            script = temp / f"step-{index}.sh"
            script.write_text(step["run"], encoding="utf-8")
            output_file = temp / f"output-{index}"
            output_file.write_text("", encoding="utf-8")
            environment = {
                "PATH": f"{self.python_bin}{os.pathsep}{os.environ['PATH']}",
                "HOME": str(self.temp / "home"),  # shared by the jobs: one machine
                "LANG": "C.UTF-8",
                "GITHUB_OUTPUT": str(output_file),
                "GITHUB_WORKSPACE": str(workspace),
                "GITHUB_ACTION_PATH": str(self.action_path),
                "RUNNER_TEMP": str(temp),
                # pip finds the build backend where the machine's own pip does
                **{key: value for key, value in os.environ.items() if key.startswith("PIP_")},
                **{name: expand(value) for name, value in step.get("env", {}).items()},
            }
            process = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                cwd=workspace,
                env=environment,
                capture_output=True,
                text=True,
                timeout=600,
            )
            ran.append(step["name"])
            log.append(process.stdout + process.stderr)
            outputs[step.get("id", str(index))] = _read_outputs(output_file)
            if step["name"] == "Install flaglint" and process.returncode == 0:
                self.installed = outputs[step["id"]]
            if process.returncode != 0:
                returncode = process.returncode
                break
        declared = {name: expand(spec["value"]) for name, spec in document["outputs"].items()}
        return ActionRun(returncode, declared, "".join(log), ran)


def _read_outputs(path: Path) -> Dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert all("=" in line and "<<" not in line for line in lines), lines
    return dict(line.split("=", 1) for line in lines)


@pytest.fixture(scope="module")
def runner(tmp_path_factory) -> Runner:
    """A Python without flaglint (but with its dependencies), and this
    checkout copied where a runner would check the action out."""
    base = tmp_path_factory.mktemp("action")
    action_path = base / "_actions" / "flaglint" / "flaglint" / "main"
    shutil.copytree(
        REPO,
        action_path,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "*.egg-info", "build", "__pycache__", ".*_cache", "fixtures", "tests", "docs", "bench"
        ),
    )
    environment = base / "python"
    venv.create(environment, with_pip=False)
    purelib = Path(sysconfig.get_paths(vars={"base": str(environment), "platbase": str(environment)})["purelib"])
    here = [path for path in sys.path if path.endswith("site-packages") and Path(path).is_dir()]
    (purelib / "dependencies.pth").write_text("\n".join(here) + "\n", encoding="utf-8")
    (base / "temp").mkdir()
    return Runner(action_path, environment / "bin", base / "temp")


#: modules a Python started in the workspace would import from it, if it could
SHADOWED = ("json", "random", "tempfile", "re", "typing", "importlib", "pip", "flaglint")
MARKER = "import os\nos.close(os.open(os.path.join({root!r}, 'MARKER_' + __name__), os.O_CREAT | os.O_WRONLY))\n"


def make_workspace(root: Path) -> Path:
    """A scratch git repository: the monorepo fixture, committed, plus
    modules that would leave a marker if anything imported them."""
    shutil.copytree(MONOREPO, root, ignore=shutil.ignore_patterns("expected.txt"))
    write_tree(root, {f"{name}.py": MARKER.format(root=str(root)) for name in SHADOWED})
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "fixture")
    return root


@pytest.fixture
def workspace(tmp_path) -> Path:
    return make_workspace(tmp_path / "workspace")


@pytest.fixture(scope="module")
def first(runner, tmp_path_factory):
    """The first run of the module, with the documented defaults: it installs
    flaglint, so every other run can rely on it."""
    root = make_workspace(tmp_path_factory.mktemp("first") / "workspace")
    return root, runner.run(root)


def expected_findings() -> List[tuple]:
    rows = []
    for line in (MONOREPO / "expected.txt").read_text(encoding="utf-8").splitlines():
        code, place, _flag = line.split(" ")
        path, number = place.rsplit(":", 1)
        rows.append((code, path, int(number)))
    return rows


def sarif_findings(path: Path) -> List[tuple]:
    document = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))).validate(
        document
    )
    (run,) = document["runs"]
    return [
        (
            result["ruleId"],
            result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            result["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for result in run["results"]
    ]


def no_markers(root: Path) -> List[str]:
    return sorted(path.name for path in root.glob("MARKER_*"))


# --------------------------------------------------------------------------- runs


def test_the_default_run_writes_sarif_and_passes(runner, first):
    """The one-line use: flaglint installed from the action's own checkout,
    every finding in the SARIF, the job green."""
    workspace, result = first
    assert result.returncode == 0, result.log
    assert result.ran == ["Check the inputs", "Install flaglint", "Run flaglint", "Fail on new findings"]
    assert runner.installed == {"version": "0.1.0"}
    located = subprocess.run(
        [str(runner.python_bin / "python"), "-I", "-c", "import flaglint; print(flaglint.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert located.startswith(str(runner.python_bin.parent)), located
    sarif = Path(result.outputs["sarif"])
    assert sarif.name == "flaglint.sarif" and sarif.parent.name == "flaglint"
    assert workspace not in sarif.parents
    assert sarif_findings(sarif) == expected_findings()
    assert result.outputs["findings"] == "14"
    assert result.outputs["shard-file"] == ""
    assert "flaglint: 14 finding(s)" in result.log
    assert no_markers(workspace) == []
    assert not (workspace / ".flaglint_cache").exists(), "no cache without the secret"
    assert git(workspace, "status", "--porcelain") == "", "the action writes nothing into the repository"


def test_paths_narrow_the_run(runner, first, workspace):
    result = runner.run(workspace, paths="orders\ncore  scripts")
    assert result.returncode == 0, result.log
    assert sarif_findings(Path(result.outputs["sarif"])) == [
        ("FL001", "core/flags.py", 3),
        ("FL003", "orders/legacy.py", 6),
        ("FL003", "orders/protocol.py", 1),
        ("FL002", "scripts/export.py", 4),
    ]


def test_fail_on_new_fails_the_job_on_any_finding_without_a_baseline(runner, first, workspace):
    result = runner.run(workspace, **{"fail-on": "new"})
    assert result.returncode == 1
    assert result.outputs["findings"] == "14"
    assert "::error title=flaglint::14 new finding(s)" in result.log
    assert Path(result.outputs["sarif"]).is_file(), "the SARIF is written (and uploaded) before the job fails"


def test_fail_on_new_with_a_baseline_fails_only_on_new_findings(runner, first, workspace):
    flaglint = str(runner.python_bin / "flaglint")
    subprocess.run([flaglint, "check", "--no-cache", "--write-baseline", "baseline.json"], cwd=workspace, check=True)
    git(workspace, "add", "baseline.json")
    git(workspace, "commit", "-q", "-m", "baseline")

    accepted = runner.run(workspace, baseline="baseline.json", **{"fail-on": "new"})
    assert accepted.returncode == 0, accepted.log
    assert accepted.outputs["findings"] == "0"
    assert sarif_findings(Path(accepted.outputs["sarif"])) == []

    (workspace / "web" / "banner.py").write_text(
        "from core.client import is_on\n\n\ndef show(user):\n    return is_on('dead-banner', user)\n", encoding="utf-8"
    )
    new = runner.run(workspace, baseline="baseline.json", **{"fail-on": "new"})
    assert new.returncode == 1
    assert sarif_findings(Path(new.outputs["sarif"])) == [("FL001", "web/banner.py", 5)]
    assert new.outputs["findings"] == "1"
    assert "::error title=flaglint::1 new finding(s)" in new.log


@pytest.mark.parametrize(
    "inputs, message",
    [
        ({"fail-on": "sometimes"}, "::error title=flaglint::input fail-on must be never or new"),
        ({"shards": "three"}, "::error title=flaglint::input shards must be a number"),
        (
            {"shard": "1;touch x", "shards": "2"},
            "::error title=flaglint::input shard must be a number from 1 to shards",
        ),
    ],
)
def test_bad_inputs_fail_before_anything_runs(runner, workspace, inputs, message):
    result = runner.run(workspace, **inputs)
    assert result.returncode == 2
    assert result.ran == ["Check the inputs"]
    assert message in result.log
    assert not (workspace / "x").exists()


def test_a_usage_error_fails_the_job_whatever_fail_on_says(runner, first, workspace):
    result = runner.run(workspace, config="missing.toml")
    assert result.returncode == 2
    assert "flaglint: error: config file not found: missing.toml" in result.log
    assert "::error title=flaglint::flaglint check exited 2: see its message above" in result.log
    assert result.outputs["sarif"] == ""


def test_a_path_cannot_inject_shell_code(runner, first, workspace):
    result = runner.run(workspace, paths="orders $(touch injected) `touch injected2`")
    assert result.returncode == 2  # the words are paths that do not exist
    assert "flaglint: error: path does not exist: $(touch" in result.log
    assert sorted(path.name for path in workspace.glob("injected*")) == []


def test_with_the_cache_secret_the_facts_cache_is_written_for_actions_cache(runner, first, workspace):
    result = runner.run(workspace, **{"cache-secret": "0123456789abcdef" * 4})
    assert result.returncode == 0, result.log
    assert (workspace / ".flaglint_cache").is_dir()
    assert sarif_findings(Path(result.outputs["sarif"])) == expected_findings()


# --------------------------------------------------------------------------- a matrix


def test_a_matrix_of_three_shards_reports_what_one_run_reports(runner, first, workspace, tmp_path):
    # the same SARIF, but for the working directory, named in originalUriBaseIds
    whole_sarif = Path(first[1].outputs["sarif"]).read_text(encoding="utf-8").replace(str(first[0]), "WORKSPACE")

    artifacts = tmp_path / "artifacts"  # what upload-artifact keeps between the jobs
    artifacts.mkdir()
    for index in (1, 2, 3):
        job = runner.run(workspace, shard=str(index), shards="3")
        assert job.returncode == 0, job.log
        shard_file = Path(job.outputs["shard-file"])
        assert shard_file.name == f"flaglint-shard-{index}-of-3.json"
        assert job.outputs["sarif"] == job.outputs["findings"] == ""
        shutil.move(str(shard_file), artifacts / shard_file.name)
    assert "Run flaglint" in job.ran

    last_job = tmp_path / "last-job"
    downloads = last_job / "flaglint" / "shards"  # where download-artifact writes in the last job
    downloads.mkdir(parents=True)
    for shard_file in artifacts.iterdir():
        shutil.copy(shard_file, downloads / shard_file.name)
    merged = runner.run(workspace, temp=last_job, shards="3")
    assert merged.returncode == 0, merged.log
    assert "flaglint: merging 3 of 3 shards" in merged.log
    assert Path(merged.outputs["sarif"]).read_text(encoding="utf-8").replace(str(workspace), "WORKSPACE") == whole_sarif
    assert merged.outputs["findings"] == "14"

    (downloads / "flaglint-shard-2-of-3.json").unlink()  # a job that did not upload
    missing = runner.run(workspace, temp=last_job, shards="3")
    assert missing.returncode == 2
    assert "flaglint: error: shard 2/3 missing: merge all 3 shards" in missing.log
    for shard_file in downloads.iterdir():
        shard_file.unlink()
    none = runner.run(workspace, temp=last_job, shards="3")
    assert none.returncode == 2
    assert "::error title=flaglint::no shard of 3 was downloaded: did every matrix job run?" in none.log


# --------------------------------------------------------------------------- the documented workflows


def documented_workflows() -> List[pytest.param]:
    blocks = []
    for path in (REPO / "README.md", REPO / "docs" / "ci.md", REPO / "docs" / "performance.md"):
        text = path.read_text(encoding="utf-8")
        for number, block in enumerate(re.findall(r"^```yaml\n(.*?)^```", text, re.M | re.S)):
            blocks.append(pytest.param(block, id=f"{path.name}-{number}"))
    return blocks


def _steps(document) -> List[dict]:
    """Every step of a workflow, a job, or a bare list of steps."""
    if isinstance(document, list):
        return [step for step in document if isinstance(step, dict)]
    if not isinstance(document, dict):
        return []
    found = list(_steps(document.get("steps", [])))
    for job in (document.get("jobs") or {}).values():
        found += _steps(job)
    return found


@pytest.mark.parametrize("block", documented_workflows())
def test_documented_workflows_parse_and_use_only_real_inputs(block):
    """A recipe in the docs is valid YAML (indented step lists are parsed
    as such), and a step that uses the action passes only its inputs."""
    document = yaml.safe_load(block if not block.startswith(" ") else textwrap.dedent(block))
    inputs = set(metadata()["inputs"])
    for step in _steps(document):
        if str(step.get("uses", "")).startswith("flaglint/flaglint@"):
            assert set(step.get("with") or {}) <= inputs, step


def test_the_documented_workflows_use_the_action():
    uses = [block.values[0] for block in documented_workflows() if "uses: flaglint/flaglint@" in block.values[0]]
    assert len(uses) >= 4  # README, ci.md's one-liner, its baseline example, and the matrix
