"""The build cache's store: what it keeps, and what it refuses to read back."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from followup import cache, store


def test_a_value_comes_back(tmp_path: Path) -> None:
    store.save(tmp_path, "thing.pickle", {"a": [1, 2]})
    assert store.load(tmp_path, "thing.pickle") == {"a": [1, 2]}
    assert [p.name for p in (tmp_path / store.FOLDER).iterdir()] == ["thing.pickle"]


def test_nothing_stored_is_none(tmp_path: Path) -> None:
    assert store.load(tmp_path, "thing.pickle") is None


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"garbage",
        pickle.dumps({"a": 1}),
        pickle.dumps(("0.0.0/0/old", {"a": 1})),
        pickle.dumps((store.version(), {"a": 1}))[:-3],
    ],
)
def test_broken_or_old_is_none(tmp_path: Path, content: bytes) -> None:
    (tmp_path / store.FOLDER).mkdir()
    (tmp_path / store.FOLDER / "thing.pickle").write_bytes(content)
    assert store.load(tmp_path, "thing.pickle") is None


def test_a_link_or_a_device_in_place_of_a_file_is_not_read(tmp_path: Path) -> None:
    """/dev/zero would be read until memory ran out; a link may also be committed to a
    repository whose workspace is built."""
    store.save(tmp_path, "thing.pickle", 1)
    (tmp_path / store.FOLDER / "other.pickle").symlink_to(tmp_path / store.FOLDER / "thing.pickle")
    (tmp_path / store.FOLDER / "endless.pickle").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / store.FOLDER / "pipe.pickle")  # which would wait for a writer
    (tmp_path / store.FOLDER / "folder.pickle").mkdir()
    assert store.load(tmp_path, "thing.pickle") == 1
    open_files = len(os.listdir("/proc/self/fd"))
    for name in ("other.pickle", "endless.pickle", "pipe.pickle", "folder.pickle"):
        assert store.load(tmp_path, name) is None
    assert len(os.listdir("/proc/self/fd")) == open_files  # none left open


def test_a_workspace_that_cannot_be_written_goes_without(tmp_path: Path) -> None:
    (tmp_path / store.FOLDER).write_text("a file where the folder should be")
    store.save(tmp_path, "thing.pickle", 1)
    assert store.load(tmp_path, "thing.pickle") is None


def test_digests_tell_values_apart() -> None:
    assert store.digest_of({"a": 1}) == store.digest_of({"a": 1})
    assert store.digest_of({"a": 1}) != store.digest_of({"a": 1.0})
    assert store.digest_of(("x", None)) != store.digest_of(("x", ""))


def test_the_version_names_followup_and_the_format() -> None:
    from followup import __version__

    assert store.version().startswith(f"{__version__}/{store.FORMAT}/")


def test_a_memo_keeps_what_was_used_and_makes_only_what_is_new(tmp_path: Path) -> None:
    made: list[str] = []

    def make(key: str) -> str:
        made.append(key)
        return key.upper()

    first: store.Memo[str] = store.Memo.load(tmp_path, "memo.pickle")
    assert [first.get(k, lambda k=k: make(k)) for k in ("a", "b")] == ["A", "B"]
    first.save(tmp_path, "memo.pickle")
    second: store.Memo[str] = store.Memo.load(tmp_path, "memo.pickle")
    assert [second.get(k, lambda k=k: make(k)) for k in ("b", "c")] == ["B", "C"]
    assert made == ["a", "b", "c"]
    assert second.now == {"b": "B", "c": "C"}


def test_a_memo_from_a_broken_store_is_empty() -> None:
    assert store.Memo(["not", "a", "dict"]).before == {}


def test_records_survive_pickling_field_by_field(tmp_path: Path) -> None:
    import copy
    from datetime import UTC, datetime

    from followup.clock import Duration
    from followup.load import Document, Position
    from followup.model import Activity, Contact, Reference
    from followup.problems import Problem

    on = datetime(2026, 11, 20, 14, tzinfo=UTC)
    activity = Activity(on, "call", "dana", None, "", "app", "data/x.yaml", 3, 5)
    values = [
        Document("data/x.yaml", {"a": [1]}, {(): Position(1, 1)}, {}, "body", 4, True),
        Problem("data/x.yaml", 1, 2, "warning", "message"),
        Contact(
            "dana", "data/x.yaml", "Dana", reference=Reference(asked=on.date()), log=(activity,)
        ),
        Duration(3, "d"),
    ]
    for value in values:
        assert pickle.loads(pickle.dumps(value)) == value
        assert copy.deepcopy(value) == value


class _Planted:
    """What a hostile repository could commit as .followup-cache/: unpickling it runs code."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (Path(self.marker), "ran"))  # type: ignore[arg-type]


def test_a_planted_cache_is_never_unpickled(
    tmp_path: Path, make_workspace: Callable[..., Path]
) -> None:
    from click.testing import CliRunner

    from followup.cli import main

    root = make_workspace()
    marker = tmp_path / "ran"
    folder = root / store.FOLDER
    folder.mkdir()
    planted = pickle.dumps((store.version(), _Planted(str(marker))))
    names = [cache.shard_name(n) for n in range(cache.SHARDS)]
    for name in (*names, "proofread.pickle", "site.pickle", "events.pickle"):
        (folder / name).write_bytes(b"\0" * 32 + planted)  # a signature that cannot match
    assert store.load(root, names[0]) is None
    result = CliRunner().invoke(main, ["-C", str(root), "check", "--now", "2026-11-05 12:00"])
    assert result.exit_code == 0, result.output
    assert not marker.exists()


def test_what_this_user_stored_reads_back(tmp_path: Path) -> None:
    store.save(tmp_path, "x.pickle", {"a": 1})
    assert store.load(tmp_path, "x.pickle") == {"a": 1}
    raw = (tmp_path / store.FOLDER / "x.pickle").read_bytes()
    (tmp_path / store.FOLDER / "x.pickle").write_bytes(raw[:-1] + bytes([raw[-1] ^ 1]))
    assert store.load(tmp_path, "x.pickle") is None  # one bit changed: not ours any more
