"""The command line: parse options, call the library, print, exit. No analysis here."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional, Sequence

import click

from . import __version__, api
from .config import Config, ConfigError, check_codes, find_config, load_config
from .exit_codes import ExitCode
from .parallel import default_jobs
from .report import FORMATS
from .report.summary import summarise
from .report.text import summary_line
from .rules import RULES


def _codes(value: Optional[str]) -> Sequence[str]:
    return tuple(code.strip().upper() for code in (value or "").split(",") if code.strip())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="flaglint")
def main() -> None:
    """flaglint: find dormant feature flags, dead flag-gated code and reused flag bits."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option("--select", help="Comma-separated rule codes or prefixes to report (default: all).")
@click.option("--ignore", help="Comma-separated rule codes or prefixes not to report.")
@click.option("--config", "config_path", type=click.Path(path_type=Path), help="Configuration file (default: nearest flaglint.toml or pyproject.toml).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes for extraction (default: number of CPUs).")
def check(paths, output_format, select, ignore, config_path, exit_zero, jobs) -> None:
    """Lint PATHS (default: the current directory)."""
    try:
        config = _load(config_path, paths)
        select_codes, ignore_codes = _codes(select), _codes(ignore)
        check_codes(select_codes, "--select")
        check_codes(ignore_codes, "--ignore")
    except ConfigError as error:
        _usage_error(str(error))
    missing = [path for path in paths if not os.path.lexists(path)]
    if missing:
        _usage_error(f"path does not exist: {missing[0]}")
    result = api.check(paths or (".",), config, select_codes or None, ignore_codes, jobs=jobs or default_jobs())
    summary = summarise(result)
    click.echo(FORMATS[output_format](result.findings, summary), nl=False)
    for skipped in result.skipped:
        click.echo(f"flaglint: skipped {skipped.display}: {skipped.reason}", err=True)
    click.echo(summary_line(summary), err=True)
    sys.exit(ExitCode.FINDINGS if result.findings and not exit_zero else ExitCode.CLEAN)


def _load(config_path: Optional[Path], paths) -> Config:
    if config_path is not None:
        if not config_path.is_file():
            raise ConfigError(f"config file not found: {config_path}")
        return load_config(config_path)
    start = Path(paths[0]) if paths else Path(".")
    start = start if start.is_dir() else start.parent
    return load_config(find_config(start)) if start.exists() else Config()


def _usage_error(message: str) -> None:
    click.echo(f"flaglint: error: {message}", err=True)
    sys.exit(ExitCode.USAGE_ERROR)


@main.command()
def rules() -> None:
    """List every rule: code, name and summary."""
    for rule in RULES.values():
        click.echo(f"{rule.code}  {rule.name:<18} {rule.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Explain a rule: what it finds, why it matters, how to fix and suppress it."""
    rule = RULES.get(code.upper())
    if rule is None:
        _usage_error(f"unknown rule code {code!r} (known: {', '.join(RULES)})")
    click.echo(rule.documentation())
