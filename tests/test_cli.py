"""The command line as a user meets it: commands, output and exit codes."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from followup.cli import OVERDUE, USAGE, main
from tests.conftest import REPO

INTERVIEW = """
    ---
    application: acme-backend
    at: 2026-11-18 14:00
    kind: onsite
    interviewers: [dana-reyes, raj-patel]
    ---
    ## Dana Reyes
    Talked about on-call.

    ## Raj Patel
    Your tour of the billing queue was the best part of the day.
"""


def run(root: Path, *args: str, color: bool = False) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), *args], color=color)


def test_init_writes_a_workspace_that_checks_clean(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path / "search")])
    assert result.exit_code == 0, result.output
    root = tmp_path / "search"
    assert (root / "data/settings.yaml").is_file()
    assert "site/" in (root / ".gitignore").read_text(encoding="utf-8")
    report = json.loads(run(root, "check", "--format", "json").output)
    assert report["problems"] == []
    # The example interview was yesterday, so its thank-you notes are work to do today.
    assert any(t["rule"] == "thank-you" and t["status"] != "done" for t in report["tasks"])


def test_init_never_overwrites(tmp_path: Path) -> None:
    mine = tmp_path / "data/settings.yaml"
    mine.parent.mkdir(parents=True)
    mine.write_text("timezone: Europe/Paris\n# mine\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(tmp_path), "init"])
    assert result.exit_code == 0
    assert mine.read_text(encoding="utf-8") == "timezone: Europe/Paris\n# mine\n"
    assert f"kept    {mine}" in result.output
    assert (tmp_path / "data/contacts/alex-morgan.yaml").is_file()


def test_no_workspace_is_one_clear_line(tmp_path: Path) -> None:
    result = run(tmp_path, "check")
    assert result.exit_code == 66  # not 1 or 2, which say something about the data
    assert "no workspace at" in result.output
    assert "followup init" in result.output
    assert "Traceback" not in result.output


def test_exit_codes(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    # The check-in on acme-backend opens 7 days after it was applied for (2026-11-09 09:00).
    assert run(root, "check", "--now", "2026-11-05 12:00").exit_code == 0
    assert run(root, "check", "--now", "2026-11-21 12:00").exit_code == 1
    broken = make_workspace({"data/contacts/raj-patel.yaml": "title: no name\n"})
    result = run(broken, "check", "--now", "2026-11-05 12:00")
    assert result.exit_code == 2
    assert "data/contacts/raj-patel.yaml:1:1: missing required key 'name'" in result.output


def test_check_json_shape(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    result = run(root, "check", "--now", "2026-11-19T00:00:00+01:00", "--format", "json")
    report = json.loads(result.output)
    assert report["now"] == "2026-11-18T18:00:00-05:00"
    task = next(
        t for t in report["tasks"] if t["id"] == "thank-you:acme-backend:acme-onsite:raj-patel"
    )
    assert task == {
        "id": "thank-you:acme-backend:acme-onsite:raj-patel",
        "rule": "thank-you",
        "application": "acme-backend",
        "interview": "acme-onsite",
        "contact": "raj-patel",
        "title": "Thank-you note to Raj Patel for the onsite interview at Acme",
        "opens": "2026-11-18T15:00:00-05:00",
        "due": "2026-11-19T14:00:00-05:00",
        "done_at": None,
        "status": "due",
    }


def test_check_reads_like_an_agenda(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    text = run(root, "check", "--now", "2026-11-19 09:00").output
    lines = text.splitlines()
    assert lines[0] == "Follow-ups at Thu 19 Nov 09:00 (America/New_York)"
    # Both notes and asking when they will decide, all due 24 h after the interview began.
    assert "Due now (3)" in lines
    note = lines.index(
        "  due in 5 h        Thank-you note to Dana Reyes for the onsite interview at Acme"
    )
    assert "by email: dana@acme.example" in lines[note + 1]
    assert "due Thu 19 Nov 14:00" in lines[note + 1]
    # Raj Patel has no email, phone or address: the agenda says so instead of guessing.
    assert "Raj Patel: no email, phone or address on file" in text
    assert "\x1b[" not in text
    overdue = run(root, "check", "--now", "2026-11-21 15:00").output
    assert "2 days overdue" in overdue.replace("  ", " ")


def test_colour_only_on_a_terminal(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    assert "\x1b[" in run(root, "check", "--now", "2026-11-19 09:00", color=True).output


def test_all_adds_done_tasks(make_workspace: Callable[..., Path]) -> None:
    sent = INTERVIEW.replace(
        "interviewers: [dana-reyes, raj-patel]",
        "interviewers: [dana-reyes]\n    log:\n"
        "      - {on: 2026-11-18 20:00, did: thank-you, with: dana-reyes, via: email}",
    )
    root = make_workspace({"data/interviews/acme-onsite.md": sent})
    plain = run(root, "check", "--now", "2026-11-19 09:00").output
    everything = run(root, "check", "--now", "2026-11-19 09:00", "--all").output
    assert "Done" not in plain
    assert "Done (1)" in everything
    assert "done Wed 18 Nov 20:00" in everything


def test_bad_now_is_a_usage_error(make_workspace: Callable[..., Path]) -> None:
    result = run(make_workspace(), "check", "--now", "tomorrow")
    assert result.exit_code == 64  # not 2, which says a data file is invalid
    assert "'tomorrow' is not a date and time" in result.output
    assert "Traceback" not in result.output


def test_build_fails_with_exit_2_and_positions(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/applications/acme-backend.yaml": "company: acme\nrole: x\n"})
    result = run(root, "build")
    assert result.exit_code == 2
    assert "data/applications/acme-backend.yaml:1:1: missing required key 'status'" in result.output


def test_python_dash_m_runs_the_same_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "followup", "--help"], capture_output=True, text=True, check=True
    )
    assert "check" in done.stdout and "init" in done.stdout


def test_the_program_ends_with_its_command_s_code_and_all_its_output() -> None:
    """The program ends without freeing what it made (cli.run): what it says, and the
    code it ends with, are the command's."""
    program = [sys.executable, "-m", "followup"]
    check = ["-C", str(REPO), "check", "--now", "2026-11-21 12:00"]
    done = subprocess.run([*program, *check], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (OVERDUE, CliRunner().invoke(main, check).output)
    assert done.stderr == ""
    wrong = subprocess.run([*program, "chek"], capture_output=True, text=True)
    assert wrong.returncode == USAGE
    assert "No such command 'chek'" in wrong.stderr
    for closed in (">&-", "2>&-"):  # started without the stream (cron, a daemon)
        line = " ".join(shlex.quote(part) for part in [*program, *check])
        done = subprocess.run(["sh", "-c", f"{line} {closed}"], capture_output=True, text=True)
        assert done.returncode == OVERDUE, closed
        assert "Traceback" not in done.stderr


def test_a_zone_that_is_a_folder_is_a_problem_not_a_crash(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace({"data/settings.yaml": "timezone: America\n"})
    result = run(root, "check", "--now", "2026-11-05T12:00Z")
    assert result.exit_code == 2
    assert "data/settings.yaml:1:11: timezone: 'America' is not an IANA time zone" in result.output


def test_paths_on_the_command_line_are_read_from_the_C_folder(
    make_workspace: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run(root, "build", "--out", "public").exit_code == 0
    assert (root / "public/index.html").is_file()
    assert list(elsewhere.iterdir()) == []
    assert CliRunner().invoke(main, ["-C", str(root), "init", "other"]).exit_code == 0
    assert (root / "other/data/settings.yaml").is_file()


def test_a_bare_data_folder_is_not_a_workspace(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data/measurements.csv").write_text("1,2\n", encoding="utf-8")
    result = run(tmp_path, "check")
    assert result.exit_code == 66
    assert "followup init" in result.output


def test_init_adds_no_examples_to_a_workspace_with_records(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace({"data/settings.yaml": None})
    before = sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*"))
    result = CliRunner().invoke(main, ["-C", str(root), "init"])
    assert result.exit_code == 0
    after = sorted(p.relative_to(root).as_posix() for p in (root / "data").rglob("*"))
    assert after == sorted([*before, "data/settings.yaml"])  # only what was missing
    assert (root / ".gitignore").is_file()


def test_build_counts_problems_in_words(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {
            "data/applications/acme-backend.yaml": """
        company: acme
        role: Backend Engineer
        status: rejected
    """
        }
    )
    result = run(root, "build", "--now", "2026-11-05 12:00")
    assert result.exit_code == 0
    assert "0 errors, 1 warning\n" in result.output


def test_a_fault_of_ours_is_one_line_with_exit_70(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from followup import rules

    def broken(*args: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(rules, "work", broken)
    result = run(make_workspace(), "check")
    assert result.exit_code == 70
    assert "internal error (ZeroDivisionError: oops)" in result.output
    assert "Traceback" not in result.output
