"""What `check` prints: an agenda a person reads in five seconds."""

from __future__ import annotations

from datetime import datetime

import click

from followup import phrases, report
from followup.model import Records
from followup.problems import Problem
from followup.rules import Nudge, Task

_WHEN_WIDTH = 16


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
    out = problem_lines(problems)
    if problems:
        out.append("")
    zone = records.settings.zone
    out.append(
        click.style(f"Follow-ups at {phrases.moment(now, now, zone)} ({zone.key})", bold=True)
    )
    groups = report.sections(tasks, now)
    sections = [
        ("Overdue", "red", groups.overdue),
        ("Due now", "yellow", groups.due),
        (report.HORIZON_TEXT, "cyan", groups.soon),
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
        out += ["", f"Nothing overdue, due now, or in the {report.HORIZON_TEXT.lower()}."]
    if nudges:
        out += ["", click.style("Nudges", bold=True)]
        out += [f"  {nudge.message}" for nudge in nudges]
    out += ["", _summary(groups, problems)]
    return "\n".join(out)


def _entry(records: Records, task: Task, now: datetime, colour: str) -> list[str]:
    def at(instant: datetime) -> str:
        return phrases.moment(instant, now, records.settings.zone)

    when = click.style(phrases.when(task, now).ljust(_WHEN_WIDTH), fg=colour)
    details = [phrases.how(records, task), phrases.about(records, task)]
    if task.status == "upcoming":
        details.append(f"from {at(task.opens)}, due {at(task.due)}")
    elif task.status == "done":
        late = " (late)" if task.late else ""
        details.append(f"done {at(task.done_at)}{late}" if task.done_at else "done")
    else:
        details.append(f"{'was due' if task.status == 'overdue' else 'due'} {at(task.due)}")
    indent = " " * (_WHEN_WIDTH + 4)
    detail = click.style(" · ".join(d for d in details if d), dim=True)
    return [f"  {when}  {task.title}", f"{indent}{detail}"]


def _summary(groups: report.Sections, problems: list[Problem]) -> str:
    parts = [
        f"{len(groups.overdue)} overdue",
        f"{len(groups.due)} due now",
        f"{len(groups.soon)} in the {report.HORIZON_TEXT.lower()}",
    ]
    if problems:
        parts.append(problem_count(problems))
    return ", ".join(parts) + "."


def problem_lines(problems: list[Problem]) -> list[str]:
    """Each problem as path:line:column: message, errors red and warnings yellow."""
    colour = {"error": "red", "warning": "yellow"}
    return [click.style(str(p), fg=colour[p.severity]) for p in problems]


def problem_count(problems: list[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    return f"{phrases.plural(errors, 'error')}, {phrases.plural(len(problems) - errors, 'warning')}"
