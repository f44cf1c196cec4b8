"""The follow-up rules: from the records and the clock, every task the advice calls for.

Each rule is a pure function of the records and `now` (DESIGN section 2); no
rule reads a file or the real clock, so a fixed `now` gives a fixed answer.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from followup import clock
from followup.clock import Duration
from followup.model import Activity, Application, Index, Records
from followup.pickling import by_fields
from followup.problems import Problem
from followup.schema import ACTIVE

Status = Literal["done", "upcoming", "due", "overdue"]
#: Rules whose titles say which job they are about ("... the Backend Engineer job at Acme").
TITLE_NAMES_THE_JOB = frozenset(
    {"follow-up-call", "check-in", "reference-permission", "thank-everyone"}
)
GRACE = Duration(2, "d")  # how long a rolling check-in stays due
KEEP_UP = Duration(7, "d")  # how long a stay-in-touch stays due


@by_fields
@dataclass(frozen=True, slots=True)
class Task:
    rule: str
    application: str | None
    interview: str | None
    contact: str | None
    title: str
    opens: datetime
    due: datetime
    done_at: datetime | None
    status: Status
    person: str | None  # whom to reach: the contact, or for a call or a question, who
    #: Made once: watch keeps a task from save to save, and asks its id many times a save.
    id: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = (self.application, self.interview, self.contact)
        object.__setattr__(self, "id", ":".join([self.rule, *(part or "-" for part in parts)]))

    def __hash__(self) -> int:
        """Equal tasks have the same id; hashing it alone, not every field, is what makes
        finding thousands of tasks in a dict quick (watch does at every save)."""
        return hash(self.id)

    @property
    def late(self) -> bool:
        return self.done_at is not None and self.done_at > self.due


@by_fields
@dataclass(frozen=True, slots=True)
class Nudge:
    """Advice about the search as a whole, with no deadline."""

    rule: str
    message: str


#: A task's values as a plain tuple, in the order of its fields: what it equals, and
#: what the caches and digests keep (a tuple pickles several times faster than a task).
VALUES = operator.attrgetter(*(f.name for f in dataclasses.fields(Task) if f.init))

#: What the rules and the warnings read of each kind of record (a contact's company
#: tells the warnings who works for an employer). The other fields (a contact's title or
#: email, an interview's notes, an application's pitch) set no deadline: while only they
#: change, the tasks are the last build's, their status brought up to now (see work).
#: tests/test_rules_reads.py changes every other field and finds the same tasks.
READS: dict[str, tuple[str, ...]] = {
    "contacts": ("slug", "name", "company", "reference", "stay_in_touch", "log"),
    "companies": ("slug", "name"),
    "applications": ("slug", "company", "role", "status", "applied", "contact",
                     "referred_by", "references", "decision_by", "closed", "log"),
    "interviews": ("slug", "application", "at", "end", "kind", "interviewers", "log"),
}  # fmt: skip
_READ = {kind: operator.attrgetter(*names) for kind, names in READS.items()}


@dataclass(frozen=True)
class Worked:
    """The tasks and warnings the rules found, and the records they found them in: what
    tells the next build (watch keeps this) whether the rules would find the same."""

    records: Records
    tasks: list[Task]
    warnings: list[Problem]
    #: The rules that gave some task the moment of the build as its deadline (every
    #: build moves it), each with the tasks it made.
    clocked: dict[Rule, list[Task]]


@dataclass
class _Rules:
    """What every rule needs: the records, their index and the clock; and the tasks of
    the last build, by their values."""

    records: Records
    now: datetime
    last: dict[tuple[object, ...], Task] = field(default_factory=dict)
    clocked: bool = False  # the rule at work gave a task the moment of the build

    def right_now(self) -> datetime:
        """Now, as a deadline, when the records give none."""
        self.clocked = True
        return self.now

    @property
    def index(self) -> Index:
        return self.records.index

    def add(self, instant: datetime, duration: Duration) -> datetime:
        return clock.add(instant, duration, self.records.settings.zone)

    def task(
        self,
        rule: str,
        title: str,
        opens: datetime,
        due: datetime,
        *,
        application: str | None = None,
        interview: str | None = None,
        contact: str | None = None,
        done_at: datetime | None = None,
        done: bool = False,
        person: str | None = None,
    ) -> Task:
        status = "done" if done or done_at is not None else _status(self.now, opens, due)
        values = (rule, application, interview, contact, title, opens, due, done_at, status,
                  person or contact)  # fmt: skip
        known = self.last.get(values)
        return known if known is not None else Task(*values)

    def name(self, slug: str | None) -> str:
        return self.records.name_of(slug)

    def job(self, app: Application) -> str:
        return f"the {app.role} job at {self.company(app)}"

    def company(self, app: Application) -> str:
        return self.records.company_name(app.company)


def thank_you(ix: _Rules) -> Iterator[Task]:
    """A separate note to each interviewer within 24 hours, recruiters too.

    Seeds 000-003: "within twenty four hours ... a separate thank you note for
    each interviewee"; seed 003: thank the recruiter after a phone interview.
    """
    within = ix.records.settings.rules.thank_you_within
    for interview in ix.records.interviews.values():
        app = ix.records.applications.get(interview.application)
        where = f" at {ix.company(app)}" if app else ""
        for person in interview.interviewers:
            sent = _first(ix.index.activities_with[person], "thank-you", after=interview.at)
            yield ix.task(
                "thank-you",
                f"Thank-you note to {ix.name(person)} for the {interview.name}{where}",
                interview.end,
                ix.add(interview.at, within),
                application=interview.application,
                interview=interview.slug,
                contact=person,
                done_at=sent.on if sent else None,
            )


def follow_up_call(ix: _Rules) -> Iterator[Task]:
    """Once the notes have arrived, a call to ask about the position.

    Seed 002: "Allow 48-72 hours after mailing, then make a telephone call to
    the interviewer and ask about the position."
    """
    rules = ix.records.settings.rules
    for app in ix.records.applications.values():
        interviews = ix.index.interviews_of[app.slug]
        for interview, following in itertools.zip_longest(interviews, interviews[1:]):
            # A note after the next interview is about that one, not this.
            until = following.at if following else None
            notes = [
                sent
                for person in interview.interviewers
                for sent in ix.index.activities_with[person]
                if sent.did == "thank-you"
                and sent.on >= interview.at
                and (until is None or sent.on < until)
            ]
            if not notes:
                continue
            last = max(sent.on for sent in notes)
            called = _first(ix.index.activities_on[app.slug], "call", after=last)
            noted = [sent.with_ for sent in notes]
            who = app.contact if app.contact in noted else noted[0]
            yield ix.task(
                "follow-up-call",
                f"Call {ix.name(who)} about {ix.job(app)}",
                ix.add(last, rules.call_opens_after_note),
                ix.add(last, rules.call_due_after_note),
                application=app.slug,
                interview=interview.slug,
                done_at=called.on if called else None,
                person=who,
            )


def decision_date(ix: _Rules) -> Iterator[Task]:
    """After the last interview, know when they will decide.

    Seed 002: "At the end of your interview, ask ... when they will make their
    decision."
    """
    within = ix.records.settings.rules.thank_you_within
    zone = ix.records.settings.zone
    for app in ix.records.applications.values():
        interviews = ix.index.interviews_of[app.slug]
        if not interviews:
            continue
        last = interviews[-1]
        known = app.decision_by is not None and app.decision_by >= last.at.astimezone(zone).date()
        who = app.contact or next(iter(last.interviewers), None)
        yield ix.task(
            "decision-date",
            f"Ask {ix.name(who)} when {ix.company(app)} will decide, and write it in decision_by",
            last.end,
            ix.add(last.at, within),
            application=app.slug,
            interview=last.slug,
            done=known,
            person=who,
        )


def check_in(ix: _Rules) -> Iterator[Task]:
    """A weekly check-in until the job is filled; rolls with every activity.

    Seed 002: "Consistently continue your follow-up efforts until the job is
    filled. Just don't call every day ... you can certainly call once a week."
    """
    rules = ix.records.settings.rules
    zone = ix.records.settings.zone
    for app in ix.records.applications.values():
        anchors = [a.on for a in ix.index.activities_on[app.slug][-1:]]
        anchors += [i.end for i in ix.index.interviews_of[app.slug][-1:]]
        if app.applied:
            anchors.append(clock.day_start(app.applied, zone))
        if not anchors:
            continue
        opens = ix.add(max(anchors), rules.check_in_every)
        if app.decision_by:
            opens = max(opens, clock.day_start(app.decision_by + timedelta(days=1), zone))
        yield ix.task(
            "check-in",
            f"Check in with {ix.name(app.contact)} on {ix.job(app)}"
            if app.contact
            else f"Check in on {ix.job(app)}",
            opens,
            ix.add(opens, GRACE),
            application=app.slug,
            person=app.contact,
        )


def due_when_read(task: Task, records: Records) -> bool:
    """Whether the task is due at the moment of the build, whichever that is: a reference
    to ask on an application with no `applied` date (DESIGN: "for a lead without it,
    now"). A page's script takes it as due whenever the page is read. (Its application
    gains a date only with a new deadline: a new task.)"""
    if task.rule != "reference-permission":
        return False
    app = records.applications.get(task.application or "")
    return app is not None and app.applied is None


def reference_permission(ix: _Rules) -> Iterator[Task]:
    """Ask each reference's permission before applying.

    Seed 002: "Call all your references before you apply for jobs and ask their
    permission to use their names, addresses and phone numbers."
    """
    zone = ix.records.settings.zone
    for app in ix.records.applications.values():
        applied = clock.day_start(app.applied, zone) if app.applied else None
        for person in app.references:
            contact = ix.records.contacts.get(person)
            if contact is None:
                continue
            granted = contact.reference.granted if contact.reference else None
            done_at = clock.day_start(granted, zone) if granted else None
            if done_at is not None and (applied is None or done_at <= applied):
                continue  # asked in time: nothing to do, nothing to record
            opens = applied or ix.right_now()  # (see due_when_read)
            yield ix.task(
                "reference-permission",
                f"Ask {contact.name}'s permission to give them as a reference for {ix.job(app)}",
                opens,
                opens,
                application=app.slug,
                contact=person,
                done_at=done_at,
            )


def thank_everyone(ix: _Rules) -> Iterator[Task]:
    """Once the job is won, thank everyone who helped, each once.

    Seed 003: "Once you've gotten over the elation of landing your new job,
    send thank-you notes to everyone involved. I mean everyone."
    """
    zone = ix.records.settings.zone
    within = ix.records.settings.rules.thank_everyone_within
    for app in _applications(ix, {"accepted"}):
        if app.closed is None:
            continue
        opens = clock.day_start(app.closed, zone)
        since = clock.midnight(app.closed, zone)
        for person in _helpers(ix, app):
            sent = _first(ix.index.activities_with[person], "thank-you", after=since)
            yield ix.task(
                "thank-everyone",
                f"Thank {ix.name(person)} for helping you land {ix.job(app)}",
                opens,
                ix.add(opens, within),
                application=app.slug,
                contact=person,
                done_at=sent.on if sent else None,
            )


def stay_in_touch(ix: _Rules) -> Iterator[Task]:
    """Keep the people of the search in your circle; rolls with every contact.

    Seed 002: "Do not forget about the company if you do not receive a job
    offer ... Add your interviewer into your business circle."
    """
    rules = ix.records.settings.rules
    zone = ix.records.settings.zone
    cadence: dict[str, Duration] = {}
    closed_on: dict[str, datetime] = {}
    for app in _applications(ix, {"rejected", "withdrawn", "filled"}):
        if app.closed is None:
            continue
        people = [app.contact] if app.contact else []
        people += [p for i in ix.index.interviews_of[app.slug] for p in i.interviewers]
        for person in people:
            cadence.setdefault(person, rules.network_every)
            closed = clock.day_start(app.closed, zone)
            closed_on[person] = max(closed_on.get(person, closed), closed)
    for contact in ix.records.contacts.values():
        if contact.stay_in_touch:
            cadence[contact.slug] = contact.stay_in_touch
    for person in sorted(cadence):
        if person not in ix.records.contacts:
            continue
        anchors = [a.on for a in ix.index.activities_with[person][-1:]]
        anchors += [i.end for i in ix.index.interviewed_by[person][-1:]]
        anchors += [closed_on[person]] if person in closed_on else []
        opens = ix.add(max(anchors), cadence[person]) if anchors else ix.right_now()
        yield ix.task(
            "stay-in-touch",
            f"Keep in touch with {ix.name(person)}",
            opens,
            ix.add(opens, KEEP_UP),
            contact=person,
        )


Rule = Callable[[_Rules], Iterator[Task]]
RULES: tuple[Rule, ...] = (
    thank_you,
    follow_up_call,
    decision_date,
    check_in,
    reference_permission,
    thank_everyone,
    stay_in_touch,
)


#: The states in which a rule makes tasks for an application. A task already done
#: stays in the record whatever the state now (DESIGN section 2, "while").
WHILE: dict[str, frozenset[str]] = {
    "follow-up-call": ACTIVE,
    "decision-date": ACTIVE,
    "check-in": ACTIVE,
    "reference-permission": ACTIVE | {"lead"},
}


def tasks(records: Records, now: datetime) -> list[Task]:
    """Every task of every rule at `now`, soonest deadline first."""
    return _tasks(_Rules(records, now))


def work(records: Records, now: datetime, last: Worked | None = None) -> Worked:
    """Every task at `now` and every warning, and what they were worked out from. last,
    what the build before found (watch keeps it): if the rules read nothing else now,
    they find the same warnings and tasks, due by the same deadlines, and only the
    tasks' status is worked out again (at N=2000, 5 ms instead of 250), but for the
    rules that gave a task the moment of the build as its deadline, which are run
    again (a lead's reference, in the sample); else a task equal to one of last's is
    that very object, so that what watch made of it is found again by identity."""
    if last is not None and _same_reads(last.records, records):
        moving = {id(task) for made in last.clocked.values() for task in made}
        tasks = [_at(task, now) for task in last.tasks if id(task) not in moving]
        if not moving:
            return Worked(records, tasks, last.warnings, clocked={})
        theirs = [task for made in last.clocked.values() for task in made]
        ix = _Rules(records, now, {VALUES(task): task for task in theirs})
        again, clocked = _made(ix, tuple(last.clocked))
        for task in again:  # (the others are in order: only their status is new)
            bisect.insort(tasks, task, key=_order)
        return Worked(records, tasks, last.warnings, clocked)
    ix = _Rules(records, now, {VALUES(task): task for task in last.tasks} if last else {})
    found, clocked = _made(ix, RULES)
    return Worked(records, _sorted(found), warnings(records), clocked)


def _tasks(ix: _Rules) -> list[Task]:
    return _sorted(_made(ix, RULES)[0])


def _made(ix: _Rules, rules: tuple[Rule, ...]) -> tuple[list[Task], dict[Rule, list[Task]]]:
    """The tasks these rules make, and those of each rule that read the clock."""
    found: list[Task] = []
    clocked: dict[Rule, list[Task]] = {}
    for rule in rules:
        ix.clocked = False
        made = [task for task in rule(ix) if _needed(ix, task)]
        found += made
        if ix.clocked:
            clocked[rule] = made
    return found, clocked


def _sorted(tasks: list[Task]) -> list[Task]:
    return sorted(tasks, key=_order)


def _order(task: Task) -> tuple[datetime, datetime, str]:
    """Soonest deadline first."""
    return task.due, task.opens, task.id


def _same_reads(before: Records, after: Records) -> bool:
    """Whether the rules would read the same in both (a file not changed since is the
    very same record)."""
    since = after.since
    if since is not None and since[0] is before:  # (only the changed records to look at)
        return all(_reads_alike(before, after, folder, slug) for folder, slug in since[1])
    if before.settings != after.settings:
        return False
    for kind, read in _READ.items():
        old, new = getattr(before, kind), getattr(after, kind)
        if len(old) != len(new):
            return False
        for (slug, was), (slug_now, is_) in zip(old.items(), new.items(), strict=True):
            if slug != slug_now or (was is not is_ and read(was) != read(is_)):
                return False
    return True


def _reads_alike(before: Records, after: Records, folder: str, slug: str) -> bool:
    if folder == "settings":
        return False
    was, now = getattr(before, folder).get(slug), getattr(after, folder).get(slug)
    return was is not None and now is not None and _READ[folder](was) == _READ[folder](now)


def _status(now: datetime, opens: datetime, due: datetime) -> Status:
    """The status of a task not done."""
    return "upcoming" if now < opens else "due" if now <= due else "overdue"


def _at(task: Task, now: datetime) -> Task:
    """The task as it stands at `now` (being done or not does not depend on the time)."""
    if task.status == "done":
        return task
    status = _status(now, task.opens, task.due)
    return task if status == task.status else dataclasses.replace(task, status=status)


def _needed(ix: _Rules, task: Task) -> bool:
    states = WHILE.get(task.rule)
    if states is None or task.status == "done":
        return True
    app = ix.records.applications.get(task.application or "")
    return app is not None and app.status in states


def warnings(records: Records) -> list[Problem]:
    """Calls or messages on one application closer together than the check-in cadence.

    Seed 002: "Be patient, but persistent ... Just don't call every day."
    """
    every = records.settings.rules.check_in_every
    found = []
    for slug, activities in records.index.activities_on.items():
        employer = _employer_people(records, slug)
        reaching = [a for a in activities if a.did in ("call", "message") and a.with_ in employer]
        for before, after in itertools.pairwise(reaching):
            if after.on < clock.add(before.on, every, records.settings.zone):
                gap = _ago(after.on - before.on)
                message = (
                    f"this {after.did} on {slug} comes {gap} after the {before.did} logged in "
                    f"{before.path}:{before.line}: be persistent but patient; don't call or "
                    f"write every day, check in every {every.describe()}"
                )
                found.append(Problem(after.path, after.line, after.column, "warning", message))
    return found


def nudges(records: Records) -> list[Nudge]:
    """Seed 002: "Continue to search for jobs and go on interviews, even if your
    interview went so well that you think the company is definitely going to hire you."
    """
    wanted = records.settings.rules.min_active_applications
    active = sum(app.active for app in records.applications.values())
    if active >= wanted:
        return []
    count = f"{active} application{'' if active == 1 else 's'} {'is' if active == 1 else 'are'}"
    return [
        Nudge(
            "keep-searching",
            f"Keep searching: {count} active; aim for at least {wanted}, "
            "even when one interview went very well.",
        )
    ]


def _applications(ix: _Rules, states: Iterable[str]) -> Iterator[Application]:
    wanted = set(states)
    return (app for app in ix.records.applications.values() if app.status in wanted)


def _helpers(ix: _Rules, app: Application) -> list[str]:
    """Everyone who helped land a job, each once, in the order they came in."""
    people = [*app.referred_by, *app.references]
    people += [p for i in ix.index.interviews_of[app.slug] for p in i.interviewers]
    people += [app.contact] if app.contact else []
    return [p for p in dict.fromkeys(people) if p in ix.records.contacts]


def _first(activities: list[Activity], did: str, *, after: datetime) -> Activity | None:
    """The earliest activity of a kind at or after an instant (activities sorted by time)."""
    return next((a for a in activities if a.did == did and a.on >= after), None)


def _ago(delta: timedelta) -> str:
    minutes = delta.total_seconds() / 60
    if minutes < 60:
        return f"{round(minutes)} min"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} h"
    return f"{round(minutes / 60 / 24)} days"


def _employer_people(records: Records, slug: str) -> set[str | None]:
    """Whom calling too often would annoy: the employer's people (or no one named), not
    the friend who referred me."""
    app = records.applications.get(slug)
    if app is None:
        return {None}
    people: set[str | None] = {None, app.contact}
    people |= {p for i in records.index.interviews_of[slug] for p in i.interviewers}
    people |= set(records.index.people_at.get(app.company, ()))
    return people
