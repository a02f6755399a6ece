"""Dockerfile ``ENV`` instructions, read with dockerfile-parse.

dockerfile-parse (containerbuildsystem, pure Python, no dependencies) splits
the file into instructions, joining line continuations and honouring the
``# escape=`` directive, and its ``extract_key_values`` reads both forms of
``ENV`` (``ENV A=1 B="two words"`` and the legacy ``ENV NAME some value``)
with Docker's quoting rules. We only decide what the values mean: a value
that substitutes a variable (``ENV MODE=$BUILD_MODE``, from an ``ARG`` or an
earlier ``ENV``) sets the variable to a value we cannot know. A name that is
itself substituted (``ENV ${NAME}=1``) may set any variable.

Every stage counts: a variable set in a build stage the final image does not
inherit counts as set too, which can only hide a finding, never invent one.
"""

from __future__ import annotations

import io
import logging
from typing import List, Optional, Tuple

from .model import EnvAssignment

#: a substituted variable, as dockerfile-parse hands it back to us
_UNKNOWN = "\0"


class _AnyVariable(dict):
    """Every ``$NAME`` resolves, to a marker: so we can tell which words
    substituted something, and nothing is silently replaced by ''."""

    def __contains__(self, name) -> bool:
        return True

    def __getitem__(self, name) -> str:
        return _UNKNOWN


def parse_dockerfile(text: str, display: str) -> Tuple[List[EnvAssignment], List[Tuple[str, int]], Optional[str]]:
    """(assignments, problems as (what is wrong, line), why any variable may be set or None)."""
    from dockerfile_parse import DockerfileParser
    from dockerfile_parse.util import extract_key_values

    parser = DockerfileParser(fileobj=io.BytesIO(text.encode("utf-8")))
    assignments, problems, open_reason = [], [], None
    logging.getLogger("dockerfile_parse").setLevel(logging.CRITICAL)  # it logs what we report ourselves
    for instruction in parser.structure:
        if instruction["instruction"] != "ENV":
            continue
        line = instruction["startline"] + 1
        if not instruction["value"].strip():
            problems.append(("ENV without a variable", line))
            continue
        try:
            pairs = extract_key_values(True, _AnyVariable(), _AnyVariable(), instruction["value"])
        except ValueError as error:  # ``ENV A=1 B``: a word without '=' in the key=value form
            problems.append((f"cannot read ENV: {error}", line))
            continue
        for name, value in pairs:
            if _UNKNOWN in name or not name:
                open_reason = open_reason or f"{display}:{line} sets a variable whose name is substituted at build time"
                continue
            assignments.append(EnvAssignment(name, None if _UNKNOWN in value else value, display, line))
    return assignments, problems, open_reason
