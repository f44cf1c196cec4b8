"""A build that reuses the last one's work writes the very bytes a cold build writes.

Each step edits, adds or deletes a data file or a template, then builds the
workspace again with its cache (.followup-cache/) and its last site in place, and
compares that site, file by file, with a cold build of a copy of the workspace.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from followup import build as building
from followup import clock, publish, render, store, views, workspace
from followup.cli import main
from followup.rules import Task
from tests.conftest import NEW_YORK, REPO, Files, write_tree

NOW = "2026-11-21 12:00"

INTERVIEW = """
    ---
    application: acme-backend
    at: 2026-11-17 14:00
    kind: onsite
    interviewers: [dana-reyes, raj-patel]
    ---
    ## Dana Reyes
    We talked about the on-call rotation and the migration to the new queue.

    ## Raj Patel
    Raj asked about schema design; we sketched the caching layer together.
"""
SECOND = """
    ---
    application: acme-backend
    at: 2026-11-19 10:00
    interviewers: [raj-patel]
    log:
      - {on: 2026-11-19 18:00, did: thank-you, with: raj-patel, via: email}
      - {on: 2026-11-19 19:00, did: message, with: lee-wong, via: other}
    ---
    Short chat.
"""
#: Shown on the page of the person it was with, which reads nothing else of its file.
NOTED = 'other, note: "Told Lee how it went."}'


def build(root: Path, now: str = NOW) -> None:
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", now])
    assert result.exit_code == 0, result.output


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file's bytes, and every folder (as None), by path."""
    return {
        p.relative_to(folder).as_posix(): None if p.is_dir() else p.read_bytes()
        for p in folder.rglob("*")
    }


def cold(root: Path, tmp_path: Path, now: str = NOW) -> dict[str, bytes]:
    """The site a first build of a copy of the workspace writes, with no cache at all."""
    copy = tmp_path / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("site", store.FOLDER))
    build(copy, now)
    return snapshot(copy / "site")


def settle(root: Path) -> None:
    """Age every file by a minute, as files are between two real builds; the caches do not
    trust a file changed in the last moments before they were written."""
    for path in (root / "data", root / "templates"):
        for file in [path, *path.rglob("*")] if path.exists() else []:
            status = file.stat()
            os.utime(file, ns=(status.st_atime_ns, status.st_mtime_ns - 60 * 10**9))


@pytest.fixture
def root(make_workspace: Callable[..., Path]) -> Path:
    return make_workspace(
        {
            "data/interviews/acme-onsite.md": INTERVIEW,
            "data/contacts/lee-wong.md": "---\nname: Lee Wong\n---\nMet at a meetup.\n",
        }
    )


STEPS: list[tuple[str, Files]] = [
    ("nothing", {}),
    ("a contact's title", {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"}),
    ("a new interview", {"data/interviews/acme-second.md": SECOND}),
    ("a log entry's note", {"data/interviews/acme-second.md": SECOND.replace("other}", NOTED)}),
    ("notes", {"data/contacts/lee-wong.md": "---\nname: Lee Wong\n---\n# Changed *notes*\n"}),
    ("a deleted interview", {"data/interviews/acme-second.md": None}),
    ("a new company", {"data/companies/initech.yaml": "name: Initech\n"}),
    ("own words", {"data/words.txt": "rotation\ncaching\n"}),
    ("a page template", {"templates/contact.html": "{{ contact.name }} / {{ now_text }}\n"}),
    ("a note template", {"templates/notes/after-interview.txt": "Subject: Hi\n\nThanks!\n"}),
    (
        "templates gone",
        {"templates/contact.html": None, "templates/notes/after-interview.txt": None},
    ),
    ("the time zone", {"data/settings.yaml": "me: {name: Sam Taylor}\ntimezone: Europe/Paris\n"}),
    ("a deleted contact", {"data/contacts/lee-wong.md": None}),
]


def test_every_step_builds_what_a_cold_build_does(root: Path, tmp_path: Path) -> None:
    build_each_step(root, lambda: cold(root, tmp_path))


def build_each_step(root: Path, reference: Callable[[], dict[str, bytes]]) -> None:
    """Build the workspace, then again after each step: its site is reference()'s."""
    settle(root)
    build(root)
    assert snapshot(root / "site") == reference()
    for name, files in STEPS:
        write_tree(root, files)
        settle(root)
        build(root)
        assert snapshot(root / "site") == reference(), name


def test_changes_within_the_same_moment_are_seen(root: Path, tmp_path: Path) -> None:
    """No aging: files changed just before and after a build, with the same size."""
    build(root)
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CEO\n"})
    build(root)
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CFO\n"})
    build(root)
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_a_note_draft_is_dated_anew_at_midnight(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thank-you letter to Dana stays overdue from 23:58 to 00:02; its date moves
    on. The email to Raj shows no date, and its page is not made again."""
    letter = "name: Dana Reyes\nprefers: mail\naddress: 1 Main St, Springfield\n"
    write_tree(root, {"data/contacts/dana-reyes.yaml": letter})
    settle(root)
    build(root, "2026-11-20 23:58")
    page = root / "site/drafts/acme-onsite/dana-reyes.html"
    email = root / "site/drafts/acme-onsite/raj-patel.html"
    assert "November 20, 2026" in page.read_text()
    rendered: list[str] = []
    real = render.render_page
    monkeypatch.setattr(
        render, "render_page", lambda env, made: rendered.append(made.path) or real(env, made)
    )
    build(root, "2026-11-21 00:02")
    assert "November 21, 2026" in page.read_text()
    assert "drafts/acme-onsite/dana-reyes.html" in rendered
    assert "drafts/acme-onsite/raj-patel.html" not in rendered
    assert email.is_file()
    assert snapshot(root / "site") == cold(root, tmp_path, "2026-11-21 00:02")


@pytest.mark.parametrize("pattern", ["contacts/raj-patel.html", "drafts/*/*.md", "drafts/*/*.eml"])
def test_a_site_file_changed_by_hand_is_written_again(
    root: Path, tmp_path: Path, pattern: str
) -> None:
    settle(root)
    build(root)
    page = next((root / "site").glob(pattern))
    page.unlink()
    page.write_text("edited")
    build(root)
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_a_site_deleted_by_hand_is_made_again_from_one_plan_of_its_pages(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page is then one the last build kept, to make again: each finds its plan in
    one table, not by planning the whole site again (at N=300, 8 s against 3 s)."""
    settle(root)
    build(root)
    shutil.rmtree(root / "site")
    planned: list[object] = []
    plans = views.Site.plans

    def counting(site: views.Site, *args: Any) -> Any:
        planned.append(site)
        return plans(site, *args)

    monkeypatch.setattr(views.Site, "plans", counting)
    build(root)
    assert len(planned) == 2  # the build's, and the table's
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_whatever_was_put_in_the_site_by_hand_is_gone_after_a_rebuild(
    root: Path, tmp_path: Path
) -> None:
    settle(root)
    build(root)
    site = root / "site"
    (site / "contacts/extra.html").write_text("by hand")
    (site / "junk/deeper").mkdir(parents=True)
    (site / "junk/deeper/notes.txt").write_text("by hand")
    (site / "drafts/acme-onsite/extra.md").write_text("by hand")
    (site / "index-link.html").symlink_to(site / "index.html")
    with (site / ".followup-site").open("a") as marker:
        marker.write("edited")
    (site / "companies/acme.html").unlink()
    (site / "companies/acme.html").mkdir()  # a folder where a page was
    with (site / "contacts/raj-patel.html").open("a") as page:  # the same file, edited
        page.write("edited")
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
    build(root)
    assert snapshot(site) == cold(root, tmp_path)


@pytest.mark.parametrize("cache", ["kept", "deleted"])
def test_a_folder_of_the_site_replaced_by_a_link_is_made_a_folder_again(
    root: Path, tmp_path: Path, cache: str
) -> None:
    settle(root)
    build(root)
    if cache == "deleted":  # its files are kept for their bytes, not their stamps
        shutil.rmtree(root / store.FOLDER)
    site = root / "site"
    elsewhere = tmp_path / "contacts-elsewhere"
    (site / "contacts").rename(elsewhere)
    (site / "contacts").symlink_to(elsewhere)
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
    build(root)
    assert not (site / "contacts").is_symlink()
    assert snapshot(site) == cold(root, tmp_path)


def test_a_file_changed_through_a_linked_folder_while_building_fails_the_build(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no cache, a file is kept for its bytes; under a link put in place of a folder
    it is made again from them, and they must still be the bytes that were compared."""
    settle(root)
    build(root)
    shutil.rmtree(root / store.FOLDER)
    site = root / "site"
    elsewhere = tmp_path / "contacts-elsewhere"
    (site / "contacts").rename(elsewhere)
    (site / "contacts").symlink_to(elsewhere)
    make_again = publish.Stage.make_again

    def edited_meanwhile(stage: publish.Stage, rels: set[str]) -> None:
        with (elsewhere / "dana-reyes.html").open("a") as page:
            page.write("edited while building")
        make_again(stage, rels)

    monkeypatch.setattr(publish.Stage, "make_again", edited_meanwhile)
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", NOW])
    assert result.exit_code == 2
    assert "dana-reyes.html changed while the site was being built" in result.output
    assert "the last good site is unchanged" in result.output
    assert (site / "contacts").is_symlink()
    monkeypatch.undo()
    build(root)
    assert snapshot(site) == cold(root, tmp_path)


SHM = Path("/dev/shm")


@pytest.mark.skipif(
    not SHM.is_dir() or SHM.stat().st_dev == Path(__file__).stat().st_dev,
    reason="needs /dev/shm on a file system of its own",
)
def test_a_site_linked_to_another_file_system_is_rebuilt_there(root: Path, tmp_path: Path) -> None:
    elsewhere = Path(tempfile.mkdtemp(dir=SHM))
    try:
        settle(root)
        result = CliRunner().invoke(
            main, ["-C", str(root), "build", "--now", NOW, "--out", str(elsewhere / "site")]
        )
        assert result.exit_code == 0, result.output
        (root / "site").symlink_to(elsewhere / "site")
        write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
        build(root)
        assert (root / "site").is_symlink()
        assert snapshot(elsewhere / "site") == cold(root, tmp_path)
    finally:
        shutil.rmtree(elsewhere)


def test_a_page_that_cannot_be_deleted_fails_the_build(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(root)
    build(root)
    unlink = os.unlink

    def refuses(path: str | Path, **options: Any) -> None:
        if str(path).endswith("lee-wong.html"):
            raise PermissionError(1, "Operation not permitted", path)
        unlink(path, **options)

    monkeypatch.setattr(os, "unlink", refuses)
    write_tree(root, {"data/contacts/lee-wong.md": None})
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", NOW])
    assert result.exit_code == 2
    assert "Operation not permitted" in result.output
    assert "part old, part new until the next build" in result.output


def test_a_build_cut_short_while_moving_files_in_says_so_and_the_next_is_whole(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(root)
    build(root)
    site = root / "site"
    moved = []
    replace = os.replace

    def fails_on_the_second_page(source: str, target: str) -> None:
        if str(site) in str(target):
            moved.append(target)
            if len(moved) == 2:
                raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", fails_on_the_second_page)
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", NOW])
    assert result.exit_code == 2
    assert "No space left on device (updating the site)" in result.output
    assert "part old, part new until the next build" in result.output
    assert "unchanged" not in result.output
    monkeypatch.undo()
    build(root)
    assert snapshot(site) == cold(root, tmp_path)


@pytest.mark.parametrize(
    "breakage",
    [
        b"",
        b"not a pickle",
        pickle.dumps(("another version", {})),
        pickle.dumps((store.version(), {"out": 3, "files": "x"})),
        pickle.dumps((store.version(), ["a", "list"])),
    ],
)
def test_a_broken_or_old_cache_is_ignored(root: Path, tmp_path: Path, breakage: bytes) -> None:
    settle(root)
    build(root)
    for path in (root / store.FOLDER).iterdir():
        if path.suffix == ".pickle":
            path.write_bytes(breakage)
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
    build(root)
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_the_cache_entries_of_a_site_elsewhere_are_not_used(root: Path, tmp_path: Path) -> None:
    settle(root)
    build(root)
    other = tmp_path / "other-site"
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", NOW, "--out", str(other)])
    assert result.exit_code == 0, result.output
    assert snapshot(other) == snapshot(root / "site")


def test_a_deleted_cache_is_rebuilt(root: Path, tmp_path: Path) -> None:
    settle(root)
    build(root)
    shutil.rmtree(root / store.FOLDER)
    build(root)
    assert (root / store.FOLDER).is_dir()
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_unchanged_files_are_carried_over_and_changed_ones_written(root: Path) -> None:
    settle(root)
    build(root)
    site = root / "site"
    before = {rel: (site / rel).stat().st_ino for rel in snapshot(site)}
    write_tree(root, {"data/contacts/lee-wong.md": "---\nname: Lee Wong\n---\nOther notes.\n"})
    build(root)
    after = {rel: (site / rel).stat().st_ino for rel in snapshot(site)}
    assert after["contacts/lee-wong.html"] != before["contacts/lee-wong.html"]
    assert after["contacts/raj-patel.html"] == before["contacts/raj-patel.html"]
    assert after["calendar.ics"] == before["calendar.ics"]


def test_with_no_cache_a_file_holding_its_bytes_is_left_in_place(
    root: Path, tmp_path: Path
) -> None:
    """A new followup, or a deleted cache, knows no stamps: each file is made again but
    written only where the site's file holds other bytes, as creating one costs more."""
    settle(root)
    build(root)
    site = root / "site"
    shutil.rmtree(root / store.FOLDER)
    before = {rel: (site / rel).stat().st_ino for rel in snapshot(site)}
    page = site / "contacts/lee-wong.html"
    page.write_bytes(page.read_bytes().replace(b"Lee Wong", b"Lee Wang"))  # same size
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
    build(root)
    after = {rel: (site / rel).stat().st_ino for rel in snapshot(site)}
    kept = {rel for rel, inode in after.items() if before.get(rel) == inode}
    assert {"assets/style.css", "calendar.ics", "contacts/dana-reyes.html"} <= kept
    assert not {"contacts/raj-patel.html", "contacts/lee-wong.html"} & kept
    assert snapshot(site) == cold(root, tmp_path)


def test_without_hard_links_files_are_copied(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settle(root)
    build(root)

    def no_links(source: object, target: object) -> None:
        raise OSError("links are not allowed here")

    monkeypatch.setattr(os, "link", no_links)
    write_tree(root, {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: CTO\n"})
    build(root)
    build(root)
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_only_the_dashboard_and_agenda_say_when_the_site_was_built(root: Path) -> None:
    settle(root)
    build(root)
    site = root / "site"
    assert "As of" in (site / "index.html").read_text()
    assert "As of" in (site / "agenda.html").read_text()
    assert "As of" not in (site / "companies/acme.html").read_text()
    before = {rel: (site / rel).stat().st_ino for rel in snapshot(site)}
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", "2026-11-21 12:01"])
    assert result.exit_code == 0, result.output
    assert (site / "index.html").stat().st_ino != before["index.html"]
    assert (site / "companies/acme.html").stat().st_ino == before["companies/acme.html"]


def test_a_new_task_shows_on_the_pages_that_list_its_side(tmp_path: Path) -> None:
    """A task that was not there before is noticed by the list of an application's, an
    interview's or a person's tasks: the page read none of the new task's own."""
    root = tmp_path / "ws"
    shutil.copytree(REPO / "data", root / "data")
    records, problems = workspace.read(root)
    full = building.analyse(root, records, problems, clock.parse_datetime(NOW, NEW_YORK))
    drafted = {draft.task.id for draft in full.drafts}
    new = next(t for t in full.tasks if t.application and t.person and t.id not in drafted)
    before = dataclasses.replace(full, tasks=[t for t in full.tasks if t is not new])
    building.write_site(root, root / "site", before)
    building.write_site(root, root / "site", full)
    building.write_site(root, tmp_path / "cold", full)
    assert snapshot(root / "site") == snapshot(tmp_path / "cold")


def test_a_new_next_task_shows_in_its_person_s_row_under_watch(tmp_path: Path) -> None:
    """A person's row on the people page shows their next task. Watch carries the rows
    whose reads are unchanged; a new task that comes first is shown all the same, though
    the row read nothing of it."""
    root = tmp_path / "ws"
    shutil.copytree(REPO / "data", root / "data")
    records, problems = workspace.read(root)
    full = building.analyse(root, records, problems, clock.parse_datetime(NOW, NEW_YORK))
    drafted = {draft.task.id for draft in full.drafts}
    open_tasks = [t for t in full.tasks if t.status != "done" and t.person]
    nexts: dict[str | None, Task] = {}
    for task in open_tasks:  # (soonest deadline first)
        nexts.setdefault(task.person, task)
    new = next(
        t
        for t in nexts.values()
        if t.id not in drafted and sum(o.person == t.person for o in open_tasks) > 1
    )
    before = dataclasses.replace(full, tasks=[t for t in full.tasks if t is not new])
    made = building.write_site(root, root / "site", before, save=False)
    building.write_site(root, root / "site", full, last=made, save=False)
    building.write_site(root, tmp_path / "cold", full)
    assert snapshot(root / "site") == snapshot(tmp_path / "cold")


def test_a_build_hours_later_makes_again_only_the_pages_whose_tasks_changed(
    tmp_path: Path,
) -> None:
    """A page's script says how long till or since each task is due; the page says only
    its status. From 12:00 to 16:00, the check-in at Lumen (due at 15:00) falls overdue,
    and its page is made again; Forge's thank-you notes stay due (in 45 h, then 41 h),
    and its page is left as it was."""
    root = tmp_path / "ws"
    shutil.copytree(REPO / "data", root / "data")
    settle(root)
    build(root, "2026-11-21 12:00")
    site = root / "site"
    kept, remade = (
        site / "applications/forge-instructor.html",
        site / "applications/lumen-platform.html",
    )
    inodes = {page: page.stat().st_ino for page in (kept, remade)}
    assert "data-when>due now<" in kept.read_text() and "data-when>due now<" in remade.read_text()
    build(root, "2026-11-21 16:00")
    assert kept.stat().st_ino == inodes[kept]
    assert remade.stat().st_ino != inodes[remade]
    assert "data-when>overdue<" in remade.read_text()
    assert snapshot(site) == cold(root, tmp_path, "2026-11-21 16:00")


def test_only_a_lead_s_reference_is_due_whenever_its_page_is_read(
    tmp_path: Path,
) -> None:
    """Robert Lin's reference, on a lead, is due at the moment of each build; the page's
    script is told "now". The notes to Devon Park are due at 13:00, and the script is
    told 13:00, by builds before, at and after it: each as a cold build makes it."""
    root = tmp_path / "ws"
    shutil.copytree(REPO / "data", root / "data")
    settle(root)
    site = root / "site"
    for now in ("2026-11-21 12:30", "2026-11-21 13:00", "2026-11-21 12:30", "2026-11-21 13:00"):
        build(root, now)
        assert snapshot(site) == cold(root, tmp_path, now), now
    devon, robert = site / "contacts/devon-park.html", site / "contacts/robert-lin.html"
    assert '"due":"now"' not in devon.read_text().replace(" ", "")
    assert '"due":"now"' in robert.read_text().replace(" ", "")
