"""A build with a fixed clock and nothing changed says what the last one said, and
writes nothing; any change to what the site is made of builds again."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from followup import build as building
from followup import history, uptodate
from followup.cli import main
from followup.history import History
from tests.test_history import commit, git
from tests.test_incremental import cold, snapshot

NOW = "2026-11-21 12:00"


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["-C", str(root), "build", *args])


@pytest.fixture
def root(make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(uptodate, "RACY", 0)  # the files are seconds old: trust them anyway
    return make_workspace({"data/contacts/lee-wong.md": "---\nname: Lee Wong\n---\nHi.\n"})


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The sites written, by their out folder."""
    written: list[Path] = []
    real = building.write_site

    def counting(root: Path, out: Path, *args: object, **kwargs: object) -> int:
        written.append(out)
        return real(root, out, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(building, "write_site", counting)
    return written


def strip_time(output: str) -> str:
    return output.split(" (")[0]


def test_nothing_changed_writes_nothing_and_says_the_same(root: Path, writes: list[Path]) -> None:
    first = run(root, "--now", NOW)
    inode = (root / "site").stat().st_ino
    second = run(root, "--now", NOW)
    assert first.exit_code == second.exit_code == 0
    assert strip_time(second.output) == strip_time(first.output)
    assert len(writes) == 1
    assert (root / "site").stat().st_ino == inode


@pytest.mark.parametrize(
    "change",
    [
        lambda root: (root / "data/contacts/raj-patel.yaml").write_text("name: Raj Patel\n"),
        lambda root: (root / "data/contacts/new-one.yaml").write_text("name: New One\n"),
        lambda root: (root / "data/contacts/lee-wong.md").unlink(),
        lambda root: (root / "data/words.txt").write_text("word\n"),
        lambda root: (root / "templates").mkdir(),
        lambda root: (root / "site/index.html").unlink(),
        lambda root: shutil.rmtree(root / "site"),
        lambda root: (root / "site/extra.html").write_text("by hand"),
    ],
)
def test_any_change_builds_again(
    root: Path, tmp_path: Path, writes: list[Path], change: Callable[[Path], object]
) -> None:
    run(root, "--now", NOW)
    change(root)
    assert run(root, "--now", NOW).exit_code == 0
    assert len(writes) == 2
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_a_site_git_does_not_ignore_is_not_an_input(root: Path, writes: list[Path]) -> None:
    """Without a .gitignore, the site and the cache show as uncommitted; the next build
    still has nothing to do."""
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start", "2026-11-01T09:00:00-05:00")
    run(root, "--now", NOW)
    assert run(root, "--now", NOW).exit_code == 0
    assert len(writes) == 1


def test_history_read_from_its_cache_is_the_history_git_gave(
    root: Path, writes: list[Path]
) -> None:
    """The build after a commit reads the commits git listed from the cache, where they
    share no objects; it still has nothing to do."""
    (root / "data/contacts/raj-patel.yaml").write_text("name: Raj Patel\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start", "2026-11-01T09:00:00-05:00")
    run(root, "--now", NOW)
    history._commits.cache_clear()  # as in a new process
    assert run(root, "--now", NOW).exit_code == 0
    assert len(writes) == 1


def test_a_new_commit_builds_again(root: Path, tmp_path: Path, writes: list[Path]) -> None:
    """A commit's message shows on its files' pages, though no file changed."""
    git(root, "init", "-q", "-b", "main")
    commit(root, "Start", "2026-11-01T09:00:00-05:00")
    run(root, "--now", NOW)
    git(root, "commit", "-q", "--amend", "-m", "Started again")
    assert run(root, "--now", NOW).exit_code == 0
    assert len(writes) == 2
    assert "Started again" in (root / "site/contacts/lee-wong.html").read_text()
    assert snapshot(root / "site") == cold(root, tmp_path)


def test_another_clock_or_none_builds_again(root: Path, writes: list[Path]) -> None:
    run(root, "--now", NOW)
    run(root, "--now", "2026-11-22 12:00")
    run(root)
    run(root)
    assert len(writes) == 4


def test_another_out_builds_again(root: Path, tmp_path: Path, writes: list[Path]) -> None:
    run(root, "--now", NOW)
    run(root, "--now", NOW, "--out", str(tmp_path / "elsewhere"))
    run(root, "--now", NOW)
    assert len(writes) == 3


def test_files_changed_just_before_are_not_trusted(
    root: Path, writes: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uptodate, "RACY", 60 * 10**9)
    run(root, "--now", NOW)
    run(root, "--now", NOW)
    assert len(writes) == 2


def test_a_failed_build_is_not_remembered(root: Path, writes: list[Path]) -> None:
    run(root, "--now", NOW)
    (root / "data/contacts/raj-patel.yaml").write_text("name: [broken\n")
    assert run(root, "--now", NOW).exit_code == 2
    assert run(root, "--now", NOW).exit_code == 2


def test_a_linked_folder_cannot_be_told_by_stamps(root: Path, tmp_path: Path) -> None:
    (root / "data/interviews").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    assert uptodate.inputs(root, root / "site", NOW, History()) is None


def test_the_digest_follows_names_sizes_and_times(root: Path) -> None:
    first = uptodate.inputs(root, root / "site", NOW, History())
    assert first == uptodate.inputs(root, root / "site", NOW, History())
    assert first != uptodate.inputs(root, root / "site", "2026-11-22 12:00", History())
    assert first != uptodate.inputs(root, root / "other", NOW, History())
    assert first != uptodate.inputs(root, root / "site", NOW, History(tracked=True))
    (root / "data/contacts/lee-wong.md").rename(root / "data/contacts/lee-wang.md")
    assert first != uptodate.inputs(root, root / "site", NOW, History())


def test_the_digest_of_a_history_is_the_same_in_every_process(root: Path) -> None:
    import subprocess
    import sys

    script = (
        "import sys; from pathlib import Path; from followup import uptodate;"
        "from followup.history import History;"
        "h = History(uncommitted=frozenset(f'data/x{i}.yaml' for i in range(20)), tracked=True);"
        f"print(uptodate.inputs(Path({str(root)!r}), Path({str(root)!r}) / 'site', 'T', h)[0])"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(digests) == 1
