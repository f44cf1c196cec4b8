"""The `check-in` rule (DESIGN 2; seed 002: "Consistently continue your
follow-up efforts until the job is filled ... you can certainly call once a week").

It rolls: one task per active application with any activity, `applied` or
interview; opens at the latest of (last activity on it, `applied` 09:00, end
of its last interview) + `check_in_every` (7d, wall clock), but not before
09:00 on the day after `decision_by`; due opens + 2 days; never done.

Expected values are worked out by hand from DESIGN; America/New_York is UTC-4
(EDT) until 2026-11-01 02:00 and UTC-5 (EST) after; EDT again from 2026-03-08.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from followup import rules
from tests.rules_kit import (
    NOW,
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

CHECK = "check-in:acme-backend:-:-"
# the base application was applied 2026-11-02: 09:00 EST = 14:00Z, + 7d:
APPLIED_OPENS = datetime(2026, 11, 9, 14, tzinfo=UTC)  # 2026-11-09 09:00 EST
APPLIED_DUE = datetime(2026, 11, 11, 14, tzinfo=UTC)  # + 2d
# an onsite 2026-11-18 14:00 EST of 2h ends 16:00 EST; + 7d:
ONSITE_OPENS = datetime(2026, 11, 25, 21, tzinfo=UTC)  # 2026-11-25 16:00 EST
ONSITE_DUE = datetime(2026, 11, 27, 21, tzinfo=UTC)
# an activity 2026-11-19 10:00 EST = 15:00Z; + 7d:
ACTIVITY_OPENS = datetime(2026, 11, 26, 15, tzinfo=UTC)  # 2026-11-26 10:00 EST
ACTIVITY_DUE = datetime(2026, 11, 28, 15, tzinfo=UTC)


def check_in(tasks: list) -> rules.Task:
    task = one(tasks, CHECK)
    assert (task.application, task.interview, task.contact) == ("acme-backend", None, None)
    assert task.done_at is None  # it rolls: never done
    assert task.status != "done"
    return task


# --- the anchor: applied, interview end, last activity -----------------------------


def test_from_applied_only(read_workspace: Reader) -> None:
    task = check_in(tasks_at(read_workspace, {}))
    assert task.opens == APPLIED_OPENS == ny(2026, 11, 9, 9, 0)
    assert task.due == APPLIED_DUE == ny(2026, 11, 11, 9, 0)
    assert task.status == "overdue"


def test_from_the_end_of_the_last_interview(read_workspace: Reader) -> None:
    task = check_in(tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview()}))
    assert task.opens == ONSITE_OPENS == ny(2026, 11, 25, 16, 0)
    assert task.due == ONSITE_DUE == ny(2026, 11, 27, 16, 0)
    assert task.status == "upcoming"


def test_an_older_activity_does_not_hold_it_back(read_workspace: Reader) -> None:
    task = check_in(
        tasks_at(
            read_workspace,
            {
                "data/applications/acme-backend.yaml": application(
                    log=["{on: 2026-11-10 10:00, did: call, with: dana-reyes}"]
                ),
                "data/interviews/acme-onsite.md": interview(),
            },
        )
    )
    assert (task.opens, task.due) == (ONSITE_OPENS, ONSITE_DUE)


@pytest.mark.parametrize(
    "files",
    [
        {
            "data/applications/acme-backend.yaml": application(
                log=["{on: 2026-11-19 10:00, did: message, with: dana-reyes, via: email}"]
            )
        },
        {
            "data/interviews/acme-onsite.md": interview(
                log=["{on: 2026-11-19 10:00, did: thank-you, with: raj-patel, via: email}"]
            )
        },
        # a reply (them reaching me) is activity too
        {
            "data/contacts/dana-reyes.yaml": contact(
                "Dana Reyes",
                log=["{on: 2026-11-19 10:00, did: reply, via: email, application: acme-backend}"],
            )
        },
        # in someone else's contact file, about someone else, tied to the application
        {
            "data/contacts/raj-patel.yaml": contact(
                "Raj Patel",
                log=[
                    "{on: 2026-11-19 10:00, did: meeting, with: dana-reyes, "
                    "application: acme-backend}"
                ],
            )
        },
        # with an offset: 15:00Z = 10:00 EST
        {
            "data/contacts/raj-patel.yaml": contact(
                "Raj Patel",
                log=["{on: '2026-11-19T15:00:00Z', did: call, application: acme-backend}"],
            )
        },
        # with another offset: 16:00+01:00 = 15:00Z
        {
            "data/applications/acme-backend.yaml": application(
                log=["{on: '2026-11-19T16:00:00+01:00', did: call, with: dana-reyes}"]
            )
        },
    ],
    ids=[
        "application-file",
        "interview-file",
        "contact-file-reply",
        "contact-file-other-person",
        "contact-file-offset-z",
        "application-file-offset",
    ],
)
def test_moved_forward_by_a_later_activity_on_the_application(
    read_workspace: Reader, files: dict
) -> None:
    base = {"data/interviews/acme-onsite.md": interview()}
    before = check_in(tasks_at(read_workspace, base))
    assert before.opens == ONSITE_OPENS
    task = check_in(tasks_at(read_workspace, {**base, **files}))
    assert task.opens == ACTIVITY_OPENS == ny(2026, 11, 26, 10, 0)
    assert task.due == ACTIVITY_DUE == ny(2026, 11, 28, 10, 0)
    assert task.status == "upcoming"


@pytest.mark.parametrize(
    "files",
    [
        # a contact file entry not tied to any application
        {
            "data/contacts/dana-reyes.yaml": contact(
                "Dana Reyes", log=["{on: 2026-11-19 10:00, did: call, via: phone}"]
            )
        },
        # activity on another application
        {
            "data/applications/acme-data.yaml": (
                "company: acme\nrole: Data Engineer\nstatus: applied\napplied: 2026-11-10\n"
                "log:\n  - {on: 2026-11-19 10:00, did: call, with: dana-reyes}\n"
            )
        },
    ],
    ids=["contact-file-untied", "other-application"],
)
def test_not_moved_by_activity_off_the_application(read_workspace: Reader, files: dict) -> None:
    tasks = tasks_at(read_workspace, {"data/interviews/acme-onsite.md": interview(), **files})
    task = check_in(tasks)
    assert (task.opens, task.due) == (ONSITE_OPENS, ONSITE_DUE)


def test_rolls_and_is_never_done(read_workspace: Reader) -> None:
    # applied 11-02 -> opens 11-09 09:00; a call on 11-10 10:00 (after it opened)
    # rolls it to 11-17 10:00 EST = 15:00Z, due 11-19 10:00 EST = 15:00Z; at NOW
    # (11-19 12:00 EST) it is overdue again, not done
    task = check_in(
        tasks_at(
            read_workspace,
            {
                "data/applications/acme-backend.yaml": application(
                    log=["{on: 2026-11-10 10:00, did: call, with: dana-reyes, via: phone}"]
                )
            },
        )
    )
    assert task.opens == datetime(2026, 11, 17, 15, tzinfo=UTC)
    assert task.due == datetime(2026, 11, 19, 15, tzinfo=UTC)
    assert task.status == "overdue"


def test_a_date_without_time_is_nine_o_clock(read_workspace: Reader) -> None:
    # on: 2026-11-19 -> 09:00 EST; + 7d = 2026-11-26 09:00 EST = 14:00Z
    task = check_in(
        tasks_at(
            read_workspace,
            {
                "data/applications/acme-backend.yaml": application(
                    log=["{on: 2026-11-19, did: call, with: dana-reyes}"]
                )
            },
        )
    )
    assert task.opens == datetime(2026, 11, 26, 14, tzinfo=UTC)


# --- held back by decision_by -----------------------------------------------------------


@pytest.mark.parametrize(
    ("decision_by", "opens"),
    [
        # they decide by 12-05: not before 2026-12-06 09:00 EST = 14:00Z
        ("2026-12-05", datetime(2026, 12, 6, 14, tzinfo=UTC)),
        # the day after 11-25 is 11-26 09:00 EST, later than 11-25 16:00
        ("2026-11-25", datetime(2026, 11, 26, 14, tzinfo=UTC)),
        # the day after 11-24 is 11-25 09:00 EST, earlier than 11-25 16:00: no effect
        ("2026-11-24", ONSITE_OPENS),
        ("2026-11-10", ONSITE_OPENS),
    ],
)
def test_held_back_until_the_day_after_decision_by(
    read_workspace: Reader, decision_by: str, opens: datetime
) -> None:
    task = check_in(
        tasks_at(
            read_workspace,
            {
                "data/applications/acme-backend.yaml": application(
                    extra=[f"decision_by: {decision_by}"]
                ),
                "data/interviews/acme-onsite.md": interview(),
            },
        )
    )
    assert task.opens == opens
    assert task.due == opens + timedelta(days=2)  # no DST change in late Nov / early Dec
    assert task.status == "upcoming"


def test_decision_by_across_the_end_of_daylight_saving(read_workspace: Reader) -> None:
    # applied 2026-10-20 -> opens 10-27 09:00 EDT, but decision_by 2026-10-31 holds it
    # to 2026-11-01 09:00 EST = 14:00Z (not 13:00Z); due 11-03 09:00 EST
    task = check_in(
        tasks_at(
            read_workspace,
            {
                "data/applications/acme-backend.yaml": application(
                    "applied", applied="2026-10-20", extra=["decision_by: 2026-10-31"]
                )
            },
        )
    )
    assert task.opens == datetime(2026, 11, 1, 14, tzinfo=UTC)
    assert task.due == datetime(2026, 11, 3, 14, tzinfo=UTC)


# --- daylight saving time: days are wall clock ----------------------------------------


@pytest.mark.parametrize(
    ("applied", "opens", "due", "now"),
    [
        # 2026-10-28 09:00 EDT (13:00Z) + 7d = 2026-11-04 09:00 EST = 14:00Z
        (
            "2026-10-28",
            datetime(2026, 11, 4, 14, tzinfo=UTC),
            datetime(2026, 11, 6, 14, tzinfo=UTC),
            NOW,
        ),
        # 2026-10-23 09:00 EDT + 7d = 10-30 09:00 EDT = 13:00Z; + 2d = 11-01 09:00 EST = 14:00Z
        (
            "2026-10-23",
            datetime(2026, 10, 30, 13, tzinfo=UTC),
            datetime(2026, 11, 1, 14, tzinfo=UTC),
            NOW,
        ),
        # 2026-03-05 09:00 EST (14:00Z) + 7d = 2026-03-12 09:00 EDT = 13:00Z
        (
            "2026-03-05",
            datetime(2026, 3, 12, 13, tzinfo=UTC),
            datetime(2026, 3, 14, 13, tzinfo=UTC),
            datetime(2026, 3, 13, tzinfo=UTC),
        ),
        # 2026-03-01 09:00 EST + 7d = 03-08 09:00 EDT (13:00Z), the day of the change
        (
            "2026-03-01",
            datetime(2026, 3, 8, 13, tzinfo=UTC),
            datetime(2026, 3, 10, 13, tzinfo=UTC),
            datetime(2026, 3, 8, 13, tzinfo=UTC),
        ),
    ],
)
def test_a_week_is_wall_clock_across_daylight_saving(
    read_workspace: Reader, applied: str, opens: datetime, due: datetime, now: datetime
) -> None:
    task = check_in(
        tasks_at(
            read_workspace,
            {"data/applications/acme-backend.yaml": application("applied", applied=applied)},
            now=now,
        )
    )
    assert task.opens == opens
    assert task.due == due
    assert wall(task.opens).time() == wall(task.due).time() == datetime(1, 1, 1, 9).time()


def test_a_week_after_an_activity_across_daylight_saving(read_workspace: Reader) -> None:
    # a call 2026-10-29 16:30 EDT = 20:30Z; + 7d = 2026-11-05 16:30 EST = 21:30Z
    task = check_in(
        tasks_at(
            read_workspace,
            {
                "data/applications/acme-backend.yaml": application(
                    "applied",
                    applied="2026-10-20",
                    log=["{on: 2026-10-29 16:30, did: call, with: dana-reyes}"],
                )
            },
        )
    )
    assert task.opens == datetime(2026, 11, 5, 21, 30, tzinfo=UTC)
    assert wall(task.opens) == datetime(2026, 11, 5, 16, 30)
    assert task.due == datetime(2026, 11, 7, 21, 30, tzinfo=UTC)


# --- custom cadence -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("every", "opens", "due"),
    [
        # applied 2026-11-02 09:00 EST + 14d = 2026-11-16 09:00 EST
        ("2w", datetime(2026, 11, 16, 14, tzinfo=UTC), datetime(2026, 11, 18, 14, tzinfo=UTC)),
        ("3d", datetime(2026, 11, 5, 14, tzinfo=UTC), datetime(2026, 11, 7, 14, tzinfo=UTC)),
        ("72h", datetime(2026, 11, 5, 14, tzinfo=UTC), datetime(2026, 11, 7, 14, tzinfo=UTC)),
    ],
)
def test_custom_check_in_every(
    read_workspace: Reader, every: str, opens: datetime, due: datetime
) -> None:
    task = check_in(
        tasks_at(read_workspace, {"data/settings.yaml": settings(check_in_every=every)})
    )
    assert (task.opens, task.due) == (opens, due)


def test_custom_check_in_every_in_hours_is_elapsed_across_dst(read_workspace: Reader) -> None:
    # applied 2026-10-30 09:00 EDT = 13:00Z; + 72h = 2026-11-02 13:00Z = 08:00 EST;
    # the grace of 2 days is wall clock: 2026-11-04 08:00 EST = 13:00Z
    task = check_in(
        tasks_at(
            read_workspace,
            {
                "data/settings.yaml": settings(check_in_every="72h"),
                "data/applications/acme-backend.yaml": application("applied", applied="2026-10-30"),
            },
        )
    )
    assert task.opens == datetime(2026, 11, 2, 13, tzinfo=UTC)
    assert wall(task.opens) == datetime(2026, 11, 2, 8, 0)
    assert task.due == datetime(2026, 11, 4, 13, tzinfo=UTC)


# --- statuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status"),
    [
        (APPLIED_OPENS - SECOND, "upcoming"),
        (APPLIED_OPENS, "due"),
        (APPLIED_DUE, "due"),
        (APPLIED_DUE + SECOND, "overdue"),
    ],
)
def test_status_at_the_boundaries(read_workspace: Reader, now: datetime, status: str) -> None:
    assert check_in(tasks_at(read_workspace, {}, now=now)).status == status


# --- while active ------------------------------------------------------------------


@pytest.mark.parametrize("status", ["applied", "interviewing", "offer"])
def test_made_while_active(read_workspace: Reader, status: str) -> None:
    task = check_in(
        tasks_at(read_workspace, {"data/applications/acme-backend.yaml": application(status)})
    )
    assert task.opens == APPLIED_OPENS


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "filled", "accepted"])
def test_dropped_when_the_application_closes(read_workspace: Reader, status: str) -> None:
    files = {"data/interviews/acme-onsite.md": interview()}
    assert ids(tasks_at(read_workspace, files), "check-in") == [CHECK]
    files["data/applications/acme-backend.yaml"] = application(status, extra=["closed: 2026-11-19"])
    tasks = tasks_at(read_workspace, files)
    assert ids(tasks, "check-in") == []
    assert len(ids(tasks, "thank-you")) == 2  # these stay


def test_not_made_for_a_lead(read_workspace: Reader) -> None:
    files = {"data/applications/acme-backend.yaml": application("lead", applied=None)}
    assert ids(tasks_at(read_workspace, files), "check-in") == []


def test_not_made_without_activity_applied_or_interview(read_workspace: Reader) -> None:
    files = {"data/applications/acme-backend.yaml": application("applied", applied=None)}
    assert ids(tasks_at(read_workspace, files), "check-in") == []
    # one activity is enough: 2026-11-12 10:00 EST + 7d = 2026-11-19 10:00 EST = 15:00Z
    files = {
        "data/applications/acme-backend.yaml": application(
            "applied", applied=None, log=["{on: 2026-11-12 10:00, did: message, with: raj-patel}"]
        )
    }
    task = check_in(tasks_at(read_workspace, files))
    assert task.opens == datetime(2026, 11, 19, 15, tzinfo=UTC)
    assert task.due == datetime(2026, 11, 21, 15, tzinfo=UTC)
    assert task.status == "due"
