"""LinkedIn's Connections.csv: a few lines of notes, a header row, then one row per person.

Columns are found by their header, so that an export missing some (older ones have no
Email Address) still reads; only First Name and Last Name must be there.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from followup.importing import Person
from followup.problems import Problem

#: LinkedIn's header, lower-cased, and what each column holds.
_COLUMNS = {
    "first name": "first",
    "last name": "last",
    "url": "url",
    "email address": "email",
    "email": "email",
    "company": "company",
    "position": "title",
    "connected on": "connected",
}


@dataclass(frozen=True, slots=True)
class _Row:
    line: int  # where the row starts
    cells: list[str]
    columns: list[tuple[int, int]]  # (line, column) where each cell starts


def read(path: str, text: str) -> tuple[list[Person], list[Problem]]:
    """The people in the export, and its problems: errors, and warnings for skipped rows."""
    problems: list[Problem] = []
    people: list[Person] = []
    header: dict[str, int] | None = None
    try:
        for row in _rows(text):
            if header is None:
                header = _header(row.cells)
                continue
            if not any(cell.strip() for cell in row.cells):
                continue
            person = _person(path, row, header)
            if person is None:
                message = "skipped: the row has no First Name or Last Name"
                problems.append(Problem(path, row.line, 1, "warning", message))
            else:
                people.append(person)
    except _BadRow as bad:
        problems.append(Problem(path, bad.line, 1, "error", f"not CSV: {bad}"))
        return [], problems
    if header is None:
        message = (
            "no header row with First Name and Last Name: "
            "is this the Connections.csv of LinkedIn's data export?"
        )
        problems.append(Problem(path, 1, 1, "error", message))
    return people, problems


def _header(cells: list[str]) -> dict[str, int] | None:
    """The column of each field, if these cells are the header row; the notes above are not."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _COLUMNS.get(" ".join(cell.split()).lower())
        if key:
            found.setdefault(key, index)
    return found if {"first", "last"} <= found.keys() else None


def _person(path: str, row: _Row, header: dict[str, int]) -> Person | None:
    def cell(key: str) -> str:
        index = header.get(key, len(row.cells))
        return row.cells[index].strip() if index < len(row.cells) else ""

    name = " ".join(part for part in (cell("first"), cell("last")) if part)
    if not name:
        return None
    extras = [("LinkedIn", cell("url"))]
    if cell("connected"):
        extras.append(("Connected on LinkedIn", _date(cell("connected"))))
    places: dict[str, tuple[int, int]] = {
        key: row.columns[header[key]]
        for key in ("email", "title")
        if key in header and header[key] < len(row.columns)
    }
    return Person(
        name=name,
        source=path,
        line=row.line,
        slug_name=name,
        title=cell("title"),
        company=cell("company"),
        email=cell("email"),
        extras=tuple((label, value) for label, value in extras if value),
        places=places,
    )


def _date(text: str) -> str:
    """'12 Nov 2024' as 2024-11-12; a date written some other way stays as it is."""
    for layout in ("%d %b %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%y", "%m/%d/%Y"):
        try:
            return datetime.strptime(text, layout).date().isoformat()
        except ValueError:
            continue
    return text


class _BadRow(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _rows(text: str) -> Iterator[_Row]:
    """The CSV's rows, each with where it and each of its cells start."""
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        pieces = text.split("\n")  # only "\n": a cell may hold other line separators
        for index, piece in enumerate(pieces):
            consumed.append(piece + "\n" if index < len(pieces) - 1 else piece)
            yield consumed[-1]

    reader = csv.reader(lines(), strict=True)  # a quote never closed is an error, not a name
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _BadRow(line, str(error)) from None
        raw = "".join(consumed)
        consumed.clear()
        yield _Row(line, cells, _starts(raw, line))
        line += raw.count("\n")


def _starts(raw: str, line: int) -> list[tuple[int, int]]:
    """Where each cell of a row starts, as 1-based (line, column)."""
    starts, quoted = [0], False
    for index, char in enumerate(raw):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            starts.append(index + 1)
    return [(line + raw.count("\n", 0, at), at - (raw.rfind("\n", 0, at) + 1) + 1) for at in starts]
