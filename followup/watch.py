"""followup watch: rebuild the site after every save, keeping the last good one.

Reading a watched file fires open and close events, and editors save by writing
temporary files and renaming them. So only changes, creations, deletions and
moves count, both ends of a move are looked at, editor junk is ignored, a file
that came and went within a burst is no change at all, and a burst of events
becomes one rebuild once the folder has been quiet for a moment: a very short one
when every file written in the burst has been closed.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import signal
import threading
import time
import warnings
import webbrowser
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

import click
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from followup import agenda, load, phrases, publish, resume, serve, workspace
from followup.build import Memory, SiteError, analyse, remember, write_site
from followup.history import read_soon
from followup.problems import Problem, has_errors

#: The workspace's folders whose files make the site (settings.yaml is in data/).
WATCHED = ("data", "templates")
#: Seconds without an event before a burst of them becomes one rebuild: an editor's save
#: is a burst of a few events within milliseconds, a program writing a file in pieces
#: pauses longer between them...
QUIET = 0.1
#: ...but once every file written in the burst has been closed, only this long (a
#: save's last events come within a millisecond of each other): a tenth of a second
#: less between a save and its page.
SETTLED = 0.01
#: ...unless events keep coming for this long: then rebuild anyway.
LONGEST_BURST = 2.0
#: The events that change what a file holds or whether it is there.
KINDS = ("modified", "created", "deleted", "moved")
_FILTER = [
    FileModifiedEvent, FileCreatedEvent, FileDeletedEvent, FileMovedEvent, FileClosedEvent,
    DirCreatedEvent, DirDeletedEvent, DirMovedEvent,
]  # fmt: skip
#: Editors' swap, backup, lock and probe files (vim writes '4913' to test a folder), and
#: hidden ones, like the site's staging folders: the same names that load skips.


class CannotStart(Exception):
    """watch cannot run as asked: the output folder or the server's address."""


def relevant(root: Path, path: str) -> str | None:
    """path relative to root, with forward slashes, when a change there can change the site."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return None
    if not parts or parts[0] not in WATCHED or any(load.is_editor_junk(part) for part in parts):
        return None
    return "/".join(parts)


class Changes(FileSystemEventHandler):
    """Collects the paths that watchdog's thread reports; the rebuild loop takes them in bursts."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._ready = threading.Condition()
        self._new: dict[str, bool] = {}  # path -> it did not exist when the burst began
        #: The burst's paths that may not be as they will be: written to and not closed
        #: since (maybe half written), or deleted or moved away (an editor may be saving
        #: by moving the old file aside, then writing the new one). A change of a file's
        #: mode or time is a modification no close follows, and the polling observer
        #: sees no closes: then the burst waits the whole QUIET.
        self._unsettled: set[str] = set()
        self._came_and_went: set[str] = set()  # see came_and_went
        self._first = self._last = 0.0

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type == "closed":
            if (rel := self._rel(event.src_path)) is not None:
                with self._ready:
                    self._unsettled.discard(rel)
                    self._ready.notify_all()
            return
        if event.event_type not in KINDS or (event.is_directory and event.event_type == "modified"):
            return
        src = self._rel(event.src_path)
        dest = self._rel(event.dest_path) if event.dest_path else None
        if src is None and dest is None:
            return
        with self._ready:
            now = time.monotonic()
            if not self._new:
                self._first = now
            if src is not None:
                self._new.setdefault(src, event.event_type == "created")
                if not (event.is_directory and event.event_type == "created"):
                    self._unsettled.add(src)  # written to, deleted or moved away
            if dest is not None:
                self._new.setdefault(dest, True)
                self._unsettled.discard(dest)  # a move brings a whole file
            self._last = now
            self._ready.notify_all()

    def take(self, timeout: float) -> set[str]:
        """The paths of the next burst once it goes quiet; an empty set after timeout seconds."""
        deadline = time.monotonic() + timeout
        with self._ready:
            while True:
                now = time.monotonic()
                quiet = QUIET if self._unsettled else SETTLED
                if self._new and (now - self._last >= quiet or now - self._first >= LONGEST_BURST):
                    if paths := self._net_changes():
                        return paths
                elif now >= deadline:
                    return set()
                wake = deadline
                if self._new:
                    wake = min(self._last + quiet, self._first + LONGEST_BURST)
                self._ready.wait(max(wake - now, 0.001))

    def pending(self) -> bool:
        """Whether a change has come since the last burst was taken."""
        with self._ready:
            return bool(self._new)

    def came_and_went(self) -> set[str]:
        """The files that came and went within a burst, since last asked: no change to
        build for, but a rebuild may have listed or read one while it was there."""
        with self._ready:
            found, self._came_and_went = self._came_and_went, set()
        return found

    def _net_changes(self) -> set[str]:
        """The burst's paths, less the files that came and went in it (an editor's temp file)."""
        new, self._new = self._new, {}
        self._unsettled.clear()  # what is still unsettled sends events again when it settles
        gone = {rel for rel, born in new.items() if born and not os.path.lexists(self._root / rel)}
        self._came_and_went |= gone
        return new.keys() - gone

    def _rel(self, path: bytes | str) -> str | None:
        return relevant(self._root, os.fsdecode(path))


@dataclass(frozen=True)
class Rebuild:
    """What one rebuild did, for the terminal and for the pages open in a browser."""

    # paths relative to the workspace (a site outside it: full paths); () for the first build
    changed: tuple[str, ...]
    problems: tuple[Problem, ...]
    site_error: str  # why the site could not be written (a template's error), or ''
    files: int  # the files written; 0 when the last good site was kept
    seconds: float
    site_outcome: str = ""  # when the site was not written, what became of it

    @property
    def ok(self) -> bool:
        return self.files > 0

    def errors(self) -> list[str]:
        """What kept the site from being written, each as path:line:column: message."""
        errors = [str(p) for p in self.problems if p.severity == "error"]
        return [*errors, self.site_error] if self.site_error else errors

    def summary(self) -> str:
        """One line: when, what changed, how long, how many problems."""
        clock = datetime.now().strftime("%H:%M:%S")
        what = f"{_names(self.changed)} changed" if self.changed else "first build"
        warnings = sum(p.severity == "warning" for p in self.problems)
        errors = len(self.errors())
        count = f"{phrases.plural(errors, 'error')}, {phrases.plural(warnings, 'warning')}"
        if self.ok:
            done = f"site rebuilt in {self.seconds:.2f} s ({self.files} files, {count})"
        else:
            outcome = self.site_outcome or "kept the last good site"
            done = f"{count} ({self.seconds:.2f} s): {outcome}"
        return f"{clock} {what}: {done}"


class Watcher:
    """Watches a workspace's files and rebuilds its site after each burst of changes.

    Use it as a context manager: entering starts watching, leaving stops.
    """

    def __init__(self, root: Path, out: Path, *, poll: bool = False) -> None:
        try:
            publish.check_output(root, out)
        except publish.UnsafeOutput as error:
            raise CannotStart(str(error)) from None
        self.root, self.out, self.poll = root.resolve(), out, poll
        # What the last build kept, in this process or another (checked as it is used).
        state = resume.load(self.root, out)
        self.cache = state.cache
        self._memory: Memory | None = state.memory if state.memory.site else None
        self._kept = state.kept
        # The cache and the site are as the last rebuild left them, but for what events
        # name: the next rebuild looks at nothing else (see _missed). Not so after a
        # rebuild failed, until one looks at everything and writes the site.
        self._trusted = False
        self._unchecked = False  # ...and the last rebuild took them on trust
        self._unsaved = False  # ...not yet stored for a build in another process
        self._untidy = False  # a rebuild's garbage is not collected yet
        self._fewest_frozen = 0  # objects frozen, since the collector last collected all
        self._watching = False
        self._collecting = True  # (as the collector was, given back: see __exit__)
        self.notice = ""  # why watching fell back to polling, if it did
        self._changes = Changes(self.root)
        self._observer: BaseObserver | None = None
        self._watches: dict[str, ObservedWatch] = {}

    def __enter__(self) -> Watcher:
        self._watching, self._collecting = True, gc.isenabled()
        if not self.poll:
            try:
                self._observer = self._started(Observer())
                return self
            except OSError as error:
                self.notice = f"{_inotify_trouble(error)}: polling every second instead"
        self._observer = self._started(PollingObserver())
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._observer is not None:
                self._observer.stop()
                self._observer.join()
            self.settle()
        finally:  # (a second Ctrl-C as it stores its memory, say)
            # Not collected here, as the program ends, most often: the collector, given
            # back as it was, finds what is garbage in its time.
            self._watching = False
            gc.unfreeze()
            if self._collecting:
                gc.enable()

    def build(self, changed: tuple[str, ...] = ()) -> Rebuild:
        """Read (what changed), check, and write the site unless there is an error."""
        started = time.perf_counter()
        problems: list[Problem] = []
        files, site_error, outcome = 0, "", ""
        trusted = self._unchecked = self._trusted
        self._trusted = False  # until this rebuild ends well
        rebuild = self._memory is not None  # not a first build: see _collect
        collecting = gc.isenabled()
        kept = self._kept
        try:
            if rebuild:
                gc.disable()
            history = read_soon(self.root)  # git works while the workspace is read
            shown = self._memory.site if self._memory else None
            records, problems = workspace.read(
                self.root, cache=self.cache, trusted=trusted, last=shown.records if shown else None
            )
            analysis = analyse(self.root, records, problems, datetime.now(UTC), kept)
            problems = analysis.problems
            if not has_errors(problems):
                last = self._memory
                made = write_site(
                    self.root,
                    self.out,
                    analysis,
                    history(),
                    last,
                    save=False,
                    trusted=trusted,
                    kept=kept,
                    fork=False,
                )
                self._memory, self._unsaved = made, self._unsaved or made != last
                files = len(made.keys)
            self._trusted = trusted or files > 0
        except SiteError as error:
            site_error = str(error)
            outcome = "" if error.kept else error.outcome
        except Exception as error:  # a fault of followup's own: say so, and keep watching
            if os.environ.get("FOLLOWUP_DEBUG"):
                raise
            site_error = (
                f"internal error ({type(error).__name__}: {error}). Please report it; "
                "FOLLOWUP_DEBUG=1 shows the details."
            )
        finally:
            self._untidy = True
            if not self._watching:  # (no quiet moment comes: a test's build, say)
                if collecting:
                    gc.enable()
            elif not rebuild:
                gc.freeze()  # as the collector would scan all the build made, again and again
        kept.turn()
        seconds = time.perf_counter() - started
        return Rebuild(changed, tuple(problems), site_error, files, seconds, outcome)

    def next_build(self, timeout: float) -> Rebuild | None:
        """Wait up to timeout for a burst of changes, then rebuild once for all of it."""
        changed = self._changes.take(timeout)
        self.cache.forget(self.root, changed | self._changes.came_and_went())
        if not changed:
            self._collect()
            if missed := self._missed():
                return self.build(missed)
            self.settle(until=self._changes.pending)
            return None
        assert self._observer is not None, "use the Watcher in a with block"
        self._watch(self._observer, changed.intersection(WATCHED))
        return self.build(tuple(sorted(changed)))

    def _missed(self) -> tuple[str, ...]:
        """Once quiet after a rebuild that took the cache and the site on trust, what
        changed all the same: a file under data/ whose event was lost (inotify drops
        events when too many come at once), be it a record's or one the listing of data/
        refuses, or a file of the site changed by hand. A rebuild then looks at
        everything again.

        Not when a save comes as it looks (at N=2000, data/ takes 0.19 s and the site
        0.26 s): that save's file would seem missed, and its rebuild look at everything
        too. The save is rebuilt first, on trust, and this is done at the next quiet
        moment."""
        if not self._unchecked:
            return ()
        missed = self.cache.unseen(self.root)
        if self._changes.pending():
            return ()
        if self._memory is not None:
            try:
                out = self.out.resolve()
                found = publish.unseen(out, self._memory.stamps)
            except (OSError, RuntimeError):  # (a loop of links) the rebuild says what it is
                missed.append(str(self.out))
            else:
                inside = out.is_relative_to(self.root)
                shown = out.relative_to(self.root).as_posix() if inside else str(out)
                missed += [f"{shown}/{rel}" for rel in found]
            if self._changes.pending():
                return ()
        self._unchecked = False
        if missed:
            self._trusted = False
        return tuple(missed)

    def _collect(self) -> None:
        """What the rebuilds made, collected: the first of the quiet moment's work, as it
        takes the least (at N=2000, some 50,000 objects in 40 to 60 ms), and as it is not
        done while saves keep coming. The collector is off from the start of a rebuild (not
        a first build, which makes a lot of garbage) to here: a rebuild makes little that
        refcounting does not free. What is alive is then frozen (gc.freeze): the collector
        scans every object it has not frozen, and a large workspace's last build is a
        million of them. All are collected (0.31 to 0.40 s) only once the frozen have grown
        by a tenth over the fewest there were since that was last done, as some may since
        have been dropped in cycles."""
        if not self._untidy:
            return
        gc.collect(1)
        gc.freeze()
        if gc.get_freeze_count() > self._fewest_frozen * 1.1:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self._fewest_frozen = gc.get_freeze_count()
        else:
            self._fewest_frozen = min(self._fewest_frozen, gc.get_freeze_count())
        if self._collecting:
            gc.enable()
        self._untidy = False

    def settle(self, until: Callable[[], bool] = lambda: False) -> None:
        """What else can wait for a quiet moment, as it takes a while for a big workspace:
        store the last rebuild's proofreading and calendar events, and its memory of the
        site, for a build in another process. Step by step, each only while until() is
        false (a save has not come): what is left waits for the next quiet moment, after
        that save's rebuild. (At N=2000, storing the memory took 0.3 s and collecting all
        0.37 s; with looking at every file first, 0.45 s, a save that came as they began
        waited 1.1 s for them.)"""
        if not until():
            self._kept.save(self.root)
        if self._unsaved and self._memory is not None and not until():
            with contextlib.suppress(OSError, RuntimeError):  # (a site gone, or a loop)
                remember(self.root, self.out, self._memory)
                self._unsaved = False

    def _started(self, observer: BaseObserver) -> BaseObserver:
        self._watches = {}
        self._watch(observer, {"", *WATCHED})
        try:
            observer.start()
        except BaseException:
            observer.stop()  # an inotify observer holds a thread from the start
            raise
        return observer

    def _watch(self, observer: BaseObserver, names: Iterable[str]) -> None:
        """(Re)watch these folders: "" is the root's own entries (a new templates/ shows up
        there), the others recursively; a folder that was replaced needs a new watch."""
        for name in names:
            if name in self._watches:
                observer.unschedule(self._watches.pop(name))
            folder = self.root / name
            if folder.is_dir():
                self._watches[name] = observer.schedule(
                    self._changes, str(folder), recursive=bool(name), event_filter=_FILTER
                )


def main(
    root: Path, out: Path, *, poll: bool, address: tuple[str, int] | None, browse: bool
) -> None:
    """Watch until Ctrl-C (or kill), printing each rebuild; with an address, serve the site
    there too."""
    # When a folder moved away comes back, watchdog watches it again, as it should, and
    # warns that it did so in twenty lines of its own state: nothing for the user.
    warnings.filterwarnings(
        "ignore", "Callback with id .* already exists", RuntimeWarning, r"watchdog\."
    )
    try:
        with contextlib.ExitStack() as stack:
            stack.enter_context(_terminate_as_interrupt())
            server = stack.enter_context(_serving(out, address)) if address else None
            watcher = stack.enter_context(Watcher(root, out, poll=poll))
            click.echo(f"Watching {', '.join(f'{n}/' for n in WATCHED)} in {root} (Ctrl-C stops).")
            if watcher.notice:
                click.echo(watcher.notice)
            report = Report(server)
            report(watcher.build())
            if server is not None:
                click.echo(f"Serving {out} at {server.url}: open pages reload after each rebuild.")
                if not server.local:
                    click.echo("Anyone who can reach this computer at that address can read it.")
            if browse:
                webbrowser.open(server.url if server else (out / "index.html").as_uri())
            run(watcher, report, threading.Event())
    except KeyboardInterrupt:
        click.echo("\nStopped.")


def run(watcher: Watcher, report: Callable[[Rebuild], None], stop: threading.Event) -> None:
    """Rebuild after each burst of changes until stop is set."""
    while not stop.is_set():
        if result := watcher.next_build(timeout=0.5):
            report(result)


class Report:
    """Tells of each rebuild: its line in the terminal, then its problems when they are news
    or kept the site; and, when serving, the pages open in a browser."""

    def __init__(self, server: serve.Server | None) -> None:
        self._server = server
        self._shown: tuple[Problem, ...] | None = None

    def __call__(self, result: Rebuild) -> None:
        click.echo(result.summary())
        if result.problems != self._shown or not result.ok:
            for line in agenda.problem_lines(list(result.problems)):
                click.echo(line, err=True)
        if result.site_error:
            click.echo(click.style(result.site_error, fg="red"), err=True)
        self._shown = result.problems
        if self._server is not None:
            self._server.signal.announce(result.ok, result.errors())


@contextlib.contextmanager
def _serving(out: Path, address: tuple[str, int]) -> Iterator[serve.Server]:
    try:
        server = serve.start(out, *address)
    except serve.Unavailable as error:
        raise CannotStart(str(error)) from None
    try:
        yield server
    finally:
        server.close()


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """kill (SIGTERM) stops watch the way Ctrl-C does: between two files, with no staging
    folder left behind. Where SIGTERM was set aside (nohup and the like), it stays so."""
    if signal.getsignal(signal.SIGTERM) != signal.SIG_DFL:
        yield
        return

    def interrupt(number: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _inotify_trouble(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "inotify cannot watch more folders (raise fs.inotify.max_user_watches)"
    if error.errno == errno.EMFILE:
        return "inotify cannot start another watch (raise fs.inotify.max_user_instances)"
    return f"inotify cannot watch: {error.strerror or error}"


def _names(paths: tuple[str, ...]) -> str:
    if len(paths) <= 3:
        return ", ".join(paths)
    return f"{', '.join(paths[:2])} and {len(paths) - 2} more"
