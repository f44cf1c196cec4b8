"""A build makes calendar.ics and the drafts' files in a second process while it renders
the pages; the site is the one it would make itself, and so is what it keeps for the
next build, whether that process works, fails or is stopped."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from followup import aside, drafts, resume
from tests.conftest import REPO, counted_forks
from tests.test_incremental import build, snapshot

NOW = "2026-11-21 12:00"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "data", root / "data")
    return root


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The second processes started (by their pid), however few files there are."""
    monkeypatch.setattr(aside, "AT_LEAST", 1)
    return counted_forks(monkeypatch)


def made_here(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """The site of a copy of the workspace built in one process, with no cache."""
    copy = tmp_path / "here"
    shutil.copytree(root / "data", copy / "data")
    with monkeypatch.context() as patch:
        patch.setattr(aside, "can_fork", lambda: False)
        build(copy, NOW)
    return snapshot(copy / "site")


def events_kept(root: Path) -> int:
    return len(resume.load(root, root / "site").kept.events.before)


def test_the_site_made_aside_is_the_site_made_here(
    sample: Path, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    made_in_this_process: list[str] = []
    real = drafts.eml

    def eml(draft: Any, records: Any) -> bytes:
        made_in_this_process.append(draft.path)  # (the second process's list is its own)
        return real(draft, records)

    monkeypatch.setattr(drafts, "eml", eml)
    build(sample, NOW)
    assert len(forks) == 1 and made_in_this_process == []
    site = snapshot(sample / "site")
    assert any(path.endswith(".eml") for path in site) and "calendar.ics" in site
    assert site == made_here(sample, tmp_path, monkeypatch)
    # The calendar's events, written there, are kept for the next build all the same.
    events = site["calendar.ics"]
    assert events is not None and events_kept(sample) == events.count(b"BEGIN:VEVENT")


def test_a_second_process_that_fails_leaves_its_files_to_this_one(
    sample: Path, tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(aside, "_make_and_send", fail)
    build(sample, NOW)
    assert len(forks) == 1
    site = snapshot(sample / "site")
    assert site == made_here(sample, tmp_path, monkeypatch)
    events = site["calendar.ics"]
    assert events is not None and events_kept(sample) == events.count(b"BEGIN:VEVENT")


def test_the_files_come_back_in_order_with_what_else_was_found(forks: list[int]) -> None:
    found: dict[str, int] = {}

    def make(n: int) -> bytes:
        found[f"file-{n}"] = n  # (in the second process: this one's stays empty)
        return f"content {n}".encode()

    made = aside.Aside(lambda: found)
    for n in range(3):
        made.add(f"file-{n}", lambda n=n: make(n))  # type: ignore[misc]
    made.start()
    files, extra = made.done()
    assert list(files) == [(f"file-{n}", f"content {n}".encode()) for n in range(3)]
    assert extra == {"file-0": 0, "file-1": 1, "file-2": 2} and found == {}
    assert len(forks) == 1


def test_a_failed_build_stops_the_second_process(forks: list[int]) -> None:
    made = aside.Aside()
    made.add("slow", lambda: time.sleep(600) or b"")  # type: ignore[func-returns-value]
    made.start()
    made.abandon()
    (child,) = forks
    with pytest.raises(ProcessLookupError):  # ended, and reaped
        os.kill(child, 0)


def test_an_interrupt_while_waiting_stops_the_second_process(forks: list[int]) -> None:
    """Ctrl-C while the pages are done and the build waits for the rest."""
    made = aside.Aside()
    made.add("slow", lambda: time.sleep(600) or b"")  # type: ignore[func-returns-value]
    made.start()
    threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        made.done()
    made.abandon()  # as the failed build does
    (child,) = forks
    with pytest.raises(ProcessLookupError):  # ended, and reaped
        os.kill(child, 0)


def test_without_enough_files_they_are_made_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def fork() -> int:
        raise AssertionError("forked")

    monkeypatch.setattr(aside.os, "fork", fork)
    made = aside.Aside()
    for n in range(aside.AT_LEAST - 1):
        made.add(f"file-{n}", lambda: b"here")
    made.start()
    files, extra = made.done()
    assert len(list(files)) == aside.AT_LEAST - 1 and extra is None
