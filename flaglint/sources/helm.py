"""Helm (and other ``{{ }}``-templated) Kubernetes manifests: what can be
read of them without rendering them.

A chart's templates are not YAML until Helm renders them, and rendering
needs the chart's values and Helm itself. We do not render; we neutralise:

* a line that holds only control actions (``{{- if ... }}``, ``{{- end }}``,
  ``{{- range ... }}``, ``{{- with ... }}``, ``{{- $x := ... }}``, comments)
  is blanked, so both branches of an ``if`` stay: a variable set in either
  counts as set, which can only hide a finding;
* an action inside a line (``value: {{ .Values.beta | quote }}``) becomes the
  placeholder :data:`PLACEHOLDER`: the key is still set, its value unknown;
  an environment variable whose *name* holds a placeholder may be any
  variable;
* a line that holds only an action that emits text (``{{- toYaml .Values.env
  | nindent 12 }}``, ``{{- include "app.env" . }}``) is blanked too, and
  remembered: it may insert environment variables we cannot see, unless it
  sits under a key that never holds them (``labels:``, ``resources:``...,
  :data:`HARMLESS_PARENTS`).

Then the text is parsed as YAML like any manifest. A template that still
does not parse is never reported as broken (it is not meant to be valid
YAML); if it holds containers, any variable may be set there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import List, Tuple

PLACEHOLDER = "__flaglint_template__"

# Actions are found with str.find (:func:`_actions`), not a pattern: ``{{.*?}}`` scans to
# the end from every ``{{`` that has no ``}}`` after it, and ``\s*(?:{{.*?}}\s*)+``
# backtracked exponentially over a line of many actions (issue 16).
#: actions that emit nothing: flow control, variable assignments, comments
_CONTROL = re.compile(r"{{-?\s*(?:/\*|(?:if|else|end|with|range|define|block|break|continue)\b|\$[\w.]*\s*:?=)")
_KEY = re.compile(r"\s*(?:-\s+)?([\w.-]+|\"[^\"]*\"|'[^']*')\s*:(?:\s|$)")

#: keys whose content is never an environment variable: an action emitting
#: text under one of them cannot set a variable
HARMLESS_PARENTS = frozenset(
    {
        "metadata",
        "labels",
        "annotations",
        "selector",
        "matchLabels",
        "matchExpressions",
        "resources",
        "securityContext",
        "podSecurityContext",
        "volumeMounts",
        "volumes",
        "ports",
        "tolerations",
        "affinity",
        "nodeSelector",
        "imagePullSecrets",
        "livenessProbe",
        "readinessProbe",
        "startupProbe",
        "strategy",
        "updateStrategy",
        "topologySpreadConstraints",
        "lifecycle",
        "args",
        "command",
        "dnsConfig",
        "hostAliases",
        "serviceAccountName",
        "image",
        "imagePullPolicy",
        "priorityClassName",
    }
)


def is_templated(text: str) -> bool:
    """Go templates (Helm) and Jinja (Ansible) both use ``{{``; Jinja also ``{%``."""
    return "{{" in text or "{%" in text


@dataclass
class Neutralised:
    text: str  # YAML with the template actions taken out, line numbers kept
    #: (line, action) of actions that may insert environment variables
    inserts: List[Tuple[int, str]] = field(default_factory=list)


def neutralise(text: str) -> Neutralised:
    """The template with its actions taken out (see the module docstring).

    One pass; ``parents`` holds (indent, key) of the lines enclosing the
    current one, YAML's nesting by indentation."""
    text = _substitute(text, lambda action: _keep_lines(action) if "\n" in action else action)
    lines = text.split("\n")
    inserts = []
    parents: List[Tuple[int, str]] = []
    for index, line in enumerate(lines):
        templated = "{{" in line or "{%" in line
        if templated and (_only_actions(line) or line.strip().startswith("{%")):
            emitting = [line[start:end] for start, end in _actions(line) if not _CONTROL.match(line[start:end])]
            indent = _indent(line)
            if emitting and not any(key in HARMLESS_PARENTS for level, key in parents if level < indent):
                inserts.append((index + 1, emitting[0].strip()))
            lines[index] = ""
            continue
        if templated:
            line = lines[index] = _substitute(line, lambda action: PLACEHOLDER)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = _indent(line)
        while parents and parents[-1][0] >= indent:
            parents.pop()
        match = _KEY.match(line)
        parents.append((indent, match.group(1).strip("\"'") if match else ""))
    return Neutralised("\n".join(lines), inserts)


def _actions(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each ``{{ ... }}`` action, each ending at the first
    ``}}`` after its ``{{``: what ``re.finditer(r"{{.*?}}", text, re.S)``
    finds, in linear time."""
    spans: List[Tuple[int, int]] = []
    position = 0
    while True:
        start = text.find("{{", position)
        end = text.find("}}", start + 2) if start >= 0 else -1
        if end < 0:
            return spans
        spans.append((start, end + 2))
        position = end + 2


def _substitute(text: str, replace) -> str:
    """``text`` with each action replaced by ``replace(action)``."""
    parts: List[str] = []
    position = 0
    for start, end in _actions(text):
        parts.extend((text[position:start], replace(text[start:end])))
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _only_actions(line: str) -> bool:
    r"""The line holds only actions and blanks: it starts with ``{{`` and ends
    with ``}}`` once stripped (what ``\s*(?:{{.*?}}\s*)+`` matched)."""
    stripped = line.strip()
    return len(stripped) >= 4 and stripped.startswith("{{") and stripped.endswith("}}")


def _keep_lines(action: str) -> str:
    """A multi-line action (usually a comment) becomes blank lines, so that
    line numbers after it stay right."""
    return "\n" * action.count("\n") if _CONTROL.match(action) else PLACEHOLDER + "\n" * action.count("\n")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))
