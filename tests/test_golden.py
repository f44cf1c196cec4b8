"""The sample workspace's follow-ups at a fixed clock, compared with the stored output.

After a deliberate change, regenerate with:
    .venv/bin/followup check --now "2026-11-21 12:00" --format json > tests/golden/check-sample.json
and read the diff before committing it.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from followup.cli import main
from tests.conftest import REPO

NOW = "2026-11-21 12:00"


def test_check_json_on_the_sample_matches_the_golden_file() -> None:
    result = CliRunner().invoke(main, ["-C", str(REPO), "check", "--now", NOW, "--format", "json"])
    expected = json.loads((REPO / "tests/golden/check-sample.json").read_text(encoding="utf-8"))
    assert json.loads(result.output) == expected
    # Something is overdue in the sample at that hour, so check says so by its exit code.
    assert result.exit_code == 1


def test_the_sample_is_valid_and_uses_every_rule() -> None:
    report = json.loads((REPO / "tests/golden/check-sample.json").read_text(encoding="utf-8"))
    assert report["problems"] == []
    rules = {task["rule"] for task in report["tasks"]}
    assert rules == {
        "thank-you",
        "follow-up-call",
        "decision-date",
        "check-in",
        "reference-permission",
        "thank-everyone",
        "stay-in-touch",
    }
    assert {task["status"] for task in report["tasks"]} == {"done", "upcoming", "due", "overdue"}
