"""New record files from the command line, checked by the model before they are written.

The model is the one judge of a value, so an option is refused with the model's own
message (did-you-mean and all), said about the option the user typed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

from followup import load
from followup.importing import Known
from followup.newfile import NewFile, Value, check, free_slug, slugify, taken, write
from followup.problems import Problem

#: How the command line names a field, where that is not --field-name.
_LABELS = {
    "contacts": {"name": "NAME", "tags": "--tag"},
    "companies": {"name": "NAME", "tags": "--tag"},
    "applications": {"company": "COMPANY", "role": "ROLE", "references": "--reference"},
    "interviews": {"application": "APPLICATION", "interviewers": "--with"},
}


class Refused(Exception):
    """What was asked for cannot be written; each line of the message says why."""


def contact(
    root: Path,
    name: str,
    *,
    slug: str | None = None,
    title: str | None = None,
    company: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    prefers: str | None = None,
    tags: Sequence[str] = (),
) -> tuple[NewFile, list[Problem]]:
    """A new contact; refused when someone of that name or email is there (unless --slug)."""
    found = Known(root).person(name, [email or ""])
    if found and slug is None:
        raise Refused(
            f"{name.strip()} is already there: {found[0]} ({found[1]}); "
            "to add another person all the same, name their file with --slug"
        )
    values: list[tuple[str, Value]] = [
        ("name", name.strip()),
        ("title", title),
        ("company", company),
        ("email", email),
        ("phone", phone),
        ("address", address),
        ("prefers", prefers),
        ("tags", list(tags)),
    ]
    return _make(root, "contacts", slugify(name), slug, values)


def company(
    root: Path,
    name: str,
    *,
    slug: str | None = None,
    website: str | None = None,
    size: str | None = None,
    tags: Sequence[str] = (),
) -> tuple[NewFile, list[Problem]]:
    """A new company; refused when one of that name is there (unless --slug)."""
    found = Known(root).company(name)
    if found and slug is None:
        raise Refused(
            f"{name.strip()} is already there: {found[1]}; to add it all the same, use --slug"
        )
    values: list[tuple[str, Value]] = [
        ("name", name.strip()),
        ("website", website),
        ("size", size),
        ("tags", list(tags)),
    ]
    return _make(root, "companies", slugify(name), slug, values)


def application(
    root: Path,
    company: str,
    role: str,
    *,
    slug: str | None = None,
    status: str | None = None,
    applied: str | None = None,
    contact: str | None = None,
    referred_by: Sequence[str] = (),
    references: Sequence[str] = (),
    link: str | None = None,
) -> tuple[NewFile, list[Problem]]:
    """A new application: a lead, or applied for when the day is given."""
    values: list[tuple[str, Value]] = [
        ("company", company),
        ("role", role.strip()),
        ("status", status or ("applied" if applied else "lead")),
        ("applied", applied),
        ("contact", contact),
        ("referred_by", list(referred_by)),
        ("references", list(references)),
        ("link", link),
    ]
    return _make(root, "applications", slugify(f"{company} {role}", 48), slug, values)


def interview(
    root: Path,
    application: str,
    at: str,
    *,
    slug: str | None = None,
    duration: str | None = None,
    kind: str | None = None,
    interviewers: Sequence[str] = (),
    also_met: Sequence[str] = (),
) -> tuple[NewFile, list[Problem]]:
    """A new interview, with a notes section for each interviewer, for their thank-you note."""
    values: list[tuple[str, Value]] = [
        ("application", application),
        ("at", at.strip()),
        ("duration", duration),
        ("kind", kind),
        ("interviewers", list(interviewers)),
        ("also_met", list(also_met)),
    ]
    notes = "".join(f"## {name}\n\n" for name in _names(root, interviewers))
    base = slugify(f"{application} {kind or 'interview'}")
    return _make(root, "interviews", base, slug, values, notes)


def problems_now(root: Path, file: NewFile) -> list[Problem]:
    """The file's problems as it is on disk now: after the user edited it."""
    text, problem = load.read_text(root, file.path)
    if text is None:
        return [problem] if problem else []
    return check(root, [dataclasses.replace(file, text=text)])[file.path]


def _make(
    root: Path,
    folder: str,
    base: str,
    slug: str | None,
    values: list[tuple[str, Value]],
    notes: str | None = None,
) -> tuple[NewFile, list[Problem]]:
    file = NewFile.of(folder, _slug(root, folder, base, slug), values, notes)
    problems = check(root, [file])[file.path]
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise Refused("\n".join(_said(file, problem) for problem in sorted(errors)))
    write(root, file)
    return file, problems


def _slug(root: Path, folder: str, base: str, slug: str | None) -> str:
    used = taken(root, folder)
    if slug is None:
        if not base:
            raise Refused("the name has no letters to make a file name of: give one with --slug")
        return free_slug(base, used)
    if not load.is_slug(slug):
        raise Refused(
            f"--slug: '{slug}' is not a slug: use lowercase letters, digits and hyphens, "
            f"like '{load.suggest_slug(slug)}'"
        )
    if slug in used:
        raise Refused(f"--slug: data/{folder}/{slug} is there already; followup never overwrites")
    return slug


def _said(file: NewFile, problem: Problem) -> str:
    """The model's message about a key, said about the option that gave its value."""
    key = file.key_at(problem.line)
    if not key:
        return problem.message
    label = _LABELS[file.folder].get(key, f"--{key.replace('_', '-')}")
    return f"{label}: {problem.message.removeprefix(f'{key}:').strip()}"


def _names(root: Path, slugs: Sequence[str]) -> list[str]:
    """Each contact's name as its file has it; the slug when it has none."""
    paths = {s.slug: s.path for s in load.find_sources(root)[0] if s.kind == "contacts"}
    names = []
    for slug in slugs:
        data = load.load_document(root, paths[slug])[0].data if slug in paths else None
        name = data.get("name") if isinstance(data, dict) else None
        names.append(name.strip() if isinstance(name, str) and name.strip() else slug)
    return names
