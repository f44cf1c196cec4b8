"""The loader: files become documents that remember where every key and value came from."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from followup import load
from followup.load import Document, Position

MakeWorkspace = Callable[..., Path]


def yaml_doc(text: str, path: str = "data/contacts/x.yaml") -> tuple[Document, list[str]]:
    doc, problems = load.parse_yaml(path, textwrap.dedent(text).lstrip("\n"))
    return doc, [str(p) for p in problems]


def md_doc(text: str, path: str = "data/interviews/x.md") -> tuple[Document, list[str]]:
    doc, problems = load.parse_markdown(path, textwrap.dedent(text).lstrip("\n"))
    return doc, [str(p) for p in problems]


def loaded(root: Path, rel: str) -> tuple[Document, list[str]]:
    doc, problems = load.load_document(root, rel)
    return doc, [str(p) for p in problems]


def sources_of(root: Path) -> tuple[list[str], list[str]]:
    sources, problems = load.find_sources(root)
    return [s.path for s in sources], [str(p) for p in problems]


# --- duplicate keys and merge keys -------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    doc, problems = yaml_doc(
        """
        name: Dana Reyes
        title: Engineering Manager
        name: Dana R.
        """
    )
    assert problems == ["data/contacts/x.yaml:3:1: duplicate key 'name' (first on line 1)"]
    assert doc.data == {"name": "Dana Reyes", "title": "Engineering Manager"}


def test_duplicate_key_in_a_nested_mapping_and_in_a_flow_mapping() -> None:
    _, problems = yaml_doc(
        """
        reference:
          asked: 2026-10-01
          asked: 2026-10-02
        log:
          - {on: 2026-11-18, did: call, did: reply}
        """
    )
    assert problems == [
        "data/contacts/x.yaml:3:3: duplicate key 'asked' (first on line 2)",
        "data/contacts/x.yaml:5:33: duplicate key 'did' (first on line 5)",
    ]


def test_merge_keys_still_work_and_explicit_keys_override_them() -> None:
    doc, problems = yaml_doc(
        """
        defaults: &call
          did: call
          via: phone
        log:
          - <<: *call
            on: 2026-11-20
          - <<: *call
            on: 2026-11-21
            via: email
        """
    )
    assert problems == []
    assert doc.data["log"] == [
        {"did": "call", "via": "phone", "on": "2026-11-20"},
        {"did": "call", "via": "email", "on": "2026-11-21"},
    ]
    assert doc.values[("log", 0, "via")] == Position(3, 8)  # from the anchor


def test_an_overriding_value_is_found_where_it_is_written() -> None:
    doc, _ = yaml_doc(
        """
        defaults: &call
          did: call
          via: phone
        log:
          - <<: *call
            on: 2026-11-21
            via: emial
        """
    )
    assert doc.keys[("log", 0, "via")] == Position(7, 5)
    assert doc.values[("log", 0, "via")] == Position(7, 10)


def test_merge_of_a_list_of_mappings() -> None:
    doc, problems = yaml_doc(
        """
        a: &a {x: 1}
        b: &b {x: 2, y: 2}
        c:
          <<: [*a, *b]
        """
    )
    assert problems == []
    assert doc.data["c"] == {"x": 1, "y": 2}  # the first mapping listed wins


def test_a_duplicate_after_a_merge_is_still_a_duplicate() -> None:
    _, problems = yaml_doc(
        """
        base: &b {did: call}
        entry:
          <<: *b
          did: reply
          did: message
        """
    )
    assert problems == ["data/contacts/x.yaml:5:3: duplicate key 'did' (first on line 4)"]


def test_merging_something_that_is_not_a_mapping_is_an_error_at_it() -> None:
    doc, problems = yaml_doc("name: Dana\n<<: 5\n")
    assert problems == [
        "data/contacts/x.yaml:2:5: '<<' merges a mapping or a list of mappings",
    ]
    assert doc.data == {"name": "Dana"}  # the rest of the file is still read


def test_a_mapping_that_merges_itself_is_an_alias_to_itself() -> None:
    doc, problems = yaml_doc("name: Dana\nself: &s {x: 1, <<: *s}\n")
    assert len(problems) == 1
    assert problems[0].startswith("data/contacts/x.yaml:2:")
    assert problems[0].endswith(": an alias refers to itself")
    assert doc.data["name"] == "Dana"


def test_a_file_with_a_mapping_that_merges_itself(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("name: Dana\nself: &s {x: 1, <<: *s}\n")
    _, problems = loaded(tmp_path, "x.yaml")
    assert len(problems) == 1
    assert problems[0].startswith("x.yaml:2:")
    assert problems[0].endswith(": an alias refers to itself")


# --- positions ---------------------------------------------------------------------------------


def test_positions_of_keys_and_values_are_one_based() -> None:
    doc, problems = yaml_doc(
        """
        name: Dana Reyes
        reference:
          asked: 2026-10-01
        tags: [engineering, hiring]
        log:
          - on: 2026-11-21 10:00
            did: call
        """
    )
    assert problems == []
    assert doc.keys[("name",)] == Position(1, 1)
    assert doc.values[("name",)] == Position(1, 7)
    assert doc.keys[("reference", "asked")] == Position(3, 3)
    assert doc.values[("reference", "asked")] == Position(3, 10)
    assert doc.values[("tags", 1)] == Position(4, 21)
    assert doc.values[("log", 0)] == Position(6, 5)
    assert doc.keys[("log", 0, "did")] == Position(7, 5)
    assert doc.values[("log", 0, "on")] == Position(6, 9)


def test_a_problem_points_at_the_nearest_known_place() -> None:
    doc, _ = yaml_doc("name: Dana\nlog:\n  - on: 2026-11-21\n")
    # A key that is not in the file points at the mapping that should hold it.
    assert doc.at(("log", 0, "did")) == Position(3, 5)
    assert str(doc.problem(("log", 0, "on"), "bad", key=True)) == "data/contacts/x.yaml:3:5: bad"
    assert str(doc.problem(("name",), "odd", warning=True)) == (
        "data/contacts/x.yaml:1:7: warning: odd"
    )


def test_positions_in_markdown_front_matter_count_the_files_own_lines() -> None:
    doc, problems = md_doc(
        """
        ---
        application: acme-backend
        at: 2026-11-18 14:00
        interviewers: [dana-reyes, raj-patel]
        ---
        ## Dana Reyes
        We talked about on-call.
        """
    )
    assert problems == []
    assert doc.keys[("application",)] == Position(2, 1)
    assert doc.values[("at",)] == Position(3, 5)
    assert doc.values[("interviewers", 1)] == Position(4, 28)
    assert doc.body == "## Dana Reyes\nWe talked about on-call.\n"
    assert doc.body_line == 6


def test_a_duplicate_key_in_front_matter_has_the_files_line() -> None:
    _, problems = md_doc(
        """
        ---
        application: acme-backend
        at: 2026-11-18 14:00
        at: 2026-11-18 15:00
        ---
        """
    )
    assert problems == ["data/interviews/x.md:4:1: duplicate key 'at' (first on line 3)"]


def test_front_matter_may_end_with_dots_and_have_trailing_spaces() -> None:
    doc, problems = md_doc("--- \nname: Dana\n...\nNotes.\n", path="data/contacts/dana.md")
    assert problems == []
    assert doc.data == {"name": "Dana"}
    assert doc.body == "Notes.\n"


# --- scalars: YAML 1.2 core types only, dates and times stay text ------------------------------


def test_scalars_keep_the_types_a_person_means() -> None:
    doc, problems = yaml_doc(
        """
        day: 2026-11-18
        moment: 2026-11-18 14:00
        iso: 2026-11-18T14:00:00Z
        lunch: 12:30
        sexagesimal: 1:20:30
        no: no
        yes: yes
        on: on
        off: off
        Yes: Yes
        t: true
        f: False
        int: 12
        underscored: 1_000
        hex: 0x1F
        float: 1.5
        quoted_int: '12'
        quoted_bool: "true"
        quoted_date: "2026-11-18"
        nothing: ~
        empty:
        """
    )
    assert problems == []
    assert doc.data == {
        "day": "2026-11-18",
        "moment": "2026-11-18 14:00",
        "iso": "2026-11-18T14:00:00Z",
        "lunch": "12:30",
        "sexagesimal": "1:20:30",
        "no": "no",
        "yes": "yes",
        "on": "on",
        "off": "off",
        "Yes": "Yes",
        "t": True,
        "f": False,
        "int": 12,
        "underscored": 1000,
        "hex": 31,
        "float": 1.5,
        "quoted_int": "12",
        "quoted_bool": "true",
        "quoted_date": "2026-11-18",
        "nothing": None,
        "empty": None,
    }
    assert type(doc.data["int"]) is int
    assert type(doc.data["t"]) is bool


def test_keys_are_always_text() -> None:
    doc, problems = yaml_doc("1: one\ntrue: yes\non: 2026-11-18\n")
    assert problems == []
    assert doc.data == {"1": "one", "true": "yes", "on": "2026-11-18"}


def test_a_key_that_is_a_list_is_refused() -> None:
    doc, problems = yaml_doc("name: Dana\n? [a, b]\n: 1\n")
    assert problems == [
        "data/contacts/x.yaml:2:3: a key must be a plain word, not a list or mapping",
    ]
    assert doc.data == {"name": "Dana"}


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("photo: !!binary aGVsbG8=\n", "!!binary"),
        ("name: !vault secret\n", "!vault"),
        ("cmd: !!python/name:os.system\n", "!!python/name:os.system"),
    ],
)
def test_unsupported_tags_are_errors_at_the_value(text: str, tag: str) -> None:
    doc, problems = yaml_doc("title: Manager\n" + text)
    column = text.index("!") + 1
    assert problems == [f"data/contacts/x.yaml:2:{column}: the tag '{tag}' is not supported here"]
    assert doc.data["title"] == "Manager"  # the rest of the file is still read


def test_plain_aliases_are_followed() -> None:
    doc, problems = yaml_doc("a: &who dana-reyes\nb: *who\n")
    assert problems == []
    assert doc.data == {"a": "dana-reyes", "b": "dana-reyes"}


def test_an_alias_that_refers_to_itself_is_an_error() -> None:
    _, problems = yaml_doc("tags: &t [work, *t]\n")
    assert problems == ["data/contacts/x.yaml:1:7: an alias refers to itself"]


def test_an_alias_that_refers_to_itself_loses_only_its_own_value() -> None:
    doc, problems = yaml_doc("name: Dana Reyes\ntags: &t [work, *t]\n")
    assert problems == ["data/contacts/x.yaml:2:7: an alias refers to itself"]
    assert isinstance(doc.data, dict)
    assert doc.data.get("name") == "Dana Reyes"


def test_aliases_repeated_into_a_huge_document_are_refused() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcde", "bcdef", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 10)}]")
    _, problems = yaml_doc("\n".join(lines) + "\n")
    assert len(problems) == 1
    assert problems[0].endswith("too many values (aliases repeated too often)")


# --- whole-file YAML errors --------------------------------------------------------------------


def test_several_yaml_documents_in_one_file() -> None:
    _, problems = yaml_doc("name: Dana\n---\nname: Raj\n")
    assert problems == [
        "data/contacts/x.yaml:2:1: YAML: holds more than one YAML document: remove the second '---'"
    ]


def test_a_leading_document_marker_is_fine() -> None:
    doc, problems = yaml_doc("---\nname: Dana\n")
    assert problems == []
    assert doc.data == {"name": "Dana"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name: Dana Reyes\ntags: [engineering\nprefers: email\n",
            "data/contacts/x.yaml:3:8: YAML: did not find expected ',' or ']'",
        ),
        (
            "name: Dana\n  title: Manager\n",
            "data/contacts/x.yaml:2:8: YAML: mapping values are not allowed in this context",
        ),
        (
            "name: Dana\n- call\n",
            "data/contacts/x.yaml:2:1: YAML: did not find expected key",
        ),
        (
            "name: Dana\ncompany: *acme\n",
            "data/contacts/x.yaml:2:10: YAML: found undefined alias",
        ),
    ],
)
def test_syntax_errors_are_reported_where_the_parser_stopped(text: str, expected: str) -> None:
    doc, problems = yaml_doc(text)
    assert problems == [expected]
    assert doc.data is None


def test_a_syntax_error_in_front_matter_has_the_files_line() -> None:
    _, problems = md_doc("---\napplication: acme-backend\nat: [2026-11-18\n---\nNotes\n")
    assert problems == ["data/interviews/x.md:4:1: YAML: did not find expected ',' or ']'"]


def test_a_reused_anchor_says_what_is_wrong() -> None:
    _, problems = yaml_doc("a: &x 1\nb: &x 2\n")
    assert len(problems) == 1
    assert problems[0].startswith("data/contacts/x.yaml:2:4: YAML: ")
    assert "duplicate anchor" in problems[0]
    assert "line 1" in problems[0]


def test_a_tab_that_breaks_indentation_is_reported_with_its_line() -> None:
    _, problems = yaml_doc("name: Dana\n\ttitle: Manager\n")
    assert problems == [
        "data/contacts/x.yaml:2:1: YAML: found a tab character that violates indentation"
    ]


def test_tabs_between_a_key_and_its_value_are_fine() -> None:
    doc, problems = yaml_doc("name:\tDana\ntitle: Manager\t\n")
    assert problems == []
    assert doc.data == {"name": "Dana", "title": "Manager"}


@pytest.mark.parametrize(
    ("text", "line"), [("\tname: Dana\n", 1), ("name: Dana\nlog:\n\t- on: 2026-11-18\n", 3)]
)
def test_a_tab_used_for_indentation_is_named_in_the_message(text: str, line: int) -> None:
    _, problems = load.parse_yaml("data/contacts/x.yaml", text)  # not dedented: keep the tab
    assert len(problems) == 1
    assert (problems[0].line, problems[0].column) == (line, 1)
    assert "tab" in problems[0].message


# --- Markdown front matter ---------------------------------------------------------------------


def test_markdown_without_front_matter() -> None:
    doc, problems = md_doc("# Interview with Acme\napplication: acme-backend\n")
    assert problems == [
        "data/interviews/x.md:1:1: needs YAML front matter: start the file with a line '---'"
    ]
    assert doc.data is None


def test_markdown_with_unclosed_front_matter() -> None:
    doc, problems = md_doc("---\napplication: acme-backend\nat: 2026-11-18 14:00\n\nNotes\n")
    assert problems == [
        "data/interviews/x.md:1:1: front matter is not closed: add a line '---' after it"
    ]
    assert doc.data is None


def test_markdown_front_matter_that_is_empty_gives_no_data() -> None:
    doc, problems = md_doc("---\n---\nJust notes.\n")
    assert problems == []
    assert doc.data is None
    assert doc.body == "Just notes.\n"


# --- reading bytes -----------------------------------------------------------------------------


def test_not_utf8_gives_the_position_of_the_bad_byte(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"name: Dana\ntitle: Caf\xe9 owner\n")
    doc, problems = loaded(tmp_path, "x.yaml")
    assert problems == ["x.yaml:2:11: is not UTF-8 text (byte 0xE9): save it as UTF-8"]
    assert doc.data is None


def test_not_utf8_column_counts_characters_not_bytes(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes("name: Zoë Åberg ".encode() + b"\xff\n")
    _, problems = loaded(tmp_path, "x.yaml")
    assert problems == ["x.yaml:1:17: is not UTF-8 text (byte 0xFF): save it as UTF-8"]


def test_not_utf8_after_old_mac_line_endings(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"name: Dana\rtitle: Caf\xe9\r")
    _, problems = loaded(tmp_path, "x.yaml")
    assert problems == ["x.yaml:2:11: is not UTF-8 text (byte 0xE9): save it as UTF-8"]


UNUSUAL_BREAKS = pytest.mark.parametrize(
    "char", ["\x85", "\u2028", "\u2029"], ids=["NEL", "LINE-SEPARATOR", "PARAGRAPH-SEPARATOR"]
)


@UNUSUAL_BREAKS
def test_an_invisible_line_separator_in_a_quoted_value_does_not_shift_positions(
    char: str,
) -> None:
    text = f'title: "Engineering{char}Manager"\nprefers: emial\nname: a\nname: b\n'
    doc, problems = load.parse_yaml("data/contacts/x.yaml", text)
    assert doc.values[("prefers",)] == Position(2, 10)
    assert [str(p) for p in problems] == [
        "data/contacts/x.yaml:4:1: duplicate key 'name' (first on line 3)"
    ]


@UNUSUAL_BREAKS
def test_an_invisible_line_separator_in_a_plain_value(char: str) -> None:
    text = f"name: Dana\nnote: Met at the{char}career fair\nprefers: email\n"
    doc, problems = load.parse_yaml("data/contacts/x.yaml", text)
    # Either it is read as the editor shows it, or the problem is on the line that holds it.
    assert all(p.line == 2 for p in problems), [str(p) for p in problems]
    if not problems:
        assert doc.data["prefers"] == "email"


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"\xef\xbb\xbfname: Dana\nname: Raj\n")
    doc, problems = loaded(tmp_path, "x.yaml")
    assert doc.data == {"name": "Dana"}
    assert problems == ["x.yaml:2:1: duplicate key 'name' (first on line 1)"]


def test_a_byte_order_mark_before_front_matter_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_bytes(b"\xef\xbb\xbf---\nname: Dana\n---\nNotes\n")
    doc, problems = loaded(tmp_path, "x.md")
    assert problems == []
    assert doc.data == {"name": "Dana"}


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_windows_and_old_mac_line_endings(tmp_path: Path, newline: bytes) -> None:
    text = b"---|name: Dana|title: Manager|name: Raj|---|## Notes|".replace(b"|", newline)
    (tmp_path / "x.md").write_bytes(text)
    doc, problems = loaded(tmp_path, "x.md")
    assert problems == ["x.md:4:1: duplicate key 'name' (first on line 2)"]
    assert doc.data == {"name": "Dana", "title": "Manager"}
    assert doc.body == "## Notes\n"
    assert "\r" not in doc.data["title"]


def test_an_empty_yaml_file_has_no_data_and_no_load_problem(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"")
    doc, problems = loaded(tmp_path, "x.yaml")
    assert (doc.data, problems) == (None, [])


def test_an_empty_markdown_file_needs_front_matter(tmp_path: Path) -> None:
    (tmp_path / "x.md").write_bytes(b"")
    _, problems = loaded(tmp_path, "x.md")
    assert problems == [
        "x.md:1:1: needs YAML front matter: start the file with a line '---'",
    ]


@pytest.mark.parametrize("content", [b"name: Dana\x00\n", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_a_binary_file_is_refused(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "x.yaml").write_bytes(content)
    doc, problems = loaded(tmp_path, "x.yaml")
    assert problems == ["x.yaml:1:1: is a binary file, not text"]
    assert doc.data is None


def test_a_folder_where_a_record_file_belongs(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").mkdir()
    doc, problems = loaded(tmp_path, "x.yaml")
    assert problems == ["x.yaml:1:1: is a folder, but a record is a file"]
    assert doc.data is None


def test_too_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text("name: " + "[" * 5000 + "]" * 5000 + "\n")
    _, problems = loaded(tmp_path, "x.yaml")
    assert problems == ["x.yaml:1:1: is nested too deeply to read"]


# --- finding the record files ------------------------------------------------------------------


def test_the_base_workspace_is_found_in_a_stable_order(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    paths, problems = sources_of(root)
    assert problems == []
    assert paths == [
        "data/settings.yaml",
        "data/contacts/dana-reyes.yaml",
        "data/contacts/raj-patel.yaml",
        "data/companies/acme.yaml",
        "data/applications/acme-backend.yaml",
    ]
    sources, _ = load.find_sources(root)
    assert [(s.kind, s.slug) for s in sources][:2] == [
        ("settings", "settings"),
        ("contacts", "dana-reyes"),
    ]


def test_a_folder_named_like_a_record_file_is_found_then_refused(
    make_workspace: MakeWorkspace,
) -> None:
    root = make_workspace({"data/contacts/pat-lee.yaml/notes.txt": "oops"})
    paths, problems = sources_of(root)
    assert "data/contacts/pat-lee.yaml" in paths
    assert problems == []
    _, found = loaded(root, "data/contacts/pat-lee.yaml")
    assert found == ["data/contacts/pat-lee.yaml:1:1: is a folder, but a record is a file"]


def test_a_plain_folder_inside_a_record_folder_is_a_warning(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"data/contacts/old/dana.yaml": "name: Dana\n"})
    _, problems = sources_of(root)
    assert problems == [
        "data/contacts/old/:1:1: warning: folders inside data/contacts/ are not read"
    ]


def test_editor_junk_files_are_ignored(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(
        {
            "data/contacts/.dana-reyes.yaml.swp": b"\x00\x01swap",
            "data/contacts/.dana-reyes.yaml.swo": b"\x00",
            "data/contacts/dana-reyes.yaml~": "name: old\n",
            "data/contacts/4913": "",
            "data/contacts/.#dana-reyes.yaml": "lock",
            "data/contacts/#dana-reyes.yaml#": "autosave",
            "data/interviews/.x.md.swp": b"\x00",
        }
    )
    paths, problems = sources_of(root)
    assert problems == []
    assert paths == [
        "data/settings.yaml",
        "data/contacts/dana-reyes.yaml",
        "data/contacts/raj-patel.yaml",
        "data/companies/acme.yaml",
        "data/applications/acme-backend.yaml",
    ]


@pytest.mark.parametrize(
    ("rel", "expected"),
    [
        (
            "data/interviews/acme-onsite.yaml",
            "data/interviews/acme-onsite.yaml:1:1: interviews are .md files: "
            "rename it to acme-onsite.md",
        ),
        (
            "data/companies/acme-corp.md",
            "data/companies/acme-corp.md:1:1: companies are .yaml or .yml files: "
            "rename it to acme-corp.yaml",
        ),
        (
            "data/applications/acme-2.md",
            "data/applications/acme-2.md:1:1: applications are .yaml or .yml files: "
            "rename it to acme-2.yaml",
        ),
    ],
)
def test_a_record_file_with_the_wrong_ending_is_an_error(
    make_workspace: MakeWorkspace, rel: str, expected: str
) -> None:
    root = make_workspace({rel: "---\nname: x\n---\n"})
    paths, problems = sources_of(root)
    assert problems == [expected]
    assert rel not in paths


def test_an_unknown_ending_is_a_warning(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"data/contacts/dana.txt": "Dana\n", "data/contacts/README": "x"})
    paths, problems = sources_of(root)
    assert problems == [
        "data/contacts/README:1:1: warning: is not a record file (.yaml or .yml or .md): ignored",
        "data/contacts/dana.txt:1:1: warning: is not a record file (.yaml or .yml or .md): ignored",
    ]
    assert not any(p.endswith(("dana.txt", "README")) for p in paths)


def test_yml_is_accepted_for_yaml_records(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"data/contacts/pat-lee.yml": "name: Pat Lee\n"})
    paths, problems = sources_of(root)
    assert problems == []
    assert "data/contacts/pat-lee.yml" in paths


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Dana Reyes", "dana-reyes"),
        ("-dana", "dana"),
        ("dana--reyes", "dana-reyes"),
        ("DANA", "dana"),
    ],
)
def test_a_file_name_that_is_not_a_slug_is_an_error_with_a_suggestion(
    make_workspace: MakeWorkspace, name: str, suggestion: str
) -> None:
    root = make_workspace({f"data/contacts/{name}.yaml": "name: Someone\n"})
    paths, problems = sources_of(root)
    assert problems == [
        f"data/contacts/{name}.yaml:1:1: '{name}' is not a valid file name for a record: "
        f"use lowercase letters, digits and hyphens, like '{suggestion}'"
    ]
    assert f"data/contacts/{name}.yaml" not in paths


def test_two_files_with_one_slug(make_workspace: MakeWorkspace) -> None:
    root = make_workspace(
        {
            "data/contacts/pat-lee.yaml": "name: Pat Lee\n",
            "data/contacts/pat-lee.md": "---\nname: Pat Lee\n---\nNotes\n",
        }
    )
    paths, problems = sources_of(root)
    assert problems == [
        "data/contacts/pat-lee.yaml:1:1: two files for one slug 'pat-lee': "
        "data/contacts/pat-lee.md is the other"
    ]
    assert [p for p in paths if "pat-lee" in p] == ["data/contacts/pat-lee.md"]


def test_the_same_slug_in_different_folders_is_fine(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"data/contacts/acme.yaml": "name: Acme Front Desk\n"})
    _, problems = sources_of(root)
    assert problems == []


def test_an_unknown_folder_in_data_is_a_warning_with_did_you_mean(
    make_workspace: MakeWorkspace,
) -> None:
    root = make_workspace(
        {
            "data/contact/pat-lee.yaml": "name: Pat Lee\n",
            "data/interview/x.md": "---\n---\n",
            "data/photos/me.jpg": b"\xff\xd8",
            "data/.git-crypt/keys": "x",
        }
    )
    paths, problems = sources_of(root)
    assert problems == [
        "data/contact/:1:1: warning: is not a folder followup reads (did you mean 'contacts'?)",
        "data/interview/:1:1: warning: is not a folder followup reads (did you mean 'interviews'?)",
        "data/photos/:1:1: warning: is not a folder followup reads "
        "(it holds settings.yaml and record folders)",
    ]
    assert not any("pat-lee" in p for p in paths)


def test_a_workspace_without_settings_or_folders(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"data/.keep": ""}, base=False)
    assert sources_of(root) == ([], [])


needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")


@needs_symlinks
def test_a_symlink_that_leads_outside_the_workspace_is_refused(
    make_workspace: MakeWorkspace, tmp_path: Path
) -> None:
    secret = tmp_path / "elsewhere" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("name: Not Mine\n")
    root = make_workspace()
    (root / "data/contacts/spy.yaml").symlink_to(secret)
    (root / "data/contacts/gone.yaml").symlink_to(tmp_path / "elsewhere" / "missing.yaml")
    paths, problems = sources_of(root)
    assert problems == [
        "data/contacts/gone.yaml:1:1: is a link that leads outside the workspace: refused",
        "data/contacts/spy.yaml:1:1: is a link that leads outside the workspace: refused",
    ]
    assert "data/contacts/spy.yaml" not in paths


@needs_symlinks
def test_a_settings_link_outside_the_workspace_is_refused(
    make_workspace: MakeWorkspace, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("timezone: Europe/Berlin\n")
    root = make_workspace({"data/settings.yaml": None})
    (root / "data/settings.yaml").symlink_to(elsewhere)
    paths, problems = sources_of(root)
    assert problems == [
        "data/settings.yaml:1:1: is a link that leads outside the workspace: refused"
    ]
    assert "data/settings.yaml" not in paths


@needs_symlinks
def test_a_symlink_inside_the_workspace_is_read(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"shared/pat.yaml": "name: Pat Lee\n"})
    (root / "data/contacts/pat-lee.yaml").symlink_to(root / "shared/pat.yaml")
    paths, problems = sources_of(root)
    assert problems == []
    assert "data/contacts/pat-lee.yaml" in paths


@needs_symlinks
def test_a_symlink_loop_is_a_problem_not_a_crash(make_workspace: MakeWorkspace) -> None:
    root = make_workspace()
    (root / "data/contacts/a.yaml").symlink_to("b.yaml")
    (root / "data/contacts/b.yaml").symlink_to("a.yaml")
    paths, problems = sources_of(root)
    assert "data/contacts/dana-reyes.yaml" in paths
    assert [p.split(":")[0] for p in problems] == [
        "data/contacts/a.yaml",
        "data/contacts/b.yaml",
    ]


def test_settings_with_the_wrong_ending_is_not_silently_ignored(
    make_workspace: MakeWorkspace,
) -> None:
    root = make_workspace(
        {"data/settings.yaml": None, "data/settings.yml": "timezone: Europe/Berlin\n"}
    )
    _, problems = sources_of(root)
    assert len(problems) == 1
    assert problems[0].startswith("data/settings.yml:1:1: ")
    assert "settings.yaml" in problems[0]


def test_a_folder_named_settings_yaml_is_one_problem(make_workspace: MakeWorkspace) -> None:
    root = make_workspace({"data/settings.yaml": None})
    (root / "data/settings.yaml").mkdir()
    sources, found = load.find_sources(root)
    problems = [str(p) for p in found]
    for source in sources:
        problems += [str(p) for p in load.load_document(root, source.path)[1]]
    assert problems == ["data/settings.yaml:1:1: is a folder, but a record is a file"]
