"""The `thank-everyone` rule (DESIGN 2; seed 003: "send thank-you notes to
everyone involved. I mean everyone.").

One task per accepted application x each person who helped, once: referrers,
references, interviewers, contact. Opens at `closed` (09:00 local), due
`closed` + `thank_everyone_within` (7d, wall clock), done by a `thank-you` with
that person on or after the `closed` day. None without `closed` (a warning).

Expected values are worked out by hand from DESIGN; America/New_York is UTC-4
(EDT) until 2026-11-01 02:00 and UTC-5 (EST) after.
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
    contact,
    ids,
    interview,
    ny,
    one,
    settings,
    tasks_at,
    wall,
)

DANA = "thank-everyone:acme-backend:-:dana-reyes"
RAJ = "thank-everyone:acme-backend:-:raj-patel"
MORGAN = "thank-everyone:acme-backend:-:morgan-ali"
# closed 2026-11-16: opens 09:00 EST = 14:00Z, due 7 days later 09:00 EST
OPENS = datetime(2026, 11, 16, 14, tzinfo=UTC)
DUE = datetime(2026, 11, 23, 14, tzinfo=UTC)

JO_SMITH = "name: Jo Smith\ntitle: Former Manager\nreference: {granted: 2026-10-02}\n"


def morgan(log: Iterable[str] = ()) -> str:
    return contact("Morgan Ali", extra=["reference: {granted: 2026-10-20}"], log=log)


def won(
    status: str = "accepted",
    *,
    closed: str | None = "2026-11-16",
    people: Iterable[str] = (
        "contact: dana-reyes",
        "referred_by: [morgan-ali]",
        "references: [morgan-ali]",
    ),
    log: Iterable[str] = (),
) -> dict[str, str | None]:
    """Morgan told me about the job, is my reference and interviewed me; Dana is the
    contact and interviewed me with Raj; Pat the receptionist I only met."""
    app = ["company: acme", "role: Backend Engineer", f"status: {status}", "applied: 2026-11-02"]
    app += [*people, *([f"closed: {closed}"] if closed else [])]
    if log := list(log):
        app += ["log:", *(f"  - {entry}" for entry in log)]
    return {
        "data/applications/acme-backend.yaml": "\n".join(app) + "\n",
        "data/contacts/morgan-ali.yaml": morgan(),
        "data/contacts/pat-lee.yaml": PAT_LEE,
        "data/interviews/acme-onsite.md": interview(
            "2026-11-10 14:00",
            interviewers=["dana-reyes", "raj-patel", "morgan-ali"],
            also_met=["pat-lee"],
        ),
    }


def test_everyone_who_helped_once(read_workspace: Reader) -> None:
    tasks = tasks_at(read_workspace, won())
    # Morgan is referrer, reference and interviewer: thanked once; Pat is owed none
    assert ids(tasks, "thank-everyone") == [DANA, MORGAN, RAJ]
    assert [t.id for t in tasks].count(MORGAN) == 1
    for task_id in (DANA, MORGAN, RAJ):
        task = one(tasks, task_id)
        assert task.application == "acme-backend"
        assert task.interview is None
        assert task.opens == OPENS == ny(2026, 11, 16, 9, 0)
        assert task.due == DUE == ny(2026, 11, 23, 9, 0)
        assert task.done_at is None
        assert task.status == "due"


def test_each_role_counts(read_workspace: Reader) -> None:
    files = {
        **won(
            people=(
                "contact: lee-park",  # contact only
                "referred_by: [morgan-ali]",  # referrer only
                "references: [jo-smith]",  # reference only
            )
        ),
        "data/contacts/lee-park.yaml": LEE_PARK,
        "data/contacts/jo-smith.yaml": JO_SMITH,
        "data/interviews/acme-onsite.md": interview(
            "2026-11-10 14:00", interviewers=["raj-patel"], also_met=["pat-lee"]
        ),
    }
    tasks = tasks_at(read_workspace, files)
    assert ids(tasks, "thank-everyone") == [
        "thank-everyone:acme-backend:-:jo-smith",
        "thank-everyone:acme-backend:-:lee-park",
        MORGAN,
        RAJ,
    ]


def test_interview_thank_you_before_closed_does_not_count(read_workspace: Reader) -> None:
    files = won()
    files["data/interviews/acme-onsite.md"] = interview(
        "2026-11-10 14:00",
        interviewers=["dana-reyes", "raj-patel", "morgan-ali"],
        log=["{on: 2026-11-10 19:00, did: thank-you, with: raj-patel, via: email}"],
    )
    tasks = tasks_at(read_workspace, files)
    assert one(tasks, "thank-you:acme-backend:acme-onsite:raj-patel").status == "done"
    raj = one(tasks, RAJ)
    assert raj.done_at is None
    assert raj.status == "due"


@pytest.mark.parametrize(
    ("on", "done_at"),
    [
        # on the closed day, before 09:00 (before it opens): done
        ("2026-11-16 08:00", datetime(2026, 11, 16, 13, tzinfo=UTC)),
        # 05:30Z = 00:30 EST on the 16th: on the closed day
        ("2026-11-16T05:30:00Z", datetime(2026, 11, 16, 5, 30, tzinfo=UTC)),
        ("2026-11-16", OPENS),  # a date: 09:00
        ("2026-11-18T12:00:00+01:00", datetime(2026, 11, 18, 11, tzinfo=UTC)),
        # exactly due: on time
        ("2026-11-23 09:00", DUE),
    ],
)
def test_done_by_a_thank_you_on_or_after_the_closed_day(
    read_workspace: Reader, on: str, done_at: datetime
) -> None:
    files = won()
    files["data/contacts/morgan-ali.yaml"] = morgan(log=[f"{{on: '{on}', did: thank-you}}"])
    tasks = tasks_at(read_workspace, files, now=datetime(2026, 11, 30, tzinfo=UTC))
    task = one(tasks, MORGAN)
    assert task.status == "done"
    assert task.done_at == done_at
    assert not task.late
    assert one(tasks, DANA).status == "overdue"


@pytest.mark.parametrize(
    "on",
    [
        "2026-11-15 20:00",
        # 04:30Z = 23:30 EST on the 15th: the day before
        "2026-11-16T04:30:00Z",
        "2026-11-15T23:59:59-05:00",
    ],
)
def test_a_thank_you_before_the_closed_day_does_not_count(read_workspace: Reader, on: str) -> None:
    files = won()
    files["data/contacts/morgan-ali.yaml"] = morgan(log=[f"{{on: '{on}', did: thank-you}}"])
    task = one(tasks_at(read_workspace, files), MORGAN)
    assert task.done_at is None
    assert task.status == "due"


def test_a_thank_you_after_the_due_time_is_late(read_workspace: Reader) -> None:
    # 2026-11-24 10:00 EST = 15:00Z, a day after the due 2026-11-23 14:00Z
    tasks = tasks_at(
        read_workspace,
        won(log=["{on: 2026-11-24 10:00, did: thank-you, with: raj-patel, via: card}"]),
        now=datetime(2026, 11, 30, tzinfo=UTC),
    )
    raj = one(tasks, RAJ)
    assert raj.status == "done"
    assert raj.done_at == datetime(2026, 11, 24, 15, tzinfo=UTC)
    assert raj.late


def test_other_activities_do_not_count(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        won(
            log=[
                "{on: 2026-11-17 10:00, did: message, with: raj-patel, via: email}",
                "{on: 2026-11-17 11:00, did: call, with: dana-reyes, via: phone}",
            ]
        ),
    )
    assert one(tasks, RAJ).done_at is None
    assert one(tasks, DANA).done_at is None


# --- without closed; other statuses ------------------------------------------------------


def test_none_without_closed_and_the_model_warns(read_workspace: Reader) -> None:
    records, problems = read_workspace(won(closed=None))
    assert [p for p in problems if p.severity == "error"] == []
    warnings = [p for p in problems if p.path == "data/applications/acme-backend.yaml"]
    assert len(warnings) == 1
    assert warnings[0].severity == "warning"
    assert "closed" in warnings[0].message
    tasks = rules.tasks(records, NOW)
    assert ids(tasks, "thank-everyone") == []


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "filled"])
def test_none_unless_accepted(read_workspace: Reader, status: str) -> None:
    assert ids(tasks_at(read_workspace, won(status)), "thank-everyone") == []


@pytest.mark.parametrize("status", ["lead", "applied", "interviewing", "offer"])
def test_none_while_open(read_workspace: Reader, status: str) -> None:
    assert ids(tasks_at(read_workspace, won(status, closed=None)), "thank-everyone") == []


# --- windows across daylight saving; custom windows --------------------------------------


def test_seven_days_across_the_end_of_daylight_saving(read_workspace: Reader) -> None:
    # closed 2026-10-28: 09:00 EDT = 13:00Z; + 7d = 2026-11-04 09:00 EST = 14:00Z
    tasks = tasks_at(read_workspace, won(closed="2026-10-28"))
    task = one(tasks, DANA)
    assert task.opens == datetime(2026, 10, 28, 13, tzinfo=UTC)
    assert task.due == datetime(2026, 11, 4, 14, tzinfo=UTC)
    assert wall(task.due) == datetime(2026, 11, 4, 9, 0)


@pytest.mark.parametrize(
    ("within", "due"),
    [
        # closed 2026-10-30 09:00 EDT = 13:00Z
        ("3d", datetime(2026, 11, 2, 14, tzinfo=UTC)),  # 2026-11-02 09:00 EST
        ("72h", datetime(2026, 11, 2, 13, tzinfo=UTC)),  # elapsed: 08:00 EST
        ("2w", datetime(2026, 11, 13, 14, tzinfo=UTC)),  # 2026-11-13 09:00 EST
    ],
)
def test_custom_thank_everyone_within(read_workspace: Reader, within: str, due: datetime) -> None:
    files = {
        **won(closed="2026-10-30"),
        "data/settings.yaml": settings(thank_everyone_within=within),
    }
    task = one(tasks_at(read_workspace, files), MORGAN)
    assert task.opens == datetime(2026, 10, 30, 13, tzinfo=UTC)
    assert task.due == due


@pytest.mark.parametrize(
    ("now", "status"),
    [(OPENS - SECOND, "upcoming"), (OPENS, "due"), (DUE, "due"), (DUE + SECOND, "overdue")],
)
def test_status_at_the_boundaries(read_workspace: Reader, now: datetime, status: str) -> None:
    assert one(tasks_at(read_workspace, won(), now=now), RAJ).status == status
