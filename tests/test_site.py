"""The built site: complete, linked, safe with hostile data, and never half-written."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from click.testing import CliRunner, Result

from followup import rules, views, workspace
from followup.cli import main
from tests.conftest import REPO

NOW = "2026-11-21 12:00"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), *args])


class Page(HTMLParser):
    """The links, scripts and event-handler attributes of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.handlers: list[str] = []
        self.ids: set[str] = set()
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if values.get("id"):
            self.ids.add(values["id"] or "")
        if tag == "script":
            self.scripts.append(values)
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name] or "")
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "site"
    result = run(REPO, "build", "--now", NOW, "--out", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_every_record_has_a_page(sample_site: Path) -> None:
    for folder in ("applications", "interviews", "contacts", "companies"):
        slugs = {p.stem for p in (REPO / "data" / folder).iterdir()}
        pages = {p.stem for p in (sample_site / folder).glob("*.html")}
        assert pages == slugs, folder
    for name in ("index.html", "agenda.html", "people.html", "tasks.json", "calendar.ics"):
        assert (sample_site / name).is_file()


def test_every_relative_link_resolves(sample_site: Path) -> None:
    broken = []
    pages = list(sample_site.rglob("*.html"))
    assert len(pages) > 40
    for path in pages:
        page = parse(path)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme in ("http", "https", "mailto", "tel") or link == "data:,":
                continue  # data:, is the empty icon that keeps browsers from asking for one
            assert not parts.scheme, f"{path}: unexpected link {link}"
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if not target.is_file():
                broken.append(f"{path.relative_to(sample_site)} -> {link}")
            elif parts.fragment and target.suffix == ".html":
                assert parts.fragment in parse(target).ids, f"{path}: no #{parts.fragment}"
    assert broken == []


def test_the_pages_of_a_sample_written_in_ascii_are_ascii(sample_site: Path) -> None:
    """The built-in templates write entities (&middot;), not characters beyond ASCII: a
    page's text holding one is encoded character by character (at N=2000, 12 ms for the
    dashboard against 0.3 ms), and the sample's data is all ASCII."""
    assert all(path.read_bytes().isascii() for path in (REPO / "data").rglob("*.*"))
    for page in sorted(sample_site.rglob("*.html")):
        text = page.read_bytes()
        assert text.isascii(), page.relative_to(sample_site)
        assert not re.search(rb"&amp;(\w+|#\d+);", text), page  # an entity shown as written
    shown = html.unescape((sample_site / "index.html").read_text(encoding="utf-8"))
    assert " \N{MIDDLE DOT} by email: " in shown  # a task's details, one after the other


def test_tasks_json_is_what_check_prints(sample_site: Path) -> None:
    check = run(REPO, "check", "--now", NOW, "--format", "json")
    assert (sample_site / "tasks.json").read_text(encoding="utf-8") == check.output


def test_calendar_has_an_event_per_open_task(sample_site: Path) -> None:
    calendar = icalendar.Calendar.from_ical((sample_site / "calendar.ics").read_bytes())
    report = json.loads((sample_site / "tasks.json").read_text(encoding="utf-8"))
    open_ids = {t["id"] for t in report["tasks"] if t["status"] != "done"}
    events = calendar.walk("VEVENT")
    assert {str(e["UID"]) for e in events} == {f"{i}@followup" for i in open_ids}
    assert [str(z["TZID"]) for z in calendar.walk("VTIMEZONE")] == ["America/New_York"]
    thank_you = next(e for e in events if "brightline-onsite:devon-park" in str(e["UID"]))
    # Due 24 hours after the onsite began at 13:00 on the 20th.
    assert thank_you.decoded("DTEND").isoformat() == "2026-11-21T13:00:00-05:00"
    assert thank_you.walk("VALARM"), "each event warns before its deadline"


def test_calendar_is_stable_between_builds(sample_site: Path, tmp_path: Path) -> None:
    again = tmp_path / "site"
    assert run(REPO, "build", "--now", NOW, "--out", str(again)).exit_code == 0
    assert (again / "calendar.ics").read_bytes() == (sample_site / "calendar.ics").read_bytes()
    assert snapshot(again) == snapshot(sample_site)


HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>"\' onmouseover="alert(2)</title>'
H = json.dumps(HOSTILE)  # as a YAML value
COMPANY = f"name: {H}\nnotes: {json.dumps(HOSTILE + ' [x](javascript:alert(3))')}\n"


def test_hostile_text_is_shown_never_run(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {
            "data/settings.yaml": f"me: {{name: {H}}}\ntimezone: America/New_York\n",
            "data/companies/acme.yaml": COMPANY + "website: 'javascript:alert(4)'\n",
            "data/contacts/dana-reyes.md": (
                "---\n"
                f"name: {H}\ntitle: {H}\ncompany: acme\n"
                f"address: {H}\nemail: 'x@acme.example'\n"
                f"tags: [{H}]\n"
                f"log:\n  - {{on: 2026-11-19, did: call, note: {H}}}\n"
                "---\n"
                f'{HOSTILE}\n\n[click](javascript:alert(5)) <a href="javascript:alert(6)">a</a>\n'
            ),
            "data/contacts/dana-reyes.yaml": None,
            "data/applications/acme-backend.yaml": (
                f"company: acme\nrole: {H}\nstatus: interviewing\n"
                "applied: 2026-11-02\ncontact: dana-reyes\n"
            ),
            "data/interviews/acme-onsite.md": (
                "---\napplication: acme-backend\nat: 2026-11-18 14:00\n"
                "interviewers: [dana-reyes]\n---\n"
                f'## Dana\n{HOSTILE}\n<div onclick="alert(7)">raw</div>\n'
            ),
        }
    )
    website = "data/companies/acme.yaml:3:10: website: 'javascript:alert(4)' is not a web address"
    result = run(root, "build", "--now", NOW)
    assert website in result.output  # the model refuses it before the site is built
    (root / "data/companies/acme.yaml").write_text(COMPANY, encoding="utf-8")
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 0, result.output
    pages = list((root / "site").rglob("*.html"))
    for path in pages:
        page = parse(path)
        text = path.read_text(encoding="utf-8")
        assert page.handlers == [], path
        assert [s.get("src") or s.get("type") for s in page.scripts] == [
            page.scripts[0].get("src"),
            "application/json",
        ], path
        assert not any(link.lower().startswith("javascript:") for link in page.links), path
        assert "<script>alert" not in text and "<img src=x" not in text
    contact = (root / "site/contacts/dana-reyes.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in contact  # shown, as text
    assert parse(root / "site/contacts/dana-reyes.html").title.startswith(HOSTILE)


def test_a_failed_build_keeps_the_last_good_site(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    assert run(root, "build", "--now", NOW).exit_code == 0
    before = snapshot(root / "site")
    (root / "data/contacts/raj-patel.yaml").write_text("name: [broken\n", encoding="utf-8")
    result = run(root, "build", "--now", "2026-11-22 12:00")
    assert result.exit_code == 2
    assert "data/contacts/raj-patel.yaml:2:1: YAML:" in result.output
    assert snapshot(root / "site") == before
    # No staging left behind; the cache of the last good build stays.
    assert sorted(p.name for p in root.iterdir()) == [".followup-cache", "data", "site"]


def test_a_broken_template_override_keeps_the_last_good_site(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace()
    assert run(root, "build", "--now", NOW).exit_code == 0
    before = snapshot(root / "site")
    (root / "templates").mkdir()
    (root / "templates/people.html").write_text("ok\n{% if %}\n", encoding="utf-8")
    result = run(root, "build", "--now", NOW)
    assert result.exit_code == 2
    assert "templates/people.html:2:1: " in result.output
    assert snapshot(root / "site") == before


def test_a_workspace_template_overrides_the_built_in_one(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace(
        {"templates/people.html": '{% extends "base.html" %}{% block main %}Mine{% endblock %}'}
    )
    assert run(root, "build", "--now", NOW).exit_code == 0
    assert "Mine" in (root / "site/people.html").read_text(encoding="utf-8")
    assert "Pipeline" in (root / "site/index.html").read_text(encoding="utf-8")


def test_build_never_replaces_a_folder_it_did_not_write(
    make_workspace: Callable[..., Path], tmp_path: Path
) -> None:
    root = make_workspace()
    mine = tmp_path / "documents"
    mine.mkdir()
    (mine / "letter.txt").write_text("keep me", encoding="utf-8")
    for out in (mine, root / "data", root / "data/contacts", root):
        result = run(root, "build", "--out", str(out))
        assert result.exit_code == 2, out
        assert "choose another --out" in result.output
    assert (mine / "letter.txt").read_text(encoding="utf-8") == "keep me"
    assert (root / "data/contacts/dana-reyes.yaml").is_file()


def test_every_live_row_has_the_times_its_script_needs(sample_site: Path) -> None:
    """A row the script keeps up to date must find its task in the page's inline JSON."""
    for path in sample_site.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        rows = set(re.findall(r'data-task="([^"]+)"', text))
        inline = re.search(
            r'<script type="application/json" id="followup-data">(.*?)</script>', text
        )
        assert inline, path
        times = json.loads(inline.group(1))["tasks"]
        assert rows <= set(times), f"{path.relative_to(sample_site)}: {sorted(rows - set(times))}"


def test_a_done_task_is_dated_when_it_was_done(sample_site: Path) -> None:
    page = (sample_site / "interviews/harbor-video.html").read_text(encoding="utf-8")
    # Aisha Rahman's note went out on 18 Nov at 19:30; it was due on the 19th at 14:00.
    assert '<time datetime="2026-11-18T19:30:00-05:00">' in page


PAT_IN_TOUCH = "name: Pat Lee\nstay_in_touch: 2w\n"  # a second open task, besides a check-in


@pytest.mark.parametrize(
    ("mine", "other"), [("agenda.html", "index.html"), ("index.html", "agenda.html")]
)
def test_a_template_that_changes_its_task_times_changes_only_its_own_page(
    make_workspace: Callable[..., Path], mine: str, other: str
) -> None:
    """The dashboard and the agenda are given the same times; each page its own copy."""
    keep_one = (
        '{% extends "base.html" %}{% block main %}'
        "{% for id in (tasks_json|list)[1:] %}{% set _ = tasks_json.pop(id) %}{% endfor %}"
        "<p>{{ tasks_json|length }} left</p>{% endblock %}"
    )
    root = make_workspace(
        {f"templates/{mine}": keep_one, "data/contacts/pat-lee.yaml": PAT_IN_TOUCH}
    )
    assert run(root, "build", "--now", NOW).exit_code == 0

    def times(page: str) -> dict[str, object]:
        text = (root / "site" / page).read_text(encoding="utf-8")
        found = re.search(r'id="followup-data">(.*?)</script>', text)
        assert found, page
        data: dict[str, object] = json.loads(found.group(1))["tasks"]
        return data

    everything = times(other)
    assert len(everything) == 2
    assert "<p>1 left</p>" in (root / "site" / mine).read_text(encoding="utf-8")
    left = times(mine)
    assert len(left) == 1 and left.items() <= everything.items()


def test_the_very_same_tasks_in_another_time_zone_have_their_times_made_again(
    make_workspace: Callable[..., Path],
) -> None:
    """Watch keeps the last build's task times for the very same tasks, but a time's text
    is in the workspace's zone."""
    root = make_workspace({"data/contacts/pat-lee.yaml": PAT_IN_TOUCH})
    records, _ = workspace.read(root)
    now = datetime(2026, 11, 21, 17, tzinfo=UTC)
    tasks = rules.tasks(records, now)
    first = views.site_of(records, tasks, [], [], [], now)
    assert all(t["due"].endswith("-05:00") for t in first.task_times("open", tasks).values())
    paris = replace(records, settings=replace(records.settings, zone=ZoneInfo("Europe/Paris")))
    again = views.site_of(paris, tasks, [], [], [], now, last=first)
    times = again.task_times("open", tasks)
    assert len(times) == 2
    assert all(t["due"].endswith("+01:00") for t in times.values())


def test_the_weekly_chart_kept_under_watch_counts_what_comes_and_goes_with_the_time(
    make_workspace: Callable[..., Path],
) -> None:
    """Watch keeps the dashboard's weekly chart while no log changed; but a message logged
    for later counts once its time comes, not before, not once the clock is put back, and
    a new week moves every bar."""
    logged = "name: Pat Lee\nlog:\n  - {on: 2026-11-20 10:00, did: message, via: email}\n"
    root = make_workspace({"data/contacts/pat-lee.yaml": logged})
    records, _ = workspace.read(root)
    last: views.Site | None = None

    def chart(now: datetime) -> list[tuple[str, int]]:
        nonlocal last
        since = (last.records, frozenset()) if last else None  # as watch says after a save
        last = views.site_of(replace(records, since=since), [], [], [], [], now, last=last)
        return [(week["week"], week["count"]) for week in views.dashboard(last)["weekly"]]

    def at(when: str) -> datetime:
        return datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("America/New_York"))

    before = chart(at("2026-11-20 09:00"))
    assert before[-1] == ("16 Nov", 0) and chart(at("2026-11-20 09:30")) == before
    assert chart(at("2026-11-20 11:00"))[-1] == ("16 Nov", 1)
    assert chart(at("2026-11-20 09:00")) == before  # the clock put back
    assert chart(at("2026-11-27 11:00"))[-2:] == [("16 Nov", 1), ("23 Nov", 0)]


def test_the_report_kept_under_watch_shows_what_changes_and_comes_with_the_time(
    make_workspace: Callable[..., Path],
) -> None:
    """Watch keeps the report page's rows while no record it shows changed; but a message
    logged for later shows once its time comes, not once the clock is put back, a
    person's new name shows, and a new day moves the days it covers."""
    logged = "name: Pat Lee\nlog:\n  - {on: 2026-11-20 10:00, did: message, via: email}\n"
    root = make_workspace({"data/contacts/pat-lee.yaml": logged})
    records, _ = workspace.read(root)
    last: views.Site | None = None

    def report(when: str, **pat: str) -> list[str]:
        """Pat's rows, as With and Date; pat, what Pat's record is saved with first."""
        nonlocal last, records
        changed: frozenset[tuple[str, str]] = frozenset()
        if pat:
            saved = replace(records.contacts["pat-lee"], **pat)
            records = replace(records, contacts={**records.contacts, "pat-lee": saved})
            changed = frozenset({("contacts", "pat-lee")})
        since = (last.records, changed) if last else None  # as watch says after a save
        now = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("America/New_York"))
        last = views.site_of(replace(records, since=since), [], [], [], [], now, last=last)
        rows = views.report_page(last)["rows"]
        return [f"{row[5]} {row[0]}" for row in rows if row[5].startswith("Pat")]

    assert report("2026-11-20 09:00") == [] and report("2026-11-20 09:30") == []
    assert report("2026-11-20 11:00") == ["Pat Lee 2026-11-20"]
    assert report("2026-11-20 09:00") == []  # the clock put back
    assert report("2026-11-20 11:00", title="Head of Data") == ["Pat Lee 2026-11-20"]
    assert report("2026-11-20 11:00", name="Pat Leigh") == ["Pat Leigh 2026-11-20"]
    assert report("2026-12-25 11:00") == []  # thirty days on
