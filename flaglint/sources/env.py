"""Environment sources: ``.env`` files (parsed by python-dotenv) and
docker-compose files (``environment:`` in list or mapping form, and the
files named by ``env_file:``), parsed by PyYAML.

Found by walking the analysed directories (and the configuration file's
directory), skipping the directories discovery always skips. A file that
cannot be read is recorded as a problem naming the file, never raised.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from ..discover import DEFAULT_EXCLUDES

_SKIP = frozenset(DEFAULT_EXCLUDES)


@dataclass(frozen=True)
class EnvAssignment:
    """``X=value`` in an environment source."""

    name: str
    value: Optional[str]
    path: str  # display path (POSIX, relative to the working directory)
    line: int


@dataclass
class Sources:
    """Everything the flag sources say: environment files found, and the
    variables they set."""

    env_files: List[str] = field(default_factory=list)
    env: Dict[str, List[EnvAssignment]] = field(default_factory=dict)
    problems: List[Tuple[str, str, int]] = field(default_factory=list)  # (path, what is wrong, line)
    #: an environment file could not be read: any variable may be set there
    env_unreadable: bool = False
    #: flag definition files (``flag-sources``): key -> FlagDefinition list
    flag_files: List[str] = field(default_factory=list)
    flags: Dict[str, list] = field(default_factory=dict)

    def definitions(self, provider: str, key: str) -> list:
        """What the flag files say about ``key`` as read through ``provider``."""
        return [definition for definition in self.flags.get(key, ()) if provider in definition.providers]

    @property
    def has_env(self) -> bool:
        return bool(self.env_files)


#: encrypted or signed copies of an environment file: not readable as one
_NOT_ENV_SUFFIXES = (".gpg", ".enc", ".age", ".asc", ".sig", ".vault", ".kdbx", ".swp", ".bak", "~")


def is_env_file(name: str) -> bool:
    """``.env``, ``.env.local``, ``.env.production``... (not ``.envrc``, not
    an encrypted ``.env.gpg``)."""
    return name == ".env" or (name.startswith(".env.") and not name.endswith(_NOT_ENV_SUFFIXES))


_COMPOSE_NAMES = frozenset({"docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml"})


def is_compose_file(name: str) -> bool:
    """``docker-compose.yml``, ``compose.yaml``, ``docker-compose.override.yml``..."""
    return name in _COMPOSE_NAMES or (name.startswith("docker-compose.") and name.endswith((".yml", ".yaml")))


def find_sources(roots: Iterable[Path]) -> List[Path]:
    """Environment and compose files under ``roots`` (directories), sorted, unique."""
    found = set()
    for root in roots:
        root = Path(root)
        if root.is_file():
            continue
        for directory, subdirs, files in os.walk(root):
            subdirs[:] = sorted(d for d in subdirs if d not in _SKIP and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg")))
            for name in files:
                if is_env_file(name) or is_compose_file(name):
                    found.add(Path(directory, name).resolve())
    return sorted(found)


def load_sources(roots: Iterable[Path], cwd: Optional[Path] = None, flag_files: Iterable[Path] = ()) -> Sources:
    """Parse every environment file under ``roots``, and the flag files."""
    from .flagfiles import load_flag_files

    cwd = Path(cwd or Path.cwd()).resolve()
    sources = Sources()
    files = [(Path(path).resolve(), _display(Path(path).resolve(), cwd)) for path in flag_files]
    sources.flag_files = [display for _, display in files]
    sources.flags, sources.problems = load_flag_files(files)
    seen = set()
    pending = list(find_sources(roots))
    while pending:
        path = pending.pop(0)
        if path in seen:
            continue
        seen.add(path)
        display = _display(path, cwd)
        sources.env_files.append(display)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:  # named by a compose file's env_file
            sources.problems.append((display, "environment file not found (named in a compose file's env_file)", 1))
            sources.env_unreadable = True
            continue
        except (OSError, UnicodeDecodeError) as error:
            sources.problems.append((display, f"cannot read environment file: {error}", 1))
            sources.env_unreadable = True
            continue
        if is_compose_file(path.name):
            assignments, env_files, problem = parse_compose(text, display, path.parent)
            if problem is not None:
                sources.problems.append((display, problem[0], problem[1]))
                sources.env_unreadable = True
            pending.extend((path.parent / name).resolve() for name in env_files)
        else:
            assignments = parse_env(text, display)
        for assignment in assignments:
            sources.env.setdefault(assignment.name, []).append(assignment)
    return sources


def parse_compose(text: str, display: str, base: Optional[Path] = None):
    """(assignments, env_file names, problem) of a docker-compose file.

    ``environment:`` as a list (``- X=1``, or ``- X`` passed through from the
    host: set, value unknown) or a mapping (``X: "1"``, ``X:`` passed
    through). A file that is not valid YAML is a problem; one that is not
    shaped like a compose file sets nothing."""
    import yaml

    from .flagfiles import _loader

    try:
        data = yaml.load(text, Loader=_loader())
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        return [], [], (f"invalid YAML: {getattr(error, 'problem', None) or error}", mark.line + 1 if mark else 1)
    except RecursionError:
        return [], [], ("too deeply nested", 1)
    services = data.get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict):
        return [], [], None
    lines = text.splitlines()
    assignments, env_files = [], []
    for service in services.values():
        if not isinstance(service, dict):
            continue
        environment = service.get("environment")
        if isinstance(environment, dict):
            items = [(str(name), None if value is None else str(value)) for name, value in environment.items()]
        elif isinstance(environment, list):
            items = [tuple(str(item).split("=", 1)) if "=" in str(item) else (str(item), None) for item in environment]
        else:
            items = []
        for name, value in items:
            assignments.append(EnvAssignment(name, value, display, _line_of(lines, name)))
        files = service.get("env_file")
        for entry in files if isinstance(files, list) else [files] if files else []:
            if isinstance(entry, dict) and entry.get("required") is False and not _exists(base, entry.get("path")):
                continue  # ``required: false``: compose itself skips a missing file
            name = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(name, str) and name:
                env_files.append(name)
    return assignments, env_files, None


def _exists(base: Optional[Path], name) -> bool:
    return isinstance(name, str) and base is not None and (base / name).exists()


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


def _display(path: Path, cwd: Path) -> str:
    try:
        return PurePath(os.path.relpath(path, cwd)).as_posix() if str(path).startswith(str(cwd)) else path.as_posix()
    except ValueError:
        return path.as_posix()


def roots_for(paths: Sequence, cwd: Path, config_path: Optional[Path]) -> List[Path]:
    """Directories to search: the directories analysed, and the project's
    configuration directory."""
    roots = []
    for given in paths:
        path = (Path(cwd) / given).resolve()
        roots.append(path if path.is_dir() else path.parent)
    if config_path is not None:
        roots.append(Path(config_path).resolve().parent)
    unique: List[Path] = []
    for root in roots:
        if not any(root == other or other in root.parents for other in unique):
            unique = [other for other in unique if root not in other.parents] + [root]
    return unique
