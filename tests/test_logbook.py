"""Recording what I did from the command line, and reporting it."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from followup.cli import main
from tests.test_history import IDENTITY, commit, git

INTERVIEW = """
    ---
    application: acme-backend
    at: 2026-11-18 14:00
    kind: onsite
    interviewers: [dana-reyes, raj-patel]  # both owed a note
    ---
    ## Dana Reyes
    The pager rota.
"""
NOW = "2026-11-19 09:00"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), *args])


def test_done_writes_the_activity_where_it_belongs(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    before = (root / "data/interviews/acme-onsite.md").read_text(encoding="utf-8")
    task = "thank-you:acme-backend:acme-onsite:dana-reyes"
    result = run(root, "done", task, "--at", NOW, "--note", "Mentioned the rota")
    assert result.exit_code == 0, result.output
    after = (root / "data/interviews/acme-onsite.md").read_text(encoding="utf-8")
    # Her preferred channel (email) is the default; nothing else in the file moved.
    line = "  - {on: 2026-11-19 09:00, did: thank-you, with: dana-reyes, via: email, "
    assert after == before.replace(
        "---\n## Dana", "log:\n" + line + 'note: "Mentioned the rota"}\n---\n## Dana'
    )
    report = run(root, "check", "--now", NOW, "--format", "json").output
    assert f'"id": "{task}"' in report and '"done_at": "2026-11-19T09:00:00-05:00"' in report
    again = run(root, "done", task, "--at", NOW)
    assert "already done on 2026-11-19 09:00; nothing written." in again.output
    assert (root / "data/interviews/acme-onsite.md").read_text(encoding="utf-8") == after


def test_done_with_commit_commits_just_that_file(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start", "2026-11-01T09:00:00-05:00")
    (root / "data/companies/acme.yaml").write_text("name: Acme Corp\n", encoding="utf-8")
    env = {**IDENTITY, "HOME": str(root)}
    result = CliRunner(env=env).invoke(
        main,
        ["-C", str(root), "done", "thank-you:acme-backend:acme-onsite:raj-patel", "--at", NOW,
         "--via", "card", "--commit"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    message = "Thank-you note to Raj Patel after the Acme Corp onsite"  # the name as it is now
    assert f": {message}" in result.output
    log = git(root, "log", "-1", "--name-only", "--format=%s")
    assert log.split() == [*message.split(), "data/interviews/acme-onsite.md"]
    # The other change stays uncommitted.
    assert "data/companies/acme.yaml" in git(root, "status", "--porcelain")


def test_done_refuses_what_an_activity_cannot_do(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    result = run(root, "done", "decision-date:acme-backend:acme-onsite:-", "--at", NOW)
    assert result.exit_code == 1
    assert "write the date they gave you as decision_by in data/applications/acme-backend.yaml" in (
        result.output
    )
    typo = run(root, "done", "thank-you:acme-backend:acme-onsite:dana-reyse", "--at", NOW)
    assert typo.exit_code == 64
    assert "did you mean 'thank-you:acme-backend:acme-onsite:dana-reyes'?" in typo.output


def test_log_adds_to_a_contact_file(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    path = root / "data/contacts/raj-patel.yaml"
    before = path.read_text(encoding="utf-8")
    result = run(
        root, "log", "data/contacts/raj-patel.yaml", "--did", "call", "--via", "phone",
        "--application", "acme-backend", "--at", NOW,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == before + (
        "log:\n  - {on: 2026-11-19 09:00, did: call, via: phone, application: acme-backend}\n"
    )


def test_log_checks_what_it_is_given(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    path = root / "data/applications/acme-backend.yaml"
    before = path.read_bytes()
    wrong = run(root, "log", "data/applications/acme-backend.yaml", "--did", "call",
                "--with", "raj-patl")  # fmt: skip
    assert wrong.exit_code == 1
    assert "no contact 'raj-patl' (did you mean 'raj-patel'?)" in wrong.output
    misplaced = run(root, "log", "data/applications/acme-backend.yaml", "--did", "call",
                    "--application", "acme-backend")  # fmt: skip
    assert "--application is only for a contact file" in misplaced.output
    assert run(root, "log", "data/settings.yaml", "--did", "call").exit_code == 1
    assert path.read_bytes() == before


def test_log_refuses_a_file_it_cannot_add_to_safely(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/contacts/raj-patel.yaml": "name: Raj Patel\nlog: later\n"})
    result = run(root, "log", "data/contacts/raj-patel.yaml", "--did", "call")
    assert result.exit_code == 2
    assert "data/contacts/raj-patel.yaml: has 'log: later', not a list" in result.output
    assert (root / "data/contacts/raj-patel.yaml").read_text() == "name: Raj Patel\nlog: later\n"


def test_report_lists_a_period(make_workspace: Callable[..., Path]) -> None:
    sent = INTERVIEW.replace(
        "interviewers: [dana-reyes, raj-patel]  # both owed a note",
        "interviewers: [dana-reyes, raj-patel]\n    log:\n"
        "      - {on: 2026-11-18 20:00, did: thank-you, with: dana-reyes, via: email}\n"
        "      - {on: 2026-11-19 10:00, did: reply, with: dana-reyes}",
    )
    root = make_workspace({"data/interviews/acme-onsite.md": sent})
    args = ("report", "--from", "2026-11-01", "--to", "2026-11-30", "--now", "2026-11-25 12:00")
    table = run(root, *args, "--format", "csv").output
    rows = list(csv.reader(io.StringIO(table)))
    assert rows == [
        ["Date", "Time", "What", "Employer", "Job", "With", "How", "Note"],
        ["2026-11-02", "", "Application", "Acme", "Backend Engineer", "", "", ""],
        ["2026-11-18", "14:00", "Onsite interview", "Acme", "Backend Engineer",
         "Dana Reyes, Raj Patel", "", ""],
        ["2026-11-18", "20:00", "Thank-you note", "Acme", "Backend Engineer", "Dana Reyes",
         "email", ""],
    ]  # fmt: skip
    md = run(root, *args).output
    assert md.startswith("# Job search activity: 2026-11-01 to 2026-11-30\n\nSam Taylor")
    assert "1 application, 1 interview, 1 follow-up." in md
    html = run(root, *args, "--format", "html").output
    assert html.startswith("<!doctype html>") and "<td>Onsite interview</td>" in html
    narrow = run(root, "report", "--from", "2026-11-19", "--to", "2026-11-30", "--format", "csv")
    assert len(list(csv.reader(io.StringIO(narrow.output)))) == 1  # the reply is theirs


def test_the_site_has_a_report_for_the_last_30_days(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    assert run(root, "build", "--now", "2026-11-25 12:00").exit_code == 0
    page = (root / "site/report.html").read_text(encoding="utf-8")
    assert "from 2026-10-27 to 2026-11-25" in page
    assert "<td>Onsite interview</td>" in page and "<td>Application</td>" in page


def test_git_is_only_asked_for_what_was_said(make_workspace: Callable[..., Path]) -> None:
    """Without --commit nothing is committed, even in a repository."""
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start", "2026-11-01T09:00:00-05:00")
    run(root, "done", "thank-you:acme-backend:acme-onsite:dana-reyes", "--at", NOW)
    count = subprocess.run(
        ["git", "-C", str(root), "rev-list", "--count", "HEAD"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert count.strip() == "1"


def test_done_follows_a_link_and_keeps_it(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"shared/acme-onsite.md": INTERVIEW})
    link = root / "data/interviews/acme-onsite.md"
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(root / "shared/acme-onsite.md")
    result = run(root, "done", "dana-reyes", "--at", NOW)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "did: thank-you, with: dana-reyes" in (root / "shared/acme-onsite.md").read_text()


def test_done_refuses_an_entry_that_would_not_count(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    before = (root / "data/interviews/acme-onsite.md").read_bytes()
    early = run(root, "done", "thank-you:acme-backend:acme-onsite:dana-reyes", "--at",
                "2026-11-01 10:00")  # fmt: skip
    assert early.exit_code == 1
    assert "would not count: a thank-you counts from the moment the interview began" in (
        early.output
    )
    future = run(
        root, "done", "thank-you:acme-backend:acme-onsite:dana-reyes", "--at", "2099-01-01"
    )
    assert future.exit_code == 64 and "is in the future" in future.output
    assert (root / "data/interviews/acme-onsite.md").read_bytes() == before


def test_done_takes_any_part_of_an_id_that_one_open_task_has(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    several = run(root, "done", "acme-onsite", "--at", NOW)
    assert several.exit_code == 64
    assert "'acme-onsite' is in 3 open tasks" in several.output
    one = run(root, "done", "raj-patel", "--at", NOW)
    assert one.exit_code == 0, one.output
    assert "with: raj-patel" in (root / "data/interviews/acme-onsite.md").read_text()


def test_commit_without_git_is_a_message_not_a_crash(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": INTERVIEW})
    monkeypatch.setenv("PATH", str(root))  # no git to be found
    result = run(root, "done", "dana-reyes", "--at", NOW, "--commit")
    assert result.exit_code == 1
    assert "git could not be run" in result.output
    assert "(the entry is written, not committed)" in result.output


def test_report_leaves_out_what_has_not_happened(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    args = ("report", "--from", "2026-11-01", "--to", "2026-11-30", "--format", "csv")
    before = run(root, *args, "--now", "2026-11-01 12:00").output  # applied on the 2nd
    after = run(root, *args, "--now", "2026-11-03 12:00").output
    assert "Application" not in before and "Application" in after
