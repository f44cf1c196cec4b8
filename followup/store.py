"""The build cache: what one build worked out, kept in .followup-cache/ for the next.

Each file there holds followup's version, then a pickle of the value. The
version is followup's own, a format number and the size and time of every file
of followup's code and built-in templates, so that a new followup (or an edited
checkout) never reads what an older one stored. Nothing stored is trusted: a
file that is missing, old, truncated or not ours is ignored, and the work is
done again. Deleting the folder is always safe.

Reading a pickle can run code, and a workspace may be someone else's repository
with a .followup-cache/ planted in it. So every file is signed with a key that
lives outside any workspace, in this user's own cache folder, and only a file
whose signature checks out is unpickled.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import operator
import os
import pickle
import secrets
import stat
import tempfile
from collections.abc import Callable, Hashable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO, Generic, TypeVar

V = TypeVar("V")

#: The folder in a workspace; git ignores it (see the example's .gitignore).
FOLDER = ".followup-cache"
#: Raised whenever what is stored changes shape.
FORMAT = 2

_PACKAGE = Path(__file__).resolve().parent
_KEY_BYTES = 32
_SIGNATURE_BYTES = 32  # sha256
_LONGEST_VERSION = 200


@lru_cache(maxsize=1)
def version() -> str:
    """followup's version, the format, and a stamp of every file of its code and templates."""
    from followup import __version__

    stamps = []
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".html", ".txt", ".css", ".js"):
            try:
                status = path.stat()
            except OSError:
                continue
            stamps.append(f"{path.relative_to(_PACKAGE)}:{status.st_size}:{status.st_mtime_ns}")
    return f"{__version__}/{FORMAT}/{digest(chr(10).join(stamps).encode())}"


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def digest_of(value: Any) -> str:
    """A digest of plain values (and dataclasses of them): equal digests, equal values.

    Pickle writes a value the same way each time, but may write equal values
    differently (shared objects); that can only make a digest differ, never match
    when the values do not.
    """
    return digest(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


@lru_cache(maxsize=1)
def _key() -> bytes | None:
    """This user's signing key, made on first use; None where none can be kept."""
    home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(home) / "followup" / "cache-key"
    try:
        key = path.read_bytes()
        if len(key) == _KEY_BYTES:
            return key
    except FileNotFoundError:
        pass
    except OSError:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(_KEY_BYTES)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(fresh)
        return fresh
    except OSError:
        return None


def load(root: Path, name: str) -> Any | None:
    """What was stored under name, or None when it is missing, old, broken or unsigned.
    Read as it is unpickled, not whole first: a large workspace's state is 70 MB."""
    key = _key()
    if key is None:
        return None
    try:
        with _opened(root / FOLDER / name) as file:
            signature = file.read(_SIGNATURE_BYTES)
            mac = hmac.new(key, digestmod=hashlib.sha256)
            while chunk := file.read(1 << 20):
                mac.update(chunk)
            if not hmac.compare_digest(signature, mac.digest()):
                return None  # not written by this user's followup: never unpickled
            file.seek(_SIGNATURE_BYTES)
            if file.readline(_LONGEST_VERSION) != _version_line():
                return None  # another followup's
            return _unpickled(file)
    except Exception:  # anything at all: a broken cache is no cache
        pass
    return None


def _unpickled(file: BinaryIO) -> Any:
    """pickle.load, without the collector: a large workspace's state is a million
    objects, and the collector scanned them over and over as they were made (at
    N=2000, 1.5 to 1.7 s against 0.5 s). Unpickling makes no cycles that are garbage. (The
    collector is on again after only if it was before: see resume.load.)"""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(file)
    finally:
        if collecting:
            gc.enable()


@contextlib.contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    """A plain file, to read: a link planted in its place (to /dev/zero, say, which would
    be read until memory ran out) or anything else is refused, without waiting (a pipe's
    open would wait for a writer)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(f"{path} is not a file")
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            yield file
    finally:
        os.close(descriptor)


def _version_line() -> bytes:
    return f"{version()}\n".encode()


def save(root: Path, name: str, value: Any) -> None:
    """Store value under name, atomically; a workspace that cannot be written goes without.
    (Signed, then followup's version, then the pickle: see load.)"""
    folder = root / FOLDER
    key = _key()
    if key is None:
        return
    try:
        folder.mkdir(exist_ok=True)
        with replaced(folder / name) as file:
            file.write(bytes(_SIGNATURE_BYTES))  # (signed once all is written)
            signed = _Signed(file, hmac.new(key, digestmod=hashlib.sha256))
            signed.write(_version_line())
            pickle.dump(value, signed, protocol=pickle.HIGHEST_PROTOCOL)
            file.seek(0)
            file.write(signed.mac.digest())
    except (OSError, pickle.PicklingError):
        pass


@contextlib.contextmanager
def replaced(path: Path) -> Iterator[BinaryIO]:
    """A new file at path, written whole beside it (as .NAME-*) and then renamed into
    place: whoever reads it finds the old or the new, never half of one, and two
    writers at once leave one of theirs."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as file:
            yield file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _Signed:
    """A file written to as it is signed: a large workspace's state is pickled straight
    into its file, not into 70 MB of memory first."""

    def __init__(self, file: BinaryIO, mac: hmac.HMAC) -> None:
        self.file, self.mac = file, mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.file.write(data)


def _always(value: object) -> bool:
    return True


_MISSING: Any = object()


def same_objects(these: list[Any] | None, those: list[Any]) -> bool:
    """Whether two lists hold the very same objects: watch keeps what it made of them."""
    return these is not None and len(these) == len(those) and all(map(operator.is_, these, those))


class Memo(Generic[V]):
    """Results by key: the last build's, and those this build used, to keep for the next."""

    def __init__(self, before: object = None) -> None:
        self.before: dict[Hashable, V] = before if isinstance(before, dict) else {}
        self.now: dict[Hashable, V] = {}

    @property
    def empty(self) -> bool:
        """Nothing made or kept yet."""
        return not self.before and not self.now

    def get(self, key: Hashable, make: Callable[[], V], still: Callable[[V], bool] = _always) -> V:
        """The value of key: this build's, else the last build's if it is still true,
        else what make makes."""
        if key in self.now:
            return self.now[key]
        value = self.before[key] if key in self.before and still(self.before[key]) else make()
        self.now[key] = value
        return value

    def get_all(self, keys: Sequence[Hashable], make: Callable[[int], V]) -> list[V]:
        """The values of these keys, as get gives each; make(i) makes the i-th's (the
        last build's value is taken as still true)."""
        now, before = self.now, self.before
        found: list[V] = [now.get(key, before.get(key, _MISSING)) for key in keys]
        for i in [i for i, value in enumerate(found) if value is _MISSING]:
            found[i] = make(i)
        now.update(zip(keys, found, strict=True))
        return found

    def keep(self, key: Hashable) -> None:
        """The last build's value of key is this build's too (the caller knows it is
        still true)."""
        if key in self.before:
            self.now[key] = self.before[key]

    def abandon(self) -> None:
        """What this build made is not kept: it failed partway (get takes this build's
        values without asking whether they still hold)."""
        self.now = {}

    def turn(self) -> None:
        """This build's results become the last build's, for the next one in this process
        (watch keeps such a memo in memory)."""
        self.before, self.now = self.now, {}

    @classmethod
    def load(cls, root: Path, name: str) -> Memo[V]:
        return cls(load(root, name))

    def save(self, root: Path, name: str) -> None:
        """Store what this build used, if it used anything and that is news."""
        if self.now and self.now != self.before:
            save(root, name, self.now)
