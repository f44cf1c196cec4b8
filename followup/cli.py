"""The command line: parse, call the library, print. Modules load lazily so --help is instant."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from followup.model import Records
    from followup.problems import Problem

#: check's exit codes
OK, OVERDUE, INVALID = 0, 1, 2


class Context:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def root(self) -> Path:
        from followup.workspace import NoWorkspace, find_root

        try:
            return find_root(self.directory)
        except NoWorkspace as error:
            raise click.ClickException(str(error)) from None


NOW_HELP = "Fix the clock: 'YYYY-MM-DD HH:MM' on the workspace's clock, or ISO 8601 with an offset."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    help="Run as if started in this folder.",
)
@click.version_option(package_name="followup")
@click.pass_context
def main(ctx: click.Context, directory: Path) -> None:
    """Every follow-up of your job search, worked out from plain files.

    Keep contacts, applications and interviews as YAML and Markdown under
    data/; followup works out every deadline the advice calls for.
    """
    ctx.obj = Context(directory)


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def init(obj: Context, directory: Path | None) -> None:
    """Make a new workspace with example files; never overwrites a file."""
    from followup.example import create

    target = directory if directory is not None else obj.directory
    written, kept = create(target)
    for path in written:
        click.echo(f"created {path}")
    for path in kept:
        click.echo(f"kept    {path} (already there)")
    click.echo(f"\nNext: cd {target} && followup check")


@main.command()
@click.option("--now", "now_text", metavar="T", help=NOW_HELP)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="An agenda to read, or JSON for other programs.",
)
@click.option("--all", "show_done", is_flag=True, help="List done tasks too.")
@click.pass_obj
def check(obj: Context, now_text: str | None, output: str, show_done: bool) -> None:
    """List what is overdue, due now and coming up, and every problem in the files.

    Exits 0 when nothing is overdue, 1 when something is, 2 when a file is invalid.
    """
    from followup import agenda, rules
    from followup.problems import has_errors

    records, problems = _read(obj)
    now = _now(now_text, records)
    tasks = rules.tasks(records, now)
    problems = sorted([*problems, *rules.warnings(records)])
    nudges = rules.nudges(records)
    if output == "json":
        report = agenda.as_json(records, tasks, problems, nudges, now)
        click.echo(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        click.echo(agenda.text(records, tasks, problems, nudges, now, show_done=show_done))
    if has_errors(problems):
        sys.exit(INVALID)
    sys.exit(OVERDUE if any(t.status == "overdue" for t in tasks) else OK)


@main.command()
@click.option("--now", "now_text", metavar="T", help=NOW_HELP)
@click.pass_obj
def build(obj: Context, now_text: str | None) -> None:
    """Check every file and work out every follow-up (the site follows in a later version)."""
    from followup import rules
    from followup.problems import has_errors

    records, problems = _read(obj)
    now = _now(now_text, records)
    problems = sorted([*problems, *rules.warnings(records)])
    _print_problems(problems)
    if has_errors(problems):
        click.echo("Build failed: fix the errors above.", err=True)
        sys.exit(INVALID)
    tasks = rules.tasks(records, now)
    open_tasks = sum(t.status != "done" for t in tasks)
    click.echo(
        f"Checked {_count_records(records)} records: {open_tasks} open follow-ups. "
        "Run 'followup check' for the agenda."
    )


def _read(obj: Context) -> tuple[Records, list[Problem]]:
    from followup.workspace import read

    return read(obj.root())


def _now(text: str | None, records: Records) -> datetime:
    from followup.clock import parse_datetime

    if text is None:
        return datetime.now(UTC)
    try:
        return parse_datetime(text, records.settings.zone)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--now'") from None


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        click.echo(click.style(str(problem), fg=colour), err=True)
    if problems:
        errors = sum(p.severity == "error" for p in problems)
        click.echo(f"{errors} errors, {len(problems) - errors} warnings", err=True)


def _count_records(records: Records) -> int:
    groups: list[dict[str, Any]] = [
        records.contacts, records.companies, records.applications, records.interviews,
    ]  # fmt: skip
    return sum(len(group) for group in groups)
