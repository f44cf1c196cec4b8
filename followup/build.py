"""The build, in the order data flows: read and check everything, work out the tasks,
then render and write the site in one swap."""

from __future__ import annotations

import functools
import itertools
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import jinja2

from followup import drafts, ics, proofread, publish, render, report, rules, store, views, writer
from followup.aside import Aside
from followup.drafts import Draft
from followup.history import History
from followup.history import read as read_history
from followup.model import Records
from followup.problems import Problem
from followup.rules import Nudge, Task


@dataclass(frozen=True)
class Analysis:
    records: Records
    problems: list[Problem]
    tasks: list[Task]
    nudges: list[Nudge]
    drafts: list[Draft]
    now: datetime
    templates: str  # a digest of the workspace's templates/, which the drafts were made with

    def report(self, listed: str | None = None) -> str:
        """What `check --format json` prints and tasks.json holds; listed, the tasks' list
        in it, when known (see views.Site.tasks_listed)."""
        return report.as_text(
            self.records, self.tasks, self.problems, self.nudges, self.now, listed
        )


#: In .followup-cache/: each file of the last site written, with its digest and stamp.
SITE_CACHE = "site.pickle"
#: In .followup-cache/: each draft's proofreading, by a digest of all it was read against.
PROOFREAD_CACHE = "proofread.pickle"
#: In .followup-cache/: calendar.ics's events as icalendar wrote them, by their inputs.
EVENTS_CACHE = "events.pickle"
#: In .followup-cache/: the drafts, by all they were made from, and the templates' digest.
DRAFTS_CACHE = "drafts.pickle"


class SiteError(Exception):
    """The site could not be rendered or written; the last good one is untouched, unless
    not kept: then the next build writes all of it."""

    def __init__(self, message: str, kept: bool = True) -> None:
        super().__init__(message)
        self.kept = kept

    @property
    def outcome(self) -> str:
        """What became of the site."""
        if self.kept:
            return "the last good site is unchanged"
        return "the site is part old, part new until the next build, which writes all of it"


def analyse(
    root: Path,
    records: Records,
    problems: list[Problem],
    now: datetime,
    kept: Kept | None = None,
) -> Analysis:
    """Everything check reports and build shows: tasks, drafts, and every problem. kept,
    the proofreading watch keeps in memory; else it is read from the cache and stored."""
    worked = rules.work(records, now, kept.worked if kept else None)
    if kept:
        kept.worked = worked
    tasks = worked.tasks
    templates = _templates_digest(root)
    written, found = _drafts(root, records, tasks, templates, kept)
    return Analysis(
        records=records,
        problems=sorted({*problems, *worked.warnings, *found}),
        tasks=tasks,
        nudges=rules.nudges(records),
        drafts=written,
        now=now,
        templates=templates,
    )


def _drafts(
    root: Path, records: Records, tasks: list[Task], templates: str, kept: Kept | None
) -> tuple[list[Draft], list[Problem]]:
    """The note drafts and their proofreading; a broken note template is an error."""
    try:
        made = _templating(root, templates)
        remembered = kept.notes(templates) if kept else drafts.Kept()
        stored = _stored_drafts(root, templates) if remembered.memo.empty else None
        written = drafts.drafts(records, tasks, made.notes, remembered, stored)
        if stored is not None and stored.now != stored.before:
            store.save(root, DRAFTS_CACHE, {"templates": templates, "drafts": stored.now})
    except jinja2.TemplateSyntaxError as error:
        where = _template_path(root, error.filename or error.name or "a template")
        return [], [Problem(where, error.lineno, 1, "error", error.message or "invalid template")]
    except jinja2.TemplateError as error:
        return [], [Problem("templates/notes", 1, 1, "error", str(error))]
    memo = kept.proofread if kept else store.Memo.load(root, PROOFREAD_CACHE)
    seen = kept.seen if kept else None
    found = proofread.proofread(records, written, proofread.words_file(root), None, memo, seen)
    if kept is None:
        memo.save(root, PROOFREAD_CACHE)
    return written, found


class Kept:
    """The drafts' proofreading and the calendar's events, as watch keeps them between
    rebuilds: read from the cache once, and stored at a quiet moment, not between a save
    and its page (at N=2000, reading them took 0.02 to 0.03 s a save, and storing them,
    when a save changed one, as much again). And what the rules found last, so that a
    save that changes no deadline does not have them worked out again, and the
    calendar's events as last worked out, and the drafts. A build in a new process finds
    it all as the last build left it (see resume)."""

    def __init__(self, root: Path) -> None:
        self.worked: rules.Worked | None = None
        self.calendar = ics.Events()
        self.proofread: store.Memo[proofread.Proofread] = store.Memo.load(root, PROOFREAD_CACHE)
        self.seen = proofread.Seen()
        self.events: store.Memo[bytes] = store.Memo.load(root, EVENTS_CACHE)
        self._news: set[str] = set()  # the files to store again
        self._notes = ("", drafts.Kept())  # the drafts, and the templates they were made with

    def notes(self, templates: str) -> drafts.Kept:
        """The drafts made with these templates; none when they changed."""
        if self._notes[0] != templates:
            self._notes = (templates, drafts.Kept())
        return self._notes[1]

    def turn(self) -> None:
        """After a rebuild, what it used is what the next one finds; a memo it did not
        use (the calendar was unchanged, say) stays as it was."""
        for name, memo in self._memos():
            if memo.now:
                if memo.now != memo.before:
                    self._news.add(name)
                memo.turn()

    def save(self, root: Path) -> None:
        """Store what changed, for a build in another process."""
        for name, memo in self._memos():
            if name in self._news:
                store.save(root, name, memo.before)
        self._news.clear()

    def _memos(self) -> list[tuple[str, store.Memo[Any]]]:
        return [(PROOFREAD_CACHE, self.proofread), (EVENTS_CACHE, self.events)]


def _stored_drafts(root: Path, templates: str) -> store.Memo[Draft]:
    """The drafts a build in another process made with these templates, for a process
    that has made none yet (watch keeps its own)."""
    found = store.load(root, DRAFTS_CACHE)
    if isinstance(found, dict) and found.get("templates") == templates:
        return store.Memo(found.get("drafts"))
    return store.Memo()


@dataclass(frozen=True)
class Output:
    """One file of the site: where it goes, a digest of all it is made from, and how to
    make its bytes (only called when the digest is not that of the file already there)."""

    path: str
    key: str
    make: Callable[[], bytes]
    aside: bool = False  # may be made in a second process (see aside)


@dataclass(frozen=True)
class Unchanged:
    """Files of the last build whose inputs are unchanged, all at once (under watch,
    most of the pages and the drafts): their digests, and how to make one again (its
    file was changed by hand)."""

    keys: dict[str, str]
    make: Callable[[str], bytes]


@dataclass
class Memory:
    """What a build wrote, kept in SITE_CACHE for the next: each file's digest and stamp,
    what each page about one record read, what those reads found, the templates and the
    time it was built for. While in memory (watch), also the site it worked out and the
    task rows it made. (Digests and stamps in two dicts: a save under watch makes no
    pair for each of the 24,500 files of N=2000, and takes the stage's stamps whole.)"""

    keys: dict[str, str] = field(default_factory=dict)  # each file's digest, by path
    stamps: dict[str, writer.Stamp] = field(default_factory=dict)  # and its stamp
    reads: dict[str, views.Reads] = field(default_factory=dict)
    found: dict[str, Hashable] = field(default_factory=dict)
    templates: str = ""
    now: datetime | None = None
    site: views.Site | None = field(default=None, compare=False)
    rows: render.Once | None = field(default=None, compare=False)
    #: The drafts, and each draft file's path and digest.
    drafts: tuple[list[Draft], list[tuple[str, str]]] | None = field(default=None, compare=False)

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "site": None, "rows": None, "drafts": None}


def outputs(
    root: Path,
    analysis: Analysis,
    history: History,
    events: store.Memo[bytes] | None = None,
    last: Memory | None = None,
    made: Memory | None = None,
    calendar: ics.Events | None = None,
) -> Iterator[Output | Unchanged]:
    """Every file of the site, each made only when asked for; events, the calendar's
    events as written before, and calendar, as worked out before. The pages whose reads
    found what they found for the last build, and the drafts' files whose digests are
    the last build's, come in two batches (Unchanged); a page's context is worked out
    only if asked for. made is filled in with this build's reads."""
    last, made = last or Memory(), made if made is not None else Memory()
    made.site = site = views.site_of(
        analysis.records,
        analysis.tasks,
        analysis.problems,
        analysis.nudges,
        analysis.drafts,
        analysis.now,
        history,
        last.site,
    )
    yield from _calendar_and_drafts(analysis, events, last, made, calendar)
    made.templates = templates = analysis.templates
    made.now = analysis.now
    same = last.templates == templates
    env = _templating(root, templates).pages
    env.globals["once"] = made.rows = render.Once(last.rows if same else None)
    unchanged: dict[str, str] = {}
    if same:
        changed = site.changed_since(last.found)
        alike = itertools.compress(last.reads, map(changed.isdisjoint, last.reads.values()))
        unchanged = {path: last.keys[path] for path in alike if path in last.keys}
    plans, kept = site.plans(unchanged)
    if kept:
        made.reads.update(_of(kept, last.reads))
        pages = [(path, unchanged[path]) for path in kept]
        plan_of = functools.partial(_plans_by_path, site)
        yield _unchanged(pages, _Again(plan_of, functools.partial(_page_again, env, site)))
    for plan in plans:
        page, reads = site.page(plan)
        if reads is not None:
            made.reads[plan.path] = reads
        if plan.path in views.TIMED_PAGES and analysis.now != last.now:
            key = f"shows {analysis.now}"  # new, as it shows the time (its context is big)
        else:
            key = site.key(templates, page)
        yield Output(page.path, key, functools.partial(render.render_page, env, page))
    made.found = site.found
    for asset, content in render.assets(env).items():
        yield Output(asset, store.digest(content), functools.partial(bytes, content))
    report = f"{analysis.report(site.tasks_listed)}\n".encode()
    yield Output("tasks.json", store.digest(report), functools.partial(bytes, report))


def _calendar_and_drafts(
    analysis: Analysis,
    events: store.Memo[bytes] | None,
    last: Memory,
    made: Memory,
    calendar: ics.Events | None,
) -> Iterator[Output | Unchanged]:
    """calendar.ics and the drafts' files: first, as they may be made aside while the
    pages are rendered."""
    records, tasks = analysis.records, analysis.tasks
    on_calendar = (calendar or ics.Events()).of(records, tasks)
    yield Output(
        "calendar.ics",
        store.digest_of((records.settings.zone.key, [digest for digest, _ in on_calendar])),
        functools.partial(ics.calendar, records, tasks, events, on_calendar),
        aside=True,
    )
    known = last.drafts  # (a new sender is new settings, and every draft is made again)
    if known and store.same_objects(known[0], analysis.drafts):
        kept_drafts = every = known[1]  # the very same drafts, all the last build's files
    else:
        me = records.settings.me
        sender = store.digest_of((me.name, me.email))
        kept_drafts, every = [], []
        for draft in analysis.drafts:
            shown = drafts.digest(draft)
            text, message = f"{draft.path}.md", f"{draft.path}.eml"
            keys = (shown, f"{shown} {sender}")
            every += [(text, keys[0]), (message, keys[1])]
            if (last.keys.get(text), last.keys.get(message)) == keys:
                kept_drafts += [(text, keys[0]), (message, keys[1])]
                continue
            yield Output(text, keys[0], functools.partial(_text, draft), aside=True)
            eml = functools.partial(drafts.eml, draft, records)
            yield Output(message, keys[1], eml, aside=True)
    made.drafts = (list(analysis.drafts), every)
    if kept_drafts:
        draft_of = functools.partial(_drafts_by_path, analysis.drafts)
        yield _unchanged(kept_drafts, _Again(draft_of, functools.partial(_draft_again, records)))


def _of(paths: Iterable[str], values: dict[str, Any]) -> dict[str, Any]:
    """The values of these paths. (A comprehension: dict(zip(paths, map(...))) took
    longer, 2.2 ms against 1.8 ms for 16,500 paths.)"""
    return {path: values[path] for path in paths}


def _unchanged(paths: list[tuple[str, str]], make: Callable[[str], bytes]) -> Unchanged:
    """A batch of these paths and digests; a path twice in it is an error, as _unique
    finds one twice among the rest."""
    keys = dict(paths)
    if len(keys) < len(paths):
        raise render.DuplicateOutput(_twice([path for path, _ in paths]))
    return Unchanged(keys, make)


def _text(draft: Draft) -> bytes:
    return draft.text.encode("utf-8")


class _Again:
    """Makes a kept file again (it was changed by hand), from what its path is made
    from: looked up in a table made on the first call, as a site deleted by hand has
    all its files made again."""

    def __init__(self, table: Callable[[], dict[str, Any]], make: Callable[[Any, str], bytes]):
        self._table_of, self._make = table, make
        self._table: dict[str, Any] | None = None

    def __call__(self, rel: str) -> bytes:
        if self._table is None:
            self._table = self._table_of()
        return self._make(self._table[rel], rel)


def _plans_by_path(site: views.Site) -> dict[str, views.Plan]:
    return {plan.path: plan for plan in site.plans()[0]}


def _page_again(env: jinja2.Environment, site: views.Site, plan: views.Plan, rel: str) -> bytes:
    return render.render_page(env, site.page(plan)[0])


def _drafts_by_path(made: list[Draft]) -> dict[str, Draft]:
    return {f"{draft.path}.{kind}": draft for draft in made for kind in ("md", "eml")}


def _draft_again(records: Records, draft: Draft, rel: str) -> bytes:
    return _text(draft) if rel.endswith(".md") else drafts.eml(draft, records)


def _twice(paths: list[str]) -> str:
    return next(path for path, times in Counter(paths).items() if times > 1)


def write_site(
    root: Path,
    out: Path,
    analysis: Analysis,
    history: History | None = None,
    last: Memory | None = None,
    *,
    save: bool = True,
    trusted: bool = False,
    kept: Kept | None = None,
    fork: bool = True,
) -> Memory:
    """Render and put in place the new site; what it wrote and read, for the next build.

    A file whose inputs are those of the one in the current site is kept instead of
    made again; .followup-cache/site.pickle remembers each file's digest and the stamp
    it was written with, and what the pages read. last, the memory of the last build
    when the caller kept it (watch does), saves reading that file; such a caller may
    also store the new memory later (`remember`), when there is time. trusted, the site
    is as that build left it, so its files are not looked at (see publish.staged). kept,
    the calendar's events watch keeps in memory; else they are read from the cache and
    stored. fork, some files may be made in a second process (see aside): not under
    watch, whose observer and server run in threads a fork would cut off.
    """
    made, keys = Memory(), {}
    events = kept.events if kept else store.Memo.load(root, EVENTS_CACHE)
    aside = Aside(lambda: events.now) if fork else None
    try:
        publish.check_output(root, out)
        if last is None:
            last = stored_memory(store.load(root, SITE_CACHE), str(out.resolve()))
        calendar = kept.calendar if kept else None
        found = outputs(root, analysis, history or read_history(root), events, last, made, calendar)
        with publish.staged(out, last.stamps.keys() if trusted else None) as stage:
            for output in _unique(found):
                if isinstance(output, Unchanged):
                    keys.update(output.keys)
                    stage.keep_all(_of(output.keys, last.stamps), output.make)
                    continue
                keys[output.path] = output.key
                if last.keys.get(output.path) == output.key and output.path in last.stamps:
                    stage.keep(output.path, last.stamps[output.path], output.make)
                elif aside is not None and output.aside:
                    aside.add(output.path, output.make)
                else:
                    if aside is not None:
                        aside.start()  # (the pages come after all that may be made aside)
                    stage.write(output.path, output.make())
            if aside is not None:
                made_aside, memo = aside.done()
                for path, content in made_aside:
                    stage.write(path, content)
                if memo is not None:
                    events.now.update(memo)
            stamps = stage.finish()
    except jinja2.TemplateSyntaxError as error:
        raise SiteError(_syntax(root, error)) from None
    except (jinja2.TemplateError, render.DuplicateOutput) as error:
        raise SiteError(f"templates: {error}") from None
    except publish.PartlyWritten as error:
        raise SiteError(f"{error} (updating the site)", kept=False) from None
    except (publish.UnsafeOutput, OSError) as error:
        raise SiteError(str(error)) from None
    finally:
        if aside is not None:
            aside.abandon()
    made.keys = keys
    made.stamps = stamps if len(stamps) == len(keys) else _of(keys, stamps)  # (most: the same)
    if save and made != last:
        remember(root, out, made)
    if kept is None:
        events.save(root, EVENTS_CACHE)
    return made


def remember(root: Path, out: Path, memory: Memory) -> None:
    """Store what a build of out wrote and read, for the next build in a new process."""
    store.save(root, SITE_CACHE, {"out": str(out.resolve()), "memory": memory})


def stored_memory(stored: object, target: str) -> Memory:
    """The last build's memory, if it wrote the same site."""
    if isinstance(stored, dict) and stored.get("out") == target:
        memory = stored.get("memory")
        if isinstance(memory, Memory):
            return memory
    return Memory()


def _unique(found: Iterable[Output | Unchanged]) -> Iterator[Output | Unchanged]:
    seen: set[str] = set()
    for output in found:
        if isinstance(output, Unchanged):  # (its paths are a dict's keys)
            if not seen.isdisjoint(output.keys):
                raise render.DuplicateOutput(next(path for path in output.keys if path in seen))
            seen.update(output.keys)
            yield output
            continue
        if output.path in seen:
            raise render.DuplicateOutput(output.path)
        seen.add(output.path)
        yield output


@dataclass(frozen=True)
class _Templating:
    """The notes' and the pages' Jinja environments."""

    notes: jinja2.Environment
    pages: jinja2.Environment


@functools.lru_cache(maxsize=2)
def _templating(root: Path, templates: str) -> _Templating:
    """Kept while the workspace's templates are the same (their digest): watch compiles
    each template once."""
    return _Templating(drafts.environment(root), render.environment(root))


def _templates_digest(root: Path) -> str:
    """A digest of the workspace's own templates: any change there renders every page."""
    folder = root / "templates"
    parts = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            try:
                parts.append((path.relative_to(folder).as_posix(), path.read_bytes()))
            except OSError:
                parts.append((path.relative_to(folder).as_posix(), b""))
    return store.digest_of(parts)


def _syntax(root: Path, error: jinja2.TemplateSyntaxError) -> str:
    where = _template_path(root, error.filename or error.name or "a template")
    return f"{where}:{error.lineno}:1: {error.message}"


def _template_path(root: Path, name: str) -> str:
    path = Path(name)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return name
