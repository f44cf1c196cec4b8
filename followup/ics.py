"""calendar.ics: every open task as an event ending at its deadline.

VEVENTs rather than VTODOs, because Google Calendar ignores to-dos in a
subscribed feed; UIDs come from task ids and DTSTAMPs from the tasks, so a
subscribed calendar updates in place instead of filling with copies.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from followup import phrases, rules, store
from followup.model import Records
from followup.pickling import by_new_ids
from followup.rules import Task

if TYPE_CHECKING:
    from icalendar import Calendar, Event

EVENT_LENGTH = timedelta(minutes=30)
WARN_BEFORE = timedelta(hours=2)


#: An open task's event as it shows it: the task, how to reach its person, and what
#: it is about.
Shown = tuple[Task, str, str]


class Events:
    """Each open task's event and its digest (equal digests, equal events), by the very
    task and records it is made from. Watch keeps this between saves, as a save changes
    few of them; working out every event and digesting it took 80 ms a save at N=2000."""

    def __init__(self) -> None:
        self._zone = ""
        # By the ids of the task and records an event is made from, which it holds: so
        # while it is here, no other objects can have those ids (only `of` sets this).
        self._last: dict[_Key, _Made] = {}
        # What the last call was given, and its open tasks' keys and events, in order.
        self._records: Records | None = None
        self._tasks: list[Task] = []
        self._open: list[Task] = []
        self._keys: list[_Key] = []
        self._found: list[tuple[str, Shown]] = []

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._keys = [_key(self._last[key]) for key in self._keys]
        self._last = by_new_ids(self._last, lambda _, made: _key(made))

    def of(self, records: Records, tasks: list[Task]) -> list[tuple[str, Shown]]:
        """The events of these tasks that are not done, each with its digest."""
        zone = records.settings.zone.key
        since = records.since
        if since is not None and since[0] is self._records and zone == self._zone:
            if store.same_objects(self._tasks, tasks):
                return self._again(records, since[1])
            return self._following(records, tasks, since[1])
        last = self._last if zone == self._zone else {}
        made: dict[_Key, _Made] = {}
        self._open = [task for task in tasks if task.status != "done"]
        self._keys = []
        for task in self._open:
            key, made[key] = _digested(records, zone, task, last)
            self._keys.append(key)
        self._found = [made[key][1:] for key in self._keys]
        self._zone, self._last, self._records, self._tasks = zone, made, records, list(tasks)
        return self._found

    def _again(
        self, records: Records, changed: frozenset[tuple[str, str]]
    ) -> list[tuple[str, Shown]]:
        """The events of the very same tasks, each made again only if its person, its
        application or that one's company changed (a save under watch: at N=2000, looking
        up 10,000 tasks' records took 18 ms)."""
        people, jobs = _changed(records, changed)
        made, found = dict(self._last), list(self._found)
        for at, task in enumerate(self._open):
            if task.person in people or task.application in jobs:
                del made[self._keys[at]]
                key, made[key] = _digested(records, self._zone, task, self._last)
                self._keys[at], found[at] = key, made[key][1:]
        self._last, self._records, self._found = made, records, found
        return found

    def _following(
        self, records: Records, tasks: list[Task], changed: frozenset[tuple[str, str]]
    ) -> list[tuple[str, Shown]]:
        """As _again, for tasks some of which are new (a save that changed a deadline, or
        a task due at each build): the others' events found by the very task (at N=2000,
        working out each one's key took 20 ms a save)."""
        people, jobs = _changed(records, changed)
        was = {id(task): at for at, task in enumerate(self._open)}
        self._open = [task for task in tasks if task.status != "done"]
        keys: list[_Key] = []
        found: list[tuple[str, Shown]] = []
        made: dict[_Key, _Made] = {}
        for task in self._open:
            at = was.get(id(task))
            if at is None or task.person in people or task.application in jobs:
                key, made[key] = _digested(records, self._zone, task, self._last)
                keys.append(key)
                found.append(made[key][1:])
            else:
                keys.append(self._keys[at])
                found.append(self._found[at])
                made[self._keys[at]] = self._last[self._keys[at]]
        self._keys, self._found, self._last = keys, found, made
        self._records, self._tasks = records, list(tasks)
        return found


def _changed(records: Records, changed: frozenset[tuple[str, str]]) -> tuple[set[str], set[str]]:
    """The people and the applications whose tasks' events these changed records change."""
    people = {slug for folder, slug in changed if folder == "contacts"}
    jobs = {slug for folder, slug in changed if folder == "applications"}
    if companies := {slug for folder, slug in changed if folder == "companies"}:
        jobs |= {app.slug for app in records.applications.values() if app.company in companies}
    return people, jobs


_Key = tuple[int, ...]
_Made = tuple[tuple[object, ...], str, Shown]  # what it is made of, its digest, and it


def _key(made: _Made) -> _Key:
    """An event's key in this process: _digested's, of what it is made of."""
    return tuple(map(id, made[0]))


def _digested(
    records: Records, zone: str, task: Task, last: dict[_Key, _Made]
) -> tuple[_Key, _Made]:
    """A task's event, by the ids of all it is made from; last's if there."""
    app = records.applications.get(task.application or "")
    company = records.companies.get(app.company) if app else None
    contact = records.contacts.get(task.person or "")  # with the task, all it reads
    key = (id(task), id(contact), id(app), id(company))
    known = last.get(key)
    if known is None:
        shown = (task, phrases.how(records, task), phrases.about(records, task))
        of = (task, contact, app, company)
        known = (of, store.digest_of((zone, rules.VALUES(task), *shown[1:])), shown)
    return key, known


def calendar(
    records: Records,
    tasks: list[Task],
    memo: store.Memo[bytes] | None = None,
    events: list[tuple[str, Shown]] | None = None,
) -> bytes:
    """The calendar, as icalendar writes it. With a memo, each event's lines are written
    once for the same task, person and zone, and kept for the next build: icalendar is
    slow, and a change to one record changes few events. events, those of the tasks
    (Events.of), when worked out already."""
    zone = records.settings.zone
    events = events if events is not None else Events().of(records, tasks)
    if not events:
        return bytes(_calendar(zone).to_ical())
    first = min(shown[0].due for _, shown in events).date() - timedelta(days=366)
    last = max(shown[0].due for _, shown in events).date() + timedelta(days=366)
    memo = memo if memo is not None else store.Memo()

    def written(event: tuple[str, Shown]) -> bytes:
        return memo.get(event[0], lambda: bytes(_event(zone, *event[1]).to_ical()))

    # The calendar's head (and the zone's VTIMEZONE) with one event, as icalendar writes
    # them; the other events' lines follow that one's, as in a calendar of them all.
    head = _calendar(zone)
    head.add_component(_event(zone, *events[0][1]))
    head.add_missing_timezones(first_date=first, last_date=last)
    whole, end = bytes(head.to_ical()), b"END:VCALENDAR\r\n"
    one = written(events[0])
    if not whole.endswith(one + end):  # pragma: no cover - an icalendar that writes otherwise
        cal = _calendar(zone)
        for _, shown in events:
            cal.add_component(_event(zone, *shown))
        cal.add_missing_timezones(first_date=first, last_date=last)
        return bytes(cal.to_ical())
    return whole[: -len(one + end)] + b"".join(map(written, events)) + end


def _calendar(zone: ZoneInfo) -> Calendar:
    """(icalendar is imported only when a calendar is written: a build that goes on from
    the last one's state most often keeps the last one's, and the import takes 45 ms.)"""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//followup//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Follow-ups")
    cal.add("x-wr-timezone", zone.key)
    return cal


def _event(zone: ZoneInfo, task: Task, how: str, about: str) -> Event:
    from icalendar import Alarm, Event

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
