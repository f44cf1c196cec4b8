"""Recording what I did: which file an activity belongs in, what it says, and its commit.

`followup done` and `followup log` end here; append.py does the writing. A task
that an activity cannot fulfil (a date to fill in) is refused with where to
write that date instead.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from followup import clock, rules
from followup.append import Entry
from followup.model import Activity, Application, Contact, Interview, Records
from followup.problems import did_you_mean
from followup.rules import Task

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
        did = "call" if person.prefers == "phone" else "message"
        entry = Entry(on, did, None, via or _preferred(person), note)
        return Record(person.path, entry, f"Kept in touch with {name}")
    raise CannotRecord(f"no activity is known that does '{task.id}'")


#: What an activity must be to count, by rule, for when one would not.
_COUNTS_FROM = {
    "thank-you": "a thank-you counts from the moment the interview began",
    "thank-everyone": "a thank-you counts from the day the job was won ('closed')",
    "follow-up-call": "a call counts from the last thank-you note of the interview",
}


def fulfils(records: Records, record: Record, task: Task) -> str:
    """'' when the entry, once in its file, does the task (the rules say so, not a
    guess); else why not. Rolling tasks are never done: an entry moves them on."""
    if task.rule not in _COUNTS_FROM:
        return ""
    updated = _with(records, record)
    at = clock.parse_datetime(record.entry.on, records.settings.zone)
    if any(t.id == task.id and t.status == "done" for t in rules.tasks(updated, at)):
        return ""
    return f"an entry on {record.entry.on} would not count: {_COUNTS_FROM[task.rule]}"


def _with(records: Records, record: Record) -> Records:
    """The records as they will be once the entry is in its file."""
    entry, zone = record.entry, records.settings.zone
    owner = _record_at(records, record.path)
    application = entry.application
    if isinstance(owner, Interview):
        application = owner.application
    elif isinstance(owner, Application):
        application = owner.slug
    activity = Activity(
        on=clock.parse_datetime(entry.on, zone),
        did=entry.did,
        with_=entry.with_ or (owner.slug if isinstance(owner, Contact) else None),
        via=entry.via,
        note=entry.note or "",
        application=application,
        path=record.path,
        line=0,
        column=0,
    )
    if isinstance(owner, Contact):
        contacts = {**records.contacts, owner.slug: replace(owner, log=(*owner.log, activity))}
        return replace(records, contacts=contacts)
    if isinstance(owner, Application):
        apps = {**records.applications, owner.slug: replace(owner, log=(*owner.log, activity))}
        return replace(records, applications=apps)
    interviews = {**records.interviews, owner.slug: replace(owner, log=(*owner.log, activity))}
    return replace(records, interviews=interviews)


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
        try:
            done = subprocess.run(
                ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
            )
        except OSError as error:
            raise CannotRecord(f"git could not be run ({error.strerror})") from None
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


def _record_at(records: Records, path: str) -> Contact | Application | Interview:
    """The record a data file holds, found by its path."""
    groups: tuple[dict[str, Contact], dict[str, Application], dict[str, Interview]] = (
        records.contacts, records.applications, records.interviews,
    )  # fmt: skip
    for group in groups:
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
    """The channel they prefer (each is also a `via`), else the one we have for them."""
    if person is None:
        return None
    return person.prefers or ("email" if person.email else "phone" if person.phone else None)
