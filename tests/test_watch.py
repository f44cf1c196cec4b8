"""watch: a real watchdog observer on a temporary workspace, saved to the way editors save."""

from __future__ import annotations

import errno
import gc
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest
from click.testing import CliRunner
from watchdog.events import (
    DirModifiedEvent,
    FileClosedEvent,
    FileClosedNoWriteEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileOpenedEvent,
)

from followup import (
    drafts,
    ics,
    load,
    proofread,
    publish,
    render,
    store,
    views,
    watch,
    workspace,
)
from followup.build import EVENTS_CACHE, PROOFREAD_CACHE
from followup.cache import DocumentCache
from followup.cli import main
from followup.problems import Problem
from followup.watch import Changes, Rebuild, Watcher, relevant
from tests.conftest import NEW_YORK, REPO
from tests.test_incremental import INTERVIEW

DANA = "data/contacts/dana-reyes.yaml"
DANA_PAGE = "contacts/dana-reyes.html"
RAJ = "data/contacts/raj-patel.yaml"


def dana(title: str) -> str:
    return (
        f"name: Dana Reyes\ntitle: {title}\ncompany: acme\n"
        "email: dana@acme.example\nprefers: email\n"
    )


@pytest.fixture
def root(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace()


@pytest.fixture
def watcher(root: Path) -> Iterator[Watcher]:
    with Watcher(root, root / "site") as started:
        assert started.build().ok
        yield started


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths load parses from now on."""
    paths: list[str] = []
    original = load.load_document

    def counting(root: Path, rel: str) -> tuple[load.Document, list[Problem]]:
        paths.append(rel)
        return original(root, rel)

    monkeypatch.setattr(load, "load_document", counting)
    return paths


@pytest.fixture
def listed(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The workspaces whose data/ is listed from now on."""
    roots: list[Path] = []
    original = load.find_sources

    def counting(root: Path) -> tuple[list[load.Source], list[Problem]]:
        roots.append(root)
        return original(root)

    monkeypatch.setattr(load, "find_sources", counting)
    return roots


def rebuilt(watcher: Watcher, timeout: float = 10) -> Rebuild:
    """The next rebuild, waiting for the changes to be noticed and to go quiet."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := watcher.next_build(timeout=0.5):
            return result
    raise AssertionError(f"no rebuild within {timeout} s")


def no_more_rebuilds(watcher: Watcher) -> None:
    assert watcher.next_build(timeout=max(1.0, 3 * watch.QUIET)) is None


def within(seconds: float, work: Callable[[], Any]) -> Any:
    """work(), which must end within these seconds (a thread, so that a wait that does
    not end fails the test instead of holding it up)."""
    done: list[Any] = []
    worker = threading.Thread(target=lambda: done.append(work()), daemon=True)
    worker.start()
    worker.join(seconds)
    assert done, f"still waiting after {seconds} s"
    return done[0]


def page(root: Path, rel: str = DANA_PAGE) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


# The filter, without an observer


@pytest.mark.parametrize(
    "rel",
    [DANA, "data/settings.yaml", "data/words.txt", "templates/people.html", "data/contacts"],
)
def test_changes_to_data_and_templates_count(root: Path, rel: str) -> None:
    assert relevant(root, str(root / rel)) == rel


@pytest.mark.parametrize(
    "rel",
    [
        "data/contacts/.dana-reyes.yaml.swp",
        "data/contacts/.dana-reyes.yaml.swx",
        "data/contacts/dana-reyes.yaml.swp",
        "data/contacts/dana-reyes.yaml~",
        "data/contacts/4913",
        "data/contacts/.#dana-reyes.yaml",
        "data/contacts/#dana-reyes.yaml#",
        "data/.git/index",
        "site/index.html",
        ".site-new-x1y2/index.html",
        ".site-old-42",
        ".git/HEAD",
        "README.md",
        "",
    ],
)
def test_junk_the_site_and_other_folders_do_not(root: Path, rel: str) -> None:
    assert relevant(root, str(root / rel)) is None


def test_a_path_outside_the_workspace_does_not_count(root: Path) -> None:
    assert relevant(root, str(root.parent / "data/contacts/x.yaml")) is None


def test_opening_reading_and_closing_a_file_is_no_change(root: Path) -> None:
    changes = Changes(root)
    path = str(root / DANA)
    for event in (
        FileOpenedEvent(path),
        FileClosedNoWriteEvent(path),
        FileClosedEvent(path),
        DirModifiedEvent(str(root / "data/contacts")),
    ):
        changes.dispatch(event)
    assert changes.take(timeout=max(1.0, 2 * watch.QUIET)) == set()


def test_a_burst_is_taken_once_it_is_quiet_with_both_ends_of_a_move(root: Path) -> None:
    changes = Changes(root)
    backup = str(root / "data/contacts/dana-reyes.yaml~")
    changes.dispatch(FileMovedEvent(str(root / DANA), backup))
    changes.dispatch(FileMovedEvent(str(root / "data/companies/acme.yaml"), str(root / RAJ)))
    started = time.monotonic()
    taken = changes.take(timeout=5)
    assert taken == {DANA, "data/companies/acme.yaml", RAJ}
    assert time.monotonic() - started >= watch.QUIET * 0.9


def test_a_burst_whose_files_are_all_closed_does_not_wait_for_quiet(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "QUIET", 60.0)
    monkeypatch.setattr(watch, "LONGEST_BURST", 60.0)
    changes = Changes(root)
    for event in (
        FileCreatedEvent(str(root / RAJ)),
        FileModifiedEvent(str(root / RAJ)),
        FileModifiedEvent(str(root / DANA)),
        FileClosedEvent(str(root / RAJ)),
        FileClosedEvent(str(root / DANA)),
    ):
        changes.dispatch(event)
    assert within(10, lambda: changes.take(timeout=5)) == {DANA, RAJ}


def test_a_file_written_and_not_closed_waits_for_quiet(root: Path) -> None:
    changes = Changes(root)
    changes.dispatch(FileModifiedEvent(str(root / DANA)))
    changes.dispatch(FileClosedEvent(str(root / DANA)))
    changes.dispatch(FileModifiedEvent(str(root / RAJ)))  # still being written
    started = time.monotonic()
    assert changes.take(timeout=5) == {DANA, RAJ}
    assert time.monotonic() - started >= watch.QUIET * 0.9


def test_a_file_that_came_and_went_in_a_burst_is_no_change(root: Path) -> None:
    changes = Changes(root)
    temporary = str(root / "data/contacts/tmp1234")
    changes.dispatch(FileCreatedEvent(temporary))
    changes.dispatch(FileModifiedEvent(temporary))
    changes.dispatch(FileMovedEvent(temporary, str(root / DANA)))
    changes.dispatch(FileCreatedEvent(str(root / "data/contacts/new.yaml")))
    changes.dispatch(FileDeletedEvent(str(root / "data/contacts/new.yaml")))
    assert changes.take(timeout=5) == {DANA}


# A real observer


def test_a_new_time_zone_shows_in_tasks_json_though_every_task_is_the_same(
    make_workspace: Callable[..., Path],
) -> None:
    """Due 24 hours after the interview, or a week after at the same hour: in another
    time zone, the same instants, so the very same tasks; tasks.json writes them anew."""
    call = "application: acme-backend\nat: 2026-11-20 14:00-05:00\ninterviewers: [dana-reyes]"
    root = make_workspace({"data/interviews/acme-call.md": f"---\n{call}\n---\n"})
    with Watcher(root, root / "site") as watcher:
        assert watcher.build().ok
        before = json.loads((root / "site/tasks.json").read_text())["tasks"]
        settings = root / "data/settings.yaml"
        settings.write_text(settings.read_text().replace("America/New_York", "Europe/Paris"))
        assert rebuilt(watcher).ok
    after = json.loads((root / "site/tasks.json").read_text())["tasks"]
    assert [t["id"] for t in after] == [t["id"] for t in before] != []
    assert all(t["due"].endswith("-05:00") for t in before)
    assert all(t["due"].endswith("+01:00") for t in after)


def test_a_plain_write_rebuilds_the_site(root: Path, watcher: Watcher) -> None:
    (root / DANA).write_text(dana("Director of Engineering"))
    result = rebuilt(watcher)
    assert result.ok and result.changed == (DANA,)
    assert "Director of Engineering" in page(root)


def test_a_write_rebuilds_once_the_file_is_closed_without_waiting_for_quiet(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "QUIET", 60.0)
    monkeypatch.setattr(watch, "LONGEST_BURST", 60.0)
    with (root / DANA).open("w") as file:
        file.write(dana("Head"))
        file.flush()
        builds: list[Rebuild] = []
        waiting = threading.Thread(target=lambda: builds.append(rebuilt(watcher)), daemon=True)
        waiting.start()
        waiting.join(0.5)
        assert not builds  # not from half a file
        file.write("phone: 555 0100\n")
    waiting.join(10)
    assert builds, "no rebuild within 10 s of closing the file"
    result = builds[0]
    assert result.ok and result.changed == (DANA,)
    assert "Head" in page(root) and "555 0100" in page(root)


def test_an_atomic_save_rebuilds_once_for_the_file_it_replaced(
    root: Path, watcher: Watcher
) -> None:
    handle, temporary = tempfile.mkstemp(dir=root / "data/contacts")
    with os.fdopen(handle, "w") as file:
        file.write(dana("Director of Engineering"))
    os.replace(temporary, root / DANA)
    result = rebuilt(watcher)
    assert result.ok and result.changed == (DANA,)
    assert "Director of Engineering" in page(root)
    no_more_rebuilds(watcher)


def test_a_save_through_a_file_of_another_name_lists_no_folder(
    root: Path, watcher: Watcher, listed: list[Path]
) -> None:
    """sed -i, and programs that write a temporary file and rename it: the temporary
    file came and went unseen by any rebuild, and data/ need not be listed again."""
    handle, temporary = tempfile.mkstemp(dir=root / "data/contacts")
    with os.fdopen(handle, "w") as file:
        file.write(dana("Director of Engineering"))
    os.replace(temporary, root / DANA)
    result = rebuilt(watcher)
    assert result.ok and result.changed == (DANA,) and listed == []


def test_a_vim_save_rebuilds_once(root: Path, watcher: Watcher) -> None:
    folder = root / "data/contacts"
    probe = folder / "4913"  # vim checks that it may write in the folder
    probe.write_text("")
    probe.unlink()
    backup = folder / "dana-reyes.yaml~"
    (root / DANA).rename(backup)
    (root / DANA).write_text(dana("Director of Engineering"))
    backup.unlink()
    result = rebuilt(watcher)
    assert result.ok and result.changed == (DANA,)
    assert "Director of Engineering" in page(root)
    no_more_rebuilds(watcher)


def test_delete_and_recreate(root: Path, watcher: Watcher) -> None:
    saved = (root / RAJ).read_text()
    (root / RAJ).unlink()
    result = rebuilt(watcher)
    assert result.ok and result.changed == (RAJ,)
    assert not (root / "site/contacts/raj-patel.html").exists()
    (root / RAJ).write_text(saved)
    assert rebuilt(watcher).ok
    assert "Raj Patel" in page(root, "contacts/raj-patel.html")


def test_a_broken_save_keeps_the_last_good_site_until_it_is_fixed(
    root: Path, watcher: Watcher
) -> None:
    site = root / "site"
    before, inode = page(root), site.stat().st_ino
    (root / DANA).write_text(dana("Director") + "title: twice\n")
    result = rebuilt(watcher)
    assert not result.ok and result.files == 0
    assert result.errors() == [f"{DANA}:6:1: duplicate key 'title' (first on line 2)"]
    assert "kept the last good site" in result.summary()
    assert page(root) == before and site.stat().st_ino == inode
    assert not list(root.glob(".site-*"))

    (root / DANA).write_text(dana("Director of Engineering"))
    result = rebuilt(watcher)
    assert result.ok and result.errors() == []
    assert "Director of Engineering" in page(root)


def test_a_template_edit_rebuilds_and_a_broken_template_keeps_the_site(
    root: Path, watcher: Watcher
) -> None:
    built_in = (REPO / "followup/templates/people.html").read_text()
    assert "{% block main %}" in built_in
    # templates/ did not exist when watching began: the new folder is watched too.
    (root / "templates").mkdir()
    (root / "templates/people.html").write_text(
        built_in.replace("{% block main %}", "{% block main %}<p>first</p>")
    )
    assert rebuilt(watcher).ok
    assert "<p>first</p>" in page(root, "people.html")

    (root / "templates/people.html").write_text(
        built_in.replace("{% block main %}", "{% block main %}<p>second</p>")
    )
    assert rebuilt(watcher).ok
    assert "<p>second</p>" in page(root, "people.html")

    (root / "templates/people.html").write_text(
        "{% extends 'base.html' %}\n{% block main %}{% if %}"
    )
    result = rebuilt(watcher)
    assert not result.ok
    assert result.site_error.startswith("templates/people.html:2:")
    assert "<p>second</p>" in page(root, "people.html")


def test_a_burst_of_saves_rebuilds_once(root: Path, watcher: Watcher) -> None:
    for i in range(30):
        (root / DANA).write_text(dana(f"Manager {i}"))
        (root / RAJ).write_text(f"name: Raj Patel\ntitle: Engineer {i}\ncompany: acme\n")
        time.sleep(0.005)
    result = rebuilt(watcher)
    assert result.changed == (DANA, RAJ)
    assert "Manager 29" in page(root)
    no_more_rebuilds(watcher)


def test_a_rebuild_parses_only_the_files_that_changed(
    root: Path, watcher: Watcher, parsed: list[str]
) -> None:
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok
    assert parsed == [DANA]


def test_a_change_whose_event_was_lost_is_found_once_quiet(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild reads only the files events name; at the next quiet moment watch looks
    at every file, and builds again for one changed or deleted with no event."""
    heard = watcher._changes.on_any_event
    lost = ["raj-patel.yaml", "acme.yaml"]

    def losing(event: Any) -> None:
        if not os.fsdecode(event.src_path).endswith(tuple(lost)):
            heard(event)

    monkeypatch.setattr(watcher._changes, "on_any_event", losing)
    (root / RAJ).write_text("name: Raj Patel\ntitle: Principal Engineer\ncompany: acme\n")
    (root / "data/contacts/new-person.yaml").write_text("name: New Person\n")
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).changed == (DANA, "data/contacts/new-person.yaml")
    assert "Principal Engineer" not in page(root, "contacts/raj-patel.html")
    (root / "data/companies/acme.yaml").write_text("name: Acme Corporation\n")
    lost.append("new-person.yaml")
    (root / "data/contacts/new-person.yaml").unlink()
    result = watcher.next_build(timeout=0.5)
    assert result is not None and result.ok
    assert result.changed == ("data/companies/acme.yaml", "data/contacts/new-person.yaml", RAJ)
    assert "Principal Engineer" in page(root, "contacts/raj-patel.html")
    assert "Acme Corporation" in page(root)
    assert not (root / "site/contacts/new-person.html").exists()
    no_more_rebuilds(watcher)


def test_a_refused_file_whose_event_was_lost_is_found_once_quiet(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file no record is read from (here, one that is not YAML or Markdown) has no
    stamp to compare: at the quiet moment, watch lists data/ afresh and compares that."""
    heard = watcher._changes.on_any_event
    monkeypatch.setattr(
        watcher._changes,
        "on_any_event",
        lambda event: None if os.fsdecode(event.src_path).endswith(".txt") else heard(event),
    )
    notes = root / "data/contacts/notes.txt"

    def warned(result: Rebuild | None) -> bool:
        assert result is not None and result.ok
        return any(p.path == "data/contacts/notes.txt" for p in result.problems)

    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok  # a save after which watch trusts what events say
    notes.write_text("call Raj\n")
    (root / DANA).write_text(dana("Engineering Director"))
    assert rebuilt(watcher).changed == (DANA,)
    result = watcher.next_build(timeout=0.5)
    assert warned(result) and result and result.changed == ("data/contacts/notes.txt",)
    notes.unlink()
    (root / RAJ).write_text("name: Raj Patel\ntitle: Principal Engineer\n")
    assert rebuilt(watcher).changed == (RAJ,)
    result = watcher.next_build(timeout=0.5)
    assert not warned(result) and result and result.changed == ("data/contacts/notes.txt",)
    no_more_rebuilds(watcher)


def test_a_file_that_came_and_went_after_a_rebuild_read_it_is_gone_from_the_site(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made while a rebuild listed data/ (and so read by it), deleted in the next burst:
    that burst does not count it as a change, but the listing and the cache forget it."""
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok  # a save after which watch trusts what events say
    listing = load.find_sources
    chen = root / "data/contacts/lee-chen.yaml"

    def meanwhile(at: Path) -> tuple[list[load.Source], list[Problem]]:
        if not chen.exists():
            chen.write_text("name: Lee Chen\n")
        return listing(at)

    monkeypatch.setattr(load, "find_sources", meanwhile)
    (root / "data/contacts/lee-wong.yaml").write_text("name: Lee Wong\n")
    assert rebuilt(watcher).ok and (root / "site/contacts/lee-chen.html").exists()
    monkeypatch.setattr(load, "find_sources", listing)
    chen.unlink()
    (root / DANA).write_text(dana("Engineering Director"))
    result = rebuilt(watcher)
    assert result.ok and DANA in result.changed  # (and lee-chen's, if its event came late)
    assert not (root / "site/contacts/lee-chen.html").exists()
    assert "Lee Chen" not in page(root, "people.html")


def test_a_site_file_changed_by_hand_is_made_again_once_quiet(root: Path, watcher: Watcher) -> None:
    """A rebuild takes the files it wrote before on trust; at the next quiet moment watch
    looks at the site, and builds again where it finds a file changed, gone or added."""
    site = root / "site"
    raj, before = site / "contacts/raj-patel.html", page(root, "contacts/raj-patel.html")
    raj.write_text("edited by hand")
    (site / "assets/style.css").unlink()
    (site / "contacts/extra.html").write_text("added by hand")
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).changed == (DANA,)
    assert raj.read_text() == "edited by hand"
    result = watcher.next_build(timeout=0.5)
    assert result is not None and result.ok
    made_again = ("assets/style.css", "contacts/extra.html", "contacts/raj-patel.html")
    assert result.changed == tuple(f"site/{rel}" for rel in made_again)
    assert raj.read_text() == before and (site / "assets/style.css").is_file()
    assert not (site / "contacts/extra.html").exists()
    no_more_rebuilds(watcher)


def test_a_link_put_in_place_of_a_site_folder_is_not_written_through(
    root: Path, watcher: Watcher, tmp_path: Path
) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "dana-reyes.html").write_text("my own file")
    (mine / "raj-patel.html").write_text("my own file too")
    shutil.rmtree(root / "site/contacts")
    (root / "site/contacts").symlink_to(mine)
    (root / "site/assets/style.css").unlink()  # as the site is looked at, it comes back too
    (root / RAJ).unlink()
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok
    assert sorted(p.read_text() for p in mine.iterdir()) == ["my own file", "my own file too"]
    assert not (root / "site/contacts").is_symlink()
    assert "Director of Engineering" in page(root)
    assert (root / "site/assets/style.css").is_file()


def test_a_kept_page_under_a_link_put_in_place_of_its_folder_is_made_again(
    root: Path, watcher: Watcher, tmp_path: Path
) -> None:
    """The pages a save does not change are kept all at once; one that would go with a
    link in the way of a page written is made again, not read back through the link."""
    raj = page(root, "contacts/raj-patel.html")
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "raj-patel.html").write_text("my own file")
    shutil.rmtree(root / "site/contacts")
    (root / "site/contacts").symlink_to(mine)
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok
    assert (mine / "raj-patel.html").read_text() == "my own file"
    assert not (root / "site/contacts").is_symlink()
    assert page(root, "contacts/raj-patel.html") == raj


def test_a_site_made_a_loop_of_links_is_an_error_not_a_crash(root: Path, watcher: Watcher) -> None:
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok
    shutil.rmtree(root / "site")
    (root / "site").symlink_to(root / "site")
    result = watcher.next_build(timeout=0.5)
    assert result is not None and not result.ok
    assert result.site_error == f"{root / 'site'} is a loop of links: choose another --out"
    no_more_rebuilds(watcher)


def test_a_folder_made_by_hand_where_a_new_page_goes_is_replaced(
    root: Path, watcher: Watcher
) -> None:
    (root / "site/contacts/zoe-new.html").mkdir()
    (root / "data/contacts/zoe-new.yaml").write_text("name: Zoe New\n")
    assert rebuilt(watcher).ok
    assert "Zoe New" in page(root, "contacts/zoe-new.html")


def test_a_file_read_through_a_link_is_read_again_when_what_it_leads_to_changes(
    root: Path, watcher: Watcher
) -> None:
    """Editing the file a link leads to is no event for the link: it is looked at anyway."""
    (root / "data/contacts/dana-alias.yaml").symlink_to(root / DANA)
    assert rebuilt(watcher).ok
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).changed == (DANA,)
    assert "Director of Engineering" in page(root, "contacts/dana-alias.html")


def test_each_saved_title_shows_on_the_people_page(root: Path, watcher: Watcher) -> None:
    """The page's other rows are the last build's, and counted as such; the saved one is new."""
    for title in ("Director of Engineering", "VP Engineering"):
        (root / DANA).write_text(dana(title))
        assert rebuilt(watcher).ok
        assert f"<td>{title}</td>" in page(root, "people.html")


def test_once_quiet_watch_leaves_what_it_learned_for_the_next_build(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memory of the site is stored at a quiet moment, not between a save and its
    page: a build after watch makes again only the pages that show the time."""
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok
    no_more_rebuilds(watcher)
    made: list[str] = []
    original = render.render_page

    def counting(env: jinja2.Environment, page: views.Page) -> bytes:
        made.append(page.path)
        return original(env, page)

    monkeypatch.setattr(render, "render_page", counting)
    assert CliRunner().invoke(main, ["-C", str(root), "build"]).exit_code == 0
    assert sorted(made) == sorted(views.TIMED_PAGES)
    assert "Director of Engineering" in page(root)


def test_once_quiet_watch_stores_its_proofreading_and_calendar_events(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kept in memory between saves, stored at a quiet moment (not between a save and its
    page): a build after watch neither proofreads a draft nor writes an event anew."""
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    stored = [root / store.FOLDER / name for name in (PROOFREAD_CACHE, EVENTS_CACHE)]
    checked: list[str] = []
    events: list[str] = []
    spelling, event = proofread._spelling, ics._event

    def checking(draft: drafts.Draft, *args: Any) -> Any:
        checked.append(draft.path)
        return spelling(draft, *args)

    def writing(zone: Any, task: Any, *args: Any) -> Any:
        events.append(task.id)
        return event(zone, task, *args)

    monkeypatch.setattr(proofread, "_spelling", checking)
    monkeypatch.setattr(ics, "_event", writing)
    with Watcher(root, root / "site") as watcher:
        assert watcher.build().ok
        no_more_rebuilds(watcher)
        before = [path.stat().st_mtime_ns for path in stored]
        checked.clear()
        events.clear()
        (root / DANA).write_text(dana("Manager").replace("acme.example", "acme.example.org"))
        assert rebuilt(watcher).ok
        assert "drafts/acme-onsite/dana-reyes" in checked  # her address changed
        assert events  # so did the calendar's "by email" for her
        assert [path.stat().st_mtime_ns for path in stored] == before
        no_more_rebuilds(watcher)
        assert [path.stat().st_mtime_ns for path in stored] != before
    checked.clear()
    events.clear()
    assert CliRunner().invoke(main, ["-C", str(root), "build"]).exit_code == 0
    assert (checked, events) == ([], [])


def test_a_rebuild_stopped_by_an_error_keeps_the_calendar_events(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It writes no calendar: the next rebuild still finds every unchanged event made."""
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    events: list[str] = []
    event = ics._event

    def writing(zone: Any, task: Any, *args: Any) -> Any:
        events.append(task.id)
        return event(zone, task, *args)

    monkeypatch.setattr(ics, "_event", writing)
    with Watcher(root, root / "site") as watcher:
        assert watcher.build().ok
        every = set(events)
        (root / RAJ).write_text("name: [Raj Patel\n")
        assert not rebuilt(watcher).ok
        no_more_rebuilds(watcher)
        events.clear()
        (root / RAJ).write_text("name: Raj Patel\ncompany: acme\nemail: raj@acme.example\n")
        assert rebuilt(watcher).ok
    assert events
    assert set(events) < every  # only Raj's, whose "by email" changed


def _cycles_left_by_each_analysis(monkeypatch: pytest.MonkeyPatch) -> list[weakref.ref[object]]:
    """Each rebuild's analysis leaves an object in a cycle: a weak reference to each."""
    left: list[weakref.ref[object]] = []
    analyse = watch.analyse

    def leaving_a_cycle(*args: Any) -> Any:
        class Node:
            pass

        node = Node()
        node.itself = node  # type: ignore[attr-defined]
        left.append(weakref.ref(node))
        return analyse(*args)

    monkeypatch.setattr(watch, "analyse", leaving_a_cycle)
    return left


def test_a_rebuilds_garbage_is_collected_once_quiet(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The collector is off during a rebuild; what the rebuild left in cycles goes at the
    next quiet moment (though the collector does not look at all that lives each time),
    and leaving watch gives the process its collector back as it was."""
    left = _cycles_left_by_each_analysis(monkeypatch)
    with Watcher(root, root / "site") as watcher:
        assert watcher.build().ok
        no_more_rebuilds(watcher)
        (root / DANA).write_text(dana("Director of Engineering"))
        assert rebuilt(watcher).ok
        assert left[-1]() is not None  # not collected during the rebuild
        no_more_rebuilds(watcher)
        assert all(ref() is None for ref in left)
    assert gc.isenabled() and gc.get_freeze_count() == 0


def _saved_meanwhile(root: Path, watcher: Watcher, title: str) -> None:
    """Dana's file saved while watch does something else, and the save heard."""
    (root / DANA).write_text(dana(title))
    deadline = time.monotonic() + 10
    while not watcher._changes.pending():
        assert time.monotonic() < deadline, "the save was not heard"
        time.sleep(0.01)


def test_a_save_as_watch_looks_at_the_site_is_rebuilt_before_it_stores_its_memory(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What watch does at a quiet moment takes a while for a big workspace: a save that
    comes meanwhile is rebuilt once the step under way ends, and the steps left wait for
    the next quiet moment."""
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok
    stored: list[object] = []
    looked: list[object] = []
    remember, site = watch.remember, publish.unseen

    def remembering(*args: Any) -> None:
        stored.append(args)
        remember(*args)

    def looking_at_the_site(out: Path, files: Any) -> list[str]:
        if not looked:
            _saved_meanwhile(root, watcher, "VP of Engineering")
        looked.append(out)
        return site(out, files)

    monkeypatch.setattr(watch, "remember", remembering)
    monkeypatch.setattr(publish, "unseen", looking_at_the_site)
    assert rebuilt(watcher).changed == (DANA,)
    assert "VP of Engineering" in page(root, DANA_PAGE)
    assert stored == []
    no_more_rebuilds(watcher)
    assert stored


def test_a_rebuilds_garbage_is_collected_first_though_saves_keep_coming(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An editor that saves every second leaves watch no quiet moment long enough for all
    its work; what the rebuilds left in cycles goes first, as it takes least."""
    left = _cycles_left_by_each_analysis(monkeypatch)
    data = watcher.cache.unseen

    def looking_at_data(at: Path) -> list[str]:
        _saved_meanwhile(root, watcher, f"Director {len(left)}")
        return data(at)

    monkeypatch.setattr(watcher.cache, "unseen", looking_at_data)
    (root / DANA).write_text(dana("Director of Engineering"))
    for _ in range(3):
        assert rebuilt(watcher).ok
    assert left[0]() is None and left[1]() is None


def test_a_build_outside_watching_leaves_the_collector_on(root: Path) -> None:
    """The collector is off from a rebuild to the next quiet moment only while watching:
    a Watcher's build alone (a test's, say) gives it back."""
    watcher = Watcher(root, root / "site")
    assert watcher.build().ok
    (root / DANA).write_text(dana("Director of Engineering"))
    assert watcher.build((DANA,)).ok  # a rebuild
    assert gc.isenabled()
    gc.unfreeze()  # (what Watcher froze as it read the state: see resume.load)


def test_leaving_watch_as_it_stores_its_memory_gives_the_collector_back(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second Ctrl-C as watch stores its memory on the way out still gives the process
    its collector back, on and with nothing frozen."""

    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), Watcher(root, root / "site") as watcher:
        assert watcher.build().ok
        (root / DANA).write_text(dana("Director of Engineering"))
        assert rebuilt(watcher).ok  # the collector is off till a quiet moment
        monkeypatch.setattr(watch, "remember", interrupted)
        raise KeyboardInterrupt
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_save_as_watch_looks_at_every_file_is_rebuilt_as_any_save(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At a quiet moment watch looks at every file for a change it was not told of. A
    save that comes as it looks is one it is told of: rebuilt as any save is (not as a
    change it missed, which has the rebuild look at every file again), and the looking
    is done at the next quiet moment."""
    (root / DANA).write_text(dana("Director of Engineering"))
    assert rebuilt(watcher).ok
    looked: list[str] = []
    data, site = watcher.cache.unseen, publish.unseen

    def looking_at_data(at: Path) -> list[str]:
        if not looked:
            _saved_meanwhile(root, watcher, "VP of Engineering")
        looked.append("data")
        return data(at)

    def looking_at_the_site(out: Path, files: Any) -> list[str]:
        looked.append("site")
        return site(out, files)

    monkeypatch.setattr(watcher.cache, "unseen", looking_at_data)
    monkeypatch.setattr(publish, "unseen", looking_at_the_site)
    assert rebuilt(watcher).changed == (DANA,)
    assert looked == ["data"]
    assert "VP of Engineering" in page(root, DANA_PAGE)
    no_more_rebuilds(watcher)
    assert looked == ["data", "data", "site"]


def test_polling_sees_a_save(root: Path) -> None:
    with Watcher(root, root / "site", poll=True) as polling:
        polling.build()
        (root / DANA).write_text(dana("Director of Engineering"))
        assert rebuilt(polling).changed == (DANA,)
    assert "Director of Engineering" in page(root)


def test_inotify_limits_fall_back_to_polling(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted() -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(watch, "Observer", exhausted)
    with Watcher(root, root / "site") as fallback:
        assert fallback.notice == (
            "inotify cannot watch more folders (raise fs.inotify.max_user_watches): "
            "polling every second instead"
        )
        fallback.build()
        (root / DANA).write_text(dana("Director of Engineering"))
        assert rebuilt(fallback).ok
    assert "Director of Engineering" in page(root)


def test_a_fault_of_followup_keeps_the_site_and_the_watch(
    root: Path, watcher: Watcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("a bug")

    before = page(root)
    with monkeypatch.context() as patched:
        patched.delenv("FOLLOWUP_DEBUG", raising=False)
        patched.setattr(watch, "analyse", broken)
        (root / DANA).write_text(dana("Director of Engineering"))
        result = rebuilt(watcher)
    assert not result.ok and result.errors() == [
        "internal error (RuntimeError: a bug). Please report it; "
        "FOLLOWUP_DEBUG=1 shows the details."
    ]
    assert page(root) == before
    (root / DANA).write_text(dana("VP of Engineering"))
    assert rebuilt(watcher).ok
    assert "VP of Engineering" in page(root)


# The cache


def test_reading_with_a_cache_gives_what_reading_without_one_does(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace({"data/contacts/bad.yaml": "name: [\n"})
    cache = DocumentCache()
    plain = workspace.read(root, NEW_YORK)
    assert workspace.read(root, NEW_YORK, cache) == plain
    assert workspace.read(root, NEW_YORK, cache) == plain


def test_the_cache_parses_again_when_size_time_or_file_change(
    root: Path, parsed: list[str]
) -> None:
    cache = DocumentCache()
    first, _ = cache.load(root, DANA)
    assert cache.load(root, DANA)[0] is first and parsed == [DANA]
    os.utime(root / DANA, ns=(0, 1))  # same size and text, another time
    cache.load(root, DANA)
    cache.forget(root, ["data/contacts"])
    cache.load(root, DANA)
    (root / DANA).unlink()
    _, problems = cache.load(root, DANA)
    assert parsed == [DANA] * 4
    assert "cannot be read" in problems[0].message


def test_a_save_keeps_the_list_of_files_and_a_new_or_gone_name_does_not(
    root: Path, listed: list[Path]
) -> None:
    """Listing data/ at N=2000 takes 0.05 s a rebuild, and a save changes no name."""
    cache = DocumentCache()

    def contacts(*changed: str) -> list[str]:
        cache.forget(root, changed)  # as watch does with the paths its events name
        found = workspace.read(root, NEW_YORK, cache, trusted=True)
        assert found == workspace.read(root, NEW_YORK)  # records and problems alike
        listed.pop()  # (that read's own listing)
        return sorted(found[0].contacts)

    everyone = contacts()
    (root / DANA).write_text(dana("Director of Engineering"))
    assert contacts(DANA, "templates/people.html") == everyone and len(listed) == 1
    lee, chen = "data/contacts/lee-wong.yaml", "data/contacts/lee-chen.yaml"
    (root / lee).write_text("name: Lee Wong\nname: Lee Wong\n")  # a problem, then none
    assert contacts(lee) == sorted([*everyone, "lee-wong"]) and len(listed) == 2
    (root / lee).write_text("name: Lee Wong\n")
    assert contacts(lee) == sorted([*everyone, "lee-wong"]) and len(listed) == 2
    (root / lee).rename(root / chen)
    assert contacts(lee, chen) == sorted([*everyone, "lee-chen"]) and len(listed) == 3
    (root / chen).unlink()
    assert contacts(chen) == everyone and len(listed) == 4
    (root / DANA).unlink()
    (root / DANA).symlink_to(root / RAJ)  # a file that is now a link
    assert contacts(DANA) == everyone and len(listed) == 5
    assert contacts("templates/people.html") == everyone and len(listed) == 6  # (a link)
    workspace.read(root, NEW_YORK, cache)  # a read that looks at everything lists too
    assert len(listed) == 7
    (root / DANA).unlink()
    others = [slug for slug in everyone if slug != "dana-reyes"]
    assert contacts(DANA) == others and len(listed) == 8
    shutil.copytree(root / "data", root / "other")
    (root / "other/contacts/lee-wong.yaml").write_text("name: Lee Wong\n")
    (root / "data").rename(root / "old")
    (root / "other").rename(root / "data")  # data/ itself replaced: an event for it alone
    assert contacts("data") == sorted([*others, "lee-wong"]) and len(listed) == 9
    now = sorted([*others, "lee-wong"])
    bad = "data/contacts/Bad Name.yaml"  # refused: no record, but a problem
    (root / bad).write_text("name: Bad\n")
    assert contacts(bad) == now and len(listed) == 10
    (root / bad).unlink()
    assert contacts(bad) == now and len(listed) == 11
    assert contacts("data/contacts/sedAb12Cd") == now and len(listed) == 11  # came, went


# The command


def test_a_port_in_use_is_one_line_and_exit_64(root: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main, ["-C", str(root), "watch", "--serve", "--port", str(port)]
        )
    assert result.exit_code == 64
    assert result.output == (
        f"followup watch: port {port} on 127.0.0.1 is in use (another 'followup watch'?): "
        "choose another --port\n"
    )


def test_an_out_folder_it_must_not_replace_is_exit_64(root: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(root), "watch", "--out", "data"])
    assert result.exit_code == 64
    assert result.output.startswith("followup watch: ") and result.output.count("\n") == 1


def test_a_data_folder_moved_away_and_back_is_one_quiet_rebuild(root: Path, tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "followup", "-C", str(root), "watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert "first build: site rebuilt" in process.stdout.readline() + process.stdout.readline()
        (root / "data/contacts").rename(tmp_path / "contacts")
        assert "changed: " in process.stdout.readline()
        (tmp_path / "contacts").rename(root / "data/contacts")
        assert "site rebuilt" in process.stdout.readline()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "RuntimeWarning" not in err, err


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
def test_ctrl_c_or_kill_stops_cleanly_with_a_page_open(root: Path, stop: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "followup", "-C", str(root), "watch", "--serve", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(3)]
        assert "first build: site rebuilt" in lines[1]
        assert lines[2].startswith("Serving ") and "http://127.0.0.1:" in lines[2]
        port = int(lines[2].split("http://127.0.0.1:")[1].split("/")[0])
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        page.request("GET", "/__followup__/events")  # as an open page listens for rebuilds
        assert page.getresponse().readline() == b"retry: 1000\n"
        process.send_signal(stop)
        out, err = process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert out.strip() == "Stopped."
    assert err == ""
