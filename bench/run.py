"""Time the build on a large synthetic workspace, against the floor.

    python bench/run.py [--applications 2000]

The floor is one process that reads every file, parses it with libyaml,
renders its Markdown with one MarkdownIt, renders one small Jinja page and
writes it: what any build must do at the least. Each build is timed in a
fresh process (as a user runs it) and printed as a ratio to the floor, with
the CPU time it took (its own and its second process's, if any), which a
shared machine moves less than the wall time. The one-file rebuild is timed
again with another file the next morning, as the clock moves between a
user's builds. A large build's state is written
by a copy of it that outlives the command (followup/resume.py): how long that
runs on, and its peak memory, are shown apart, and the next command waits for
it to end (a build run at once would wait for it too).
Last, under a running `followup watch`: the time from saving a contact's new
title to its page showing it (the median of three saves), and the same for a
save made a second after the last one's page showed. The floor is timed
first and again last, and the faster of the two is the one the ratios are to:
on a shared machine the same program's time moves with the hour, and the
faster floor never flatters a build.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

FLOOR = r"""
import sys, time, yaml
from pathlib import Path
from jinja2 import Environment
from markdown_it import MarkdownIt
root, out = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
md = MarkdownIt("js-default")
page = Environment(autoescape=True).from_string("<h1>{{ t }}</h1>{{ body }}")
out.mkdir(parents=True, exist_ok=True)
for i, path in enumerate(sorted((root / "data").rglob("*.*"))):
    text = path.read_text(encoding="utf-8")
    front, _, body = text.partition("\n---\n") if text.startswith("---") else (text, "", "")
    yaml.load(front.lstrip("-"), Loader=yaml.CSafeLoader)
    html = md.render(body)
    (out / f"{i}.html").write_text(page.render(t=path.stem, body=html))
print(time.perf_counter() - started)
"""


class Timed(NamedTuple):
    seconds: float  # wall time
    cpu: float  # user and system time of the command and the processes it waited for
    peak: int  # peak memory of any one of them, in MB
    #: A copy of the build that lives on to write its state (see followup/resume.py):
    #: how long it ran on after the command ended, and its peak memory in MB.
    writing: float = 0.0
    writer_peak: int = 0


def compile_followup() -> None:
    """followup's bytecode, written first, as pip writes it as it installs a package.
    Where Python may not write it (PYTHONDONTWRITEBYTECODE, set in this project's
    development machines), every command timed compiled followup's code anew: 0.08 to
    0.13 s of each, which no user's command spends. (In a new process, as the commands
    timed find followup: from the current folder first.)"""
    subprocess.run([sys.executable, "-c", _COMPILE], check=True)


_COMPILE = (
    "import compileall, os, followup\n"
    "compileall.compile_dir(os.path.dirname(followup.__file__), quiet=1)"
)


def timed(command: list[str]) -> Timed:
    """A command run in a fresh process, and what it leaves running till that ends."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    writing, writer_peak = left_running(command)
    peak = max(after.ru_maxrss, before.ru_maxrss) // 1024
    return Timed(seconds, cpu, peak, writing, writer_peak)


def left_running(command: list[str]) -> tuple[float, int]:
    """How long the copies of command left running go on (a copy has the same command
    line), and their peak memory in MB: watched in /proc till they end (Linux only)."""
    wanted = b"".join(part.encode() + b"\0" for part in command)
    started, peak = time.perf_counter(), 0
    while True:
        running = False
        for pid in filter(str.isdigit, os.listdir("/proc")) if os.path.isdir("/proc") else ():
            try:
                if Path(f"/proc/{pid}/cmdline").read_bytes() != wanted:
                    continue
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            if found := re.search(r"VmHWM:\s+(\d+)", status):  # (none once it is a zombie)
                running, peak = True, max(peak, int(found[1]) // 1024)
        if not running:
            return (time.perf_counter() - started if peak else 0.0), peak
        time.sleep(0.005)


def edit_to_site(followup: list[str], root: Path, saves: int = 3) -> tuple[float, float]:
    """Median seconds from saving a contact's new title to its page showing it, under
    watch: each save as soon as the last one's page showed, then each a second later, as
    a user saves again who mends what the page showed (watch is busy with what it does
    at a quiet moment then)."""
    site = root / "site"
    watching = subprocess.Popen(
        [*followup, "-C", str(root), "watch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    seconds = []
    try:
        assert watching.stdout is not None
        for line in watching.stdout:
            if "first build" in line:
                break
        else:
            sys.exit("followup watch stopped before its first build")
        for i in range(2 * saves):
            if i >= saves:
                time.sleep(1.0)
            contact = root / f"data/contacts/person-{i + 2}.yaml"
            page = site / f"contacts/person-{i + 2}.html"
            title = f"Engineer {i}"
            before = contact.read_text()
            if "title: Engineer\n" not in before or title in _text(page):  # timed before
                sys.exit(f"{contact} was edited: time a workspace fresh from generate.py")
            text = before.replace("title: Engineer\n", f"title: {title}\n")
            started = time.perf_counter()
            contact.write_text(text)
            while title not in _text(page):
                if time.perf_counter() - started > 600:
                    sys.exit("followup watch did not rebuild the site within 10 minutes")
                time.sleep(0.002)
            seconds.append(time.perf_counter() - started)
    finally:
        watching.send_signal(signal.SIGINT)
        try:
            watching.wait(timeout=30)
        except subprocess.TimeoutExpired:  # it has hung on Ctrl-C before: do not wait forever
            watching.kill()
            watching.wait()
    return statistics.median(seconds[:saves]), statistics.median(seconds[saves:])


def _text(page: Path) -> str:
    try:
        return page.read_text()
    except FileNotFoundError:  # between the two renames of a whole site's swap
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=2000)
    args = parser.parse_args()
    followup = [sys.executable, "-m", "followup"]
    compile_followup()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "ws"
        files = generate(root, args.applications)
        print(f"workspace: {files} files ({args.applications} applications)")
        floors = [timed([sys.executable, "-c", FLOOR, str(root), str(Path(tmp) / "floor")])]
        build = [*followup, "-C", str(root), "build", "--now", "2026-11-21 12:00"]
        cold = timed(build)
        noop = timed(build)
        contact = root / "data/contacts/person-1.yaml"
        contact.write_text(
            contact.read_text() + "title: Staff Engineer\n".replace("title", "phone")
        )
        one = timed(build)
        other = root / "data/contacts/person-9.yaml"  # (watch edits 2 to 4)
        other.write_text(other.read_text().replace("title: Engineer", "title: Staff Engineer"))
        next_day = timed([*build[:-1], "2026-11-22 09:00"])  # (as between a user's builds)
        help_seconds = timed([*followup, "--help"]).seconds
        watch, watch_later = edit_to_site(followup, root)
        floors.append(timed([sys.executable, "-c", FLOOR, str(root), str(Path(tmp) / "again")]))
        floor = min(floors, key=lambda run: run.seconds)
        for name, run in [
            ("floor", floor),
            ("cold build", cold),
            ("no-op build", noop),
            ("one-file rebuild", one),
            ("...the next day", next_day),
        ]:
            ratio = run.seconds / floor.seconds
            print(f"{name:19} {run.seconds:7.2f} s   {ratio:5.2f}x floor   cpu {run.cpu:6.2f} s")
            if run is floor:
                print(f"{'':19} (first {floors[0].seconds:.2f} s, last {floors[1].seconds:.2f} s)")
            if run.writing:
                print(f"{'':19} (its state written {run.writing:.2f} s after it ended)")
        print(f"{'watch: save to site':19} {watch:7.2f} s   {watch / floor.seconds:5.2f}x floor")
        print(f"{'...a second later':19} {watch_later:7.2f} s")
        print(f"{'followup --help':19} {help_seconds * 1000:7.0f} ms")
        runs = (cold, noop, one, next_day)
        print(f"{'peak memory':19} {max(run.peak for run in runs):7d} MB")
        print(f"{'...its state writer':19} {max(run.writer_peak for run in runs):7d} MB")


if __name__ == "__main__":
    main()
