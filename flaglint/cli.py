"""The command line: parse options, call the library, print, exit. No analysis here."""

from __future__ import annotations

import errno
import os
import sys
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, NoReturn, Optional, Sequence, Tuple, Type

import click

from . import __version__
from .exit_codes import ExitCode
from .printable import safe_line, tolerate_unencodable

if TYPE_CHECKING:
    from .config import Config
    from .discover import Skipped
    from .parallel import Progress

# Nothing heavier than click is imported here: --version, --help, `rules`
# and `explain` start in a tenth of a second. Each command imports the
# library (libcst, networkx, YAML come with extraction, the graph export
# and the flag sources) when it runs; tests/test_lazy_imports.py checks.

#: the output formats of flaglint.report.FORMATS (a test keeps them equal),
#: named here so --help does not import every formatter and the rules
FORMAT_NAMES = ("github", "json", "sarif", "text")

#: flaglint.cache.DEFAULT_DIR (a test keeps them equal), named here so
#: --help does not import the cache
DEFAULT_CACHE_DIR = ".flaglint_cache"


def _codes(value: Optional[str]) -> Sequence[str]:
    return tuple(code.strip().upper() for code in (value or "").split(",") if code.strip())


# Options several commands share, declared once (each use makes a new Option).
_config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="Configuration file (default: nearest flaglint.toml or pyproject.toml).",
)
_jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for extraction (default: number of CPUs).",
)


def _report_options(command):
    """``--format``, ``--select`` and ``--ignore``, as ``check`` and ``drift`` take them."""
    options = (
        click.option("--format", "output_format", type=click.Choice(FORMAT_NAMES), default="text", show_default=True),
        click.option("--select", help="Comma-separated rule codes or prefixes to report (default: all)."),
        click.option("--ignore", help="Comma-separated rule codes or prefixes not to report."),
    )
    for option in reversed(options):  # click lists options in decorator order
        command = option(command)
    return command


def _output_option(what: str):
    """``--output/-o FILE``: write ``what`` (the report, the graph) to FILE."""
    return click.option(
        "--output",
        "-o",
        "output",
        metavar="FILE",
        type=click.Path(dir_okay=False, path_type=str),
        help=f"Write the {what} to FILE instead of stdout.",
    )


def _cache_options(command):
    """``--cache-dir DIR`` and ``--no-cache``, in that order in the help."""
    command = click.option("--no-cache", is_flag=True, help="Neither read nor write the facts cache.")(command)
    return click.option(
        "--cache-dir",
        "cache_dir",
        metavar="DIR",
        type=click.Path(path_type=str),
        default=DEFAULT_CACHE_DIR,
        show_default=True,
        help="Where to cache each file's facts by content.",
    )(command)


#: output formats that are one document on stdout: they say nothing on
#: stderr, so that ``2>&1`` still parses as that one document
DOCUMENT_FORMATS = ("json", "sarif")


def _cache_dir(cache_dir: str, no_cache: bool, output_format: str = "text") -> Optional[str]:
    """The cache directory to use, or None. With --no-cache the path is never
    looked at; a path the cache must not use (a stray file named
    .flaglint_cache, a symlink, a directory git tracks: see
    :func:`flaglint.cache.unusable`) means running without a cache, with a
    warning on stderr (a document format lists it among its skipped paths
    instead)."""
    if no_cache:
        return None
    from .cache import unusable

    reason = unusable(cache_dir)
    if reason is not None:
        if output_format not in DOCUMENT_FORMATS:
            _say(f"flaglint: warning: cache directory {cache_dir} is {reason}: {_UNCACHED}")
        return None
    return cache_dir


_UNCACHED = "running without the cache"


def _stray_cache(cache_dir: str, no_cache: bool) -> Tuple[Skipped, ...]:
    """The unusable cache path as a skipped entry, for a document's summary."""
    from .cache import unusable

    reason = None if no_cache else unusable(cache_dir)
    if reason is None:
        return ()
    from .discover import Skipped

    return (Skipped(cache_dir, f"cache directory is {reason}: {_UNCACHED}"),)


class _ProgressBar:
    """Shows extraction's progress (see :data:`flaglint.parallel.Progress`)
    as a click progress bar on stderr; each new batch (the ``--against``
    revision's files, then today's) gets its own bar."""

    def __init__(self) -> None:
        self._bar: Optional[Any] = None  # click.progressbar's bar
        self._open = ExitStack()

    def __call__(self, done: int, total: int) -> None:
        if done == 0:
            self.close()
            if total:
                self._bar = self._open.enter_context(
                    click.progressbar(length=total, label="Extracting facts", show_pos=True, file=sys.stderr)
                )
        elif self._bar is not None:
            self._bar.update(done - self._bar.pos)

    def close(self) -> None:
        self._open.close()
        self._bar = None


@contextmanager
def _progress() -> Iterator[Optional[Progress]]:
    """A progress callback when stderr is a terminal; None otherwise, so
    logs, pipes and ``2>&1`` get nothing from it."""
    if not sys.stderr.isatty():
        yield None
        return
    bar = _ProgressBar()
    try:
        yield bar
    finally:
        bar.close()


class _Main(click.Group):
    """The command group. Each command exits 0, 1 or 2 itself; an exception
    none of them expected is a bug in flaglint, and exits
    ``ExitCode.INTERNAL_ERROR`` with one line on stderr rather than a
    traceback and exit 1, which CI would read as "findings". Click's own
    usage errors (exit 2) and a closed pipe (``| head``) pass through."""

    def invoke(self, ctx: click.Context):
        _require_working_directory()
        tolerate_unencodable(sys.stdout)  # a name stdout cannot encode is no crash
        try:
            try:
                return super().invoke(ctx)
            finally:
                _flush_stdout()
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException, BrokenPipeError):
            raise
        except OSError as error:
            if error.errno not in _FULL_DEVICE:
                if os.environ.get("FLAGLINT_TRACEBACK"):
                    raise
                _internal_error(error)
            _usage_error(f"cannot write: {error.strerror}")
        except Exception as error:  # blind on purpose: the one place every unexpected error ends
            if os.environ.get("FLAGLINT_TRACEBACK"):
                raise
            _internal_error(error)


#: A write that fails because the disk, quota or file size limit is full
#: is the machine's state, not a bug: exit 2 with the reason, not 3.
_FULL_DEVICE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def _flush_stdout() -> None:
    """Write the report out while errors can still be told apart: a full
    disk found by the interpreter's own flush at exit would be exit 120 and
    an "Exception ignored" line. A stream closed by its command (the
    language server's stdio) has nothing left to write."""
    stream = sys.stdout
    if stream is not None and not stream.closed:
        stream.flush()


def _require_working_directory() -> None:
    """Every command resolves paths against the current directory; one that
    was deleted under the shell is a usage error (exit 2), not a bug."""
    try:
        os.getcwd()
    except OSError:
        _usage_error("the current directory no longer exists (was it deleted?); cd to the project and run again")


def _internal_error(error: Exception) -> None:
    lines = str(error).strip().splitlines()
    what = f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__
    _say(
        f"flaglint: internal error: {what} (a bug in flaglint: please report it with the command that caused it;"
        " FLAGLINT_TRACEBACK=1 shows where it happened)"
    )
    sys.exit(ExitCode.INTERNAL_ERROR)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flaglint")
def main() -> None:
    """flaglint: find dormant feature flags, dead flag-gated code and reused flag bits."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@_report_options
@_config_option
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@_jobs_option
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(path_type=str),
    help="Report only findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    "write_baseline_path",
    type=click.Path(path_type=str),
    help="Record the current findings in this baseline file and exit 0.",
)
@click.option(
    "--report-stale",
    is_flag=True,
    help="With --baseline: list baseline entries that match no finding, and fail if there are any.",
)
@click.option(
    "--against",
    "against",
    metavar="REV",
    help="Compare each bit's name with git revision REV: a bit given a new name is FL003.",
)
@_cache_options
@click.option(
    "--facts",
    "facts_paths",
    multiple=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    help="Merge the facts of this shard (written by `flaglint extract`) before analysis; repeatable. PATHS are extracted and merged too.",
)
def check(
    paths,
    output_format,
    select,
    ignore,
    config_path,
    exit_zero,
    jobs,
    baseline_path,
    write_baseline_path,
    report_stale,
    against,
    cache_dir,
    no_cache,
    facts_paths,
) -> None:
    """Lint PATHS (default: the current directory, unless --facts is given)."""
    from . import api, baseline, shards
    from .config import ConfigError, check_codes
    from .parallel import default_jobs
    from .report import FORMATS
    from .report.summary import summarise
    from .report.text import summary_line

    try:
        config = _load(config_path, paths)
        select_codes, ignore_codes = _codes(select), _codes(ignore)
        check_codes(select_codes, "--select")
        check_codes(ignore_codes, "--ignore")
        baseline.check_options(baseline_path, write_baseline_path, report_stale)
        accepted = baseline.load(baseline_path) if baseline_path is not None else None
        loaded = [shards.load(path) for path in facts_paths] if facts_paths else None
    except (ConfigError, baseline.BaselineError, shards.ShardError) as error:
        _usage_error(str(error))
    missing = [path for path in paths if not os.path.lexists(path)]
    if missing:
        _usage_error(f"path does not exist: {missing[0]}")
    result = _with_progress(
        lambda progress: api.check(
            paths,
            config,
            select_codes or None,
            ignore_codes,
            jobs=jobs or default_jobs(),
            against=against,
            cache_dir=_cache_dir(cache_dir, no_cache, output_format),
            facts=loaded,
            progress=progress,
        )
    )
    if write_baseline_path is not None:
        try:
            recorded = baseline.write(write_baseline_path, result.findings)
        except baseline.BaselineError as error:
            _usage_error(str(error))
        for skipped in result.skipped:
            _say(f"flaglint: skipped {skipped.display}: {skipped.reason}")
        _say(f"flaglint: recorded {recorded} finding{'s' if recorded != 1 else ''} in {write_baseline_path}")
        sys.exit(ExitCode.CLEAN)
    new, matched, stale = accepted.filter(result.findings) if accepted is not None else (result.findings, (), ())
    result = replace(result, findings=tuple(new))
    if output_format in DOCUMENT_FORMATS:
        result = replace(result, skipped=tuple(result.skipped) + _stray_cache(cache_dir, no_cache))
    summary = summarise(result)
    stale = stale if report_stale else ()
    # Document formats (json, sarif) carry skipped paths, counts and stale
    # baseline entries inside the document and stay silent on stderr, so
    # `2>&1` still parses as one document.
    chatty = output_format not in DOCUMENT_FORMATS
    if stale and not chatty:
        summary["stale_baseline"] = [entry.describe() for entry in stale]
    click.echo(FORMATS[output_format](result.findings, summary), nl=False)
    for skipped in result.skipped if chatty else ():
        _say(f"flaglint: skipped {skipped.display}: {skipped.reason}")
    for entry in stale if chatty else ():
        _say(f"flaglint: stale baseline entry: {entry.describe()}")
    line = summary_line(summary)
    if chatty:
        _say(baseline.summary_line(line, len(matched)) if accepted is not None else line)
    sys.exit(ExitCode.FINDINGS if (result.findings or stale) and not exit_zero else ExitCode.CLEAN)


def _load(config_path: Optional[Path], paths) -> Config:
    from .config import Config, ConfigError, find_config, load_config

    # os.path's predicates, not pathlib's: those raise OSError for a name
    # longer than the file system allows, which is then only a missing path
    if config_path is not None:
        if not os.path.isfile(config_path):
            raise ConfigError(f"config file not found: {config_path}")
        return load_config(config_path)
    start = Path(paths[0]) if paths else Path(".")
    start = start if os.path.isdir(start) else start.parent
    return load_config(find_config(start)) if os.path.exists(start) else Config()


def _say(message: str) -> None:
    """One line on stderr, escaped (:mod:`flaglint.printable`): a path or a
    key named by a hostile repository cannot start a line of its own."""
    click.echo(safe_line(message), err=True)


def _usage_error(message: str) -> NoReturn:
    _say(f"flaglint: error: {message}")
    sys.exit(ExitCode.USAGE_ERROR)


def _with_progress(run, errors: Optional[Tuple[Type[Exception], ...]] = None):
    """``run(progress)`` with a progress bar on a terminal; exit 2 with the
    message of any of ``errors`` (by default a bad revision, ledger or
    shard), after the bar is closed, on its own line."""
    if errors is None:
        from .history.git import HistoryError
        from .history.ledger import LedgerError
        from .shards import ShardError

        errors = (HistoryError, LedgerError, ShardError)
    try:
        with _progress() as progress:
            return run(progress)
    except errors as error:
        _usage_error(str(error))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
@click.option(
    "--rename",
    "renames",
    multiple=True,
    metavar="OLD=NEW",
    help="Declare that bit name OLD was renamed to NEW (repeatable).",
)
@_config_option
def lock(paths, renames, config_path) -> None:
    """Record every family's bits and names in flaglint.lock (the flag ledger).

    Retired names are kept forever. A new name for a bit that already had
    one is refused unless declared with --rename OLD=NEW."""
    from . import api
    from .config import ConfigError
    from .history.git import HistoryError
    from .history.ledger import LedgerError
    from .parallel import default_jobs

    try:
        config = _load(config_path, paths)
        pairs = [_rename(item) for item in renames]
        result = api.lock(paths or (".",), config, pairs, jobs=default_jobs())
    except (ConfigError, LedgerError, HistoryError) as error:
        _usage_error(str(error))
    for refusal in result.refusals:
        _say(f"flaglint: {refusal}")
    if result.refusals:
        _say(f"flaglint: {result.path} not updated")
        sys.exit(ExitCode.FINDINGS)
    _say(f"flaglint: wrote {result.path} ({result.bits} bits)")


def _rename(item: str):
    from .config import ConfigError

    old, sep, new = item.partition("=")
    if not sep or not old.strip() or not new.strip():
        raise ConfigError(f"--rename expects OLD=NEW, got {item!r}")
    return old.strip(), new.strip()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown", "html"]),
    default="text",
    show_default=True,
)
@_output_option("report")
@_config_option
@click.option(
    "--against",
    "against",
    metavar="REV",
    help="Compare each bit's name with git revision REV: a bit given a new name is reused.",
)
@click.option("--no-ages", is_flag=True, help="Do not run git blame: first/last commits stay blank.")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also list the constants that are not flags (values, framework attributes), each with the reason.",
)
@_jobs_option
def audit(paths, output_format, output, config_path, against, no_ages, everything, jobs) -> None:
    """Inventory of every flag in PATHS (default: the current directory).

    For each flag: kind, where it is defined, set and read, lines it gates,
    status (dead, reused, never-set, unused, live...: docs/audit.md) and age
    from git; and each family's bit table. Exits 0: it is an inventory."""
    from .audit import audit as run_audit
    from .audit import render
    from .audit.text import summary_line as audit_summary
    from .parallel import default_jobs

    config = _config_or_exit(config_path, paths)
    inventory = _with_progress(
        lambda progress: run_audit(
            paths,
            config,
            jobs=jobs or default_jobs(),
            against=against,
            ages=not no_ages,
            progress=progress,
            everything=everything,
        )
    )
    _emit(render(inventory, output_format), output)
    # JSON on stdout stays silent on stderr, as `check` does, so that
    # `2>&1` still parses as one document.
    if output_format == "json" and not output:
        return
    for skipped in inventory.skipped:
        _say(f"flaglint: skipped {skipped}")
    where = f" (written to {output})" if output else ""
    _say(f"flaglint audit: {audit_summary(inventory)}{where}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--format", "output_format", type=click.Choice(["dot", "graphml", "json"]), default="dot", show_default=True
)
@click.option("--flag", "flag_name", metavar="NAME", help="Only the subgraph around one flag (module.NAME or NAME).")
@_output_option("graph")
@_config_option
@_jobs_option
def graph(paths, output_format, flag_name, output, config_path, jobs) -> None:
    """Export the flag graph of PATHS as DOT, GraphML or node-link JSON."""
    from . import api
    from .graph import export
    from .parallel import default_jobs

    config = _config_or_exit(config_path, paths)
    project = _with_progress(
        lambda progress: api.analyse_project(paths, config, jobs=jobs or default_jobs(), progress=progress)
    )
    flag_graph = export.export_graph(project.graph, project.analysis)
    try:
        if flag_name:
            flag_graph = export.neighbourhood(flag_graph, flag_name)
    except export.UnknownFlag as error:
        _usage_error(str(error))
    _emit(export.render(flag_graph, output_format), output)


def _config_or_exit(config_path: Optional[Path], paths) -> Config:
    """The configuration for ``audit``/``graph``/``fix``; exit 2 on a bad one or a missing path."""
    from .config import ConfigError

    try:
        config = _load(config_path, paths)
    except ConfigError as error:
        _usage_error(str(error))
    missing = [path for path in paths if not os.path.lexists(path)]
    if missing:
        _usage_error(f"path does not exist: {missing[0]}")
    return config


def _emit(text: str, output: Optional[str]) -> None:
    """Print ``text``, or write it to ``output`` (UTF-8); exit 2 if it cannot be written."""
    if output is None:
        click.echo(text, nl=False)
        return
    from .atomic import write_report

    try:  # a name's non-UTF-8 bytes as they are; never through a symlink
        write_report(output, text.encode("utf-8", errors="surrogateescape"))
    except OSError as error:
        _usage_error(f"cannot write {output}: {error.strerror or error}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print a unified diff of the changes and write nothing (exit 0)."
)
@click.option(
    "--flag",
    "flag_name",
    metavar="NAME",
    help="Bake in your decision for this flag (module.NAME or NAME) instead of the never-set flags.",
)
@click.option("--value", type=click.Choice(["true", "false"]), help="With --flag: the value to bake in.")
@click.option(
    "--no-cascade", is_flag=True, help="Only rewrite the tests: keep definitions, dead functions and imports."
)
@click.option("--force", is_flag=True, help="Edit read-only files too (their mode is kept).")
@click.option(
    "--all",
    "bake_all",
    is_flag=True,
    help="Write without asking: bake in every never-set flag listed (needed when stdin is not a terminal).",
)
@_config_option
@_jobs_option
@_cache_options
def fix(
    paths, show_diff, flag_name, value, no_cascade, force, bake_all, config_path, jobs, cache_dir, no_cache
) -> None:
    """Remove code gated by flags that are never on (--diff to preview).

    Bakes False into every test of a flag FL001 proves never set, or your
    decision with --flag NAME --value true|false, simplifies what follows
    and removes what is left unreferenced. Files under PATHS are edited."""
    from .fix import FixUsageError, run_fix, write_changes
    from .history.git import HistoryError
    from .history.ledger import LedgerError
    from .parallel import default_jobs

    if (flag_name is None) != (value is None):
        _usage_error("--flag and --value go together")
    if bake_all and flag_name is not None:
        _usage_error("--all and --flag exclude each other: --all bakes in every never-set flag, --flag one")
    config = _config_or_exit(config_path, paths)
    result = _with_progress(
        lambda progress: run_fix(
            paths or (".",),
            config,
            flag_name=flag_name,
            value=None if value is None else value == "true",
            cascade=not no_cascade,
            jobs=jobs or default_jobs(),
            progress=progress,
            force=force,
            cache_dir=_cache_dir(cache_dir, no_cache),
        ),
        (FixUsageError, HistoryError, LedgerError),
    )
    for decision in result.decisions:
        _say(f"flaglint: {decision.describe()}")
    errors = []
    if show_diff:
        click.echo(b"".join(change.patch() for change in result.changes), nl=False)
    elif flag_name is None and not bake_all and result.changes and not _confirmed(len(result.decisions)):
        sys.exit(ExitCode.USAGE_ERROR if not _interactive() else ExitCode.CLEAN)
    else:
        errors = write_changes(result)  # all files or none
    for line in (*result.skipped, *result.notes, *result.problems, *errors):
        _say(f"flaglint: {line}")
    for line in result.kept:
        _say(f"flaglint: {line}")
    if not errors:
        for removed in result.removed:
            _say(f"flaglint: removed {removed.kind} {removed.name} from {removed.path}")
        if result.baked:
            _say(f"flaglint: baked in {', '.join(result.baked)}")
    suffix = " (--diff: nothing written)" if show_diff else ""
    _say(f"flaglint: {result.summary(written=not errors)}{suffix}")
    sys.exit(ExitCode.FINDINGS if (errors or result.problems) and not show_diff else ExitCode.CLEAN)


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _confirmed(flags: int) -> bool:
    """Ask before ``fix`` writes what it decided alone: on a terminal, a
    question; in a pipe, a refusal saying how to go on (exit 2)."""
    listed = f"the {flags} flag{'s' if flags != 1 else ''} above"
    if not _interactive():
        click.echo(
            f"flaglint: nothing written: fix would bake in {listed}; stdin is not a terminal, so it cannot ask. "
            "Review them (fix --diff), then run fix --all, or fix --flag NAME --value false for one flag",
            err=True,
        )
        return False
    if click.confirm(f"flaglint: bake in {listed} and write the changes?", default=False, err=True):
        return True
    _say("flaglint: nothing written")
    return False


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "--out",
    "-o",
    "out",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=str),
    help="Write the shard (JSON) to FILE.",
)
@click.option(
    "--shard",
    "part",
    metavar="K/N",
    callback=lambda context, param, value: _slice(value),
    help="Extract only slice K of N of the files (by a hash of each path), for one job of a CI matrix.",
)
@_config_option
@_jobs_option
@_cache_options
def extract(paths, out, part, config_path, jobs, cache_dir, no_cache) -> None:
    """Write the facts of PATHS (default: the current directory) to a shard.

    `flaglint check --facts FILE ...` merges shards and gives the findings of
    one run over all of them. Paths in the shard are relative to the current
    directory: run check from the same directory of the same checkout.
    With --shard K/N, N jobs each extract one slice of the same PATHS."""
    from . import api, shards
    from .parallel import default_jobs

    config = _config_or_exit(config_path, paths)
    shard = _with_progress(
        lambda progress: api.extract(
            paths,
            config,
            jobs=jobs or default_jobs(),
            cache_dir=_cache_dir(cache_dir, no_cache),
            progress=progress,
            part=part,
        )
    )
    try:
        shards.write(out, shard)
    except shards.ShardError as error:
        _usage_error(str(error))
    for skipped in shard.skipped:
        _say(f"flaglint: skipped {skipped.display}: {skipped.reason}")
    count = len(shard.facts)
    of = f" (shard {part})" if part is not None else ""
    _say(f"flaglint: wrote the facts of {count} file{'s' if count != 1 else ''}{of} to {out}")


def _slice(value: Optional[str]):
    """``--shard K/N`` parsed, or a usage error (exit 2) saying what K/N is."""
    if value is None:
        return None
    from .shards import parse_slice

    try:
        return parse_slice(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


@main.command()
@click.argument("builds", nargs=-1, metavar="BUILD BUILD [BUILD...]")
@_report_options
@_config_option
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are conflicts.")
@_jobs_option
@_cache_options
def drift(builds, output_format, select, ignore, config_path, exit_zero, jobs, cache_dir, no_cache) -> None:
    """Report conflicts (FL007) between builds that run side by side.

    Each BUILD is a git revision of this repository or a flaglint.lock
    ledger kept from a build artifact. Exits 1 if any two builds disagree
    on a bit or a key, 2 if a build cannot be read."""
    from .config import ConfigError, check_codes
    from .history.fleet import DriftError
    from .history.fleet import drift as run_drift
    from .history.git import HistoryError
    from .history.ledger import LedgerError
    from .parallel import default_jobs
    from .report import FORMATS

    try:
        config = _load(config_path, ())
        select_codes, ignore_codes = _codes(select), _codes(ignore)
        check_codes(select_codes, "--select")
        check_codes(ignore_codes, "--ignore")
    except ConfigError as error:
        _usage_error(str(error))
    result = _with_progress(
        lambda progress: run_drift(
            builds,
            config,
            select_codes or None,
            ignore_codes,
            jobs=jobs or default_jobs(),
            cache_dir=_cache_dir(cache_dir, no_cache, output_format),
            progress=progress,
        ),
        (HistoryError, LedgerError, DriftError),
    )
    click.echo(FORMATS[output_format](result.findings, result.summary()), nl=False)
    if output_format in ("text", "github"):
        _say(result.summary_line())
    sys.exit(ExitCode.FINDINGS if result.findings and not exit_zero else ExitCode.CLEAN)


@main.command()
def rules() -> None:
    """List every rule: code, name and summary."""
    from .rules import RULES

    for rule in RULES.values():
        click.echo(f"{rule.code}  {rule.name:<18} {rule.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a rule: what it finds, why it matters, how to fix and suppress it."""
    from .rules import RULES

    rule = RULES.get(code.upper())
    if rule is None:
        _usage_error(f"unknown rule code {code!r} (known: {', '.join(RULES)})")
    click.echo(rule.documentation())


@main.command()
@click.option("--stdio", is_flag=True, help="Talk LSP over stdin and stdout (the default and only transport).")
@click.option(
    "--cache-dir",
    "cache_dir",
    metavar="DIR",
    type=click.Path(path_type=str),
    default=DEFAULT_CACHE_DIR,
    show_default=True,
    help="The facts cache the server starts warm from, relative to the workspace root.",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the facts cache.")
def server(stdio: bool, cache_dir: str, no_cache: bool) -> None:
    """Run the language server: diagnostics, code actions, hover (docs/editors.md).

    An editor starts it and talks to it over stdin and stdout; it needs
    pygls (pip install 'flaglint[server]')."""
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        _usage_error("flaglint server needs pygls: pip install 'flaglint[server]'")
    from .server.protocol import serve

    serve(cache_dir=None if no_cache else cache_dir)
