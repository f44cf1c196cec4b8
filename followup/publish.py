"""Writing the site, so that a failed build never touches the last good one.

A first build writes every file into a staging folder beside the site, then swaps
it in. A later one knows (from the last build's stamps) which files are still what
it would write, and leaves in place any other file that already holds the bytes it
would write (as after a new followup, or with the cache deleted, when it knows no
stamps): it stages only the rest and, once every file has been made, moves each into
place, one atomic rename a file, and deletes the pages that are gone. A build that
rewrites one page of thousands then costs one page. Nothing is written outside the
output folder, and a folder followup did not write is never replaced.

watch, which wrote the site itself a moment ago, may say which files the site holds
(`staged(out, known)`): then kept files are not looked at and the site is not
listed, and `unseen`, at a quiet moment, finds what changed there all the same.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path, PurePosixPath

from followup import writer
from followup.writer import Stamp, stamp

#: Left in every site followup writes, so that only such folders are ever replaced.
MARKER = ".followup-site"


class UnsafeOutput(Exception):
    """The output folder is one that must not be replaced."""


class PartlyWritten(OSError):
    """Moving the new files into the site failed part way: it is part old, part new."""


def check_output(root: Path, out: Path) -> None:
    try:
        root, out = root.resolve(), out.resolve()
    except RuntimeError:  # (Python 3.11's Path.resolve, on a loop of links)
        raise UnsafeOutput(f"{out} is a loop of links: choose another --out") from None
    for keep in (root / "data", root / "templates"):
        if out == keep or keep in out.parents or out in keep.parents:
            raise UnsafeOutput(f"{out} holds or is inside {keep.name}/: choose another --out")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"{out} is a file: choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UnsafeOutput(
            f"{out} has files followup did not write: remove them or choose another --out"
        )


class Stage:
    """The next site, file by file, in a staging folder: all of it, or (in_place) only
    the files that are not already there.

    Most files, in a big build, are written by a second process while the caller
    renders the next ones (see `writer`); `finish` waits for them all. trusting, a
    file kept in place is taken to be the one written with its stamp, without a look.
    """

    def __init__(self, out: Path, folder: Path, in_place: bool, trusting: bool = False) -> None:
        self.in_place = in_place
        self._trusting = in_place and trusting
        self._out, self._folder = str(out), str(folder)
        self._folders: set[str | bytes] = {self._folder}
        self._writer = writer.Writer(self._folders)
        self._sent: list[str] = []  # the files given to the writer, in order
        self._stamps: dict[str, Stamp] = {}
        self._remakes: dict[str, Callable[[], bytes]] = {}
        self._kept_alike: list[tuple[Collection[str], Callable[[str], bytes]]] = []
        self.written: set[str] = set()  # the files made anew, in the staging folder

    def write(self, rel: str, content: bytes) -> None:
        """Write one file; in place, unless the site's file already holds these bytes."""
        held = _inside(self._out, rel) if self.in_place else ""
        self._writer.write(_inside(self._folder, rel), held, content)
        self._sent.append(rel)

    def keep(self, rel: str, was: Stamp, make: Callable[[], bytes]) -> None:
        """Keep the file of the current site if it is still the one written with that
        stamp (left where it is, or carried over by a hard link where the file system
        allows one, else a copy); else write what make makes."""
        self._remakes[rel] = make
        kept = self._keep(rel, was)
        if kept is None:
            self.write(rel, make())
        else:
            self._stamps[rel] = kept

    def keep_all(self, stamps: dict[str, Stamp], make: Callable[[str], bytes]) -> None:
        """keep, for many files (make(rel) makes one): trusting, all at once."""
        if not self._trusting:
            for rel, was in stamps.items():
                self.keep(rel, was, functools.partial(make, rel))
            return
        self._stamps.update(stamps)
        self._kept_alike.append((stamps.keys(), make))

    def finish(self) -> dict[str, Stamp]:
        """Each file's stamp, to know it again in the next build, once all are written
        (final once the block of `staged` ends)."""
        if self._sent:
            for rel, (found, fresh) in zip(self._sent, self._writer.done(), strict=True):
                self._stamps[rel] = found
                if fresh:
                    self.written.add(rel)
            self._sent = []
        return self._stamps

    def abandon(self) -> None:
        """Stop writing: the build failed."""
        self._writer.abandon()

    def make_again(self, rels: set[str]) -> None:
        """Write these kept files anew after all; one kept for holding the bytes it would
        have been written with is made from them, as it is still there."""
        stamps = self.finish()
        for rel in rels:
            make = self._remakes.get(rel) or self._remake(rel, stamps[rel])
            stamps[rel] = self._write(rel, make())

    def _remake(self, rel: str, was: Stamp) -> Callable[[], bytes]:
        for kept, make in self._kept_alike:
            if rel in kept:
                return functools.partial(make, rel)
        return functools.partial(self._held, rel, was)

    def _held(self, rel: str, was: Stamp) -> bytes:
        """The bytes of a file kept for holding them, unless it changed since."""
        path = _inside(self._out, rel)
        content = Path(path).read_bytes()
        if stamp(path) != was:
            raise OSError(f"{path} changed while the site was being built: build again")
        return content

    def _write(self, rel: str, content: bytes) -> Stamp:
        written = writer.put(_inside(self._folder, rel), content, self._folders)
        self.written.add(rel)
        return written

    def _keep(self, rel: str, was: Stamp) -> Stamp | None:
        if self._trusting:
            return was
        source = _inside(self._out, rel)
        if stamp(source) != was:
            return None
        if self.in_place:
            return was
        target = _inside(self._folder, rel)
        writer.make_folder(os.path.dirname(target), self._folders)
        try:
            os.link(source, target)
        except OSError:
            try:
                shutil.copyfile(source, target)
                copied = stamp(source) == was  # not changed while it was copied
            except OSError:
                copied = False
            if not copied:
                with contextlib.suppress(OSError):
                    _delete(target)
                return None
        return stamp(target)


@contextlib.contextmanager
def staged(out: Path, known: Collection[str] | None = None) -> Iterator[Stage]:
    """A Stage that becomes out when the block ends without error.

    Where out is a site followup wrote, in place: the staging folder is inside out, on
    its file system whatever links or mounts lead there; only the files made anew are
    moved from it into out, and every other file not kept is deleted. (A build cut
    short there leaves files whose stamps are not the last build's: the next build
    makes them again.) Else the whole staging folder, beside out, is swapped in.
    known, the files out holds, when nothing but the caller has changed out since it
    wrote them: their stamps are then taken on trust, and out is listed only if a link,
    a file or a folder put there by hand stands in the way of a file to write or delete.
    """
    in_place = (out / MARKER).is_file()
    where = out if in_place else out.parent
    where.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=where))
    stage = Stage(out, staging, in_place, trusting=known is not None)
    try:
        yield stage
        stamps = stage.finish()
        if in_place:
            doomed: list[str] = []  # the same files: none to delete, none under a link
            lost: set[str] = set()
            if known is None or stamps.keys() != known:  # (the same: most saves, watched)
                doomed, lost = _not_kept(set(stamps), *_known(known, out, staging.name))
            if known is not None and not _plain(out, stage.written, doomed):
                files, folders = _listing(out, staging.name)
                doomed, lost = _not_kept(set(stamps), files, folders)
                lost |= stamps.keys() - files  # kept on trust, but gone or a folder now
            stage.make_again(lost - stage.written)  # all is made before the site changes
            try:
                for rel in doomed:
                    _delete(_inside(str(out), rel))
                _move_in(stage.written, staging, out)
                _mark(out)
            except OSError as error:
                raise PartlyWritten(f"{out}: {error}") from error
        else:
            _mark(staging)
            staging.chmod(0o755)
            _swap(staging, out)
    except BaseException:
        stage.abandon()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _mark(folder: Path) -> None:
    """The marker file, unless it is there as followup writes it."""
    marker = folder / MARKER
    if stamp(marker) is not None and marker.read_bytes() == _MARKED:
        return
    _delete(str(marker))
    marker.write_bytes(_MARKED)


_MARKED = b"Written by 'followup build'; safe to delete.\n"


def _listing(out: Path, staging: str) -> tuple[set[str], set[str]]:
    """Every file (or link) and every folder in out, relative to it; not the staging one."""
    files: set[str] = set()
    folders: set[str] = set()
    pending = [("", str(out))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # as os.walk does: what cannot be listed is left as it is
        for entry in entries:
            rel = prefix + entry.name
            if not entry.is_dir(follow_symlinks=False):
                files.add(rel)
            elif prefix or entry.name != staging:
                folders.add(rel)
                pending.append((f"{rel}/", entry.path))
    return files, folders


def _known(known: Collection[str] | None, out: Path, staging: str) -> tuple[set[str], set[str]]:
    """The files and folders in out: as known, else as listed."""
    if known is None:
        return _listing(out, staging)
    return set(known), _folders(known)


def _plain(out: Path, written: Collection[str], doomed: Collection[str]) -> bool:
    """Whether these paths to write and to delete lead through real folders of out, and
    no folder stands where a file goes: else a link or a folder was put in the site by
    hand, and only a listing tells what to delete so as not to write through it."""
    try:
        for rel in written:
            status = _lstat(_inside(str(out), rel))
            if status is not None and stat.S_ISDIR(status.st_mode):
                return False
        for folder in _folders([*written, *doomed]):
            status = _lstat(_inside(str(out), folder))
            if status is not None and not stat.S_ISDIR(status.st_mode):
                return False
    except OSError:  # a file where a folder should be, say
        return False
    return True


def _lstat(path: str) -> os.stat_result | None:
    """What path is, not following a link; None if nothing is there."""
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def unseen(out: Path, files: Mapping[str, Stamp]) -> list[str]:
    """What in out is not as the build that wrote these files (with these stamps) left
    it: each file changed or gone, and anything added, as relative paths."""
    found, folders = _listing(out, "")
    changed = {rel for rel, was in files.items() if stamp(_inside(str(out), rel)) != was}
    added = found - files.keys() - {MARKER}
    return sorted(changed | added | (folders - _folders(files)))


def _folders(files: Collection[str]) -> set[str]:
    """The folders that these files (relative paths) are in, and theirs."""
    needed: set[str] = set()
    for parent in {rel.rpartition("/")[0] for rel in files}:
        while parent and parent not in needed:
            needed.add(parent)
            parent = parent.rpartition("/")[0]
    return needed


def _not_kept(kept: set[str], files: set[str], folders: set[str]) -> tuple[list[str], set[str]]:
    """What to delete so that out holds only the site's files: pages that are gone and
    anything put there by hand, as a whole new site would not have them (folders first,
    then files, in no folder deleted already); and the files to keep that would go
    with them (under a link put in place of a folder), to be made again."""
    needed = _folders(kept)
    doomed: list[str] = []
    for rel in sorted(folders - needed):  # a folder sorts before what is in it
        if not rel.startswith(tuple(f"{gone}/" for gone in doomed)):
            doomed.append(rel)
    within = tuple(f"{rel}/" for rel in doomed)
    doomed += sorted(rel for rel in files - kept - {MARKER} if not rel.startswith(within))
    links = tuple(f"{rel}/" for rel in files & needed)
    return doomed, {rel for rel in kept if rel.startswith(links)} if links else set()


def _delete(path: str) -> None:
    """A file, link or folder (with all in it); gone already is fine."""
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass


def _move_in(written: set[str], staging: Path, out: Path) -> None:
    """The files made anew into the site, each in one rename."""
    made = {str(out)}
    for rel in sorted(written):
        target = _inside(str(out), rel)
        parent = os.path.dirname(target)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)
        os.replace(_inside(str(staging), rel), target)


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
