"""The example workspace `followup init` writes, dated around today so it has work to show.

Each data file starts with the comment that points editors at its schema, and the schemas
are written beside data/, so that the examples are checked as the user edits them.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from followup import clock, json_schemas, load

_TOKEN = re.compile(r"\{\{(today([+-]\d+)?|zone)\}\}")
#: Files whose name in the package differs from the one they are written to.
_RENAMED = {"gitignore": ".gitignore"}


def create(target: Path, today: date | None = None) -> tuple[list[Path], list[Path]]:
    """Write the example files that are missing; the files already there stay as they are.

    Example records are written only into a workspace that has none of its own.
    """
    today = today or date.today()
    written: list[Path] = []
    kept: list[Path] = []
    sources, _ = load.find_sources(target)
    has_records = any(source.kind != "settings" for source in sources)
    for relative, text in _texts(today):
        path = target / _RENAMED.get(relative, relative)
        is_record = relative.startswith("data/") and relative.count("/") > 1
        if has_records and is_record:
            continue
        if path.exists() or path.is_symlink():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:  # "x": never replace a file
            out.write(text)
        written.append(path)
    return written, kept


def _texts(today: date) -> list[tuple[str, str]]:
    """Each file's path in the workspace and its text: the examples, then the schemas."""
    out = []
    for relative, template in _walk(files(__package__).joinpath("files"), ""):
        text = _TOKEN.sub(lambda m: _fill(m, today), template.read_text(encoding="utf-8"))
        folder = relative.split("/")[1] if relative.count("/") > 1 else "settings"
        out.append(
            (relative, json_schemas.with_modeline(text, folder) if _is_data(relative) else text)
        )
    schemas = json_schemas.texts().items()
    return out + [(f"{json_schemas.FOLDER}/{name}", text) for name, text in schemas]


def _is_data(relative: str) -> bool:
    return relative.startswith("data/") and relative.endswith((".yaml", ".md"))


def _fill(match: re.Match[str], today: date) -> str:
    if match.group(1) == "zone":
        return clock.machine_zone().key
    return (today + timedelta(days=int(match.group(2) or 0))).isoformat()


def _walk(folder: Traversable, prefix: str) -> list[tuple[str, Traversable]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            found += _walk(entry, f"{prefix}{entry.name}/")
        elif not entry.name.startswith((".", "__")):
            found.append((prefix + entry.name, entry))
    return found
