"""Environment sources, and the walk that finds every flag source in the tree.

Read here: ``.env`` files (parsed by python-dotenv) and docker-compose files
(``environment:`` in list or mapping form, and the files named by
``env_file:``), parsed by PyYAML. Dockerfiles (:mod:`.dockerfile`),
Kubernetes manifests (:mod:`.kubernetes`), Django settings and templates
(:mod:`.django`) are found by the same walk and read by their own modules.

CI pipelines (:mod:`.ci`: GitHub Actions workflows, GitLab CI) set
variables too, and count like Dockerfiles: set, but deciding nothing.

Found by walking the analysed directories (and the configuration file's
directory), skipping the directories discovery always skips. A file that
cannot be read is recorded as a problem naming the file, never raised.
"""

from __future__ import annotations

import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Dict, Iterable, List, Optional, Sequence, Set, Tuple, Union

from ..discover import DEFAULT_EXCLUDES, real_path
from .ci import is_ci_file, is_gitlab_ci
from .names import (
    is_compose_file,
    is_dockerfile,
    is_env_file,
    is_kustomization,
    is_settings_file,
    is_template_file,
    is_yaml,
)
from .reading import read_source_text

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
    #: why any variable may be set: an environment file that cannot be read,
    #: an ``envFrom`` of a ConfigMap not in the tree, a Helm template that
    #: inserts text... Any one makes every environment variable unknown.
    env_open: List[str] = field(default_factory=list)
    #: Dockerfiles, CI pipelines, example .env files (``.env.example``) and
    #: development containers' compose files: the variables they set count, but they do
    #: not tell what a deployment sets, so they alone never make ``has_env``
    #: true
    build_files: List[str] = field(default_factory=list)
    #: flag definition files (``flag-sources``): key -> FlagDefinition list
    flag_files: List[str] = field(default_factory=list)
    flags: Dict[str, list] = field(default_factory=dict)
    #: flags read outside Python (Django templates): ``sdk:<provider>:<key>`` -> [(path, line)]
    outside_reads: Dict[str, List[Tuple[str, int]]] = field(default_factory=dict)
    #: flag-source keys mentioned in non-Python text files (front end,
    #: bundles, templates; see :mod:`.references`): key -> [(path, line)]
    references: Dict[str, List[Tuple[str, int]]] = field(default_factory=dict)
    #: identifiers the packaging metadata names as entry points (see entry_points.py)
    entry_points: Set[str] = field(default_factory=set)

    def add_env(self, assignments: Iterable[EnvAssignment]) -> None:
        for assignment in assignments:
            self.env.setdefault(assignment.name, []).append(assignment)

    def definitions(self, provider: str, key: str) -> list:
        """What the flag files say about ``key`` as read through ``provider``."""
        return [definition for definition in self.flags.get(key, ()) if provider in definition.providers]

    @property
    def has_env(self) -> bool:
        return bool(self.env_files)

    @property
    def env_unreadable(self) -> bool:
        """Some environment source may set any variable."""
        return bool(self.env_open)


@dataclass
class Found:
    """Candidate source files under the analysed directories, by kind."""

    env: List[Path] = field(default_factory=list)  # .env files and compose files
    dockerfiles: List[Path] = field(default_factory=list)
    yaml: List[Path] = field(default_factory=list)  # maybe Kubernetes manifests
    kustomizations: List[Path] = field(default_factory=list)
    settings: List[Path] = field(default_factory=list)  # Django settings modules
    templates: List[Path] = field(default_factory=list)  # Django / Jinja2 templates
    ci: List[Path] = field(default_factory=list)  # GitHub Actions workflows, .gitlab-ci.yml

    def all(self) -> List[Path]:
        return sorted(
            {*self.env, *self.dockerfiles, *self.yaml, *self.kustomizations, *self.settings, *self.templates, *self.ci}
        )


def _kind_of(name: str, directory: str) -> Optional[str]:
    """Which list of :class:`Found` a file belongs in, if any."""
    if is_ci_file(name, directory):
        return "ci"
    if is_env_file(name) or is_compose_file(name):
        return "env"
    if is_dockerfile(name):
        return "dockerfiles"
    if is_kustomization(name):
        return "kustomizations"
    if is_yaml(name):
        return "yaml"
    if is_settings_file(name, directory):
        return "settings"
    if is_template_file(name, directory):
        return "templates"
    return None


def walk_sources(roots: Iterable[Path]) -> Found:
    """Every candidate source file under ``roots`` (directories), sorted, unique."""
    found = Found()
    for root in roots:
        root = Path(root)
        if root.is_file():
            continue
        for directory, subdirs, files in os.walk(root):
            subdirs[:] = sorted(
                d for d in subdirs if d not in _SKIP and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
            )
            for name in files:
                kind = _kind_of(name, directory)
                if kind is not None:
                    getattr(found, kind).append(_candidate(Path(directory, name)))
    for kind in ("env", "dockerfiles", "yaml", "kustomizations", "settings", "templates", "ci"):
        setattr(found, kind, sorted(set(getattr(found, kind))))
    return found


def _candidate(path: Path) -> Path:
    """``path`` with symlinks resolved (one file reached by two names is read
    once), unless it resolves to something that is not a regular file
    (``.env`` -> ``/dev/zero``): that is reported under its name in the tree."""
    real = real_path(path)
    try:
        return real if stat.S_ISREG(os.stat(real).st_mode) else path
    except (OSError, ValueError):
        return real  # missing, or a loop: reported as not found


def find_sources(roots: Iterable[Path]) -> List[Path]:
    """Every candidate source file under ``roots`` (directories), sorted, unique."""
    return walk_sources(roots).all()


def load_sources(roots: Iterable[Path], cwd: Optional[Path] = None, flag_files: Iterable[Path] = ()) -> Sources:
    """Parse every source under ``roots``, and the flag files."""
    from .django import load_django
    from .entry_points import entry_point_names
    from .flagfiles import load_flag_files

    cwd = real_path(Path(cwd or Path.cwd()))
    sources = Sources()
    roots = [real_path(root) for root in roots]
    found = walk_sources(roots)
    files = [(real_path(path), _display(real_path(path), cwd)) for path in flag_files]
    sources.flag_files = [display for _, display in files]
    settings = [(path, display) for path, display in files if path.suffix == ".py"]
    sources.flags, sources.problems = load_flag_files([item for item in files if item not in settings])
    _load_env_files(sources, found.env, cwd, roots)
    _load_dockerfiles(sources, found.dockerfiles, cwd)
    _load_ci(sources, found.ci, cwd)
    _load_manifests(sources, found.yaml, found.kustomizations, cwd)
    load_django(sources, settings, [(path, _display(path, cwd)) for path in found.settings], found.templates, cwd)
    sources.entry_points = entry_point_names(roots, cwd)
    return sources


def _read(
    path: Path, display: str, sources: Sources, what: str, kind: str, named_by: Optional[str] = None
) -> Optional[str]:
    """The file's text (bounded, regular files only: see :mod:`.reading`), or
    None with a problem naming the file; or, for a file outside the project
    (``env_file: /dev/zero``), naming the file that named it (``named_by``),
    so that the report, which shows only the project's files, shows it."""
    try:
        return read_source_text(path, kind)
    except (OSError, ValueError) as error:  # ValueError: undecodable, or a NUL byte in a name a file gave
        if named_by:
            sources.problems.append((named_by, f"env_file {display}: cannot read {what}: {error}", 1))
        else:
            sources.problems.append((display, f"cannot read {what}: {error}", 1))
        return None


def _outside(display: str) -> bool:
    """A display path outside the working directory (see :func:`_display`)."""
    return PurePath(display).is_absolute() or display.startswith("../")


#: ``.env.example`` and friends: a template for developers, not an environment
_EXAMPLE_SUFFIXES = (".example", ".sample", ".dist", ".template", ".tmpl", ".defaults", ".tpl")
#: directories holding development environments (VS Code dev containers)
_DEVELOPMENT_DIRS = frozenset({".devcontainer"})


def is_example(path: Path) -> bool:
    """A template or a development container's environment: it shows which
    variables exist, not what any deployment sets."""
    return path.name.lower().endswith(_EXAMPLE_SUFFIXES) or bool(_DEVELOPMENT_DIRS & set(path.parts))


def _load_env_files(sources: Sources, paths: List[Path], cwd: Path, roots: Sequence[Path] = ()) -> None:
    """.env and compose files, and the files compose's ``env_file:`` names
    (see :func:`compose_bases` for where a relative name is looked for)."""
    seen = set()
    pending: List[Tuple[Path, Optional[str]]] = [(path, None) for path in paths]  # (path, compose file naming it)
    while pending:
        path, named_by = pending.pop(0)
        if path in seen:
            continue
        seen.add(path)
        display = _display(path, cwd)
        if is_example(path):
            sources.build_files.append(display)  # sets variables, decides nothing
        else:
            sources.env_files.append(display)
        if not path.exists():  # named by a compose file's env_file
            sources.problems.append((display, "environment file not found (named in a compose file's env_file)", 1))
            sources.env_open.append(f"{display} is named by a compose file's env_file but does not exist")
            continue
        kind = "compose" if is_compose_file(path.name) else "env"
        text = _read(path, display, sources, "environment file", kind, _outside(display) and named_by)
        if text is None:
            sources.env_open.append(f"{display} could not be read")
            continue
        if is_compose_file(path.name):
            bases = compose_bases(path, roots)
            assignments, env_files, problem = parse_compose(text, display, bases)
            if problem is not None:
                sources.problems.append((display, problem[0], problem[1]))
                sources.env_open.append(f"{display} could not be read")
            pending.extend((_first_existing(bases, name), display) for name in env_files)
        else:
            assignments = parse_env(text, display)
        sources.add_env(assignments)


def _load_dockerfiles(sources: Sources, paths: List[Path], cwd: Path) -> None:
    from .dockerfile import parse_dockerfile

    for path in paths:
        display = _display(path, cwd)
        text = _read(path, display, sources, "Dockerfile", "dockerfile")
        if text is None:
            sources.env_open.append(f"{display} could not be read")
            continue
        sources.build_files.append(display)
        assignments, problems, open_reason = parse_dockerfile(text, display)
        sources.add_env(assignments)
        sources.problems.extend((display, message, line) for message, line in problems)
        if open_reason is not None:
            sources.env_open.append(open_reason)


def _load_ci(sources: Sources, paths: List[Path], cwd: Path) -> None:
    """CI pipelines: they set variables but decide nothing (see :mod:`.ci`
    for why an unreadable one is a problem but leaves the environment known)."""
    from .ci import parse_ci

    for path in paths:
        display = _display(path, cwd)
        text = _read(path, display, sources, "CI file", "ci")
        if text is None:
            continue
        sources.build_files.append(display)
        assignments, problem = parse_ci(text, display, gitlab=is_gitlab_ci(path.name))
        sources.add_env(assignments)
        if problem is not None:
            sources.problems.append((display, *problem))


def _load_manifests(sources: Sources, yaml_files: List[Path], kustomizations: List[Path], cwd: Path) -> None:
    """Kubernetes manifests (the cheap text check first, see
    :func:`.kubernetes.might_be_manifest`) and kustomize generators."""
    from . import kubernetes

    manifests = []
    for path in yaml_files:
        try:
            text = read_source_text(path, "manifest", kubernetes.MAX_BYTES)
        except (OSError, ValueError):
            continue  # not known to be a manifest: nothing to report
        if not kubernetes.might_be_manifest(text):
            continue
        display = _display(path, cwd)
        manifest = kubernetes.parse_manifest(text, display)
        if manifest.problem is not None:
            sources.problems.append((display, *manifest.problem))
            sources.env_open.append(f"{display} could not be read")
        if manifest.workload:
            sources.env_files.append(display)
        manifests.append(manifest)
    for path in kustomizations:
        display = _display(path, cwd)
        text = _read(path, display, sources, "kustomization", "kustomization")
        if text is not None:
            manifest = kubernetes.parse_kustomization(text, display, path.parent, lambda item: _display(item, cwd))
            if manifest.problem is not None:
                sources.problems.append((display, *manifest.problem))
            manifests.append(manifest)
    assignments, reasons = kubernetes.resolve(manifests)
    sources.add_env(assignments)
    sources.env_open.extend(reason for reason in reasons if reason not in sources.env_open)


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
    for directory in path.parents[1:]:  # reaches ``root``, which is above the file
        if any((directory / name).is_file() for name in _DEFAULT_COMPOSE_NAMES):
            bases.append(directory)
            break
        if directory == root:
            break
    return bases if root in bases else [*bases, root]


def _first_existing(bases: Sequence[Path], name: str) -> Path:
    """``name`` under the first of ``bases`` that has it; else under the first
    (which is then reported as not found)."""
    for base in bases:
        candidate = real_path(base / name)
        if candidate.exists():
            return candidate
    return real_path(bases[0] / name)


def parse_compose(text: str, display: str, base: Union[Path, Sequence[Path], None] = None):
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


def _exists(base: Union[Path, Sequence[Path], None], name) -> bool:
    bases = [base] if isinstance(base, Path) else list(base or ())
    return isinstance(name, str) and any((item / name).exists() for item in bases)


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
        path = real_path(Path(cwd) / given)
        roots.append(path if path.is_dir() else path.parent)
    if config_path is not None:
        roots.append(real_path(config_path).parent)
    unique: List[Path] = []
    for root in roots:
        if not any(root == other or other in root.parents for other in unique):
            unique = [other for other in unique if root not in other.parents] + [root]
    return unique
