"""Git history as the audit log: who changed which record's file, when, and why.

One `git log` for the whole workspace rather than one per file: that is the
difference between half a second and minutes for thousands of files. Renames
are followed by reading the log newest first and carrying each file's current
name back to the names it had before.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from followup import store
from followup.pickling import by_fields

#: Where the last history is kept, and for which HEAD it was read.
CACHE = Path(".followup-cache") / "history.json"
#: The folder whose files' changes the pages show; not the site or the cache, which git
#: may not ignore, and which every build changes.
RECORD_FOLDER = "data"
_FIELDS = "%x1e%H%x1f%h%x1f%aI%x1f%an%x1f%s"


@by_fields
@dataclass(frozen=True, slots=True)
class Commit:
    hash: str
    short: str
    at: datetime
    author: str
    subject: str


@dataclass(frozen=True)
class History:
    """Every file's commits, newest first, by its path now; and what is not committed yet.
    The commits are a function of head: what says they are unchanged."""

    commits: dict[str, list[Commit]] = field(default_factory=dict)
    uncommitted: frozenset[str] = frozenset()
    shallow: bool = False
    tracked: bool = False  # False outside a git repository
    #: The commit checked out, and where a shallow clone's history is cut (a fetch that
    #: deepens it moves that); "" outside git or before the first commit.
    head: str = ""

    def of(self, path: str) -> list[Commit]:
        return self.commits.get(path, [])


def read(root: Path) -> History:
    """The workspace's history; empty, not an error, outside git or without git."""
    head = _git(root, "rev-parse", "HEAD")
    if head is None:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
        return History(tracked=inside is not None and inside.strip() == "true")
    status = _git(
        root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", RECORD_FOLDER
    )
    prefix = (_git(root, "rev-parse", "--show-prefix") or "").strip()
    shallow = (_git(root, "rev-parse", "--is-shallow-repository") or "").strip() == "true"
    head = f"{head.strip()} shallow {_cut(root)}" if shallow else head.strip()
    commits = _commits(root, head)
    return History(commits, _changed(status or "", prefix), shallow, tracked=True, head=head)


def _cut(root: Path) -> str:
    """A digest of where a shallow clone's history is cut (.git/shallow)."""
    path = (_git(root, "rev-parse", "--git-path", "shallow") or "").strip()
    try:
        return hashlib.sha256((root / path).read_bytes()).hexdigest() if path else ""
    except OSError:
        return ""


def read_soon(root: Path) -> Callable[[], History]:
    """read(root), begun now in a thread; call what it returns for the history. Reading
    it mostly waits on git, which can work while the build reads the workspace. (A
    thread that ends once it has read: none is left idle when the build forks, see
    aside.)"""
    found: Future[History] = Future()

    def reading() -> None:
        try:
            found.set_result(read(root))
        except BaseException as error:  # raised where the history is asked for
            found.set_exception(error)

    threading.Thread(target=reading, name="followup-history", daemon=True).start()
    return found.result


@functools.lru_cache(maxsize=4)
def _commits(root: Path, head: str) -> dict[str, list[Commit]]:
    """Every file's commits up to head: kept in this process (watch asks at every save)
    and in the cache, as they never change once committed."""
    commits = _cached(root, head)
    if commits is None:
        log = _git(
            root, "log", "-z", "-M", "--relative", "--name-status", f"--format={_FIELDS}", "--", "."
        )
        commits = parse_log(log or "")
        _store(root, head, commits)
    return commits


def parse_log(log: str) -> dict[str, list[Commit]]:
    """`git log -z -M --name-status` output, as each file's commits under its current name."""
    found: dict[str, list[Commit]] = defaultdict(list)
    now_called: dict[str, str] = {}  # a name a file had in older commits -> its name now
    for record in log.split("\x1e")[1:]:
        header, _, changes = record.partition("\n")
        full, short, at, author, subject = header.rstrip("\x00").split("\x1f", 4)
        commit = Commit(full, short, datetime.fromisoformat(at), author, subject)
        parts = [p for p in changes.strip("\n\x00").split("\x00") if p]
        index = 0
        while index < len(parts):
            status = parts[index].strip()
            if status[:1] in ("R", "C"):
                old, new = parts[index + 1], parts[index + 2]
                index += 3
                current = now_called.get(new, new)
                found[current].append(commit)
                if status[0] == "R":
                    now_called[old] = current
            else:
                path = parts[index + 1]
                index += 2
                found[now_called.get(path, path)].append(commit)
    return dict(found)


def _changed(status: str, prefix: str) -> frozenset[str]:
    """Paths `git status --porcelain -z` lists (from the repository's root, so the
    workspace's own prefix is taken off): changed, added or new since the last commit."""
    paths, entries, index = set(), status.split("\x00"), 0
    while index < len(entries):
        entry = entries[index]
        index += 1
        if len(entry) < 4:
            continue
        paths.add(entry[3:].removeprefix(prefix))
        if entry[0] in ("R", "C"):
            index += 1  # the old name follows
    return frozenset(paths)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:  # no git on this machine
        return None
    return done.stdout if done.returncode == 0 else None


def _cached(root: Path, head: str) -> dict[str, list[Commit]] | None:
    """The commits as stored: each once, and each file's as their hashes, so that a file
    shares its commits with the others as when read from git (a commit of 12,500 files
    is one object, not 12,500; at N=2000, reading them took 49 ms,
    against 11 to 21 ms). Not under "commits", where the cache held each file's commits
    before: a followup from before 22 November 2026 failed on this form, and now finds
    no commits there and reads the log again."""
    try:
        stored = json.loads((root / CACHE).read_text(encoding="utf-8"))
        if stored["head"] != head:
            return None
        by_hash = {
            c["hash"]: Commit(**{**c, "at": datetime.fromisoformat(c["at"])})
            for c in stored["each"]
        }
        return {path: [by_hash[h] for h in hashes] for path, hashes in stored["files"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, old or broken: read it again


def _store(root: Path, head: str, commits: dict[str, list[Commit]]) -> None:
    every = {c.hash: c for entries in commits.values() for c in entries}
    data = {
        "head": head,
        "each": [{**asdict(c), "at": c.at.isoformat()} for c in every.values()],
        "files": {path: [c.hash for c in entries] for path, entries in commits.items()},
    }
    # Written whole, then renamed into place: two reads of the history (watch's of two
    # saves) may store it at once, and a build that stops on an error does not wait.
    try:
        (root / CACHE).parent.mkdir(exist_ok=True)
        with store.replaced(root / CACHE) as file:
            file.write(json.dumps(data).encode("utf-8"))
    except OSError:
        pass  # a read-only workspace builds without the cache
