"""People from address books and exports, added as contact files, never twice.

A person already in data/contacts (same email, or same name) is left alone, so running
an import again changes nothing. The companies they work at are added when missing,
since a contact names its company by slug and a dangling slug is an error.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from followup import load
from followup.newfile import NewFile, ascii_fold, check, free_slug, slugify, taken, write
from followup.problems import Problem

#: Words that name a company's legal form: "Acme, Inc." is the Acme already there.
_LEGAL = frozenset(
    ("inc", "incorporated", "llc", "llp", "ltd", "limited", "corp", "corporation", "co",
     "company", "plc", "gmbh", "ag", "sa", "sas", "srl", "spa", "bv", "nv", "oy", "ab", "pty")
)  # fmt: skip
#: The fields that, when the model refuses their value, go to the notes instead.
_NOTED = {"title": "Title", "email": "Email", "phone": "Phone", "address": "Address"}


@dataclass(frozen=True, slots=True)
class Person:
    """Someone read from an export, and where in it each value came from."""

    name: str
    source: str  # the export file, as given on the command line
    line: int  # where the person starts in it
    slug_name: str = ""  # given and family name, for the slug, when the export has them
    title: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    notes: str = ""
    extras: tuple[tuple[str, str], ...] = ()  # (label, value): everything else, for the notes
    other_emails: tuple[str, ...] = ()  # also theirs: a match on any is the same person
    places: dict[str, tuple[int, int]] = field(default_factory=dict)  # field: (line, column)


@dataclass(frozen=True, slots=True)
class Step:
    action: Literal["add", "exists"]
    path: str  # the file added, or the one that already holds them
    what: str  # the person's or company's name
    why: str = ""  # for "exists": what matched


@dataclass
class Plan:
    files: list[NewFile]
    steps: list[Step]
    problems: list[Problem]  # warnings: values the model refused, kept in the notes


class Known:
    """Who and which companies are in the workspace already, and the slugs taken.

    Read from the files as written, broken or not, so that a person whose file has a
    typo elsewhere is still found.
    """

    def __init__(self, root: Path) -> None:
        self.slugs = {folder: taken(root, folder) for folder in ("contacts", "companies")}
        self.emails: dict[str, str] = {}  # lowercased: path
        self.names: dict[str, str] = {}  # name_key: path
        self.companies: dict[str, tuple[str, str]] = {}  # company_key: (slug, path)
        sources, _ = load.find_sources(root)
        for source in sources:
            if source.kind not in ("contacts", "companies"):
                continue
            data = load.load_document(root, source.path)[0].data
            name = data.get("name") if isinstance(data, dict) else None
            name = name if isinstance(name, str) else ""
            if source.kind == "companies":
                for key in (company_key(name), company_key(source.slug.replace("-", " "))):
                    self.companies.setdefault(key, (source.slug, source.path))
                continue
            email = data.get("email") if isinstance(data, dict) else None
            self.add_person(name, [email] if isinstance(email, str) else [], source.path)

    def add_person(self, name: str, emails: list[str], path: str) -> None:
        if name_key(name):
            self.names.setdefault(name_key(name), path)
        for email in emails:
            if email.strip():
                self.emails.setdefault(email.strip().lower(), path)

    def person(self, name: str, emails: list[str]) -> tuple[str, str] | None:
        """The file of the person with one of these emails or this name, and which matched."""
        for email in emails:
            if email.strip().lower() in self.emails:
                return self.emails[email.strip().lower()], "same email"
        if name_key(name) in self.names:
            return self.names[name_key(name)], "same name"
        return None

    def company(self, name: str) -> tuple[str, str] | None:
        """The slug and file of the company of that name, if there is one."""
        return self.companies.get(company_key(name))


def name_key(name: str) -> str:
    """Names that differ only in case, accents and spacing are the same name."""
    return " ".join(ascii_fold(name).casefold().split()) or " ".join(name.casefold().split())


def company_key(name: str) -> str:
    """Names that differ only in case, accents, punctuation and legal form are one company."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(name).lower())
    while len(words) > 1 and words[-1] in _LEGAL:
        words.pop()
    return " ".join(words) or " ".join(name.casefold().split())


def plan(root: Path, people: list[Person]) -> Plan:
    """What importing these people adds, and who is there already; nothing is written."""
    known = Known(root)
    files: list[NewFile] = []
    steps: list[Step] = []
    people_of: dict[str, tuple[Person, str]] = {}  # by the path of their new file
    for person in people:
        emails = [person.email, *person.other_emails]
        found = known.person(person.name, emails)
        if found:
            steps.append(Step("exists", found[0], person.name, found[1]))
            continue
        company = ""
        if person.company:
            company = _company(person.company, known, files, steps)
        base = slugify(person.slug_name or person.name) or slugify(person.email.split("@")[0])
        slug = free_slug(base or "contact", known.slugs["contacts"])
        file = _contact_file(person, slug, company)
        known.slugs["contacts"].add(slug)
        known.add_person(person.name, emails, file.path)
        files.append(file)
        steps.append(Step("add", file.path, person.name))
        people_of[file.path] = (person, company)
    checked, warnings = _checked(root, files, people_of)
    renamed = {old.path: new.path for old, new in zip(files, checked, strict=True)}
    steps = [dataclasses.replace(step, path=renamed.get(step.path, step.path)) for step in steps]
    return Plan(checked, steps, warnings)


def apply(root: Path, chosen: Plan) -> list[str]:
    """Write the plan's files; the paths of any that appeared meanwhile, which stay as they are."""
    appeared = []
    for file in chosen.files:
        try:
            write(root, file)
        except FileExistsError:
            appeared.append(file.path)
    return appeared


def _company(name: str, known: Known, files: list[NewFile], steps: list[Step]) -> str:
    found = known.company(name)
    if found:
        return found[0]
    base = slugify(company_key(name)) or slugify(name) or "company"
    slug = free_slug(base, known.slugs["companies"])
    file = NewFile.of("companies", slug, [("name", name.strip())])
    known.slugs["companies"].add(slug)
    known.companies[company_key(name)] = (slug, file.path)
    files.append(file)
    steps.append(Step("add", file.path, name.strip()))
    return slug


def _contact_file(person: Person, slug: str, company: str) -> NewFile:
    values = [
        ("name", person.name),
        ("title", person.title),
        ("company", company),
        ("email", person.email),
        ("phone", person.phone),
        ("address", person.address),
    ]
    lines = [f"- {label}: {' / '.join(value.splitlines())}" for label, value in person.extras]
    notes = "\n\n".join(part for part in (person.notes.strip(), "\n".join(lines)) if part)
    return NewFile.of("contacts", slug, values, notes or None)


def _checked(
    root: Path, files: list[NewFile], people_of: dict[str, tuple[Person, str]]
) -> tuple[list[NewFile], list[Problem]]:
    """The files, with any value the model refuses moved to the notes, and a warning each."""
    warnings: list[Problem] = []
    files = list(files)  # a refused value can turn a .yaml into a .md: the caller compares
    found = check(root, files)
    for index, file in enumerate(files):
        errors = [p for p in found[file.path] if p.severity == "error"]
        if not errors:
            continue
        if file.path not in people_of:
            raise ValueError(f"{file.path}: {errors[0].message}")  # a fault of ours
        person, company = people_of[file.path]
        for problem in errors:
            key = file.key_at(problem.line)
            if key not in _NOTED:
                raise ValueError(f"{file.path}: {problem.message}")  # a fault of ours
            value: str = getattr(person, key)
            line, column = person.places.get(key, (person.line, 1))
            message = f"{problem.message}: kept in the notes instead"
            warnings.append(Problem(person.source, line, column, "warning", message))
            changes: dict[str, Any] = {key: "", "extras": (*person.extras, (_NOTED[key], value))}
            person = dataclasses.replace(person, **changes)
        files[index] = _contact_file(person, file.slug, company)
    return files, warnings
