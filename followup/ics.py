"""calendar.ics: every open task as an event ending at its deadline.

VEVENTs rather than VTODOs, because Google Calendar ignores to-dos in a
subscribed feed; UIDs come from task ids and DTSTAMPs from the tasks, so a
subscribed calendar updates in place instead of filling with copies.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from followup import phrases, store
from followup.model import Records
from followup.rules import Task

EVENT_LENGTH = timedelta(minutes=30)
WARN_BEFORE = timedelta(hours=2)


def inputs(records: Records, tasks: list[Task]) -> tuple[object, ...]:
    """All that calendar() reads, as plain values: equal inputs, equal calendars."""
    open_tasks = [t for t in tasks if t.status != "done"]
    details = [(t, phrases.how(records, t), phrases.about(records, t)) for t in open_tasks]
    return (records.settings.zone.key, details)


def calendar(records: Records, tasks: list[Task], memo: store.Memo[bytes] | None = None) -> bytes:
    """The calendar, as icalendar writes it. With a memo, each event's lines are written
    once for the same task, person and zone, and kept for the next build: icalendar is
    slow, and a change to one record changes few events."""
    zone = records.settings.zone
    open_tasks = [t for t in tasks if t.status != "done"]
    if not open_tasks:
        return bytes(_calendar(zone).to_ical())
    events = [(t, phrases.how(records, t), phrases.about(records, t)) for t in open_tasks]
    first = min(t.due for t in open_tasks).date() - timedelta(days=366)
    last = max(t.due for t in open_tasks).date() + timedelta(days=366)
    memo = memo if memo is not None else store.Memo()

    def written(event: tuple[Task, str, str]) -> bytes:
        key = store.digest_of((zone.key, event))
        return memo.get(key, lambda: bytes(_event(zone, *event).to_ical()))

    # The calendar's head (and the zone's VTIMEZONE) with one event, as icalendar writes
    # them; the other events' lines follow that one's, as in a calendar of them all.
    head = _calendar(zone)
    head.add_component(_event(zone, *events[0]))
    head.add_missing_timezones(first_date=first, last_date=last)
    whole, end = bytes(head.to_ical()), b"END:VCALENDAR\r\n"
    one = written(events[0])
    if not whole.endswith(one + end):  # pragma: no cover - an icalendar that writes otherwise
        cal = _calendar(zone)
        for event in events:
            cal.add_component(_event(zone, *event))
        cal.add_missing_timezones(first_date=first, last_date=last)
        return bytes(cal.to_ical())
    return whole[: -len(one + end)] + b"".join(map(written, events)) + end


def _calendar(zone: ZoneInfo) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//followup//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Follow-ups")
    cal.add("x-wr-timezone", zone.key)
    return cal


def _event(zone: ZoneInfo, task: Task, how: str, about: str) -> Event:
    event = Event()
    event.add("uid", f"{task.id}@followup")
    event.add("summary", task.title)
    event.add("dtstamp", task.opens.astimezone(UTC))
    event.add("dtstart", (task.due - EVENT_LENGTH).astimezone(zone))
    event.add("dtend", task.due.astimezone(zone))
    event.add("description", "\n".join(d for d in (how, about) if d))
    event.add("categories", [task.rule])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", task.title)
    alarm.add("trigger", -WARN_BEFORE, parameters={"RELATED": "END"})
    event.add_component(alarm)
    return event
