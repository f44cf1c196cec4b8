"""The commands that add records or carry them elsewhere: import, export, schema and new.

Each parses, calls its library module and prints; the modules load lazily, inside the
commands, so that `followup --help` stays instant.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from followup.schema import CHANNELS, INTERVIEW_KINDS, SIZES, STATUSES

if TYPE_CHECKING:
    from followup.cli import Context
    from followup.importing import Person
    from followup.newfile import NewFile
    from followup.problems import Problem

F = TypeVar("F", bound=Callable[..., Any])


@click.group("import")
def import_() -> None:
    """Add contacts from an address book or LinkedIn: each new person once, as a new file.

    A person already there (same email, or same name) is left as they are, so running an
    import twice changes nothing. Their companies are added when missing.
    """


def _dry_run(function: F) -> F:
    return click.option(
        "--dry-run", is_flag=True, help="Show what would be added, and write nothing."
    )(function)


@import_.command("vcard")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_dry_run
@click.pass_obj
def import_vcard(obj: Context, files: tuple[Path, ...], dry_run: bool) -> None:
    """Add the people in vCard files (.vcf) from Google, Apple or any address book."""
    from followup import vcard
    from followup.problems import Problem

    people: list[Person] = []
    problems: list[Problem] = []
    for file in files:
        try:
            raw = obj.path(file).read_bytes()
        except OSError as error:
            problems.append(Problem(str(file), 1, 1, "error", _unreadable(error)))
            continue
        found, trouble = vcard.read(str(file), raw)
        people += found
        problems += trouble
    _import(obj, people, problems, dry_run, len(files))


@import_.command("linkedin")
@click.argument("file", type=click.Path(path_type=Path))
@_dry_run
@click.pass_obj
def import_linkedin(obj: Context, file: Path, dry_run: bool) -> None:
    """Add your LinkedIn connections, from Connections.csv in LinkedIn's data export."""
    from followup import linkedin, load

    text, problem = load.read_text(obj.directory, str(file))
    people, problems = linkedin.read(str(file), text) if text is not None else ([], [])
    _import(obj, people, [problem] if problem else problems, dry_run, 1)


def _import(
    obj: Context, people: list[Person], problems: list[Problem], dry_run: bool, files: int
) -> None:
    from followup import agenda, importing
    from followup.cli import INVALID
    from followup.phrases import plural
    from followup.problems import has_errors

    root = obj.root()
    for line in agenda.problem_lines(problems):
        click.echo(line, err=True)
    if has_errors(problems):
        click.echo("Nothing was imported: fix the errors above and run it again.", err=True)
        sys.exit(INVALID)
    plan = importing.plan(root, people)
    for line in agenda.problem_lines(plan.problems):
        click.echo(line, err=True)
    appeared = set() if dry_run else set(importing.apply(root, plan))
    for step in plan.steps:
        if step.action == "exists":
            click.echo(f"kept    {step.path} ({step.what} is there already: {step.why})")
        elif step.path in appeared:
            click.echo(f"kept    {step.path} (it appeared while importing: run it again)")
        else:
            click.echo(f"{'would create' if dry_run else 'created'} {step.path} ({step.what})")
    added = [s for s in plan.steps if s.action == "add" and s.path not in appeared]
    contacts = sum(s.path.startswith("data/contacts/") for s in added)
    companies = len(added) - contacts
    there = sum(s.action == "exists" for s in plan.steps)
    skipped = sum(p.severity == "warning" for p in problems)
    counts = (
        f"{plural(contacts, 'contact')} and {companies} compan{'y' if companies == 1 else 'ies'}"
        f" from {plural(files, 'file')}; {there} already there, {skipped} skipped"
    )
    if dry_run:
        click.echo(f"Dry run: would add {counts}. Nothing was written.")
    else:
        click.echo(f"Added {counts}.")


@click.group()
def export() -> None:
    """Write records out for other programs."""


@export.command("vcard")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file.  [default: standard output]",
)
@click.pass_obj
def export_vcard(obj: Context, out: Path | None) -> None:
    """Every contact as a vCard 3.0, with a UID that stays the same from one export to the next,
    so that an address book updates its cards instead of adding them again."""
    from followup import agenda, vcard, workspace
    from followup.cli import INVALID
    from followup.phrases import plural
    from followup.problems import has_errors

    root = obj.root()
    records, problems = workspace.read(root)
    if has_errors(problems):
        for line in agenda.problem_lines(problems):
            click.echo(line, err=True)
        click.echo("Nothing was exported: fix the errors above.", err=True)
        sys.exit(INVALID)
    text = vcard.write(records)
    if out is None:
        click.echo(text, nl=False)
        return
    target = _outside_data(root, obj.path(out), "--out")
    staged = target.with_name(f".{target.name}.tmp")
    try:
        staged.write_bytes(text.encode("utf-8"))
        staged.replace(target)
    except OSError as error:
        raise click.ClickException(f"{out}: {_unreadable(error, 'written')}") from None
    click.echo(f"Wrote {plural(len(records.contacts), 'contact')} to {out}", err=True)


@click.command("schema")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write them into this folder.  [default: schemas/ in the workspace]",
)
@click.pass_obj
def schema(obj: Context, out: Path | None) -> None:
    """Write a JSON Schema for each kind of file, so that editors check them as you type.

    The files followup writes start with a comment that points at these, in schemas/
    beside data/: '# yaml-language-server: $schema=../../schemas/contact.schema.json'.
    """
    from followup import json_schemas
    from followup.workspace import NoWorkspace, find_root

    if out is None:
        target = obj.root() / json_schemas.FOLDER
    else:
        target = obj.path(out)
        with contextlib.suppress(NoWorkspace):  # outside a workspace, any folder will do
            _outside_data(find_root(obj.directory), target, "--out")
    try:
        written = json_schemas.write(target)
    except OSError as error:
        raise click.ClickException(f"{target}: {_unreadable(error, 'written')}") from None
    from followup.cli import shown

    for path, changed in written:
        click.echo(f"{'wrote    ' if changed else 'unchanged'} {shown(path)}")


def _outside_data(root: Path, target: Path, option: str) -> Path:
    """Refuse a target under data/: only records live there."""
    try:
        target.resolve().relative_to((root / "data").resolve())
    except ValueError:
        return target
    raise click.BadParameter("nothing but records is written under data/", param_hint=option)


def _unreadable(error: OSError, done: str = "read") -> str:
    return f"cannot be {done}: {error.strerror or error}"


@click.group()
def new() -> None:
    """Add a record file, with a free file name and the required keys filled in.

    Every value is checked as `check` would, before anything is written; an existing file
    is never overwritten.
    """


def _common(function: F) -> F:
    function = click.option(
        "--edit", is_flag=True, help="Open the new file in $EDITOR, then check it."
    )(function)
    return click.option(
        "--slug",
        metavar="SLUG",
        help="The file's name, without its ending.  [default: made from the name]",
    )(function)


def _many(values: Iterable[str]) -> list[str]:
    """Repeated options, each maybe a comma-separated list: --with a --with b,c."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@new.command("contact")
@click.argument("name")
@click.option("--title", help="Their job title.")
@click.option("--company", metavar="SLUG", help="Where they work: a company's slug.")
@click.option("--email")
@click.option("--phone")
@click.option("--address", help="Their postal address; '\\n' between lines.")
@click.option("--prefers", type=click.Choice(CHANNELS), help="The way that reaches them best.")
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more.")
@_common
@click.pass_obj
def new_contact(obj: Context, /, name: str, edit: bool, **options: Any) -> None:
    """Add a person.

    \b
    followup new contact "Dana Reyes" --company acme --email dana@acme.example
    """
    from followup import new as make

    if options["address"]:
        options["address"] = options["address"].replace("\\n", "\n")
    options["tags"] = _many(options["tags"])
    _made(obj, edit, lambda root: make.contact(root, name, **options))


@new.command("company")
@click.argument("name")
@click.option("--website", metavar="URL")
@click.option("--size", type=click.Choice(SIZES))
@click.option("--tag", "tags", multiple=True, help="A tag; repeat for more.")
@_common
@click.pass_obj
def new_company(obj: Context, /, name: str, edit: bool, **options: Any) -> None:
    """Add a company.

    \b
    followup new company "Acme" --website https://acme.example --size small
    """
    from followup import new as make

    options["tags"] = _many(options["tags"])
    _made(obj, edit, lambda root: make.company(root, name, **options))


@new.command("application")
@click.argument("company")
@click.argument("role")
@click.option(
    "--status", type=click.Choice(STATUSES), help="[default: applied with --applied, else lead]"
)
@click.option("--applied", metavar="DATE", help="When I applied: YYYY-MM-DD.")
@click.option("--contact", metavar="SLUG", help="My main point of contact.")
@click.option("--referred-by", metavar="SLUG", multiple=True, help="Who referred me; repeatable.")
@click.option("--reference", "references", metavar="SLUG", multiple=True, help="Repeatable.")
@click.option("--link", metavar="URL", help="The job posting.")
@_common
@click.pass_obj
def new_application(obj: Context, /, company: str, role: str, edit: bool, **options: Any) -> None:
    """Add a job opening I pursue, at a company already in data/companies/.

    \b
    followup new application acme "Backend Engineer" --applied 2026-11-02
    """
    from followup import new as make

    options["referred_by"] = _many(options["referred_by"])
    options["references"] = _many(options["references"])
    _made(obj, edit, lambda root: make.application(root, company, role, **options))


@new.command("interview")
@click.argument("application")
@click.option("--at", required=True, metavar="T", help="When it starts: YYYY-MM-DD HH:MM.")
@click.option("--duration", metavar="D", help="How long: 45m, 1h ...  [default: 1h]")
@click.option("--kind", type=click.Choice(INTERVIEW_KINDS))
@click.option(
    "--with",
    "interviewers",
    metavar="SLUG",
    multiple=True,
    help="An interviewer; repeat, or separate with commas.",
)
@click.option("--also-met", metavar="SLUG", multiple=True, help="Someone else I met there.")
@_common
@click.pass_obj
def new_interview(obj: Context, /, application: str, edit: bool, **options: Any) -> None:
    """Add an interview, with a notes section for each interviewer.

    \b
    followup new interview acme-backend --at "2026-11-25 14:00" --with dana-reyes
    """
    from followup import new as make

    options["interviewers"] = _many(options["interviewers"])
    options["also_met"] = _many(options["also_met"])
    at = options.pop("at")
    _made(obj, edit, lambda root: make.interview(root, application, at, **options))


def _made(obj: Context, edit: bool, make: Callable[[Path], tuple[NewFile, list[Problem]]]) -> None:
    from followup import agenda, new
    from followup.cli import INVALID
    from followup.problems import has_errors

    root = obj.root()
    try:
        file, warnings = make(root)
    except new.Refused as refused:
        raise click.UsageError(str(refused)) from None
    except FileExistsError as error:
        raise click.ClickException(f"{error.filename} appeared meanwhile; it is kept") from None
    click.echo(f"created {file.path}")
    for line in agenda.problem_lines(warnings):
        click.echo(line, err=True)
    if not edit:
        return
    click.edit(filename=str(root / file.path))
    problems = new.problems_now(root, file)
    for line in agenda.problem_lines(problems):
        click.echo(line, err=True)
    if has_errors(problems):
        click.echo(f"{file.path} is kept as you saved it: fix the errors above.", err=True)
        sys.exit(INVALID)
