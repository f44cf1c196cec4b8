"""The `stay-in-touch` rule (DESIGN 2; seed 002: "Do not forget about the
company ... Add your interviewer into your business circle").

It rolls: one task per contact with `stay_in_touch`, and, with `network_every`
(90d), per interviewer and contact of a rejected, withdrawn or filled
application; opens at the latest of (last activity with them anywhere, end of
their last interview, that `closed` at 09:00) + cadence (days: wall clock), now
if there is none; due opens + 7 days; never done.

Expected values are worked out by hand from DESIGN; America/New_York is UTC-4
(EDT) until 2026-11-01 02:00 and UTC-5 (EST) after; EDT again from 2026-03-08.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import pytest

from followup import rules
from tests.rules_kit import (
    LEE_PARK,
    NOW,
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

MORGAN = "stay-in-touch:-:-:morgan-ali"
DANA = "stay-in-touch:-:-:dana-reyes"
RAJ = "stay-in-touch:-:-:raj-patel"
# Morgan met 2026-10-15 10:00 EDT (14:00Z); + 30d = 2026-11-14 10:00 EST
MET_OPENS = datetime(2026, 11, 14, 15, tzinfo=UTC)
MET_DUE = datetime(2026, 11, 21, 15, tzinfo=UTC)  # + 7d
# closed 2026-11-16 09:00 EST; + 90d (14 + 31 + 31 + 14) = 2027-02-14 09:00 EST
CLOSED_OPENS = datetime(2027, 2, 14, 14, tzinfo=UTC)
CLOSED_DUE = datetime(2027, 2, 21, 14, tzinfo=UTC)


def morgan(every: str = "30d", log: Iterable[str] = ()) -> str:
    return contact("Morgan Ali", extra=[f"stay_in_touch: {every}"], log=log)


def rolling(tasks: list, task_id: str) -> rules.Task:
    task = one(tasks, task_id)
    assert task.rule == "stay-in-touch"
    assert (task.application, task.interview) == (None, None)
    assert task.done_at is None  # it rolls: never done
    assert task.status != "done"
    return task


def closed_search(status: str = "rejected", closed: str | None = "2026-11-16") -> dict:
    """An onsite 2026-11-05 14:00-16:00 with Dana and Raj; a note to Dana that
    evening; then the application closed."""
    return {
        "data/applications/acme-backend.yaml": application(
            status, extra=[f"closed: {closed}"] if closed else []
        ),
        "data/interviews/acme-onsite.md": interview(
            "2026-11-05 14:00",
            also_met=["pat-lee"],
            log=["{on: 2026-11-05 20:00, did: thank-you, with: dana-reyes, via: email}"],
        ),
        "data/contacts/pat-lee.yaml": PAT_LEE,
    }


# --- a contact with stay_in_touch ---------------------------------------------------


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (NOW, datetime(2026, 11, 26, 17, tzinfo=UTC)),  # 12:00 EST a week on
        # 2026-10-28 12:00 EDT (16:00Z) + 7d = 2026-11-04 12:00 EST = 17:00Z
        (datetime(2026, 10, 28, 16, tzinfo=UTC), datetime(2026, 11, 4, 17, tzinfo=UTC)),
    ],
)
def test_no_activity_opens_now(read_workspace: Reader, now: datetime, due: datetime) -> None:
    tasks = tasks_at(read_workspace, {"data/contacts/morgan-ali.yaml": morgan()}, now=now)
    assert ids(tasks, "stay-in-touch") == [MORGAN]
    task = rolling(tasks, MORGAN)
    assert task.contact == "morgan-ali"
    assert task.opens == now
    assert task.due == due
    assert task.status == "due"


@pytest.mark.parametrize(
    "on",
    [
        "2026-10-15 10:00",
        "2026-10-15T14:00:00Z",  # the same instant
        "2026-10-15T16:00:00+02:00",  # and again
    ],
)
def test_cadence_from_the_last_activity_across_dst(read_workspace: Reader, on: str) -> None:
    # 2026-10-15 10:00 EDT + 30 calendar days = 2026-11-14 10:00 EST (not 09:00)
    tasks = tasks_at(
        read_workspace,
        {"data/contacts/morgan-ali.yaml": morgan(log=[f"{{on: '{on}', did: meeting}}"])},
    )
    task = rolling(tasks, MORGAN)
    assert task.opens == MET_OPENS == ny(2026, 11, 14, 10, 0)
    assert task.due == MET_DUE == ny(2026, 11, 21, 10, 0)
    assert task.status == "due"


def test_a_date_is_nine_o_clock(read_workspace: Reader) -> None:
    # 2026-10-15 09:00 EDT + 30d = 2026-11-14 09:00 EST = 14:00Z
    tasks = tasks_at(
        read_workspace,
        {"data/contacts/morgan-ali.yaml": morgan(log=["{on: 2026-10-15, did: meeting}"])},
    )
    assert rolling(tasks, MORGAN).opens == datetime(2026, 11, 14, 14, tzinfo=UTC)


def test_cadence_across_the_start_of_daylight_saving(read_workspace: Reader) -> None:
    # 2026-02-20 10:00 EST (15:00Z) + 30d = 2026-03-22 10:00 EDT = 14:00Z
    tasks = tasks_at(
        read_workspace,
        {"data/contacts/morgan-ali.yaml": morgan(log=["{on: 2026-02-20 10:00, did: call}"])},
        now=datetime(2026, 3, 1, tzinfo=UTC),
    )
    task = rolling(tasks, MORGAN)
    assert task.opens == datetime(2026, 3, 22, 14, tzinfo=UTC)
    assert task.due == datetime(2026, 3, 29, 14, tzinfo=UTC)
    assert task.status == "upcoming"


def test_cadence_in_weeks(read_workspace: Reader) -> None:
    # 2026-10-25 10:00 EDT + 2w = 2026-11-08 10:00 EST = 15:00Z
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/morgan-ali.yaml": morgan(
                "2w", log=["{on: 2026-10-25 10:00, did: message, via: email}"]
            )
        },
    )
    task = rolling(tasks, MORGAN)
    assert task.opens == datetime(2026, 11, 8, 15, tzinfo=UTC)
    assert task.due == datetime(2026, 11, 15, 15, tzinfo=UTC)
    assert task.status == "overdue"


def test_activity_with_them_logged_anywhere_counts(read_workspace: Reader) -> None:
    # a message to Morgan logged in the application: 2026-10-20 10:00 EDT, later
    # than the meeting in Morgan's file; + 30d = 2026-11-19 10:00 EST = 15:00Z
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/morgan-ali.yaml": morgan(log=["{on: 2026-10-15 10:00, did: meeting}"]),
            "data/applications/acme-backend.yaml": application(
                log=["{on: 2026-10-20 10:00, did: message, with: morgan-ali, via: email}"]
            ),
        },
    )
    task = rolling(tasks, MORGAN)
    assert task.opens == datetime(2026, 11, 19, 15, tzinfo=UTC)
    assert task.due == datetime(2026, 11, 26, 15, tzinfo=UTC)
    assert task.status == "due"


def test_a_reply_from_them_moves_it(read_workspace: Reader) -> None:
    # they wrote back 2026-11-10 10:00 EST; + 30d = 2026-12-10 10:00 EST = 15:00Z
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/morgan-ali.yaml": morgan(
                log=[
                    "{on: 2026-10-15 10:00, did: meeting}",
                    "{on: 2026-11-10 10:00, did: reply, via: email}",
                ]
            )
        },
    )
    task = rolling(tasks, MORGAN)
    assert task.opens == datetime(2026, 12, 10, 15, tzinfo=UTC)
    assert task.due == datetime(2026, 12, 17, 15, tzinfo=UTC)
    assert task.status == "upcoming"


def test_from_the_end_of_their_last_interview(read_workspace: Reader) -> None:
    # Morgan interviewed me 2026-10-20 14:00-16:00 EDT; 16:00 EDT + 30d =
    # 2026-11-19 16:00 EST = 21:00Z
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/morgan-ali.yaml": morgan(log=["{on: 2026-10-15 10:00, did: meeting}"]),
            "data/interviews/acme-onsite.md": interview(
                "2026-10-20 14:00", interviewers=["morgan-ali"]
            ),
        },
    )
    task = rolling(tasks, MORGAN)
    assert task.opens == datetime(2026, 11, 19, 21, tzinfo=UTC)
    assert task.status == "upcoming"


def test_no_task_without_a_cadence(read_workspace: Reader) -> None:
    # the base workspace: its people are in an open application, none has stay_in_touch
    assert ids(tasks_at(read_workspace, {}), "stay-in-touch") == []


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (MET_OPENS - SECOND, "upcoming"),
        (MET_OPENS, "due"),
        (MET_DUE, "due"),
        (MET_DUE + SECOND, "overdue"),
    ],
)
def test_status_at_the_boundaries(read_workspace: Reader, now: datetime, status: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {"data/contacts/morgan-ali.yaml": morgan(log=["{on: 2026-10-15 10:00, did: meeting}"])},
        now=now,
    )
    assert rolling(tasks, MORGAN).status == status


# --- the people of a closed search: network_every ---------------------------------------


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "filled"])
def test_interviewers_and_contact_of_a_closed_application(
    read_workspace: Reader, status: str
) -> None:
    # Dana: latest of the note (11-05 20:00), the interview end (11-05 16:00) and
    # closed (11-16 09:00) is closed; Raj likewise
    tasks = tasks_at(read_workspace, closed_search(status))
    assert ids(tasks, "stay-in-touch") == [DANA, RAJ]  # none for Pat, only met
    for task_id in (DANA, RAJ):
        task = rolling(tasks, task_id)
        assert task.opens == CLOSED_OPENS == ny(2027, 2, 14, 9, 0)
        assert task.due == CLOSED_DUE == ny(2027, 2, 21, 9, 0)
        assert task.status == "upcoming"


@pytest.mark.parametrize("status", ["accepted", "interviewing", "offer", "applied"])
def test_not_for_an_accepted_or_open_application(read_workspace: Reader, status: str) -> None:
    files = closed_search(status, closed="2026-11-16" if status == "accepted" else None)
    assert ids(tasks_at(read_workspace, files), "stay-in-touch") == []


def test_contact_who_did_not_interview(read_workspace: Reader) -> None:
    # Lee Park is the contact; Raj the only interviewer; Morgan the referrer (none)
    files = closed_search()
    files["data/applications/acme-backend.yaml"] = (
        "company: acme\nrole: Backend Engineer\nstatus: withdrawn\napplied: 2026-11-02\n"
        "contact: lee-park\nreferred_by: [morgan-ali]\nclosed: 2026-11-16\n"
    )
    files["data/contacts/lee-park.yaml"] = LEE_PARK
    files["data/contacts/morgan-ali.yaml"] = contact("Morgan Ali")
    files["data/interviews/acme-onsite.md"] = interview(
        "2026-11-05 14:00", interviewers=["raj-patel"]
    )
    tasks = tasks_at(read_workspace, files)
    assert ids(tasks, "stay-in-touch") == [
        "stay-in-touch:-:-:lee-park",
        RAJ,
    ]
    assert rolling(tasks, "stay-in-touch:-:-:lee-park").opens == CLOSED_OPENS


def test_a_reply_after_closing_moves_it(read_workspace: Reader) -> None:
    # Dana replied 2026-11-20 10:00 EST; + 90d (10 + 31 + 31 + 18) = 2027-02-18 10:00 EST
    files = closed_search()
    files["data/contacts/dana-reyes.yaml"] = contact(
        "Dana Reyes", log=["{on: 2026-11-20 10:00, did: reply, via: email}"]
    )
    tasks = tasks_at(read_workspace, files, now=datetime(2026, 11, 21, tzinfo=UTC))
    dana = rolling(tasks, DANA)
    assert dana.opens == datetime(2027, 2, 18, 15, tzinfo=UTC)
    assert dana.due == datetime(2027, 2, 25, 15, tzinfo=UTC)
    raj = rolling(tasks, RAJ)
    assert (raj.opens, raj.due) == (CLOSED_OPENS, CLOSED_DUE)


def test_a_later_interview_elsewhere_moves_it(read_workspace: Reader) -> None:
    # Raj interviews me again for another job 2026-11-25 10:00-11:00 EST;
    # 11:00 EST + 90d (5 + 31 + 31 + 23) = 2027-02-23 11:00 EST = 16:00Z
    files = closed_search()
    files["data/applications/acme-data.yaml"] = (
        "company: acme\nrole: Data Engineer\nstatus: interviewing\napplied: 2026-11-17\n"
    )
    files["data/interviews/acme-data-onsite.md"] = interview(
        "2026-11-25 10:00", duration="1h", interviewers=["raj-patel"], application="acme-data"
    )
    tasks = tasks_at(read_workspace, files)
    assert rolling(tasks, RAJ).opens == datetime(2027, 2, 23, 16, tzinfo=UTC)
    assert rolling(tasks, DANA).opens == CLOSED_OPENS


def test_ninety_days_across_the_end_of_daylight_saving(read_workspace: Reader) -> None:
    # closed 2026-08-10 09:00 EDT; + 90d (21 + 30 + 31 + 8) = 2026-11-08 09:00 EST = 14:00Z
    files = closed_search(closed="2026-08-10")
    files["data/applications/acme-backend.yaml"] = application(
        "rejected", extra=["closed: 2026-08-10"]
    ).replace("2026-11-02", "2026-07-01")
    files["data/interviews/acme-onsite.md"] = interview("2026-08-03 14:00")
    tasks = tasks_at(read_workspace, files)
    task = rolling(tasks, DANA)
    assert task.opens == datetime(2026, 11, 8, 14, tzinfo=UTC)
    assert wall(task.opens) == datetime(2026, 11, 8, 9, 0)
    assert task.due == datetime(2026, 11, 15, 14, tzinfo=UTC)
    assert task.status == "overdue"


def test_custom_network_every(read_workspace: Reader) -> None:
    # closed 2026-11-16 09:00 EST + 30d = 2026-12-16 09:00 EST = 14:00Z
    files = {**closed_search(), "data/settings.yaml": settings(network_every="30d")}
    tasks = tasks_at(read_workspace, files)
    task = rolling(tasks, RAJ)
    assert task.opens == datetime(2026, 12, 16, 14, tzinfo=UTC)
    assert task.due == datetime(2026, 12, 23, 14, tzinfo=UTC)


def test_none_without_closed_and_the_model_warns(read_workspace: Reader) -> None:
    records, problems = read_workspace(closed_search(closed=None))
    assert [p for p in problems if p.severity == "error"] == []
    assert [p.severity for p in problems if "closed" in p.message] == ["warning"]
    assert ids(rules.tasks(records, NOW), "stay-in-touch") == []
