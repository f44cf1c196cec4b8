"""Adding an activity to a file's `log:`, and nothing else.

The file is the user's: its comments, order, quoting and spacing are theirs.
So the new entry is inserted as new bytes at one place, every byte that was
there stays, and the result is read back and compared with what was meant
before anything is written. A file whose shape leaves no safe place is
refused with a message, never rewritten.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from followup import load, yamltext

_BOM = "\ufeff"


class CannotAppend(Exception):
    """The file's shape gives no place to add an entry without changing other bytes."""


@dataclass(frozen=True, slots=True)
class Entry:
    """An activity as it is written into a log, in the order DESIGN lists its keys."""

    on: str
    did: str
    with_: str | None = None
    via: str | None = None
    note: str | None = None
    application: str | None = None

    def as_data(self) -> dict[str, str]:
        pairs = [
            ("on", self.on),
            ("did", self.did),
            ("with", self.with_),
            ("via", self.via),
            ("note", self.note),
            ("application", self.application),
        ]
        return {key: value for key, value in pairs if value is not None}

    def flow(self) -> str:
        """The entry as one flow mapping: {on: 2026-11-21 10:00, did: call}."""

        def written(key: str, value: str) -> str:  # a note is free text: always quoted
            return yamltext.quoted(value) if key == "note" else yamltext.scalar(value, flow=True)

        items = [f"{key}: {written(key, value)}" for key, value in self.as_data().items()]
        return "{" + ", ".join(items) + "}"


def add(path: Path, entry: Entry) -> str:
    """Write entry into the file's log; the new text. Raises CannotAppend.

    A link is followed: the entry goes into the file it names, and the link stays.
    """
    path = path.resolve()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CannotAppend("is not UTF-8 text") from None
    bom = text.startswith(_BOM)
    new = appended(text.removeprefix(_BOM), path.suffix == ".md", entry)
    _write(path, (_BOM if bom else "") + new)
    return new


def appended(text: str, markdown: bool, entry: Entry) -> str:
    """The text with entry added to its log, checked by reading it back."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = re.findall(r"[^\n]*\n|[^\n]+$", text)  # at \n only, as YAML breaks lines
    yaml_text, end_line = _front(text, markdown)
    root = _compose(yaml_text)
    offset, insert = _place(root, lines, end_line, newline, entry.flow())
    new = text[:offset] + insert + text[offset:]
    _check(text, new, markdown, entry)
    return new


def _front(text: str, markdown: bool) -> tuple[str, int]:
    """The YAML with the file's own line numbers, and the 0-based line that ends it."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not markdown:
        return "\n".join(lines), len(lines)
    if lines[0].rstrip() != "---":
        raise CannotAppend("has no front matter to add a log to")
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        raise CannotAppend("has front matter that is not closed")
    return "\n" + "\n".join(lines[1:end]), end


def _compose(yaml_text: str) -> yaml.MappingNode:
    try:
        node = load.compose(yaml_text)
    except yaml.YAMLError:
        raise CannotAppend(
            "is not valid YAML: fix it first ('followup check' says where)"
        ) from None
    if not isinstance(node, yaml.MappingNode) or node.flow_style:
        raise CannotAppend("is not a block mapping of keys, so there is no place for a log")
    return node


def _place(
    root: yaml.MappingNode, lines: list[str], end_line: int, newline: str, item: str
) -> tuple[int, str]:
    """Where to insert, and what: the one place that adds an entry and changes nothing."""
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def at(line: int, column: int) -> int:
        return starts[line] + column

    logs = [(k, v) for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "log"]
    indent = root.start_mark.column
    if not logs:
        # No log yet: a new one after the last line of the mapping.
        where = starts[min(end_line, len(lines))]
        before = (
            "" if where == 0 or lines[min(end_line, len(lines)) - 1].endswith("\n") else newline
        )
        item_line = f"{' ' * indent}  - {item}{newline}"
        return where, f"{before}{' ' * indent}log:{newline}{item_line}"
    key, value = logs[-1]
    if isinstance(value, yaml.ScalarNode):
        if value.value or value.style or value.start_mark.line != key.start_mark.line:
            raise CannotAppend(f"has 'log: {value.value}', not a list: make it a list first")
        line_end = at(key.start_mark.line, len(lines[key.start_mark.line].rstrip("\r\n")))
        return line_end, f"{newline}{' ' * (indent + 2)}- {item}"
    if not isinstance(value, yaml.SequenceNode):
        raise CannotAppend("has a log that is not a list: make it a list first")
    if value.flow_style:
        closing = at(value.end_mark.line, value.end_mark.column) - 1  # the ']'
        return closing, (", " if value.value else "") + item
    last_line, last_column = _last_position(value.value[-1])
    dash = value.start_mark.column
    after = min(last_line if last_column == 0 else last_line + 1, len(lines))
    where = starts[after]
    before = "" if where == 0 or lines[after - 1].endswith("\n") else newline
    return where, f"{before}{' ' * dash}- {item}{newline}"


def _last_position(node: yaml.Node) -> tuple[int, int]:
    """Where a node's own text ends: block mappings end where the next token starts,
    after any comments that follow, so ask their last value instead."""
    if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
        return max(_last_position(part) for pair in node.value for part in pair)
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        return max(_last_position(item) for item in node.value)
    return node.end_mark.line, node.end_mark.column


def _check(old: str, new: str, markdown: bool, entry: Entry) -> None:
    """The new text must read as the old plus the entry, and nothing else."""
    parse = load.parse_markdown if markdown else load.parse_yaml
    before, _ = parse("x", old.replace("\r\n", "\n"))
    after, problems = parse("x", new.replace("\r\n", "\n"))
    expected = dict(before.data or {})
    expected["log"] = [*(expected.get("log") or []), entry.as_data()]
    if problems or after.data != expected or (markdown and after.body != before.body):
        raise CannotAppend("has a shape followup cannot add to safely: add the entry by hand")


def _write(path: Path, text: str) -> None:
    """All or nothing: a crash leaves the old file, never half a new one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, path.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
