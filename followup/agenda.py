"""What `check` shows: an agenda a person reads in five seconds, and the same facts as JSON."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import click

from followup import clock
from followup.model import Records
from followup.problems import Problem
from followup.rules import Nudge, Task

#: How far ahead the agenda looks.
HORIZON = timedelta(days=14)
_WHEN_WIDTH = 16
_CALLS = ("follow-up-call",)


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
    out.append(click.style(f"Follow-ups at {_moment(now, now, zone)} ({zone.key})", bold=True))
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
    zone = records.settings.zone
    when = click.style(_when(task, now).ljust(_WHEN_WIDTH), fg=colour)
    details = [_how(records, task), *_about(records, task)]
    if task.status == "upcoming":
        details.append(f"from {_moment(task.opens, now, zone)}, due {_moment(task.due, now, zone)}")
    elif task.status == "done" and task.done_at:
        late = " (late)" if task.late else ""
        details.append(f"done {_moment(task.done_at, now, zone)}{late}")
    else:
        details.append(f"{'was due' if task.status == 'overdue' else 'due'} "
                       f"{_moment(task.due, now, zone)}")  # fmt: skip
    indent = " " * (_WHEN_WIDTH + 4)
    detail = click.style(" · ".join(d for d in details if d), dim=True)
    return [f"  {when}  {task.title}", f"{indent}{detail}"]


def _when(task: Task, now: datetime) -> str:
    if task.status == "overdue":
        return f"{_span(now - task.due)} overdue"
    if task.status == "due":
        left = task.due - now
        return "due now" if left < timedelta(minutes=1) else f"due in {_span(left)}"
    if task.status == "upcoming":
        return f"in {_span(task.opens - now)}"
    return "late" if task.late else "done"


def _how(records: Records, task: Task) -> str:
    """By which channel to reach the person, and where."""
    contact = records.contacts.get(task.person or "")
    if contact is None:
        return ""
    channel = "phone" if task.rule in _CALLS else contact.prefers
    if channel is None:
        channel = "email" if contact.email else "phone" if contact.phone else None
    address = {
        "email": contact.email,
        "phone": contact.phone,
        "mail": contact.address,
        "card": contact.address,
    }.get(channel or "")
    if channel is None:
        return f"{contact.name}: no email, phone or address on file"
    if address:
        lines = (line.strip() for line in address.splitlines())
        return f"by {channel}: {', '.join(line for line in lines if line)}"
    return f"by {channel}" + ("" if channel == "fax" else f" (no {_FIELD[channel]} on file)")


_FIELD = {"email": "email", "phone": "number", "mail": "address", "card": "address"}


def _about(records: Records, task: Task) -> Iterable[str]:
    app = records.applications.get(task.application or "")
    if app is None:
        return []
    company = records.companies.get(app.company)
    name = company.name if company else app.company
    if app.role in task.title:
        return [f"{app.slug} ({app.status})"]
    return [f"{app.role} at {name} ({app.status})"]


def _moment(instant: datetime, now: datetime, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    same_year = local.year == now.astimezone(zone).year
    return local.strftime("%a %d %b %H:%M" if same_year else "%a %d %b %Y %H:%M")


def _span(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    days = hours // 24
    return f"{days} days"


def _summary(tasks: list[Task], problems: list[Problem], soon: list[Task]) -> str:
    overdue = sum(t.status == "overdue" for t in tasks)
    due = sum(t.status == "due" for t in tasks)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    parts = [f"{overdue} overdue", f"{due} due now", f"{len(soon)} in the next 14 days"]
    if problems:
        parts.append(f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}")
    return ", ".join(parts) + "."


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
