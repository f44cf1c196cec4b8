"""Parsed documents kept between builds, so that a rebuild parses only the files that changed.

A file counts as unchanged while its size, modification time and inode stay the
same (an atomic save replaces the inode even when the clock is too coarse to
tell two writes apart). `watch` also forgets every path an event named.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from followup import load
from followup.problems import Problem

#: What says a file is the one parsed before: (size, mtime_ns, inode).
Stamp = tuple[int, int, int]


class DocumentCache:
    """load.load_document, remembered by path until the file's stamp changes."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Stamp, load.Document, tuple[Problem, ...]]] = {}

    def load(self, root: Path, rel: str) -> tuple[load.Document, list[Problem]]:
        """The same as load.load_document(root, rel), parsing only when the file changed."""
        stamp = _stamp(root / rel)  # before reading: a write after it changes the stamp
        entry = self._entries.get(rel)
        if entry is not None and stamp is not None and entry[0] == stamp:
            return entry[1], list(entry[2])
        document, problems = load.load_document(root, rel)
        if stamp is None:
            self._entries.pop(rel, None)
        else:
            self._entries[rel] = (stamp, document, tuple(problems))
        return document, problems

    def forget(self, rels: Iterable[str]) -> None:
        """Drop these paths (relative, with forward slashes) and everything under them."""
        gone = set(rels)
        for rel in [rel for rel in self._entries if gone.intersection(_self_and_parents(rel))]:
            del self._entries[rel]


def _stamp(path: Path) -> Stamp | None:
    try:
        status = os.stat(path)
    except OSError:
        return None  # load_document reports why it cannot be read
    return status.st_size, status.st_mtime_ns, status.st_ino


def _self_and_parents(rel: str) -> Iterable[str]:
    parts = rel.split("/")
    return ("/".join(parts[:end]) for end in range(1, len(parts) + 1))
