"""The `decision-date` rule (DESIGN 2; seed 002: "ask ... when they will make
their decision").

One task for the latest interview of an active application; opens at that
interview's end, due `at` + `thank_you_within`; done (with done_at null) when
`decision_by` is on or after that interview's (local) day.

Expected values are worked out by hand from DESIGN; America/New_York is UTC-4
(EDT) until 2026-11-01 02:00 and UTC-5 (EST) after.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.rules_kit import (
    SECOND,
    Reader,
    application,
    ids,
    interview,
    ny,
    one,
    settings,
    tasks_at,
    wall,
)

DECIDE = "decision-date:acme-backend:acme-onsite:-"
# onsite 2026-11-18 14:00 EST, 2h:
OPENS = datetime(2026, 11, 18, 21, tzinfo=UTC)  # the end, 16:00 EST
DUE = datetime(2026, 11, 19, 19, tzinfo=UTC)  # `at` + 24h = 2026-11-19 14:00 EST


def test_open_without_decision_by(read_workspace: Reader) -> None:
    tasks = tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview()})
    assert ids(tasks, "decision-date") == [DECIDE]
    task = one(tasks, DECIDE)
    assert (task.application, task.interview, task.contact) == ("acme-backend", "acme-onsite", None)
    assert task.opens == OPENS == ny(2026, 11, 18, 16, 0)
    assert task.due == DUE == ny(2026, 11, 19, 14, 0)
    assert task.done_at is None
    assert task.status == "due"


def test_no_interview_no_task(read_workspace: Reader) -> None:
    assert ids(tasks_at(read_workspace, {}), "decision-date") == []


def test_only_the_latest_interview(read_workspace: Reader) -> None:
    # file names in the other order than the interviews' times
    tasks = tasks_at(
        read_workspace,
        {
            "data/interviews/a-onsite.md": interview(),
            "data/interviews/z-screen.md": interview(
                "2026-11-05 10:00", duration="30m", kind="phone", interviewers=["dana-reyes"]
            ),
        },
    )
    assert ids(tasks, "decision-date") == ["decision-date:acme-backend:a-onsite:-"]
    task = one(tasks, "decision-date:acme-backend:a-onsite:-")
    assert (task.opens, task.due) == (OPENS, DUE)


@pytest.mark.parametrize(
    ("decision_by", "done"),
    [
        (None, False),
        ("2026-11-17", False),  # before the interview's day: stale, ask again
        ("2026-11-10", False),
        ("2026-11-18", True),  # the interview's day
        ("2026-11-19", True),
        ("2026-12-05", True),
    ],
)
def test_done_by_decision_by_on_or_after_the_day(
    read_workspace: Reader, decision_by: str | None, done: bool
) -> None:
    extra = [f"decision_by: {decision_by}"] if decision_by else []
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(extra=extra),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    task = one(tasks, DECIDE)
    assert task.done_at is None  # decision_by is not a moment it was done
    assert task.status == ("done" if done else "due")
    assert (task.opens, task.due) == (OPENS, DUE)
    assert not task.late


def test_decision_by_from_an_earlier_interview_does_not_count(read_workspace: Reader) -> None:
    # asked after the phone screen (decide by 2026-11-10); the onsite came later
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(extra=["decision_by: 2026-11-10"]),
            "data/interviews/acme-screen.md": interview(
                "2026-11-05 10:00", duration="30m", kind="phone", interviewers=["dana-reyes"]
            ),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    assert ids(tasks, "decision-date") == [DECIDE]
    assert one(tasks, DECIDE).status == "due"


@pytest.mark.parametrize(
    ("at", "status", "opens", "due"),
    [
        # 03:30+01:00 on the 19th = 02:30Z = 21:30 EST on the 18th: the day is 11-18
        (
            "2026-11-19T03:30:00+01:00",
            "done",
            datetime(2026, 11, 19, 3, 30, tzinfo=UTC),
            datetime(2026, 11, 20, 2, 30, tzinfo=UTC),
        ),
        # 23:30-08:00 on the 18th = 07:30Z on the 19th = 02:30 EST: the day is 11-19
        (
            "2026-11-18T23:30:00-08:00",
            "due",
            datetime(2026, 11, 19, 8, 30, tzinfo=UTC),
            datetime(2026, 11, 20, 7, 30, tzinfo=UTC),
        ),
        # no offset: 2026-11-18 23:30 EST, day 11-18
        (
            "2026-11-18 23:30",
            "done",
            datetime(2026, 11, 19, 5, 30, tzinfo=UTC),
            datetime(2026, 11, 20, 4, 30, tzinfo=UTC),
        ),
    ],
)
def test_the_interview_day_is_the_local_day(
    read_workspace: Reader, at: str, status: str, opens: datetime, due: datetime
) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(extra=["decision_by: 2026-11-18"]),
            "data/interviews/acme-onsite.md": interview(at, duration="1h"),
        },
        now=datetime(2026, 11, 19, 12, tzinfo=UTC),
    )
    task = one(tasks, DECIDE)
    assert task.status == status
    assert (task.opens, task.due) == (opens, due)


def test_across_the_end_of_daylight_saving(read_workspace: Reader) -> None:
    # at 2026-10-31 14:00 EDT = 18:00Z, 1h: opens 19:00Z (15:00 EDT);
    # +24h elapsed = 2026-11-01 18:00Z = 13:00 EST
    tasks = tasks_at(
        read_workspace,
        {"data/interviews/acme-onsite.md": interview("2026-10-31 14:00", duration="1h")},
    )
    task = one(tasks, DECIDE)
    assert task.opens == datetime(2026, 10, 31, 19, tzinfo=UTC)
    assert task.due == datetime(2026, 11, 1, 18, tzinfo=UTC)
    assert wall(task.due) == datetime(2026, 11, 1, 13, 0)
    assert task.status == "overdue"


def test_custom_thank_you_within_moves_the_due_time(read_workspace: Reader) -> None:
    # 2d on the wall clock: 2026-11-18 14:00 EST -> 2026-11-20 14:00 EST = 19:00Z
    tasks = tasks_at(
        read_workspace,
        {
            "data/settings.yaml": settings(thank_you_within="2d"),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    task = one(tasks, DECIDE)
    assert task.opens == OPENS
    assert task.due == datetime(2026, 11, 20, 19, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "status"),
    [(OPENS - SECOND, "upcoming"), (OPENS, "due"), (DUE, "due"), (DUE + SECOND, "overdue")],
)
def test_status_at_the_boundaries(read_workspace: Reader, now: datetime, status: str) -> None:
    tasks = tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview()}, now=now)
    assert one(tasks, DECIDE).status == status


@pytest.mark.parametrize("status", ["applied", "interviewing", "offer"])
def test_made_while_active(read_workspace: Reader, status: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(status),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    assert ids(tasks, "decision-date") == [DECIDE]


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "filled", "accepted"])
def test_dropped_when_the_application_closes(read_workspace: Reader, status: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(
                status, extra=["closed: 2026-11-19"]
            ),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    assert ids(tasks, "decision-date") == []


def test_not_made_for_a_lead(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": "company: acme\nrole: Backend\nstatus: lead\n",
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    assert ids(tasks, "decision-date") == []


def test_a_done_task_stays_when_the_application_closes(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/applications/acme-backend.yaml": application(
                "rejected", extra=["decision_by: 2026-11-25", "closed: 2026-11-25"]
            ),
            "data/interviews/acme-onsite.md": interview(),
        },
    )
    task = one(tasks, DECIDE)
    assert task.status == "done"
    assert task.done_at is None
