"""The `thank-you` rule (DESIGN 2; seeds 000-003).

One task per interview x interviewer (phone screens and recruiters too), made
always; opens at the interview's end (`at` + `duration`), due `at` +
`thank_you_within` (24h, elapsed time), done by a `thank-you` with that person
at/after `at`, logged anywhere.

Expected values are worked out by hand from DESIGN; America/New_York is UTC-4
(EDT) until 2026-11-01 02:00 and UTC-5 (EST) after; EDT again from 2026-03-08.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.rules_kit import (
    LEE_PARK,
    PAT_LEE,
    SECOND,
    Reader,
    application,
    contact,
    ids,
    interview,
    ny,
    one,
    settings,
    tasks_at,
    wall,
)

DANA = "thank-you:acme-backend:acme-onsite:dana-reyes"
RAJ = "thank-you:acme-backend:acme-onsite:raj-patel"


# --- one task per interviewer -------------------------------------------------


def test_one_task_per_interviewer_and_none_for_also_met(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/pat-lee.yaml": PAT_LEE,
            "data/interviews/acme-onsite.md": interview(also_met=["pat-lee"]),
        },
    )
    assert ids(tasks) == [DANA, RAJ]
    assert not [t for t in tasks if t.contact == "pat-lee"]
    for task_id in (DANA, RAJ):
        task = one(tasks, task_id)
        assert task.rule == "thank-you"
        assert (task.application, task.interview) == ("acme-backend", "acme-onsite")
        # opens at the end: 14:00 EST + 2h = 16:00 EST = 21:00Z
        assert task.opens == ny(2026, 11, 18, 16, 0) == datetime(2026, 11, 18, 21, tzinfo=UTC)
        # due at `at` + 24h: 2026-11-19 14:00 EST = 19:00Z
        assert task.due == ny(2026, 11, 19, 14, 0) == datetime(2026, 11, 19, 19, tzinfo=UTC)
        assert task.done_at is None
        # NOW 12:00 EST on the 19th is between them
        assert task.status == "due"
        assert not task.late


def test_phone_screen_with_a_recruiter_is_owed_a_note(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/lee-park.yaml": LEE_PARK,
            "data/interviews/acme-screen.md": interview(
                "2026-11-05 10:00", duration="30m", kind="phone", interviewers=["lee-park"]
            ),
        },
    )
    task = one(tasks, "thank-you:acme-backend:acme-screen:lee-park")
    # opens 10:00 + 30m = 10:30 EST; due 10:00 + 24h = 2026-11-06 10:00 EST
    assert task.opens == ny(2026, 11, 5, 10, 30)
    assert task.due == ny(2026, 11, 6, 10, 0)
    assert task.done_at is None
    assert task.status == "overdue"


def test_default_duration_is_one_hour(read_workspace: Reader) -> None:
    tasks = tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview(duration=None)})
    # 14:00 + 1h
    assert one(tasks, DANA).opens == ny(2026, 11, 18, 15, 0)


def test_each_interview_owes_its_own_note_to_the_same_person(read_workspace: Reader) -> None:
    # Dana was thanked after the phone screen on 11-05; that note is before the
    # onsite's `at`, so it does not fulfil the onsite's thank-you.
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/acme-screen.md": interview(
                "2026-11-05 10:00",
                duration="30m",
                kind="phone",
                interviewers=["dana-reyes"],
                log=["{on: 2026-11-05 18:00, did: thank-you, with: dana-reyes, via: email}"],
            ),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    assert ids(tasks) == [DANA, RAJ, "thank-you:acme-backend:acme-screen:dana-reyes"]
    screen = one(tasks, "thank-you:acme-backend:acme-screen:dana-reyes")
    assert screen.status == "done"
    assert screen.done_at == ny(2026, 11, 5, 18, 0)
    onsite = one(tasks, DANA)
    assert onsite.done_at is None
    assert onsite.status == "due"


# --- done by a thank-you, logged anywhere ----------------------------------------


def test_note_logged_in_the_interview_file(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/acme-onsite.md": interview(
                log=["{on: 2026-11-18 20:10, did: thank-you, with: dana-reyes, via: email}"]
            )
        },
    )
    dana = one(tasks, DANA)
    assert dana.status == "done"
    # 20:10 EST = 01:10Z next day, before the due 19:00Z on the 19th
    assert dana.done_at == datetime(2026, 11, 19, 1, 10, tzinfo=UTC)
    assert dana.opens == ny(2026, 11, 18, 16, 0)
    assert dana.due == ny(2026, 11, 19, 14, 0)
    assert not dana.late
    raj = one(tasks, RAJ)
    assert raj.done_at is None
    assert raj.status == "due"


def test_note_logged_in_a_contact_file_defaults_to_that_contact(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/raj-patel.yaml": contact(
                "Raj Patel", log=["{on: 2026-11-19 08:30, did: thank-you, via: card}"]
            ),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    raj = one(tasks, RAJ)
    assert raj.status == "done"
    assert raj.done_at == ny(2026, 11, 19, 8, 30)  # = 13:30Z
    assert raj.done_at == datetime(2026, 11, 19, 13, 30, tzinfo=UTC)
    assert not raj.late
    assert one(tasks, DANA).status == "due"  # Raj's note is not Dana's


def test_note_logged_in_the_application_file(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(
                log=["{on: 2026-11-19 09:15, did: thank-you, with: raj-patel, via: email}"]
            ),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    raj = one(tasks, RAJ)
    assert raj.status == "done"
    assert raj.done_at == ny(2026, 11, 19, 9, 15)


def test_note_sent_late_is_done_and_late(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/acme-onsite.md": interview(
                log=["{on: 2026-11-20 10:00, did: thank-you, with: dana-reyes, via: mail}"]
            )
        },
        now=datetime(2026, 11, 21, 12, tzinfo=UTC),
    )
    dana = one(tasks, DANA)
    assert dana.status == "done"
    # done 2026-11-20 10:00 EST = 15:00Z, after the due 2026-11-19 19:00Z
    assert dana.done_at == datetime(2026, 11, 20, 15, tzinfo=UTC)
    assert dana.due == datetime(2026, 11, 19, 19, tzinfo=UTC)
    assert dana.done_at > dana.due
    assert dana.late
    # Raj got nothing: overdue by the 21st
    assert one(tasks, RAJ).status == "overdue"


def test_first_note_counts_when_two_were_sent(read_workspace: Reader) -> None:
    # seed 002: a card, then quickly an email; the task was done by the first
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/acme-onsite.md": interview(
                log=[
                    "{on: 2026-11-20 10:00, did: thank-you, with: dana-reyes, via: email}",
                    "{on: 2026-11-18 19:00, did: thank-you, with: dana-reyes, via: card}",
                ]
            )
        },
    )
    dana = one(tasks, DANA)
    assert dana.done_at == ny(2026, 11, 18, 19, 0)
    assert not dana.late


@pytest.mark.parametrize(
    "log",
    [
        # a note before the interview began is not a note for it
        "{on: 2026-11-18 13:59, did: thank-you, with: dana-reyes}",
        "{on: 2026-11-10, did: thank-you, with: dana-reyes}",
        # 18:59Z = 13:59 EST, a minute before `at`
        "{on: 2026-11-18T18:59:00Z, did: thank-you, with: dana-reyes}",
        # other kinds of activity are not thank-you notes
        "{on: 2026-11-18 20:00, did: message, with: dana-reyes, via: email}",
        "{on: 2026-11-18 20:00, did: call, with: dana-reyes, via: phone}",
        "{on: 2026-11-18 20:00, did: reply, with: dana-reyes, via: email}",
        # a note to someone else
        "{on: 2026-11-18 20:00, did: thank-you, with: raj-patel}",
    ],
)
def test_what_does_not_fulfil_the_thank_you(read_workspace: Reader, log: str) -> None:
    tasks = tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview(log=[log])})
    dana = one(tasks, DANA)
    assert dana.done_at is None
    assert dana.status == "due"


# --- values with and without UTC offsets ------------------------------------------


@pytest.mark.parametrize(
    ("on", "done_at", "late"),
    [
        # local time, no offset: 20:10 EST = 01:10Z
        ("2026-11-18 20:10", datetime(2026, 11, 19, 1, 10, tzinfo=UTC), False),
        ("2026-11-18T20:10", datetime(2026, 11, 19, 1, 10, tzinfo=UTC), False),
        ("2026-11-19T01:10:00Z", datetime(2026, 11, 19, 1, 10, tzinfo=UTC), False),
        ("2026-11-19T02:10:00+01:00", datetime(2026, 11, 19, 1, 10, tzinfo=UTC), False),
        # a date alone: 09:00 EST = 14:00Z
        ("2026-11-19", datetime(2026, 11, 19, 14, tzinfo=UTC), False),
        # exactly at the due time (14:00 EST = 19:00Z) is on time ...
        ("2026-11-19 14:00", datetime(2026, 11, 19, 19, tzinfo=UTC), False),
        # ... also written in another zone: 20:00+01:00 = 19:00Z
        ("2026-11-19T20:00:00+01:00", datetime(2026, 11, 19, 19, tzinfo=UTC), False),
        # one second later is late
        ("2026-11-19 14:00:01", datetime(2026, 11, 19, 19, 0, 1, tzinfo=UTC), True),
        ("2026-11-19T11:00:01-08:00", datetime(2026, 11, 19, 19, 0, 1, tzinfo=UTC), True),
        # exactly at `at` counts ("at/after")
        ("2026-11-18T19:00:00Z", datetime(2026, 11, 18, 19, tzinfo=UTC), False),
    ],
)
def test_log_on_with_and_without_offset(
    read_workspace: Reader, on: str, done_at: datetime, late: bool
) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/acme-onsite.md": interview(
                log=[f"{{on: {on}, did: thank-you, with: dana-reyes, via: email}}"]
            )
        },
        now=datetime(2026, 11, 25, tzinfo=UTC),
    )
    dana = one(tasks, DANA)
    assert dana.status == "done"
    assert dana.done_at == done_at
    assert dana.late is late


@pytest.mark.parametrize(
    ("at", "opens", "due"),
    [
        # +01:00: 14:00+01:00 = 13:00Z (08:00 EST); 45m -> 13:45Z; +24h -> 13:00Z next day
        (
            "2026-11-18T14:00:00+01:00",
            datetime(2026, 11, 18, 13, 45, tzinfo=UTC),
            datetime(2026, 11, 19, 13, tzinfo=UTC),
        ),
        # Z: 19:00Z = 14:00 EST
        (
            "2026-11-18T19:00:00Z",
            datetime(2026, 11, 18, 19, 45, tzinfo=UTC),
            datetime(2026, 11, 19, 19, tzinfo=UTC),
        ),
        # no offset: local, 14:00 EST = 19:00Z
        (
            "2026-11-18 14:00",
            datetime(2026, 11, 18, 19, 45, tzinfo=UTC),
            datetime(2026, 11, 19, 19, tzinfo=UTC),
        ),
        # with seconds, no offset
        (
            "2026-11-18 14:00:30",
            datetime(2026, 11, 18, 19, 45, 30, tzinfo=UTC),
            datetime(2026, 11, 19, 19, 0, 30, tzinfo=UTC),
        ),
        # a date alone: 09:00 EST = 14:00Z
        (
            "2026-11-18",
            datetime(2026, 11, 18, 14, 45, tzinfo=UTC),
            datetime(2026, 11, 19, 14, tzinfo=UTC),
        ),
        # -08:00: 09:00-08:00 = 17:00Z
        (
            "2026-11-18T09:00-08:00",
            datetime(2026, 11, 18, 17, 45, tzinfo=UTC),
            datetime(2026, 11, 19, 17, tzinfo=UTC),
        ),
    ],
)
def test_interview_at_with_and_without_offset(
    read_workspace: Reader, at: str, opens: datetime, due: datetime
) -> None:
    tasks = tasks_at(
        read_workspace, {"data/interviews/acme-onsite.md": interview(at, duration="45m")}
    )
    dana = one(tasks, DANA)
    assert dana.opens == opens
    assert dana.due == due
    assert dana.opens.utcoffset() is not None  # aware datetimes


# --- daylight saving time: 24h is elapsed time ---------------------------------------


def test_within_24h_across_the_end_of_daylight_saving(read_workspace: Reader) -> None:
    # at 2026-10-31 14:00 EDT = 18:00Z; 24 hours later is 2026-11-01 18:00Z,
    # which after the change (02:00 -> 01:00) is 13:00 EST, not 14:00
    tasks = tasks_at(
        read_workspace,
        {"data/interviews/acme-onsite.md": interview("2026-10-31 14:00", duration="1h")},
    )
    dana = one(tasks, DANA)
    assert dana.opens == datetime(2026, 10, 31, 19, tzinfo=UTC)  # 15:00 EDT
    assert dana.due == datetime(2026, 11, 1, 18, tzinfo=UTC)
    assert wall(dana.due) == datetime(2026, 11, 1, 13, 0)
    assert dana.due - dana.opens == timedelta(hours=23)
    assert dana.status == "overdue"


def test_within_24h_across_the_start_of_daylight_saving(read_workspace: Reader) -> None:
    # at 2026-03-07 14:00 EST = 19:00Z; +24h = 2026-03-08 19:00Z = 15:00 EDT
    tasks = tasks_at(
        read_workspace,
        {"data/interviews/acme-onsite.md": interview("2026-03-07 14:00", duration="1h")},
        now=datetime(2026, 3, 8, 19, tzinfo=UTC),
    )
    dana = one(tasks, DANA)
    assert dana.opens == ny(2026, 3, 7, 15, 0)
    assert dana.due == datetime(2026, 3, 8, 19, tzinfo=UTC)
    assert wall(dana.due) == datetime(2026, 3, 8, 15, 0)
    assert dana.status == "due"  # now == due


def test_custom_window_in_days_is_wall_clock_across_dst(read_workspace: Reader) -> None:
    # thank_you_within: 1d is a calendar day: 2026-10-31 14:00 EDT -> 2026-11-01
    # 14:00 EST = 19:00Z (25 hours of elapsed time)
    tasks = tasks_at(
        read_workspace,
        {
            "data/settings.yaml": settings(thank_you_within="1d"),
            "data/interviews/acme-onsite.md": interview("2026-10-31 14:00", duration="1h"),
        },
    )
    dana = one(tasks, DANA)
    assert dana.due == datetime(2026, 11, 1, 19, tzinfo=UTC)
    assert wall(dana.due) == datetime(2026, 11, 1, 14, 0)


@pytest.mark.parametrize(
    ("within", "due"),
    [
        ("48h", datetime(2026, 11, 20, 19, tzinfo=UTC)),  # 14:00 EST + 48h
        ("90m", datetime(2026, 11, 18, 20, 30, tzinfo=UTC)),  # 14:00 EST + 1h30
        ("1w", datetime(2026, 11, 25, 19, tzinfo=UTC)),  # 14:00 EST a week on
    ],
)
def test_custom_thank_you_within(read_workspace: Reader, within: str, due: datetime) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/settings.yaml": settings(thank_you_within=within),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    assert one(tasks, DANA).due == due
    assert one(tasks, RAJ).due == due


# --- status at the boundaries --------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status"),
    [
        # opens = 16:00 EST 11-18 = 21:00Z; due = 14:00 EST 11-19 = 19:00Z
        (datetime(2026, 11, 18, 21, tzinfo=UTC) - SECOND, "upcoming"),
        (datetime(2026, 11, 18, 21, tzinfo=UTC), "due"),
        (ny(2026, 11, 18, 16, 0), "due"),  # the same instant, in New York
        (datetime(2026, 11, 19, 19, tzinfo=UTC), "due"),
        (datetime(2026, 11, 19, 19, tzinfo=UTC) + SECOND, "overdue"),
    ],
)
def test_status_at_the_boundaries(read_workspace: Reader, now: datetime, status: str) -> None:
    tasks = tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview()}, now=now)
    assert one(tasks, DANA).status == status
    assert one(tasks, RAJ).status == status


# --- always: stays when the application closes -------------------------------------------


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "filled", "accepted"])
def test_thank_you_stays_after_the_application_closes(read_workspace: Reader, status: str) -> None:
    # seed 002: "Write thank you notes after every interview, even if you do not want the job"
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(
                status, extra=["closed: 2026-11-19"]
            ),
            "data/interviews/acme-onsite.md": interview(
                log=["{on: 2026-11-18 20:10, did: thank-you, with: dana-reyes}"]
            ),
        },
    )
    assert ids(tasks) == [DANA, RAJ]
    assert one(tasks, DANA).status == "done"
    assert one(tasks, DANA).done_at == ny(2026, 11, 18, 20, 10)
    raj = one(tasks, RAJ)
    assert raj.status == "due"
    assert raj.due == ny(2026, 11, 19, 14, 0)


def test_thank_you_made_for_a_lead_too(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": "company: acme\nrole: Backend\nstatus: lead\n",
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    assert ids(tasks) == [DANA, RAJ]
