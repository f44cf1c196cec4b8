"""The `follow-up-call` rule (DESIGN 2; seed 002: "Allow 48-72 hours after
mailing, then make a telephone call to the interviewer").

One task per interview with at least one note sent to its interviewers, while
the application is active; opens at the last such note + 48h, due last note +
72h (elapsed hours), done by a `call` on the application at/after that note.

Expected values are worked out by hand from DESIGN; America/New_York is UTC-4
(EDT) until 2026-11-01 02:00 and UTC-5 (EST) after.
"""

from __future__ import annotations

from datetime import UTC, datetime

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

CALL = "follow-up-call:acme-backend:acme-onsite:-"
NOTE_DANA = "{on: 2026-11-18 20:00, did: thank-you, with: dana-reyes, via: email}"
NOTE_RAJ = "{on: 2026-11-19 08:00, did: thank-you, with: raj-patel, via: email}"
# the last note is Raj's, 2026-11-19 08:00 EST = 13:00Z:
OPENS = datetime(2026, 11, 21, 13, tzinfo=UTC)  # + 48h = 2026-11-21 08:00 EST
DUE = datetime(2026, 11, 22, 13, tzinfo=UTC)  # + 72h = 2026-11-22 08:00 EST


# --- when it is made ---------------------------------------------------------


def test_no_note_no_call(read_workspace: Reader) -> None:
    tasks = tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview()})
    assert ids(tasks, "follow-up-call") == []


@pytest.mark.parametrize(
    "log",
    [
        # a note to someone I only met (no note owed) is not a note to an interviewer
        "{on: 2026-11-18 20:00, did: thank-you, with: pat-lee, via: card}",
        # a note before the interview is not a note for it
        "{on: 2026-11-17 20:00, did: thank-you, with: dana-reyes, via: email}",
        # a message is not a thank-you note
        "{on: 2026-11-18 20:00, did: message, with: dana-reyes, via: email}",
    ],
)
def test_what_is_not_a_note_to_the_interviewers(read_workspace: Reader, log: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/pat-lee.yaml": PAT_LEE,
            "data/interviews/acme-onsite.md": interview(also_met=["pat-lee"], log=[log]),
        },
    )
    assert ids(tasks, "follow-up-call") == []


def test_opens_48h_and_due_72h_after_the_last_note(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {"data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ])},
    )
    assert ids(tasks, "follow-up-call") == [CALL]
    call = one(tasks, CALL)
    assert (call.application, call.interview, call.contact) == ("acme-backend", "acme-onsite", None)
    assert call.opens == OPENS == ny(2026, 11, 21, 8, 0)
    assert call.due == DUE == ny(2026, 11, 22, 8, 0)
    assert call.done_at is None
    assert call.status == "upcoming"


def test_one_note_is_enough(read_workspace: Reader) -> None:
    # Dana's note 2026-11-18 20:00 EST = 01:00Z on the 19th
    tasks = tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview(log=[NOTE_DANA])})
    call = one(tasks, CALL)
    assert call.opens == datetime(2026, 11, 21, 1, tzinfo=UTC)  # 2026-11-20 20:00 EST
    assert call.due == datetime(2026, 11, 22, 1, tzinfo=UTC)  # 2026-11-21 20:00 EST
    assert call.status == "upcoming"


def test_notes_logged_in_contact_files_count(read_workspace: Reader) -> None:
    # with defaults to the contact; note at 2026-11-19T13:00Z = 08:00 EST
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/raj-patel.yaml": contact(
                "Raj Patel", log=["{on: 2026-11-19T13:00:00Z, did: thank-you, via: card}"]
            ),
            "data/interviews/acme-onsite.md": interview(log=[NOTE_DANA]),
        },
    )
    call = one(tasks, CALL)
    assert (call.opens, call.due) == (OPENS, DUE)


def test_timed_from_the_last_note_when_one_interviewer_got_two(read_workspace: Reader) -> None:
    # seed 002: a card, then quickly another method; "allow 48-72 hours after mailing".
    # Dana: email 2026-11-18 20:00 EST, card 2026-11-19 10:00 EST = 15:00Z (the last note)
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/acme-onsite.md": interview(
                interviewers=["dana-reyes"],
                log=[
                    NOTE_DANA,
                    "{on: 2026-11-19 10:00, did: thank-you, with: dana-reyes, via: card}",
                ],
            )
        },
    )
    call = one(tasks, CALL)
    assert call.opens == datetime(2026, 11, 21, 15, tzinfo=UTC)  # + 48h
    assert call.due == datetime(2026, 11, 22, 15, tzinfo=UTC)  # + 72h


def test_one_call_task_per_interview(read_workspace: Reader) -> None:
    # phone screen with the recruiter, note 2026-11-05 18:00 EST = 23:00Z
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/lee-park.yaml": LEE_PARK,
            "data/interviews/acme-screen.md": interview(
                "2026-11-05 10:00",
                duration="30m",
                kind="phone",
                interviewers=["lee-park"],
                log=["{on: 2026-11-05 18:00, did: thank-you, with: lee-park, via: email}"],
            ),
            "data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ]),
        },
    )
    assert ids(tasks, "follow-up-call") == [CALL, "follow-up-call:acme-backend:acme-screen:-"]
    screen = one(tasks, "follow-up-call:acme-backend:acme-screen:-")
    assert screen.opens == datetime(2026, 11, 7, 23, tzinfo=UTC)  # 2026-11-07 18:00 EST
    assert screen.due == datetime(2026, 11, 8, 23, tzinfo=UTC)  # 2026-11-08 18:00 EST
    assert screen.status == "overdue"
    assert one(tasks, CALL).status == "upcoming"


# --- daylight saving time: hours are elapsed ---------------------------------------------


def test_48h_and_72h_across_the_end_of_daylight_saving(read_workspace: Reader) -> None:
    # note 2026-10-30 20:00 EDT = 2026-10-31 00:00Z
    # +48h = 2026-11-02 00:00Z = 2026-11-01 19:00 EST (the clock went back an hour)
    # +72h = 2026-11-03 00:00Z = 2026-11-02 19:00 EST
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/acme-onsite.md": interview(
                "2026-10-30 14:00",
                duration="1h",
                log=["{on: 2026-10-30 20:00, did: thank-you, with: dana-reyes}"],
            )
        },
    )
    call = one(tasks, CALL)
    assert call.opens == datetime(2026, 11, 2, 0, tzinfo=UTC)
    assert call.due == datetime(2026, 11, 3, 0, tzinfo=UTC)
    assert wall(call.opens) == datetime(2026, 11, 1, 19, 0)
    assert wall(call.due) == datetime(2026, 11, 2, 19, 0)


def test_custom_windows_in_days_are_wall_clock(read_workspace: Reader) -> None:
    # note 2026-10-30 20:00 EDT; 3d -> 2026-11-02 20:00 EST = 2026-11-03 01:00Z;
    # 5d -> 2026-11-04 20:00 EST = 2026-11-05 01:00Z
    tasks = tasks_at(
        read_workspace,
        {
            "data/settings.yaml": settings(call_opens_after_note="3d", call_due_after_note="5d"),
            "data/interviews/acme-onsite.md": interview(
                "2026-10-30 14:00",
                duration="1h",
                log=["{on: 2026-10-30 20:00, did: thank-you, with: dana-reyes}"],
            ),
        },
    )
    call = one(tasks, CALL)
    assert call.opens == datetime(2026, 11, 3, 1, tzinfo=UTC)
    assert call.due == datetime(2026, 11, 5, 1, tzinfo=UTC)
    assert wall(call.opens) == datetime(2026, 11, 2, 20, 0)


def test_custom_windows_in_hours(read_workspace: Reader) -> None:
    # last note 13:00Z on the 19th; +24h and +36h
    tasks = tasks_at(
        read_workspace,
        {
            "data/settings.yaml": settings(call_opens_after_note="24h", call_due_after_note="36h"),
            "data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ]),
        },
    )
    call = one(tasks, CALL)
    assert call.opens == datetime(2026, 11, 20, 13, tzinfo=UTC)
    assert call.due == datetime(2026, 11, 21, 1, tzinfo=UTC)


# --- done by a call on the application ------------------------------------------------


@pytest.mark.parametrize(
    "files",
    [
        # in the application's file
        {
            "data/applications/acme-backend.yaml": application(
                log=["{on: 2026-11-21 10:00, did: call, with: dana-reyes, via: phone}"]
            )
        },
        # in a contact file, tied to the application
        {
            "data/contacts/dana-reyes.yaml": contact(
                "Dana Reyes",
                log=["{on: 2026-11-21 10:00, did: call, via: phone, application: acme-backend}"],
            )
        },
        # with an offset: 16:00+01:00 = 15:00Z = 10:00 EST
        {
            "data/contacts/raj-patel.yaml": contact(
                "Raj Patel",
                log=["{on: '2026-11-21T16:00:00+01:00', did: call, application: acme-backend}"],
            )
        },
    ],
    ids=["application-file", "contact-file", "contact-file-offset"],
)
def test_done_by_a_call_on_the_application(read_workspace: Reader, files: dict) -> None:
    tasks = tasks_at(
        read_workspace,
        {"data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ]), **files},
        now=datetime(2026, 11, 23, tzinfo=UTC),
    )
    call = one(tasks, CALL)
    assert call.status == "done"
    # 2026-11-21 10:00 EST = 15:00Z, between opens (13:00Z on the 21st) and due
    assert call.done_at == datetime(2026, 11, 21, 15, tzinfo=UTC)
    assert not call.late


def test_done_by_a_call_logged_in_the_interview_file(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/acme-onsite.md": interview(
                log=[NOTE_DANA, NOTE_RAJ, "{on: 2026-11-21 10:00, did: call, with: dana-reyes}"]
            )
        },
    )
    call = one(tasks, CALL)
    assert call.status == "done"
    assert call.done_at == ny(2026, 11, 21, 10, 0)


def test_call_after_the_due_time_is_done_late(read_workspace: Reader) -> None:
    # call 2026-11-22 10:00 EST = 15:00Z; due was 13:00Z that day
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(
                log=["{on: 2026-11-22 10:00, did: call, with: dana-reyes, via: phone}"]
            ),
            "data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ]),
        },
    )
    call = one(tasks, CALL)
    assert call.status == "done"
    assert call.done_at == datetime(2026, 11, 22, 15, tzinfo=UTC)
    assert call.done_at > call.due == DUE
    assert call.late


def test_call_before_the_48h_counts(read_workspace: Reader) -> None:
    # "at/after that note": an early call still does it (done before it opened)
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(
                log=["{on: 2026-11-19 08:00, did: call, with: dana-reyes}"]  # == Raj's note
            ),
            "data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ]),
        },
    )
    call = one(tasks, CALL)
    assert call.status == "done"
    assert call.done_at == ny(2026, 11, 19, 8, 0)


@pytest.mark.parametrize(
    "files",
    [
        # a call before the last note (after Dana's, before Raj's)
        {
            "data/applications/acme-backend.yaml": application(
                log=["{on: 2026-11-19 07:59, did: call, with: dana-reyes}"]
            )
        },
        # a call in a contact file not tied to the application
        {
            "data/contacts/dana-reyes.yaml": contact(
                "Dana Reyes", log=["{on: 2026-11-21 10:00, did: call, via: phone}"]
            )
        },
        # a call on another application
        {
            "data/applications/acme-data.yaml": (
                "company: acme\nrole: Data Engineer\nstatus: applied\napplied: 2026-11-10\n"
                "log:\n  - {on: 2026-11-21 10:00, did: call, with: dana-reyes}\n"
            )
        },
        # a message or a reply is not a call
        {
            "data/applications/acme-backend.yaml": application(
                log=[
                    "{on: 2026-11-21 10:00, did: message, with: dana-reyes, via: email}",
                    "{on: 2026-11-21 11:00, did: reply, with: dana-reyes, via: phone}",
                ]
            )
        },
    ],
    ids=["before-last-note", "contact-file-untied", "other-application", "message-or-reply"],
)
def test_what_does_not_do_the_call(read_workspace: Reader, files: dict) -> None:
    tasks = tasks_at(
        read_workspace,
        {"data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ]), **files},
        now=datetime(2026, 11, 23, tzinfo=UTC),
    )
    call = one(tasks, CALL)
    assert call.done_at is None
    assert call.status == "overdue"  # 2026-11-23 00:00Z is after 2026-11-22 13:00Z


# --- statuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (OPENS - SECOND, "upcoming"),
        (OPENS, "due"),
        (DUE, "due"),
        (DUE + SECOND, "overdue"),
    ],
)
def test_status_at_the_boundaries(read_workspace: Reader, now: datetime, status: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {"data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ])},
        now=now,
    )
    assert one(tasks, CALL).status == status


# --- only while active -----------------------------------------------------------


@pytest.mark.parametrize("status", ["applied", "interviewing", "offer"])
def test_made_while_active(read_workspace: Reader, status: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(status),
            "data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ]),
        },
    )
    assert ids(tasks, "follow-up-call") == [CALL]


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "filled", "accepted"])
def test_dropped_when_the_application_closes(read_workspace: Reader, status: str) -> None:
    files = {"data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ])}
    assert ids(tasks_at(read_workspace, files), "follow-up-call") == [CALL]
    files["data/applications/acme-backend.yaml"] = application(status, extra=["closed: 2026-11-20"])
    tasks = tasks_at(read_workspace, files)
    assert ids(tasks, "follow-up-call") == []
    # the thank-you notes run always, and stay
    assert ids(tasks, "thank-you") == [
        "thank-you:acme-backend:acme-onsite:dana-reyes",
        "thank-you:acme-backend:acme-onsite:raj-patel",
    ]


def test_a_done_call_stays_when_the_application_closes(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(
                "rejected",
                extra=["closed: 2026-11-25"],
                log=["{on: 2026-11-21 10:00, did: call, with: dana-reyes, via: phone}"],
            ),
            "data/interviews/acme-onsite.md": interview(log=[NOTE_DANA, NOTE_RAJ]),
        },
    )
    call = one(tasks, CALL)
    assert call.status == "done"
    assert call.done_at == ny(2026, 11, 21, 10, 0)
