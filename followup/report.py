"""The follow-ups as a person or a program reads them: the agenda's sections and the
JSON of `check --format json` and tasks.json (DESIGN section 5)."""

from __future__ import annotations

import functools
import json
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


def as_text(
    records: Records,
    tasks: list[Task],
    problems: list[Problem],
    nudges: list[Nudge],
    now: datetime,
    listed: str | None = None,
) -> str:
    """as_json, as `json.dumps(indent=2, ensure_ascii=False)` writes it, but each task's
    text is kept while the task stays the same: watch writes tasks.json at every save.
    listed, the tasks' list as tasks_listed writes it, when known."""
    listed = listed if listed is not None else tasks_listed(tasks, records.settings.zone)
    found = as_json(records, [], problems, nudges, now)
    parts = [
        f"  {_json(key)}: {listed if key == 'tasks' else _indented(_json(value), '  ')}"
        for key, value in found.items()
    ]
    return "{\n" + ",\n".join(parts) + "\n}"


def tasks_listed(tasks: list[Task], zone: ZoneInfo) -> str:
    """The tasks' list in as_text."""
    texts = [_task_text(task, zone) for task in tasks]
    return "[\n" + ",\n".join(texts) + "\n  ]" if texts else "[]"


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _indented(text: str, indent: str) -> str:
    """JSON text moved in, to sit inside a list or an object (strings hold no new line)."""
    return text.replace("\n", f"\n{indent}")


@functools.lru_cache(maxsize=1 << 15)
def _task_text(task: Task, zone: ZoneInfo) -> str:
    """A task's JSON, as it is in the report's list of tasks: a flat object, so each
    value is encoded alone, by json's fast encoder (indent takes its slow one)."""
    fields = [f'      "{key}": {_value(value)}' for key, value in task_json(task, zone).items()]
    return "    {\n" + ",\n".join(fields) + "\n    }"


_value = json.JSONEncoder(ensure_ascii=False).encode


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
