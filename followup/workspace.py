"""A workspace on disk: where it is, and its records read through load and model."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from followup import clock, load, model
from followup.cache import DocumentCache
from followup.problems import Problem


class NoWorkspace(Exception):
    """The folder given is not inside a workspace."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above start whose data/ holds settings or record folders.

    A bare data/ folder is not enough: any project may have one.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        data = folder / "data"
        marks = [load.SETTINGS, *load.RECORD_FOLDERS]
        if data.is_dir() and any((data / mark).exists() for mark in marks):
            return folder
    raise NoWorkspace(
        f"no workspace at {start}: a workspace is a folder whose data/ folder holds "
        "settings.yaml or contacts/, companies/, applications/ or interviews/ "
        "(run 'followup init' to make one)"
    )


def read(
    root: Path,
    default_zone: ZoneInfo | None = None,
    cache: DocumentCache | None = None,
    *,
    trusted: bool = False,
    last: model.Records | None = None,
) -> tuple[model.Records, list[Problem]]:
    """Every record under root/data, and every problem with them, sorted by place.

    Only the files that changed since the cache last saw them are parsed again: watch
    keeps its cache in memory; without one, the last build's is read from
    .followup-cache/ and the new one stored there. trusted, a file the cache knows is
    taken to be unchanged without a look (watch forgets the files its events name),
    unless it is reached through a link; and so is the list of files the cache keeps.
    last, the records of the last build, as watch keeps them (see model.build).
    """
    stored = cache is None
    if cache is None:
        cache = DocumentCache.stored(root)
    sources, problems = cache.listing(root, trusted=trusted)
    documents = []
    for source in sources:
        document, found = cache.load(root, source.path, looked_at=not trusted or source.linked)
        documents.append((source, document))
        problems.extend(found)
    cache.forget_all_but({source.path for source in sources})
    if stored:
        cache.save(root)
    zone = default_zone or clock.machine_zone()
    records, found = model.build(documents, zone, cache.records, last)
    problems.extend(found)
    return records, sorted(set(problems))
