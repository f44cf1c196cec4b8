"""How followup says things to a person: when, how, about what. Shared by terminal and site."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from followup.model import Records
from followup.rules import TITLE_NAMES_THE_JOB, Task

_CALLS = ("follow-up-call",)
_FIELD = {"email": "email", "phone": "number", "mail": "address", "card": "address"}


def when(task: Task, now: datetime) -> str:
    """'2 days overdue', 'due in 5 h', 'in 3 days', 'done' or 'late'."""
    if task.status == "overdue":
        return f"{span(now - task.due)} overdue"
    if task.status == "due":
        left = task.due - now
        return "due now" if left < timedelta(minutes=1) else f"due in {span(left)}"
    if task.status == "upcoming":
        return f"in {span(task.opens - now)}"
    return as_built(task)


def as_built(task: Task) -> str:
    """'overdue', 'due now', 'upcoming', 'done' or 'late': what a page says of a task till
    its script says how long (app.js). A page so changes only when its tasks do, not as
    the clock moves: at N=2000, a build an hour after the last one made 12,000 pages
    again for their "due in 5 h", in 8 to 16 s."""
    if task.status == "done":
        return "late" if task.late else "done"
    return "due now" if task.status == "due" else task.status


def how(records: Records, task: Task) -> str:
    """By which channel to reach the task's person, and where."""
    contact = records.contacts.get(task.person or "")
    if contact is None:
        return ""
    addresses = {
        "email": contact.email,
        "phone": contact.phone,
        "mail": contact.address,
        "card": contact.address,
    }
    channel = "phone" if task.rule in _CALLS else contact.prefers
    if channel is None:
        channel = "email" if contact.email else "phone" if contact.phone else None
    if channel is None:
        return f"{contact.name}: no email, phone or address on file"
    address = addresses.get(channel)
    if address:
        return f"by {channel}: {one_line(address)}"
    if channel == "fax":
        return "by fax"
    missing = f"by {channel} (no {_FIELD[channel]} on file"
    other = next((c for c in ("email", "phone") if addresses[c]), None)
    return f"{missing}; {other}: {addresses[other]})" if other else f"{missing})"


def about(records: Records, task: Task) -> str:
    """The application a task is about; just its file's slug when the title names the job."""
    app = records.applications.get(task.application or "")
    if app is None:
        return ""
    if task.rule in TITLE_NAMES_THE_JOB:
        return f"{app.slug} ({app.status})"
    return f"{records.job(app)} ({app.status})"


def moment(instant: datetime, now: datetime, zone: ZoneInfo) -> str:
    """'Thu 19 Nov 14:00' on the workspace's clock; the year only when it is not this one."""
    local = instant.astimezone(zone)
    same_year = local.year == now.astimezone(zone).year
    return local.strftime("%a %d %b %H:%M" if same_year else "%a %d %b %Y %H:%M")


def span(delta: timedelta) -> str:
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} days"


def one_line(text: str) -> str:
    lines = (line.strip() for line in text.splitlines())
    return ", ".join(line for line in lines if line)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
