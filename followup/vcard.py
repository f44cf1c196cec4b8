"""vCard in and out: the cards address books export, read; vCard 3.0, written.

Reads 2.1, 3.0 and 4.0 as Google Contacts, Apple Contacts and others write them: folded
lines (even folded inside a UTF-8 character, so unfolding works on bytes), quoted-printable,
TYPE and PREF parameters, itemN. groups labelled by X-ABLabel, and backslash escapes.
Writes what address books and CardDAV clients need: a UID that stays the same from one
export to the next, escaped values, lines folded at 75 octets.
"""

from __future__ import annotations

import quopri
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from followup.importing import Person
from followup.model import Contact, Records
from followup.problems import Problem

#: Never change this: a contact's UID, and so its identity in every address book that
#: holds an export, is derived from it and the slug.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://followup.invalid/contacts")
_LINE_OCTETS = 75
_SKIPPED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})  # pictures and keys: not read
_TYPE_NOISE = frozenset({"internet", "pref", "voice", "x400", "intl", "postal", "parcel"})
_MORE = {"NICKNAME": "Nickname", "BDAY": "Birthday", "ROLE": "Role"}  # kept in the notes
_APPLE_LABEL = re.compile(r"_\$!<(.*)>!\$_")
_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
_CARET = re.compile(r"\^([n^'])")  # RFC 6868, in parameter values


@dataclass(frozen=True, slots=True)
class _Property:
    group: str
    name: str  # upper case
    params: dict[str, list[str]]  # upper-case names
    value: str  # as written: escapes still in
    line: int
    column: int  # where the value starts

    @property
    def types(self) -> list[str]:
        return [t.lower() for t in self.params.get("TYPE", [])]

    @property
    def rank(self) -> int:
        """Lower first: PREF=1 (4.0) or TYPE=pref (3.0), then in the order written."""
        for value in self.params.get("PREF", []):
            if value.isascii() and value.isdigit():
                return int(value)
        return 1 if "pref" in self.types else 101


class _Bad(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def read(path: str, raw: bytes) -> tuple[list[Person], list[Problem]]:
    """The people in one vCard file, and its problems: errors, and warnings for skipped cards."""
    problems: list[Problem] = []
    people: list[Person] = []

    def error(line: int, column: int, message: str) -> None:
        problems.append(Problem(path, line, column, "error", message))

    try:
        cards = _cards(_text_bytes(raw), error)
    except _Bad as bad:
        error(bad.line, bad.column, str(bad))
        return [], problems
    if not cards and not problems:
        error(1, 1, "holds no vCard: expected a line BEGIN:VCARD")
    for begin, props in cards:
        person = _person(path, begin, props)
        if isinstance(person, str):
            problems.append(Problem(path, begin, 1, "warning", person))
        else:
            people.append(person)
    return people, problems


def _cards(
    text: bytes, error: Callable[[int, int, str], None]
) -> list[tuple[int, list[_Property]]]:
    """Each card's BEGIN line and properties; what does not fit is reported, and left out."""
    cards: list[tuple[int, list[_Property]]] = []
    current: tuple[int, list[_Property]] | None = None
    last = ""
    for line, logical in _logical_lines(text):
        try:
            prop = _property(logical, line)
        except _Bad as bad:
            if last not in _SKIPPED:  # vCard 2.1 may leave a picture's lines unindented
                error(bad.line, bad.column, str(bad))
            continue
        last = prop.name
        marker = prop.name in ("BEGIN", "END") and prop.value.strip().upper() == "VCARD"
        if marker and prop.name == "BEGIN":
            if current is not None:
                error(current[0], 1, f"this card has no END:VCARD before the next on line {line}")
            current = (line, [])
        elif marker and current is None:
            error(line, 1, "END:VCARD without a BEGIN:VCARD before it")
        elif marker and current is not None:
            cards.append(current)
            current = None
        elif current is None:
            error(line, 1, f"expected BEGIN:VCARD, found {prop.name}")
        else:
            current[1].append(prop)
    if current is not None:
        error(current[0], 1, "this card has no END:VCARD: is the file cut short?")
    return cards


def _text_bytes(raw: bytes) -> bytes:
    """The file as UTF-8 bytes: a UTF-16 export is converted; other bytes stay for now."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise _Bad(1, 1, "is not UTF-16 text, though it starts as such") from None
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise _Bad(line, 1, "is a binary file, not a vCard file")
    return raw.removeprefix(b"\xef\xbb\xbf")


def _logical_lines(raw: bytes) -> Iterator[tuple[int, bytes]]:
    """Each property with its folded lines joined, and the number of its first line."""
    start, current = 0, b""
    for number, line in enumerate(raw.split(b"\n"), 1):
        line = line.removesuffix(b"\r")
        if current and line[:1] in (b" ", b"\t"):
            current += line[1:]
        elif current and _soft_break(current):
            current = current[:-1] + line  # quoted-printable '=' at the end: no break
        else:
            if current:
                yield start, current
            start, current = number, line
    if current:
        yield start, current


def _soft_break(line: bytes) -> bool:
    head = line.split(b":", 1)[0].upper()
    return line.endswith(b"=") and b"QUOTED-PRINTABLE" in head


def _property(raw: bytes, line: int) -> _Property:
    colon = _unquoted(raw, ord(":"))
    if colon < 0:
        raise _Bad(line, 1, "not a vCard line: expected NAME:value, like FN:Dana Reyes")
    head = _decode(raw[:colon], "utf-8", line, 1)
    parts = _split_quoted(head, ";")
    group, _, name = parts[0].rpartition(".")
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, equals, values = part.partition("=")
        if not equals:  # vCard 2.1: TEL;CELL;PREF
            key, values = "TYPE", key
        for value in _split_quoted(values, ","):
            params.setdefault(key.strip().upper(), []).append(_param_value(value))
    column = colon + 2
    data = raw[colon + 1 :]
    if "QUOTED-PRINTABLE" in (e.upper() for e in params.get("ENCODING", [])):
        data = quopri.decodestring(data)
    charset = (params.get("CHARSET") or ["utf-8"])[0]
    text = _decode(data, charset, line, column).replace("\r\n", "\n")
    return _Property(group, name.strip().upper(), params, text, line, column)


def _decode(raw: bytes, charset: str, line: int, column: int) -> str:
    try:
        return raw.decode(charset)
    except LookupError:
        raise _Bad(line, 1, f"CHARSET={charset}: not a character set Python knows") from None
    except UnicodeDecodeError as error:
        at = column + len(raw[: error.start].decode(charset, errors="replace"))
        byte = raw[error.start]
        message = f"is not {charset} text (byte 0x{byte:02X}): export the contacts as UTF-8"
        raise _Bad(line, at, message) from None


def _unquoted(raw: bytes, char: int) -> int:
    """Where char first occurs outside double quotes, or -1."""
    quoted = False
    for index, byte in enumerate(raw):
        if byte == ord('"'):
            quoted = not quoted
        elif byte == char and not quoted:
            return index
    return -1


def _split_quoted(text: str, separator: str) -> list[str]:
    parts, current, quoted = [], "", False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append(current)
            current = ""
            continue
        current += char
    return [*parts, current]


def _param_value(value: str) -> str:
    value = value.strip().removeprefix('"').removesuffix('"')
    return _CARET.sub(lambda m: {"n": "\n", "^": "^", "'": '"'}[m.group(1)], value)


def _unescape(text: str) -> str:
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _components(value: str, separator: str = ";") -> list[str]:
    """A structured value's parts (N, ADR, ORG), split where the separator is not escaped."""
    parts, current, index = [], "", 0
    while index < len(value):
        char = value[index]
        if char == "\\" and index + 1 < len(value):
            current += value[index : index + 2]
            index += 2
            continue
        if char == separator:
            parts.append(current)
            current = ""
        else:
            current += char
        index += 1
    return [_unescape(part).strip() for part in [*parts, current]]


def _person(path: str, begin: int, props: list[_Property]) -> Person | str:
    """A person from one card's properties, or why the card is skipped."""
    first: dict[str, _Property] = {}
    labels: dict[str, str] = {}
    for prop in props:
        first.setdefault(prop.name, prop)
        if prop.name == "X-ABLABEL" and prop.group:
            labels[prop.group] = _APPLE_LABEL.sub(r"\1", _unescape(prop.value)).strip()

    def text(name: str) -> str:
        return _unescape(first[name].value).strip() if name in first else ""

    def parts(name: str, count: int) -> list[str]:
        found = _components(first[name].value) if name in first else []
        return (found + [""] * count)[:count]

    family, given, additional, prefix, suffix = parts("N", 5)
    company, *departments = parts("ORG", 3)
    kind = text("KIND").lower()
    if kind in ("org", "group") or text("X-ABSHOWAS").upper() == "COMPANY":
        what = "a company" if kind != "group" else "a group"
        return f"skipped: the card of {what} ('{text('FN') or company}'), not of a person"
    name = text("FN") or " ".join(p for p in (prefix, given, additional, family, suffix) if p)
    if not name:
        return "skipped: the card has no name (FN or N)"

    def ranked(name: str) -> list[_Property]:
        return sorted((p for p in props if p.name == name), key=lambda p: p.rank)

    emails, phones, addresses = ranked("EMAIL"), ranked("TEL"), ranked("ADR")
    extras = [("Department", d) for d in departments if d]
    for what, found in (("Email", emails), ("Phone", phones), ("Address", addresses)):
        extras += [(_labelled(what, prop, labels), _value_of(prop)) for prop in found[1:]]
    for prop in props:
        if prop.name in ("URL", "X-SOCIALPROFILE"):
            extras.append((_labelled("Web", prop, labels), _unescape(prop.value).strip()))
        elif prop.name in _MORE:
            extras.append((_MORE[prop.name], _unescape(prop.value).strip()))
    places = {
        key: (found[0].line, found[0].column)
        for key, found in (("email", emails), ("phone", phones), ("address", addresses))
        if found
    }
    if "TITLE" in first:
        places["title"] = (first["TITLE"].line, first["TITLE"].column)
    notes = [_unescape(p.value).strip() for p in props if p.name == "NOTE"]
    return Person(
        name=name,
        source=path,
        line=begin,
        slug_name=f"{given} {family}".strip(),
        title=text("TITLE"),
        company=company,
        email=_value_of(emails[0]) if emails else "",
        phone=_value_of(phones[0]) if phones else "",
        address=_value_of(addresses[0]) if addresses else "",
        notes="\n\n".join(n for n in notes if n),
        extras=tuple((k, v) for k, v in extras if v),
        other_emails=tuple(_value_of(p) for p in emails[1:]),
        places=places,
    )


def _labelled(what: str, prop: _Property, labels: dict[str, str]) -> str:
    """'Email (home)': by its itemN. group's X-ABLabel, else by its TYPE."""
    types = [t for t in prop.types if t not in _TYPE_NOISE]
    label = labels.get(prop.group) or "/".join(dict.fromkeys(types))
    return f"{what} ({label})" if label else what


def _value_of(prop: _Property) -> str:
    """An EMAIL, TEL or ADR as a person writes it."""
    if prop.name == "ADR":
        label = prop.params.get("LABEL")  # vCard 4.0: the address as its owner formats it
        return _unescape(label[0]).strip() if label else _address(_components(prop.value))
    value = _unescape(prop.value).strip()
    if prop.name == "TEL":
        value = value.removeprefix("tel:")
    return value.removeprefix("mailto:") if prop.name == "EMAIL" else value


def _address(parts: list[str]) -> str:
    """ADR's post office box; extended; street; locality; region; code; country, as lines."""
    box, extended, street, locality, region, code, country = (parts + [""] * 7)[:7]
    town = ", ".join(p for p in (locality, " ".join(p for p in (region, code) if p)) if p)
    return "\n".join(p for p in (box, street, extended, town, country) if p)


def write(records: Records) -> str:
    """Every contact as a vCard 3.0, in file-name order, with CRLF line ends."""
    return "".join(card(contact, records) for contact in records.contacts.values())


def uid(slug: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NAMESPACE, slug)}"


def card(contact: Contact, records: Records) -> str:
    given, _, family = contact.name.strip().rpartition(" ")
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "PRODID:-//followup//followup//EN",
        f"UID:{uid(contact.slug)}",
        f"FN:{_escape(contact.name.strip())}",
        f"N:{_escape(family)};{_escape(given)};;;",
    ]
    if contact.company:
        lines.append(f"ORG:{_escape(records.company_name(contact.company))}")
    if contact.title:
        lines.append(f"TITLE:{_escape(contact.title)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{_escape(contact.email)}")
    if contact.phone:
        lines.append(f"TEL;TYPE=VOICE:{_escape(contact.phone)}")
    if contact.address:
        lines.append(f"ADR:;;{_escape(contact.address.strip())};;;;")
        lines.append(f"LABEL:{_escape(contact.address.strip())}")
    if contact.notes.strip():
        lines.append(f"NOTE:{_escape(contact.notes.strip())}")
    if contact.tags:
        lines.append("CATEGORIES:" + ",".join(_escape(tag) for tag in contact.tags))
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def _escape(text: str) -> str:
    """A TEXT value as vCard 3.0 writes it (RFC 2426, 5)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for char, escaped in (("\\", "\\\\"), (",", "\\,"), (";", "\\;"), ("\n", "\\n")):
        text = text.replace(char, escaped)
    return text


def fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space, never inside a character."""
    out, current, size = [], "", 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > _LINE_OCTETS:
            out.append(current)
            current, size = " ", 1
        current += char
        size += octets
    return "\r\n".join([*out, current])
