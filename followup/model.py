"""Typed records from documents, checked one by one and against each other.

Every mistake becomes a problem at the position of the key or value it is
about; a record with errors is still built from its good fields where it can
be, so that one typo does not hide the problems of every file that names it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from functools import cached_property
from itertools import chain
from operator import attrgetter
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from followup import clock, store
from followup.clock import Duration
from followup.load import RECORD_FOLDERS, Document, Loc, Source, is_slug
from followup.pickling import by_fields, by_new_ids
from followup.problems import Problem, did_you_mean, fault
from followup.schema import ACTIVE, CLOSED, RECORDS, Field

#: What passes for an email address; the editor schemas check with it too.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_URL = re.compile(r"(https?://|mailto:|tel:)\S+", re.IGNORECASE)
R = TypeVar("R")
_BAD = object()  # a value that was wrong; its problem is already reported

_KIND_NAMES = {"contacts": "contact", "companies": "company", "applications": "application"}


@by_fields
@dataclass(frozen=True, slots=True)
class Activity:
    """Something I did with someone (or they did: a reply), logged in some file."""

    on: datetime
    did: str
    with_: str | None
    via: str | None
    note: str
    application: str | None  # the application it is on, if any
    path: str  # the file it is logged in
    line: int
    column: int

    @property
    def outgoing(self) -> bool:
        return self.did != "reply"


@by_fields
@dataclass(frozen=True, slots=True)
class Me:
    name: str = ""
    email: str | None = None
    phone: str | None = None
    address: str | None = None


@by_fields
@dataclass(frozen=True, slots=True)
class Rules:
    thank_you_within: Duration = Duration(24, "h")
    call_opens_after_note: Duration = Duration(48, "h")
    call_due_after_note: Duration = Duration(72, "h")
    check_in_every: Duration = Duration(7, "d")
    network_every: Duration = Duration(90, "d")
    thank_everyone_within: Duration = Duration(7, "d")
    min_active_applications: int = 3


@dataclass(frozen=True, slots=True)
class Settings:
    zone: ZoneInfo
    me: Me = Me()
    rules: Rules = Rules()


@by_fields
@dataclass(frozen=True, slots=True)
class Reference:
    asked: date | None = None
    granted: date | None = None


@by_fields
@dataclass(frozen=True, slots=True)
class Contact:
    slug: str
    path: str
    name: str
    title: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    address: str | None = None
    prefers: str | None = None
    reference: Reference | None = None
    stay_in_touch: Duration | None = None
    tags: tuple[str, ...] = ()
    log: tuple[Activity, ...] = ()
    notes: str = ""


@by_fields
@dataclass(frozen=True, slots=True)
class Company:
    slug: str
    path: str
    name: str
    website: str | None = None
    size: str | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""


@by_fields
@dataclass(frozen=True, slots=True)
class Application:
    slug: str
    path: str
    company: str
    role: str
    status: str
    applied: date | None = None
    contact: str | None = None
    referred_by: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    decision_by: date | None = None
    closed: date | None = None
    link: str | None = None
    pitch: str | None = None
    log: tuple[Activity, ...] = ()

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


@by_fields
@dataclass(frozen=True, slots=True)
class Interview:
    slug: str
    path: str
    application: str
    at: datetime
    end: datetime
    kind: str | None = None
    interviewers: tuple[str, ...] = ()
    also_met: tuple[str, ...] = ()
    log: tuple[Activity, ...] = ()
    notes: str = ""
    notes_line: int = 1  # the file's line the notes begin on, to point into them

    @property
    def name(self) -> str:
        """'onsite interview', or 'interview' when its kind is not given."""
        return f"{self.kind} interview" if self.kind else "interview"


def by_key() -> defaultdict[str, list[Any]]:
    return defaultdict(list)


@dataclass(frozen=True)
class Index:
    """The records seen from the sides the rules and pages look from; lists in time order."""

    activities_on: defaultdict[str, list[Activity]] = field(default_factory=by_key)  # application
    activities_with: defaultdict[str, list[Activity]] = field(default_factory=by_key)  # person
    interviews_of: defaultdict[str, list[Interview]] = field(default_factory=by_key)  # application
    interviewed_by: defaultdict[str, list[Interview]] = field(default_factory=by_key)  # person
    met: defaultdict[str, list[Interview]] = field(default_factory=by_key)  # person, also_met too
    involved_in: defaultdict[str, list[str]] = field(default_factory=by_key)  # person: applications
    applications_at: defaultdict[str, list[str]] = field(default_factory=by_key)  # company
    people_at: defaultdict[str, list[str]] = field(default_factory=by_key)  # company
    #: The index this one was made from by putting the changed records in where theirs
    #: were, and the (side, key) lists that changed; the lists of the others are its.
    since: tuple[Index, frozenset[tuple[str, str]]] | None = field(default=None, compare=False)


#: An index's sides (the since is not one).
INDEX_SIDES = tuple(f.name for f in fields(Index) if f.compare)


@dataclass(frozen=True)
class Records:
    """Everything in a workspace, by slug, in file-name order."""

    settings: Settings
    contacts: dict[str, Contact] = field(default_factory=dict)
    companies: dict[str, Company] = field(default_factory=dict)
    applications: dict[str, Application] = field(default_factory=dict)
    interviews: dict[str, Interview] = field(default_factory=dict)
    #: Each record file's path and a digest of its text: a record is a function of its
    #: file and the time zone, so a page made from it is the same while these are.
    digests: dict[str, str] = field(default_factory=dict)
    #: The last build's records, as watch keeps them, and which records are not the very
    #: same objects as theirs, (folder, slug), ("settings", "") if the settings differ:
    #: what a rebuild looks at again. Set by build, which clears the last records' own
    #: (as _index_since does an index's), so that no chain of builds stays alive.
    since: tuple[Records, frozenset[tuple[str, str]]] | None = field(default=None, compare=False)

    def activities(self) -> Iterator[Activity]:
        for group in (self.contacts, self.applications, self.interviews):
            for record in group.values():
                yield from record.log

    @cached_property
    def index(self) -> Index:
        """Built once, on first use, so that nothing scans every record per record; or
        by build, from the last records' (see _index_since)."""
        index = Index()
        for activity in sorted(self.activities(), key=lambda a: a.on):
            if activity.application:
                index.activities_on[activity.application].append(activity)
            if activity.with_:
                index.activities_with[activity.with_].append(activity)
        for interview in sorted(self.interviews.values(), key=lambda i: i.at):
            index.interviews_of[interview.application].append(interview)
            for person in interview.interviewers:
                index.interviewed_by[person].append(interview)
            for person in dict.fromkeys((*interview.interviewers, *interview.also_met)):
                index.met[person].append(interview)
        for app in self.applications.values():
            index.applications_at[app.company].append(app.slug)
            interviewers = (p for i in index.interviews_of[app.slug] for p in i.interviewers)
            helpers = (app.contact, *app.referred_by, *app.references, *interviewers)
            for person in dict.fromkeys(p for p in helpers if p):
                index.involved_in[person].append(app.slug)
        for contact in self.contacts.values():
            if contact.company:
                index.people_at[contact.company].append(contact.slug)
        return index

    def name_of(self, slug: str | None) -> str:
        """A contact's name; the slug itself when the file is missing or broken."""
        contact = self.contacts.get(slug or "")
        return contact.name if contact else (slug or "someone")

    def file_of(
        self, record: Contact | Company | Application | Interview
    ) -> tuple[str, str | None]:
        """A record as its file's path and a digest of its text: with the time zone, a
        record is a function of its file, and this is quicker to compare or digest."""
        return record.path, self.digests.get(record.path)

    def company_name(self, slug: str) -> str:
        company = self.companies.get(slug)
        return company.name if company else slug

    def job(self, app: Application) -> str:
        """'Backend Engineer at Acme'."""
        return f"{app.role} at {self.company_name(app.company)}"


@dataclass(frozen=True, slots=True)
class _Ref:
    doc: Document
    loc: Loc
    folder: str
    slug: str


#: One document read as a record: the document (kept, so that no other takes its id), the
#: record or None, and the problems and references found in it.
Read = tuple[Document, Any, tuple[Problem, ...], tuple["_Ref", ...]]


class Remembered:
    """What watch keeps of the records it read: each document read as a record (reads,
    by the document's id, its folder, its slug and the time zone: a file that has not
    changed is the same document); and the problems of each read's references, found
    against the files of the last build (at N=2000, checking 50,000 references took
    13 ms a save)."""

    def __init__(self) -> None:
        self.reads: store.Memo[Read] = store.Memo()
        self.files: dict[str, list[str]] = {}
        self.wrong: dict[int, tuple[Read, list[Problem]]] = {}  # by the read's id

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.reads.before = by_new_ids(self.reads.before, _read_key)
        self.reads.now = by_new_ids(self.reads.now, _read_key)
        self.wrong = by_new_ids(self.wrong, lambda _, found: id(found[0]))


def _read_key(key: Hashable, read: Read) -> Hashable:
    """A read's key in fill, with its document's id in this process."""
    assert isinstance(key, tuple)
    return (id(read[0]), *key[1:])


def build(
    documents: list[tuple[Source, Document]],
    default_zone: ZoneInfo,
    remembered: Remembered | None = None,
    last: Records | None = None,
) -> tuple[Records, list[Problem]]:
    """The records of a workspace's documents, with every problem found in them.

    remembered, what the last build read, is what watch keeps: a file that has not
    changed is the same document, and its record need not be read again. last, the
    records of the last build, which watch keeps: their index is made again from theirs
    when it can be.
    """
    problems: list[Problem] = []
    refs: list[_Ref] = []
    by_kind: dict[str, list[Document]] = {kind: [] for kind in RECORDS}
    slugs: dict[str, list[str]] = {kind: [] for kind in RECORDS}
    for source, doc in documents:
        by_kind[source.kind].append(doc)
        slugs[source.kind].append(source.slug)

    settings = Settings(zone=default_zone)
    for doc in by_kind["settings"]:
        settings = _settings(_Reader(doc, problems, refs, default_zone), default_zone)
    zone = settings.zone
    records = Records(settings, digests={doc.path: doc.digest for _, doc in documents})

    kept = remembered if remembered is not None else Remembered()
    same_files = kept.files == slugs
    wrong, kept.files, kept.wrong = kept.wrong, slugs, {}
    known: dict[str, set[str]] = {}  # each folder's slugs, as sets once needed

    def fill(into: dict[str, R], kind: str, make: Callable[[_Reader, str], R | None]) -> None:
        # In comprehensions, not one call a document: under watch, all but the saved are
        # the last build's (12,500 at N=2000).
        docs, names, zone_key = by_kind[kind], slugs[kind], zone.key
        keys = [(id(doc), kind, slug, zone_key) for slug, doc in zip(names, docs, strict=True)]
        reads = kept.reads.get_all(keys, lambda i: _read(docs[i], names[i], zone, make))
        made = [(slug, read[1]) for slug, read in zip(names, reads, strict=True)]
        into.update([(slug, record) for slug, record in made if record is not None])
        problems.extend(chain.from_iterable([read[2] for read in reads if read[2]]))
        for read in [read for read in reads if read[3]]:
            found = wrong.get(id(read)) if same_files else None
            if found is None or found[0] is not read:
                found = (read, _check_refs(read[3], slugs, known))
            kept.wrong[id(read)] = found
            problems.extend(found[1])

    fill(records.contacts, "contacts", _contact)
    fill(records.companies, "companies", _company)
    fill(records.applications, "applications", _application)
    fill(records.interviews, "interviews", _interview)
    kept.reads.turn()
    problems += _check_refs(tuple(refs), slugs, known)  # (the settings')
    _check_closed(records, by_kind["applications"], problems)
    if last is not None:
        changed = _not_the_same(last, records)
        object.__setattr__(last, "since", None)  # (one build back, not a chain of them)
        object.__setattr__(records, "since", (last, changed))
        if "index" in last.__dict__:
            index = _index_since(last.index, last, records, changed)
            if index is not None:
                records.__dict__["index"] = index  # (what Records.index would find)
    return records, problems


def _not_the_same(before: Records, after: Records) -> frozenset[tuple[str, str]]:
    """The records of after that are not the very same objects as before's (a file not
    changed since is the same record, under watch), and those gone."""
    found = [("settings", "")] if before.settings != after.settings else []
    for folder in RECORD_FOLDERS:
        old, new = getattr(before, folder), getattr(after, folder)
        found += [(folder, slug) for slug, record in new.items() if old.get(slug) is not record]
        found += [(folder, slug) for slug in old.keys() - new.keys()]
    return frozenset(found)


def _index_since(
    last: Index, before: Records, after: Records, changed: frozenset[tuple[str, str]]
) -> Index | None:
    """The index of after, made from before's, when every record that changed is in
    the same places (the same slugs, times, people and applications; under watch, a
    save of a title or of notes): the changed records put in where theirs were. At
    N=2000, 1 ms against 23 ms. None when some record moved."""
    swaps: list[tuple[Any, Any]] = []
    for folder, slug in changed:
        placed = _PLACED.get(folder)
        if placed is None:
            continue  # (companies and settings: not in the index)
        was, now = getattr(before, folder).get(slug), getattr(after, folder).get(slug)
        if was is None or now is None:
            return None
        if placed(was) != placed(now) or _times(was.log) != _times(now.log):
            return None
        if folder == "interviews":
            swaps.append((was, now))
        swaps.extend(zip(was.log, now.log, strict=True))
    sides: dict[str, Any] = {side: defaultdict(list, getattr(last, side)) for side in INDEX_SIDES}
    index = Index(**sides)
    touched: set[tuple[str, str]] = set()
    for was, now in swaps:
        if was is now:
            continue
        for side, key in _places(was):
            lists = getattr(index, side)
            lists[key] = [now if item is was else item for item in lists[key]]
            touched.add((side, key))
    object.__setattr__(last, "since", None)  # (one index back, as above)
    object.__setattr__(index, "since", (last, frozenset(touched)))
    return index


#: What of a record places it or its log in the index, but the log's times.
_PLACED: dict[str, Callable[[Any], Hashable]] = {
    "contacts": attrgetter("company"),
    "applications": attrgetter("company", "contact", "referred_by", "references"),
    "interviews": attrgetter("application", "at", "interviewers", "also_met"),
}


def _times(log: tuple[Activity, ...]) -> list[tuple[Any, ...]]:
    return [(a.on, a.application, a.with_) for a in log]


def _places(item: Activity | Interview) -> list[tuple[str, str]]:
    """The index's lists that hold a log entry or an interview."""
    if isinstance(item, Interview):
        people = dict.fromkeys((*item.interviewers, *item.also_met))
        return [
            ("interviews_of", item.application),
            *(("interviewed_by", person) for person in item.interviewers),
            *(("met", person) for person in people),
        ]
    return [
        *([("activities_on", item.application)] if item.application else []),
        *([("activities_with", item.with_)] if item.with_ else []),
    ]


def _read(
    doc: Document, slug: str, zone: ZoneInfo, make: Callable[[_Reader, str], R | None]
) -> tuple[Document, R | None, tuple[Problem, ...], tuple[_Ref, ...]]:
    problems: list[Problem] = []
    refs: list[_Ref] = []
    try:
        record = make(_Reader(doc, problems, refs, zone), slug)
    except Exception as error:  # a fault of ours stays with its file
        problems.append(doc.problem((), fault(error)))
        record = None
    return doc, record, tuple(problems), tuple(refs)


class _Reader:
    """Reads one document against its fields, reporting what does not fit."""

    def __init__(self, doc: Document, problems: list[Problem], refs: list[_Ref], zone: ZoneInfo):
        self.doc = doc
        self.problems = problems
        self.refs = refs
        self.zone = zone

    def error(self, loc: Loc, message: str, *, key: bool = False, warning: bool = False) -> None:
        self.problems.append(self.doc.problem(loc, message, key=key, warning=warning))

    def fields(self, fields: tuple[Field, ...], data: Any, loc: Loc, what: str) -> dict[str, Any]:
        """The valid values of a mapping; {} when it is not one."""
        if not isinstance(data, dict):
            found = _describe(data)
            if not loc and data is None:
                self.error(loc, f"is empty: {what} needs at least {_required(fields)}")
            else:
                self.error(loc, f"{_name(loc) or what}: expected a mapping of keys, found {found}")
            return {}
        known = {f.name: f for f in fields}
        for key in data:
            if key not in known:
                hint = did_you_mean(key, known) or f" (the keys of {what}: {', '.join(known)})"
                self.error((*loc, key), f"unknown key '{key}'{hint}", key=True)
        values: dict[str, Any] = {}
        for spec in fields:
            value = data.get(spec.name)
            if value is None and spec.name in data and spec.required:
                self.error((*loc, spec.name), f"{spec.name}: has no value", key=True)
                continue
            if value is None:
                if spec.required:
                    where = f" in {_name(loc)}" if loc else ""
                    self.error(loc, f"missing required key '{spec.name}'{where}", key=bool(loc))
                continue
            converted = self.value(spec, value, (*loc, spec.name))
            if converted is not _BAD:
                values[spec.name] = converted
        return values

    def value(self, spec: Field, value: Any, loc: Loc) -> Any:
        kind = spec.kind
        if kind == "mapping":
            return self.fields(spec.fields, value, loc, spec.name)
        if kind == "log":
            return self.log(spec, value, loc)
        if kind in ("slugs", "tags"):
            items = value if isinstance(value, list) else [value]
            each = Field(spec.name, "slug" if kind == "slugs" else "text", spec.doc, ref=spec.ref)
            locs = [(*loc, i) for i in range(len(items))] if isinstance(value, list) else [loc]
            converted = [self.value(each, item, at) for item, at in zip(items, locs, strict=True)]
            return tuple(dict.fromkeys(c for c in converted if c is not _BAD))
        if kind == "count":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                return self._wrong(loc, "a whole number, like 3", value)
            return value
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            return self._wrong(loc, "text" if kind == "text" else f"a {kind}", value)
        text = str(value).strip() if kind != "text" else str(value)
        try:
            return self._text(spec, text, loc)
        except ValueError as error:
            self.error(loc, f"{_name(loc)}: {error}")
            return _BAD

    def _text(self, spec: Field, text: str, loc: Loc) -> Any:
        kind = spec.kind
        if kind == "date":
            return clock.parse_date(text)
        if kind == "datetime":
            return clock.parse_datetime(text, self.zone)
        if kind == "duration":
            return clock.parse_duration(text)
        if kind == "zone":
            return clock.zone_named(text)
        if kind == "choice":
            if text not in spec.choices:
                hint = did_you_mean(text, spec.choices) or f" (one of {', '.join(spec.choices)})"
                raise ValueError(f"'{text}' is not allowed{hint}")
            return text
        if kind == "email" and not EMAIL.fullmatch(text):
            raise ValueError(f"'{text}' is not an email address")
        if kind == "url" and not _URL.match(text):
            raise ValueError(f"'{text}' is not a web address: start it with https://")
        if kind == "slug":
            if not is_slug(text):
                raise ValueError(f"'{text}' is not a slug (a file name without its ending)")
            self.refs.append(_Ref(self.doc, loc, spec.ref, text))
        return text

    def log(self, spec: Field, value: Any, loc: Loc) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            self._wrong(loc, "a list of activities, each starting with '- on:'", value)
            return []
        entries = []
        for i, item in enumerate(value):
            entry = self.fields(spec.fields, item, (*loc, i), "an activity")
            if {"on", "did"} <= entry.keys():
                entries.append({**entry, "position": self.doc.at((*loc, i))})
        return entries

    def _wrong(self, loc: Loc, expected: str, value: Any) -> object:
        self.error(loc, f"{_name(loc)}: expected {expected}, found {_describe(value)}")
        return _BAD


def _settings(reader: _Reader, default_zone: ZoneInfo) -> Settings:
    doc = reader.doc
    values = reader.fields(RECORDS["settings"], doc.data or {}, (), "settings")
    return Settings(
        zone=values.get("timezone", default_zone),
        me=Me(**values.get("me", {})),
        rules=Rules(**values.get("rules", {})),
    )


def _activities(
    reader: _Reader, entries: list[dict[str, Any]], *, contact: str = "", application: str | None
) -> tuple[Activity, ...]:
    out = []
    for index, entry in enumerate(entries):
        named = entry.get("application")
        if named is not None and not contact:
            reader.error(
                ("log", index, "application"),
                "application: only an activity in a contact file names its application; "
                "here it belongs to this file's",
                key=True,
            )
            named = None
        out.append(
            Activity(
                on=entry["on"],
                did=entry["did"],
                with_=entry.get("with", contact or None),
                via=entry.get("via"),
                note=entry.get("note", ""),
                application=named if contact else application,
                path=reader.doc.path,
                line=entry["position"].line,
                column=entry["position"].column,
            )
        )
    return tuple(out)


def _record(reader: _Reader, kind: str) -> dict[str, Any] | None:
    if not reader.doc.parsed:
        return None  # its one problem is already reported
    what = f"a{'n' if kind[0] in 'aeiou' else ''} {_KIND_NAMES.get(kind, kind[:-1])}"
    values = reader.fields(RECORDS[kind], reader.doc.data, (), what)
    required = [f.name for f in RECORDS[kind] if f.required]
    return values if all(name in values for name in required) else None


def _contact(reader: _Reader, slug: str) -> Contact | None:
    values = _record(reader, "contacts")
    if values is None:
        return None
    log = _activities(reader, values.pop("log", []), contact=slug, application=None)
    reference = values.pop("reference", None)
    return Contact(
        slug=slug,
        path=reader.doc.path,
        reference=Reference(**reference) if reference is not None else None,
        log=log,
        notes=reader.doc.body,
        **values,
    )


def _company(reader: _Reader, slug: str) -> Company | None:
    values = _record(reader, "companies")
    return None if values is None else Company(slug=slug, path=reader.doc.path, **values)


def _application(reader: _Reader, slug: str) -> Application | None:
    values = _record(reader, "applications")
    if values is None:
        return None
    log = _activities(reader, values.pop("log", []), application=slug)
    return Application(slug=slug, path=reader.doc.path, log=log, **values)


def _interview(reader: _Reader, slug: str) -> Interview | None:
    values = _record(reader, "interviews")
    if values is None:
        return None
    log = _activities(reader, values.pop("log", []), application=values["application"])
    duration = values.pop("duration", Duration(1, "h"))
    return Interview(
        slug=slug,
        path=reader.doc.path,
        end=clock.add(values["at"], duration, reader.zone),
        log=log,
        notes=reader.doc.body,
        notes_line=reader.doc.body_line,
        **values,
    )


def _check_refs(
    refs: tuple[_Ref, ...], slugs: dict[str, list[str]], known: dict[str, set[str]]
) -> list[Problem]:
    """Against every file there is, broken or not: one bad file is one problem, not many.
    known, each folder's slugs as a set, made here on first use."""
    problems = []
    for ref in refs:
        existing = slugs[ref.folder]
        if ref.folder not in known:
            known[ref.folder] = set(existing)
        if ref.slug not in known[ref.folder]:
            what = _KIND_NAMES[ref.folder]
            hint = did_you_mean(ref.slug, existing) or f" (add data/{ref.folder}/{ref.slug}.yaml)"
            problems.append(
                ref.doc.problem(ref.loc, f"{_name(ref.loc)}: no {what} '{ref.slug}'{hint}")
            )
    return problems


def _check_closed(records: Records, docs: list[Document], problems: list[Problem]) -> None:
    paths = {doc.path: doc for doc in docs}
    for app in records.applications.values():
        doc = paths[app.path]
        if app.status in CLOSED and app.closed is None:
            problems.append(
                doc.problem(
                    ("status",),
                    f"status is '{app.status}' but 'closed' is missing: "
                    "add the date it closed, so its follow-ups can be worked out",
                    warning=True,
                )
            )
        elif app.status not in CLOSED and app.closed is not None:
            problems.append(
                doc.problem(
                    ("closed",),
                    f"'closed' is set but status is '{app.status}'",
                    warning=True,
                )
            )


def _name(loc: Loc) -> str:
    """A place in a document as a person reads it: log[2].with, interviewers."""
    while loc and isinstance(loc[-1], int):
        loc = loc[:-1]  # the column already points at the item
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{'true' if value else 'false'}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"'{value}'"


def _required(fields: tuple[Field, ...]) -> str:
    return ", ".join(f"'{f.name}'" for f in fields if f.required)
