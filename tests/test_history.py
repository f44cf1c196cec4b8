"""Git history as the audit log, read from a real temporary repository."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from followup import history
from followup.cli import main

IDENTITY = {
    "GIT_AUTHOR_NAME": "Sam Taylor",
    "GIT_AUTHOR_EMAIL": "sam@example.org",
    "GIT_COMMITTER_NAME": "Sam Taylor",
    "GIT_COMMITTER_EMAIL": "sam@example.org",
}


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **IDENTITY, "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)},
    )
    return done.stdout


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    env_date = ["-c", "user.useConfigOnly=false"]
    subprocess.run(
        ["git", "-C", str(root), *env_date, "commit", "-q", "-m", message],
        check=True,
        env={
            **os.environ,
            **IDENTITY,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_DATE": date,
            "HOME": str(root),
        },
    )


@pytest.fixture
def repo(make_workspace: Callable[..., Path]) -> Path:
    root = make_workspace()
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start my search", "2026-11-01T09:00:00-05:00")
    contact = root / "data/contacts/raj-patel.yaml"
    contact.write_text(contact.read_text(encoding="utf-8") + "prefers: phone\n", encoding="utf-8")
    commit(root, "Raj prefers a call", "2026-11-10T18:30:00-05:00")
    git(root, "mv", "data/contacts/dana-reyes.yaml", "data/contacts/dana-reyes-lopez.yaml")
    for path in ("data/applications/acme-backend.yaml",):
        text = (root / path).read_text(encoding="utf-8").replace("dana-reyes", "dana-reyes-lopez")
        (root / path).write_text(text, encoding="utf-8")
    commit(root, "Dana's new surname", "2026-11-12T08:00:00-05:00")
    return root


def test_each_file_has_its_own_commits_newest_first(repo: Path) -> None:
    found = history.read(repo)
    assert found.tracked and not found.shallow
    raj = [c.subject for c in found.of("data/contacts/raj-patel.yaml")]
    assert raj == ["Raj prefers a call", "Start my search"]
    company = [c.subject for c in found.of("data/companies/acme.yaml")]
    assert company == ["Start my search"]
    assert found.of("data/contacts/raj-patel.yaml")[0].author == "Sam Taylor"


def test_a_rename_is_followed(repo: Path) -> None:
    found = history.read(repo)
    dana = [c.subject for c in found.of("data/contacts/dana-reyes-lopez.yaml")]
    assert dana == ["Dana's new surname", "Start my search"]
    assert found.of("data/contacts/dana-reyes.yaml") == []


def test_uncommitted_changes_show_as_such(repo: Path) -> None:
    (repo / "data/companies/acme.yaml").write_text("name: Acme Corp\n", encoding="utf-8")
    (repo / "data/contacts/new-person.yaml").write_text("name: New Person\n", encoding="utf-8")
    found = history.read(repo)
    assert {"data/companies/acme.yaml", "data/contacts/new-person.yaml"} <= found.uncommitted
    assert "data/contacts/raj-patel.yaml" not in found.uncommitted


def test_the_pages_show_the_history(repo: Path) -> None:
    result = CliRunner().invoke(main, ["-C", str(repo), "build", "--now", "2026-11-19 12:00"])
    assert result.exit_code == 0, result.output
    page = (repo / "site/contacts/raj-patel.html").read_text(encoding="utf-8")
    assert "History of <code>data/contacts/raj-patel.yaml</code>" in page
    assert page.index("Raj prefers a call") < page.index("Start my search")
    assert "Dana&#39;s new surname" not in page  # only its own file's commits
    dana = (repo / "site/contacts/dana-reyes-lopez.html").read_text(encoding="utf-8")
    assert "Dana&#39;s new surname" in dana and "Start my search" in dana
    # The timeline merges the commits with what was logged.
    assert "Recorded: Raj prefers a call" in page


def test_history_is_read_with_one_git_log_and_reused_while_head_stays(repo: Path) -> None:
    from_git = history.read(repo)
    cache = repo / history.CACHE
    assert cache.is_file()
    history._commits.cache_clear()
    assert history.read(repo) == from_git
    cache.write_text(cache.read_text(encoding="utf-8").replace("Start my search", "From cache"))
    history._commits.cache_clear()  # as in a new process, which finds only the cache
    assert [c.subject for c in history.read(repo).of("data/companies/acme.yaml")] == ["From cache"]
    (repo / "data/companies/acme.yaml").write_text("name: Acme Corp\n", encoding="utf-8")
    commit(repo, "Acme's full name", "2026-11-13T08:00:00-05:00")
    subjects = [c.subject for c in history.read(repo).of("data/companies/acme.yaml")]
    assert subjects == ["Acme's full name", "Start my search"]  # HEAD moved: read again


def test_a_cache_of_another_form_is_read_again(repo: Path) -> None:
    """As the cache was before each commit was stored once."""
    from_git = history.read(repo)
    cache = repo / history.CACHE
    old = {"head": from_git.head, "commits": {"data/companies/acme.yaml": [{"hash": "x"}]}}
    assert "commits" not in json.loads(cache.read_text(encoding="utf-8"))  # (what it was)
    cache.write_text(json.dumps(old), encoding="utf-8")
    history._commits.cache_clear()
    assert history.read(repo) == from_git


def test_a_workspace_inside_a_larger_repository(
    tmp_path: Path, make_workspace: Callable[..., Path]
) -> None:
    root = make_workspace()  # tmp_path/ws
    git(tmp_path, "init", "-q", "-b", "main")
    commit(tmp_path, "Everything", "2026-11-01T09:00:00-05:00")
    (root / "data/companies/acme.yaml").write_text("name: Acme Corp\n", encoding="utf-8")
    found = history.read(root)
    assert [c.subject for c in found.of("data/companies/acme.yaml")] == ["Everything"]
    assert "data/companies/acme.yaml" in found.uncommitted


def test_no_repository_builds_without_history(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace()
    assert history.read(root) == history.History()
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", "2026-11-19 12:00"])
    assert result.exit_code == 0
    page = (root / "site/contacts/raj-patel.html").read_text(encoding="utf-8")
    assert "not a git repository" in page


def shallow_clone(repo: Path, tmp_path: Path) -> Path:
    """A clone of repo with its last commit only."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))
    return clone


def test_a_shallow_clone_gets_a_warning(repo: Path, tmp_path: Path) -> None:
    clone = shallow_clone(repo, tmp_path)
    assert history.read(clone).shallow
    result = CliRunner().invoke(main, ["-C", str(clone), "build", "--now", "2026-11-19 12:00"])
    assert result.exit_code == 0, result.output
    assert "shallow clone" in result.output


def test_a_shallow_clone_fetched_in_full_shows_all_of_its_history(
    repo: Path, tmp_path: Path
) -> None:
    """Fetching the rest keeps HEAD where it was, but the history is no longer cut short."""
    clone = shallow_clone(repo, tmp_path)
    raj = "data/contacts/raj-patel.yaml"
    assert len(history.read(clone).of(raj)) == 1
    git(clone, "fetch", "-q", "--unshallow")
    found = history.read(clone)
    assert not found.shallow
    assert [c.subject for c in found.of(raj)] == ["Raj prefers a call", "Start my search"]


def test_a_shallow_clone_fetched_deeper_shows_the_history_fetched(
    repo: Path, tmp_path: Path
) -> None:
    """Deepening keeps HEAD, and the clone shallow, but moves where its history is cut."""
    clone = shallow_clone(repo, tmp_path)
    raj = "data/contacts/raj-patel.yaml"
    before = history.read(clone)
    assert [c.subject for c in before.of(raj)] == ["Dana's new surname"]  # where it is cut
    git(clone, "fetch", "-q", "--deepen=1")
    after = history.read(clone)
    assert after.shallow and after.head != before.head
    assert [c.subject for c in after.of(raj)] == ["Raj prefers a call"]


def test_parse_log_follows_a_chain_of_renames() -> None:
    # As git writes it with -z: the format line ends in NUL and a new line.
    log = (
        "\x1eaaa\x1fa1\x1f2026-11-03T10:00:00+00:00\x1fSam\x1fthird\x00\nR100\x00b.yaml\x00c.yaml\x00"
        "\x1ebbb\x1fb1\x1f2026-11-02T10:00:00+00:00\x1fSam\x1fsecond\x00\nR090\x00a.yaml\x00b.yaml\x00"
        "\x1eccc\x1fc1\x1f2026-11-01T10:00:00+00:00\x1fSam\x1ffirst\x00\nA\x00a.yaml\x00"
    )
    found = history.parse_log(log)
    assert [c.subject for c in found["c.yaml"]] == ["third", "second", "first"]
    assert list(found) == ["c.yaml"]
