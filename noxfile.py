"""The test suite on every Python that pyproject.toml's requires-python admits.

``nox`` runs ``lint`` (ruff, ruff format, mypy) and the whole suite on
:data:`FULL`, and the suite on every other version of :data:`PYTHONS` with
``-x`` and a fifth of the property tests' examples (``FLAGLINT_PROPERTY_EXAMPLES``),
so that .ci/run stays within its time on two cores. Each session makes its
own virtualenv with the standard library's ``venv``. An interpreter that
cannot be found is an error, never a silent skip: .ci/run finds them first
(see docs/pythons.md). ``nox -s "tests-3.12"`` runs one version.
"""

from __future__ import annotations

import nox

#: every minor version requires-python admits (tests/test_pythons.py keeps the two equal)
PYTHONS = ["3.9", "3.10", "3.11", "3.12", "3.13"]
#: the version that runs lint and every property example
FULL = "3.11"
#: the share of property-test examples on the other versions
THINNED = "0.2"

nox.options.default_venv_backend = "venv"
nox.options.error_on_missing_interpreters = True
nox.options.sessions = ["lint", "tests"]


@nox.session(python=FULL)
def lint(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    session.run("ruff", "check", "flaglint")
    session.run("ruff", "format", "--check", "flaglint", "tests", "bench", "scripts")
    session.run("mypy")


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    session.install("-e", ".[test]")
    if session.python == FULL:
        arguments, env = [], {}
    else:
        arguments, env = ["-x"], {"FLAGLINT_PROPERTY_EXAMPLES": THINNED}
    # pytest's exit code 5 ("no tests collected") is not a failure here
    session.run("pytest", "-q", "-p", "no:randomly", *arguments, *session.posargs, env=env, success_codes=[0, 5])
