"""The parsed documents a build leaves in .followup-cache/ for the next one."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from followup import cache, load, store, workspace
from followup.problems import Problem
from tests.conftest import NEW_YORK


def age(root: Path) -> None:
    for path in (root / "data").rglob("*"):
        status = path.stat()
        os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns - 60 * 10**9))


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    paths: list[str] = []
    real = load.load_document

    def counting(root: Path, rel: str) -> tuple[load.Document, list[Problem]]:
        paths.append(rel)
        return real(root, rel)

    monkeypatch.setattr(load, "load_document", counting)
    return paths


def test_a_second_read_parses_only_what_changed(
    make_workspace: Callable[..., Path], parsed: list[str]
) -> None:
    root = make_workspace()
    age(root)
    first = workspace.read(root, NEW_YORK)
    assert len(parsed) == 5
    (root / "data/contacts/raj-patel.yaml").write_text("name: Raj Patel\ntitle: CTO\n")
    parsed.clear()
    second = workspace.read(root, NEW_YORK)
    assert parsed == ["data/contacts/raj-patel.yaml"]
    assert second[0].contacts["raj-patel"].title == "CTO"
    assert second[0].applications == first[0].applications


def test_files_changed_just_now_are_not_kept(
    make_workspace: Callable[..., Path], parsed: list[str]
) -> None:
    root = make_workspace()
    workspace.read(root, NEW_YORK)
    parsed.clear()
    workspace.read(root, NEW_YORK)
    assert len(parsed) == 5  # too fresh to trust their stamps


@pytest.mark.parametrize(
    "entries",
    [
        {"data/contacts/raj-patel.yaml": "junk"},
        {"data/contacts/raj-patel.yaml": ((1, 2, 3), load.Document("elsewhere.yaml"), ())},
        {3: ((1, 2, 3), load.Document("x"), ())},
    ],
)
def test_malformed_entries_are_dropped(make_workspace: Callable[..., Path], entries: dict) -> None:  # type: ignore[type-arg]
    root = make_workspace()
    for shard in range(cache.SHARDS):  # signed, as this user's followup would have
        store.save(root, cache.shard_name(shard), entries)
    records, problems = workspace.read(root, NEW_YORK)
    assert records.contacts["raj-patel"].name == "Raj Patel"
    assert problems == []
