"""vCard in and out: Google, Apple, 4.0 and 2.1 exports read; the export read back by vobject."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import vobject  # type: ignore[import-untyped]
from click.testing import CliRunner, Result

from followup import vcard, workspace
from followup.cli import main
from tests.conftest import NEW_YORK, REPO
from tests.exports import APPLE, GOOGLE, V4, V21, crlf


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), *args])


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under data/, byte for byte."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted((root / "data").rglob("*"))
        if p.is_file()
    }


def write(root: Path, name: str, data: bytes) -> Path:
    path = root / name
    path.write_bytes(data)
    return path


def test_google_export() -> None:
    people, problems = vcard.read("contacts.vcf", GOOGLE)
    dana, lee = people
    assert dana.name == "Dana Reyes"
    assert dana.title == "Engineering Manager"
    assert dana.company == "Acme, Inc."  # an escaped comma
    assert dana.email == "dana@acme.example"  # TYPE=pref wins over the first written
    assert dana.phone == "+1 555-010-1010"
    assert dana.address == "1 Main St\nSuite 200\nSpringfield, IL 62701\nUS"
    assert dana.notes == (
        "Met at the October meetup, by the coffee.\nWants an intro to Lee; ask her about Rust."
    )
    assert dana.extras == (
        ("Email (home)", "dana.reyes@mail.example"),
        ("Email (Open source)", "dreyes@oss.example"),  # itemN. group labelled by X-ABLabel
        ("Phone (work)", "(555) 010-2020"),
        ("Web (LinkedIn)", "https://www.linkedin.com/in/danareyes"),  # https\: unescaped
    )
    assert set(dana.other_emails) == {"dana.reyes@mail.example", "dreyes@oss.example"}
    assert lee.email == "lee@acme.example"
    # The third card is only an email address: skipped, and said so at its BEGIN line.
    assert [str(p) for p in problems] == [
        "contacts.vcf:29:1: warning: skipped: the card has no name (FN or N)"
    ]


def test_apple_export_skips_the_picture_and_company_cards() -> None:
    people, problems = vcard.read("apple.vcf", APPLE)
    [jose] = people
    assert jose.name == "José Müller"
    assert jose.slug_name == "José Müller"
    assert jose.company == "Lumen Media"
    assert ("Department", "Platform") in jose.extras
    assert ("Web (HomePage)", "https://jose.example") in jose.extras  # _$!<HomePage>!$_
    assert jose.address == "Friedrichstraße 10\nBerlin, 10117\nGermany"
    assert "they are hiring in Berlin and remote, and" in jose.notes  # folded mid-word
    assert not any("9j" in value for _, value in jose.extras)
    assert [p.message for p in problems] == [
        "skipped: the card of a company ('Lumen Media'), not of a person"
    ]


def test_vcard_4() -> None:
    people, problems = vcard.read("v4.vcf", V4)
    kenji, zoe = people
    assert problems == []
    assert kenji.email == "kenji@orchard.example"  # PREF=1 beats PREF=2 written before it
    assert kenji.phone == "+81-3-1234-5678"  # a tel: URI
    assert kenji.address == "2-1 Marunouchi\nChiyoda-ku, Tokyo 100-0005\nJapan"  # its LABEL
    assert zoe.name == "Zoë Ødegård"
    assert zoe.notes == "Ødegård is the name of her farm."  # folded inside the å


def test_vcard_2_1_quoted_printable() -> None:
    [lucia], problems = vcard.read("old.vcf", V21)
    assert problems == []
    assert lucia.name == "Lucía Fernández"
    assert lucia.slug_name == "Lucía Fernández"
    assert lucia.phone == "+34600111222"
    assert lucia.notes == "First line\nSecond line, which is long enough to be broken."


def test_a_utf16_export_reads_as_utf8() -> None:
    utf16 = APPLE.decode("utf-8").encode("utf-16")  # with its byte order mark
    assert vcard.read("a.vcf", utf16) == vcard.read("a.vcf", APPLE)


def test_import_writes_files_the_model_accepts(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    before = snapshot(root)
    files = [write(root, name, data) for name, data in [("a.vcf", APPLE), ("b.vcf", V4)]]
    result = run(root, "import", "vcard", *map(str, files))
    assert result.exit_code == 0, result.output
    after = snapshot(root)
    assert {path: after[path] for path in before} == before  # only added to
    assert sorted(set(after) - set(before)) == [
        "data/companies/lumen-media.yaml",
        "data/companies/orchard-robotics.yaml",
        "data/contacts/jose-muller.md",
        "data/contacts/kenji-watanabe.md",
        "data/contacts/zoe-odegard.md",
    ]
    records, problems = workspace.read(root, NEW_YORK)
    assert problems == []
    jose = records.contacts["jose-muller"]  # ASCII-folded slug, name as they spell it
    assert (jose.name, jose.company, jose.title) == ("José Müller", "lumen-media", "Staff Engineer")
    assert jose.path == "data/contacts/jose-muller.md"  # notes make it a .md
    assert records.companies["lumen-media"].name == "Lumen Media"
    assert records.contacts["zoe-odegard"].notes.strip() == "Ødegård is the name of her farm."
    text = (root / jose.path).read_text(encoding="utf-8")
    assert text.startswith("---\n# yaml-language-server: $schema=../../schemas/contact.schema.json")
    assert "created data/contacts/jose-muller.md (José Müller)" in result.stdout
    assert "Added 3 contacts and 2 companies from 2 files; 0 already there, 1 skipped." in (
        result.stdout
    )


def test_people_and_companies_already_there_are_left_alone(
    make_workspace: Callable[..., Path],
) -> None:
    # Dana Reyes is in the base workspace with dana@acme.example; Acme as "Acme".
    root = make_workspace({"data/contacts/lee.yaml": "name: LEE  park\n"})
    before = snapshot(root)
    result = run(root, "import", "vcard", str(write(root, "g.vcf", GOOGLE)))
    assert result.exit_code == 0, result.output
    assert "kept    data/contacts/dana-reyes.yaml (Dana Reyes is there already: same email)" in (
        result.stdout
    )
    assert "kept    data/contacts/lee.yaml (Lee Park is there already: same name)" in result.stdout
    assert snapshot(root) == before  # "Acme, Inc." is the Acme there: nothing new at all


def test_running_an_import_twice_changes_nothing(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/contacts/dana-reyes.yaml": None})
    paths = [str(write(root, n, d)) for n, d in [("g.vcf", GOOGLE), ("a.vcf", APPLE)]]
    assert run(root, "import", "vcard", *paths).exit_code == 0
    after_first = snapshot(root)
    second = run(root, "import", "vcard", *paths)
    assert second.exit_code == 0
    assert snapshot(root) == after_first
    assert "Added 0 contacts and 0 companies from 2 files; 3 already there" in second.stdout


def test_the_same_person_twice_in_one_import_is_added_once(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace({"data/contacts/dana-reyes.yaml": None})
    path = str(write(root, "g.vcf", GOOGLE + GOOGLE))
    result = run(root, "import", "vcard", path)
    assert result.exit_code == 0
    assert sorted(p.name for p in (root / "data/contacts").iterdir()) == [
        "dana-reyes.md",
        "lee-park.yaml",
        "raj-patel.yaml",
    ]


def test_dry_run_writes_nothing(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    before = snapshot(root)
    result = run(root, "import", "vcard", "--dry-run", str(write(root, "a.vcf", APPLE)))
    assert result.exit_code == 0
    assert "would create data/contacts/jose-muller.md (José Müller)" in result.stdout
    assert "Nothing was written." in result.stdout
    assert snapshot(root) == before


def test_a_taken_slug_gets_a_number(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/contacts/jose-muller.yaml": "name: Josie Mull\n"})
    assert run(root, "import", "vcard", str(write(root, "a.vcf", APPLE))).exit_code == 0
    assert (root / "data/contacts/jose-muller.yaml").read_text() == "name: Josie Mull\n"
    assert (root / "data/contacts/jose-muller-2.md").is_file()


def test_an_invalid_email_goes_to_the_notes(make_workspace: Callable[..., Path]) -> None:
    card = crlf("BEGIN:VCARD", "VERSION:3.0", "FN:Ann Lee", "EMAIL:ann at home", "END:VCARD")
    root = make_workspace()
    result = run(root, "import", "vcard", str(write(root, "x.vcf", card)))
    assert result.exit_code == 0
    assert (
        "x.vcf:4:7: warning: email: 'ann at home' is not an email address: kept in the notes"
        in result.stderr
    )
    records, problems = workspace.read(root, NEW_YORK)
    assert problems == []
    assert records.contacts["ann-lee"].email is None
    assert "- Email: ann at home" in records.contacts["ann-lee"].notes


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "x.vcf:1:1: holds no vCard: expected a line BEGIN:VCARD"),
        (crlf("BEGIN:VCARD", "VERSION:3.0", "FN:A B", "TEL"), "x.vcf:4:1: not a vCard line"),
        (crlf("BEGIN:VCARD", "FN:A B"), "x.vcf:1:1: this card has no END:VCARD"),
        (crlf("FN:A B"), "x.vcf:1:1: expected BEGIN:VCARD, found FN"),
        (b"BEGIN:VCARD\r\nFN:Jos\xe9\r\nEND:VCARD\r\n", "x.vcf:2:7: is not utf-8 text (byte 0xE9)"),
        (
            crlf("BEGIN:VCARD", "FN;CHARSET=klingon:A", "END:VCARD"),
            "x.vcf:2:1: CHARSET=klingon: not a character set",
        ),
        (b"\x89PNG\r\n\x1a\n\0\0", "x.vcf:3:1: is a binary file, not a vCard file"),
    ],
)
def test_bad_files_are_one_line_each_with_a_position_and_nothing_is_written(
    make_workspace: Callable[..., Path], data: bytes, expected: str
) -> None:
    root = make_workspace()
    before = snapshot(root)
    good = write(root, "good.vcf", APPLE)
    result = run(root, "import", "vcard", str(good), str(write(root, "x.vcf", data)))
    assert result.exit_code == 2
    assert expected in result.stderr.replace(str(root) + "/", "")
    assert "Nothing was imported" in result.stderr
    assert "Traceback" not in result.output
    assert snapshot(root) == before  # not even the good file's people


def test_a_missing_file_is_one_line(make_workspace: Callable[..., Path]) -> None:
    result = run(make_workspace(), "import", "vcard", "nowhere.vcf")
    assert result.exit_code == 2
    assert "nowhere.vcf:1:1: cannot be read: No such file or directory" in result.stderr


def test_export_reads_back_with_vobject() -> None:
    result = run(REPO, "export", "vcard")
    assert result.exit_code == 0, result.output
    records, _ = workspace.read(REPO, NEW_YORK)
    cards = list(vobject.readComponents(result.stdout))
    assert [c.fn.value for c in cards] == [c.name for c in records.contacts.values()]
    assert len({c.uid.value for c in cards}) == len(cards)
    frank = next(c for c in cards if c.fn.value == "Frank Delgado")
    assert frank.org.value == ["Tidewater Credit Union"]
    assert frank.email.value == "fdelgado@tidewatercu.example"
    assert frank.note.value == records.contacts["frank-delgado"].notes.strip()
    assert run(REPO, "export", "vcard").stdout == result.stdout  # the same every time


def test_export_escapes_and_folds(make_workspace: Callable[..., Path]) -> None:
    note = "Ümlaut-heavy notes; commas, semicolons; a back\\slash.\n" + "Größe " * 40
    root = make_workspace(
        {
            "data/contacts/dana-reyes.md": (
                '---\nname: Dana Reyes\ncompany: acme\naddress: "1 Main St\\nSpringfield, IL"\n'
                f"tags: [a, 'b,c']\n---\n{note}\n"
            ),
            "data/contacts/dana-reyes.yaml": None,
        }
    )
    out = run(root, "export", "vcard").stdout_bytes
    lines = out.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    for line in lines:
        line.decode("utf-8")  # never folded inside a character
    card = next(c for c in vobject.readComponents(out.decode()) if c.fn.value == "Dana Reyes")
    assert card.note.value == note.strip()
    assert card.adr.value.street == "1 Main St\nSpringfield, IL"
    assert card.label.value == "1 Main St\nSpringfield, IL"
    assert card.categories.value == ["a", "b,c"]
    assert card.n.value.family == "Reyes" and card.n.value.given == "Dana"


def test_export_round_trips_through_the_reader(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    records, _ = workspace.read(root, NEW_YORK)
    people, problems = vcard.read("out.vcf", vcard.write(records).encode())
    assert problems == []
    dana = next(p for p in people if p.name == "Dana Reyes")
    assert (dana.email, dana.title, dana.company) == (
        "dana@acme.example",
        "Engineering Manager",
        "Acme",
    )


def test_uids_are_derived_from_the_slug() -> None:
    assert vcard.uid("dana-reyes") == vcard.uid("dana-reyes")
    assert vcard.uid("dana-reyes") != vcard.uid("dana-reyes-2")
    # Fixed for good: address books know each contact by it.
    assert vcard.uid("dana-reyes") == "urn:uuid:72310776-ba50-5589-b27e-e075d566523d"


def test_export_to_a_file(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    result = run(root, "export", "vcard", "--out", "contacts.vcf")
    assert result.exit_code == 0
    assert (root / "contacts.vcf").read_bytes().startswith(b"BEGIN:VCARD\r\nVERSION:3.0\r\n")
    assert "Wrote 2 contacts to contacts.vcf" in result.stderr
    refused = run(root, "export", "vcard", "--out", "data/contacts.vcf")
    assert refused.exit_code == 64
    assert not (root / "data/contacts.vcf").exists()


def test_export_of_an_invalid_workspace_writes_nothing(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/contacts/raj-patel.yaml": "title: no name\n"})
    result = run(root, "export", "vcard")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "data/contacts/raj-patel.yaml:1:1: missing required key 'name'" in result.stderr


def test_an_odd_digit_in_pref_is_not_a_crash() -> None:
    lines = ["BEGIN:VCARD", "VERSION:4.0", "FN:Dana Reyes", "EMAIL;PREF=²:dana@acme.example"]
    card = "\r\n".join([*lines, "END:VCARD", ""])
    people, problems = vcard.read("odd.vcf", card.encode())
    assert [p.email for p in people] == ["dana@acme.example"]
    assert problems == []
