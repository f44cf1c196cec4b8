"""Parsed documents kept between builds, so that a rebuild parses only the files that changed.

A file counts as unchanged while its size, modification time and inode stay the
same (an atomic save replaces the inode even when the clock is too coarse to
tell two writes apart). `watch` also forgets every path an event named.
"""

from __future__ import annotations

import os
import stat
import time
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from followup import load, model, store
from followup.load import Source
from followup.problems import Problem

#: What says a file is the one parsed before: (size, mtime_ns, inode).
Stamp = tuple[int, int, int]


#: The parsed documents of the last build are kept in this many files in .followup-cache/,
#: each path always in the same one, so that a change to one file rewrites a few hundred
#: documents, not all of them.
SHARDS = 16
#: A file changed this close (in ns) to the moment the cache is written may change again
#: within its clock's tick without its stamp changing, so it is not kept on disk.
RACY = 2 * 10**9

Entry = tuple[Stamp, load.Document, tuple[Problem, ...]]


class DocumentCache:
    """load.load_document, remembered by path until the file's stamp changes."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        #: The records read from these documents, while in memory (see model.build).
        self.records = model.Remembered()
        #: The record files found under data/, while in memory and true as far as watch's
        #: events tell: see listing.
        self._listing: _Listing | None = None
        self._changed = set(range(SHARDS))  # the shards changed since read or stored

    @classmethod
    def stored(cls, root: Path) -> DocumentCache:
        """The cache the last build left in the workspace; empty when there is none."""
        cache = cls()
        for shard in range(SHARDS):
            entries = store.load(root, shard_name(shard))
            if not isinstance(entries, dict):
                continue
            kept = {rel: e for rel, e in entries.items() if _well_formed(rel, e, shard)}
            cache._entries.update(kept)
            if len(kept) == len(entries):
                cache._changed.discard(shard)
        return cache

    def save(self, root: Path) -> None:
        """Keep the entries of files that have been still for a moment, for the next build."""
        settled = self._settled()
        kept: dict[int, dict[str, Entry]] = {shard: {} for shard in self._changed}
        for rel, entry in settled.items():
            if (shard := _shard(rel)) in kept:
                kept[shard][rel] = entry
        for shard, entries in kept.items():
            store.save(root, shard_name(shard), entries)
        # (a shard that left a racy file out is stored again)
        self._changed &= {_shard(rel) for rel in self._entries.keys() - settled.keys()}

    def __getstate__(self) -> dict[str, object]:
        """Pickled with a build's state (see resume): as save keeps it."""
        return {**self.__dict__, "_entries": self._settled()}

    def _settled(self) -> dict[str, Entry]:
        """The entries of files changed long enough ago to tell from a change to come."""
        settled = time.time_ns() - RACY
        return {rel: entry for rel, entry in self._entries.items() if entry[0][1] < settled}

    def load(
        self, root: Path, rel: str, *, looked_at: bool = True
    ) -> tuple[load.Document, list[Problem]]:
        """The same as load.load_document(root, rel), parsing only when the file changed
        (or, not looked_at, when the cache does not know it)."""
        entry = self._entries.get(rel)
        if entry is not None and not looked_at:
            return entry[1], list(entry[2])
        stamp = _stamp(root / rel)  # before reading: a write after it changes the stamp
        if entry is not None and stamp is not None and entry[0] == stamp:
            return entry[1], list(entry[2])
        document, problems = load.load_document(root, rel)
        self._changed.add(_shard(rel))
        if stamp is None:
            self._entries.pop(rel, None)
        else:
            self._entries[rel] = (stamp, document, tuple(problems))
        return document, problems

    def listing(self, root: Path, *, trusted: bool = False) -> tuple[list[Source], list[Problem]]:
        """load.find_sources(root), kept; trusted, the one kept, unless an event since
        named a path outside templates/ of which it no longer holds true (see forget).
        A save changes no file's name, and listing data/ at N=2000 (12,500 files) took
        each save 0.05 s."""
        listed = self._listing
        if not trusted or listed is None:
            sources, problems = load.find_sources(root)
            listed = _listing(sources, problems)
            linked = any(source.linked for source in sources)  # (changes there send no event)
            self._listing = None if linked else listed
        return list(listed.sources), list(listed.problems)  # the reader adds to them

    def unseen(self, root: Path) -> list[str]:
        """What under data/ is not as the cache saw it, data/ listed afresh: the files
        changed, added or deleted since, and those refused, or no longer, by the listing
        (a file's bad name, say), which are no record files and have no stamp kept."""
        before = self._listing
        sources, problems = self.listing(root)
        rels = {source.path for source in sources}
        changed = {rel for rel in rels if _stamp(root / rel) != self._stamp_of(rel)}
        changed |= self._entries.keys() - rels
        if before is not None:
            changed |= {problem.path for problem in set(before.problems) ^ set(problems)}
        return sorted(changed)

    def _stamp_of(self, rel: str) -> Stamp | None:
        entry = self._entries.get(rel)
        return entry[0] if entry is not None else None

    def forget_all_but(self, rels: set[str]) -> None:
        """Drop the files that are no longer there."""
        gone = [rel for rel in self._entries if rel not in rels]
        for rel in gone:
            del self._entries[rel]
            self._changed.add(_shard(rel))

    def forget(self, root: Path, rels: Iterable[str]) -> None:
        """Drop these paths (relative, with forward slashes) and everything under them,
        and the listing unless it still holds true of them (see listing)."""
        gone = set(rels)
        if self._listing is not None and not all(
            self._still_listed(root, rel) for rel in gone if rel.split("/")[0] != "templates"
        ):
            self._listing = None
        found = gone & self._entries.keys()
        if under := tuple(f"{rel}/" for rel in gone - found):  # a folder, say
            found |= {rel for rel in self._entries if rel.startswith(under)}
        for rel in found:
            del self._entries[rel]
            self._changed.add(_shard(rel))

    def _still_listed(self, root: Path, rel: str) -> bool:
        """The listing holds true of this path: it lists it and it is still a plain file;
        or nothing is there, and the listing named nothing there or under it (a file
        that came and went, never seen)."""
        assert self._listing is not None
        if rel in self._listing.paths:
            try:
                return stat.S_ISREG(os.lstat(root / rel).st_mode)
            except OSError:
                return False
        if os.path.lexists(root / rel):
            return False
        under = f"{rel}/"
        return not any(path == rel or path.startswith(under) for path in self._listing.named)


class _Listing(NamedTuple):
    sources: list[Source]
    problems: list[Problem]  # with the files refused
    paths: set[str]  # of the sources
    named: set[str]  # those and the files and folders refused


def _listing(sources: list[Source], problems: list[Problem]) -> _Listing:
    paths = {source.path for source in sources}
    return _Listing(sources, problems, paths, paths | {p.path.rstrip("/") for p in problems})


def shard_name(shard: int) -> str:
    return f"documents-{shard:02}.pickle"


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode()) % SHARDS


def _well_formed(rel: object, entry: object, shard: int) -> bool:
    return (
        isinstance(rel, str)
        and _shard(rel) == shard
        and isinstance(entry, tuple)
        and len(entry) == 3
        and isinstance(entry[0], tuple)
        and len(entry[0]) == 3
        and all(isinstance(part, int) for part in entry[0])
        and isinstance(entry[1], load.Document)
        and entry[1].path == rel
        and isinstance(entry[2], tuple)
    )


def _stamp(path: Path) -> Stamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None  # load_document reports why it cannot be read
    return status.st_size, status.st_mtime_ns, status.st_ino
