"""The report that `check --format json` prints and tasks.json holds, as programs read it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from followup import report, rules, workspace
from tests.conftest import NEW_YORK, Files

NOW = datetime(2026, 11, 21, 12, tzinfo=NEW_YORK)
#: Names with what JSON must escape or may keep as it is.
ODD: Files = {
    "data/contacts/odd.yaml": (
        'name: "Zoë \\"Z\\" Back\\\\slash\\ttab 🙂 </script>"\ncompany: acme\n'
    ),
    "data/applications/odd.yaml": (
        'company: acme\nrole: "Rôle, \\"quoted\\"\\u2028line"\nstatus: interviewing\n'
        "applied: 2026-11-02\ncontact: odd\n"
    ),
    "data/interviews/odd.md": (
        "---\napplication: odd\nat: 2026-11-20 13:00\ninterviewers: [odd]\n---\nNotes.\n"
    ),
    "data/contacts/stray.yaml": "name: Stray\ncompany: nowhere\n",  # a problem to report
}


@pytest.mark.parametrize("files", [ODD, {}], ids=["odd text", "base"])
@pytest.mark.parametrize("later", [timedelta(0), timedelta(days=3)], ids=["now", "3 days on"])
def test_the_report_is_written_as_json_writes_it(
    make_workspace: Callable[..., Path], files: Files, later: timedelta
) -> None:
    """Byte for byte what `json.dumps(indent=2)` writes, as tasks change with the clock."""
    records, problems = workspace.read(make_workspace(files), NEW_YORK)
    tasks = rules.tasks(records, NOW + later)
    nudges = rules.nudges(records)
    found = (records, tasks, problems, nudges, NOW + later)
    expected = json.dumps(report.as_json(*found), indent=2, ensure_ascii=False)
    assert report.as_text(*found) == expected
    assert json.loads(expected)["tasks"], "the workspace has tasks to report"


def test_empty_lists_are_written_as_json_writes_them(
    make_workspace: Callable[..., Path],
) -> None:
    records, _ = workspace.read(make_workspace({}, base=False), NEW_YORK)
    found = (records, [], [], [], NOW)
    expected = json.dumps(report.as_json(*found), indent=2, ensure_ascii=False)
    assert report.as_text(*found) == expected
    assert '"tasks": []' in expected
