"""The commands that record what I did and report it: done, log and report.

They parse, call logbook, append and activity_report, and print; those load
inside the commands, so that `followup --help` stays instant.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import click

from followup.schema import DID, VIAS

if TYPE_CHECKING:
    from followup.cli import Context
    from followup.logbook import Record
    from followup.model import Records
    from followup.rules import Task

_AT_HELP = "When: 'YYYY-MM-DD HH:MM' on the workspace's clock, a date, or ISO 8601; default now."


@click.command()
@click.argument("task_id", metavar="TASK")
@click.option("--at", "at_text", metavar="T", help=_AT_HELP)
@click.option("--via", type=click.Choice(VIAS), help="The channel; default: theirs.")
@click.option("--note", help="Anything worth remembering.")
@click.option("--commit", "commit_it", is_flag=True, help="Commit just that file.")
@click.pass_obj
def done(
    obj: Context, task_id: str, at_text: str | None, via: str | None, note: str | None,
    commit_it: bool,
) -> None:  # fmt: skip
    """Record a follow-up as done. TASK is its id (`check --format json` shows them), or
    any part of it that only one open task has, like `devon-park` or `acme-onsite`.

    Adds the activity that fulfils it to the log of the file it belongs in, changing
    no other byte of that file.
    """
    from followup import logbook, rules
    from followup.problems import did_you_mean
    from followup.workspace import read

    root = obj.root()
    records, _ = read(root)
    at = _at(at_text, records)
    tasks = {task.id: task for task in rules.tasks(records, at)}
    task = tasks.get(task_id) or _only_open_task(task_id, tasks.values())
    if task is None:
        hint = did_you_mean(task_id, tasks) or " ('followup check --format json' lists them)"
        raise click.BadParameter(f"no task '{task_id}'{hint}", param_hint="TASK")
    if task.status == "done":
        done_at = task.done_at.astimezone(records.settings.zone) if task.done_at else None
        when = f" on {done_at:%Y-%m-%d %H:%M}" if done_at else ""
        click.echo(f"{task.title}: already done{when}; nothing written.")
        return
    try:
        record = logbook.for_task(records, task, at, via, note)
    except logbook.CannotRecord as error:
        raise click.ClickException(str(error)) from None
    if why := logbook.fulfils(records, record, task):
        raise click.ClickException(f"{why}; nothing was written")
    _write(root, record, commit_it)


@click.command("log")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--did", type=click.Choice(DID), required=True, help="What happened.")
@click.option("--with", "with_", metavar="SLUG", help="Whom with (a contact's slug).")
@click.option("--at", "at_text", metavar="T", help=_AT_HELP)
@click.option("--via", type=click.Choice(VIAS), help="The channel.")
@click.option("--note", help="Anything worth remembering.")
@click.option("--application", metavar="SLUG", help="In a contact file: the application.")
@click.option("--commit", "commit_it", is_flag=True, help="Commit just that file.")
@click.pass_obj
def log_(
    obj: Context, file: Path, did: str, with_: str | None, at_text: str | None,
    via: str | None, note: str | None, application: str | None, commit_it: bool,
) -> None:  # fmt: skip
    """Add an activity to FILE's log (a contact, application or interview file).

    No other byte of the file changes; a file whose shape would need more is refused.
    """
    from followup import logbook
    from followup.workspace import read

    root = obj.root()
    records, _ = read(root)
    absolute = Path(os.path.abspath(obj.path(file)))  # not resolved: a link stays a link
    if not absolute.is_file():
        raise click.BadParameter(f"{file} does not exist", param_hint="FILE")
    try:
        path = absolute.relative_to(root).as_posix()
    except ValueError:
        raise click.BadParameter(f"{file} is not in the workspace", param_hint="FILE") from None
    try:
        record = logbook.for_file(
            records, path, did, _at(at_text, records),
            with_=with_, via=via, note=note, application=application,
        )  # fmt: skip
    except logbook.CannotRecord as error:
        raise click.ClickException(str(error)) from None
    _write(root, record, commit_it)


@click.command()
@click.option("--from", "start_text", metavar="DATE", help="First day.  [default: 30 days ago]")
@click.option("--to", "end_text", metavar="DATE", help="Last day.  [default: today]")
@click.option(
    "--format",
    "output",
    type=click.Choice(["md", "csv", "html"]),
    default="md",
    show_default=True,
    help="Markdown to read or paste, CSV for a spreadsheet, HTML to print.",
)
@click.option("--now", "now_text", metavar="T", hidden=True)
@click.pass_obj
def report(
    obj: Context, start_text: str | None, end_text: str | None, output: str,
    now_text: str | None,
) -> None:  # fmt: skip
    """Applications made, interviews held and follow-ups sent, with dates and people:
    the proof of job search that unemployment agencies ask for."""
    from followup import activity_report, clock
    from followup.workspace import read

    root = obj.root()
    records, _ = read(root)
    from followup.cli import moment

    now = moment(now_text, records)
    try:
        end = (
            clock.parse_date(end_text) if end_text else now.astimezone(records.settings.zone).date()
        )
        start = clock.parse_date(start_text) if start_text else end - timedelta(days=29)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    if start > end:
        raise click.BadParameter(f"--from {start} is after --to {end}")
    if output == "html":
        from followup import render, views

        template = render.environment(root).get_template("report-print.html")
        click.echo(template.render(views.report_context(records, start, end, now)))
        return
    found = activity_report.rows(records, start, end, now)
    if output == "csv":
        click.echo(activity_report.csv_text(found), nl=False)
    else:
        click.echo(activity_report.markdown(records, found, start, end), nl=False)


def _write(root: Path, record: Record, commit_it: bool) -> None:
    from followup import append, logbook
    from followup.cli import INVALID

    try:
        append.add(root / record.path, record.entry)
    except (append.CannotAppend, OSError) as error:
        click.echo(f"{record.path}: {error}; nothing was written.", err=True)
        sys.exit(INVALID)
    click.echo(f"Added to {record.path}: {record.entry.flow()}")
    if commit_it:
        try:
            short = logbook.commit(root, record.path, record.message)
        except logbook.CannotRecord as error:
            raise click.ClickException(f"{error} (the entry is written, not committed)") from None
        click.echo(f"Committed {short}: {record.message}")


def _only_open_task(part: str, tasks: Iterable[Task]) -> Task | None:
    """The one open task whose id holds part; a list of them when several do."""
    found = [t for t in tasks if part in t.id and t.status != "done"]
    if len(found) > 1:
        listed = "\n  ".join(t.id for t in found)
        raise click.BadParameter(f"'{part}' is in {len(found)} open tasks:\n  {listed}")
    return found[0] if found else None


def _at(text: str | None, records: Records) -> datetime:
    """When something was done: --at, or now; never in the future."""
    from followup.cli import moment

    at = moment(text, records, "--at")
    if at > datetime.now(UTC) + timedelta(minutes=5):
        raise click.BadParameter(
            f"'{text}' is in the future: log what has happened", param_hint="'--at'"
        )
    return at
