"""Random edits to the sample workspace, each built on the last build and compared with a
cold build: a page that misses one of its reads shows what the last build showed.

Every edit changes a field that some other record's page shows (a name, a company, an
interviewer, a log entry, the time zone...), so each page's record of what it read is put
to the test: by `build`, which finds the last build's work in .followup-cache/, and by
watch, which keeps it in memory (unchanged files are then the very same records).
"""

from __future__ import annotations

import random
import shutil
import subprocess
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from click.testing import CliRunner

from bench.generate import generate
from followup import build, clock, history, publish, resume, views, watch
from followup.cli import main
from followup.problems import has_errors
from tests.test_incremental import NOW, cold, settle, snapshot

SAMPLE = Path(__file__).resolve().parent.parent / "data"
Record = dict[str, Any]
Edit = Callable[[random.Random, "Workspace"], str]


class Workspace:
    """The records of a workspace, read and written as YAML (with a Markdown body)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def slugs(self, folder: str) -> list[str]:
        return sorted(p.stem for p in (self.root / "data" / folder).iterdir())

    def path(self, folder: str, slug: str) -> Path:
        found = list((self.root / "data" / folder).glob(f"{slug}.*"))
        return found[0] if found else self.root / "data" / folder / f"{slug}.yaml"

    def read(self, folder: str, slug: str) -> tuple[Record, str]:
        """Every value as text, as followup reads YAML: a log's `on:` stays a key."""
        text = self.path(folder, slug).read_text()
        if text.startswith("---\n"):
            front, _, body = text[4:].partition("\n---\n")
            return yaml.load(front, Loader=yaml.BaseLoader), body
        return yaml.load(text, Loader=yaml.BaseLoader), ""

    def write(self, folder: str, slug: str, record: Record, body: str = "") -> None:
        front = yaml.safe_dump(record, sort_keys=False, allow_unicode=True)
        path = self.path(folder, slug)
        if body or path.suffix == ".md":
            path.with_suffix(".md").write_text(f"---\n{front}---\n{body}")
            if path.suffix != ".md":
                path.unlink(missing_ok=True)
        else:
            path.write_text(front)


def _day(rng: random.Random) -> str:
    return f"2026-11-{rng.randint(1, 28):02} {rng.randint(8, 18):02}:{rng.choice(['00', '30'])}"


def _some(rng: random.Random, slugs: list[str], most: int = 2) -> list[str]:
    return rng.sample(slugs, rng.randint(0, min(most, len(slugs))))


def contact_field(rng: random.Random, ws: Workspace) -> str:
    slug = rng.choice(ws.slugs("contacts"))
    record, body = ws.read("contacts", slug)
    field = rng.choice(["name", "title", "email", "phone", "prefers", "company"])
    if field == "company":
        record["company"] = rng.choice(ws.slugs("companies"))
    elif field == "prefers":
        record["prefers"] = rng.choice(["email", "phone", "mail"])
    elif field == "email":
        record["email"] = f"{slug}{rng.randint(1, 99)}@example.org"
    elif field == "phone":
        record["phone"] = f"+1 555 0{rng.randint(100, 999)}"
    else:
        record[field] = f"{rng.choice(['Ada', 'Bo', 'Cy'])} {rng.choice(['Lin', 'Moss', 'Ng'])}"
    ws.write("contacts", slug, record, body)
    return f"contact {slug}: {field}"


def company_name(rng: random.Random, ws: Workspace) -> str:
    slug = rng.choice(ws.slugs("companies"))
    record, body = ws.read("companies", slug)
    record["name"] = f"{rng.choice(['Blue', 'Red', 'Tall'])} {rng.choice(['Tree', 'Hill'])} Inc"
    ws.write("companies", slug, record, body)
    return f"company {slug}: name"


def application_field(rng: random.Random, ws: Workspace) -> str:
    slug = rng.choice(ws.slugs("applications"))
    record, body = ws.read("applications", slug)
    contacts = ws.slugs("contacts")
    field = rng.choice(["role", "company", "contact", "referred_by", "references", "log"])
    if field == "role":
        record["role"] = rng.choice(["Staff Engineer", "Platform Lead", "SRE"])
    elif field == "company":
        record["company"] = rng.choice(ws.slugs("companies"))
    elif field == "contact":
        record["contact"] = rng.choice(contacts)
    elif field == "log":
        entry = {"on": _day(rng), "did": rng.choice(["call", "message", "reply", "meeting"])}
        record.setdefault("log", []).append({**entry, "with": rng.choice(contacts)})
    else:
        record[field] = _some(rng, contacts)
    ws.write("applications", slug, record, body)
    return f"application {slug}: {field}"


def interview_field(rng: random.Random, ws: Workspace) -> str:
    slug = rng.choice(ws.slugs("interviews"))
    record, body = ws.read("interviews", slug)
    contacts = ws.slugs("contacts")
    field = rng.choice(["at", "interviewers", "also_met", "kind", "log", "notes"])
    if field == "at":
        record["at"] = _day(rng)
    elif field == "interviewers":
        record["interviewers"] = rng.sample(contacts, rng.randint(1, 2))
    elif field == "also_met":
        record["also_met"] = _some(rng, contacts)
    elif field == "kind":
        record["kind"] = rng.choice(["phone", "video", "onsite", "panel"])
    elif field == "log":
        person = rng.choice(record.get("interviewers") or contacts)
        entry = {"on": _day(rng), "did": "thank-you", "with": person, "via": "email"}
        record.setdefault("log", []).append(entry)
    else:
        names = [ws.read("contacts", s)[0]["name"] for s in record.get("interviewers", [])]
        body = "".join(f"## {name}\nThanks for the talk about {rng.random()}.\n" for name in names)
    ws.write("interviews", slug, record, body)
    return f"interview {slug}: {field}"


def log_entry(rng: random.Random, ws: Workspace) -> str:
    """An entry of a log changed in place: its note, or when it happened."""
    folder = rng.choice(["applications", "interviews", "contacts"])
    logged = [slug for slug in ws.slugs(folder) if ws.read(folder, slug)[0].get("log")]
    if not logged:
        return application_field(rng, ws)
    slug = rng.choice(logged)
    record, body = ws.read(folder, slug)
    entry = rng.choice(record["log"])
    if rng.random() < 0.5:
        entry["note"] = f"Talked about item {rng.randint(1, 99)}."
    else:
        entry["on"] = _day(rng)
    ws.write(folder, slug, record, body)
    return f"{folder} {slug}: a log entry"


def reference(rng: random.Random, ws: Workspace) -> str:
    """A reference granted, or not yet: a lead's task to ask is due at each build."""
    listed = {
        person
        for slug in ws.slugs("applications")
        for person in ws.read("applications", slug)[0].get("references", [])
    }
    if not listed:
        return application_field(rng, ws)
    slug = rng.choice(sorted(listed))
    record, body = ws.read("contacts", slug)
    asked = {"asked": "2026-11-01"}
    record["reference"] = {**asked, "granted": "2026-11-02"} if rng.random() < 0.5 else asked
    ws.write("contacts", slug, record, body)
    return f"contact {slug}: reference {record['reference']}"


def status(rng: random.Random, ws: Workspace) -> str:
    """A lead applied to, an offer, back to a lead without the date applied..."""
    slug = rng.choice(ws.slugs("applications"))
    record, body = ws.read("applications", slug)
    record["status"] = rng.choice(["lead", "applied", "interviewing", "offer", "rejected"])
    if record["status"] == "lead":
        record.pop("applied", None)
    else:
        record.setdefault("applied", "2026-10-01")
    if record["status"] == "rejected":
        record.setdefault("closed", "2026-11-10")
    else:
        record.pop("closed", None)
    ws.write("applications", slug, record, body)
    return f"application {slug}: {record['status']}"


def keeping_in_touch(rng: random.Random, ws: Workspace) -> str:
    """stay_in_touch on or off: with no log, its task is due from the moment of the build."""
    slug = rng.choice(ws.slugs("contacts"))
    record, body = ws.read("contacts", slug)
    if record.pop("stay_in_touch", None) is None:
        record["stay_in_touch"] = rng.choice(["2w", "6w"])
    ws.write("contacts", slug, record, body)
    return f"contact {slug}: stay_in_touch {record.get('stay_in_touch')}"


def deleted_application(rng: random.Random, ws: Workspace) -> str:
    """An application gone, with its interviews and what people's logs say of it: its
    tasks, and its people's, go or change."""
    slug = rng.choice(ws.slugs("applications"))
    for interview in ws.slugs("interviews"):
        if ws.read("interviews", interview)[0].get("application") == slug:
            ws.path("interviews", interview).unlink()
    for person in ws.slugs("contacts"):
        record, body = ws.read("contacts", person)
        log = [entry for entry in record.get("log", []) if entry.get("application") != slug]
        if len(log) < len(record.get("log", [])):
            ws.write("contacts", person, {**record, "log": log}, body)
    ws.path("applications", slug).unlink()
    return f"application {slug} deleted, with its interviews"


def settings(rng: random.Random, ws: Workspace) -> str:
    """Every time on every page is shown in the settings' zone."""
    path = ws.root / "data/settings.yaml"
    record = yaml.safe_load(path.read_text())
    record["timezone"] = rng.choice(["America/New_York", "Europe/Paris", "Asia/Tokyo"])
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True))
    return f"settings: {record['timezone']}"


def new_records(rng: random.Random, ws: Workspace) -> str:
    n = rng.randint(100, 999)
    ws.write("companies", f"new-co-{n}", {"name": f"New Co {n}"})
    ws.write("contacts", f"new-person-{n}", {"name": f"New Person {n}", "company": f"new-co-{n}"})
    slug = rng.choice(ws.slugs("applications"))
    record, body = ws.read("applications", slug)
    record["company"] = f"new-co-{n}"
    record["contact"] = f"new-person-{n}"
    ws.write("applications", slug, record, body)
    return f"new company and contact for {slug}"


def deleted_interview(rng: random.Random, ws: Workspace) -> str:
    """Its tasks, drafts and page go, and the pages of its people and application change."""
    slug = rng.choice(ws.slugs("interviews"))
    ws.path("interviews", slug).unlink()
    return f"interview {slug} deleted"


def commit(rng: random.Random, ws: Workspace) -> str:
    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=ws.root, check=True, capture_output=True)

    if not (ws.root / ".git").exists():
        git("init", "-q")
    git("add", "data")
    who = ["-c", "user.name=Sam", "-c", "user.email=sam@example.org"]
    git(*who, "commit", "-q", "--allow-empty", "-m", f"Step {rng.randint(1, 999)}")
    return "a commit"


EDITS: list[Edit] = [
    contact_field,
    company_name,
    application_field,
    interview_field,
    log_entry,
    settings,
    reference,
    status,
    keeping_in_touch,
    deleted_application,
]
#: Between builds the clock moves on, by up to two days: tasks fall due, or overdue; or
#: back, as `build --now` may put it.
LATER = timedelta(days=2)


def cli_build(root: Path, now: datetime) -> int:
    """A build as in a new process: with only what the last one left in the cache."""
    build._templating.cache_clear()  # the drafts this process made
    history._commits.cache_clear()
    when = now.strftime("%Y-%m-%d %H:%M")
    return CliRunner().invoke(main, ["-C", str(root), "build", "--now", when]).exit_code


class Watching:
    """Builds as watch does, in one process that keeps the last build's work: the files a
    step changed are forgotten (as watch forgets those its events name), the clock is
    the step's."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.watcher = watch.Watcher(root, root / "site")
        self.seen = self.files()
        self.monkeypatch = monkeypatch

    def files(self) -> dict[str, bytes]:
        root = self.watcher.root
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("data/**/*.*")}

    def __call__(self, root: Path, now: datetime) -> int:
        zone = ZoneInfo(yaml.safe_load((root / "data/settings.yaml").read_text())["timezone"])
        moment = clock.parse_datetime(now.strftime("%Y-%m-%d %H:%M"), zone)
        self.monkeypatch.setattr(watch, "datetime", _Clock(moment))
        files = self.files()
        self.watcher.cache.forget(
            root, (p for p in {*files, *self.seen} if files.get(p) != self.seen.get(p))
        )
        self.seen = files
        done = self.watcher.build()
        self.watcher.settle()  # as watch does at the first quiet moment, for reads()
        if self.watcher._memory is not None and (site := self.watcher._memory.site):
            self.found_as_afresh(site)
        return 2 if done.site_error or has_errors(list(done.problems)) else 0

    @staticmethod
    def found_as_afresh(site: views.Site) -> None:
        """What watch found from the last build's findings is what a new site finds."""
        drafts = list(site.drafts.values())
        fresh = views.site_of(site.records, site.tasks, [], [], drafts, site.now, site.history)
        assert site.found == fresh.found
        if site.last is not None and "found" in site.last.__dict__:
            assert site.changed == views._changed(site.last.found, site.found)


def reads(root: Path) -> object:
    """What each page read, as the last build stored it."""
    memory = resume.load(root, root / "site").memory
    assert memory.keys
    return memory.reads


class _Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def now(self, zone: tzinfo) -> datetime:
        return self.moment.astimezone(zone)


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("how", ["build", "watch"])
def test_random_edits_build_what_a_cold_build_does(
    tmp_path: Path, seed: int, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root / "data")
    ws = Workspace(root)
    now = datetime.fromisoformat(NOW)
    settle(root)
    rebuild: Callable[[Path, datetime], int] = (
        Watching(root, monkeypatch) if how == "watch" else cli_build
    )
    age = settle if how == "build" else lambda root: None  # watch's cache is not on disk
    assert rebuild(root, now) == 0
    steps = [*rng.choices(EDITS, k=8), new_records, deleted_interview]
    if shutil.which("git"):
        steps.insert(rng.randint(0, len(steps)), commit)
        steps.insert(rng.randint(0, len(steps)), commit)
    for step in steps:
        before = {p: p.read_bytes() for p in (root / "data").rglob("*") if p.is_file()}
        done = step(rng, ws)
        now += rng.choice([timedelta(0), timedelta(minutes=1), rng.uniform(-0.5, 1) * LATER])
        age(root)
        if rebuild(root, now) != 0:  # an edit the rules refuse: put the files back
            for path in (root / "data").rglob("*"):
                if path.is_file() and path not in before:
                    path.unlink()
            for path, data in before.items():
                path.write_bytes(data)
            age(root)
            assert rebuild(root, now) == 0, done
        site = cold(root, tmp_path, now.strftime("%Y-%m-%d %H:%M"))
        assert snapshot(root / "site") == site, f"{done}, at {now}"
        assert reads(root) == reads(tmp_path / "cold"), f"what pages read, after {done}"


def test_watch_after_a_broken_template_builds_what_a_cold_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild that fails on a template keeps the last build's work, and the next one,
    with the template mended, still writes what a cold build writes."""
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root / "data")
    rebuild, now = Watching(root, monkeypatch), datetime.fromisoformat(NOW)
    assert rebuild(root, now) == 0
    page = root / "templates/contact.html"
    page.parent.mkdir()
    page.write_text('{% extends "base.html" %}{% block main %}{{ contact.name {% endblock %}')
    assert rebuild(root, now) == 2
    page.write_text('{% extends "base.html" %}{% block main %}{{ contact.title }}{% endblock %}')
    ws = Workspace(root)
    record, body = ws.read("contacts", "sofia-marquez")
    ws.write("contacts", "sofia-marquez", {**record, "title": "Head of Data"}, body)
    assert rebuild(root, now) == 0
    assert snapshot(root / "site") == cold(root, tmp_path)
    page.unlink()
    assert rebuild(root, now) == 0
    assert snapshot(root / "site") == cold(root, tmp_path)


@pytest.mark.parametrize("how", ["build", "watch"])
def test_the_new_year_and_a_new_repository_build_what_a_cold_build_does(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two changes no file shows: the year turns (dates in the old year now say which
    year), and the workspace becomes a git repository with nothing committed yet."""
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root / "data")
    settle(root)
    rebuild: Callable[[Path, datetime], int] = (
        Watching(root, monkeypatch) if how == "watch" else cli_build
    )
    eve = datetime.fromisoformat("2026-12-31 23:30")
    assert rebuild(root, eve) == 0
    assert rebuild(root, eve + timedelta(hours=1)) == 0
    assert snapshot(root / "site") == cold(root, tmp_path, "2027-01-01 00:30")
    if shutil.which("git"):
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)
        assert rebuild(root, eve + timedelta(hours=2)) == 0
        assert snapshot(root / "site") == cold(root, tmp_path, "2027-01-01 01:30")


@pytest.mark.parametrize("how", ["build", "watch"])
def test_long_lists_made_a_hundred_rows_at_a_time_build_what_a_cold_build_does(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dashboard and the agenda list hundreds of tasks, made a hundred rows at a time:
    a row that changes, and one that goes and shifts the rows after it, are shown as a
    cold build shows them."""
    root = tmp_path / "ws"
    generate(root, applications=40)
    settle(root)
    rebuild: Callable[[Path, datetime], int] = (
        Watching(root, monkeypatch) if how == "watch" else cli_build
    )
    now = datetime.fromisoformat(NOW)
    assert rebuild(root, now) == 0
    assert (root / "site/index.html").read_text().count("data-task=") > 150
    contact = root / "data/contacts/person-50.yaml"
    contact.write_text(contact.read_text().replace("Person 50", "Person Fifty"))
    interview = root / "data/interviews/app-3-0.md"
    done = "  - {on: 2026-10-02 09:00, did: thank-you, with: person-11, via: email}\n"
    interview.write_text(interview.read_text().replace("---\n## ", f"{done}---\n## ", 1))
    settle(root)
    assert rebuild(root, now) == 0
    assert "Person Fifty" in (root / "site/index.html").read_text()
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_watch_after_a_site_left_part_written_builds_what_a_cold_build_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild that failed while moving pages in, then one that found an error in a file,
    leave the site part old, part new: the next good rebuild looks at all of it."""
    root = tmp_path / "ws"
    shutil.copytree(SAMPLE, root / "data")
    rebuild, now = Watching(root, monkeypatch), datetime.fromisoformat(NOW)
    assert rebuild(root, now) == 0
    ws = Workspace(root)
    record, body = ws.read("contacts", "sofia-marquez")
    ws.write("contacts", "sofia-marquez", {**record, "title": "Head of Data"}, body)
    moving_in = publish._move_in

    def failing(written: set[str], staging: Path, out: Path) -> None:
        moving_in(set(sorted(written)[:1]), staging, out)
        raise OSError("the disk is full")

    with monkeypatch.context() as patched:
        patched.setattr(publish, "_move_in", failing)
        assert rebuild(root, now) == 2
    ws.write("contacts", "sofia-marquez", record, body)
    other = root / "data/companies/brightline-health.yaml"
    good = other.read_text()
    other.write_text(good + "name: [\n")
    assert rebuild(root, now) == 2
    other.write_text(good)
    assert rebuild(root, now) == 0
    assert snapshot(root / "site") == cold(root, tmp_path)
