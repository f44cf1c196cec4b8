"""Files made in a second process while this one renders the pages.

A cold build at N=2000 spends seconds in icalendar writing calendar.ics and in
the email package writing the drafts' .eml files, on one core of two. Those
files need nothing the pages make, so a forked copy of the build makes them
meanwhile and sends their bytes back through a pipe. Where there is no fork, or
the copy fails in any way, this process makes them itself: the site is the same.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

#: Fewer files than this are made here, in less time than forking (5 ms for a cold build
#: at N=2000) and taking their bytes back.
AT_LEAST = 100


class Aside:
    """Files to make aside: add them, start, and take their bytes when needed. extra,
    called in the second process after the files are made, says what else it found
    that this one must know (a memo it filled), given back by `done`."""

    def __init__(self, extra: Callable[[], Any] = lambda: None) -> None:
        self._extra = extra
        self._files: list[tuple[str, Callable[[], bytes]]] = []
        self._child = 0
        self._pipe = -1  # what the second process sends, to read once it is done
        self._started = False

    def add(self, path: str, make: Callable[[], bytes]) -> None:
        self._files.append((path, make))

    def start(self) -> None:
        """Begin making them in a second process, if there are enough and it can; once."""
        if self._started:
            return
        self._started = True
        if len(self._files) < AT_LEAST or not can_fork():
            return
        read, write = os.pipe()
        with interrupts_held() as mask:
            child = fork()
            if child == 0:  # pragma: no cover - the second process
                _make_and_send(self._files, self._extra, (read, write), mask)
            os.close(write)
            if child < 0:
                os.close(read)
            else:
                self._child, self._pipe = child, read  # (known before Ctrl-C can come)

    def done(self) -> tuple[Iterator[tuple[str, bytes]], Any]:
        """Each file's path and bytes, in the order added, and what extra found (None
        when made here; then the memo is this process's own)."""
        sent = self._finished()
        if sent is None:
            return ((path, make()) for path, make in self._files), None
        contents, extra = sent
        return zip([path for path, _ in self._files], contents, strict=True), extra

    def abandon(self) -> None:
        """Stop the second process: the build failed."""
        if self._child:
            child, self._child = self._child, 0
            with contextlib.suppress(OSError):
                os.close(self._pipe)
            _stop(child)

    def _finished(self) -> tuple[list[bytes], Any] | None:
        """What the second process sent, once it has ended; None if it did not end well.
        (It sends all at the end, and waits for the pipe to be read.) Interrupted while
        reading (Ctrl-C), it stops that process."""
        if not self._child:
            return None
        child, self._child = self._child, 0
        try:
            with os.fdopen(self._pipe, "rb") as pipe:
                received = pipe.read()
        except BaseException:
            _stop(child)
            raise
        _, status = os.waitpid(child, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        try:
            contents, extra = pickle.loads(received)
        except Exception:  # anything at all: make them here
            return None
        if not isinstance(contents, list) or len(contents) != len(self._files):
            return None
        return contents, extra


def _stop(child: int) -> None:
    with contextlib.suppress(OSError):  # (it has ended)
        os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)


@contextlib.contextmanager
def interrupts_held() -> Iterator[set[int]]:
    """Ctrl-C held back while a copy is forked and this process notes it: so that it can
    never run this process's code in the copy, nor leave a copy this one does not know
    of. Gives the mask the copy restores."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield mask
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def fork() -> int:
    """os.fork(); -1 when it cannot."""
    try:
        return os.fork()
    except OSError:
        return -1


def can_fork() -> bool:
    """Only where fork copies the build safely: Linux (macOS's system libraries may not
    survive it)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _make_and_send(
    files: list[tuple[str, Callable[[], bytes]]],
    extra: Callable[[], Any],
    pipe: tuple[int, int],
    mask: Iterable[int],
) -> None:  # pragma: no cover - runs in the second process
    """Make the files and send their bytes; exit without running anything the first
    process registered (its exit handlers, its buffered output). Ctrl-C simply ends it.
    What this process holds from the first is frozen, so that a collection here does
    not write to every object of the build (and copy every page of it)."""
    code = 1
    read, write = pipe
    try:
        if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # (as under nohup)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        os.close(read)
        gc.freeze()
        found = pickle.dumps(([make() for _, make in files], extra()), pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write, "wb") as sending:
            sending.write(found)
        code = 0
    finally:
        os._exit(code)
