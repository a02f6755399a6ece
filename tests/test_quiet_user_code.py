"""Python's warnings about the analysed code never reach the output.

An invalid escape (``"\\d"``: SyntaxWarning from Python 3.12, a
DeprecationWarning on 3.11), ``x is 1`` and ``assert (x, "m")`` make Python
warn while flaglint compiles or evaluates the file. Printed on stderr they
broke ``--format json 2>&1`` (the stop hook's smoke test, on Python 3.12).
The tests turn every warning on, so they fail on 3.11 too when a compile
of user code is not silenced.
"""

import json
import os
import subprocess
import sys
import warnings

from flaglint.extract import extract_source
from flaglint.fix.meaning import scopes
from flaglint.fix.write import compile_error
from flaglint.sources.django import read_settings

NOISY = (
    "import re\n"
    'PATTERN = re.compile("\\d+")\n'
    'RAW = b"\\q"\n'
    "ENABLE_X = False\n"
    "if ENABLE_X:\n"
    '    assert (ENABLE_X, "message")\n'
    '    label = "\\w"\n'
    "SAME = PATTERN is 1\n"
)


def _warnings_from(function, *arguments):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        function(*arguments)
    return [str(warning.message) for warning in caught]


def test_the_noisy_module_does_warn_when_python_compiles_it():
    """The input really is noisy: without flaglint's silencing, compiling it warns."""
    assert _warnings_from(compile, NOISY, "noisy.py", "exec")


def test_extraction_prints_no_warning_about_the_code():
    assert _warnings_from(extract_source, NOISY, "noisy.py", "noisy") == []


def test_fix_checks_and_django_settings_print_no_warning():
    assert _warnings_from(scopes, NOISY) == []
    assert _warnings_from(compile_error, NOISY, "noisy.py") == []
    assert _warnings_from(read_settings, NOISY, "settings.py") == []


def test_json_with_stderr_merged_is_one_document_on_noisy_code(tmp_path):
    (tmp_path / "noisy.py").write_text(NOISY)
    environment = dict(os.environ, PYTHONWARNINGS="always")
    for command, *options in (("check", "--no-cache"), ("audit",)):
        done = subprocess.run(
            [sys.executable, "-m", "flaglint", command, "--format", "json", *options, "."],
            cwd=tmp_path,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert done.returncode == (1 if command == "check" else 0), done.stdout
        document = json.loads(done.stdout)
        if command == "check":
            assert [(f["code"], f["path"], f["line"], f["flag"]) for f in document["findings"]] == [
                ("FL001", "noisy.py", 4, "noisy.ENABLE_X"),
                ("FL002", "noisy.py", 6, "noisy.ENABLE_X"),
            ]
