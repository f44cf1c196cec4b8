"""Adding an activity to a log: the file reads as before plus the entry, and every byte
that was there is still there, in order."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from followup import append, load
from followup.append import CannotAppend, Entry

ENTRY = Entry("2026-11-21 10:00", "call", "raj-patel", "phone", 'Said: "call back"')

#: Logs as people write them: with comments, flow and block lists, odd spacing.
SHAPES = {
    "no log yet": "name: Raj Patel\ntitle: Staff Engineer  # since 2024\n",
    "no log, no final newline": "name: Raj Patel",
    "empty log": "name: Raj Patel\nlog:   # what I did\ntags: [x]\n",
    "block list": (
        "name: Raj Patel\nlog:\n  - on: 2026-11-01\n    did: call   # first call\n"
        "  # an old note\n  - {on: 2026-11-02, did: reply}\n# the end\ntags: [x]\n"
    ),
    "indentless list": "name: Raj Patel\nlog:\n- {on: 2026-11-02, did: reply}\n",
    "flow list": "name: Raj Patel\nlog: [{on: 2026-11-02, did: reply}]  # short\n",
    "empty flow list": "name: Raj Patel\nlog: []\n",
    "block scalar last": (
        "name: Raj Patel\nlog:\n  - on: 2026-11-02\n    did: reply\n    note: |\n"
        "      line one\n      line two\nother: 1\n"
    ),
    "windows line endings": "name: Raj Patel\r\nlog:\r\n  - {on: 2026-11-02, did: reply}\r\n",
    "quoted keys and values": (
        "'name': \"Raj Patel\"\nlog:\n  - {'on': '2026-11-02', did: \"reply\"}\n"
    ),
}


def is_only_added(old: str, new: str) -> bool:
    """Every byte of old is in new, in order, and new adds one run of bytes."""
    blocks = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    return (
        all(tag in ("equal", "insert") for tag, *_ in blocks)
        and sum(tag == "insert" for tag, *_ in blocks) == 1
    )


def reads_as_old_plus_entry(old: str, new: str, markdown: bool, entry: Entry) -> bool:
    parse = load.parse_markdown if markdown else load.parse_yaml
    before, _ = parse("x", old.replace("\r\n", "\n"))
    after, problems = parse("x", new.replace("\r\n", "\n"))
    expected = dict(before.data)
    expected["log"] = [*(expected.get("log") or []), entry.as_data()]
    return not problems and after.data == expected


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_only_gains_the_entry(shape: str) -> None:
    old = SHAPES[shape]
    new = append.appended(old, False, ENTRY)
    assert is_only_added(old, new), new
    assert reads_as_old_plus_entry(old, new, False, ENTRY)


def test_front_matter_gains_the_entry_and_the_notes_stay() -> None:
    old = "---\nname: Raj Patel  # hi\n---\n## Notes\nlog: not this one\n"
    new = append.appended(old, True, ENTRY)
    assert is_only_added(old, new)
    assert new.endswith("---\n## Notes\nlog: not this one\n")
    assert reads_as_old_plus_entry(old, new, True, ENTRY)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("name: Raj\nlog: yes\n", "not a list"),
        ("name: Raj\nlog: {on: 2026-11-02}\n", "not a list"),
        ("- a list\n", "not a block mapping"),
        ("{name: Raj, log: []}\n", "not a block mapping"),
        ("name: [unclosed\n", "not valid YAML"),
        ("name: Raj\nlog: &shared [{on: 2026-11-02, did: reply}]\nother: *shared\n", "by hand"),
    ],
)
def test_a_file_with_no_safe_place_is_refused(text: str, reason: str) -> None:
    with pytest.raises(CannotAppend, match=reason):
        append.appended(text, False, ENTRY)


def test_add_keeps_the_byte_order_mark_and_the_mode(tmp_path: Path) -> None:
    path = tmp_path / "raj-patel.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: Raj Patel\n")
    path.chmod(0o640)
    append.add(path, ENTRY)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfname: Raj Patel\nlog:\n  - {on:")
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["raj-patel.yaml"]  # no temporary left


def test_a_refused_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "raj-patel.yaml"
    path.write_text("name: Raj\nlog: yes\n", encoding="utf-8")
    with pytest.raises(CannotAppend):
        append.add(path, ENTRY)
    assert path.read_text(encoding="utf-8") == "name: Raj\nlog: yes\n"


notes = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
entries = st.builds(
    Entry,
    on=st.sampled_from(["2026-11-21 10:00", "2026-11-21", "2026-11-21T10:00:00+01:00"]),
    did=st.sampled_from(["thank-you", "call", "message", "meeting", "reply"]),
    with_=st.none() | st.sampled_from(["raj-patel", "dana-reyes"]),
    via=st.none() | st.sampled_from(["email", "phone", "in-person"]),
    note=st.none() | notes,
    application=st.none() | st.just("acme-backend"),
)
comments = st.sampled_from(["", "  # a comment", "   #:)"])
items = st.lists(
    st.sampled_from(
        [
            "{on: 2026-11-01, did: reply}",
            "on: 2026-11-02\nINDENT  did: call",
            "{on: '2026-11-03 09:00', did: message, note: \"x: y\"}",
        ]
    ),
    max_size=3,
)


@settings(max_examples=150, deadline=None)
@given(
    entry=entries,
    existing=items,
    comment=comments,
    indent=st.sampled_from(["", "  ", "    "]),
    after=st.sampled_from(["", "tags: [x]\n", "# trailing\n", "title: Engineer\n"]),
    crlf=st.booleans(),
)
def test_any_log_gains_exactly_the_entry(
    entry: Entry, existing: list[str], comment: str, indent: str, after: str, crlf: bool
) -> None:
    lines = "".join(f"{indent}- {item.replace('INDENT', indent)}\n" for item in existing)
    old = f"name: Raj Patel\nlog:{comment}\n{lines}{after}"
    if crlf:
        old = old.replace("\n", "\r\n")
    new = append.appended(old, False, entry)
    assert is_only_added(old, new)
    assert reads_as_old_plus_entry(old, new, False, entry)


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85", "\\", '"', "\t", "\n"])
def test_a_note_with_odd_characters_reads_back_as_written(odd: str) -> None:
    entry = Entry("2026-11-21", "message", note=f"before{odd}after")
    new = append.appended("name: Raj\n", False, entry)
    assert reads_as_old_plus_entry("name: Raj\n", new, False, entry)
    assert new.count("\n") == 3  # still one line per entry
