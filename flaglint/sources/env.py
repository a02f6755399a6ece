"""Environment sources: ``.env`` files (parsed by python-dotenv) and
docker-compose files (``environment:`` in list or mapping form, and the
files named by ``env_file:``), parsed by PyYAML.

:mod:`.load` finds them and follows ``env_file:`` names; this module only
parses one file's text.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import List, Optional, Sequence, Tuple, Union

from ..project import real_path
from .model import EnvAssignment

#: the files ``docker compose`` reads without ``-f``: the project's first compose file
_DEFAULT_COMPOSE_NAMES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")


def compose_bases(path: Path, roots: Sequence[Path]) -> List[Path]:
    """Where the relative paths of compose file ``path`` may be resolved.

    ``docker compose -f docker-compose.yml -f docker/docker-compose.ci.yml``
    resolves every relative path against the directory of the FIRST file
    (the project directory), not the override's own. Which files are passed
    together is not written anywhere, so a relative name is looked for in
    the file's own directory, then in the nearest directory above it with a
    default compose file, then in the analysed root holding it."""
    bases = [path.parent]
    root = next((root for root in roots if root == path.parent or root in path.parents), None)
    if root is None or root == path.parent:
        return bases
    # reaches ``root``, which is above the file (a list: Python 3.9's
    # ``parents`` takes no slice)
    for directory in list(path.parents)[1:]:
        if any((directory / name).is_file() for name in _DEFAULT_COMPOSE_NAMES):
            bases.append(directory)
            break
        if directory == root:
            break
    return bases if root in bases else [*bases, root]


def first_existing(bases: Sequence[Path], name: str) -> Path:
    """``name`` under the first of ``bases`` that has it; else under the first
    (which is then reported as not found)."""
    for base in bases:
        candidate = real_path(base / name)
        if os.path.exists(candidate):  # pathlib's exists() raises for a name too long
            return candidate
    return real_path(bases[0] / name)


def parse_compose(
    text: str, display: str, base: Union[Path, Sequence[Path], None] = None
) -> Tuple[List[EnvAssignment], List[str], Optional[Tuple[str, int]]]:
    """(assignments, env_file names, problem) of a docker-compose file.

    ``environment:`` as a list (``- X=1``, or ``- X`` passed through from the
    host: set, value unknown) or a mapping (``X: "1"``, ``X:`` passed
    through). A file that is not valid YAML is a problem; one that is not
    shaped like a compose file sets nothing. ``base`` (a directory, or the
    directories of :func:`compose_bases`) is where an ``env_file`` marked
    ``required: false`` is looked for."""
    import yaml

    from .bounded_yaml import YAMLBudgetError, load

    try:
        data = load(text)
    except YAMLBudgetError as error:
        return [], [], (str(error), error.line)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [], (f"invalid YAML: {getattr(error, 'problem', None) or error}", mark.line + 1 if mark else 1)
    except RecursionError:
        return [], [], ("too deeply nested", 1)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return [], [], None
    lines = text.splitlines()
    assignments: List[EnvAssignment] = []
    env_files: List[str] = []
    for service in services.values():
        if not isinstance(service, dict):
            continue
        environment = service.get("environment")
        items: List[Tuple[str, Optional[str]]]
        if isinstance(environment, dict):
            items = [(str(name), None if value is None else str(value)) for name, value in environment.items()]
        elif isinstance(environment, list):
            items = [_list_item(str(item)) for item in environment]
        else:
            items = []
        for name, value in items:
            assignments.append(EnvAssignment(name, value, display, _line_of(lines, name)))
        files = service.get("env_file")
        for entry in files if isinstance(files, list) else [files] if files else []:
            if isinstance(entry, dict) and entry.get("required") is False and not _exists(base, entry.get("path")):
                continue  # ``required: false``: compose itself skips a missing file
            file_name = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(file_name, str) and file_name:
                env_files.append(file_name)
    return assignments, env_files, None


def _list_item(item: str) -> Tuple[str, Optional[str]]:
    """``X=1`` -> (X, "1"); ``X`` (passed through from the host) -> (X, None)."""
    name, equals, value = item.partition("=")
    return (name, value) if equals else (item, None)


def _exists(base: Union[Path, Sequence[Path], None], name) -> bool:
    bases = [base] if isinstance(base, Path) else list(base or ())
    return isinstance(name, str) and any(os.path.exists(item / name) for item in bases)


def _line_of(lines: List[str], name: str) -> int:
    for number, line in enumerate(lines, 1):
        stripped = line.strip().lstrip("-").strip().strip("\"'")
        if stripped.startswith((f"{name}=", f"{name}:")) or stripped == name:
            return number
    return 1


def parse_env(text: str, display: str) -> List[EnvAssignment]:
    """Assignments of one .env file, with their line numbers.

    ``dotenv.parser.parse_stream`` is what ``dotenv_values`` uses and the
    only way to get line numbers; if a python-dotenv release moves it, fall
    back to the public ``dotenv_values`` (every assignment on line 1)."""
    try:
        from dotenv.parser import parse_stream
    except ImportError:  # pragma: no cover - depends on the installed python-dotenv
        from dotenv import dotenv_values

        values = dotenv_values(stream=io.StringIO(text))
        return [EnvAssignment(name, value, display, 1) for name, value in values.items()]
    assignments = []
    for binding in parse_stream(io.StringIO(text)):
        if binding.key is None or binding.error:
            continue
        assignments.append(EnvAssignment(binding.key, binding.value, display, binding.original.line))
    return assignments
