"""Kubernetes manifests as environment sources, parsed by PyYAML.

A YAML file is read as a manifest when it has top-level ``apiVersion:`` and
``kind:`` keys and mentions ``containers:`` (or is a ConfigMap or Secret);
any other YAML file is skipped unread past that text check, and so is a file
larger than :data:`MAX_BYTES` (generated bundles, vendored CRDs). Every
document of a file counts (``---``, and ``kind: List`` items).

Any mapping with a ``containers`` list is a pod spec, whatever the kind
(Pod, Deployment, StatefulSet, DaemonSet, Job, CronJob, a custom resource
such as an Argo Rollout): the ``env`` of its containers, init containers
and ephemeral containers sets variables (``value``: known; ``valueFrom``:
set, value unknown). ``envFrom`` loads every key of a ConfigMap or Secret:
the keys of one defined in the tree (``data``, ``binaryData``,
``stringData``, or a kustomize ``configMapGenerator``/``secretGenerator``)
are set, with its ``prefix``; one that is not in the tree may set any
variable. Names are matched across namespaces, which can only hide a
finding.

Templated manifests (Helm charts) are read through :mod:`.helm`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple

from ..project import real_path
from .helm import PLACEHOLDER, is_templated, neutralise
from .model import EnvAssignment
from .reading import LIMITS

#: manifests larger than this are not read (1 MB)
MAX_BYTES = LIMITS["manifest"]

_TOP_KEY = {key: re.compile(rf"^{key}\s*:", re.M) for key in ("apiVersion", "kind")}
_CONFIG_KIND = re.compile(r"^kind\s*:\s*[\"']?(ConfigMap|Secret)\b", re.M)
_CONTAINER_LISTS = ("containers", "initContainers", "ephemeralContainers")
_DATA_FIELDS = {"ConfigMap": ("data", "binaryData"), "Secret": ("data", "stringData")}
#: how deep a pod spec may sit in a document (CronJob: spec.jobTemplate.spec.template.spec)
_MAX_DEPTH = 12


@dataclass(frozen=True)
class ConfigRef:
    """``envFrom: [{configMapRef: {name: app}, prefix: APP_}]``."""

    kind: str  # ConfigMap / Secret
    name: str
    prefix: str
    path: str
    line: int


@dataclass
class Manifest:
    """What one manifest file says about the environment."""

    workload: bool = False  # it holds a pod spec: an environment source
    assignments: List[EnvAssignment] = field(default_factory=list)
    refs: List[ConfigRef] = field(default_factory=list)
    #: (kind, name) -> keys it defines; None: defined, but its keys cannot be known
    configs: Dict[Tuple[str, str], Optional[List[EnvAssignment]]] = field(default_factory=dict)
    open_reasons: List[str] = field(default_factory=list)  # why any variable may be set
    problem: Optional[Tuple[str, int]] = None


def might_be_manifest(text: str) -> bool:
    """The cheap text check done before any YAML parsing."""
    if not all(pattern.search(text) for pattern in _TOP_KEY.values()):
        return False
    return "containers:" in text or bool(_CONFIG_KIND.search(text))


def parse_manifest(text: str, display: str) -> Manifest:
    import yaml  # PyYAML and the loader only where YAML is read

    from .bounded_yaml import YAMLBudgetError, load_with_lines

    manifest = Manifest()
    templated = is_templated(text)
    neutralised = neutralise(text) if templated else None
    try:
        documents, lines = load_with_lines(neutralised.text if neutralised else text)
    except YAMLBudgetError as error:  # a problem even in a template: rendering would not shrink it
        manifest.workload = "containers:" in text
        manifest.problem = (str(error), error.line)
        return manifest
    except (yaml.YAMLError, RecursionError) as error:
        manifest.workload = "containers:" in text
        if templated:  # not meant to be YAML before rendering: never a problem
            if manifest.workload:
                manifest.open_reasons.append(f"{display} is a template flaglint cannot read without rendering it")
        else:
            mark = getattr(error, "problem_mark", None)
            what = getattr(error, "problem", None) or (
                "too deeply nested" if isinstance(error, RecursionError) else error
            )
            manifest.problem = (f"invalid YAML: {what}", mark.line + 1 if mark else 1)
        return manifest
    _Reader(manifest, lines, display).read(documents)
    if neutralised and neutralised.inserts:
        line, action = neutralised.inserts[0]
        if manifest.workload:
            manifest.open_reasons.append(
                f"{display}:{line} inserts text flaglint cannot see ({action}) where variables may be set"
            )
        manifest.configs = {key: None for key in manifest.configs}
    return manifest


class _Reader:
    """Walks a manifest's documents; one instance per file."""

    def __init__(self, manifest: Manifest, lines: Dict[Tuple[int, str], int], display: str) -> None:
        self.manifest = manifest
        self.display = display
        self.lines = lines

    def line(self, mapping: dict, key: str) -> int:
        return self.lines.get((id(mapping), key), 1)

    def read(self, documents: list) -> None:
        for document in _objects(documents):
            kind = document.get("kind")
            if isinstance(kind, str) and kind in _DATA_FIELDS:
                self._config(document, kind)
            else:
                for spec in _pod_specs(document, 0, set()):
                    self.manifest.workload = True
                    self._pod_spec(spec)

    def _config(self, document: dict, kind: str) -> None:
        metadata = document.get("metadata")
        name = metadata.get("name") if isinstance(metadata, dict) else None
        if not isinstance(name, str):
            return
        keys = self.manifest.configs.setdefault((kind, name), [])
        if keys is None:  # one of that name already has keys flaglint cannot know
            return
        for data_field in _DATA_FIELDS[kind]:
            data = document.get(data_field)
            if isinstance(data, dict):
                for key, value in data.items():
                    if PLACEHOLDER in str(key):  # a templated key: any variable
                        self.manifest.configs[(kind, name)] = None
                        return
                    shown = None if data_field != "data" or kind != "ConfigMap" or value is None else str(value)
                    keys.append(EnvAssignment(str(key), shown, self.display, self.line(data, key)))

    def _pod_spec(self, spec: dict) -> None:
        for container_list in _CONTAINER_LISTS:
            containers = spec.get(container_list)
            for container in containers if isinstance(containers, list) else ():
                if isinstance(container, dict):
                    self._env(container.get("env"))
                    self._env_from(container.get("envFrom"))

    def _env(self, env) -> None:
        for item in env if isinstance(env, list) else ():
            name = item.get("name") if isinstance(item, dict) else None
            if not isinstance(name, str) or not name:
                continue
            line = self.line(item, "name")
            if PLACEHOLDER in name:
                self._open(f"{self.display}:{line} sets a variable whose name is templated")
                continue
            value = item.get("value", "" if "valueFrom" not in item else None)
            shown = None if value is None or PLACEHOLDER in str(value) else str(value)
            self.manifest.assignments.append(EnvAssignment(name, shown, self.display, line))

    def _env_from(self, sources) -> None:
        for item in sources if isinstance(sources, list) else ():
            if not isinstance(item, dict):
                continue
            prefix = item.get("prefix")
            prefix = prefix if isinstance(prefix, str) else ""
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                ref = item.get(key)
                name = ref.get("name") if isinstance(ref, dict) else None
                if isinstance(ref, dict) and isinstance(name, str) and name:
                    self.manifest.refs.append(ConfigRef(kind, name, prefix, self.display, self.line(ref, "name")))

    def _open(self, reason: str) -> None:
        if reason not in self.manifest.open_reasons:
            self.manifest.open_reasons.append(reason)


def _objects(documents: list) -> Iterator[dict]:
    """Kubernetes objects: documents with ``apiVersion`` and ``kind``, and
    the items of a ``kind: List``."""
    for document in documents:
        if not isinstance(document, dict) or "apiVersion" not in document or "kind" not in document:
            continue
        items = document.get("items")
        if document.get("kind") == "List" and isinstance(items, list):
            yield from _objects(items)
        else:
            yield document


def _pod_specs(node, depth: int, seen: set) -> Iterator[dict]:
    """Mappings with a ``containers`` list, anywhere in the object. ``seen``
    guards against YAML aliases that make the tree a graph."""
    if depth > _MAX_DEPTH or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, dict):
        if isinstance(node.get("containers"), list):
            yield node
            return
        children: Iterable[Any] = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return
    for child in children:
        yield from _pod_specs(child, depth + 1, seen)


#: reads a .env file a kustomize generator names (``envs:``) into its
#: assignments; OSError or ValueError when it cannot
EnvReader = Callable[[Path], List[EnvAssignment]]


def parse_kustomization(text: str, display: str, base: Path, read_env: EnvReader) -> Manifest:
    """ConfigMaps and Secrets a kustomization generates: ``literals``
    (``KEY=value``), ``envs`` (and the older ``env``: .env files) and ``files``
    (the key is the file's name, or ``key=path``). A file that is missing
    makes that ConfigMap's keys unknown. ``read_env`` reads an ``envs`` file
    (the .env parser is :mod:`.env`'s; the loader passes it in)."""
    import yaml

    from .bounded_yaml import YAMLBudgetError, load

    manifest = Manifest()
    try:
        data = load(text)
    except YAMLBudgetError as error:
        manifest.problem = (str(error), error.line)
        return manifest
    except (yaml.YAMLError, RecursionError):
        return manifest  # kustomize reports it; it sets nothing we could read
    if not isinstance(data, dict):
        return manifest
    lines = text.splitlines()
    for field_name, kind in (("configMapGenerator", "ConfigMap"), ("secretGenerator", "Secret")):
        generators = data.get(field_name)
        for generator in generators if isinstance(generators, list) else ():
            name = generator.get("name") if isinstance(generator, dict) else None
            if isinstance(name, str) and name:
                keys = _generated_keys(generator, display, base, lines, read_env)
                current = manifest.configs.get((kind, name), [])
                manifest.configs[(kind, name)] = None if keys is None or current is None else current + keys
    return manifest


def _generated_keys(
    generator: dict, display: str, base: Path, lines: List[str], read_env: EnvReader
) -> Optional[List[EnvAssignment]]:
    keys = []
    for literal in _strings(generator.get("literals")):
        name, _, value = literal.partition("=")
        keys.append(EnvAssignment(name.strip(), value, display, _line_of_text(lines, literal)))
    for env_file in _strings(generator.get("envs")) + _strings(generator.get("env")):
        path = real_path(base / env_file)
        try:
            keys.extend(read_env(path))
        except (OSError, ValueError):  # ValueError: undecodable, or a NUL byte in the name
            return None
    for entry in _strings(generator.get("files")):
        key, _, target = entry.partition("=")
        name = key if target else Path(entry).name
        keys.append(EnvAssignment(name, None, display, _line_of_text(lines, entry)))
    return keys


def _strings(value) -> List[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _line_of_text(lines: List[str], text: str) -> int:
    for number, line in enumerate(lines, 1):
        if text in line:
            return number
    return 1


def resolve(manifests: List[Manifest]) -> Tuple[List[EnvAssignment], List[str]]:
    """(assignments, open reasons) of all manifests together: ``envFrom``
    references are looked up among every ConfigMap and Secret found; each
    distinct reference is expanded once."""
    configs: Dict[Tuple[str, str], Optional[List[EnvAssignment]]] = {}
    for manifest in manifests:
        for key, keys in manifest.configs.items():
            if keys is None:
                configs[key] = None
            else:
                known = configs.setdefault(key, [])
                if known is not None:
                    known.extend(keys)
    assignments, reasons, expanded = [], [], set()
    for manifest in manifests:
        assignments.extend(manifest.assignments)
        reasons.extend(manifest.open_reasons)
        for ref in manifest.refs:
            keys = configs.get((ref.kind, ref.name)) if PLACEHOLDER not in ref.name else None
            if keys is None:
                where = (
                    "which flaglint cannot read"
                    if (ref.kind, ref.name) in configs
                    else "which is not in the analysed tree"
                )
                shown = "a templated name" if PLACEHOLDER in ref.name else repr(ref.name)
                reasons.append(f"{ref.path}:{ref.line} loads every key of {ref.kind} {shown} (envFrom), {where}")
            elif (ref.kind, ref.name, ref.prefix) not in expanded:
                expanded.add((ref.kind, ref.name, ref.prefix))
                assignments.extend(EnvAssignment(ref.prefix + key.name, key.value, key.path, key.line) for key in keys)
    return assignments, reasons
