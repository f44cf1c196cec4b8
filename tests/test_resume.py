"""A build in a new process goes on from the state the last build stored: it reads again
only what changed, and writes the site a cold build writes."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from followup import build as building
from followup import history, ics, model, proofread, render, resume, store, views, watch
from followup.cli import main
from tests.conftest import REPO, counted_forks
from tests.test_incremental import NOW, build, cold, settle, snapshot


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(REPO / "data", root / "data")
    settle(root)
    return root


def as_in_a_new_process() -> None:
    """Forget what this process made, as a new one would not have it."""
    building._templating.cache_clear()
    history._commits.cache_clear()


def new_title(root: Path, slug: str = "devon-park") -> None:
    path = root / f"data/contacts/{slug}.yaml"
    path.write_text(path.read_text().replace("title: ", "title: Principal "))


@pytest.fixture
def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths of the files each build reads as records."""
    paths: list[str] = []
    real = model._read

    def counted(doc: Any, *args: Any) -> Any:
        paths.append(doc.path)
        return real(doc, *args)

    monkeypatch.setattr(model, "_read", counted)
    return paths


def test_a_build_after_a_save_reads_again_only_the_file_saved(
    sample: Path, tmp_path: Path, read: list[str]
) -> None:
    build(sample)
    assert len(read) > 20
    new_title(sample)
    read.clear()
    as_in_a_new_process()
    build(sample)
    assert read == ["data/contacts/devon-park.yaml"]
    assert snapshot(sample / "site") == cold(sample, tmp_path)
    assert b"Principal " in (sample / "site/contacts/devon-park.html").read_bytes()


def test_a_build_after_a_save_works_out_again_only_the_tasks_it_changed(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(sample)
    worked = resume.load(sample, sample / "site").kept.worked
    assert worked is not None
    made: list[str] = []
    real = views.Site._task

    def task(site: views.Site, task: Any) -> Any:
        made.append(task.id)
        return real(site, task)

    monkeypatch.setattr(views.Site, "_task", task)
    new_title(sample)
    as_in_a_new_process()
    build(sample)
    # Devon Park's own, and the lead's reference asked of Robert Lin, due at each build.
    assert made and len(set(made)) < len(worked.tasks) / 4, made


def test_memos_by_id_name_the_objects_they_hold_once_read_back(sample: Path) -> None:
    build(sample)
    state = resume.load(sample, sample / "site")
    site = state.memory.site
    assert site is not None and site._tasks and site._row_digests
    assert all(key == id(entry[2]) for key, entry in site._tasks.items())
    assert all(key == id(entry[0]) for key, entry in site._row_digests.items())
    reads = state.cache.records.reads.before
    assert reads and all(key[0] == id(entry[0]) for key, entry in reads.items())  # type: ignore[index]
    events: ics.Events = state.kept.calendar
    assert events._last and all(key == ics._key(made) for key, made in events._last.items())
    assert events._keys and all(key in events._last for key in events._keys)
    seen: proofread.Seen = state.kept.seen
    assert seen.drafts and all(key == id(entry[0]) for key, entry in seen.drafts.items())


def test_watch_starts_from_the_state_a_build_left(sample: Path, read: list[str]) -> None:
    build(sample)
    new_title(sample, "robert-lin")
    read.clear()
    as_in_a_new_process()
    rebuild = watch.Watcher(sample, sample / "site").build()
    assert rebuild.ok and read == ["data/contacts/robert-lin.yaml"]


@pytest.mark.parametrize("how", ["broken", "another site"])
def test_a_state_broken_or_of_another_site_is_no_state(
    sample: Path, tmp_path: Path, read: list[str], how: str
) -> None:
    build(sample)
    state = sample / store.FOLDER / resume.STATE
    if how == "broken":
        state.write_bytes(state.read_bytes()[: state.stat().st_size // 2])
    else:
        command = ["-C", str(sample), "build", "--now", NOW, "--out", str(tmp_path / "other")]
        done = CliRunner().invoke(main, command)
        assert done.exit_code == 0, done.output
    new_title(sample)
    read.clear()
    as_in_a_new_process()
    build(sample)
    assert len(read) > 20  # all read again
    assert snapshot(sample / "site") == cold(sample, tmp_path)


@pytest.fixture
def copies(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The copies forked to write a state, however small."""
    monkeypatch.setattr(resume, "AT_LEAST", 1)
    return counted_forks(monkeypatch)


def test_a_large_state_is_written_by_a_copy_the_next_build_goes_on_from(
    sample: Path, tmp_path: Path, read: list[str], copies: list[int]
) -> None:
    build(sample)
    assert len(copies) == 1
    new_title(sample)
    read.clear()
    as_in_a_new_process()
    build(sample)  # (which waits for the copy's lock)
    assert read == ["data/contacts/devon-park.yaml"]
    assert snapshot(sample / "site") == cold(sample, tmp_path)


def test_the_command_ends_before_the_copy_writing_its_state(sample: Path) -> None:
    """Its output ends with it: a caller reading that to the end does not wait for the
    copy, which holds the state's lock until the state is written."""
    code = (
        "import sys, time; from pathlib import Path\n"
        "from followup import resume, store; resume.AT_LEAST = 1\n"
        "real = store.save\n"
        "def held(root, name, value):\n"
        "    for _ in range(3000):  # (a minute at most)\n"
        "        if name != resume.STATE or (Path(root) / 'go').exists(): break\n"
        "        time.sleep(0.02)\n"
        "    real(root, name, value)\n"
        "store.save = held\n"
        "from followup.cli import main; main(['-C', sys.argv[1], 'build', '--now', sys.argv[2]])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(sample), NOW],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,  # (were the copy to hold its output, it would wait for 'go' for ever)
    )
    assert done.returncode == 0 and "Built" in done.stdout, done.stderr
    assert not (sample / store.FOLDER / resume.STATE).exists()  # the copy is still at it
    (sample / "go").touch()
    assert resume.load(sample, sample / "site").memory.site is not None  # once it is done


def test_a_build_waits_for_the_state_being_written(sample: Path) -> None:
    build(sample)
    path = sample / store.FOLDER / resume.STATE
    stored = path.read_bytes()
    path.unlink()
    lock = os.open(sample / store.FOLDER / resume.LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)

    def write_then_unlock() -> None:
        time.sleep(0.3)
        path.write_bytes(stored)
        os.close(lock)

    writer = threading.Thread(target=write_then_unlock)
    writer.start()
    try:
        assert resume.load(sample, sample / "site").memory.site is not None
    finally:
        writer.join()


def test_a_lock_held_for_too_long_is_waited_for_no_longer(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nor does a build wait for ever to write its state: it writes it itself."""
    build(sample)
    (sample / store.FOLDER / resume.STATE).unlink()
    lock = os.open(sample / store.FOLDER / resume.LOCK, os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    monkeypatch.setattr(resume, "WAIT", 0.1)
    monkeypatch.setattr(resume, "AT_LEAST", 1)
    try:
        assert resume.load(sample, sample / "site").memory.site is None
        new_title(sample)
        as_in_a_new_process()
        build(sample)
        assert resume.load(sample, sample / "site").memory.site is not None
    finally:
        os.close(lock)


def test_a_file_saved_twice_within_its_clock_tick_is_read_again(sample: Path) -> None:
    """The state keeps no document of a file changed just before it was stored: a second
    save of the same size within the same tick of a coarse clock (a FAT or network
    drive's) leaves the file's stamp as it was."""
    build(sample)
    path = sample / "data/contacts/devon-park.yaml"
    text = path.read_text()
    path.write_text(text.replace("title: ", "title: AAAA "))
    build(sample)  # (the file changed a moment ago)
    before = path.stat()
    path.write_text(text.replace("title: ", "title: BBBB "))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_ino == before.st_ino and path.stat().st_size == before.st_size
    as_in_a_new_process()
    build(sample)
    assert b"BBBB" in (sample / "site/contacts/devon-park.html").read_bytes()


def test_the_first_process_of_a_container_writes_its_state_itself(
    sample: Path, copies: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its end would end the copy: the state would never be written."""
    monkeypatch.setattr(resume.os, "getpid", lambda: 1)
    build(sample)
    assert copies == []
    assert (sample / store.FOLDER / resume.STATE).exists()


def test_a_state_lost_with_its_copy_leaves_what_the_site_is_made_from(
    sample: Path, tmp_path: Path, copies: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy killed as it wrote (at shutdown, or by a service's end) costs the next build
    its state, not a build of every page; and its half-written file is deleted."""
    build(sample)
    assert copies
    resume.load(sample, sample / "site")  # (once the copy is done)
    folder = sample / store.FOLDER
    (folder / resume.STATE).unlink()
    killed, writing = folder / f".{resume.STATE}-killed", folder / f".{resume.STATE}-now"
    for part in (killed, writing):
        part.write_bytes(b"half")
    os.utime(killed, (time.time() - resume.STALE - 60,) * 2)
    rendered: list[str] = []
    real = render.render_page

    def counted(env: Any, page: Any) -> bytes:
        rendered.append(page.path)
        return real(env, page)

    monkeypatch.setattr(render, "render_page", counted)
    new_title(sample)
    as_in_a_new_process()
    build(sample)
    pages = [path for path in snapshot(sample / "site") if path.endswith(".html")]
    assert 0 < len(rendered) < len(pages) / 3, rendered
    assert snapshot(sample / "site") == cold(sample, tmp_path)
    resume.load(sample, sample / "site")
    assert not killed.exists() and writing.exists()


def test_a_copy_killed_leaves_the_state_before_which_the_next_build_goes_on_from(
    sample: Path, tmp_path: Path, copies: list[int]
) -> None:
    """A copy killed as it wrote leaves the state before it in place: one build older
    than the site, which the next build checks against every file as it does any."""
    folder = sample / store.FOLDER
    build(sample)
    resume.load(sample, sample / "site")  # (once the copy is done)
    older = (folder / resume.STATE).read_bytes()
    new_title(sample)
    as_in_a_new_process()
    build(sample)
    resume.load(sample, sample / "site")
    (folder / resume.STATE).write_bytes(older)  # (as if this copy had been killed)
    new_title(sample, "hannah-osei")
    as_in_a_new_process()
    build(sample)
    assert snapshot(sample / "site") == cold(sample, tmp_path)
    assert "Principal" in (sample / "site/contacts/devon-park.html").read_text()


def test_a_new_process_loads_the_dictionary_only_for_a_word_never_looked_up(
    sample: Path, tmp_path: Path, speller_loads: list[object]
) -> None:
    """The speller takes 0.12 s to load; what it said of each word is in the state. A new
    title of known words changes three drafts, a misspelt word in the notes one more."""
    build(sample)
    assert len(speller_loads) == 1
    new_title(sample)
    proofread.speller.cache_clear()
    as_in_a_new_process()
    build(sample)
    assert len(speller_loads) == 1
    onsite = sample / "data/interviews/brightline-onsite.md"
    onsite.write_text(onsite.read_text().replace("## Devon Park\n", "## Devon Park\nZorblish.\n"))
    proofread.speller.cache_clear()
    as_in_a_new_process()
    result = CliRunner().invoke(main, ["-C", str(sample), "build", "--now", NOW])
    assert len(speller_loads) == 2
    assert "'Zorblish' may be misspelt" in result.output
    assert snapshot(sample / "site") == cold(sample, tmp_path)


def test_what_each_file_is_made_from_is_kept_apart_till_a_copy_outlives_its_command(
    sample: Path, copies: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """site.pickle is what a build goes on from should its state be lost with a copy
    killed as its command ended; a build stores it (0.15 s at N=2000) unless the state
    it went on from was written by a copy that outlived its command."""
    kept = sample / store.FOLDER / building.SITE_CACHE
    monkeypatch.setattr(resume, "AT_LEAST", 10**9)
    build(sample)  # (a small state, written by the build itself)
    assert not kept.exists()
    monkeypatch.setattr(resume, "AT_LEAST", 1)
    for slug in ("devon-park", "hannah-osei"):
        new_title(sample, slug)
        as_in_a_new_process()
        build(sample)
        resume.load(sample, sample / "site")  # (once the copy is done)
        if slug == "devon-park":
            stored = kept.stat()
    assert len(copies) == 2
    assert (kept.stat().st_ino, kept.stat().st_mtime_ns) == (stored.st_ino, stored.st_mtime_ns)
