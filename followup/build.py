"""The build, in the order data flows: read and check everything, work out the tasks,
then render and write the site in one swap."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import jinja2

from followup import drafts, ics, proofread, publish, render, report, rules, views
from followup.drafts import Draft
from followup.history import History
from followup.history import read as read_history
from followup.model import Records
from followup.problems import Problem
from followup.rules import Nudge, Task


@dataclass(frozen=True)
class Analysis:
    records: Records
    problems: list[Problem]
    tasks: list[Task]
    nudges: list[Nudge]
    drafts: list[Draft]
    now: datetime

    @property
    def report(self) -> dict[str, object]:
        """What `check --format json` prints and tasks.json holds."""
        return report.as_json(self.records, self.tasks, self.problems, self.nudges, self.now)


class SiteError(Exception):
    """The site could not be rendered or written; the last good one is untouched."""


def analyse(root: Path, records: Records, problems: list[Problem], now: datetime) -> Analysis:
    """Everything check reports and build shows: tasks, drafts, and every problem."""
    tasks = rules.tasks(records, now)
    written, found = _drafts(root, records, tasks)
    return Analysis(
        records=records,
        problems=sorted({*problems, *rules.warnings(records), *found}),
        tasks=tasks,
        nudges=rules.nudges(records),
        drafts=written,
        now=now,
    )


def _drafts(root: Path, records: Records, tasks: list[Task]) -> tuple[list[Draft], list[Problem]]:
    """The note drafts and their proofreading; a broken note template is an error."""
    try:
        written = drafts.drafts(records, tasks, drafts.environment(root))
    except jinja2.TemplateSyntaxError as error:
        where = _template_path(root, error.filename or error.name or "a template")
        return [], [Problem(where, error.lineno, 1, "error", error.message or "invalid template")]
    except jinja2.TemplateError as error:
        return [], [Problem("templates/notes", 1, 1, "error", str(error))]
    return written, proofread.proofread(records, written, proofread.words_file(root))


def site_files(root: Path, analysis: Analysis, history: History) -> dict[str, bytes]:
    """Every file of the site, by its path in it."""
    pages = views.pages(
        analysis.records,
        analysis.tasks,
        analysis.problems,
        analysis.nudges,
        analysis.drafts,
        analysis.now,
        history,
    )
    try:
        files = render.render(render.environment(root), pages)
    except jinja2.TemplateSyntaxError as error:
        where = _template_path(root, error.filename or error.name or "a template")
        raise SiteError(f"{where}:{error.lineno}:1: {error.message}") from None
    except (jinja2.TemplateError, render.DuplicateOutput) as error:
        raise SiteError(f"templates: {error}") from None
    files["tasks.json"] = (
        json.dumps(analysis.report, indent=2, ensure_ascii=False) + "\n"
    ).encode()
    files["calendar.ics"] = ics.calendar(analysis.records, analysis.tasks)
    for draft in analysis.drafts:
        files[f"{draft.path}.md"] = draft.text.encode("utf-8")
        files[f"{draft.path}.eml"] = drafts.eml(draft, analysis.records)
    return files


def write_site(root: Path, out: Path, analysis: Analysis, history: History | None = None) -> int:
    """Render and swap in the new site; the number of files written."""
    try:
        publish.check_output(root, out)
        files = site_files(root, analysis, history or read_history(root))
        publish.publish(out, files)
    except (publish.UnsafeOutput, OSError) as error:
        raise SiteError(str(error)) from None
    return len(files)


def _template_path(root: Path, name: str) -> str:
    path = Path(name)
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return name
