"""Find every flag source under the analysed directories, and load them all.

The one module that knows every format: the walk sorts candidate files by
name (:mod:`.names`, :func:`.ci.is_ci_file`), then each format's module
parses its files (:mod:`.env`: ``.env`` and compose files;
:mod:`.dockerfile`; :mod:`.ci`; :mod:`.kubernetes`; :mod:`.django`; flag
definition files through :mod:`.flagfiles` and :mod:`.unleash`) into the
plain data of :mod:`.model`.

Found by walking the analysed directories (and the configuration file's
directory), skipping the directories discovery always skips. A file that
cannot be read is recorded as a problem naming the file, never raised.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from ..discover import DEFAULT_EXCLUDES
from ..project import display_path, real_path
from . import flagfiles, kubernetes, unleash
from .ci import is_ci_file, is_gitlab_ci, parse_ci
from .django import load_django, load_named_settings
from .dockerfile import parse_dockerfile
from .entry_points import entry_point_names
from .env import compose_bases, first_existing, parse_compose, parse_env
from .model import FlagDefinition, Problem, SourceError, Sources
from .names import (
    is_compose_file,
    is_dockerfile,
    is_env_file,
    is_example,
    is_kustomization,
    is_settings_file,
    is_template_file,
    is_test_config,
    is_yaml,
)
from .reading import read_source_text

#: directories the walk never enters (those discovery always skips)
SKIPPED_DIRECTORIES = frozenset(DEFAULT_EXCLUDES)


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
    test_configs: List[Path] = field(default_factory=list)  # may name DJANGO_SETTINGS_MODULE

    def all(self) -> List[Path]:
        return sorted(
            {
                *self.env,
                *self.dockerfiles,
                *self.yaml,
                *self.kustomizations,
                *self.settings,
                *self.templates,
                *self.ci,
                *self.test_configs,
            }
        )


def kind_of(name: str, directory: str) -> Optional[str]:
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
    if is_test_config(name):
        return "test_configs"
    return None


def is_candidate(relative: PurePosixPath) -> bool:
    """Whether the walk would find a file at ``relative`` (below a root):
    for a tree that is not on disk (a git revision's)."""
    if any(part in SKIPPED_DIRECTORIES for part in relative.parts[:-1]):
        return False
    return kind_of(relative.name, str(relative.parent)) is not None


def walk_sources(roots: Iterable[Path]) -> Found:
    """Every candidate source file under ``roots`` (directories), sorted, unique."""
    found = Found()
    for root in roots:
        root = Path(root)
        if root.is_file():
            continue
        for directory, subdirs, files in os.walk(root):
            subdirs[:] = sorted(
                d
                for d in subdirs
                if d not in SKIPPED_DIRECTORIES and not os.path.exists(os.path.join(directory, d, "pyvenv.cfg"))
            )
            for name in files:
                kind = kind_of(name, directory)
                if kind is not None:
                    getattr(found, kind).append(_candidate(Path(directory, name)))
    for kind in ("env", "dockerfiles", "yaml", "kustomizations", "settings", "templates", "ci", "test_configs"):
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
    load_django(
        sources,
        settings,
        [(path, _display(path, cwd)) for path in found.settings],
        found.templates,
        lambda path: _display(path, cwd),
    )
    load_named_settings(sources, [(path, _display(path, cwd)) for path in found.test_configs])
    sources.entry_points = entry_point_names(roots, cwd)
    return sources


#: what a flag definition file holds at its top, for messages
_EXPECTED = "'flags' or 'flagValues' (flagd, LaunchDarkly) or 'features' (Unleash) at the top"


def load_flag_files(paths: List[Tuple[Path, str]]) -> Tuple[Dict[str, List[FlagDefinition]], List[Problem]]:
    """(key -> definitions, problems as (display path, message, line))."""
    definitions: Dict[str, List[FlagDefinition]] = {}
    problems: List[Problem] = []
    for path, display in paths:
        found, problem = parse_flag_file(path, display)
        if problem is not None:
            problems.append((display, *problem))
        for definition in found:
            definitions.setdefault(definition.key, []).append(definition)
    return definitions, problems


def parse_flag_file(path: Path, display: str) -> Tuple[List[FlagDefinition], Optional[Tuple[str, int]]]:
    """(definitions, problem): problem is (what is wrong, line), or None."""
    try:
        text = read_source_text(path, "flags")
    except FileNotFoundError:
        return [], ("flag source not found", 1)
    except IsADirectoryError:
        return [], ("flag source is a directory, not a file", 1)
    except (OSError, ValueError) as error:  # ValueError: undecodable, or a NUL byte in the path
        return [], (f"cannot read flag source: {error}", 1)
    try:
        data = _load_data(text, path.suffix.lower())
    except SourceError as error:
        return [], (str(error), error.line)
    except RecursionError:
        return [], ("flag source too deeply nested", 1)
    try:
        return flag_definitions(data, text, display), None
    except SourceError as error:
        return [], (f"not a flag file: {error}", error.line)
    except (TypeError, ValueError, AttributeError, RecursionError) as error:  # a shape no check above foresaw
        return [], (f"not a flag file: unexpected shape ({type(error).__name__})", 1)


def flag_definitions(data: Any, text: str, display: str) -> List[FlagDefinition]:
    """The definitions of a flag file's ``data``, in whichever format it is."""
    if not isinstance(data, dict):
        raise SourceError(f"expected a mapping with {_EXPECTED}")
    if unleash.is_unleash(data):
        return unleash.unleash_definitions(data, text, display)
    if flagfiles.is_flag_data(data):
        return flagfiles.definitions(data, text, display)
    raise SourceError(f"expected {_EXPECTED}")


def _load_data(text: str, suffix: str) -> Any:
    """A flag file's JSON or YAML; :class:`~.model.SourceError` if it is neither."""
    if suffix == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise SourceError(f"invalid JSON: {error.msg}", error.lineno) from None
        except ValueError as error:
            raise SourceError(f"invalid JSON: {error}") from None
        except RecursionError:  # json recurses once per level
            raise SourceError("invalid JSON: nested too deeply") from None
    import yaml  # PyYAML and the loader only where YAML is read

    from .bounded_yaml import YAMLBudgetError, load

    try:
        return load(text)
    except YAMLBudgetError as error:
        raise SourceError(str(error), error.line) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise SourceError(f"invalid YAML: {getattr(error, 'problem', None) or error}", line) from None


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
    """A display path outside the working directory (see :func:`_display`): absolute."""
    return PurePath(display).is_absolute()


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
        if _absent(path):  # named by a compose file's env_file
            sources.problems.append((display, "environment file not found (named in a compose file's env_file)", 1))
            sources.env_open.append(f"{display} is named by a compose file's env_file but does not exist")
            continue
        kind = "compose" if is_compose_file(path.name) else "env"
        text = _read(path, display, sources, "environment file", kind, named_by if _outside(display) else None)
        if text is None:
            sources.env_open.append(f"{display} could not be read")
            continue
        if is_compose_file(path.name):
            bases = compose_bases(path, roots)
            assignments, env_files, problem = parse_compose(text, display, bases)
            if problem is not None:
                sources.problems.append((display, problem[0], problem[1]))
                sources.env_open.append(f"{display} could not be read")
            pending.extend((first_existing(bases, name), display) for name in env_files)
        else:
            assignments = parse_env(text, display)
        sources.add_env(assignments)


def _load_dockerfiles(sources: Sources, paths: List[Path], cwd: Path) -> None:
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
        read = _read(path, display, sources, "kustomization", "kustomization")
        if read is not None:
            manifest = kubernetes.parse_kustomization(
                read, display, path.parent, lambda item: parse_env(read_source_text(item, "env"), _display(item, cwd))
            )
            if manifest.problem is not None:
                sources.problems.append((display, *manifest.problem))
            manifests.append(manifest)
    assignments, reasons = kubernetes.resolve(manifests)
    sources.add_env(assignments)
    sources.env_open.extend(reason for reason in reasons if reason not in sources.env_open)


def _display(path: Path, cwd: Path) -> str:
    """How a source file is named in findings: :func:`flaglint.project.display_path`,
    as discovery names Python files."""
    return display_path(str(path), str(cwd))


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


#: what pathlib's ``exists()`` calls "does not exist" (a symlink loop too)
_ABSENT = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)


def _absent(path: Path) -> bool:
    """Whether ``path`` does not exist, as pathlib's ``exists()`` answers;
    but where that raised OSError (a name longer than the file system
    allows: ENAMETOOLONG, exit 3), False: the read then reports the reason
    as FL000."""
    try:
        os.stat(path)
    except OSError as error:
        return error.errno in _ABSENT
    except ValueError:  # a NUL in the name
        return True
    return False
