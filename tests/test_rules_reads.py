"""The rules and the warnings read only the fields rules.READS names: while a save
changes nothing else, watch keeps the last build's tasks and warnings and works out only
the tasks' status at the new time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bench.generate import generate
from followup import rules, workspace
from followup.clock import Duration
from followup.model import Activity, Application, Company, Contact, Interview, Records

#: The sample workspace (this repository's data/), which uses every field.
SAMPLE = Path(__file__).resolve().parent.parent
RECORDS = {"contacts": Contact, "companies": Company, "applications": Application,
           "interviews": Interview}  # fmt: skip
#: Around the sample's interviews: notes due, calls opening, check-ins rolling.
TIMES = [datetime(2026, 11, day, hour, tzinfo=UTC) for day in (10, 19, 21, 28) for hour in (8, 20)]


def _sample() -> Records:
    """The sample, with two calls a day apart to someone who works where I applied (not
    its contact, not an interviewer): a warning, through her company."""
    records, problems = workspace.read(SAMPLE)
    assert not problems
    app = records.applications["brightline-backend"]
    assert records.contacts["gloria-bennett"].company == app.company
    calls = tuple(
        Activity(datetime(2026, 11, day, 15, tzinfo=UTC), "call", "gloria-bennett", None, "",
                 app.slug, app.path, 90 + day, 5)
        for day in (16, 17)
    )  # fmt: skip
    app = dataclasses.replace(app, log=(*app.log, *calls))
    records = dataclasses.replace(records, applications={**records.applications, app.slug: app})
    assert rules.warnings(records)
    return records


def _other(records: Records, kind: str, name: str, value: Any) -> Any:
    """Another value a record of that kind could have in that field."""
    if name == "company":
        return next(slug for slug in records.companies if slug != value)
    if name == "prefers":
        return "fax" if value != "fax" else "card"
    if isinstance(value, int):
        return value + 3
    if isinstance(value, tuple):  # of people, or of tags
        return (*value, next(slug for slug in records.contacts if slug not in value))
    return f"data/{kind}/changed.yaml" if name == "path" else f"changed {value or ''}"


@pytest.mark.parametrize(("kind", "name"), [
    (kind, f.name)
    for kind, record in RECORDS.items()
    for f in dataclasses.fields(record)
    if f.name not in rules.READS[kind]
])  # fmt: skip
def test_a_field_the_rules_do_not_read_changes_no_task(kind: str, name: str) -> None:
    records = _sample()
    edited = {}
    for slug, record in getattr(records, kind).items():
        value = _other(records, kind, name, getattr(record, name))
        edited[slug] = dataclasses.replace(record, **{name: value})
    changed = dataclasses.replace(records, **{kind: edited})
    assert rules.warnings(changed) == rules.warnings(records)
    for now in TIMES:
        assert rules.tasks(changed, now) == rules.tasks(records, now), now


@pytest.fixture(scope="module")
def bench_records(tmp_path_factory: pytest.TempPathFactory) -> Records:
    """A workspace none of whose deadlines is the time of the build."""
    root = tmp_path_factory.mktemp("bench")
    generate(root, applications=30)
    (root / "data/applications/someday.yaml").unlink()  # (its reference is due now)
    records, problems = workspace.read(root)
    assert not [p for p in problems if p.severity == "error"]
    return records


def _saved(records: Records, kind: str, record: Any, since: bool) -> Records:
    """The records with one record saved; since, as watch reads them, saying which."""
    edited = dataclasses.replace(records, **{kind: {**getattr(records, kind), record.slug: record}})
    if not since:
        return edited
    return dataclasses.replace(edited, since=(records, frozenset({(kind, record.slug)})))


@pytest.mark.parametrize("since", [True, False])
def test_a_save_that_changes_no_read_keeps_the_tasks_at_the_new_time(
    bench_records: Records, since: bool
) -> None:
    records = bench_records
    first = rules.work(records, TIMES[0])
    assert not first.clocked
    contact = next(iter(records.contacts.values()))
    retitled = dataclasses.replace(contact, title="Chief Listener", notes="Met at a fair.")
    edited = _saved(records, "contacts", retitled, since)
    for now in TIMES[1:]:
        again = rules.work(edited, now, first)
        assert again.tasks == rules.tasks(edited, now)
        kept = [new is old for new, old in zip(again.tasks, first.tasks, strict=True)]
        same = [new.status == old.status for new, old in zip(again.tasks, first.tasks, strict=True)]
        assert kept == same  # the very tasks, unless their status moved on
        assert any(kept) and not all(kept)


@pytest.mark.parametrize("since", [True, False])
def test_a_save_that_changes_a_read_works_the_rules_out_again(
    bench_records: Records, since: bool
) -> None:
    records = bench_records
    first = rules.work(records, TIMES[0])
    person = next(t.person for t in first.tasks if t.rule == "thank-you")
    assert person is not None
    renamed = dataclasses.replace(records.contacts[person], name="Renamed Person")
    edited = _saved(records, "contacts", renamed, since)
    again = rules.work(edited, TIMES[0], first)
    assert again.tasks == rules.tasks(edited, TIMES[0])
    assert any("Renamed Person" in t.title for t in again.tasks)


def test_a_deadline_that_is_the_time_of_the_build_moves_with_it() -> None:
    """The sample's lead asks a reference before applying, due when the build runs."""
    records, _ = workspace.read(SAMPLE)
    first = rules.work(records, TIMES[0])
    assert first.clocked
    later = TIMES[0] + timedelta(days=3)
    again = rules.work(records, later, first)
    assert again.tasks == rules.tasks(records, later)
    assert any(t.rule == "reference-permission" and t.due == later for t in again.tasks)


def test_only_the_rules_that_read_the_clock_are_run_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under watch, a lead's reference does not have every rule worked out at every save."""
    ran: list[str] = []

    def counted(rule: rules.Rule) -> rules.Rule:
        def run(ix: Any) -> Any:
            ran.append(rule.__name__)
            return rule(ix)

        return run

    monkeypatch.setattr(rules, "RULES", tuple(map(counted, rules.RULES)))
    records, _ = workspace.read(SAMPLE)
    first = rules.work(records, TIMES[0])
    assert len(ran) == len(rules.RULES)
    later = TIMES[0] + timedelta(days=3)
    ran.clear()
    again = rules.work(records, later, first)
    assert ran == ["reference_permission"]
    assert again.tasks == rules.tasks(records, later)
    assert rules.work(records, later + timedelta(days=1), again).tasks == rules.tasks(
        records, later + timedelta(days=1)
    )


def test_a_change_of_settings_works_the_rules_out_again(bench_records: Records) -> None:
    records = bench_records
    first = rules.work(records, TIMES[0])
    quicker = dataclasses.replace(records.settings.rules, thank_you_within=Duration(2, "h"))
    edited = dataclasses.replace(
        records, settings=dataclasses.replace(records.settings, rules=quicker)
    )
    again = rules.work(edited, TIMES[0], first)
    assert again.tasks == rules.tasks(edited, TIMES[0]) != first.tasks


def test_a_save_that_changes_no_read_keeps_the_warnings() -> None:
    records = _sample()
    lead = dataclasses.replace(records.applications["orchard-sre"], references=())
    records = dataclasses.replace(records, applications={**records.applications, lead.slug: lead})
    first = rules.work(records, TIMES[0])
    assert not first.clocked and first.warnings
    contact = dataclasses.replace(records.contacts["gloria-bennett"], title="Chief of Staff")
    edited = dataclasses.replace(records, contacts={**records.contacts, contact.slug: contact})
    again = rules.work(edited, TIMES[1], first)
    assert again.warnings == rules.warnings(edited) == first.warnings
    assert again.tasks == rules.tasks(edited, TIMES[1])
