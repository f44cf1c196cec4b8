"""Creating the site's files: a few in this process, many in a second one meanwhile.

Creating a file costs the kernel about what rendering a small page costs Python,
and far more on a disk that has just deleted thousands. So once a build has
written ALONE files, it hands the rest to a second process, which creates them
on another core while this one renders the next pages. Threads could not: each
needs the GIL between its system calls, and with the main thread rendering they
spent more time passing it around than writing. (A cold build of 24,508 files
took 31 s with eight of them, 26 s with none and 22 s with nothing written.)

Run as a script (by `Writer`, with the standard library only), this module is
that second process: it reads one frame a file on stdin, the paths as bytes,
and when stdin ends answers with each file's stamp, in JSON, on stdout.
"""

from __future__ import annotations

import collections
import contextlib
import json
import os
import stat
import struct
import subprocess
import sys
from typing import IO

#: What says a file in the site is the one a build wrote: (size, mtime_ns, inode).
Stamp = tuple[int, int, int]
#: Files written here before a second process (about 30 ms to start) takes over.
ALONE = 200
#: A frame's header: the lengths of the file's path, of the path of the file that may
#: already hold its bytes (empty if none), and of its bytes.
_FRAME = struct.Struct("!IIQ")
#: Bytes of files sent at once, the bytes a pipe holds (where it can be asked to), and
#: the most that waits here to be sent before the build waits for the second process.
_BATCH, _PIPE, _HELD = 1 << 16, 1 << 20, 1 << 26


def stamp(path: str | bytes | os.PathLike[str]) -> Stamp | None:
    """size, mtime_ns and inode of a regular file (links are not followed); else None."""
    try:
        status = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return status.st_size, status.st_mtime_ns, status.st_ino


def put(target: str | bytes, content: bytes, folders: set[str | bytes]) -> Stamp:
    """Write a file, and the folders it goes in unless known made; its stamp."""
    make_folder(os.path.dirname(target), folders)
    with open(target, "wb") as file:
        file.write(content)
    written = stamp(target)
    if written is None:
        raise OSError(f"{os.fsdecode(target)} is not a file after writing it")
    return written


def make_folder(folder: str | bytes, folders: set[str | bytes]) -> None:
    """A folder and those it is in, unless known made (another process may be making it
    too: that is fine)."""
    if folder not in folders:
        os.makedirs(folder, exist_ok=True)
        folders.add(folder)


def _holding(path: str | bytes, content: bytes) -> Stamp | None:
    """The stamp of the file at path if it holds just these bytes (and was not changed
    while read), else None. Reading a file costs much less than creating one."""
    before = stamp(path)
    if before is None or before[0] != len(content):
        return None
    try:
        with open(path, "rb") as file:
            same = file.read() == content
    except OSError:
        return None
    return before if same and stamp(path) == before else None


def _write(
    target: str | bytes, held: str | bytes, content: bytes, folders: set[str | bytes]
) -> tuple[Stamp, bool]:
    """A file's stamp, and whether it was written (not found at held with its bytes)."""
    kept = _holding(held, content) if held else None
    return (kept, False) if kept else (put(target, content, folders), True)


class Writer:
    """Files to write, in order: the first ALONE here, the rest by a second process
    while the caller goes on. `done` gives each one's stamp once all are written.

    What the second process has not read yet waits here, not in the pipe: a run of
    quick files (the drafts, one folder each) would otherwise hold the caller up
    until that process had written them.
    """

    def __init__(self, folders: set[str | bytes] | None = None) -> None:
        self._alone = ALONE
        self._here: list[tuple[Stamp, bool]] = []
        self._folders = folders if folders is not None else set()  # made in this process
        self._process: subprocess.Popen[bytes] | None = None
        self._batch: list[bytes] = []
        self._batched = 0
        self._unsent: collections.deque[memoryview] = collections.deque()
        self._unsent_bytes = 0

    def write(self, target: str, held: str, content: bytes) -> None:
        """Write content to target, unless the file at held (if any) holds it already."""
        if self._process is None and len(self._here) >= self._alone:
            self._process = _started()
            self._alone = sys.maxsize  # if it could not start, all are written here
        if self._process is None:
            self._here.append(_write(target, held, content, self._folders))
            return
        path, kept = os.fsencode(target), os.fsencode(held)
        self._batch += (_FRAME.pack(len(path), len(kept), len(content)), path, kept, content)
        self._batched += _FRAME.size + len(path) + len(kept) + len(content)
        if self._batched >= _BATCH:
            try:
                self._send(self._process, wait=False)
            except OSError:  # it stopped: say why
                self.done()
                raise

    def done(self) -> list[tuple[Stamp, bool]]:
        """Each file's stamp and whether it was written, in the order given; OSError
        if one could not be."""
        here, process = self._here, self._process
        self._here = []
        if process is None:
            return here
        assert process.stdin is not None and process.stdout is not None
        try:
            with contextlib.suppress(OSError):  # it stopped: its answer says why
                self._send(process, wait=True)
                process.stdin.close()
            answer = _answer(process.stdout)  # read to its end: it is stopping
        except BaseException:
            self.abandon()  # Ctrl-C, say: it must not write on into the staging folder
            raise
        self._process = None
        with process:  # closes its pipes, waits for it
            return here + answer

    def abandon(self) -> None:
        """Stop writing: the build failed or was interrupted."""
        if self._process is not None:
            with self._process as process:  # closes its pipes, waits for it
                self._process = None
                process.kill()

    def _send(self, process: subprocess.Popen[bytes], wait: bool) -> None:
        """Send what the pipe has room for; wait, all of it (as when too much waits
        here). OSError if the process stopped."""
        if self._batch:
            batch = memoryview(b"".join(self._batch))
            self._unsent.append(batch)
            self._unsent_bytes += len(batch)
            self._batch, self._batched = [], 0
        assert process.stdin is not None
        pipe = process.stdin.fileno()
        with contextlib.suppress(AttributeError, OSError):  # else writing waits till read
            os.set_blocking(pipe, wait or self._unsent_bytes > _HELD)
        while self._unsent:
            try:
                sent = os.write(pipe, self._unsent[0])
            except BlockingIOError:
                return  # full: the rest goes with the next batch
            self._unsent_bytes -= sent
            if sent == len(self._unsent[0]):
                self._unsent.popleft()
            else:
                self._unsent[0] = self._unsent[0][sent:]


def _started() -> subprocess.Popen[bytes] | None:
    """The second process, or None where one cannot be started (followup run from a
    zip, say). Its own process group: Ctrl-C is the build's, which stops it."""
    if not sys.executable or not os.path.isfile(__file__):
        return None
    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-S", os.path.abspath(__file__)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            process_group=0,
        )
    except OSError:
        return None
    with contextlib.suppress(ImportError, AttributeError, OSError):  # Linux, up to a limit
        import fcntl

        fcntl.fcntl(process.stdin, fcntl.F_SETPIPE_SZ, _PIPE)  # type: ignore[arg-type]
    return process


def _answer(stdout: IO[bytes]) -> list[tuple[Stamp, bool]]:
    """The second process's stamps; OSError if it could not write every file."""
    try:
        answer = json.loads(stdout.read())
    except ValueError:
        answer = None
    if isinstance(answer, dict) and "error" in answer:
        raise OSError(*answer["error"])  # as raised there: errno, text and file
    if not isinstance(answer, dict) or "stamps" not in answer:
        raise OSError("the process writing the site stopped before it was done")
    return [((size, mtime, inode), written) for size, mtime, inode, written in answer["stamps"]]


def _serve() -> None:
    """The second process: write each frame's file; at the end, all their stamps (or why
    one could not be written)."""
    read = sys.stdin.buffer.read
    folders: set[str | bytes] = set()
    stamps: list[tuple[int, int, int, bool]] = []
    answer: dict[str, object]
    try:
        while header := read(_FRAME.size):
            sizes = _FRAME.unpack(header) if len(header) == _FRAME.size else None
            target, held, content = map(read, sizes or (0, 0, 0))
            if (len(target), len(held), len(content)) != sizes:
                raise OSError("the build stopped sending the site")  # and is gone
            (size, mtime, inode), written = _write(target, held, content, folders)
            stamps.append((size, mtime, inode, written))
        answer = {"stamps": stamps}
    except OSError as error:
        answer = {"error": _said(error)}
    said = memoryview(json.dumps(answer).encode())
    with contextlib.suppress(OSError):  # the build is gone
        while said:
            said = said[os.write(sys.stdout.fileno(), said) :]


def _said(error: OSError) -> list[object]:
    """An error's arguments, to raise it again in the build: its number, text and file
    (as text, not bytes), or its message alone."""
    if error.errno is None:
        return [str(error)]
    name = error.filename
    return [error.errno, error.strerror, os.fsdecode(name) if name is not None else None]


if __name__ == "__main__":
    _serve()
