"""calendar.ics written event by event (and remembered) is what icalendar writes whole."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Alarm, Calendar, Event

from followup import ics, phrases, rules, store, workspace
from followup.model import Records, Settings
from followup.rules import Task
from tests.conftest import NEW_YORK, REPO

NOW = datetime(2026, 11, 21, 17, tzinfo=UTC)


def whole(records: Records, tasks: list[Task]) -> bytes:
    """calendar.ics as it was written before events were remembered: one icalendar tree."""
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
        event.add("dtstart", (task.due - ics.EVENT_LENGTH).astimezone(zone))
        event.add("dtend", task.due.astimezone(zone))
        details = [phrases.how(records, task), phrases.about(records, task)]
        event.add("description", "\n".join(d for d in details if d))
        event.add("categories", [task.rule])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", task.title)
        alarm.add("trigger", -ics.WARN_BEFORE, parameters={"RELATED": "END"})
        event.add_component(alarm)
        cal.add_component(event)
    if open_tasks:
        first = min(t.due for t in open_tasks).date() - timedelta(days=366)
        last = max(t.due for t in open_tasks).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return bytes(cal.to_ical())


def test_the_sample_calendar_is_what_icalendar_writes_whole() -> None:
    records, _ = workspace.read(REPO, NEW_YORK)
    tasks = rules.tasks(records, NOW)
    memo: store.Memo[bytes] = store.Memo()
    assert ics.calendar(records, tasks, memo) == whole(records, tasks)
    again: store.Memo[bytes] = store.Memo(memo.now)
    assert ics.calendar(records, tasks, again) == whole(records, tasks)
    assert ics.calendar(records, [t for t in tasks if t.status == "done"]) == whole(records, [])


texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=120)


ZONES = st.sampled_from(["Europe/Paris", "UTC", "Asia/Kolkata"])
RECORDS, _ = workspace.read(REPO, NEW_YORK)


@settings(max_examples=40, deadline=None)
@given(titles=st.lists(texts, min_size=1, max_size=4), zone=ZONES)
def test_any_titles_and_zones_are_written_as_icalendar_does(titles: list[str], zone: str) -> None:
    settings_ = Settings(zone=ZoneInfo(zone), me=RECORDS.settings.me)
    records = Records(
        settings_, RECORDS.contacts, RECORDS.companies, RECORDS.applications, RECORDS.interviews
    )
    tasks = [t for t in rules.tasks(records, NOW) if t.status != "done"][: len(titles)]
    tasks = [
        Task(t.rule, t.application, t.interview, t.contact, title, t.opens, t.due, None,
             t.status, t.person)
        for t, title in zip(tasks, titles, strict=False)
    ]  # fmt: skip
    assert ics.calendar(records, tasks, store.Memo()) == whole(records, tasks)


@pytest.mark.parametrize("watched", [False, True])
def test_events_kept_between_saves_are_those_a_fresh_build_works_out(watched: bool) -> None:
    """Watch keeps each event by the task and records it shows: a save that changes one
    of them (a contact's email, an application's status, a company's name) changes it,
    be it told which records changed (watched, as model.build tells) or not."""
    records, _ = workspace.read(REPO, NEW_YORK)
    tasks = rules.tasks(records, NOW)
    kept = ics.Events()
    first = kept.of(records, tasks)
    task = next(shown[0] for _, shown in first if shown[0].rule == "thank-you")  # names all
    assert task.person and task.application
    app = records.applications[task.application]
    saves = [
        ("contacts", task.person, {"email": "new@example.org", "prefers": "email"}),
        ("applications", app.slug, {"status": "offer"}),
        ("companies", app.company, {"name": "Renamed Inc"}),
    ]
    for folder, slug, values in saves:
        kind = getattr(records, folder)
        saved = {**kind, slug: dataclasses.replace(kind[slug], **values)}
        since = (records, frozenset({(folder, slug)})) if watched else None
        records = dataclasses.replace(records, **{folder: saved}, since=since)
        now = kept.of(records, tasks)
        assert now == ics.Events().of(records, tasks) != first, folder
        first = now
    assert kept.of(records, tasks) == first


def test_events_kept_when_some_tasks_are_new_are_those_a_fresh_build_works_out() -> None:
    """A save that makes a few tasks anew (a changed deadline, a task due at each build,
    a task done or gone) keeps the others' events by the very task."""
    records, _ = workspace.read(REPO, NEW_YORK)
    tasks = rules.tasks(records, NOW)
    kept = ics.Events()
    first = kept.of(records, tasks)
    moved, gone = [shown[0] for _, shown in first[:2]]
    person = next(
        t.person for t in tasks if t.person and t.status != "done" and t not in (moved, gone)
    )
    assert person
    contact = records.contacts[person]
    moved_in = dataclasses.replace(
        contact, email="new@example.org", phone="555 0100", address="1 New Street"
    )
    saved = {**records.contacts, person: moved_in}
    edited = dataclasses.replace(
        records, contacts=saved, since=(records, frozenset({("contacts", person)}))
    )
    later = dataclasses.replace(moved, due=moved.due + timedelta(hours=1))
    anew = [later if t is moved else t for t in tasks if t is not gone]
    now = kept.of(edited, anew)
    assert now == ics.Events().of(edited, anew) != first
    assert {shown[0].id for _, shown in now} == {t.id for t in anew if t.status != "done"}
