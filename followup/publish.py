"""Writing the site: into a staging folder beside it, then swapped in.

A failed build never touches the last good site, and nothing is written
outside the output folder. A folder followup did not write is never replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

#: Left in every site followup writes, so that only such folders are ever replaced.
MARKER = ".followup-site"


class UnsafeOutput(Exception):
    """The output folder is one that must not be replaced."""


def check_output(root: Path, out: Path) -> None:
    root, out = root.resolve(), out.resolve()
    for keep in (root / "data", root / "templates"):
        if out == keep or keep in out.parents or out in keep.parents:
            raise UnsafeOutput(f"{out} holds or is inside {keep.name}/: choose another --out")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"{out} is a file: choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).exists():
        raise UnsafeOutput(
            f"{out} has files followup did not write: remove them or choose another --out"
        )


def publish(out: Path, files: dict[str, bytes]) -> None:
    """Write files (by relative path) as the new contents of out, all at once."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-new-", dir=out.parent))
    try:
        for rel, content in files.items():
            target = staging.joinpath(*_parts(rel))
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (staging / MARKER).write_text("Written by 'followup build'; safe to delete.\n")
        staging.chmod(0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _parts(rel: str) -> tuple[str, ...]:
    path = PurePosixPath(rel)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UnsafeOutput(f"refusing to write outside the site: {rel}")
    return path.parts


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    old = out.with_name(f".{out.name}-old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
