"""What `check` shows: an agenda a person reads in five seconds, and the same facts as JSON."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click

from followup import clock, phrases
from followup.model import Records
from followup.problems import Problem
from followup.rules import Nudge, Task

#: How far ahead the agenda looks.
HORIZON = timedelta(days=14)
_WHEN_WIDTH = 16


def as_json(
    records: Records, tasks: list[Task], problems: list[Problem], nudges: list[Nudge], now: datetime
) -> dict[str, Any]:
    zone = records.settings.zone
    return {
        "now": clock.iso(now, zone),
        "tasks": [task_json(task, zone) for task in tasks],
        "problems": [problem.as_json() for problem in problems],
        "nudges": [{"rule": nudge.rule, "message": nudge.message} for nudge in nudges],
    }


def task_json(task: Task, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "id": task.id,
        "rule": task.rule,
        "application": task.application,
        "interview": task.interview,
        "contact": task.contact,
        "title": task.title,
        "opens": clock.iso(task.opens, zone),
        "due": clock.iso(task.due, zone),
        "done_at": clock.iso(task.done_at, zone) if task.done_at else None,
        "status": task.status,
    }


def text(
    records: Records,
    tasks: list[Task],
    problems: list[Problem],
    nudges: list[Nudge],
    now: datetime,
    *,
    show_done: bool = False,
) -> str:
    """The agenda: problems, then overdue, due now, the next two weeks, and nudges."""
    out: list[str] = []
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        out.append(click.style(str(problem), fg=colour))
    if problems:
        out.append("")
    zone = records.settings.zone
    out.append(
        click.style(f"Follow-ups at {phrases.moment(now, now, zone)} ({zone.key})", bold=True)
    )
    soon = [t for t in tasks if t.status == "upcoming" and t.opens <= now + HORIZON]
    sections = [
        ("Overdue", "red", [t for t in tasks if t.status == "overdue"]),
        ("Due now", "yellow", [t for t in tasks if t.status == "due"]),
        ("Next 14 days", "cyan", sorted(soon, key=lambda t: (t.opens, t.due, t.id))),
    ]
    if show_done:
        done = sorted((t for t in tasks if t.status == "done"), key=lambda t: t.due, reverse=True)
        sections.append(("Done", "green", done))
    for heading, colour, group in sections:
        if not group:
            continue
        out += ["", click.style(f"{heading} ({len(group)})", fg=colour, bold=True)]
        for task in group:
            out += _entry(records, task, now, colour)
    if not any(group for _, _, group in sections):
        out += ["", "Nothing due in the next 14 days."]
    if nudges:
        out += ["", click.style("Nudges", bold=True)]
        out += [f"  {nudge.message}" for nudge in nudges]
    out += ["", _summary(tasks, problems, soon)]
    return "\n".join(out)


def _entry(records: Records, task: Task, now: datetime, colour: str) -> list[str]:
    def at(instant: datetime) -> str:
        return phrases.moment(instant, now, records.settings.zone)

    when = click.style(phrases.when(task, now).ljust(_WHEN_WIDTH), fg=colour)
    details = [phrases.how(records, task), phrases.about(records, task)]
    if task.status == "upcoming":
        details.append(f"from {at(task.opens)}, due {at(task.due)}")
    elif task.status == "done" and task.done_at:
        details.append(f"done {at(task.done_at)}{' (late)' if task.late else ''}")
    else:
        details.append(f"{'was due' if task.status == 'overdue' else 'due'} {at(task.due)}")
    indent = " " * (_WHEN_WIDTH + 4)
    detail = click.style(" · ".join(d for d in details if d), dim=True)
    return [f"  {when}  {task.title}", f"{indent}{detail}"]


def _summary(tasks: list[Task], problems: list[Problem], soon: list[Task]) -> str:
    overdue = sum(t.status == "overdue" for t in tasks)
    due = sum(t.status == "due" for t in tasks)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    parts = [f"{overdue} overdue", f"{due} due now", f"{len(soon)} in the next 14 days"]
    if problems:
        parts.append(f"{phrases.plural(errors, 'error')}, {phrases.plural(warnings, 'warning')}")
    return ", ".join(parts) + "."
