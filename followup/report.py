"""The follow-ups as a person or a program reads them: the agenda's sections and the
JSON of `check --format json` and tasks.json (DESIGN section 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from followup import clock
from followup.model import Records
from followup.problems import Problem
from followup.rules import Nudge, Task

#: How far ahead the agenda looks.
HORIZON = timedelta(days=14)
HORIZON_TEXT = "Next 14 days"


@dataclass(frozen=True)
class Sections:
    """Open tasks as the agenda groups them: late, due now, and opening soon."""

    overdue: list[Task]
    due: list[Task]
    soon: list[Task]


def sections(tasks: list[Task], now: datetime) -> Sections:
    """Tasks come soonest deadline first; those still to open, soonest opening first."""
    soon = [t for t in tasks if t.status == "upcoming" and t.opens <= now + HORIZON]
    return Sections(
        overdue=[t for t in tasks if t.status == "overdue"],
        due=[t for t in tasks if t.status == "due"],
        soon=sorted(soon, key=lambda t: (t.opens, t.due, t.id)),
    )


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
