"""Files handed to a second process are written as this one writes them.

A big build writes most of its files through `writer.Writer`'s second process;
here ALONE is lowered so that the sample's small site goes through it too.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from followup import publish, render, resume, store, writer
from followup.cli import main
from tests.conftest import write_tree
from tests.test_incremental import (
    INTERVIEW,
    NOW,
    STEPS,
    build,
    build_each_step,
    cold,
    settle,
    snapshot,
)

Started = list["subprocess.Popen[bytes]"]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Started:
    """Every second process started, with none of the files written here."""
    processes: Started = []
    start = writer._started

    def spied() -> subprocess.Popen[bytes] | None:
        process = start()
        if process is not None:
            processes.append(process)
        return process

    monkeypatch.setattr(writer, "_started", spied)
    monkeypatch.setattr(writer, "ALONE", 0)
    return processes


@pytest.fixture
def root(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace(
        {
            "data/interviews/acme-onsite.md": INTERVIEW,
            "data/contacts/lee-wong.md": "---\nname: Lee Wong\n---\nMet at a meetup.\n",
        }
    )


def written_here(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """A cold build's site, every file written by this process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "ALONE", 10**9)
        return cold(root, tmp_path)


def test_files_are_written_with_their_stamps(tmp_path: Path, started: Started) -> None:
    files = {f"a/b{n % 2}/page-{n}.html": f"page {n} ü".encode() * n for n in range(5)}
    files["empty.txt"] = b""
    writing = writer.Writer()
    for rel, content in files.items():
        writing.write(str(tmp_path / rel), "", content)
    answers = writing.done()
    assert len(started) == 1
    assert [tmp_path.joinpath(rel).read_bytes() for rel in files] == list(files.values())
    assert answers == [(writer.stamp(tmp_path / rel), True) for rel in files]


@pytest.mark.parametrize("held", [writer._HELD, 0])
def test_more_than_the_pipe_holds_is_written_whole(
    tmp_path: Path, started: Started, monkeypatch: pytest.MonkeyPatch, held: int
) -> None:
    """Sent as the pipe has room, in pieces, the rest waiting here (or, past what may wait
    here, waiting for the second process)."""
    monkeypatch.setattr(writer, "_HELD", held)
    files = {f"d{n % 7}/{n}.html": bytes([n % 251]) * (n * 7919 % 60_000) for n in range(300)}
    writing = writer.Writer()
    for rel, content in files.items():
        writing.write(str(tmp_path / rel), "", content)
    answers = writing.done()
    assert sum(map(len, files.values())) > 8 * writer._PIPE
    assert len(started) == 1
    assert {rel: tmp_path.joinpath(rel).read_bytes() for rel in files} == files
    assert answers == [(writer.stamp(tmp_path / rel), True) for rel in files]


def test_a_file_already_holding_the_bytes_is_left_as_it_is(
    tmp_path: Path, started: Started
) -> None:
    held, other = tmp_path / "site/same.html", tmp_path / "site/other.html"
    write_tree(tmp_path, {"site/same.html": "<p>same</p>", "site/other.html": "<p>sane</p>"})
    writing = writer.Writer()
    writing.write(str(tmp_path / "new/same.html"), str(held), b"<p>same</p>")
    writing.write(str(tmp_path / "new/other.html"), str(other), b"<p>same</p>")
    assert writing.done() == [
        (writer.stamp(held), False),
        (writer.stamp(tmp_path / "new/other.html"), True),
    ]
    assert started
    assert not (tmp_path / "new/same.html").exists()


def test_a_file_that_cannot_be_written_is_an_error_as_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "in-the-way").write_text("a file where a folder goes")
    said = []
    for alone in (10**9, 0):
        monkeypatch.setattr(writer, "ALONE", alone)
        writing = writer.Writer()
        with pytest.raises(OSError) as error:
            writing.write(str(tmp_path / "fine.html"), "", b"fine")
            writing.write(str(tmp_path / "in-the-way/page.html"), "", b"page")
            writing.done()
        said.append((type(error.value), str(error.value)))
    assert said[0] == said[1]
    assert said[0][0] is FileExistsError
    assert str(tmp_path / "in-the-way") in said[1][1]


def test_a_second_process_that_stops_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "ALONE", 0)
    monkeypatch.setattr(writer, "_started", _stopping)
    writing = writer.Writer()
    with pytest.raises(OSError, match="the process writing the site stopped before it was done"):
        for n in range(100):
            writing.write(str(tmp_path / f"{n}.html"), "", b"x" * 10_000)
        writing.done()


def _stopping() -> subprocess.Popen[bytes]:
    """A second process that stops at once, having written nothing."""
    return subprocess.Popen(
        [sys.executable, "-c", "pass"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )


@pytest.mark.parametrize("where", ["no python", "no python at all", "followup in a zip"])
def test_where_no_second_process_starts_all_are_written_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr(writer, "ALONE", 0)
    if where == "no python":
        monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python-here"))
    elif where == "no python at all":
        monkeypatch.setattr(sys, "executable", None)
    else:
        monkeypatch.setattr(writer, "__file__", str(tmp_path / "followup.zip/followup/writer.py"))
    writing = writer.Writer()
    for n in range(3):
        writing.write(str(tmp_path / f"site/{n}.html"), "", f"page {n}".encode())
    assert [found for found, _ in writing.done()] == [
        writer.stamp(tmp_path / f"site/{n}.html") for n in range(3)
    ]


def test_ctrl_c_while_waiting_for_the_second_process_stops_it(
    tmp_path: Path, started: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    writing = writer.Writer()
    for n in range(3):
        writing.write(str(tmp_path / f"{n}.html"), "", b"x")
    os.kill(started[0].pid, signal.SIGSTOP)  # writing slowly, say

    def interrupted(stdout: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer, "_answer", interrupted)
    with pytest.raises(KeyboardInterrupt):
        writing.done()
    assert started[0].returncode == -signal.SIGKILL  # stopped, and waited for


def test_what_waits_to_be_sent_is_bounded(
    tmp_path: Path, started: Started, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a disk slower than rendering, the build waits rather than hold the whole site."""
    monkeypatch.setattr(writer, "_HELD", 1 << 20)
    writing = writer.Writer()
    writing.write(str(tmp_path / "first.html"), "", b"x")
    os.kill(started[0].pid, signal.SIGSTOP)  # writing nothing for half a second
    resume = threading.Timer(0.5, os.kill, (started[0].pid, signal.SIGCONT))
    resume.start()
    most = 0
    for n in range(100):
        writing.write(str(tmp_path / f"{n}.html"), "", bytes(100_000))
        most = max(most, writing._unsent_bytes)
    assert len(writing.done()) == 101
    resume.join()
    assert most <= writer._HELD


@pytest.mark.parametrize("cut", [3, 16 + 5, 16 + 40 + 2])
def test_a_frame_cut_short_writes_nothing(tmp_path: Path, cut: int) -> None:
    """The build was killed while sending: no file at a path cut short."""
    target = os.fsencode(tmp_path / "staging" / ("a" * 40))
    frame = writer._FRAME.pack(len(target), 0, 4) + target + b"page"
    done = subprocess.run(
        [sys.executable, "-I", "-S", writer.__file__], input=frame[:cut], capture_output=True
    )
    assert json.loads(done.stdout) == {"error": ["the build stopped sending the site"]}
    assert done.stderr == b""
    assert list(tmp_path.iterdir()) == []


def test_a_site_written_by_a_second_process_is_the_one_written_here(
    root: Path, tmp_path: Path, started: Started
) -> None:
    build_each_step(root, lambda: written_here(root, tmp_path))
    assert len(started) >= 1 + sum(1 for _name, files in STEPS if files)
    # The stamps the site's memory keeps are those of its files: nothing looks changed.
    memory = resume.load(root, root / "site").memory
    site = {rel for rel, content in snapshot(root / "site").items() if content is not None}
    assert set(memory.keys) == set(memory.stamps) == site - {publish.MARKER}
    assert publish.unseen(root / "site", memory.stamps) == []


def test_a_second_process_leaves_in_place_files_holding_their_bytes(
    root: Path, tmp_path: Path, started: Started
) -> None:
    settle(root)
    build(root)
    site = root / "site"
    shutil.rmtree(root / store.FOLDER)  # no stamps known: each file is compared with its bytes
    before = {rel: (site / rel).stat().st_ino for rel in snapshot(site)}
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
    build(root)
    after = {rel: (site / rel).stat().st_ino for rel in snapshot(site)}
    kept = {rel for rel, inode in after.items() if before.get(rel) == inode}
    assert {"assets/style.css", "contacts/dana-reyes.html"} <= kept
    assert "contacts/raj-patel.html" not in kept
    assert snapshot(site) == written_here(root, tmp_path)


def test_a_failed_second_process_fails_the_build_and_keeps_the_last_site(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(root)
    last = snapshot(root / "site")
    monkeypatch.setattr(writer, "ALONE", 0)
    monkeypatch.setattr(writer, "_started", _stopping)
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", NOW])
    assert result.exit_code == 2
    assert "the process writing the site stopped before it was done" in result.output
    assert snapshot(root / "site") == last


def test_an_interrupted_build_stops_its_second_process_and_keeps_the_last_site(
    root: Path, monkeypatch: pytest.MonkeyPatch, started: Started
) -> None:
    build(root)
    last = snapshot(root / "site")
    shutil.rmtree(root / store.FOLDER)  # no memory: every page is made again
    pages = []
    render_page = render.render_page

    def interrupted(*args: Any) -> bytes:
        pages.append(args)
        if len(pages) == 5:
            raise KeyboardInterrupt  # Ctrl-C
        return render_page(*args)

    monkeypatch.setattr(render, "render_page", interrupted)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", NOW])
    assert result.exit_code == 1
    assert len(pages) == 5
    assert started
    assert all(process.returncode is not None for process in started)  # stopped, waited for
    assert snapshot(root / "site") == last  # and no staging folder left in it
