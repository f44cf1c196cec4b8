"""A build in a new process takes up where the last build left off.

Under watch, a save costs a fraction of a build: the last build's documents,
records, tasks, drafts, calendar events and pages' contexts are in memory, and
only what the save changed is worked out again. A build in a new process had
none of that, and did most of the work again for a one-file change. So each
build stores all it kept, in one pickle that keeps which objects are the same,
and the next build reads it back. Memos keyed by the id of an object are keyed
again by its new id as they are unpickled (pickling.by_new_ids).

Nothing in it is taken on trust: the build that reads it back looks at every
file of data/ and of the site, as watch does after a failed rebuild, and any
state that is missing, old, broken or for another site is no state at all.

A large workspace's state takes a while to write (at N=2000, some 70 MB, in close
to a second), so a forked copy of the build writes it while the command ends; the
next build waits for it.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeGuard

from followup import aside, store
from followup.build import SITE_CACHE, Kept, Memory, remember, stored_memory
from followup.cache import DocumentCache

#: In .followup-cache/: the last build's state...
STATE = "state.pickle"
#: ...and the lock its writer holds until it is written.
LOCK = "state.lock"
#: A state of fewer files of the site than this is written before the command ends (at
#: N=200, 2,500 files, in 0.1 s); a larger one by a forked copy.
AT_LEAST = 5000
#: Seconds a build waits at most for the last build's state; then it takes what is there.
WAIT = 60.0
#: Seconds after which a state still being written is one whose writer was killed.
STALE = 600


@dataclass
class State:
    """All a build keeps for the next: what watch keeps between saves."""

    cache: DocumentCache
    memory: Memory  # with its site, rows and drafts, when it has them
    kept: Kept
    #: Written by a copy of its build that outlived the command (so, read back, a sign
    #: that here such copies are not killed as their command ends).
    outlived: bool = False


def load(root: Path, out: Path) -> State:
    """The state the last build of out left; else what the cache's other files hold.
    What is alive is frozen (gc.freeze): whoever goes on after the build unfreezes it."""
    target = str(out.resolve())
    _wait_for_writer(root)
    collecting = gc.isenabled()
    gc.disable()
    try:
        found = store.load(root, STATE)
    finally:
        # A million objects, that live as long as the build: frozen, the collector does
        # not scan them all at the next allocation (at N=2000, 0.35 s), nor again later.
        gc.freeze()
        if collecting:
            gc.enable()
    if isinstance(found, dict) and found.get("out") == target:
        state, parts = found.get("state"), found.get("memory")
        if _whole(state) and isinstance(parts, tuple) and len(parts) == 3:
            state.memory.site, state.memory.rows, state.memory.drafts = parts
            return state
    memory = stored_memory(store.load(root, SITE_CACHE), target)
    return State(DocumentCache.stored(root), memory, Kept(root))


def save(root: Path, out: Path, state: State) -> None:
    """Store the state of a build of out for the next build, and its documents for the
    other commands; a large one by a forked copy of this process, where it can."""
    memory = state.memory  # (which pickles without these, for SITE_CACHE)
    if memory.site is not None:
        memory.site.last = None  # (no longer needed: nor held by the copy that writes)
    parts = (memory.site, memory.rows, memory.drafts)
    stored = {"out": str(out.resolve()), "state": state, "memory": parts}
    state.cache.save(root)

    large = len(memory.keys) >= AT_LEAST

    def write(outlived: bool) -> None:
        _tidy(root)
        if large:
            _give_back_freed_memory()
        state.outlived = outlived  # (what the state went on from said is read below first)
        store.save(root, STATE, stored)

    if not large or not _can_outlive_this_process():
        write(False)
    else:
        if not state.outlived:
            # Where copies are killed as their command ends (a service's end), the next
            # build will still find what each file of the site is made from (if a build
            # before, then only its changes are made again), and not make them all. (At
            # N=2000, 0.15 s: not where a copy of the last build was seen to live on.)
            remember(root, out, memory)
        _aside(root, write)


def _can_outlive_this_process() -> bool:
    """A copy can be left to write the state: it can fork, nothing else runs in this
    process, and it is not the first process of its namespace (a container's), whose
    end ends every other one in it."""
    return aside.can_fork() and threading.active_count() == 1 and os.getpid() != 1


def _give_back_freed_memory() -> None:
    """Give the system back what the build freed but the C library keeps for later (the
    pages' text, once written): at N=2000, 50 MB that the state's writer held on top of
    the 100 MB pickle's memo takes (glibc's malloc_trim; elsewhere nothing)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # (a C library without it: musl)
        ctypes.CDLL(None).malloc_trim(0)


def _tidy(root: Path) -> None:
    """Delete the half-written states of copies killed as they wrote (the system's
    shutdown; a container's end), some 70 MB each at N=2000."""
    stale = time.time() - STALE
    with contextlib.suppress(OSError):
        for part in (root / store.FOLDER).glob(f".{STATE}-*"):
            with contextlib.suppress(OSError):
                if part.lstat().st_mtime < stale:
                    part.unlink()


def _whole(state: object) -> TypeGuard[State]:
    return (
        isinstance(state, State)
        and isinstance(state.cache, DocumentCache)
        and isinstance(state.memory, Memory)
        and isinstance(state.kept, Kept)
    )


def _aside(root: Path, write: Callable[[bool], None]) -> None:
    """write(True) in a copy of this process that lives on after it, alone in a session of
    its own (so Ctrl-C at the terminal does not cut it short), its output going nowhere
    (so that a caller reading this one's output to its end does not wait for it). It
    holds LOCK till it is done; the lock is taken here first, so that no build can read
    the state between this one's end and the copy's start."""
    import fcntl

    try:
        folder = root / store.FOLDER
        folder.mkdir(exist_ok=True)
        lock = os.open(folder / LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:  # (not a file: a link, say)
        write(False)
        return
    try:
        if not _locked(lock, fcntl.LOCK_EX):  # (a copy still writing the state before)
            write(False)
            return
        with aside.interrupts_held() as mask:
            child = aside.fork()
            if child == 0:  # pragma: no cover - the copy, which leaves a copy of itself
                _write_detached(write, mask, lock)
        if child < 0:
            write(False)
        else:
            os.waitpid(child, 0)
    finally:
        os.close(lock)  # (the copy's copy holds it still)


def _write_detached(
    write: Callable[[bool], None], mask: Iterable[int], lock: int
) -> None:  # pragma: no cover - runs in the copy
    """Fork again and end, so that the writer is nobody's child to wait for; write,
    holding no file of this process's but the lock, and end without running anything
    this process registered."""
    code = 1
    try:
        os.setsid()
        if os.fork() == 0:
            nothing = os.open(os.devnull, os.O_RDWR)
            for stream in (0, 1, 2):
                os.dup2(nothing, stream)
            os.closerange(3, lock)
            os.closerange(lock + 1, os.sysconf("SC_OPEN_MAX"))
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            gc.disable()  # (what it writes is a copy: nothing to collect)
            write(True)
        code = 0
    finally:
        os._exit(code)


def _wait_for_writer(root: Path) -> None:
    """Wait, WAIT at most, while a copy of the last build writes its state."""
    if not aside.can_fork():
        return  # (there is no such copy)
    import fcntl

    try:
        lock = os.open(root / store.FOLDER / LOCK, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    try:
        _locked(lock, fcntl.LOCK_SH)
    finally:
        os.close(lock)


def _locked(lock: int, how: int) -> bool:
    """Whether the lock was taken (as fcntl.flock takes it), waiting WAIT at most."""
    import fcntl

    deadline = time.monotonic() + WAIT
    while True:
        try:
            fcntl.flock(lock, how | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        except OSError:  # (not a file that can be locked)
            return False
