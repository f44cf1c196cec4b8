"""LinkedIn's Connections.csv: the notes before the header, missing columns, positions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result

from followup import linkedin, workspace
from followup.cli import main
from tests.conftest import NEW_YORK
from tests.exports import GOOGLE, LINKEDIN, LINKEDIN_OLD
from tests.test_vcard import snapshot


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), *args])


def write(root: Path, text: str, name: str = "Connections.csv") -> str:
    (root / name).write_text(text, encoding="utf-8-sig")  # LinkedIn's file starts with a BOM
    return name


def test_reads_past_the_notes_to_the_header() -> None:
    people, problems = linkedin.read("Connections.csv", LINKEDIN)
    assert [p.name for p in people] == ["Dana Reyes", "Priya Nair", "José Müller", "Aisha Rahman"]
    dana, priya, jose, _ = people
    assert (dana.email, dana.company, dana.title) == (
        "dana@acme.example",
        "Acme",
        "Engineering Manager",
    )
    assert dana.extras == (
        ("LinkedIn", "https://www.linkedin.com/in/danareyes"),
        ("Connected on LinkedIn", "2024-11-12"),
    )
    assert priya.email == ""  # hidden by their privacy setting
    assert priya.title == "Senior Engineer, Scheduling"  # a quoted comma
    assert jose.line == 7
    assert [str(p) for p in problems] == [
        "Connections.csv:8:1: warning: skipped: the row has no First Name or Last Name"
    ]


def test_missing_columns_are_fine() -> None:
    [marcus], problems = linkedin.read("old.csv", LINKEDIN_OLD)
    assert problems == []
    assert (marcus.name, marcus.company, marcus.title, marcus.email) == (
        "Marcus Webb",
        "Brightline Health",
        "Director of Engineering",
        "",
    )
    assert ("Connected on LinkedIn", "2021-06-17") in marcus.extras


def test_a_cell_over_several_lines_keeps_the_line_numbers_right() -> None:
    text = (
        "First Name,Last Name,Position,Email Address\n"
        'Ana,Silva,"Head of\nPeople",ana@x\n'
        "Bo,Berg,CTO,bo@example.com\n"
    )
    [ana, bo], _ = linkedin.read("c.csv", text)
    assert ana.title == "Head of\nPeople"
    assert (ana.line, bo.line) == (2, 4)
    assert ana.places["email"] == (3, 9)  # after the line break inside the quoted cell


def test_not_a_linkedin_export() -> None:
    people, problems = linkedin.read("x.csv", "Name,Phone\nAna,555\n")
    assert people == []
    assert [str(p) for p in problems] == [
        "x.csv:1:1: no header row with First Name and Last Name: "
        "is this the Connections.csv of LinkedIn's data export?"
    ]


def test_a_date_in_another_form_is_kept_as_written() -> None:
    text = "First Name,Last Name,Connected On\nAna,Silva,le 3 mars 2024\n"
    [ana], _ = linkedin.read("c.csv", text)
    assert ("Connected on LinkedIn", "le 3 mars 2024") in ana.extras


def test_import(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    result = run(root, "import", "linkedin", write(root, LINKEDIN))
    assert result.exit_code == 0, result.output
    assert "kept    data/contacts/dana-reyes.yaml (Dana Reyes is there already: same email)" in (
        result.stdout
    )
    assert "created data/contacts/jose-muller.md (José Müller)" in result.stdout
    assert "Added 3 contacts and 3 companies from 1 file; 1 already there, 1 skipped." in (
        result.stdout
    )
    # Column 54 is where Aisha's email cell starts on line 9.
    assert (
        "Connections.csv:9:54: warning: email: 'aisha(at)harbor' is not an email address: "
        "kept in the notes instead" in result.stderr
    )
    records, problems = workspace.read(root, NEW_YORK)
    assert problems == []
    priya = records.contacts["priya-nair"]
    assert (priya.company, priya.title) == ("brightline-health", "Senior Engineer, Scheduling")
    assert records.companies["brightline-health"].name == "Brightline Health"
    assert priya.notes.strip() == (
        "- LinkedIn: https://www.linkedin.com/in/priyanair\n- Connected on LinkedIn: 2025-01-03"
    )


def test_importing_twice_and_from_two_sources_adds_each_person_once(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace({"data/contacts/dana-reyes.yaml": None})
    (root / "g.vcf").write_bytes(GOOGLE)
    assert run(root, "import", "vcard", "g.vcf").exit_code == 0
    first = run(root, "import", "linkedin", write(root, LINKEDIN))
    assert "Dana Reyes is there already: same email" in first.stdout  # from the vCard
    after = snapshot(root)
    again = run(root, "import", "linkedin", "Connections.csv")
    assert again.exit_code == 0
    assert snapshot(root) == after
    assert "Added 0 contacts and 0 companies from 1 file; 4 already there, 1 skipped." in (
        again.stdout
    )


def test_dry_run(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    before = snapshot(root)
    result = run(root, "import", "linkedin", "--dry-run", write(root, LINKEDIN_OLD))
    assert "would create data/companies/brightline-health.yaml (Brightline Health)" in (
        result.stdout
    )
    assert "would create data/contacts/marcus-webb.md (Marcus Webb)" in result.stdout
    assert snapshot(root) == before


def test_a_file_that_is_not_utf8(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    (root / "c.csv").write_bytes(b"First Name,Last Name\nJos\xe9,Silva\n")
    result = run(root, "import", "linkedin", "c.csv")
    assert result.exit_code == 2
    assert "c.csv:2:4: is not UTF-8 text (byte 0xE9)" in result.stderr
    assert "Traceback" not in result.output


def test_a_quote_never_closed_is_an_error_and_nothing_is_imported() -> None:
    text = (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        'Zed,Zee,u,,Co,Pos,12 Nov 2024\n"Unclosed,quote\n'
    )
    people, problems = linkedin.read("bad.csv", text)
    assert people == []
    assert [str(p) for p in problems] == ["bad.csv:3:1: not CSV: unexpected end of data"]


def test_a_plain_email_header_is_read() -> None:
    text = "First Name,Last Name,Email\nZed,Zee,zed@example.org\n"
    people, problems = linkedin.read("c.csv", text)
    assert problems == []
    assert people[0].email == "zed@example.org"
