"""Bad input of every kind: problems with positions, never a traceback, never a changed file."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from followup import agenda, load, report, rules, schema, workspace
from followup.cli import main
from followup.problems import Problem
from followup.schema import Field

from .conftest import BASE, NEW_YORK, REPO, Files, write_tree

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
FUZZ = settings(max_examples=100, deadline=None)
FEW = settings(max_examples=50, deadline=None)

#: Where a fuzzed file may land: one of each kind of record, new or replacing a base file.
TARGETS = [
    "data/settings.yaml",
    "data/contacts/dana-reyes.yaml",
    "data/contacts/pat-lee.md",
    "data/companies/acme.yaml",
    "data/applications/acme-backend.yaml",
    "data/interviews/acme-onsite.md",
]


def assert_well_placed(problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.line >= 1, problem
        assert problem.column >= 1, problem
        assert problem.message.strip(), problem
        assert problem.severity in ("error", "warning"), problem


def assert_inside_its_file(root: Path, problem: Problem) -> None:
    """A position a person can go to: a line the file has, a column that line has."""
    path = root / problem.path
    if not path.is_file():
        return
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if problem.line == len(lines) + 1 and problem.column == 1:
        return  # the end of a file without a final newline, as libyaml says it
    assert problem.line <= len(lines), problem
    assert problem.column <= len(lines[problem.line - 1]) + 1, problem


def run_everything(root: Path) -> list[Problem]:
    """What `check` does, minus printing: read, model, rules, agenda."""
    records, problems = workspace.read(root, NEW_YORK)
    tasks = rules.tasks(records, NOW)
    problems = sorted([*problems, *rules.warnings(records)])
    nudges = rules.nudges(records)
    report.as_json(records, tasks, problems, nudges, NOW)
    agenda.text(records, tasks, problems, nudges, NOW, show_done=True)
    assert_well_placed(problems)
    for problem in problems:
        assert_inside_its_file(root, problem)
    for task in tasks:
        assert task.status in ("done", "upcoming", "due", "overdue")
    return problems


def in_workspace(files: Files) -> list[Problem]:
    """The problems of the base workspace with files added, in a fresh folder."""
    with tempfile.TemporaryDirectory() as folder:
        root = write_tree(Path(folder), {**BASE, **files})
        return run_everything(root)


def as_markdown(front: bytes, body: bytes = b"Notes.\n") -> bytes:
    return b"---\n" + front + b"\n---\n" + body


def place(rel: str, content: bytes) -> Files:
    return {rel: as_markdown(content) if rel.endswith(".md") else content}


# --- (a) strategies ----------------------------------------------------------------------------

# Mostly dates a job search has, but also the whole calendar and the edges of what followup
# accepts (1900 to 2999), where adding a duration once overflowed.
DAYS = st.one_of(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)),
    st.dates(),
    st.sampled_from([date(1900, 1, 1), date(2999, 12, 31)]),
)
MOMENTS = st.one_of(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 12, 31)),
    st.datetimes(),
    st.sampled_from([datetime(1900, 1, 1), datetime(2999, 12, 31, 23, 59)]),
)

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    DAYS,
    MOMENTS,
)

YAMLISH = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)


def _all_fields(fields: tuple[Field, ...]) -> Iterator[Field]:
    for spec in fields:
        yield spec
        yield from _all_fields(spec.fields)


ALL_FIELDS = sorted({f.name for kind in schema.RECORDS.values() for f in _all_fields(kind)})
#: Slugs that exist (pat-lee only when the example writes that file) and near misses.
SLUGS = {
    "contacts": ["dana-reyes", "raj-patel", "pat-lee", "dana-reyse"],
    "companies": ["acme", "globex"],
    "applications": ["acme-backend", "acme-backnd"],
}
JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**6), st.text(max_size=12), st.just([])
)
OFFSETS = st.sampled_from(["", "Z", "+01:00", "-08:00", "+0530"])
DATETIMES = st.builds(
    lambda moment, sep, offset: moment.strftime(f"%Y-%m-%d{sep}%H:%M") + offset,
    MOMENTS,
    st.sampled_from([" ", "T"]),
    OFFSETS,
)
DURATIONS = st.builds(lambda n, unit: f"{n}{unit}", st.integers(0, 999), st.sampled_from("mhdw"))


def value_for(spec: Field) -> st.SearchStrategy[Any]:
    """Mostly what the field wants, sometimes anything: the model must take both."""
    good: st.SearchStrategy[Any]
    if spec.kind == "slug":
        good = st.sampled_from(SLUGS[spec.ref])
    elif spec.kind == "slugs":
        slug = st.sampled_from(SLUGS[spec.ref])
        good = slug | st.lists(slug, max_size=4)
    elif spec.kind == "choice":
        good = st.sampled_from([*spec.choices, "bogus"])
    elif spec.kind == "date":
        good = DAYS.map(str) | st.just("2026-02-30")
    elif spec.kind == "datetime":
        good = DATETIMES | DAYS.map(str)
    elif spec.kind == "duration":
        good = DURATIONS
    elif spec.kind == "zone":
        good = st.sampled_from(["America/New_York", "Europe/Berlin", "UTC", "Mars/Olympus"])
    elif spec.kind == "email":
        good = st.sampled_from(["dana@acme.example", "not an address"])
    elif spec.kind == "url":
        good = st.sampled_from(["https://acme.example/jobs/1", "acme.example"])
    elif spec.kind == "count":
        good = st.integers(-2, 10)
    elif spec.kind == "tags":
        good = st.lists(st.text(max_size=8), max_size=3)
    elif spec.kind == "mapping":
        good = record_of(spec.fields)
    elif spec.kind == "log":
        good = st.lists(record_of(spec.fields), max_size=4)
    else:
        good = st.text(max_size=20)
    return st.sampled_from([True, True, True, True, False]).flatmap(
        lambda wanted: good if wanted else JUNK
    )


def record_of(fields: tuple[Field, ...]) -> st.SearchStrategy[dict[str, Any]]:
    required = {f.name: value_for(f) for f in fields if f.required}
    optional = {f.name: value_for(f) for f in fields if not f.required}
    stray = st.dictionaries(st.sampled_from(ALL_FIELDS), JUNK, max_size=1)
    return st.builds(
        lambda must, may, extra: {**extra, **must, **may},
        st.fixed_dictionaries(required),
        st.fixed_dictionaries({}, optional=optional),
        stray,
    )


KIND_OF = {
    "data/settings.yaml": "settings",
    "data/contacts/dana-reyes.yaml": "contacts",
    "data/contacts/pat-lee.md": "contacts",
    "data/companies/acme.yaml": "companies",
    "data/applications/acme-backend.yaml": "applications",
    "data/interviews/acme-onsite.md": "interviews",
}
WORKSPACES = st.dictionaries(
    st.sampled_from(TARGETS),
    st.just(None),
    min_size=1,
    max_size=len(TARGETS),
).flatmap(
    lambda chosen: st.fixed_dictionaries(
        {rel: record_of(schema.RECORDS[KIND_OF[rel]]) for rel in chosen}
    )
)


def dump(value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode()


# --- (a) properties ----------------------------------------------------------------------------


@FUZZ
@given(st.text())
def test_parse_yaml_takes_any_text(text: str) -> None:
    doc, problems = load.parse_yaml("data/contacts/x.yaml", text)
    assert_well_placed(problems)
    for where in [*doc.values.values(), *doc.keys.values()]:
        assert where.line >= 1 and where.column >= 1


@FUZZ
@given(st.text(), st.booleans())
def test_parse_markdown_takes_any_text(text: str, fenced: bool) -> None:
    if fenced:
        text = f"---\n{text}\n---\nNotes\n"
    doc, problems = load.parse_markdown("data/interviews/x.md", text)
    assert_well_placed(problems)
    assert doc.body_line >= 1


@FUZZ
@given(st.binary(), st.sampled_from([".yaml", ".md"]))
def test_load_document_takes_any_bytes(content: bytes, ending: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "x" + ending).write_bytes(content)
        _, problems = load.load_document(Path(folder), "x" + ending)
    assert_well_placed(problems)


@FUZZ
@given(st.text(), st.sampled_from(TARGETS))
def test_any_text_in_any_record_file(text: str, target: str) -> None:
    in_workspace({target: text.encode()})


@FEW
@given(st.binary(max_size=200), st.sampled_from(TARGETS))
def test_any_bytes_in_any_record_file(content: bytes, target: str) -> None:
    in_workspace({target: content})


@FUZZ
@given(YAMLISH, st.sampled_from(TARGETS))
def test_any_yaml_structure_in_any_record_file(value: Any, target: str) -> None:
    in_workspace(place(target, dump(value)))


@FUZZ
@given(WORKSPACES)
def test_records_built_from_the_schema_with_random_values(files: dict[str, Any]) -> None:
    problems = in_workspace({rel: _text_of(rel, value) for rel, value in files.items()})
    assert all(p.path in files or p.path in BASE for p in problems), problems


def _text_of(rel: str, value: Any) -> bytes:
    return as_markdown(dump(value)) if rel.endswith(".md") else dump(value)


@FEW
@given(
    st.lists(
        st.text(
            alphabet=st.characters(exclude_characters="/\0", exclude_categories=["Cs"]),
            min_size=1,
            max_size=16,
        ).filter(lambda name: name not in (".", "..")),
        max_size=5,
        unique=True,
    ),
    st.sampled_from(["contacts", "interviews", "nonsense"]),
)
def test_any_file_names(names: list[str], folder: str) -> None:
    files: Files = {f"data/{folder}/{name}": b"name: Someone\n" for name in names}
    with tempfile.TemporaryDirectory() as where:
        try:
            root = write_tree(Path(where), {**BASE, **files})
        except OSError:  # a name this file system refuses (too long in bytes, say)
            assume(False)
        problems = run_everything(root)
    assert {p.path for p in problems} <= {
        *(f"data/{folder}/{name}" for name in names),
        f"data/{folder}/",
    }


# --- (b) one run reports every mistake ---------------------------------------------------------


def check(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), "check", "--now", "2026-11-20 10:00", *args])


def problem_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.match(r"^data/\S*:\d+:\d+: ", line)]


ONE_FILE_TEN_WAYS = """
    company: acmee
    role: Backend Engineer
    status: intervewing
    applied: 2026-11-31
    contact: dana-reyse
    referred_by: [raj-patle]
    decision_by: next week
    link: acme.example/jobs/42
    role: Senior Backend Engineer
    log:
      - {on: 2026-11-20, did: cal, via: phone}
      - {on: 2026-11-21 25:00, did: call}
"""

ONE_FILE_TEN_MESSAGES = [
    "1:10: company: no company 'acmee' (did you mean 'acme'?)",
    "3:9: status: 'intervewing' is not allowed (did you mean 'interviewing'?)",
    "4:10: applied: '2026-11-31' is not a date: day is out of range for month",
    "5:10: contact: no contact 'dana-reyse' (did you mean 'dana-reyes'?)",
    "6:15: referred_by: no contact 'raj-patle' (did you mean 'raj-patel'?)",
    "7:14: decision_by: 'next week' is not a date: write YYYY-MM-DD, like 2026-11-18",
    "8:7: link: 'acme.example/jobs/42' is not a web address: start it with https://",
    "9:1: duplicate key 'role' (first on line 2)",
    "11:27: log[0].did: 'cal' is not allowed (did you mean 'call'?)",
    "12:10: log[1].on: '2026-11-21 25:00' is not a date and time: hour must be in 0..23",
]


def test_a_file_broken_in_ten_ways_gives_ten_messages_in_one_run(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**BASE, "data/applications/acme-backend.yaml": ONE_FILE_TEN_WAYS})
    result = check(root)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    expected = [f"data/applications/acme-backend.yaml:{m}" for m in ONE_FILE_TEN_MESSAGES]
    assert problem_lines(result.output) == expected


SPREAD_TEN_WAYS: Files = {
    "data/settings.yaml": """
        me: {name: Sam Taylor, email: sam@example.org}
        timezone: America/New_Yrok
    """,
    "data/contacts/raj-patel.yaml": """
        name: Raj Patel
        title: Staff Engineer
        prefers: emial
        title: Principal Engineer
    """,
    "data/applications/acme-backend.yaml": """
        company: acme
        role: Backend Engineer
        status: intervewing
        applied: 2026-11-31
        contact: dana-reyse
    """,
    "data/interviews/acme-onsite.md": """
        ---
        application: acme-backend
        at: 2026-11-18 2pm
        duration: 1 hour
        interviewers: [dana-reyes, raj-patle]
        log:
          - {on: 2026-11-18 20:10, did: thank-you, with: dana-reyes, via: e-mail}
        ---
        ## Dana Reyes
    """,
}

SPREAD_TEN_MESSAGES = [
    "data/applications/acme-backend.yaml:3:9: "
    "status: 'intervewing' is not allowed (did you mean 'interviewing'?)",
    "data/applications/acme-backend.yaml:4:10: "
    "applied: '2026-11-31' is not a date: day is out of range for month",
    "data/applications/acme-backend.yaml:5:10: "
    "contact: no contact 'dana-reyse' (did you mean 'dana-reyes'?)",
    "data/contacts/raj-patel.yaml:3:10: prefers: 'emial' is not allowed (did you mean 'email'?)",
    "data/contacts/raj-patel.yaml:4:1: duplicate key 'title' (first on line 2)",
    "data/interviews/acme-onsite.md:3:5: at: '2026-11-18 2pm' is not a date and time: "
    "write YYYY-MM-DD HH:MM, optionally with seconds and an offset like +01:00 or Z",
    "data/interviews/acme-onsite.md:4:11: duration: '1 hour' is not a duration: "
    "write <n>m, <n>h, <n>d or <n>w, like 24h",
    "data/interviews/acme-onsite.md:5:28: "
    "interviewers: no contact 'raj-patle' (did you mean 'raj-patel'?)",
    "data/interviews/acme-onsite.md:7:67: "
    "log[0].via: 'e-mail' is not allowed (did you mean 'email'?)",
    "data/settings.yaml:2:11: "
    "timezone: 'America/New_Yrok' is not an IANA time zone, like America/New_York",
]


def test_ten_mistakes_in_four_files_give_ten_messages_in_one_run(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**BASE, **SPREAD_TEN_WAYS})
    result = check(root)
    assert result.exit_code == 2, result.output
    assert problem_lines(result.output) == SPREAD_TEN_MESSAGES


def test_the_ten_messages_in_json(tmp_path: Path) -> None:
    root = write_tree(tmp_path, {**BASE, **SPREAD_TEN_WAYS})
    result = check(root, "--format", "json")
    assert result.exit_code == 2
    problems = json.loads(result.stdout)["problems"]
    shown = [f"{p['path']}:{p['line']}:{p['column']}: {p['message']}" for p in problems]
    assert shown == SPREAD_TEN_MESSAGES
    assert {p["severity"] for p in problems} == {"error"}


def test_a_warning_alone_does_not_make_check_fail(tmp_path: Path) -> None:
    app = "company: acme\nrole: Backend Engineer\nstatus: rejected\napplied: 2026-11-02\n"
    root = write_tree(tmp_path, {**BASE, "data/applications/acme-backend.yaml": app})
    result = check(root)
    assert result.exit_code in (0, 1), result.output
    assert problem_lines(result.output) == [
        "data/applications/acme-backend.yaml:3:9: warning: status is 'rejected' but 'closed' "
        "is missing: add the date it closed, so its follow-ups can be worked out"
    ]


# --- the edges of the calendar ----------------------------------------------------------------

EDGES: dict[str, tuple[Files, str]] = {
    "interview-at": (
        {"data/interviews/x.md": "---\napplication: acme-backend\nat: 9999-12-31 23:30\n---\n"},
        "data/interviews/x.md:3:5: at: '9999-12-31 23:30' is out of range: years 1900 to 2999",
    ),
    "applied": (
        {
            "data/applications/acme-backend.yaml": "company: acme\nrole: Backend Engineer\n"
            "status: applied\napplied: 9999-12-30\n"
        },
        "data/applications/acme-backend.yaml:4:10: "
        "applied: '9999-12-30' is out of range: years 1900 to 2999",
    ),
    "log-on": (
        {
            "data/contacts/raj-patel.yaml": "name: Raj Patel\n"
            "log: [{on: 0001-01-01, did: call, application: acme-backend}]\n"
        },
        "data/contacts/raj-patel.yaml:2:12: "
        "log[0].on: '0001-01-01' is out of range: years 1900 to 2999",
    ),
    "check-in-every": (
        {"data/settings.yaml": "timezone: UTC\nrules: {check_in_every: 999999w}\n"},
        "data/settings.yaml:2:25: rules.check_in_every: '999999w' is too long: at most ten years",
    ),
}


@pytest.mark.parametrize("case", EDGES)
def test_check_at_the_edge_of_the_calendar_is_not_a_traceback(tmp_path: Path, case: str) -> None:
    files, expected = EDGES[case]
    root = write_tree(tmp_path, {**BASE, **files})
    result = check(root)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.exit_code == 2, result.output
    assert problem_lines(result.output) == [expected]


def test_check_just_inside_the_edge_of_the_calendar(tmp_path: Path) -> None:
    files: Files = {
        "data/settings.yaml": "timezone: Pacific/Kiritimati\n"
        "rules: {check_in_every: 3660d, network_every: 520w, thank_you_within: 87840h}\n",
        "data/applications/acme-backend.yaml": """
            company: acme
            role: Backend Engineer
            status: rejected
            applied: 2999-12-30
            decision_by: 2999-12-31
            closed: 2999-12-31
            contact: dana-reyes
            log:
              - {on: 2999-12-31 23:59, did: call, with: dana-reyes}
        """,
        "data/interviews/x.md": "---\napplication: acme-backend\nat: 2999-12-31 23:30-12:00\n"
        "duration: 3660d\ninterviewers: [raj-patel]\n---\n",
        "data/contacts/raj-patel.yaml": "name: Raj Patel\nstay_in_touch: 520w\n",
    }
    root = write_tree(tmp_path, {**BASE, **files})
    for now in ("1900-01-01 00:00", "2999-12-31 23:59"):
        result = CliRunner().invoke(main, ["-C", str(root), "check", "--now", now])
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(
            result.exception
        )
        assert result.exit_code in (0, 1), result.output


# --- (c) check never changes data/ -------------------------------------------------------------


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(root)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted((root / "data").rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("which", ["sample", "broken"])
def test_check_changes_nothing_under_data(tmp_path: Path, which: str) -> None:
    root = tmp_path / "ws"
    if which == "sample":
        shutil.copytree(REPO / "data", root / "data")
    else:
        write_tree(root, {**BASE, **SPREAD_TEN_WAYS})
        write_tree(
            root,
            {
                "data/contacts/bad.yaml": b"name: Caf\xe9\n",
                "data/contacts/crlf.yaml": b"\xef\xbb\xbfname: Pat\r\ntitle: X\r\n",
                "data/interviews/wrong.yaml": "application: acme-backend\n",
                "data/contacts/.pat.yaml.swp": b"\x00\x01",
            },
        )
    before = snapshot(root)
    assert before
    for args in (["check"], ["check", "--format", "json"], ["check", "--all"], ["build"]):
        result = CliRunner().invoke(main, ["-C", str(root), *args, "--now", "2026-11-20 10:00"])
        if args[0] == "check":
            assert result.exit_code in (0, 1, 2), result.output
            assert result.exception is None or isinstance(result.exception, SystemExit)
        assert snapshot(root) == before, f"followup {' '.join(args)} changed data/"


def test_the_sample_workspace_checks_cleanly(tmp_path: Path) -> None:
    shutil.copytree(REPO / "data", tmp_path / "data")
    _, problems = workspace.read(tmp_path, NEW_YORK)
    assert [str(p) for p in problems if p.severity == "error"] == []


def test_a_fault_in_one_record_stays_with_its_file(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug of ours that one file triggers is reported against it; the rest is checked."""
    from followup import model

    real = model._company

    def broken(reader: Any, slug: str) -> Any:
        if slug == "acme":
            raise KeyError("boom")
        return real(reader, slug)

    monkeypatch.setattr(model, "_company", broken)
    root = make_workspace({"data/contacts/raj-patel.yaml": "name: Raj\nemial: x\n"})
    _, problems = workspace.read(root, NEW_YORK)
    assert [str(p) for p in problems] == [
        "data/companies/acme.yaml:1:1: could not be read (KeyError: 'boom')",
        "data/contacts/raj-patel.yaml:2:1: unknown key 'emial' (did you mean 'email'?)",
    ]
