"""The proof of job search that unemployment agencies ask for: what I did, and when.

Applications made, interviews held and follow-ups sent in a period, each with
its date, the employer and the people, from the records (not from git: what
happened, not when it was written down).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from followup.clock import day_start
from followup.model import Records
from followup.phrases import plural

_DID = {
    "thank-you": "Thank-you note",
    "call": "Call",
    "message": "Message",
    "meeting": "Meeting",
}
COLUMNS = ("Date", "Time", "What", "Employer", "Job", "With", "How", "Note")


@dataclass(frozen=True, slots=True)
class Row:
    at: datetime  # local
    what: str
    employer: str
    job: str
    people: str
    how: str = ""
    note: str = ""
    timed: bool = True  # False for a date without a time, like `applied`
    kind: str = "follow-up"  # application, interview or follow-up: what counts() counts

    def cells(self) -> tuple[str, ...]:
        time = self.at.strftime("%H:%M") if self.timed else ""
        values = (self.what, self.employer, self.job, self.people, self.how, self.note)
        return (self.at.date().isoformat(), time, *values)


def rows(records: Records, start: date, end: date, now: datetime) -> list[Row]:
    """Everything I did from start to end, both days included, up to now, in time order."""
    return rows_until(records, start, end, now)[0]


def rows_until(
    records: Records, start: date, end: date, now: datetime
) -> tuple[list[Row], datetime | None]:
    """rows, and when the first thing from start to end that is still to come comes
    (a row from then on); None if nothing is."""
    zone = records.settings.zone
    found = []
    later: datetime | None = None

    def within(moment: datetime) -> bool:
        nonlocal later
        if not start <= moment.astimezone(zone).date() <= end:
            return False
        if moment > now:
            later = moment if later is None else min(later, moment)
            return False
        return True

    for app in records.applications.values():
        if app.applied and start <= app.applied <= end and within(day_start(app.applied, zone)):
            at = datetime.combine(app.applied, datetime.min.time())
            employer = records.company_name(app.company)
            found.append(
                Row(at, "Application", employer, app.role, "", timed=False, kind="application")
            )
    for interview in records.interviews.values():
        held = records.applications.get(interview.application)
        if held is None or not within(interview.at):
            continue
        people = ", ".join(records.name_of(p) for p in interview.interviewers)
        found.append(
            Row(
                interview.at.astimezone(zone).replace(tzinfo=None),
                interview.name.capitalize(),
                records.company_name(held.company),
                held.role,
                people,
                kind="interview",
            )
        )
    for activity in records.activities():
        if activity.did not in _DID or not within(activity.on):
            continue
        about = records.applications.get(activity.application or "")
        found.append(
            Row(
                activity.on.astimezone(zone).replace(tzinfo=None),
                _DID[activity.did],
                records.company_name(about.company) if about else "",
                about.role if about else "",
                records.name_of(activity.with_) if activity.with_ else "",
                activity.via or "",
                activity.note,
            )
        )
    return sorted(found, key=lambda r: (r.at, r.what)), later


def counts(found: list[Row]) -> dict[str, int]:
    return {
        "applications": sum(r.kind == "application" for r in found),
        "interviews": sum(r.kind == "interview" for r in found),
        "follow-ups": sum(r.kind == "follow-up" for r in found),
    }


def markdown(records: Records, found: list[Row], start: date, end: date) -> str:
    me = records.settings.me
    numbers = counts(found)
    lines = [
        f"# Job search activity: {start.isoformat()} to {end.isoformat()}",
        "",
        f"{me.name}" + (f" <{me.email}>" if me.email else ""),
        "",
        f"{plural(numbers['applications'], 'application')}, "
        f"{plural(numbers['interviews'], 'interview')}, "
        f"{plural(numbers['follow-ups'], 'follow-up')}.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row.cells()) + " |" for row in found]
    return "\n".join(lines) + "\n"


def csv_text(found: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(row.cells() for row in found)
    return out.getvalue()


def _cell(text: str) -> str:
    """A Markdown table cell: pipes escaped, lines joined."""
    return " ".join(text.split()).replace("|", "\\|")
