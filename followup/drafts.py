"""Thank-you note drafts: one per person owed a note, each its own.

Seed 002: "Write individual thank-you note cards or letters to each person who
interviewed you ... Say something slightly different in each one." A draft
uses that person's section of the interview notes, and its opening and
closing differ from those of the other people of the same interview.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from functools import lru_cache, partial
from operator import attrgetter
from pathlib import Path
from urllib.parse import quote

from jinja2 import Environment

from followup import store, templating
from followup.model import Application, Contact, Interview, Records, Settings
from followup.pickling import by_fields
from followup.rules import Task

#: Longest mailto: link a mail client reliably opens.
MAILTO_LIMIT = 2000
_HEADING = re.compile(r"^(#{1,2})\s+(.+?)\s*#*\s*$")
_SCREENS = ("phone",)


@by_fields
@dataclass(frozen=True, slots=True)
class Section:
    """What I wrote about one person in an interview's notes."""

    text: str
    line: int  # the file's line the text starts on

    @property
    def prose(self) -> str:
        """The text as a note's paragraphs: the notes' own line breaks undone."""
        paragraphs = re.split(r"\n\s*\n", self.text)
        return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


@by_fields
@dataclass(frozen=True, slots=True)
class Draft:
    task: Task
    contact: Contact
    folder: str  # the interview's slug, or the application's for thank-everyone
    variant: str  # which template: after-screen, after-interview or thanks-for-helping
    channel: str  # how it goes: email, mail, card, phone or fax
    subject: str
    body: str
    section: Section | None  # the notes it drew on, if any
    source: str  # the file the notes come from, to point problems at

    @property
    def path(self) -> str:
        """Where its files go in the site, without an ending."""
        return f"drafts/{self.folder}/{self.contact.slug}"

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"


def sections(notes: str, first_line: int) -> dict[str, Section]:
    """The notes under each '## heading', by the heading's text folded to lower case."""
    found: dict[str, Section] = {}
    name, start, lines = None, 0, notes.split("\n")
    for number, line in enumerate([*lines, "# end"]):
        heading = _HEADING.match(line)
        if not heading:
            continue
        if name is not None:
            text = "\n".join(lines[start:number]).strip()
            offset = next((i for i, t in enumerate(lines[start:number]) if t.strip()), 0)
            found.setdefault(name, Section(text, first_line + start + offset))
        name = fold(heading.group(2)) if len(heading.group(1)) == 2 else None
        start = number + 1
    return found


def fold(name: str) -> str:
    """A heading or name as headings are matched: 'Émile Zola' finds '## Emile zola'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return " ".join(plain.casefold().split())


def section_for(contact: Contact, notes: dict[str, Section]) -> Section | None:
    """The section headed with the person's name or slug; '## Dana' works too."""
    first = contact.name.split()[0] if contact.name.split() else ""
    for key in (fold(contact.name), fold(contact.slug), fold(first)):
        if key in notes and notes[key].text:
            return notes[key]
    return None


def environment(root: Path) -> Environment:
    """Plain text, not HTML: the site escapes drafts where it shows them."""
    return templating.environment(root, autoescape=False, keep_trailing_newline=True)


#: A draft with all it was made from.
Made = tuple[tuple[object, ...], "Draft"]
#: A task owed a note, as the last build made its draft: its turn among its interview's
#: people, the records it reads, (folder, slug), and its draft, if it has one.
_Entry = tuple[Task, int, frozenset[tuple[str, str]], "Draft | None"]


class Kept:
    """What watch keeps of the drafts made with one set of templates: each with all it
    was made from, by task id; and the last build's entries, with the records and tasks
    they were made from, so that a save looks again only at the drafts whose records
    changed (not at all 4,000, at N=2000: 39 ms a save)."""

    def __init__(self) -> None:
        self.memo: store.Memo[Made] = store.Memo()
        self.last: tuple[Records, list[Task], list[_Entry]] | None = None


def drafts(
    records: Records,
    tasks: list[Task],
    env: Environment,
    remembered: Kept | None = None,
    stored: store.Memo[Draft] | None = None,
) -> list[Draft]:
    """A draft for every thank-you and thank-everyone task not yet done.

    remembered, the last build's drafts made with env, is what watch keeps: a draft made
    from the same records (the same objects, as watch reads an unchanged file's record
    once) is not made again. stored, drafts made with the same templates, by a digest of
    what they were made from (records by their files' digests), is what a build in a
    new process finds in the cache.
    """
    kept = remembered if remembered is not None else Kept()
    same = kept.last is not None and store.same_objects(kept.last[1], tasks)
    owed = None if same else _owed(tasks)  # (the very same tasks owe the same notes)
    try:
        entries = _again(records, kept, owed, env) if kept.last else None
        if entries is None:
            entries = []
            turn: dict[str, int] = {}  # how many people of an interview already have one
            for task in owed if owed is not None else _owed(tasks):
                folder = _folder(records, task)
                index = turn.get(folder or "", 0)
                if folder is not None:
                    turn[folder] = index + 1
                draft = _one(records, task, env, index, kept.memo, stored) if folder else None
                entries.append((task, index, _reads(records, task), draft))
    except BaseException:
        kept.memo.abandon()  # (drafts made from records the next build may not have)
        raise
    kept.memo.turn()
    kept.last = (records, tasks, entries)
    return [draft for *_, draft in entries if draft is not None]


def _owed(tasks: list[Task]) -> list[Task]:
    """The tasks owed a note, by id: the order their turns are counted in."""
    open_notes = (t for t in tasks if t.status != "done" and t.rule in _NOTES)
    return sorted(open_notes, key=attrgetter("id"))


_NOTES = ("thank-you", "thank-everyone")


def _again(
    records: Records, kept: Kept, owed: list[Task] | None, env: Environment
) -> list[_Entry] | None:
    """The last build's entries, each made again if a record it reads changed; None
    when that would not do: other tasks owed notes (None: the same), other settings, or
    a draft that would come or go (the turns of the others would move)."""
    assert kept.last is not None
    was, _, entries = kept.last
    since = records.since
    if since is None or since[0] is not was or ("settings", "") in since[1]:
        return None
    if owed is not None and not store.same_objects([entry[0] for entry in entries], owed):
        return None
    changed = since[1]
    interviews = any(folder == "interviews" for folder, _ in changed)  # (who helped)
    found: list[_Entry] = []
    for entry in entries:
        task, index, reads, draft = entry
        if reads.isdisjoint(changed) and not (interviews and task.rule == "thank-everyone"):
            if draft is not None:
                kept.memo.keep(task.id)
            found.append(entry)
            continue
        again = _one(records, task, env, index, kept.memo, None) if _folder(records, task) else None
        if (again is None) != (draft is None):
            return None
        found.append((task, index, _reads(records, task), again))
    return found


def _folder(records: Records, task: Task) -> str | None:
    """Where the task's draft goes, or None if it has none: a record is missing."""
    app = records.applications.get(task.application or "")
    if task.contact not in records.contacts or app is None:
        return None
    if task.rule == "thank-everyone":
        return app.slug
    interview = records.interviews.get(task.interview or "")
    return interview.slug if interview else None


def _reads(records: Records, task: Task) -> frozenset[tuple[str, str]]:
    """The records a task's draft is made from, (folder, slug), with their companies."""
    app = records.applications.get(task.application or "")
    contact = records.contacts.get(task.contact or "")
    found = {
        ("contacts", task.contact or ""),
        ("applications", task.application or ""),
        ("interviews", task.interview or ""),
    }
    for company in (app and app.company, contact and contact.company):
        if company:
            found.add(("companies", company))
    return frozenset(found)


def _one(
    records: Records,
    task: Task,
    env: Environment,
    index: int,
    memo: store.Memo[Made],
    stored: store.Memo[Draft] | None,
) -> Draft:
    """The task's draft, made again only if something it is made from is new."""
    contact = records.contacts[task.contact or ""]
    app = records.applications[task.application or ""]
    interview = records.interviews.get(task.interview or "")
    helped = []
    if task.rule == "thank-everyone":
        helped = _how_they_helped(records, app, contact.slug)
    names = (records.company_name(app.company), _company_of(records, contact))
    inputs = (task, contact, app, interview, records.settings, names, index, helped)
    make = partial(_draft, records, task, contact, app, interview, env, index, helped)
    if stored is not None:
        key = partial(_key, records, task, (contact, app, interview), (names, index, helped))
        make = partial(_kept, stored, key, make)
    draft = memo.get(task.id, partial(_made, inputs, make), partial(_made_of, inputs))[1]
    return draft if draft.task is task else replace(draft, task=task)


def _kept(stored: store.Memo[Draft], key: Callable[[], str], make: Callable[[], Draft]) -> Draft:
    return stored.get(key(), make)


def _key(
    records: Records,
    task: Task,
    of: tuple[Contact, Application, Interview | None],
    rest: tuple[object, ...],
) -> str:
    """What a draft is made from, with each record as its file."""
    files = [records.file_of(record) for record in of if record]
    found = (records.settings.zone.key, _settings(records.settings), task, files, rest)
    return store.digest_of(found)


@lru_cache(maxsize=4)
def _settings(settings: Settings) -> str:
    return store.digest_of(settings)


def _made(inputs: tuple[object, ...], make: Callable[[], Draft]) -> Made:
    return inputs, make()


def _made_of(inputs: tuple[object, ...], made: Made) -> bool:
    return made[0] == inputs


def _draft(
    records: Records,
    task: Task,
    contact: Contact,
    app: Application,
    interview: Interview | None,
    env: Environment,
    index: int,
    helped: list[str],
) -> Draft:
    if task.rule == "thank-you":
        assert interview is not None
        folder = interview.slug
        notes = sections(interview.notes, interview.notes_line)
        section = section_for(contact, notes)
        source = interview.path
        screen = interview.kind in _SCREENS or _is_recruiter(contact)
        variant = "after-screen" if screen else "after-interview"
        context: dict[str, object] = _interview_context(records, interview)
    else:
        folder, section, source = app.slug, None, contact.path
        variant = "thanks-for-helping"
        context = {"helped": helped}
    text = env.get_template(f"notes/{variant}.txt").render(
        me=records.settings.me,
        person=_person(records, contact),
        app=app,
        company=records.company_name(app.company),
        pitch=(app.pitch or "").strip(),
        section=section.prose if section else "",
        turn=index,
        **context,
    )
    subject, body = _split(text)
    return Draft(task, contact, folder, variant, _channel(contact), subject, body, section, source)


def eml(draft: Draft, records: Records) -> bytes:
    """An unsent message that Outlook and Thunderbird open as a draft (X-Unsent: 1).

    The bytes of `EmailMessage(policy=SMTP)` with these headers, then the content, as
    `as_bytes` writes them; each header is written once per value, as parsing one
    costs the email package more than the rest of the message (4,000 drafts, 3 s)."""
    me = records.settings.me
    headers = (
        _header("To", _address(draft.contact.name, draft.contact.email))
        + _header("From", _address(me.name, me.email))
        + _header("Subject", draft.subject)
        + _header("X-Unsent", "1")
    )
    content = EmailMessage(policy=SMTP)
    content.set_content(draft.body)
    return headers + content.as_bytes()


@lru_cache(maxsize=8192)
def _header(name: str, value: str) -> bytes:
    """One header's lines, as a message's `as_bytes` writes them."""
    return SMTP.fold_binary(*SMTP.header_store_parse(name, value))


def digest(draft: Draft) -> str:
    """A digest of all that a draft's files show but the sender: its place, channel,
    addressee, subject and body. Remembered: watch asks at every save, for every draft."""
    to = draft.contact
    return _digest(draft.path, draft.channel, to.name, to.email, draft.subject, draft.body)


@lru_cache(maxsize=1 << 15)
def _digest(*shown: str | None) -> str:
    return store.digest_of(shown)


def mailto(draft: Draft) -> str:
    """A mailto: link with the subject and as much of the body as fits in MAILTO_LIMIT."""
    return _mailto(draft.contact.email or "", draft.subject, draft.body)


@lru_cache(maxsize=8192)
def _mailto(email: str, subject: str, text: str) -> str:
    """Remembered, as watch makes the same links again at every save (a draft's body is
    about as long as the link, and percent-encoding it is slow)."""
    base = f"mailto:{quote(email, safe='@')}?subject={_encode(subject)}"
    paragraphs = text.split("\n\n")
    for keep in range(len(paragraphs), 0, -1):
        body = "\n\n".join(paragraphs[:keep])
        if keep < len(paragraphs):
            body += "\n\n[...]"
        link = f"{base}&body={_encode(body)}"
        if len(link) <= MAILTO_LIMIT:
            return link
    return base


def _encode(text: str) -> str:
    """A mailto: field, percent-encoded as quote(..., safe="") does, lines ending in CRLF:
    with a table joined in C, faster than quote's walk through the bytes."""
    data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8")
    return "".join(map(_PERCENT.__getitem__, data))


#: Each byte as a URL shows it: unreserved characters as they are (RFC 3986), the rest
#: as %XX.
_PERCENT = [
    chr(byte) if chr(byte) in string.ascii_letters + string.digits + "-._~" else f"%{byte:02X}"
    for byte in range(256)
]


@lru_cache(maxsize=8192)
def _address(name: str, email: str | None) -> str:
    return str(Address(display_name=name, addr_spec=email)) if email else ""


def _split(text: str) -> tuple[str, str]:
    """A rendered note's 'Subject: ...' first line, and its body."""
    first, _, rest = text.lstrip("\n").partition("\n")
    if first.lower().startswith("subject:"):
        return first.partition(":")[2].strip(), rest.strip("\n") + "\n"
    return "Thank you", text.strip("\n") + "\n"


def _channel(contact: Contact) -> str:
    if contact.prefers:
        return contact.prefers
    return "email" if contact.email else "mail" if contact.address else "email"


def _is_recruiter(contact: Contact) -> bool:
    return any(word in (contact.title or "").lower() for word in ("recruit", "talent"))


def _person(records: Records, contact: Contact) -> dict[str, str]:
    parts = contact.name.split()
    return {
        "name": contact.name,
        "first_name": parts[0] if parts else contact.name,
        "title": contact.title or "",
        "company": _company_of(records, contact),
    }


def _company_of(records: Records, contact: Contact) -> str:
    return records.company_name(contact.company) if contact.company else ""


def _interview_context(records: Records, interview: Interview) -> dict[str, object]:
    local = interview.at.astimezone(records.settings.zone)
    return {"kind": interview.kind or "", "day": _day(local)}


def _day(local: datetime) -> str:
    """'Friday, November 20', as a note says a day."""
    return f"{local:%A}, {local:%B} {local.day}"


def _how_they_helped(records: Records, app: Application, person: str) -> list[str]:
    """What each role did for me, in words a note can use."""
    roles = []
    if person in app.referred_by:
        roles.append("telling me about the opening and putting in a word for me")
    if person in app.references:
        roles.append("being one of my references")
    interviewed = any(
        person in interview.interviewers for interview in records.index.interviews_of[app.slug]
    )
    if interviewed:
        roles.append("your time and thoughtful questions during the interviews")
    if person == app.contact and not interviewed:
        roles.append("guiding me through the process")
    return roles or ["your help along the way"]
