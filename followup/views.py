"""Page contexts: what each page of the site shows, as plain values.

Pure functions of the records, the tasks and `now`; templates only lay the
values out. Every link is relative to the site's root (a page adds its own
`root` prefix), so the site works from file://.

A page about one record reads the rest of the workspace only through the
Site's methods, which note each read ("R contacts/dana": that contact's
record). The build keeps what every page read and what each read found
(`Site.found`); a page none of whose reads changed is the page the last build
made, and its context is not worked out again. The dashboard, the agenda, the
people and the report pages show the whole workspace and are made every time.
"""

from __future__ import annotations

import functools
import itertools
import json
import operator
import sys
from collections import defaultdict
from collections.abc import Callable, Container, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from followup import activity_report, clock, drafts, phrases, report, rules, store
from followup.drafts import Draft
from followup.history import Commit, History
from followup.load import RECORD_FOLDERS
from followup.model import (
    INDEX_SIDES,
    Activity,
    Application,
    Company,
    Contact,
    Index,
    Interview,
    Records,
    by_key,
)
from followup.pickling import by_new_ids
from followup.problems import Problem
from followup.rules import Nudge, Task
from followup.schema import STATUSES

AGENDA_WEEKS = 8
REPORT_DAYS = 30
ACTIVITY_WEEKS = 12
#: The pages that say when the site was built.
TIMED_PAGES = frozenset({"index.html", "agenda.html"})
_PIPELINE = ("lead", "applied", "interviewing", "offer", "accepted")

Context = dict[str, Any]
#: The names of what a page read; see Site.found.
Reads = frozenset[str]
V = TypeVar("V")
#: Read by every page about one record: the settings, the year (dates of other years
#: show theirs) and whether the workspace is a git repository (its history box says).
EVERYWHERE = "G"


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # relative to the site's root
    template: str
    context: Context


@dataclass(frozen=True, slots=True)
class Plan:
    """A page to make: where it goes, its template, and what works out its context."""

    path: str
    template: str
    shows: Callable[[], Context]
    tracked: bool  # it reads through the Site only; else it is made every build


def url(folder: str, slug: str) -> str:
    return f"{folder}/{slug}.html"


def _read(kind: str, name: str) -> str:
    """A read's name; one string object per name, so that a stored set of them is small."""
    return sys.intern(f"{kind} {name}")


def _named(kind: str, prefix: str = "") -> Callable[[str], str]:
    """The names of the reads of one kind, by what they read."""
    return lambda key: _read(kind, prefix + key)


@dataclass
class Site:
    """Everything a page may need; tasks indexed once so that no page scans them all."""

    records: Records
    tasks: list[Task]
    problems: list[Problem]
    nudges: list[Nudge]
    now: datetime
    drafts: dict[str, Draft]  # by task id
    history: History
    tasks_by_application: defaultdict[str, list[Task]] = field(default_factory=by_key)
    tasks_by_interview: defaultdict[str, list[Task]] = field(default_factory=by_key)
    tasks_by_person: defaultdict[str, list[Task]] = field(default_factory=by_key)
    #: The site of the last build, while watch keeps it: what it worked out of a task, a
    #: person... is used again when none of its reads has changed.
    last: Site | None = None
    # What many pages show alike, worked out once, with what it read and what it is of (a
    # task and an activity by id, the objects kept alive so that ids stay theirs; a draft,
    # a person, an application, a contact's row of the people page by slug).
    _tasks: dict[int, tuple[Context, Reads, Task]] = field(default_factory=dict)
    _drafts: dict[str, tuple[Context | None, Reads, str]] = field(default_factory=dict)
    _people: dict[str, tuple[Context | None, Reads, str]] = field(default_factory=dict)
    _applications: dict[str, tuple[Context | None, Reads, str]] = field(default_factory=dict)
    _activities: dict[int, tuple[Context, Reads, Activity]] = field(default_factory=dict)
    _contact_rows: dict[str, tuple[Context, Reads, Hashable]] = field(default_factory=dict)
    _reads: set[str] | None = None  # what the page being made has read so far
    _times: dict[str, tuple[dict[str, Context], Written, list[Task]]] = field(default_factory=dict)
    _of: dict[str, dict[Hashable, tuple[Any, Reads, Hashable]]] = field(default_factory=dict)
    _carried: set[str] = field(default_factory=set)  # the memos _carry has been asked for
    _row_digests: dict[int, tuple[Context, str]] = field(default_factory=dict)  # by id

    def __post_init__(self) -> None:
        last = self.last
        if last is not None and store.same_objects(last.tasks, self.tasks):  # most saves, watched
            self.tasks_by_application = last.tasks_by_application
            self.tasks_by_interview = last.tasks_by_interview
            self.tasks_by_person = last.tasks_by_person
            if "_tasks_by_id" in last.__dict__:
                self.__dict__["_tasks_by_id"] = last._tasks_by_id
            return
        for task in self.tasks:
            if task.application:
                self.tasks_by_application[task.application].append(task)
            if task.interview:
                self.tasks_by_interview[task.interview].append(task)
            if task.person:
                self.tasks_by_person[task.person].append(task)

    def __getstate__(self) -> dict[str, object]:
        """Pickled for a build in a new process (see resume): without the build before."""
        return {**self.__dict__, "last": None, "_of": {}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._tasks = by_new_ids(self._tasks, lambda _, known: id(known[2]))
        self._activities = by_new_ids(self._activities, lambda _, known: id(known[2]))
        self._row_digests = by_new_ids(self._row_digests, lambda _, known: id(known[0]))

    @property
    def index(self) -> Index:
        return self.records.index

    def at(self, instant: datetime) -> str:
        return phrases.moment(instant, self.now, self.records.settings.zone)

    def iso(self, instant: datetime) -> str:
        return clock.iso(instant, self.records.settings.zone)

    # The pages.

    def plans(self, keeping: Container[str] = frozenset()) -> tuple[list[Plan], list[str]]:
        """Every page of the site, none of them made yet; but of the pages at the paths
        kept (the last build's, unchanged), only which the site still has: under watch,
        most of its 16,500 pages at N=2000."""
        part = functools.partial
        whole = {"index.html": dashboard, "agenda.html": agenda_page,
                 "people.html": people_page, "report.html": report_page}  # fmt: skip
        found = [Plan(path, path, part(shows, self), False) for path, shows in whole.items()]
        kept: list[str] = []
        for folder, template, shows in (
            ("applications", "application.html", application_page),
            ("interviews", "interview.html", interview_page),
            ("contacts", "contact.html", contact_page),
            ("companies", "company.html", company_page),
        ):
            for slug, record in getattr(self.records, folder).items():
                path = url(folder, slug)
                if path in keeping:
                    kept.append(path)
                else:
                    found.append(Plan(path, template, part(shows, self, record), True))
        for draft in self.drafts.values():
            path = f"{draft.path}.html"
            if path in keeping:
                kept.append(path)
            else:
                found.append(Plan(path, "draft.html", part(draft_page, self, draft), True))
        return found, kept

    def page(self, plan: Plan) -> tuple[Page, Reads | None]:
        """The page, and all it read (None when it reads the whole workspace)."""
        # The time of the build shows on the pages that are about now; on the others it would
        # make every build of every page new, and only the page's script keeps time there.
        zone = self.records.settings.zone.key
        frame: Context
        if plan.path in TIMED_PAGES:
            frame = {"now": self.iso(self.now), "now_text": self.at(self.now), "zone": zone}
        else:
            frame = {"now": None, "now_text": None, "zone": zone}
        frame["root"] = "../" * plan.path.count("/")
        self._reads = {EVERYWHERE} if plan.tracked else None
        try:
            context = plan.shows()
            reads = frozenset(self._reads) if self._reads is not None else None
        finally:
            self._reads = None
        return Page(plan.path, plan.template, {**frame, **context}), reads

    # What pages read, each noted.

    def _note(self, read: str) -> None:
        if self._reads is not None:
            self._reads.add(read)

    def _remember(self, memo: str, key: Hashable, make: Callable[[], V], of: Hashable) -> V:
        """make(), worked out once per key (or taken from the last build), and its reads
        noted each time it is asked for."""
        made: dict[Hashable, tuple[V, Reads, Hashable]] = getattr(self, memo)
        known = made.get(key)
        if known is None and memo in _CARRIED and memo not in self._carried:
            self._carry(memo)
            known = made.get(key)
        if known is not None and known[2] is not of and known[2] != of:
            known = None  # (carried, but made of something else: a person's next task)
        if known is None:
            known = self._from_last(memo, of)
            if known is None:
                outer, self._reads = self._reads, set()
                try:
                    known = (make(), frozenset(self._reads), of)
                finally:
                    self._reads = outer
            made[key] = known = (known[0], known[1], of)
        if self._reads is not None:
            self._reads |= known[1]
        return known[0]

    def _carry(self, memo: str) -> None:
        """All the last build worked out in this memo whose reads are unchanged, at once:
        the pages about the whole workspace ask again for nearly all of it. (An entry is
        used only if made of what is asked for: a contact's row, of the person's next
        task too, which its key does not say.)"""
        self._carried.add(memo)
        last = self.last
        if last is None:
            return
        changed = self.changed
        if EVERYWHERE not in changed:
            kept = getattr(last, memo)  # (in C: at N=2000, 3 ms against 6 ms in a comprehension)
            unchanged = map(changed.isdisjoint, map(operator.itemgetter(1), kept.values()))
            getattr(self, memo).update(itertools.compress(kept.items(), unchanged))

    def _from_last(self, memo: str, of: Hashable) -> tuple[Any, Reads, Hashable] | None:
        last = self.last
        if last is None or EVERYWHERE in self.changed:
            return None
        if memo not in last._of:
            last._of[memo] = {entry[2]: entry for entry in getattr(last, memo).values()}
        known = last._of[memo].get(of)
        if known is None or not self.changed.isdisjoint(known[1]):
            return None
        return known

    def _record(self, folder: str, slug: str) -> Any:
        """The record of that folder and slug, or None."""
        self._note(_read("R", f"{folder}/{slug}"))
        return getattr(self.records, folder).get(slug)

    def contact(self, slug: str) -> Contact | None:
        found: Contact | None = self._record("contacts", slug)
        return found

    def company(self, slug: str) -> Company | None:
        found: Company | None = self._record("companies", slug)
        return found

    def company_name(self, slug: str) -> str:
        self.company(slug)
        return self.records.company_name(slug)

    def the_record(self, folder: str, record: Application | Company | Contact | Interview) -> None:
        """Note that the page reads this record, whose own page it is."""
        self._record(folder, record.slug)

    def tasks_of(self, side: str, slug: str) -> list[Task]:
        """The tasks of an application, an interview or a person, soonest deadline first."""
        self._note(_read(f"T{side[0]}", slug))
        return self._listed(side, slug)

    def _listed(self, side: str, slug: str) -> list[Task]:
        found: dict[str, list[Task]] = getattr(self, f"tasks_by_{side}")
        return found.get(slug, [])

    def indexed(self, side: str, slug: str) -> list[Any]:
        """An entry of the records' index (see model.Index)."""
        self._note(_read("I", f"{side} {slug}"))
        found: dict[str, list[Any]] = getattr(self.index, side)
        return found.get(slug, [])

    def person(self, slug: str | None) -> Context | None:
        if not slug:
            return None
        return self._remember("_people", slug, functools.partial(self._person, slug), slug)

    def _person(self, slug: str) -> Context | None:
        contact = self.contact(slug)
        if contact is None:
            return {"name": slug, "url": None, "title": None}
        return {"name": contact.name, "url": url("contacts", slug), "title": contact.title}

    def application(self, slug: str | None) -> Context | None:
        key = slug or ""
        make = functools.partial(self._application, key)
        return self._remember("_applications", key, make, key)

    def _application(self, slug: str) -> Context | None:
        app: Application | None = self._record("applications", slug)
        if app is None:
            return None
        return {
            "slug": app.slug,
            "label": self.records.job(app),
            "role": app.role,
            "company": self.company_name(app.company),
            "status": app.status,
            "url": url("applications", app.slug),
        }

    def task(self, task: Task) -> Context:
        return self._remember("_tasks", id(task), functools.partial(self._task, task), task)

    def tasks_shown(self, tasks: list[Task]) -> list[Context]:
        """[task(t) for t in tasks]; on a page about the whole workspace (its reads are
        not noted), those known looked up all at once (most, watched: at N=2000, the
        dashboard's 10,000 calls took 13 ms a save)."""
        if self._reads is None:
            if "_tasks" not in self._carried:
                self._carry("_tasks")
            known: list[Any] = list(map(self._tasks.get, map(id, tasks)))
            if all(known):
                return list(map(_FIRST, known))
            pairs = zip(known, tasks, strict=True)
            return [k[0] if k is not None else self.task(t) for k, t in pairs]
        return [self.task(t) for t in tasks]

    def _task(self, task: Task) -> Context:
        self._note(_read("T", task.id))
        interview = self._record("interviews", task.interview) if task.interview else None
        return {
            "id": task.id,
            "rule": task.rule,
            "title": task.title,
            "status": task.status,
            "late": task.late,
            "when": phrases.as_built(task),
            "how": phrases.how(self.records, task),
            "opens": self.iso(task.opens),
            "due": self.iso(task.due),
            "due_text": self.at(task.due),
            "opens_text": self.at(task.opens),
            "done_at": self.iso(task.done_at) if task.done_at else None,
            "done_text": self.at(task.done_at) if task.done_at else None,
            "person": self.person(task.person),
            "application": self.application(task.application),
            "interview": {"slug": interview.slug, "url": url("interviews", interview.slug)}
            if interview
            else None,
            "draft": self.draft(task.id),
        }

    def draft(self, task_id: str) -> Context | None:
        """A draft as the pages show it: its text, and the ways to send or print it."""
        make = functools.partial(self._draft, task_id)
        return self._remember("_drafts", task_id, make, task_id)

    def _draft(self, task_id: str) -> Context | None:
        self._note(_read("D", task_id))
        draft = self.drafts.get(task_id)
        if draft is None:
            return None
        can_mail = draft.channel == "email" and draft.contact.email
        return {
            "url": f"{draft.path}.html",
            "md": f"{draft.path}.md",
            "eml": f"{draft.path}.eml",
            "channel": draft.channel,
            "subject": draft.subject,
            "body": draft.body,
            "text": draft.text,
            "mailto": drafts.mailto(draft) if can_mail else None,
            "to": self.person(draft.contact.slug),
        }

    def contact_row(self, slug: str, next_task: Task | None) -> Context:
        """A contact's row of the people page, with their next follow-up."""
        make = functools.partial(self._contact_row, slug, next_task)
        return self._remember("_contact_rows", slug, make, (slug, next_task))

    def _contact_row(self, slug: str, next_task: Task | None) -> Context:
        contact = self.contact(slug)
        company = contact.company if contact else None
        return {
            **(self.person(slug) or {}),
            "company": _company_link(self, company) if company else None,
            "next": self.task(next_task) if next_task else None,
        }

    def activity(self, activity: Activity) -> Context:
        make = functools.partial(self._activity, activity)
        return self._remember("_activities", id(activity), make, activity)

    def _activity(self, activity: Activity) -> Context:
        self._record(*_folder_and_slug(activity.path))
        return {
            "kind": "activity",
            "did": activity.did,
            "verb": _VERBS[activity.did],
            "at": self.iso(activity.on),
            "at_text": self.at(activity.on),
            "person": self.person(activity.with_),
            "via": activity.via,
            "note": activity.note,
            "application": self.application(activity.application),
            "source": f"{activity.path}:{activity.line}",
            "sort": activity.on,
        }

    def interview_event(self, interview: Interview) -> Context:
        self._record("interviews", interview.slug)
        names = [p["name"] for p in map(self.person, interview.interviewers) if p]
        return {
            "kind": "interview",
            "at": self.iso(interview.at),
            "at_text": self.at(interview.at),
            "text": f"{interview.name.capitalize()} with {', '.join(names) or 'no one listed'}",
            "url": url("interviews", interview.slug),
            "application": self.application(interview.application),
            "sort": interview.at,
        }

    def record_history(self, path: str) -> Context:
        """The commits of a record's file, newest first, and whether it has unsaved work."""
        return {
            "tracked": self.history.tracked,
            "uncommitted": path in self.history.uncommitted,
            "commits": self.commits_of(path),
        }

    def commit(self, commit: Commit) -> Context:
        return {
            "kind": "commit",
            "hash": commit.short,
            "at": self.iso(commit.at),
            "at_text": self.at(commit.at),
            "author": commit.author,
            "subject": commit.subject,
            "sort": commit.at,
        }

    def commits_of(self, path: str) -> list[Context]:
        self._note(_read("H", path))
        return [self.commit(c) for c in self.history.of(path)]

    def task_event(self, task: Task) -> Context:
        return {**self.task(task), "kind": "task", "sort": task.done_at or task.due}

    def today(self) -> date:
        self._note("date")
        return self._local_now.date()

    @property
    def _local_now(self) -> datetime:
        return self.now.astimezone(self.records.settings.zone)

    # What the reads found.

    @functools.cached_property
    def found(self) -> dict[str, Hashable]:
        """What every read finds now, as a value that is equal only when the page would be;
        a read that finds nothing (no such record, no tasks, no draft) is not here."""
        return self._finding.found

    @functools.cached_property
    def changed(self) -> frozenset[str]:
        """The reads that find something else than they did for the last build."""
        assert self.last is not None
        finding = self._finding
        if finding.changed is not None:
            return frozenset(finding.changed)
        return _changed(self.last.found, self.found)

    @functools.cached_property
    def _finding(self) -> _Finding:
        """found, worked out afresh; or, when watch kept the last build's site, from what
        the last build found, looking again only at what may have changed: records,
        index entries, tasks and drafts that are not the very same objects, and the
        histories of the files committed, or changed since their last commit, since the
        last build."""
        last = self.last
        before = last.__dict__.get("found") if last is not None else None
        finding = _Finding(before)
        was = last if before is not None else None
        records, history = self.records, self.history
        finding.put("date", self._local_now.date().isoformat())
        everywhere = (records.settings, self._local_now.year, history.tracked)
        finding.put(EVERYWHERE, store.digest_of(everywhere))
        for folder in RECORD_FOLDERS:
            in_folder = _named("R", f"{folder}/")
            was_in = getattr(was.records, folder) if was else {}
            finding.refresh(in_folder, getattr(records, folder), was_in, records.file_of)
        # A task as such, unless one equal to it was there (most often the very same). Its
        # status is one of its values: what a page says of its time (phrases.as_built).
        by_id, was_by_id = self._tasks_by_id, was._tasks_by_id if was else {}
        if by_id is not was_by_id:  # (else the very same tasks: most saves, watched)
            finding.refresh(_named("T"), by_id, was_by_id, _values, operator.eq)
        if not (was and self.tasks_by_person is was.tasks_by_person):  # (the same tasks)
            for kind, side in _SIDES.items():
                now_by = _listed(getattr(self, f"tasks_by_{side}"))
                was_by = _listed(getattr(was, f"tasks_by_{side}")) if was else {}
                finding.refresh(_named(kind), now_by, was_by, _ids, operator.eq)
        since = self.index.since
        if was and since and since[0] is was.index:  # (the index was made from was's)
            for side, key in since[1]:
                items = getattr(self.index, side).get(key)
                if items:
                    finding.put(_read("I", f"{side} {key}"), _identities(items))
                else:
                    finding.drop([_read("I", f"{side} {key}")])
        else:
            for side in INDEX_SIDES:
                now_by = _listed(getattr(self.index, side))
                was_by = _listed(getattr(was.index, side)) if was else {}
                read = _named("I", f"{side} ")
                finding.refresh(read, now_by, was_by, _identities, store.same_objects)
        was_drafts = was.drafts if was else {}
        finding.refresh(_named("D"), self.drafts, was_drafts, drafts.digest)
        # Pages show the history of record files only: with the same commits, only that
        # of a file committed since, or changed since its last commit, changes.
        paths = {path: path for path in records.digests}
        was_paths = {path: path for path in was.records.digests} if was else {}
        same: Callable[[str | None, str], bool] = _never
        if was and was.history.commits == history.commits:
            moved = was.history.uncommitted ^ history.uncommitted

            def same(was_path: str | None, path: str) -> bool:
                return was_path is not None and path not in moved

        def history_of(path: str) -> Hashable:
            return (path in history.uncommitted, tuple(history.of(path)))

        finding.refresh(_named("H"), paths, was_paths, history_of, same)
        return finding

    def key(self, templates: str, page: Page) -> str:
        """A digest of all a page is made from: these templates and its context, in which
        each row of a page's Rows counts by its own digest."""
        context = {
            name: self._digests(value) if type(value) is Rows else value
            for name, value in page.context.items()
        }
        return store.digest_of((templates, page.path, page.template, context))

    def _digests(self, rows: Rows) -> tuple[str, ...]:
        """Each row's digest, worked out once while it is the same object (the last
        build's row, kept as its reads are unchanged, is digested then); each is kept
        with its row, so that its id stays its own."""
        mine, last = self._row_digests, self.last._row_digests if self.last else {}
        found = []
        for row in rows:
            known = mine.get(id(row)) or last.get(id(row)) or (row, store.digest_of(row))
            mine[id(row)] = known
            found.append(known[1])
        return tuple(found)

    def changed_since(self, found: dict[str, Hashable]) -> frozenset[str]:
        """The reads that find something else than they did when they found that."""
        if self.last is not None and found is self.last.found:
            return self.changed
        return _changed(found, self.found)

    def task_times(self, name: str, tasks: list[Task]) -> TaskTimes:
        """These tasks' times, worked out once a build by name (the dashboard and the
        agenda give the same), or kept from the last build's for the very same tasks in
        the same time zone; each page its own dict of them (a template may change which
        tasks it holds), each task's times shared (copying 10,000 of them took each page
        5 ms a save at N=2000). Their JSON is shared under that name, with the last
        build's too."""
        known = self._times.get(name)
        if known is None:
            last = self.last._times.get(name) if self.last else None
            if last and EVERYWHERE not in self.changed and store.same_objects(last[2], tasks):
                known = last
            else:
                known = (_tasks_json(self, tasks), last[1] if last else Written(), tasks)
            self._times[name] = known
        times, written, _ = known
        return TaskTimes(times, written)

    @functools.cached_property
    def tasks_listed(self) -> str:
        """The tasks as tasks.json lists them: the last build's text for the very same
        tasks in the same time zone (most saves, watched: at N=2000, looking up 14,000
        tasks' texts one by one took 15 ms a save)."""
        last, zone = self.last, self.records.settings.zone
        if (
            last is not None
            and self._same_tasks
            and last.records.settings.zone == zone
            and "tasks_listed" in last.__dict__
        ):
            return last.tasks_listed
        return report.tasks_listed(self.tasks, zone)

    @functools.cached_property
    def on_time(self) -> Context:
        """How the thank-you notes went: the last build's for the very same tasks."""
        last = self.last
        if last is not None and self._same_tasks and "on_time" in last.__dict__:
            return last.on_time
        return thank_you_timeliness(self.tasks)

    @functools.cached_property
    def weekly(self) -> tuple[list[Context], datetime | None]:
        """weekly_activity; the last build's while still true (see _still), as far as
        the records' logs go (under watch: it looks at every record's log, 13 ms a save
        at N=2000)."""
        return self._still("weekly", _logged) or weekly_activity(self.records, self.now)

    @property
    def reported_days(self) -> tuple[date, date]:
        """The report page's first and last day: the last REPORT_DAYS to today."""
        end = self._local_now.date()
        return end - timedelta(days=REPORT_DAYS - 1), end

    @functools.cached_property
    def reported(self) -> tuple[list[activity_report.Row], datetime | None]:
        """The report page's rows (activity_report.rows_until); the last build's while
        still true (see _still), as far as what the page shows goes (under watch: it
        looks at every record, 12 ms a save at N=2000)."""
        found = self._still("reported", _reported)
        return found or activity_report.rows_until(self.records, *self.reported_days, self.now)

    def _still(self, name: str, shown: Callable[[str, Any], object]) -> Any:
        """The last build's value of the property name, a value and when it next moves
        with the time (None: never), if still true: on the same day, the clock not put
        back, that moment not come, and no record changed in what shown shows of it."""
        last = self.last
        if last is None or name not in last.__dict__:
            return None
        kept = last.__dict__[name]
        if (
            last.now <= self.now
            and (kept[1] is None or self.now < kept[1])
            and last._local_now.date() == self._local_now.date()
            and self._same_since(last.records, shown)
        ):
            return kept
        return None

    def _same_since(self, before: Records, shown: Callable[[str, Any], object]) -> bool:
        """Whether the records say they are the same as before's, the settings (the time
        zone) too, as far as shown(folder, record) shows them."""
        since, after = self.records.since, self.records
        if since is None or since[0] is not before:
            return False
        return all(
            folder != "settings"
            and shown(folder, getattr(before, folder).get(slug))
            == shown(folder, getattr(after, folder).get(slug))
            for folder, slug in since[1]
        )

    @property
    def _same_tasks(self) -> bool:
        """The tasks are the very same as the last build's (most saves, watched), as
        __post_init__ found them: it kept the last build's task indexes."""
        return self.last is not None and self.tasks_by_person is self.last.tasks_by_person

    @functools.cached_property
    def _tasks_by_id(self) -> dict[str, list[Task]]:
        found: dict[str, list[Task]] = {}
        for task in self.tasks:
            found.setdefault(task.id, []).append(task)
        return found


class Rows(list[Context]):
    """A page's rows, most of them the last build's while watch runs: the page's key is
    worked out from each row's digest, made once a row (at N=2000, digesting the people
    page's 6,000 rows whole took 50 ms of every save)."""


_SIDES = {"Ta": "application", "Ti": "interview", "Tp": "person"}
#: The memos the dashboard, the agenda and the people page ask for entry by entry, which
#: Site._carry takes whole. (Their entries hold the rest: at N=2000, taking the people's
#: and the drafts' whole too cost 10 ms more a save than it saved.)
_CARRIED = frozenset({"_tasks", "_applications", "_contact_rows"})


def _changed(before: dict[str, Hashable], now: dict[str, Hashable]) -> frozenset[str]:
    return frozenset(read for read, _ in before.items() ^ now.items())


_NOTHING = object()
_FIRST = operator.itemgetter(0)


class _Finding:
    """What the reads find, made afresh, or from what the last build found: then what
    changed is noted as it is put."""

    def __init__(self, before: dict[str, Hashable] | None) -> None:
        self.found: dict[str, Hashable] = dict(before) if before is not None else {}
        self.changed: set[str] | None = set() if before is not None else None

    def put(self, read: str, value: Hashable) -> None:
        if self.changed is not None and self.found.get(read, _NOTHING) != value:
            self.changed.add(read)
        self.found[read] = value

    def drop(self, reads: Iterable[str]) -> None:
        for read in reads:
            if self.found.pop(read, _NOTHING) is not _NOTHING and self.changed is not None:
                self.changed.add(read)

    def refresh(
        self,
        read: Callable[[str], str],
        now: Mapping[str, V],
        was: Mapping[str, V],
        finds: Callable[[V], Hashable],
        same: Callable[[V | None, V], bool] = operator.is_,
    ) -> None:
        """What the read of each of now's entries finds, unless the same as was's entry
        (then it finds what it found); the reads of was's entries gone are dropped."""
        if same is operator.is_:  # (most entries are: this finds the others quicker)
            keys = [key for key, item in now.items() if was.get(key) is not item]
        elif same is operator.eq:  # (the same, in C)
            keys = [key for key, item in now.items() if was.get(key) != item]
        else:
            keys = [key for key, item in now.items() if not same(was.get(key), item)]
        for key in keys:
            self.put(read(key), finds(now[key]))
        self.drop(read(key) for key in was.keys() - now.keys())


def _never(this: object, that: object) -> bool:
    return False


def _listed(by: dict[str, list[V]]) -> dict[str, list[V]]:
    """An index's entries whose lists are not empty (a read of an empty one finds nothing)."""
    return {key: items for key, items in by.items() if items}


def _values(tasks: list[Task]) -> Hashable:
    return tuple(map(rules.VALUES, tasks))


def _ids(tasks: list[Task]) -> Hashable:
    return tuple([task.id for task in tasks])


def _folder_and_slug(path: str) -> tuple[str, str]:
    """('contacts', 'dana') for data/contacts/dana.yaml."""
    folder, _, name = path.removeprefix("data/").partition("/")
    return folder, name.rpartition(".")[0]


def _identities(items: list[Any]) -> tuple[Hashable, ...]:
    """Which records or log entries an index lists (each list holds one kind); what they
    hold is their records' reads."""
    identity = _IDENTITY.get(type(items[0]))
    return tuple(map(identity, items)) if identity else tuple(items)


#: An activity by its place in its file, an interview by its slug; a slug is itself.
_IDENTITY: dict[type, Callable[[Any], Hashable]] = {
    Activity: operator.attrgetter("path", "line", "column"),
    Interview: operator.attrgetter("slug"),
}


_VERBS = {
    "thank-you": "Thanked",
    "call": "Called",
    "message": "Messaged",
    "meeting": "Met",
    "reply": "A reply",
}


def site_of(
    records: Records,
    tasks: list[Task],
    problems: list[Problem],
    nudges: list[Nudge],
    drafts: list[Draft],
    now: datetime,
    history: History | None = None,
    last: Site | None = None,
) -> Site:
    """The site of this build; last, the site of the build before, which watch keeps."""
    if last is not None:
        last.last = None  # only one build back
    by_task = {d.task.id: d for d in drafts}
    return Site(records, tasks, problems, nudges, now, by_task, history or History(), last=last)


def dashboard(site: Site) -> Context:
    records = site.records
    groups = report.sections(site.tasks, site.now)
    return {
        "title": "Follow-ups",
        "overdue": site.tasks_shown(groups.overdue),
        "due": site.tasks_shown(groups.due),
        "soon": site.tasks_shown(groups.soon),
        "horizon": report.HORIZON_TEXT,
        "pipeline": [
            {
                "status": status,
                "applications": [
                    site.application(app.slug)
                    for app in records.applications.values()
                    if app.status == status
                ],
            }
            for status in STATUSES
        ],
        "warnings": [str(p) for p in site.problems],
        "nudges": [n.message for n in site.nudges],
        "counts": {
            "active": sum(app.active for app in records.applications.values()),
            "applications": len(records.applications),
            "interviews": len(records.interviews),
            "contacts": len(records.contacts),
            "overdue": len(groups.overdue),
            "due": len(groups.due),
        },
        "funnel": funnel(site),
        "weekly": site.weekly[0],
        "on_time": site.on_time,
        "thank_you_within": records.settings.rules.thank_you_within.describe(),
        "tasks_json": site.task_times("open", site.tasks),
    }


def agenda_page(site: Site) -> Context:
    """The open tasks of the next eight weeks, week by week; late ones first."""
    zone = site.records.settings.zone
    today = site.now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    end = clock.midnight(monday + timedelta(weeks=AGENDA_WEEKS), zone)
    weeks: dict[int, list[Task]] = defaultdict(list)
    late = []
    for task in site.tasks:
        if task.status == "done" or task.opens >= end:
            continue
        if task.status == "overdue":
            late.append(task)
            continue
        day = max(task.opens, site.now).astimezone(zone).date()
        weeks[(day - monday).days // 7].append(task)
    return {
        "title": "Agenda",
        "overdue": site.tasks_shown(late),
        "weeks": [
            {
                "label": _week_label(monday + timedelta(weeks=n), n),
                "tasks": sorted(site.tasks_shown(weeks[n]), key=lambda t: t["due"]),
            }
            for n in range(AGENDA_WEEKS)
        ],
        "tasks_json": site.task_times("open", site.tasks),
    }


def people_page(site: Site) -> Context:
    """Everyone and every company, with each person's next follow-up."""
    next_task: dict[str, Task] = {}
    for task in site.tasks:
        if task.status != "done" and task.person and task.person not in next_task:
            next_task[task.person] = task  # tasks come soonest deadline first
    return {
        "title": "People",
        "contacts": Rows(
            site.contact_row(c.slug, next_task.get(c.slug))
            for c in sorted(site.records.contacts.values(), key=lambda c: c.name.lower())
        ),
        "companies": [
            {**_company_link(site, slug), "size": company.size}
            for slug, company in site.records.companies.items()
        ],
        "tasks_json": site.task_times("next", list(next_task.values())),
    }


def report_page(site: Site) -> Context:
    """The last days' applications, interviews and follow-ups: proof of job search."""
    start, end = site.reported_days
    return {
        "title": f"Job search activity, last {REPORT_DAYS} days",
        **report_context(site.records, start, end, site.now, site.reported[0]),
        "tasks_json": {},
    }


def report_context(
    records: Records,
    start: date,
    end: date,
    now: datetime,
    found: list[activity_report.Row] | None = None,
) -> Context:
    """What a report shows, for the site's page and for `followup report --format html`;
    found, its rows, when worked out already."""
    if found is None:
        found = activity_report.rows(records, start, end, now)
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "me": records.settings.me,
        "columns": activity_report.COLUMNS,
        "rows": [row.cells() for row in found],
        "numbers": activity_report.counts(found),
    }


def application_page(site: Site, app: Application) -> Context:
    site.the_record("applications", app)
    interviews = site.indexed("interviews_of", app.slug)
    on_it = site.indexed("activities_on", app.slug)
    references = []
    for slug in app.references:
        contact = site.contact(slug)
        granted = contact.reference.granted if contact and contact.reference else None
        references.append({**(site.person(slug) or {}), "granted": granted})
    tasks = site.tasks_of("application", app.slug)
    shown = site.application(app.slug)
    assert shown is not None
    return {
        "title": shown["label"],
        "app": shown,
        "record": app,
        "company": _company_link(site, app.company),
        "contact": site.person(app.contact),
        "referred_by": [site.person(s) for s in app.referred_by],
        "references": references,
        "events": _timeline(
            [site.interview_event(i) for i in interviews],
            [site.activity(a) for a in on_it],
            [site.task_event(t) for t in tasks],
            site.commits_of(app.path),
        ),
        "history": site.record_history(app.path),
        "open_tasks": [site.task(t) for t in tasks if t.status != "done"],
        "source": app.path,
        "tasks_json": _tasks_json(site, tasks),
    }


def interview_page(site: Site, interview: Interview) -> Context:
    site.the_record("interviews", interview)
    tasks = site.tasks_of("interview", interview.slug)
    thanks = {t.contact: t for t in tasks if t.rule == "thank-you"}
    people = []
    for slug in interview.interviewers:
        task = thanks.get(slug)
        people.append({**(site.person(slug) or {}), "task": site.task(task) if task else None})
    zone = site.records.settings.zone
    return {
        "title": f"{interview.name.capitalize()} for "
        + (site.application(interview.application) or {"label": interview.application})["label"],
        "interview": interview,
        "at_text": site.at(interview.at),
        "end_text": interview.end.astimezone(zone).strftime("%H:%M"),
        "app": site.application(interview.application),
        "interviewers": people,
        "also_met": [site.person(s) for s in interview.also_met],
        "notes": interview.notes,
        "events": _timeline(
            [site.activity(a) for a in interview.log],
            [site.task_event(t) for t in tasks],
            site.commits_of(interview.path),
        ),
        "history": site.record_history(interview.path),
        "source": interview.path,
        "tasks_json": _tasks_json(site, tasks),
    }


def contact_page(site: Site, contact: Contact) -> Context:
    site.the_record("contacts", contact)
    tasks = site.tasks_of("person", contact.slug)
    upcoming = [t for t in tasks if t.status != "done"]
    involved_in = site.indexed("involved_in", contact.slug)
    return {
        "title": contact.name,
        "contact": contact,
        "company": _company_link(site, contact.company) if contact.company else None,
        "applications": [site.application(slug) for slug in involved_in],
        "next": site.task(min(upcoming, key=lambda t: t.due)) if upcoming else None,
        "events": _timeline(
            [site.activity(a) for a in site.indexed("activities_with", contact.slug)],
            [site.interview_event(i) for i in site.indexed("met", contact.slug)],
            [site.task_event(t) for t in tasks],
            site.commits_of(contact.path),
        ),
        "history": site.record_history(contact.path),
        "notes": contact.notes,
        "source": contact.path,
        "tasks_json": _tasks_json(site, tasks),
    }


def company_page(site: Site, company: Company) -> Context:
    site.the_record("companies", company)
    slug = company.slug
    return {
        "title": company.name,
        "company": company,
        "applications": [site.application(app) for app in site.indexed("applications_at", slug)],
        "people": [site.person(person) for person in site.indexed("people_at", slug)],
        "history": site.record_history(company.path),
        "source": company.path,
        "tasks_json": {},
    }


def draft_page(site: Site, draft: Draft) -> Context:
    """A note to read, copy, mail or print: laid out as a card, a letter or a message."""
    me = site.records.settings.me
    paper = draft.channel in ("mail", "card", "fax")
    layout = "card" if draft.channel == "card" else "letter" if paper else "message"
    site.the_record("contacts", draft.contact)
    return {
        "title": f"Note to {draft.contact.name}",
        "draft": site.draft(draft.task.id),
        "task": {**site.task(draft.task), "draft": None},  # no link to this very page
        "layout": layout,
        "recipient": {
            "name": draft.contact.name,
            "title": draft.contact.title,
            "company": site.company_name(draft.contact.company or ""),
            "address": draft.contact.address if paper else None,
        },
        "sender": {"name": me.name, "address": me.address if paper else None},
        # Read only by a letter, which shows it: a page that reads the date is made
        # again each day (at N=2000, 4,000 drafts a day, 0.4 s).
        "date": site.today().strftime("%B %d, %Y") if layout == "letter" else None,
        "tasks_json": _tasks_json(site, [draft.task]),
    }


def funnel(site: Site) -> list[Context]:
    """How many applications reached each stage, including those that ended there."""
    stages = []
    for app in site.records.applications.values():
        if app.status in _PIPELINE:
            stages.append(_PIPELINE.index(app.status))
        elif site.index.interviews_of[app.slug]:
            stages.append(_PIPELINE.index("interviewing"))
        else:
            stages.append(_PIPELINE.index("applied") if app.applied else 0)
    reached = [sum(stage >= i for stage in stages) for i in range(len(_PIPELINE))]
    widest = max(reached) or 1
    return [
        {"stage": stage, "count": count, "share": count / widest}
        for stage, count in zip(_PIPELINE, reached, strict=True)
    ]


def weekly_activity(records: Records, now: datetime) -> tuple[list[Context], datetime | None]:
    """Things I did (not replies) in each of the last twelve weeks, oldest first; and
    the time of the first one logged for later, which will count then."""
    zone = records.settings.zone
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    counts = [0] * ACTIVITY_WEEKS
    later: datetime | None = None
    for activity in records.activities():
        if not activity.outgoing:
            continue
        if activity.on > now:
            later = activity.on if later is None else min(later, activity.on)
            continue
        day = activity.on.astimezone(zone).date()
        weeks_ago = (monday - (day - timedelta(days=day.weekday()))).days // 7
        if weeks_ago < ACTIVITY_WEEKS:
            counts[ACTIVITY_WEEKS - 1 - weeks_ago] += 1
    most = max(counts) or 1
    weeks = [
        {
            "week": (monday - timedelta(weeks=ACTIVITY_WEEKS - 1 - i)).strftime("%d %b"),
            "count": n,
            "share": n / most,
        }
        for i, n in enumerate(counts)
    ]
    return weeks, later


def _logged(folder: str, record: Any) -> list[tuple[datetime, bool]]:
    """What of a record's log counts in the weekly chart (a company logs nothing)."""
    return [(activity.on, activity.outgoing) for activity in getattr(record, "log", ())]


def _reported(folder: str, record: Any) -> object:
    """What of a record the report page may show: of a person, their name and log; of a
    company, its name; of an application or an interview, all of it."""
    if record is None or folder not in ("contacts", "companies"):
        return record
    if folder == "companies":
        return record.name
    log = [(a.on, a.did, a.with_, a.via, a.note, a.application) for a in record.log]
    return record.name, log


def thank_you_timeliness(tasks: Iterable[Task]) -> Context:
    """Of the thank-you notes whose deadline has come, how many went out on time."""
    notes = [t for t in tasks if t.rule == "thank-you" and t.status != "upcoming"]
    on_time = sum(t.status == "done" and not t.late for t in notes)
    late = sum(t.late for t in notes)
    missed = sum(t.status == "overdue" for t in notes)
    waiting = sum(t.status == "due" for t in notes)
    total = len(notes) or 1
    parts = [("on time", on_time), ("late", late), ("overdue", missed), ("due now", waiting)]
    offset = 0.0
    bars = []
    for label, count in parts:
        bars.append({"label": label, "count": count, "start": offset, "share": count / total})
        offset += count / total
    return {"total": len(notes), "on_time": on_time, "bars": bars}


def _company_link(site: Site, slug: str) -> Context:
    known = site.company(slug) is not None
    return {
        "name": site.company_name(slug),
        "url": url("companies", slug) if known else None,
    }


def _timeline(*groups: list[Context]) -> list[Context]:
    """Events of every kind, newest first."""
    return sorted((e for group in groups for e in group), key=lambda e: e["sort"], reverse=True)


def _tasks_json(site: Site, tasks: list[Task]) -> dict[str, Context]:
    """The times the page's script needs to say how long till or since each task is due
    ("now": whenever the page is read)."""
    records = site.records
    return {
        t.id: _NOW if rules.due_when_read(t, records) else {"opens": c["opens"], "due": c["due"]}
        for t, c in ((t, site.task(t)) for t in tasks if t.status != "done")
    }


_NOW = {"opens": "now", "due": "now"}


class Written:
    """A TaskTimes as last written: a copy of what it held, and its JSON."""

    def __init__(self) -> None:
        self.held: dict[str, Context] | None = None
        self.text = ""


class TaskTimes(dict[str, Context]):
    """The times of thousands of tasks, which the dashboard, the agenda and the people
    page give their script: written as JSON (see render.dumps) only when they hold
    other times than the last written, which after most saves they do not."""

    __slots__ = ("_written",)

    def __init__(self, times: dict[str, Context], written: Written) -> None:
        super().__init__(times)
        self._written = written

    def __reduce__(self) -> tuple[type[dict[str, Context]], tuple[dict[str, Context]]]:
        return dict, (dict(self),)  # what it holds; not how it was written

    def json(self) -> str:
        """As json.dumps(sort_keys=True) writes what it holds now."""
        written = self._written
        if written.held is not None and written.held == self:
            return written.text
        text = json.dumps(self, sort_keys=True)
        plain = all(
            type(times) is dict and all(type(value) is str for value in times.values())
            for times in self.values()
        )  # (a task's times are not to be changed: see Site.task_times)
        written.held = dict(self) if plain else None  # so most are compared by identity
        written.text = text
        return text


def _week_label(monday: Any, index: int) -> str:
    names = {0: "This week", 1: "Next week"}
    return names.get(index, f"Week of {monday.strftime('%d %b')}")
