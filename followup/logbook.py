"""Recording what I did: which file an activity belongs in, what it says, and its commit.

`followup done` and `followup log` end here; append.py does the writing. A task
that an activity cannot fulfil (a date to fill in) is refused with where to
write that date instead.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from followup.append import Entry
from followup.model import Contact, Records
from followup.problems import did_you_mean
from followup.rules import Task

#: How each channel someone prefers is logged as `via`.
_VIA = {"email": "email", "mail": "mail", "card": "card", "phone": "phone", "fax": "fax"}
#: How a commit message names an interview of each kind.
_OCCASIONS = {
    "phone": "phone screen",
    "video": "video interview",
    "onsite": "onsite",
    "panel": "panel interview",
}
_VERBS = {
    "thank-you": "Thank-you note to",
    "call": "Called",
    "message": "Messaged",
    "meeting": "Met",
    "reply": "Reply from",
}


class CannotRecord(Exception):
    """What was asked cannot be written as an activity; the message says what to do."""


@dataclass(frozen=True, slots=True)
class Record:
    path: str  # the file, relative to the workspace
    entry: Entry
    message: str  # the commit message a person would write


def for_task(
    records: Records,
    task: Task,
    at: datetime,
    via: str | None = None,
    note: str | None = None,
) -> Record:
    """The activity that fulfils a task, in the file it belongs in."""
    if task.rule == "reference-permission":
        contact = records.contacts[task.contact or ""]
        raise CannotRecord(
            f"permission is a date, not an activity: set reference.granted in {contact.path}"
        )
    if task.rule == "decision-date":
        path = records.applications[task.application or ""].path
        raise CannotRecord(f"write the date they gave you as decision_by in {path}")
    person = records.contacts.get(task.person or "")
    on = _local(records, at)
    app = records.applications.get(task.application or "")
    job = f" about the {app.role} job at {records.company_name(app.company)}" if app else ""
    name = records.name_of(task.person)
    if task.rule == "thank-you":
        interview = records.interviews[task.interview or ""]
        kind = _OCCASIONS.get(interview.kind or "", "interview")
        company = records.company_name(app.company) if app else ""
        entry = Entry(on, "thank-you", task.contact, via or _preferred(person), note)
        return Record(interview.path, entry, f"Thank-you note to {name} after the {company} {kind}")
    if task.rule == "thank-everyone" and app:
        entry = Entry(on, "thank-you", task.contact, via or _preferred(person), note)
        message = f"Thanked {name} for helping me land the {app.role} job"
        return Record(app.path, entry, message)
    if task.rule in ("follow-up-call", "check-in") and app:
        calls = task.rule == "follow-up-call" or (person is not None and person.prefers == "phone")
        did = "call" if calls else "message"
        entry = Entry(on, did, task.person, via or ("phone" if calls else _preferred(person)), note)
        verb = "Called" if calls else "Checked in with"
        return Record(app.path, entry, f"{verb} {name}{job}")
    if task.rule == "stay-in-touch" and person:
        entry = Entry(on, "message", None, via or _preferred(person), note)
        return Record(person.path, entry, f"Kept in touch with {name}")
    raise CannotRecord(f"no activity is known that does '{task.id}'")


def for_file(
    records: Records,
    path: str,
    did: str,
    at: datetime,
    *,
    with_: str | None = None,
    via: str | None = None,
    note: str | None = None,
    application: str | None = None,
) -> Record:
    """An activity for `followup log FILE`, checked like the model checks a file."""
    record = _record_at(records, path)
    if with_ is not None and with_ not in records.contacts:
        raise CannotRecord(f"no contact '{with_}'{did_you_mean(with_, records.contacts)}")
    if application is not None:
        if not isinstance(record, Contact):
            raise CannotRecord("--application is only for a contact file; this file's own counts")
        if application not in records.applications:
            hint = did_you_mean(application, records.applications)
            raise CannotRecord(f"no application '{application}'{hint}")
    if isinstance(record, Contact) and with_ == record.slug:
        with_ = None  # in a contact file, `with` is that contact
    entry = Entry(_local(records, at), did, with_, via, note, application)
    person = with_ or (record.slug if isinstance(record, Contact) else None)
    about = records.applications.get(application or "")
    message = f"{_VERBS[did]} {records.name_of(person)}" if person else _VERBS[did].split()[0]
    if about:
        message += f" about the {about.role} job at {records.company_name(about.company)}"
    return Record(path, entry, message)


def commit(root: Path, path: str, message: str) -> str:
    """Commit just that file; the short hash. Raises CannotRecord with git's own words."""
    for args in (["add", "--", path], ["commit", "-q", "-m", message, "--", path]):
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            said = (done.stderr or done.stdout).strip().splitlines()
            raise CannotRecord(f"git {args[0]} failed: {said[-1] if said else 'no reason given'}")
    done = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def _record_at(records: Records, path: str) -> object:
    """The record a data file holds, found by its path."""
    for group in (records.contacts, records.applications, records.interviews):
        for record in group.values():
            if record.path == path:
                return record
    raise CannotRecord(
        f"{path} is not a contact, application or interview file that reads without errors"
    )


def _local(records: Records, at: datetime) -> str:
    """A moment as the files write it: on the workspace's clock, to the minute."""
    return at.astimezone(records.settings.zone).strftime("%Y-%m-%d %H:%M")


def _preferred(person: Contact | None) -> str | None:
    return _VIA.get(person.prefers or "") if person else None
