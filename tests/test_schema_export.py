"""The JSON Schemas: generated from followup.schema, and agreeing with the model."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from followup import json_schemas, load, workspace
from followup.cli import main
from followup.model import Records
from followup.problems import Problem
from followup.schema import RECORDS, Field
from tests.conftest import NEW_YORK, REPO

FOLDERS = list(json_schemas.NAMES)


def validator(folder: str) -> Draft202012Validator:
    return Draft202012Validator(json_schemas.schema(folder))


def schema_errors(root: Path, rel: str, folder: str) -> list[str]:
    doc, problems = load.load_document(root, rel)
    assert problems == [], problems
    return [error.message for error in validator(folder).iter_errors(doc.data)]


def objects(schema: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every object schema inside a schema."""
    if schema.get("type") in ("object", ["object", "null"]):
        yield schema
    for value in schema.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                yield from objects(item)


@pytest.mark.parametrize("folder", FOLDERS)
def test_every_field_is_in_the_schema_as_declared(folder: str) -> None:
    schema = json_schemas.schema(folder)
    Draft202012Validator.check_schema(schema)

    def compare(fields: tuple[Field, ...], node: dict[str, Any]) -> None:
        assert list(node["properties"]) == [f.name for f in fields]
        assert node.get("required", []) == [f.name for f in fields if f.required]
        for spec in fields:
            prop = node["properties"][spec.name]
            assert prop["description"].startswith(spec.doc)
            if spec.choices:
                assert prop["enum"][: len(spec.choices)] == list(spec.choices)
            if spec.kind == "mapping":
                compare(spec.fields, prop)
            if spec.kind == "log":
                compare(spec.fields, prop["items"])

    compare(RECORDS[folder], schema)
    assert all(node["additionalProperties"] is False for node in objects(schema))


def test_the_sample_workspace_validates() -> None:
    sources, _ = load.find_sources(REPO)
    assert len(sources) > 50
    for source in sources:
        assert schema_errors(REPO, source.path, source.kind) == [], source.path


def test_the_example_workspace_validates_and_points_at_its_schemas(tmp_path: Path) -> None:
    assert CliRunner().invoke(main, ["init", str(tmp_path)]).exit_code == 0
    sources, _ = load.find_sources(tmp_path)
    assert {s.kind for s in sources} == set(FOLDERS)
    for source in sources:
        assert schema_errors(tmp_path, source.path, source.kind) == []
        text = (tmp_path / source.path).read_text(encoding="utf-8")
        line = text.split("\n")[1 if text.startswith("---\n") else 0]
        target = line.removeprefix("# yaml-language-server: $schema=")
        assert target != line, source.path
        assert (tmp_path / source.path).parent.joinpath(target).resolve().is_file()
    assert json.loads((tmp_path / "schemas/contact.schema.json").read_text()) == (
        json_schemas.schema("contacts")
    )


#: Each file breaks one rule; the model and the schema must both refuse it.
BROKEN = {
    "data/contacts/no-name.yaml": "title: Engineer\n",
    "data/contacts/typo.yaml": "name: Ann\nemial: ann@x.example\n",
    "data/contacts/channel.yaml": "name: Ann\nprefers: pigeon\n",
    "data/contacts/email.yaml": "name: Ann\nemail: ann at x\n",
    "data/contacts/cadence.yaml": "name: Ann\nstay_in_touch: every week\n",
    "data/contacts/reference.yaml": "name: Ann\nreference: {asked: last week}\n",
    "data/contacts/list.yaml": "- name: Ann\n",
    "data/contacts/log.yaml": "name: Ann\nlog:\n  - {on: 2026-11-02, did: email}\n",
    "data/contacts/log-on.yaml": "name: Ann\nlog:\n  - {did: call}\n",
    "data/contacts/tags.yaml": "name: Ann\ntags: {a: 1}\n",
    "data/companies/size.yaml": "name: Acme\nsize: medium\n",
    "data/companies/site.yaml": "name: Acme\nwebsite: www.acme.example\n",
    "data/applications/status.yaml": "company: acme\nrole: Dev\nstatus: pending\n",
    "data/applications/applied.yaml": "company: acme\nrole: Dev\nstatus: lead\napplied: 2 May\n",
    "data/applications/slug.yaml": "company: Acme Inc\nrole: Dev\nstatus: lead\n",
    "data/applications/no-role.yaml": "company: acme\nstatus: lead\n",
    "data/interviews/at.md": "---\napplication: acme-backend\nat: tomorrow\n---\n",
    "data/interviews/kind.md": "---\napplication: acme-backend\nat: 2026-11-18\nkind: zoom\n---\n",
    "data/interviews/long.md": "---\napplication: acme-backend\nat: 2026-11-18\nduration: 1hr\n---",
    "data/interviews/who.md": (
        "---\napplication: acme-backend\nat: 2026-11-18\ninterviewers: Dana Reyes\n---\n"
    ),
    "data/settings.yaml": "rules: {thank_you_within: 1 day, min_active_applications: -1}\n",
}


def test_broken_files_fail_both_the_schemas_and_the_model(
    read_workspace: Callable[..., tuple[Records, list[Problem]]],
    make_workspace: Callable[..., Path],
) -> None:
    _, problems = read_workspace(BROKEN)
    root = make_workspace(BROKEN)
    for rel in BROKEN:
        folder = "settings" if rel == "data/settings.yaml" else rel.split("/")[1]
        assert schema_errors(root, rel, folder), f"the schema accepts {rel}"
        assert any(p.path == rel and p.severity == "error" for p in problems), rel


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("applied", "2026-11-02"),
        ("applied", "2026-11-02 10:00"),
        ("applied", "26-11-02"),
        ("decision_by", "2026/11/02"),
        ("link", "https://acme.example/jobs/1"),
        ("link", "HTTP://ACME.EXAMPLE"),
        ("link", "mailto:jobs@acme.example"),
        ("link", "tel:+15550100"),
        ("link", "acme.example/jobs"),
        ("link", "ftp://acme.example"),
        ("contact", "dana-reyes"),
        ("contact", "Dana-Reyes"),
        ("contact", "dana--reyes"),
        ("referred_by", ["dana-reyes", "raj-patel"]),
        ("referred_by", "dana-reyes"),
        ("referred_by", ["dana reyes"]),
        ("log", [{"on": "2026-11-18 14:00", "did": "call"}]),
        ("log", [{"on": "2026-11-18T14:00:30.5+01:00", "did": "call"}]),
        ("log", [{"on": "2026-11-18 14:00Z", "did": "call"}]),
        ("log", [{"on": "2026-11-18 2pm", "did": "call"}]),
        ("log", [{"on": "2026-11-18", "did": "call", "via": "carrier pigeon"}]),
        ("log", [{"on": "2026-11-18", "did": "call", "with": None}]),
        ("role", None),
        ("status", None),
    ],
)
def test_the_schema_and_the_model_agree_on_values(
    read_workspace: Callable[..., tuple[Records, list[Problem]]], key: str, value: object
) -> None:
    data: dict[str, object] = {"company": "acme", "role": "Dev", "status": "applied", key: value}
    _, problems = read_workspace({"data/applications/x.yaml": json.dumps(data)})
    model_ok = not [p for p in problems if p.path == "data/applications/x.yaml"]
    schema_ok = validator("applications").is_valid(data)
    assert model_ok == schema_ok


def test_settings_durations_and_counts(
    read_workspace: Callable[..., tuple[Records, list[Problem]]],
) -> None:
    for rules, valid in [
        ({"check_in_every": "2w", "min_active_applications": 0}, True),
        ({"check_in_every": "1234567m"}, False),
        ({"check_in_every": "7 d"}, False),
        ({"min_active_applications": "3"}, False),
        ({"min_active_applications": True}, False),
    ]:
        data = {"timezone": "America/New_York", "rules": rules}
        _, problems = read_workspace({"data/settings.yaml": json.dumps(data)})
        assert (not problems) == valid == validator("settings").is_valid(data), rules


def test_the_schema_command(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    first = CliRunner().invoke(main, ["-C", str(root), "schema"])
    assert first.exit_code == 0
    assert sorted(p.name for p in (root / "schemas").iterdir()) == [
        "application.schema.json",
        "company.schema.json",
        "contact.schema.json",
        "interview.schema.json",
        "settings.schema.json",
    ]
    again = CliRunner().invoke(main, ["-C", str(root), "schema"])
    assert again.output.count("unchanged") == 5
    elsewhere = CliRunner().invoke(main, ["-C", str(root), "schema", "--out", "editor"])
    assert (root / "editor/interview.schema.json").is_file(), elsewhere.output
    refused = CliRunner().invoke(main, ["-C", str(root), "schema", "--out", "data/schemas"])
    assert refused.exit_code == 64
    assert not (root / "data/schemas").exists()


def test_the_schema_command_outside_a_workspace(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "schema", "--out", "s"])
    assert result.exit_code == 0
    assert (tmp_path / "s/settings.schema.json").is_file()
    assert CliRunner().invoke(main, ["-C", str(tmp_path), "schema"]).exit_code == 66


def test_the_sample_reads_the_same_with_and_without_schema_comments(tmp_path: Path) -> None:
    """The comment is only a comment: the model reads a file the same with it."""
    records, problems = workspace.read(REPO, NEW_YORK)
    for source in load.find_sources(REPO)[0]:
        text = (REPO / source.path).read_text(encoding="utf-8")
        target = tmp_path / source.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json_schemas.with_modeline(text, source.kind), encoding="utf-8")
    commented, also = workspace.read(tmp_path, NEW_YORK)
    assert [p.message for p in also] == [p.message for p in problems]
    assert commented.contacts.keys() == records.contacts.keys()
    assert commented.interviews["brightline-onsite"].notes == (
        records.interviews["brightline-onsite"].notes
    )
