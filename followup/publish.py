"""Writing the site: into a staging folder beside it, then swapped in.

A failed build never touches the last good site, and nothing is written
outside the output folder. A folder followup did not write is never replaced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

#: Left in every site followup writes, so that only such folders are ever replaced.
MARKER = ".followup-site"


class UnsafeOutput(Exception):
    """The output folder is one that must not be replaced."""


def check_output(root: Path, out: Path) -> None:
    root, out = root.resolve(), out.resolve()
    for keep in (root / "data", root / "templates"):
        if out == keep or keep in out.parents or out in keep.parents:
            raise UnsafeOutput(f"{out} holds or is inside {keep.name}/: choose another --out")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"{out} is a file: choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UnsafeOutput(
            f"{out} has files followup did not write: remove them or choose another --out"
        )


#: What says a file in the site is the one a build wrote: (size, mtime_ns, inode).
Stamp = tuple[int, int, int]


def publish(out: Path, files: dict[str, bytes]) -> None:
    """Write files (by relative path) as the new contents of out, all at once."""
    with staged(out) as stage:
        for rel, content in files.items():
            stage.write(rel, content)


class Stage:
    """The next site, file by file, in a folder beside out."""

    def __init__(self, out: Path, folder: Path) -> None:
        self.out = out
        self.folder = folder
        self._out, self._folder = str(out), str(folder)
        self._made = {self._folder}

    def write(self, rel: str, content: bytes) -> Stamp:
        """Write one file; its stamp, to know it again in the next build."""
        target = self._target(rel)
        with open(target, "wb") as file:
            file.write(content)
        written = stamp(target)
        if written is None:
            raise OSError(f"{target} is not a file after writing it")
        return written

    def keep(self, rel: str, was: Stamp) -> Stamp | None:
        """Carry the file over from the current site if it is still the one written with
        that stamp (a hard link where the file system allows one, else a copy); its stamp
        now, or None when it has to be written again."""
        source = _inside(self._out, rel)
        if stamp(source) != was:
            return None
        target = self._target(rel)
        try:
            os.link(source, target)
        except OSError:
            try:
                shutil.copyfile(source, target)
            except OSError:
                _remove(target)
                return None
            if stamp(source) != was:  # changed while it was copied
                _remove(target)
                return None
        return stamp(target)

    def _target(self, rel: str) -> str:
        target = _inside(self._folder, rel)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        return target


def _remove(path: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def stamp(path: str | Path) -> Stamp | None:
    """size, mtime_ns and inode of a regular file (links are not followed); else None."""
    try:
        status = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return status.st_size, status.st_mtime_ns, status.st_ino


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Stage]:
    """A Stage whose folder becomes out, all at once, when the block ends without error."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        yield Stage(out, staging)
        (staging / MARKER).write_text("Written by 'followup build'; safe to delete.\n")
        staging.chmod(0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _parts(rel: str) -> tuple[str, ...]:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UnsafeOutput(f"refusing to write outside the site: {rel}")
    return path.parts


def _inside(folder: str, rel: str) -> str:
    """folder/rel, for a rel that stays inside folder (checked as _parts does, faster)."""
    parts = rel.split("/")
    if rel.startswith("/") or "\\" in rel or any(p in ("", ".", "..") for p in parts):
        return os.path.join(folder, *_parts(rel))  # odd, but perhaps fine: the careful way
    return os.path.join(folder, *parts)


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
