"""Shared test helpers: a workspace is built from a dict of paths to file texts."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from followup import workspace
from followup.model import Records
from followup.problems import Problem

REPO = Path(__file__).resolve().parent.parent
NEW_YORK = ZoneInfo("America/New_York")

#: A small valid workspace; tests add or replace files on top of it.
BASE: dict[str, str] = {
    "data/settings.yaml": """
        me: {name: Sam Taylor, email: sam@example.org}
        timezone: America/New_York
    """,
    "data/companies/acme.yaml": "name: Acme\n",
    "data/contacts/dana-reyes.yaml": """
        name: Dana Reyes
        title: Engineering Manager
        company: acme
        email: dana@acme.example
        prefers: email
    """,
    "data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: Staff Engineer\ncompany: acme\n",
    "data/applications/acme-backend.yaml": """
        company: acme
        role: Backend Engineer
        status: interviewing
        applied: 2026-11-02
        contact: dana-reyes
    """,
}

Files = dict[str, str | bytes | None]


def write_tree(root: Path, files: Files) -> Path:
    """Write files (dedented); a value of None removes a base file."""
    for rel, text in files.items():
        path = root / rel
        if text is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_workspace(tmp_path: Path) -> Callable[..., Path]:
    """make_workspace({path: text}, base=True) -> the workspace's root."""

    def make(files: Files | None = None, *, base: bool = True) -> Path:
        tree: Files = {**(BASE if base else {}), **(files or {})}
        return write_tree(tmp_path / "ws", tree)

    return make


@pytest.fixture
def read_workspace(
    make_workspace: Callable[..., Path],
) -> Callable[..., tuple[Records, list[Problem]]]:
    """read_workspace({path: text}) -> (records, problems), in New York time by default."""

    def read(files: Files | None = None, *, base: bool = True) -> tuple[Records, list[Problem]]:
        return workspace.read(make_workspace(files, base=base), NEW_YORK)

    return read


def counted_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The processes os.fork starts from here on (by their pid)."""
    started: list[int] = []
    real = os.fork

    def fork() -> int:
        child = real()
        if child:
            started.append(child)
        return child

    monkeypatch.setattr(os, "fork", fork)
    return started


@pytest.fixture
def speller_loads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Each load of the speller's dictionary (0.12 s: see proofread.speller), counted
    from none loaded in this process."""
    import spellchecker

    from followup import proofread

    loaded: list[object] = []

    class Counted(spellchecker.SpellChecker):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            loaded.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(spellchecker, "SpellChecker", Counted)
    proofread.speller.cache_clear()
    yield loaded
    proofread.speller.cache_clear()
