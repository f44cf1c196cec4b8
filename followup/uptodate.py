"""A build with nothing to do: the site is already what it would write.

With a fixed clock (`build --now`), the site is a function of its inputs: every
file under data/ and templates/, followup itself, the machine's time zone, the
git history and where the site goes. When a digest of all of them (names, sizes,
modification times and inodes; no file is read) is the one of the last build,
and the site is still the folder that build swapped in, there is nothing to do
but say again what that build said. Like make, it trusts modification times; a
file changed in the moments before the last build was recorded never counts as
unchanged, as its clock may not have ticked since.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from followup import clock, store
from followup.history import History

#: In .followup-cache/: the inputs, site and messages of the last build with a fixed clock.
LAST = "last-build.pickle"
#: Inputs changed this close (in ns) to the end of a build are not trusted to stay put.
RACY = 2 * 10**9
#: The folders whose files make the site.
INPUTS = ("data", "templates")


class _Unsure(Exception):
    """The inputs cannot be told apart by their stamps alone."""


@dataclass(frozen=True)
class Done:
    """What a build did, to say again when nothing changed."""

    inputs: str
    site: tuple[object, ...]
    messages: tuple[str, ...]  # the problems, as printed
    files: int
    overdue: int
    due: int


def inputs(root: Path, out: Path, now: str, history: History) -> tuple[str, int] | None:
    """A digest of everything a build with this clock reads, and the newest change in it;
    None when that cannot be told from stamps (a link to a folder)."""
    found: list[object] = [
        store.version(),
        now,
        clock.machine_zone().key,
        str(out.resolve()),
        # (a frozenset pickles in an order that differs from one process to the next; the
        # commits, as read from git or from its cache, differ in what objects they share)
        store.digest_of(
            (history.head, sorted(history.uncommitted), history.shallow, history.tracked)
        ),
    ]
    newest = 0
    try:
        for name in INPUTS:
            newest = max(newest, _walk(root / name, name, found))
    except _Unsure:
        return None
    return store.digest_of(found), newest


def site(out: Path) -> tuple[object, ...]:
    """The output folder and what is in it at its top, as the last build left them: a
    file or folder added, removed or replaced there by hand shows. Deeper down nothing is
    looked at (that would read the whole site), so there a change by hand stays until
    the next build that has something to do."""
    found: list[object] = []
    try:
        status = os.lstat(out)
        found.append((status.st_ino, status.st_mtime_ns))
        with os.scandir(out) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                status = entry.stat(follow_symlinks=False)
                found.append((entry.name, status.st_mode, status.st_ino, status.st_mtime_ns))
    except OSError:
        return ("missing",)
    return tuple(found)


def last(root: Path, digest: str, out: Path) -> Done | None:
    """The last build, when it had these inputs and its site is still in place."""
    done = store.load(root, LAST)
    if isinstance(done, Done) and done.inputs == digest and done.site == site(out):
        return done
    return None


def record(root: Path, done: Done, newest: int) -> None:
    """Remember this build, unless an input changed too recently to be sure of."""
    if newest >= time.time_ns() - RACY:
        store.save(root, LAST, None)
        return
    store.save(root, LAST, done)


def _walk(folder: Path, rel: str, found: list[object]) -> int:
    newest = 0
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except FileNotFoundError:
        found.append((rel, "absent"))
        return 0
    except OSError as error:
        found.append((rel, "unreadable", error.errno))
        return 0
    for entry in entries:
        path = f"{rel}/{entry.name}"
        try:
            status = entry.stat(follow_symlinks=False)
        except OSError:
            found.append((path, "gone"))
            continue
        found.append((path, status.st_mode, status.st_size, status.st_mtime_ns, status.st_ino))
        newest = max(newest, status.st_mtime_ns, status.st_ctime_ns)
        if entry.is_symlink():
            if entry.is_dir():
                raise _Unsure(path)
            try:
                target = os.stat(entry.path)
                where = os.path.realpath(entry.path)
                found.append((path, where, target.st_size, target.st_mtime_ns, target.st_ino))
                newest = max(newest, target.st_mtime_ns, target.st_ctime_ns)
            except OSError:
                found.append((path, "broken"))
            continue
        if entry.is_dir(follow_symlinks=False):
            newest = max(newest, _walk(Path(entry.path), path, found))
    return newest
