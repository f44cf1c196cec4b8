"""The `reference-permission` rule (DESIGN 2; seed 002: "Call all your
references before you apply for jobs and ask their permission").

One task per application x reference whose contact has no `reference.granted`,
or granted after `applied` (then done, late); none when permission came in
time. While lead, applied, interviewing or offer; opens and due at `applied`
(09:00 local), or now for a lead without `applied`.

Expected values are worked out by hand from DESIGN; America/New_York is UTC-4
(EDT) until 2026-11-01 02:00 and UTC-5 (EST) after; EDT again from 2026-03-08.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from tests import rules_kit
from tests.rules_kit import (
    NOW,
    SECOND,
    Reader,
    contact,
    ids,
    ny,
    one,
    wall,
)

JO = "reference-permission:acme-backend:-:jo-smith"
MORGAN = "reference-permission:acme-backend:-:morgan-ali"
APPLIED = datetime(2026, 11, 2, 14, tzinfo=UTC)  # 2026-11-02 09:00 EST


def application(
    status: str = "interviewing", *, references: Iterable[str] = ("jo-smith",), **fields: Any
) -> str:
    """The kit's application, but giving Jo Smith as a reference by default."""
    return rules_kit.application(status, references=references, **fields)


def tasks_at(read_workspace: Reader, files: dict[str, str | None], now: datetime = NOW) -> list:
    # the application gives Jo Smith as a reference unless a test replaces it
    return rules_kit.tasks_at(
        read_workspace, {"data/applications/acme-backend.yaml": application(), **files}, now
    )


def jo(reference: str | None = None) -> str:
    """Jo Smith, a former manager I give as a reference."""
    extra = [f"reference: {reference}"] if reference else []
    return contact("Jo Smith", extra=["title: Former Manager", *extra])


def test_not_asked_opens_and_is_due_when_applied(read_workspace: Reader) -> None:
    tasks = tasks_at(read_workspace, {"data/contacts/jo-smith.yaml": jo()})
    assert ids(tasks, "reference-permission") == [JO]
    task = one(tasks, JO)
    assert (task.application, task.interview, task.contact) == ("acme-backend", None, "jo-smith")
    assert task.opens == task.due == APPLIED == ny(2026, 11, 2, 9, 0)
    assert task.done_at is None
    assert task.status == "overdue"


def test_asked_but_not_granted_is_still_open(read_workspace: Reader) -> None:
    tasks = tasks_at(read_workspace, {"data/contacts/jo-smith.yaml": jo("{asked: 2026-10-30}")})
    task = one(tasks, JO)
    assert task.done_at is None
    assert task.status == "overdue"


@pytest.mark.parametrize(
    "granted",
    [
        "2026-10-02",  # before applying
        "2026-11-02",  # the day I applied: 09:00 == 09:00, in time
    ],
)
def test_no_task_when_permission_came_in_time(read_workspace: Reader, granted: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {"data/contacts/jo-smith.yaml": jo(f"{{asked: 2026-10-01, granted: {granted}}}")},
    )
    assert ids(tasks, "reference-permission") == []


def test_granted_after_applying_is_done_late(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {"data/contacts/jo-smith.yaml": jo("{asked: 2026-10-01, granted: 2026-11-05}")},
    )
    task = one(tasks, JO)
    assert task.status == "done"
    assert task.done_at == datetime(2026, 11, 5, 14, tzinfo=UTC)  # 09:00 EST = 14:00Z
    assert task.opens == task.due == APPLIED
    assert task.late


def test_one_task_per_reference_without_permission(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo("{granted: 2026-11-05}"),
            "data/contacts/morgan-ali.yaml": contact("Morgan Ali"),
            "data/contacts/pat-lee.yaml": contact(
                "Pat Lee", extra=["reference: {granted: 2026-10-02}"]
            ),
            "data/applications/acme-backend.yaml": application(
                extra=["references: [jo-smith, morgan-ali, pat-lee]"]
            ).replace("references: [jo-smith]\n", ""),
        },
    )
    assert ids(tasks, "reference-permission") == [JO, MORGAN]
    assert one(tasks, JO).status == "done"
    assert one(tasks, MORGAN).status == "overdue"


def test_no_task_without_references(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo(),
            "data/applications/acme-backend.yaml": application().replace(
                "references: [jo-smith]\n", ""
            ),
        },
    )
    assert ids(tasks, "reference-permission") == []


# --- a lead without `applied`: now ------------------------------------------------------


@pytest.mark.parametrize(
    "now", [NOW, datetime(2026, 11, 25, 8, 30, tzinfo=UTC), datetime(2026, 3, 8, 7, tzinfo=UTC)]
)
def test_lead_without_applied_is_due_now(read_workspace: Reader, now: datetime) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo(),
            "data/applications/acme-backend.yaml": application("lead", applied=None),
        },
        now=now,
    )
    task = one(tasks, JO)
    assert task.opens == task.due == now
    assert task.done_at is None
    assert task.status == "due"


def test_lead_with_permission_granted_has_nothing_to_do(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo("{granted: 2026-11-10}"),
            "data/applications/acme-backend.yaml": application("lead", applied=None),
        },
    )
    assert ids(tasks, "reference-permission") == []


# --- `applied` as a point in time across daylight saving --------------------------------


@pytest.mark.parametrize(
    ("applied", "at"),
    [
        ("2026-10-31", datetime(2026, 10, 31, 13, tzinfo=UTC)),  # 09:00 EDT
        ("2026-11-01", datetime(2026, 11, 1, 14, tzinfo=UTC)),  # 09:00 EST, the change's day
        ("2026-03-07", datetime(2026, 3, 7, 14, tzinfo=UTC)),  # 09:00 EST
        ("2026-03-08", datetime(2026, 3, 8, 13, tzinfo=UTC)),  # 09:00 EDT, the change's day
    ],
)
def test_applied_is_nine_o_clock_local(read_workspace: Reader, applied: str, at: datetime) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo(),
            "data/applications/acme-backend.yaml": application("applied", applied=applied),
        },
    )
    task = one(tasks, JO)
    assert task.opens == task.due == at
    assert wall(task.due).hour == 9


def test_granted_on_the_day_of_the_change_to_standard_time(read_workspace: Reader) -> None:
    # applied 2026-11-01 09:00 EST (14:00Z); granted the same day: 09:00 EST too, in time;
    # granted the next day: 2026-11-02 09:00 EST (14:00Z), a day late
    in_time = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo("{granted: 2026-11-01}"),
            "data/applications/acme-backend.yaml": application("applied", applied="2026-11-01"),
        },
    )
    assert ids(in_time, "reference-permission") == []
    late = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo("{granted: 2026-11-02}"),
            "data/applications/acme-backend.yaml": application("applied", applied="2026-11-01"),
        },
    )
    task = one(late, JO)
    assert task.due == datetime(2026, 11, 1, 14, tzinfo=UTC)
    assert task.done_at == datetime(2026, 11, 2, 14, tzinfo=UTC)
    assert task.late


# --- statuses ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "status"),
    [(APPLIED - SECOND, "upcoming"), (APPLIED, "due"), (APPLIED + SECOND, "overdue")],
)
def test_status_at_the_boundaries(read_workspace: Reader, now: datetime, status: str) -> None:
    tasks = tasks_at(read_workspace, {"data/contacts/jo-smith.yaml": jo()}, now=now)
    assert one(tasks, JO).status == status


# --- while lead or active ---------------------------------------------------------------


@pytest.mark.parametrize("status", ["lead", "applied", "interviewing", "offer"])
def test_made_while_lead_or_active(read_workspace: Reader, status: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo(),
            "data/applications/acme-backend.yaml": application(status),
        },
    )
    assert ids(tasks, "reference-permission") == [JO]
    assert one(tasks, JO).opens == APPLIED


@pytest.mark.parametrize("status", ["rejected", "withdrawn", "filled", "accepted"])
def test_dropped_when_the_application_closes(read_workspace: Reader, status: str) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo(),
            "data/applications/acme-backend.yaml": application(
                status, extra=["closed: 2026-11-19"]
            ),
        },
    )
    assert ids(tasks, "reference-permission") == []


def test_a_done_task_stays_when_the_application_closes(read_workspace: Reader) -> None:
    tasks = tasks_at(
        read_workspace,
        {
            "data/contacts/jo-smith.yaml": jo("{granted: 2026-11-05}"),
            "data/applications/acme-backend.yaml": application(
                "rejected", extra=["closed: 2026-11-19"]
            ),
        },
    )
    task = one(tasks, JO)
    assert task.status == "done"
    assert task.done_at == datetime(2026, 11, 5, 14, tzinfo=UTC)
