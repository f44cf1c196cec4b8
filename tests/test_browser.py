"""The site in a real headless Chromium (Debian's), opened from file:// as a user would."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from followup import phrases
from followup.cli import main
from followup.rules import Task
from tests.conftest import REPO

CHROMIUM = shutil.which("chromium")
DRIVER = shutil.which("chromedriver")
# CI installs both, so there a missing browser is a failure, not a skip.
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER) and not os.environ.get("CI"),
    reason="needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)",
)

NOW = "2026-11-21 12:00"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "site"
    result = CliRunner().invoke(main, ["-C", str(REPO), "build", "--now", NOW, "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or "chromium"
    for flag in (
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,1600",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        service=Service(executable_path=DRIVER or "chromedriver"), options=options
    )
    try:
        yield driver
    finally:
        driver.quit()


def console_errors(driver: object) -> list[str]:
    logs = driver.get_log("browser")  # type: ignore[attr-defined]
    return [entry["message"] for entry in logs if entry["level"] == "SEVERE"]


def test_pages_open_from_disk_without_console_errors(browser: object, site: Path) -> None:
    pages = [
        "index.html",
        "agenda.html",
        "people.html",
        "applications/brightline-backend.html",
        "interviews/brightline-onsite.html",
        "contacts/priya-nair.html",
        "companies/brightline-health.html",
    ]
    for page in pages:
        browser.get((site / page).as_uri())  # type: ignore[attr-defined]
        assert browser.title.endswith("· followup"), page  # type: ignore[attr-defined]
        assert console_errors(browser) == [], page


def test_the_filter_box_filters(browser: object, site: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get((site / "index.html").as_uri())  # type: ignore[attr-defined]
    rows = browser.find_elements(By.CSS_SELECTOR, "li.task[data-filter]")  # type: ignore[attr-defined]
    assert len(rows) > 10
    box = browser.find_element(By.ID, "filter")  # type: ignore[attr-defined]
    box.send_keys("harbor call")
    shown = [row for row in rows if row.is_displayed()]
    assert [row.find_element(By.CLASS_NAME, "what").text for row in shown] == [
        "Call Aisha Rahman about the Platform Engineer job at Harbor Logistics"
    ]
    box.clear()
    box.send_keys(" ")  # clearing fires no input event; a space does, and matches everything
    assert all(row.is_displayed() for row in rows)
    browser.save_screenshot(str(site.parent / "index.png"))  # type: ignore[attr-defined]


def test_each_task_says_how_long_as_check_says_at_the_same_time(
    browser: object, site: Path
) -> None:
    """A page itself says only "due now" or "overdue" (it is not made again as the clock
    moves); its script says how long, as `followup check` does."""
    from selenium.webdriver.common.by import By

    report = CliRunner().invoke(main, ["-C", str(REPO), "check", "--now", NOW, "--format", "json"])
    now = datetime.fromisoformat(json.loads(report.output)["now"])
    said = {
        task["id"]: phrases.when(_task(task), now) for task in json.loads(report.output)["tasks"]
    }
    script = f"Date.now = function () {{ return {now.timestamp() * 1000}; }};"
    added = browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})  # type: ignore[attr-defined]
    try:
        for page in ["index.html", "people.html", "applications/brightline-backend.html",
                     "interviews/brightline-onsite.html", "contacts/robert-lin.html"]:  # fmt: skip
            browser.get((site / page).as_uri())  # type: ignore[attr-defined]
            shown = {
                task.get_attribute("data-task"): task.find_element(
                    By.CSS_SELECTOR, "[data-when]"
                ).text
                for task in browser.find_elements(By.CSS_SELECTOR, "[data-task]")  # type: ignore[attr-defined]
            }
            assert shown, page
            assert shown == {key: said[key] for key in shown}, page
            baked = (site / page).read_text()
            assert "data-when>due now<" in baked or "data-when>overdue<" in baked, page
            assert " h overdue<" not in baked and "due in " not in baked, page
    finally:
        browser.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", added)  # type: ignore[attr-defined]


def _task(task: dict[str, Any]) -> Task:
    """A task of check's JSON."""
    at: dict[str, Any] = {
        name: datetime.fromisoformat(task[name]) if task[name] else None
        for name in ("opens", "due", "done_at")
    }
    return Task(task["rule"], task["application"], task["interview"], task["contact"],
                task["title"], at["opens"], at["due"], at["done_at"], task["status"],
                task["contact"])  # fmt: skip


def test_tasks_move_to_overdue_as_the_open_page_ages(browser: object, site: Path) -> None:
    from selenium.webdriver.common.by import By

    # The page's clock, a day after the build: the onsite's notes (due 13:00) are now late.
    later = datetime.fromisoformat("2026-11-22T12:00:00-05:00").timestamp() * 1000
    script = f"Date.now = function () {{ return {later}; }};"
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script})  # type: ignore[attr-defined]
    browser.get((site / "index.html").as_uri())  # type: ignore[attr-defined]
    overdue = browser.find_element(By.CSS_SELECTOR, 'ul[data-section="overdue"]')  # type: ignore[attr-defined]
    moved = overdue.find_element(
        By.CSS_SELECTOR, '[data-task="thank-you:brightline-backend:brightline-onsite:devon-park"]'
    )
    assert moved.find_element(By.CSS_SELECTOR, "[data-when]").text == "23 h overdue"
    # The lead's reference is due when the records give no date: whenever it is read.
    due = browser.find_element(By.CSS_SELECTOR, 'ul[data-section="due"]')  # type: ignore[attr-defined]
    stays = due.find_element(
        By.CSS_SELECTOR, '[data-task="reference-permission:orchard-sre:-:robert-lin"]'
    )
    assert stays.find_element(By.CSS_SELECTOR, "[data-when]").text == "due now"
    count = browser.find_element(By.CSS_SELECTOR, 'h2 [data-count-for="overdue"]')  # type: ignore[attr-defined]
    assert int(count.text) == len(overdue.find_elements(By.TAG_NAME, "li")) > 1
    assert console_errors(browser) == []


def test_a_draft_can_be_copied_and_printed(browser: object, site: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get((site / "drafts/brightline-onsite/devon-park.html").as_uri())  # type: ignore[attr-defined]
    assert console_errors(browser) == []
    card = browser.find_element(By.CSS_SELECTOR, "article.paper.card")  # type: ignore[attr-defined]
    assert card.text.startswith("Dear Devon,")
    browser.find_element(By.CSS_SELECTOR, "[data-copy]").click()  # type: ignore[attr-defined]
    copied = browser.execute_script("return window.getSelection().toString();")  # type: ignore[attr-defined]
    label = browser.find_element(By.CSS_SELECTOR, "[data-copy]").text  # type: ignore[attr-defined]
    # Either the clipboard took it, or the text is selected for Ctrl-C.
    assert label == "Copied" or copied.strip() == card.text.strip()
    assert browser.find_elements(By.CSS_SELECTOR, "[data-print]")  # type: ignore[attr-defined]
