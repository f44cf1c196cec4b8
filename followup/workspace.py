"""A workspace on disk: where it is, and its records read through load and model."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

from followup import clock, load, model
from followup.problems import Problem


class NoWorkspace(Exception):
    """The folder given is not inside a workspace."""


def find_root(start: Path) -> Path:
    """The nearest folder at or above start that has a data/ folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "data").is_dir():
            return folder
    raise NoWorkspace(
        f"no workspace at {start}: a workspace is a folder with a data/ folder in it "
        "(run 'followup init' to make one)"
    )


def read(root: Path, default_zone: ZoneInfo | None = None) -> tuple[model.Records, list[Problem]]:
    """Every record under root/data, and every problem with them, sorted by place."""
    sources, problems = load.find_sources(root)
    documents = []
    for source in sources:
        document, found = load.load_document(root, source.path)
        documents.append((source, document))
        problems.extend(found)
    records, found = model.build(documents, default_zone or clock.machine_zone())
    problems.extend(found)
    return records, sorted(set(problems))
