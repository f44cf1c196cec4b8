"""calendar.ics: every open task as an event ending at its deadline.

VEVENTs rather than VTODOs, because Google Calendar ignores to-dos in a
subscribed feed; UIDs come from task ids and DTSTAMPs from the tasks, so a
subscribed calendar updates in place instead of filling with copies.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from icalendar import Alarm, Calendar, Event

from followup import phrases
from followup.model import Records
from followup.rules import Task

EVENT_LENGTH = timedelta(minutes=30)
WARN_BEFORE = timedelta(hours=2)


def inputs(records: Records, tasks: list[Task]) -> tuple[object, ...]:
    """All that calendar() reads, as plain values: equal inputs, equal calendars."""
    open_tasks = [t for t in tasks if t.status != "done"]
    details = [(t, phrases.how(records, t), phrases.about(records, t)) for t in open_tasks]
    return (records.settings.zone.key, details)


def calendar(records: Records, tasks: list[Task]) -> bytes:
    zone = records.settings.zone
    cal = Calendar()
    cal.add("prodid", "-//followup//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Follow-ups")
    cal.add("x-wr-timezone", zone.key)
    open_tasks = [t for t in tasks if t.status != "done"]
    for task in open_tasks:
        event = Event()
        event.add("uid", f"{task.id}@followup")
        event.add("summary", task.title)
        event.add("dtstamp", task.opens.astimezone(UTC))
        event.add("dtstart", (task.due - EVENT_LENGTH).astimezone(zone))
        event.add("dtend", task.due.astimezone(zone))
        details = [phrases.how(records, task), phrases.about(records, task)]
        event.add("description", "\n".join(d for d in details if d))
        event.add("categories", [task.rule])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", task.title)
        alarm.add("trigger", -WARN_BEFORE, parameters={"RELATED": "END"})
        event.add_component(alarm)
        cal.add_component(event)
    if open_tasks:
        first = min(t.due for t in open_tasks).date() - timedelta(days=366)
        last = max(t.due for t in open_tasks).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return bytes(cal.to_ical())
