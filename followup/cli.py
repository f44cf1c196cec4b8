"""The command line: parse, call the library, print. Modules load lazily so --help is instant."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from collections.abc import Callable

    from followup.build import Analysis
    from followup.history import History
    from followup.model import Records
    from followup.resume import State
    from followup.uptodate import Done

#: Exit codes. check: 0 nothing overdue, 1 something overdue, 2 a data file is invalid.
#: The rest are the BSD sysexits, so that a script never mistakes one for those three.
OK, OVERDUE, INVALID = 0, 1, 2
USAGE, NO_WORKSPACE, INTERNAL = 64, 66, 70


class InternalError(click.ClickException):
    exit_code = INTERNAL


class NoWorkspaceError(click.ClickException):
    exit_code = NO_WORKSPACE


class UsageError(click.UsageError):
    exit_code = USAGE

    @classmethod
    def of(cls, error: click.UsageError) -> UsageError:
        return cls(error.format_message(), error.ctx)


class _Group(click.Group):
    """Gives usage mistakes their own exit code, and turns a fault of followup's own
    into one line instead of a traceback (FOLLOWUP_DEBUG=1 shows the traceback)."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except UsageError:
            raise
        except click.UsageError as error:
            raise UsageError.of(error) from None

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError:
            raise
        except click.UsageError as error:
            raise UsageError.of(error) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as error:
            if os.environ.get("FOLLOWUP_DEBUG"):
                raise
            raise InternalError(
                f"internal error ({type(error).__name__}: {error}). Please report it with the "
                "command you ran; FOLLOWUP_DEBUG=1 shows the details."
            ) from error


class Context:
    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def root(self) -> Path:
        from followup.workspace import NoWorkspace, find_root

        try:
            return find_root(self.directory)
        except NoWorkspace as error:
            raise NoWorkspaceError(str(error)) from None

    def path(self, path: Path) -> Path:
        """A path given on the command line, read from the folder -C names."""
        return self.directory / path


NOW_HELP = "Fix the clock: 'YYYY-MM-DD HH:MM' on the workspace's clock, or ISO 8601 with an offset."


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "-C",
    "directory",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    help="Run as if started in this folder.",
)
@click.version_option(package_name="followup")
@click.pass_context
def main(ctx: click.Context, directory: Path) -> None:
    """Every follow-up of your job search, worked out from plain files.

    Keep contacts, applications and interviews as YAML and Markdown under
    data/; followup works out every deadline the advice calls for.
    """
    ctx.obj = Context(directory)
    # A build makes hundreds of thousands of objects that live until it ends (documents,
    # records, page contexts): at the collector's default pace it scans them all over and
    # again, a third of a large rebuild. Nothing is lost: it still runs, less often.
    gc.set_threshold(10_000, 10, 10)


@main.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def init(obj: Context, directory: Path | None) -> None:
    """Make a new workspace with example files; never overwrites a file.

    In a workspace that already has records, only what is missing of settings.yaml and
    .gitignore is written: no example records join yours.
    """
    from followup.example import create

    target = obj.path(directory) if directory is not None else obj.directory
    written, kept = create(target)
    for path in written:
        click.echo(f"created {path}")
    for path in kept:
        click.echo(f"kept    {path} (already there)")
    there = "" if target.resolve() == Path.cwd().resolve() else f"cd {target} && "
    click.echo(f"\nNext: {there}followup check")


@main.command()
@click.option("--now", "now_text", metavar="T", help=NOW_HELP)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="An agenda to read, or JSON for other programs.",
)
@click.option("--all", "show_done", is_flag=True, help="List done tasks too.")
@click.pass_obj
def check(obj: Context, now_text: str | None, output: str, show_done: bool) -> None:
    """List what is overdue, due now and coming up, and every problem in the files.

    Exits 0 when nothing is overdue, 1 when something is, 2 when a file is invalid
    (64: a mistake on the command line; 66: no workspace here).
    """
    from followup import agenda
    from followup.problems import has_errors

    result = _analyse(obj, now_text)
    if output == "json":
        click.echo(result.report())
    else:
        text = agenda.text(
            result.records, result.tasks, result.problems, result.nudges, result.now,
            show_done=show_done,
        )  # fmt: skip
        click.echo(text)
    if has_errors(result.problems):
        sys.exit(INVALID)
    sys.exit(OVERDUE if any(t.status == "overdue" for t in result.tasks) else OK)


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site.  [default: site/ in the workspace]",
)
@click.option("--now", "now_text", metavar="T", help=NOW_HELP)
@click.pass_obj
def build(obj: Context, out: Path | None, now_text: str | None) -> None:
    """Check every file, work out every follow-up, and write the site.

    On any error the last good site stays exactly as it was.
    """
    import time

    from followup import uptodate
    from followup.history import read_soon

    started = time.perf_counter()
    root = obj.root()
    target = obj.path(out) if out is not None else root / "site"
    history = read_soon(root)  # git works while the workspace is read
    # With a fixed clock, inputs that have not changed make the site that is there.
    found = uptodate.inputs(root, target, now_text, history()) if now_text is not None else None
    done = uptodate.last(root, found[0], target) if found is not None else None
    if done is None:
        done = _build(root, now_text, target, history, found[0] if found else "")
        if found is not None:
            uptodate.record(root, done, found[1])
    else:
        for line in done.messages:
            click.echo(line, err=True)
        _shallow(history().shallow)
    seconds = time.perf_counter() - started
    click.echo(
        f"Built {shown(target)}: {done.files} files, {done.overdue} overdue, "
        f"{done.due} due now ({seconds:.2f} s). Open {shown(target / 'index.html')}"
    )


def _build(
    root: Path, now_text: str | None, target: Path, history: Callable[[], History], inputs: str
) -> Done:
    from followup import resume

    state = resume.load(root, target)  # all the last build kept, for this one to go on from
    if _until_exit is not None:
        _until_exit.append(state)  # (see run)
    try:
        return _build_from(root, now_text, target, history, inputs, state)
    finally:
        if _until_exit is None:
            gc.unfreeze()  # (for a caller that goes on: the tests)


def _build_from(
    root: Path,
    now_text: str | None,
    target: Path,
    history: Callable[[], History],
    inputs: str,
    state: State,
) -> Done:
    from followup import agenda, report, resume, uptodate
    from followup.build import SiteError, analyse, write_site
    from followup.problems import has_errors
    from followup.workspace import read

    last = state.memory.site.records if state.memory.site else None
    records, problems = read(root, cache=state.cache, last=last)
    result = analyse(root, records, problems, moment(now_text, records), state.kept)
    messages = agenda.problem_lines(result.problems)
    if result.problems:
        messages.append(agenda.problem_count(result.problems))
    for line in messages:
        click.echo(line, err=True)
    if has_errors(result.problems):
        click.echo("Build failed: fix the errors above; the last good site is unchanged.", err=True)
        sys.exit(INVALID)
    _shallow(history().shallow)
    try:
        made = write_site(
            root, target, result, history(), state.memory, save=False, kept=state.kept
        )
    except SiteError as error:
        click.echo(click.style(str(error), fg="red"), err=True)
        click.echo(f"Build failed; {error.outcome}.", err=True)
        sys.exit(INVALID)
    state.memory = made
    state.kept.turn()
    resume.save(root, target, state)
    count = len(made.keys)
    groups = report.sections(result.tasks, result.now)
    site = uptodate.site(target)
    return uptodate.Done(inputs, site, tuple(messages), count, len(groups.overdue), len(groups.due))


def _shallow(shallow: bool) -> None:
    if shallow:
        click.echo(
            click.style("warning: this is a shallow clone, so the history on each page is cut "
                        "short; 'git fetch --unshallow' brings all of it", fg="yellow"),
            err=True,
        )  # fmt: skip


@main.command()
@click.option("--serve", "serving", is_flag=True, help="Also serve the site; its pages reload.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Where to serve it.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--poll", is_flag=True, help="Poll for changes (network drives, some containers).")
@click.option("--open", "browse", is_flag=True, help="Open the site in your web browser.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site.  [default: site/ in the workspace]",
)
@click.pass_obj
def watch(
    obj: Context, serving: bool, host: str, port: int, poll: bool, browse: bool, out: Path | None
) -> None:
    """Rebuild the site after every save of data/ or templates/, until Ctrl-C.

    A save with errors lists them and keeps the last good site. With --serve, pages
    opened from the server reload themselves after each rebuild, and show the errors
    of a failed one. Exits 64 when it cannot start (a port in use, an --out it must not
    replace).
    """
    from followup import watch as watching

    root = obj.root()
    target = obj.path(out) if out is not None else root / "site"
    address = (host, port) if serving else None
    try:
        watching.main(root, target, poll=poll, address=address, browse=browse)
    except watching.CannotStart as error:
        click.echo(f"followup watch: {error}", err=True)
        sys.exit(USAGE)


def _analyse(obj: Context, now_text: str | None) -> Analysis:
    from followup.build import analyse
    from followup.workspace import read

    root = obj.root()
    records, problems = read(root)
    return analyse(root, records, problems, moment(now_text, records))


def shown(path: Path) -> str:
    """A path as the user would type it: from here when it is below here."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def moment(text: str | None, records: Records, option: str = "--now") -> datetime:
    """A moment from the command line on the workspace's clock; now when none is given."""
    from followup.clock import parse_datetime

    if text is None:
        return datetime.now(UTC)
    try:
        return parse_datetime(text, records.settings.zone)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint=f"'{option}'") from None


from followup.cli_records import export, import_, new, schema  # noqa: E402

for _command in (import_, export, new, schema):
    main.add_command(_command)

from followup.cli_activity import done, log_, report  # noqa: E402

for _command in (done, log_, report):
    main.add_command(_command)


#: What the program frees only as it ends (see run); None when main is called by another
#: program, such as the tests, which goes on after it.
_until_exit: list[object] | None = None


def run() -> None:
    """The program (`followup`, `python -m followup`): main, then an end that does not
    free one by one the 1.7 million objects a large build holds, as mypy ends. Freed as
    the build returned, the state it went on from took a one-file rebuild at N=2000 0.2
    to 0.3 s of some 1.8 s. Nothing of followup's waits for the end of the process: files
    are closed as they are written, and its only thread reads git for the build."""
    global _until_exit
    held: list[object] = []
    _until_exit = held
    try:
        main()
        code: object = OK
    except SystemExit as end:
        code = end.code
    finally:
        _until_exit = None  # (held keeps what main put there, to the end)
    if code is not None and not isinstance(code, int):
        if sys.stderr is not None:
            print(code, file=sys.stderr)  # (as Python's own exit does)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:  # (None: started without it, `>&-`)
            with contextlib.suppress(OSError, ValueError):  # (a reader gone: `| head -1`)
                stream.flush()
    os._exit(code or OK)
