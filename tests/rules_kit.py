"""Shared helpers for the tests/test_rules_*.py modules.

Each builds the text of one workspace file (an interview, a contact, an
application, the settings) or reads a workspace and picks tasks out of it.
The defaults describe the base workspace of conftest.py: the Acme backend
application, applied 2026-11-02, with Dana Reyes as its contact, and an onsite
on 2026-11-18 14:00 (New York) with Dana Reyes and Raj Patel.

America/New_York is UTC-4 (EDT) until 2026-11-01 02:00 and UTC-5 (EST) after;
EDT again from 2026-03-08.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from followup import rules
from followup.model import Records

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)  # 12:00 EST, Thursday 2026-11-19
SECOND = timedelta(seconds=1)

#: Two Acme people with no part in the base application.
PAT_LEE = "name: Pat Lee\ntitle: Receptionist\ncompany: acme\n"
LEE_PARK = "name: Lee Park\ntitle: Technical Recruiter\ncompany: acme\n"

#: The `read_workspace` fixture of conftest.py: files -> (records, problems).
Reader = Callable[..., Any]


def ny(*parts: int) -> datetime:
    """A New York wall-clock time (never an ambiguous one in these tests)."""
    return datetime(*parts, tzinfo=NY)  # type: ignore[misc]


def wall(instant: datetime) -> datetime:
    """What a New York clock shows at that instant."""
    return instant.astimezone(NY).replace(tzinfo=None)


def _log(entries: Iterable[str]) -> list[str]:
    """A `log:` block of these entries, or nothing when there are none."""
    if entries := list(entries):
        return ["log:", *(f"  - {entry}" for entry in entries)]
    return []


def interview(
    at: str = "2026-11-18 14:00",
    *,
    duration: str | None = "2h",
    kind: str = "onsite",
    interviewers: Iterable[str] = ("dana-reyes", "raj-patel"),
    also_met: Iterable[str] = (),
    log: Iterable[str] = (),
    application: str = "acme-backend",
) -> str:
    """An interview file (front matter and a line of notes); no duration if None."""
    lines = ["---", f"application: {application}", f"at: {at}", f"kind: {kind}"]
    if duration:
        lines.append(f"duration: {duration}")
    lines.append(f"interviewers: [{', '.join(interviewers)}]")
    if also_met:
        lines.append(f"also_met: [{', '.join(also_met)}]")
    lines += [*_log(log), "---", "Notes.", ""]
    return "\n".join(lines)


def contact(name: str, *, log: Iterable[str] = (), extra: Iterable[str] = ()) -> str:
    """An Acme contact file, with extra lines before its log."""
    lines = [f"name: {name}", "company: acme", *extra, *_log(log)]
    return "\n".join(lines) + "\n"


def application(
    status: str = "interviewing",
    *,
    extra: Iterable[str] = (),
    log: Iterable[str] = (),
    applied: str | None = "2026-11-02",
    references: Iterable[str] = (),
) -> str:
    """The Acme backend application file; no `applied` if None, no `references` if empty."""
    lines = [
        "company: acme",
        "role: Backend Engineer",
        f"status: {status}",
        *([f"applied: {applied}"] if applied else []),
        *([f"references: [{', '.join(references)}]"] if references else []),
        "contact: dana-reyes",
        *extra,
        *_log(log),
    ]
    return "\n".join(lines) + "\n"


def settings(**rule_settings: str) -> str:
    """The settings file, with these keys under `rules:` (if any)."""
    lines = ["me: {name: Sam Taylor, email: sam@example.org}", "timezone: America/New_York"]
    if rule_settings:
        lines += ["rules:", *(f"  {key}: {value}" for key, value in rule_settings.items())]
    return "\n".join(lines) + "\n"


def records_of(read_workspace: Reader, files: dict[str, str | None]) -> Records:
    """The records of the base workspace with these files, which must read without errors."""
    records, problems = read_workspace(files)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return records


def tasks_at(read_workspace: Reader, files: dict[str, str | None], now: datetime = NOW) -> list:
    """The tasks of the base workspace with these files, as of `now`."""
    return rules.tasks(records_of(read_workspace, files), now)


def one(tasks: list, task_id: str) -> rules.Task:
    """The one task with this id (failing if there are none or several)."""
    found = [t for t in tasks if t.id == task_id]
    assert len(found) == 1, f"{task_id} not once in {[t.id for t in tasks]}"
    return found[0]


def ids(tasks: list, rule: str = "thank-you") -> list[str]:
    """The sorted ids of the tasks of one rule."""
    return sorted(t.id for t in tasks if t.rule == rule)
