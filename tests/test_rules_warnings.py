"""What the rules say besides dated tasks (DESIGN 2), and task ids.

- a warning when two outgoing calls or messages on one application fall less
  than `check_in_every` apart (seed 002: "Just don't call every day");
- a nudge when fewer than `min_active_applications` are active (seed 002:
  "Continue to search for jobs and go on interviews");
- a task's id is `rule:application:interview:contact` with `-` for an empty
  part, and is stable across builds.

America/New_York is UTC-4 (EDT) until 2026-11-01 02:00 and UTC-5 (EST) after.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from followup import rules
from tests.rules_kit import (
    NOW,
    NY,
    SECOND,
    Reader,
    application,
    contact,
    interview,
    records_of,
    settings,
    tasks_at,
)

APP = "data/applications/acme-backend.yaml"


def warnings_of(read_workspace: Reader, files: dict) -> list:
    return rules.warnings(records_of(read_workspace, files))


def calls(*entries: str) -> dict[str, str]:
    """The base application with these log entries (at lines 7, 8, ...)."""
    return {APP: application(log=entries)}


# --- don't call every day -----------------------------------------------------------


def test_two_calls_two_days_apart_warn(read_workspace: Reader) -> None:
    found = warnings_of(
        read_workspace,
        calls(
            "{on: 2026-11-10 10:00, did: call, with: dana-reyes, via: phone}",
            "{on: 2026-11-12 10:00, did: call, with: dana-reyes, via: phone}",
        ),
    )
    assert len(found) == 1
    warning = found[0]
    assert warning.severity == "warning"
    # reported at the later one: the log's second entry, line 8 of the file
    assert (warning.path, warning.line) == (APP, 8)
    assert warning.column >= 1
    assert "every day" in warning.message


def test_a_call_then_a_message_warn(read_workspace: Reader) -> None:
    found = warnings_of(
        read_workspace,
        calls(
            "{on: 2026-11-10 10:00, did: call, with: dana-reyes, via: phone}",
            "{on: 2026-11-11 09:00, did: message, with: raj-patel, via: email}",
        ),
    )
    assert [(p.severity, p.path, p.line) for p in found] == [("warning", APP, 8)]


@pytest.mark.parametrize(
    ("first", "second", "warn"),
    [
        # exactly 7 days apart: fine
        ("2026-11-10 10:00", "2026-11-17 10:00", False),
        # a minute short of 7 days
        ("2026-11-10 10:00", "2026-11-17 09:59", True),
        # with offsets: 15:00Z = 10:00 EST
        ("'2026-11-10T15:00:00Z'", "'2026-11-17T09:59:00-05:00'", True),
        ("'2026-11-10T15:00:00Z'", "'2026-11-17T16:00:00+01:00'", False),
        # across the end of DST: 10:00 EDT to 10:00 EST is 7 calendar days (169 h): fine
        ("2026-10-29 10:00", "2026-11-05 10:00", False),
        # 10:00 EDT to 09:30 EST is 168.5 h elapsed, yet less than 7 days on the clock
        ("2026-10-29 10:00", "2026-11-05 09:30", True),
        # across the start of DST: 10:00 EST to 09:30 EDT is 166.5 h, < 7 days
        ("2026-03-05 10:00", "2026-03-12 09:30", True),
        ("2026-03-05 10:00", "2026-03-12 10:00", False),
    ],
)
def test_less_than_check_in_every_apart(
    read_workspace: Reader, first: str, second: str, warn: bool
) -> None:
    found = warnings_of(
        read_workspace,
        calls(
            f"{{on: {first}, did: call, with: dana-reyes}}",
            f"{{on: {second}, did: call, with: dana-reyes}}",
        ),
    )
    assert [(p.path, p.line) for p in found] == ([(APP, 8)] if warn else [])


def test_logged_in_a_contact_file_and_an_interview_file(read_workspace: Reader) -> None:
    # a call in Dana's file tied to the application, a message in the interview
    # file a day later: both on the application
    found = warnings_of(
        read_workspace,
        {
            "data/contacts/dana-reyes.yaml": contact(
                "Dana Reyes",
                log=["{on: 2026-11-10 10:00, did: call, via: phone, application: acme-backend}"],
            ),
            "data/interviews/acme-onsite.md": interview(
                "2026-11-05 10:00",
                log=["{on: 2026-11-11 10:00, did: message, with: dana-reyes, via: email}"],
            ),
        },
    )
    assert [(p.severity, p.path) for p in found] == [("warning", "data/interviews/acme-onsite.md")]


@pytest.mark.parametrize(
    "files",
    [
        # a call in a contact file not tied to the application
        {
            "data/contacts/dana-reyes.yaml": contact(
                "Dana Reyes", log=["{on: 2026-11-11 10:00, did: call, via: phone}"]
            ),
            APP: application(log=["{on: 2026-11-10 10:00, did: call, with: dana-reyes}"]),
        },
        # calls on two applications
        {
            "data/applications/acme-data.yaml": (
                "company: acme\nrole: Data Engineer\nstatus: applied\napplied: 2026-11-01\n"
                "log:\n  - {on: 2026-11-11 10:00, did: call, with: raj-patel}\n"
            ),
            APP: application(log=["{on: 2026-11-10 10:00, did: call, with: dana-reyes}"]),
        },
        # replies (them reaching me), notes and meetings are not calls or messages
        calls(
            "{on: 2026-11-10 10:00, did: call, with: dana-reyes}",
            "{on: 2026-11-11 10:00, did: reply, with: dana-reyes, via: phone}",
            "{on: 2026-11-12 10:00, did: thank-you, with: dana-reyes, via: email}",
            "{on: 2026-11-13 10:00, did: meeting, with: dana-reyes, via: in-person}",
            "{on: 2026-11-17 10:00, did: message, with: dana-reyes, via: email}",
        ),
    ],
    ids=["contact-file-untied", "two-applications", "not-outgoing-calls"],
)
def test_what_does_not_warn(read_workspace: Reader, files: dict) -> None:
    assert warnings_of(read_workspace, files) == []


def test_every_call_too_soon_after_the_one_before(read_workspace: Reader) -> None:
    found = warnings_of(
        read_workspace,
        calls(
            "{on: 2026-11-10 10:00, did: call, with: dana-reyes}",
            "{on: 2026-11-11 10:00, did: call, with: dana-reyes}",
            "{on: 2026-11-12 10:00, did: call, with: dana-reyes}",
        ),
    )
    assert {(p.path, p.line) for p in found} == {(APP, 8), (APP, 9)}
    assert {p.severity for p in found} == {"warning"}


@pytest.mark.parametrize(
    ("every", "second", "warn"),
    [
        ("3d", "2026-11-14 10:00", False),  # 4 days apart
        ("3d", "2026-11-12 10:00", True),  # 2 days apart
        ("2w", "2026-11-20 10:00", True),  # 10 days apart
        ("1d", "2026-11-11 10:00", False),  # a day apart
    ],
)
def test_custom_check_in_every(read_workspace: Reader, every: str, second: str, warn: bool) -> None:
    files = {
        "data/settings.yaml": settings(check_in_every=every),
        **calls(
            "{on: 2026-11-10 10:00, did: call, with: dana-reyes}",
            f"{{on: {second}, did: call, with: dana-reyes}}",
        ),
    }
    assert len(warnings_of(read_workspace, files)) == (1 if warn else 0)


# --- keep searching -----------------------------------------------------------------


def other(slug: str, status: str) -> dict[str, str]:
    closed = "closed: 2026-11-10\n" if status in ("accepted", "rejected", "withdrawn") else ""
    applied = "" if status == "lead" else "applied: 2026-11-01\n"
    return {
        f"data/applications/{slug}.yaml": (
            f"company: acme\nrole: {slug}\nstatus: {status}\n{applied}{closed}"
        )
    }


def nudges_of(read_workspace: Reader, files: dict) -> list:
    records, problems = read_workspace(files)
    assert [str(p) for p in problems if p.severity == "error"] == []
    return rules.nudges(records)


def test_one_active_application_is_too_few(read_workspace: Reader) -> None:
    found = nudges_of(read_workspace, {})
    assert len(found) == 1
    assert "keep searching" in found[0].message.lower()


def test_three_active_applications_are_enough(read_workspace: Reader) -> None:
    # interviewing (base) + applied + offer
    files = {**other("acme-data", "applied"), **other("acme-lead", "offer")}
    assert nudges_of(read_workspace, files) == []


def test_only_active_applications_count(read_workspace: Reader) -> None:
    # interviewing (base) + applied are active; lead, accepted, rejected, withdrawn are not
    files = {
        **other("acme-data", "applied"),
        **other("acme-lead", "lead"),
        **other("acme-won", "accepted"),
        **other("acme-lost", "rejected"),
        **other("acme-left", "withdrawn"),
    }
    assert len(nudges_of(read_workspace, files)) == 1


@pytest.mark.parametrize(("minimum", "nudged"), [("1", False), ("0", False), ("2", True)])
def test_custom_min_active_applications(read_workspace: Reader, minimum: str, nudged: bool) -> None:
    files = {"data/settings.yaml": settings(min_active_applications=minimum)}
    assert len(nudges_of(read_workspace, files)) == (1 if nudged else 0)


def test_nudges_do_not_depend_on_the_clock(read_workspace: Reader) -> None:
    records, _ = read_workspace({})
    assert rules.nudges(records) == rules.nudges(records)


# --- task ids ---------------------------------------------------------------------------


EVERY_RULE: dict[str, str | None] = {
    # acme-backend: interviewing, Jo Smith as a reference (not yet asked), an onsite
    # with Dana and Raj, a note to Dana: thank-you x2, follow-up-call, decision-date,
    # check-in, reference-permission
    APP: application(extra=["references: [jo-smith]"]),
    "data/contacts/jo-smith.yaml": "name: Jo Smith\n",
    "data/interviews/acme-onsite.md": interview(
        log=["{on: 2026-11-18 20:00, did: thank-you, with: dana-reyes, via: email}"]
    ),
    # globex-ops: accepted; Morgan referred me: thank-everyone
    "data/companies/globex.yaml": "name: Globex\n",
    "data/applications/globex-ops.yaml": (
        "company: globex\nrole: Ops\nstatus: accepted\napplied: 2026-09-01\n"
        "referred_by: [morgan-ali]\nclosed: 2026-11-16\n"
    ),
    # Morgan: stay in touch
    "data/contacts/morgan-ali.yaml": "name: Morgan Ali\nstay_in_touch: 30d\n",
}

EVERY_ID = [
    "check-in:acme-backend:-:-",
    "decision-date:acme-backend:acme-onsite:-",
    "follow-up-call:acme-backend:acme-onsite:-",
    "reference-permission:acme-backend:-:jo-smith",
    "stay-in-touch:-:-:morgan-ali",
    "thank-everyone:globex-ops:-:morgan-ali",
    "thank-you:acme-backend:acme-onsite:dana-reyes",
    "thank-you:acme-backend:acme-onsite:raj-patel",
]


def test_id_format(read_workspace: Reader) -> None:
    tasks = tasks_at(read_workspace, EVERY_RULE)
    assert sorted(t.id for t in tasks) == EVERY_ID
    for task in tasks:
        parts = (task.rule, task.application, task.interview, task.contact)
        assert task.id == ":".join(part or "-" for part in parts)
        assert task.id.split(":")[0] == task.rule
        assert len(task.id.split(":")) == 4


def test_ids_are_unique(read_workspace: Reader) -> None:
    tasks = tasks_at(read_workspace, EVERY_RULE)
    assert len({t.id for t in tasks}) == len(tasks)


@pytest.mark.parametrize(
    "later",
    [
        NOW,
        NOW + SECOND,
        datetime(2026, 12, 24, 9, tzinfo=NY),
        datetime(2026, 11, 1, 12, tzinfo=UTC),
    ],
)
def test_ids_are_stable_across_calls(read_workspace: Reader, later: datetime) -> None:
    records, _ = read_workspace(EVERY_RULE)
    first = rules.tasks(records, NOW)
    second = rules.tasks(records, later)
    assert sorted(t.id for t in first) == sorted(t.id for t in second) == EVERY_ID
    # and the same again from the files read afresh
    again, _ = read_workspace(EVERY_RULE)
    assert sorted(t.id for t in rules.tasks(again, NOW)) == EVERY_ID
    # at the same now, the same tasks
    assert rules.tasks(records, NOW) == first


def test_an_id_does_not_change_when_the_task_is_done(read_workspace: Reader) -> None:
    files = dict(EVERY_RULE)
    before = {t.id: t for t in tasks_at(read_workspace, files)}
    files["data/interviews/acme-onsite.md"] = interview(
        log=[
            "{on: 2026-11-18 20:00, did: thank-you, with: dana-reyes, via: email}",
            "{on: 2026-11-18 21:00, did: thank-you, with: raj-patel, via: email}",
        ]
    )
    after = {t.id: t for t in tasks_at(read_workspace, files)}
    raj = "thank-you:acme-backend:acme-onsite:raj-patel"
    assert before.keys() == after.keys()
    assert (before[raj].status, after[raj].status) == ("due", "done")


def test_a_message_to_a_friend_is_not_calling_the_employer_too_often(
    read_workspace: Reader,
) -> None:
    records, _ = read_workspace(
        {
            "data/contacts/morgan-ali.yaml": (
                "name: Morgan Ali\nlog:\n"
                "  - {on: 2026-11-10 09:00, did: message, application: acme-backend}\n"
            ),
            "data/applications/acme-backend.yaml": (
                "company: acme\nrole: Backend Engineer\nstatus: interviewing\n"
                "applied: 2026-11-02\ncontact: dana-reyes\nlog:\n"
                "  - {on: 2026-11-10 09:30, did: call, with: dana-reyes}\n"
            ),
        }
    )
    assert rules.warnings(records) == []
