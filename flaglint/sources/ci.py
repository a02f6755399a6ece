"""CI pipelines as environment sources: GitHub Actions workflows
(``.github/workflows/*.yml``) and GitLab CI (``.gitlab-ci.yml``), parsed by
PyYAML.

A test suite often reads variables that only CI sets (``PYTEST_DB_URL``);
without this, a project with a ``.env`` would see them as never set.

GitHub Actions: every ``env:`` mapping sets its variables, at the workflow,
job (and its ``container``) and step levels. GitLab CI: every ``variables:``
mapping, at the top and in each job (a value may be ``{value: ...}``). In
both, scripts set variables too (a step's ``run:``; GitLab's ``script``,
``before_script`` and ``after_script``), one shell line at a time, split by
:mod:`shlex`: ``export NAME=value``, ``NAME=value command`` (set for that
command) and ``echo "NAME=value" >> $GITHUB_ENV`` (set for later steps).
A value is known when it is a plain scalar or word; one that expands
something (``${{ secrets.X }}``, ``$OTHER``, ``$(cmd)``) sets the variable
to a value we cannot know. Service containers' variables are not the job's
and are skipped; ``include:``d files and reusable workflows are not followed.

Like a Dockerfile, a CI file tells which variables exist, not what a
deployment sets: it never makes the environment "known" on its own (see
``Sources.build_files``). A CI file that is not valid YAML is a problem
naming the file and line, and sets nothing; it does not make every variable
unknown, because CI files only ever add "also set" values next to the
sources that decide (``.env``, compose, Kubernetes), and the problem already
tells the user why a variable CI sets may be reported.
"""

from __future__ import annotations

import re
import shlex
from pathlib import PurePath
from typing import Iterator, List, Optional, Tuple

from .model import EnvAssignment

_GITLAB_NAMES = frozenset({".gitlab-ci.yml", ".gitlab-ci.yaml"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
#: ``echo "NAME=value" >> $GITHUB_ENV`` (or ``>> "$GITHUB_ENV"``, ``${GITHUB_ENV}``), in two
#: parts split at the last ``>>``: one pattern with a lazy ``(.*?)`` followed by ``\s*>>``
#: backtracked quadratically over a long run of spaces (17 s for 100 KB)
_ECHO = re.compile(r"""\s*echo\s+(["']?)([A-Za-z_][A-Za-z0-9_]*)=(.*)""", re.S)
_GITHUB_ENV_TARGET = re.compile(r"""\s*["']?\$\{?GITHUB_ENV\}?["']?\s*""")
#: what makes a value unknown: an expansion, shell or Actions
_EXPANDS = ("$", "`")
_GITLAB_SCRIPTS = ("before_script", "script", "after_script")
#: top-level GitLab keys that are not jobs
_GITLAB_GLOBAL = frozenset({"variables", "default", "include", "stages", "workflow", "image", "services", "cache"})


def is_gitlab_ci(name: str) -> bool:
    return name in _GITLAB_NAMES


def is_ci_file(name: str, directory: str) -> bool:
    """A GitHub Actions workflow or a GitLab CI file, by its name and place."""
    if is_gitlab_ci(name):
        return True
    return name.endswith((".yml", ".yaml")) and PurePath(directory).parts[-2:] == (".github", "workflows")


def parse_ci(text: str, display: str, gitlab: bool):
    """(assignments, problem as (what is wrong, line) or None) of one CI file."""
    import yaml  # PyYAML and the loader only where YAML is read

    from .bounded_yaml import YAMLBudgetError, load_with_lines

    try:
        documents, key_lines = load_with_lines(text)
    except YAMLBudgetError as error:
        return [], (str(error), error.line)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], (f"invalid YAML: {getattr(error, 'problem', None) or error}", mark.line + 1 if mark else 1)
    except RecursionError:
        return [], ("too deeply nested", 1)
    reader = _Reader(text.splitlines(), key_lines)
    found: List[_Found] = []
    for document in documents:
        if isinstance(document, dict):
            found.extend(reader.gitlab(document) if gitlab else reader.github(document))
    return [EnvAssignment(name, value, display, line) for name, value, line in found], None


_Found = Tuple[str, Optional[str], int]  # (name, value or None when unknown, line)


class _Reader:
    """Walks one CI file's documents; knows the line of every mapping key."""

    def __init__(self, lines: List[str], key_lines) -> None:
        self.lines = lines
        self.key_lines = key_lines

    def line(self, mapping: dict, key: str) -> int:
        return self.key_lines.get((id(mapping), key), 1)

    def github(self, workflow: dict) -> Iterator[_Found]:
        yield from self.mapping(workflow, "env")
        jobs = workflow.get("jobs")
        for job in jobs.values() if isinstance(jobs, dict) else ():
            if not isinstance(job, dict):
                continue
            yield from self.mapping(job, "env")
            if isinstance(job.get("container"), dict):
                yield from self.mapping(job["container"], "env")
            steps = job.get("steps")
            for step in steps if isinstance(steps, list) else ():
                if isinstance(step, dict):
                    yield from self.mapping(step, "env")
                    yield from self.script(step, "run")

    def gitlab(self, pipeline: dict) -> Iterator[_Found]:
        yield from self.mapping(pipeline, "variables")
        default = pipeline.get("default")
        jobs = [default] if isinstance(default, dict) else []
        jobs += [job for name, job in pipeline.items() if name not in _GITLAB_GLOBAL and isinstance(job, dict)]
        for job in jobs:
            yield from self.mapping(job, "variables")
            for key in _GITLAB_SCRIPTS:
                yield from self.script(job, key)

    def mapping(self, owner: dict, key: str) -> Iterator[_Found]:
        """``env:`` / ``variables:``: name -> scalar (GitLab: or ``{value: scalar}``)."""
        variables = owner.get(key)
        if not isinstance(variables, dict):
            return
        for name, value in variables.items():
            if isinstance(value, dict):  # GitLab's {value: ..., description: ...}
                value = value.get("value")
            yield str(name), _scalar(value), self.line(variables, name)

    def script(self, owner: dict, key: str) -> Iterator[_Found]:
        """A script's assignments, each on its own line of the file."""
        script = owner.get(key)
        first = self.line(owner, key)
        if isinstance(script, str):
            # a block scalar (``run: |``) starts on the line after its key
            header = self.lines[first - 1] if 0 < first <= len(self.lines) else ""
            block = re.search(r":\s*[|>][-+0-9]*\s*(#.*)?$", header) is not None
            for offset, line in _logical_lines(script):
                yield from (
                    (name, value, first + (offset + 1 if block else 0)) for name, value in shell_assignments(line)
                )
        elif isinstance(script, list):  # GitLab: a list of commands (maybe nested, from anchors)
            for command in _flatten(script):
                if isinstance(command, str):
                    for _, line in _logical_lines(command):
                        yield from ((name, value, first) for name, value in shell_assignments(line))


def _scalar(value) -> Optional[str]:
    """A YAML value as the variable's string, or None when it expands something."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return None if any(mark in text for mark in _EXPANDS) else text


def _flatten(items: list, depth: int = 0) -> Iterator:
    for item in items:
        if isinstance(item, list) and depth < 8:
            yield from _flatten(item, depth + 1)
        else:
            yield item


def _logical_lines(script: str) -> Iterator[Tuple[int, str]]:
    """(offset of its first line, text) of each shell line, ``\\``
    continuations joined."""
    pending, start = "", 0
    for offset, line in enumerate(script.splitlines()):
        if not pending:
            start = offset
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        yield start, pending + line
        pending = ""
    if pending:
        yield start, pending


def shell_assignments(line: str) -> List[Tuple[str, Optional[str]]]:
    """Variables one shell line puts in the environment: ``export A=1 B``
    (only words with ``=``), ``A=1 B=2 command``, ``env A=1 command`` (a bare ``A=1`` is a shell
    variable, not the environment's), ``echo "A=1" >> $GITHUB_ENV``. A line
    shlex cannot split (an unclosed quote opening a multi-line string) sets
    nothing."""
    github_env = _github_env(line)
    if github_env is not None:
        return [github_env]
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        return []
    if words[:1] in (["export"], ["env"]):  # ``env A=1 command`` sets A for the command, as a prefix does
        return [_assignment(word) for word in words[1:] if "=" in word and _NAME.match(word.split("=", 1)[0])]
    prefix: List[Tuple[str, Optional[str]]] = []
    for index, word in enumerate(words):
        name = word.split("=", 1)[0]
        if "=" not in word or not _NAME.match(name):
            return prefix if index > 0 else []  # a command follows the assignments
        prefix.append(_assignment(word))
    return []  # only assignments: shell variables


def _github_env(line: str) -> Optional[Tuple[str, Optional[str]]]:
    """``echo "NAME=value" >> $GITHUB_ENV``: (name, value), or None for any
    other line. Linear in the line's length."""
    head, redirect, target = line.rpartition(">>")
    if not redirect or not _GITHUB_ENV_TARGET.fullmatch(target):
        return None
    match = _ECHO.fullmatch(head.rstrip())
    if match is None:
        return None
    quote, name, value = match.groups()
    if quote:
        if not value.endswith(quote) or len(value) < len(quote):
            return None
        value = value[: -len(quote)]
    return name, _word_value(value)


def _assignment(word: str) -> Tuple[str, Optional[str]]:
    name, value = word.split("=", 1)
    return name, _word_value(value)


def _word_value(value: str) -> Optional[str]:
    return None if any(mark in value for mark in _EXPANDS) else value
