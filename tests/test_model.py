"""The model: every check of DESIGN section 1, reported as path:line:column: message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from followup import workspace
from followup.cache import DocumentCache
from followup.clock import Duration
from followup.model import Activity, Records, Rules
from followup.problems import Problem

ReadWorkspace = Callable[..., tuple[Records, list[Problem]]]

NEW_YORK = ZoneInfo("America/New_York")

INTERVIEW = """
    ---
    application: acme-backend
    at: 2026-11-18 14:00
    interviewers: [dana-reyes, raj-patel]
    ---
    ## Dana Reyes
    Talked about on-call.
"""


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.fixture
def problems_of(read_workspace: ReadWorkspace) -> Callable[..., list[str]]:
    """problems_of({path: text}) -> every problem as the user reads it."""

    def run(files: dict[str, str | bytes | None], *, base: bool = True) -> list[str]:
        _, problems = read_workspace(files, base=base)
        return [str(p) for p in problems]

    return run


ProblemsOf = Callable[..., list[str]]


def test_the_base_workspace_is_valid(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace()
    assert problems == []
    assert list(records.contacts) == ["dana-reyes", "raj-patel"]
    assert records.applications["acme-backend"].applied == date(2026, 11, 2)
    assert records.contacts["dana-reyes"].prefers == "email"


# --- required fields ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        (
            "data/contacts/pat-lee.yaml",
            "title: Recruiter\n",
            ["data/contacts/pat-lee.yaml:1:1: missing required key 'name'"],
        ),
        (
            "data/companies/globex.yaml",
            "website: https://globex.example\n",
            ["data/companies/globex.yaml:1:1: missing required key 'name'"],
        ),
        (
            "data/applications/globex.yaml",
            "link: https://globex.example/jobs/1\n",
            [
                "data/applications/globex.yaml:1:1: missing required key 'company'",
                "data/applications/globex.yaml:1:1: missing required key 'role'",
                "data/applications/globex.yaml:1:1: missing required key 'status'",
            ],
        ),
        (
            "data/interviews/screen.md",
            "---\nkind: phone\n---\nNotes\n",
            [
                "data/interviews/screen.md:2:1: missing required key 'application'",
                "data/interviews/screen.md:2:1: missing required key 'at'",
            ],
        ),
    ],
)
def test_a_record_without_its_required_keys(
    read_workspace: ReadWorkspace, rel: str, text: str, expected: list[str]
) -> None:
    records, problems = read_workspace({rel: text})
    assert [str(p) for p in problems] == expected
    slug = rel.rsplit("/", 1)[1].split(".")[0]
    groups = (records.contacts, records.companies, records.applications, records.interviews)
    assert not any(slug in group for group in groups)
    assert "dana-reyes" in records.contacts  # the others are still read


def test_an_activity_without_on_or_did(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/contacts/raj-patel.yaml": """
                name: Raj Patel
                log:
                  - did: call
                  - on: 2026-11-20
                  - on: 2026-11-21
                    did: message
            """
        }
    )
    assert [str(p) for p in problems] == [
        "data/contacts/raj-patel.yaml:3:5: missing required key 'on' in log",
        "data/contacts/raj-patel.yaml:4:5: missing required key 'did' in log",
    ]
    assert [a.did for a in records.contacts["raj-patel"].log] == ["message"]


def test_a_required_key_left_blank_is_reported_at_the_key(problems_of: ProblemsOf) -> None:
    problems = problems_of(
        {"data/contacts/pat-lee.yaml": "title: Recruiter\ncompany: acme\nname:\n"}
    )
    assert problems == ["data/contacts/pat-lee.yaml:3:1: name: has no value"]


def test_a_blank_optional_key_is_as_if_it_were_not_there(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {"data/contacts/pat-lee.yaml": "name: Pat Lee\ntitle:\ncompany:\nlog:\n"}
    )
    assert problems == []
    pat = records.contacts["pat-lee"]
    assert (pat.title, pat.company, pat.log) == (None, None, ())


# --- unknown keys ------------------------------------------------------------------------------


def test_unknown_keys_with_did_you_mean(problems_of: ProblemsOf) -> None:
    assert problems_of(
        {
            "data/contacts/raj-patel.yaml": """
                name: Raj Patel
                emial: raj@acme.example
                log:
                  - on: 2026-11-20
                    did: call
                    wiht: dana-reyes
                reference:
                  grantd: 2026-10-02
            """
        }
    ) == [
        "data/contacts/raj-patel.yaml:2:1: unknown key 'emial' (did you mean 'email'?)",
        "data/contacts/raj-patel.yaml:6:5: unknown key 'wiht' (did you mean 'with'?)",
        "data/contacts/raj-patel.yaml:8:3: unknown key 'grantd' (did you mean 'granted'?)",
    ]


def test_unknown_keys_without_a_close_match_list_the_keys(problems_of: ProblemsOf) -> None:
    assert problems_of(
        {
            "data/interviews/x.md": INTERVIEW.replace("    at:", "    mood: great\n    at:"),
            "data/companies/acme.yaml": "name: Acme\nfounded: 1999\n",
        }
    ) == [
        "data/companies/acme.yaml:2:1: unknown key 'founded' "
        "(the keys of a company: name, website, size, tags, notes)",
        "data/interviews/x.md:3:1: unknown key 'mood' "
        "(the keys of an interview: application, at, duration, kind, interviewers, also_met, log)",
    ]


def test_unknown_keys_in_settings(problems_of: ProblemsOf) -> None:
    assert problems_of(
        {
            "data/settings.yaml": """
                me: {name: Sam Taylor, phne: "+1 555 0100"}
                time_zone: America/New_York
                rules:
                  check_in_evry: 7d
            """
        }
    ) == [
        "data/settings.yaml:1:24: unknown key 'phne' (did you mean 'phone'?)",
        "data/settings.yaml:2:1: unknown key 'time_zone' (did you mean 'timezone'?)",
        "data/settings.yaml:4:3: unknown key 'check_in_evry' (did you mean 'check_in_every'?)",
    ]


# --- values of the wrong kind ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        (
            "data/applications/acme-backend.yaml",
            "company: acme\nrole: Backend Engineer\nstatus: intervewing\n",
            "data/applications/acme-backend.yaml:3:9: "
            "status: 'intervewing' is not allowed (did you mean 'interviewing'?)",
        ),
        (
            "data/applications/acme-backend.yaml",
            "company: acme\nrole: Backend Engineer\nstatus: ghosted\n",
            "data/applications/acme-backend.yaml:3:9: status: 'ghosted' is not allowed "
            "(one of lead, applied, interviewing, offer, accepted, rejected, withdrawn, filled)",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nprefers: text\n",
            "data/contacts/raj-patel.yaml:2:10: "
            "prefers: 'text' is not allowed (one of email, mail, card, phone, fax)",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nprefers: e-mail\n",
            "data/contacts/raj-patel.yaml:2:10: "
            "prefers: 'e-mail' is not allowed (did you mean 'email'?)",
        ),
        (
            "data/interviews/x.md",
            "---\napplication: acme-backend\nat: 2026-11-18 14:00\nkind: on-site\n---\n",
            "data/interviews/x.md:4:7: kind: 'on-site' is not allowed (did you mean 'onsite'?)",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nlog:\n  - {on: 2026-11-20, did: call, via: zoom}\n",
            "data/contacts/raj-patel.yaml:3:38: log[0].via: 'zoom' is not allowed "
            "(one of email, mail, card, fax, phone, in-person, other)",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nlog:\n  - {on: 2026-11-20, did: thanks}\n",
            "data/contacts/raj-patel.yaml:3:27: "
            "log[0].did: 'thanks' is not allowed (did you mean 'thank-you'?)",
        ),
        (
            "data/companies/acme.yaml",
            "name: Acme\nsize: medium\n",
            "data/companies/acme.yaml:2:7: size: 'medium' is not allowed (one of small, large)",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: [Raj, Patel]\n",
            "data/contacts/raj-patel.yaml:1:7: name: expected text, found a list",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nemail: raj at acme\n",
            "data/contacts/raj-patel.yaml:2:8: email: 'raj at acme' is not an email address",
        ),
        (
            "data/companies/acme.yaml",
            "name: Acme\nwebsite: acme.example\n",
            "data/companies/acme.yaml:2:10: "
            "website: 'acme.example' is not a web address: start it with https://",
        ),
        (
            "data/companies/acme.yaml",
            "name: Acme\ntags: [big, {x: 1}]\n",
            "data/companies/acme.yaml:2:13: tags: expected text, found a mapping",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nreference: yes\n",
            "data/contacts/raj-patel.yaml:2:12: reference: expected a mapping of keys, found 'yes'",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nlog: {on: 2026-11-20, did: call}\n",
            "data/contacts/raj-patel.yaml:2:6: log: expected a list of activities, "
            "each starting with '- on:', found a mapping",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nlog:\n  - called him\n",
            "data/contacts/raj-patel.yaml:3:5: log: expected a mapping of keys, found 'called him'",
        ),
        (
            "data/settings.yaml",
            "rules: {min_active_applications: two}\n",
            "data/settings.yaml:1:34: rules.min_active_applications: "
            "expected a whole number, like 3, found 'two'",
        ),
        (
            "data/settings.yaml",
            "rules: {min_active_applications: true}\n",
            "data/settings.yaml:1:34: rules.min_active_applications: "
            "expected a whole number, like 3, found 'true'",
        ),
        (
            "data/settings.yaml",
            "me: Sam Taylor\n",
            "data/settings.yaml:1:5: me: expected a mapping of keys, found 'Sam Taylor'",
        ),
        (
            "data/interviews/x.md",
            "---\napplication: acme-backend\nat: true\n---\n",
            "data/interviews/x.md:3:5: at: expected a datetime, found 'true'",
        ),
    ],
)
def test_a_wrong_value_is_reported_at_the_value(
    problems_of: ProblemsOf, rel: str, text: str, expected: str
) -> None:
    assert problems_of({rel: text}) == [expected]


def test_a_wrong_optional_value_does_not_lose_the_record(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {"data/contacts/raj-patel.yaml": "name: Raj Patel\nprefers: text\nemail: nope\n"}
    )
    assert len(problems) == 2
    raj = records.contacts["raj-patel"]
    assert (raj.name, raj.prefers, raj.email) == ("Raj Patel", None, None)


# --- dates, datetimes, durations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-31", "'2026-11-31' is not a date: day is out of range for month"),
        ("2026-13-01", "'2026-13-01' is not a date: month must be in 1..12"),
        ("11/02/2026", "'11/02/2026' is not a date: write YYYY-MM-DD, like 2026-11-18"),
        ("2026-11-02 10:00", "'2026-11-02 10:00' is not a date: write YYYY-MM-DD, like 2026-11-18"),
        ("last week", "'last week' is not a date: write YYYY-MM-DD, like 2026-11-18"),
        ("1899-12-31", "'1899-12-31' is out of range: years 1900 to 2999"),
        ("3000-01-01", "'3000-01-01' is out of range: years 1900 to 2999"),
    ],
)
def test_bad_dates(problems_of: ProblemsOf, text: str, expected: str) -> None:
    app = f"company: acme\nrole: Backend Engineer\nstatus: applied\napplied: {text}\n"
    assert problems_of({"data/applications/acme-backend.yaml": app}) == [
        f"data/applications/acme-backend.yaml:4:10: applied: {expected}"
    ]


def test_good_dates(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/applications/acme-backend.yaml": """
                company: acme
                role: Backend Engineer
                status: interviewing
                applied: 2026-11-02
                decision_by: "2026-12-05"
            """,
            "data/contacts/raj-patel.yaml": """
                name: Raj Patel
                reference: {asked: 2026-10-01, granted: 2026-10-02}
            """,
        }
    )
    assert problems == []
    app = records.applications["acme-backend"]
    assert (app.applied, app.decision_by) == (date(2026, 11, 2), date(2026, 12, 5))
    reference = records.contacts["raj-patel"].reference
    assert reference is not None
    assert (reference.asked, reference.granted) == (date(2026, 10, 1), date(2026, 10, 2))


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-11-18 14:00", utc(2026, 11, 18, 19, 0)),  # EST, UTC-5
        ("2026-11-18T14:00", utc(2026, 11, 18, 19, 0)),
        ("2026-11-18 14:00:30", utc(2026, 11, 18, 19, 0, 30)),
        ("2026-07-14 14:00", utc(2026, 7, 14, 18, 0)),  # EDT, UTC-4
        ("2026-11-18T14:00:00Z", utc(2026, 11, 18, 14, 0)),
        ("2026-11-18 14:00+01:00", utc(2026, 11, 18, 13, 0)),
        ("2026-11-18T14:00-08:00", utc(2026, 11, 18, 22, 0)),
        ("'2026-11-18 14:00'", utc(2026, 11, 18, 19, 0)),
        ("2026-11-18", utc(2026, 11, 18, 14, 0)),  # a date: 09:00 local
        ("2026-07-14", utc(2026, 7, 14, 13, 0)),
    ],
)
def test_datetimes_become_utc_instants(
    read_workspace: ReadWorkspace, text: str, instant: datetime
) -> None:
    interview = f"---\napplication: acme-backend\nat: {text}\n---\n"
    records, problems = read_workspace({"data/interviews/x.md": interview})
    assert problems == []
    at = records.interviews["x"].at
    assert at == instant
    assert at.utcoffset() == timedelta(0)


def test_activity_dates_and_datetimes(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/contacts/raj-patel.yaml": """
                name: Raj Patel
                log:
                  - {on: 2026-11-20, did: call}
                  - {on: 2026-11-21 10:15, did: reply}
                  - {on: 2026-11-22T08:00:00+09:00, did: message}
            """
        }
    )
    assert problems == []
    assert [a.on for a in records.contacts["raj-patel"].log] == [
        utc(2026, 11, 20, 14, 0),
        utc(2026, 11, 21, 15, 15),
        utc(2026, 11, 21, 23, 0),
    ]


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        (
            "2026-11-18 2pm",
            5,
            "at: '2026-11-18 2pm' is not a date and time: write YYYY-MM-DD HH:MM, "
            "optionally with seconds and an offset like +01:00 or Z",
        ),
        (
            "18.11.2026 14:00",
            5,
            "at: '18.11.2026 14:00' is not a date and time: write YYYY-MM-DD HH:MM, "
            "optionally with seconds and an offset like +01:00 or Z",
        ),
        (
            "2026-11-18 24:30",
            5,
            "at: '2026-11-18 24:30' is not a date and time: hour must be in 0..23",
        ),
        (
            "2026-02-30 10:00",
            5,
            "at: '2026-02-30 10:00' is not a date and time: day is out of range for month",
        ),
    ],
)
def test_bad_datetimes(problems_of: ProblemsOf, text: str, column: int, expected: str) -> None:
    interview = f"---\napplication: acme-backend\nat: {text}\n---\n"
    assert problems_of({"data/interviews/x.md": interview}) == [
        f"data/interviews/x.md:3:{column}: {expected}"
    ]


def test_an_impossible_offset_gets_a_readable_message(problems_of: ProblemsOf) -> None:
    interview = "---\napplication: acme-backend\nat: 2026-11-18 14:00+25:00\n---\n"
    assert problems_of({"data/interviews/x.md": interview}) == [
        "data/interviews/x.md:3:5: at: '2026-11-18 14:00+25:00' has an impossible UTC offset: "
        "use -12:00 to +14:00"
    ]


@pytest.mark.parametrize(
    ("text", "duration", "length"),
    [
        (None, Duration(1, "h"), timedelta(hours=1)),
        ("45m", Duration(45, "m"), timedelta(minutes=45)),
        ("90m", Duration(90, "m"), timedelta(minutes=90)),
        ("3h", Duration(3, "h"), timedelta(hours=3)),
        ("2d", Duration(2, "d"), timedelta(days=2)),
        ("1w", Duration(1, "w"), timedelta(weeks=1)),
    ],
)
def test_interview_end_is_at_plus_duration(
    read_workspace: ReadWorkspace, text: str | None, duration: Duration, length: timedelta
) -> None:
    extra = f"duration: {text}\n" if text else ""
    interview = f"---\napplication: acme-backend\nat: 2026-11-18 14:00\n{extra}---\n"
    records, problems = read_workspace({"data/interviews/x.md": interview})
    assert problems == []
    x = records.interviews["x"]
    assert x.at == utc(2026, 11, 18, 19, 0)
    assert x.end - x.at == length


def test_days_are_calendar_days_across_the_end_of_daylight_saving(
    read_workspace: ReadWorkspace,
) -> None:
    # New York leaves daylight saving time on 2026-11-01: that day has 25 hours.
    records, problems = read_workspace(
        {
            "data/interviews/day.md": "---\napplication: acme-backend\n"
            "at: 2026-10-31 14:00\nduration: 1d\n---\n",
            "data/interviews/hours.md": "---\napplication: acme-backend\n"
            "at: 2026-10-31 14:00\nduration: 24h\n---\n",
        }
    )
    assert problems == []
    day, hours = records.interviews["day"], records.interviews["hours"]
    assert day.end == utc(2026, 11, 1, 19, 0)  # 14:00 local, the next day
    assert day.end - day.at == timedelta(hours=25)
    assert hours.end - hours.at == timedelta(hours=24)


@pytest.mark.parametrize("text", ["90", "1.5h", "2 days", "-1h", "1y", "h", "true"])
def test_bad_durations(problems_of: ProblemsOf, text: str) -> None:
    interview = f"---\napplication: acme-backend\nat: 2026-11-18 14:00\nduration: {text}\n---\n"
    problems = problems_of({"data/interviews/x.md": interview})
    if text == "true":
        assert problems == [
            "data/interviews/x.md:4:11: duration: expected a duration, found 'true'"
        ]
    else:
        assert problems == [
            f"data/interviews/x.md:4:11: duration: '{text}' is not a duration: "
            "write <n>m, <n>h, <n>d or <n>w, like 24h"
        ]


def test_bad_durations_in_contacts_and_rules(problems_of: ProblemsOf) -> None:
    assert problems_of(
        {
            "data/contacts/raj-patel.yaml": "name: Raj Patel\nstay_in_touch: 3 months\n",
            "data/settings.yaml": "rules:\n  thank_you_within: 1 day\n",
        }
    ) == [
        "data/contacts/raj-patel.yaml:2:16: stay_in_touch: '3 months' is not a duration: "
        "write <n>m, <n>h, <n>d or <n>w, like 24h",
        "data/settings.yaml:2:21: rules.thank_you_within: '1 day' is not a duration: "
        "write <n>m, <n>h, <n>d or <n>w, like 24h",
    ]


# --- time zones and settings -------------------------------------------------------------------


def test_the_settings_time_zone_is_the_local_clock(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/settings.yaml": "timezone: Europe/Berlin\n",
            "data/interviews/x.md": INTERVIEW,
        }
    )
    assert problems == []
    assert records.settings.zone == ZoneInfo("Europe/Berlin")
    assert records.interviews["x"].at == utc(2026, 11, 18, 13, 0)  # CET, UTC+1


def test_a_bad_time_zone_is_an_error_and_the_default_zone_is_used(
    read_workspace: ReadWorkspace,
) -> None:
    records, problems = read_workspace(
        {
            "data/settings.yaml": "timezone: America/New_Yrok\n",
            "data/interviews/x.md": INTERVIEW,
        }
    )
    assert [str(p) for p in problems] == [
        "data/settings.yaml:1:11: timezone: 'America/New_Yrok' is not an IANA time zone, "
        "like America/New_York"
    ]
    assert records.settings.zone == NEW_YORK
    assert records.interviews["x"].at == utc(2026, 11, 18, 19, 0)


@pytest.mark.parametrize("name", ["EST-5", "../../etc/passwd", "/usr/share/zoneinfo/UTC", "''"])
def test_time_zones_that_are_not_iana_names(problems_of: ProblemsOf, name: str) -> None:
    problems = problems_of({"data/settings.yaml": f"timezone: {name}\n"})
    shown = name.strip("'")
    assert problems == [
        f"data/settings.yaml:1:11: timezone: '{shown}' is not an IANA time zone, "
        "like America/New_York"
    ]


def test_settings_defaults(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace({"data/settings.yaml": None})
    assert problems == []
    settings = records.settings
    assert settings.zone == NEW_YORK  # the default zone passed in
    assert settings.me.name == ""
    assert settings.rules == Rules()
    rules = settings.rules
    assert rules.thank_you_within == Duration(24, "h")
    assert rules.call_opens_after_note == Duration(48, "h")
    assert rules.call_due_after_note == Duration(72, "h")
    assert rules.check_in_every == Duration(7, "d")
    assert rules.network_every == Duration(90, "d")
    assert rules.thank_everyone_within == Duration(7, "d")
    assert rules.min_active_applications == 3


def test_settings_override_only_what_they_name(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/settings.yaml": """
                me: {name: Sam Taylor, email: sam@example.org, address: "12 Elm St\\nSpringfield"}
                timezone: Europe/London
                rules:
                  check_in_every: 2w
                  min_active_applications: 5
            """
        }
    )
    assert problems == []
    settings = records.settings
    assert settings.zone == ZoneInfo("Europe/London")
    assert settings.me.name == "Sam Taylor"
    assert settings.me.address == "12 Elm St\nSpringfield"
    assert settings.rules.check_in_every == Duration(2, "w")
    assert settings.rules.min_active_applications == 5
    assert settings.rules.thank_you_within == Duration(24, "h")


def test_an_empty_settings_file_means_the_defaults(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace({"data/settings.yaml": ""})
    assert problems == []
    assert records.settings.rules == Rules()


# --- references between records ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\ncompany: acmee\n",
            "data/contacts/raj-patel.yaml:2:10: company: no company 'acmee' (did you mean 'acme'?)",
        ),
        (
            "data/applications/acme-backend.yaml",
            "company: globex\nrole: Backend Engineer\nstatus: lead\n",
            "data/applications/acme-backend.yaml:1:10: company: no company 'globex' "
            "(add data/companies/globex.yaml)",
        ),
        (
            "data/applications/acme-backend.yaml",
            "company: acme\nrole: Backend Engineer\nstatus: lead\ncontact: dana-reyse\n",
            "data/applications/acme-backend.yaml:4:10: "
            "contact: no contact 'dana-reyse' (did you mean 'dana-reyes'?)",
        ),
        (
            "data/applications/acme-backend.yaml",
            "company: acme\nrole: Backend Engineer\nstatus: lead\nreferred_by: [morgan-ali]\n",
            "data/applications/acme-backend.yaml:4:15: "
            "referred_by: no contact 'morgan-ali' (add data/contacts/morgan-ali.yaml)",
        ),
        (
            "data/applications/acme-backend.yaml",
            "company: acme\nrole: Backend Engineer\nstatus: lead\n"
            "references: [dana-reyes, raj-patl]\n",
            "data/applications/acme-backend.yaml:4:26: "
            "references: no contact 'raj-patl' (did you mean 'raj-patel'?)",
        ),
        (
            "data/interviews/x.md",
            "---\napplication: acme-backnd\nat: 2026-11-18 14:00\n---\n",
            "data/interviews/x.md:2:14: "
            "application: no application 'acme-backnd' (did you mean 'acme-backend'?)",
        ),
        (
            "data/interviews/x.md",
            "---\napplication: acme-backend\nat: 2026-11-18 14:00\n"
            "interviewers: [raj-patel, dana-reyse]\n---\n",
            "data/interviews/x.md:4:27: "
            "interviewers: no contact 'dana-reyse' (did you mean 'dana-reyes'?)",
        ),
        (
            "data/interviews/x.md",
            "---\napplication: acme-backend\nat: 2026-11-18 14:00\nalso_met:\n  - pat-lee\n---\n",
            "data/interviews/x.md:5:5: also_met: no contact 'pat-lee' "
            "(add data/contacts/pat-lee.yaml)",
        ),
        (
            "data/applications/acme-backend.yaml",
            "company: acme\nrole: Backend Engineer\nstatus: applied\nlog:\n"
            "  - {on: 2026-11-20, did: call, with: raj-patle}\n",
            "data/applications/acme-backend.yaml:5:39: "
            "log[0].with: no contact 'raj-patle' (did you mean 'raj-patel'?)",
        ),
        (
            "data/contacts/raj-patel.yaml",
            "name: Raj Patel\nlog:\n  - on: 2026-11-20\n    did: call\n"
            "    application: acme-backed\n",
            "data/contacts/raj-patel.yaml:5:18: "
            "log[0].application: no application 'acme-backed' (did you mean 'acme-backend'?)",
        ),
        (
            "data/applications/acme-backend.yaml",
            "company: acme\nrole: Backend Engineer\nstatus: lead\ncontact: Dana Reyes\n",
            "data/applications/acme-backend.yaml:4:10: "
            "contact: 'Dana Reyes' is not a slug (a file name without its ending)",
        ),
    ],
)
def test_dangling_slugs(problems_of: ProblemsOf, rel: str, text: str, expected: str) -> None:
    assert problems_of({rel: text}) == [expected]


def test_the_design_example_message(problems_of: ProblemsOf) -> None:
    interview = """
        ---
        application: acme-backend
        at: 2026-11-18 14:00
        interviewers: dana-reyse
        ---
    """
    assert problems_of({"data/interviews/x.md": interview}) == [
        "data/interviews/x.md:4:15: interviewers: no contact 'dana-reyse' "
        "(did you mean 'dana-reyes'?)"
    ]


def test_a_single_string_is_accepted_where_a_list_is_expected(
    read_workspace: ReadWorkspace,
) -> None:
    records, problems = read_workspace(
        {
            "data/interviews/x.md": """
                ---
                application: acme-backend
                at: 2026-11-18 14:00
                interviewers: dana-reyes
                also_met: raj-patel
                ---
            """,
            "data/applications/acme-backend.yaml": """
                company: acme
                role: Backend Engineer
                status: applied
                referred_by: raj-patel
                references: [dana-reyes, dana-reyes]
            """,
            "data/companies/acme.yaml": "name: Acme\ntags: fintech\n",
        }
    )
    assert problems == []
    assert records.interviews["x"].interviewers == ("dana-reyes",)
    assert records.interviews["x"].also_met == ("raj-patel",)
    app = records.applications["acme-backend"]
    assert app.referred_by == ("raj-patel",)
    assert app.references == ("dana-reyes",)  # named twice, counted once
    assert records.companies["acme"].tags == ("fintech",)


def test_a_broken_contact_file_causes_no_no_contact_errors_elsewhere(
    read_workspace: ReadWorkspace,
) -> None:
    records, problems = read_workspace(
        {
            "data/contacts/dana-reyes.yaml": "name: Dana Reyes\ntitle: [Manager\n",
            "data/contacts/raj-patel.yaml": """
                name: Raj Patel
                log:
                  - {on: 2026-11-20, did: call, with: dana-reyes}
            """,
            "data/interviews/x.md": INTERVIEW,
        }
    )
    assert "dana-reyes" not in records.contacts
    assert [str(p) for p in problems] == [
        "data/contacts/dana-reyes.yaml:3:1: YAML: did not find expected ',' or ']'"
    ]
    assert records.interviews["x"].interviewers == ("dana-reyes", "raj-patel")


def test_a_contact_without_a_name_causes_no_no_contact_errors_elsewhere(
    problems_of: ProblemsOf,
) -> None:
    problems = problems_of(
        {"data/contacts/dana-reyes.yaml": "title: Manager\n", "data/interviews/x.md": INTERVIEW}
    )
    assert problems == ["data/contacts/dana-reyes.yaml:1:1: missing required key 'name'"]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"name: Dana Reyes\ntitle: [Manager\n", "3:1: YAML: did not find expected ',' or ']'"),
        (b"name: Dana\ntitle: Caf\xe9\n", "2:11: is not UTF-8 text (byte 0xE9): save it as UTF-8"),
        (b"name: Dana\x00\n", "1:1: is a binary file, not text"),
        (
            b"name: Dana\n---\nname: Dana\n",
            "2:1: YAML: holds more than one YAML document: remove the second '---'",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_one_problem(
    problems_of: ProblemsOf, content: bytes, expected: str
) -> None:
    assert problems_of({"data/contacts/dana-reyes.yaml": content}) == [
        f"data/contacts/dana-reyes.yaml:{expected}"
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("# Dana\nname: Dana\n", "needs YAML front matter: start the file with a line '---'"),
        ("---\nname: Dana\n", "front matter is not closed: add a line '---' after it"),
    ],
)
def test_markdown_without_front_matter_is_one_problem(
    problems_of: ProblemsOf, content: str, expected: str
) -> None:
    assert problems_of({"data/contacts/pat-lee.md": content}) == [
        f"data/contacts/pat-lee.md:1:1: {expected}"
    ]


# --- activities --------------------------------------------------------------------------------


def test_application_in_an_activity_outside_a_contact_file_is_an_error(
    read_workspace: ReadWorkspace,
) -> None:
    records, problems = read_workspace(
        {
            "data/applications/acme-backend.yaml": """
                company: acme
                role: Backend Engineer
                status: applied
                log:
                  - on: 2026-11-20
                    did: call
                    with: dana-reyes
                    application: acme-backend
            """,
            "data/interviews/x.md": """
                ---
                application: acme-backend
                at: 2026-11-18 14:00
                log:
                  - on: 2026-11-18 20:00
                    did: thank-you
                    with: raj-patel
                    application: acme-backend
                ---
            """,
        }
    )
    message = (
        "application: only an activity in a contact file names its application; "
        "here it belongs to this file's"
    )
    assert [str(p) for p in problems] == [
        f"data/applications/acme-backend.yaml:8:5: {message}",
        f"data/interviews/x.md:8:5: {message}",
    ]
    # The activity still counts, for the file it is in.
    assert records.applications["acme-backend"].log[0].application == "acme-backend"
    assert records.interviews["x"].log[0].application == "acme-backend"


def test_with_defaults_to_the_contact_in_a_contact_file(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/contacts/raj-patel.yaml": """
                name: Raj Patel
                log:
                  - {on: 2026-11-20, did: call}
                  - {on: 2026-11-21, did: message, with: dana-reyes}
            """,
            "data/applications/acme-backend.yaml": """
                company: acme
                role: Backend Engineer
                status: applied
                log:
                  - {on: 2026-11-20, did: call}
            """,
        }
    )
    assert problems == []
    assert [a.with_ for a in records.contacts["raj-patel"].log] == ["raj-patel", "dana-reyes"]
    assert records.applications["acme-backend"].log[0].with_ is None


def test_which_application_an_activity_belongs_to(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/applications/globex-sre.yaml": """
                company: acme
                role: SRE
                status: applied
                log:
                  - {on: 2026-11-19, did: message, with: raj-patel}
            """,
            "data/interviews/x.md": """
                ---
                application: acme-backend
                at: 2026-11-18 14:00
                log:
                  - {on: 2026-11-18 20:10, did: thank-you, with: dana-reyes, via: email}
                ---
            """,
            "data/contacts/raj-patel.yaml": """
                name: Raj Patel
                log:
                  - {on: 2026-11-20, did: call, application: globex-sre}
                  - {on: 2026-11-21, did: reply}
            """,
        }
    )
    assert problems == []
    assert records.interviews["x"].log[0].application == "acme-backend"
    assert records.applications["globex-sre"].log[0].application == "globex-sre"
    assert [a.application for a in records.contacts["raj-patel"].log] == ["globex-sre", None]


def test_an_activity_remembers_where_it_is_written(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/interviews/x.md": """
                ---
                application: acme-backend
                at: 2026-11-18 14:00
                log:
                  - on: 2026-11-18 20:10
                    did: thank-you
                    with: dana-reyes
                    via: email
                    note: Mentioned the on-call rota.
                ---
            """
        }
    )
    assert problems == []
    (activity,) = records.interviews["x"].log
    assert activity == Activity(
        on=utc(2026, 11, 19, 1, 10),
        did="thank-you",
        with_="dana-reyes",
        via="email",
        note="Mentioned the on-call rota.",
        application="acme-backend",
        path="data/interviews/x.md",
        line=5,
        column=5,
    )
    assert activity.outgoing


# --- closed ------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["accepted", "rejected", "withdrawn", "filled"])
def test_closed_missing_on_a_closed_application_is_a_warning(
    read_workspace: ReadWorkspace, status: str
) -> None:
    app = f"company: acme\nrole: Backend Engineer\nstatus: {status}\napplied: 2026-11-02\n"
    records, problems = read_workspace({"data/applications/acme-backend.yaml": app})
    assert [str(p) for p in problems] == [
        f"data/applications/acme-backend.yaml:3:9: warning: status is '{status}' but 'closed' "
        "is missing: add the date it closed, so its follow-ups can be worked out"
    ]
    assert problems[0].severity == "warning"
    assert records.applications["acme-backend"].status == status


@pytest.mark.parametrize("status", ["lead", "applied", "interviewing", "offer"])
def test_closed_set_on_an_open_application_is_a_warning(
    read_workspace: ReadWorkspace, status: str
) -> None:
    app = f"company: acme\nrole: Backend Engineer\nstatus: {status}\nclosed: 2026-12-01\n"
    _, problems = read_workspace({"data/applications/acme-backend.yaml": app})
    assert [str(p) for p in problems] == [
        f"data/applications/acme-backend.yaml:4:9: warning: 'closed' is set but status is "
        f"'{status}'"
    ]


def test_closed_with_a_closed_status_is_fine(read_workspace: ReadWorkspace) -> None:
    app = "company: acme\nrole: Backend Engineer\nstatus: rejected\nclosed: 2026-12-01\n"
    records, problems = read_workspace({"data/applications/acme-backend.yaml": app})
    assert problems == []
    assert records.applications["acme-backend"].closed == date(2026, 12, 1)
    assert not records.applications["acme-backend"].active


# --- the shape of a file -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "found"),
    [("- name: Pat Lee\n", "a list"), ("Pat Lee\n", "'Pat Lee'"), ("42\n", "'42'")],
)
def test_a_record_that_is_not_a_mapping(problems_of: ProblemsOf, text: str, found: str) -> None:
    assert problems_of({"data/contacts/pat-lee.yaml": text}) == [
        f"data/contacts/pat-lee.yaml:1:1: a contact: expected a mapping of keys, found {found}"
    ]


def test_settings_that_are_not_a_mapping(problems_of: ProblemsOf) -> None:
    assert problems_of({"data/settings.yaml": "- timezone: UTC\n"}) == [
        "data/settings.yaml:1:1: settings: expected a mapping of keys, found a list"
    ]


@pytest.mark.parametrize(
    ("rel", "text", "expected"),
    [
        ("data/contacts/pat-lee.yaml", "", "is empty: a contact needs at least 'name'"),
        ("data/contacts/pat-lee.yaml", "# to do\n", "is empty: a contact needs at least 'name'"),
        ("data/companies/globex.yaml", "\n\n", "is empty: a company needs at least 'name'"),
        (
            "data/applications/globex.yaml",
            "",
            "is empty: an application needs at least 'company', 'role', 'status'",
        ),
        (
            "data/interviews/x.md",
            "---\n---\nNotes only.\n",
            "is empty: an interview needs at least 'application', 'at'",
        ),
    ],
)
def test_an_empty_record_file(problems_of: ProblemsOf, rel: str, text: str, expected: str) -> None:
    assert problems_of({rel: text}) == [f"{rel}:1:1: {expected}"]


def test_markdown_notes_are_kept(read_workspace: ReadWorkspace) -> None:
    records, problems = read_workspace(
        {
            "data/interviews/x.md": INTERVIEW,
            "data/contacts/pat-lee.md": "---\nname: Pat Lee\n---\nMet at the front desk.\n",
        }
    )
    assert problems == []
    x = records.interviews["x"]
    assert x.notes == "## Dana Reyes\nTalked about on-call.\n"
    assert records.contacts["pat-lee"].notes == "Met at the front desk.\n"


def test_every_problem_in_a_file_is_reported_at_once(problems_of: ProblemsOf) -> None:
    problems = problems_of(
        {
            "data/applications/acme-backend.yaml": """
                company: acmee
                role: Backend Engineer
                status: intervewing
                applied: 2026-11-31
                contact: dana-reyse
                colour: blue
            """
        }
    )
    assert problems == [
        "data/applications/acme-backend.yaml:1:10: company: no company 'acmee' "
        "(did you mean 'acme'?)",
        "data/applications/acme-backend.yaml:3:9: status: 'intervewing' is not allowed "
        "(did you mean 'interviewing'?)",
        "data/applications/acme-backend.yaml:4:10: applied: '2026-11-31' is not a date: "
        "day is out of range for month",
        "data/applications/acme-backend.yaml:5:10: contact: no contact 'dana-reyse' "
        "(did you mean 'dana-reyes'?)",
        "data/applications/acme-backend.yaml:6:1: unknown key 'colour' "
        "(the keys of an application: company, role, status, applied, contact, referred_by, "
        "references, decision_by, closed, link, pitch, log)",
    ]


@pytest.mark.parametrize(
    ("at", "duration", "expected"),
    [
        (
            "9999-12-31 23:30",
            "1h",
            "3:5: at: '9999-12-31 23:30' is out of range: years 1900 to 2999",
        ),
        (
            "0001-01-01 00:10+05:00",
            "1h",
            "3:5: at: '0001-01-01 00:10+05:00' is out of range: years 1900 to 2999",
        ),
        ("2026-11-18 14:00", "999999w", "4:11: duration: '999999w' is too long: at most ten years"),
        ("2026-11-18 14:00", "3661d", "4:11: duration: '3661d' is too long: at most ten years"),
    ],
)
def test_a_datetime_at_the_edge_of_the_calendar_is_a_problem_not_a_crash(
    problems_of: ProblemsOf, at: str, duration: str, expected: str
) -> None:
    interview = f"---\napplication: acme-backend\nat: {at}\nduration: {duration}\n---\n"
    assert problems_of({"data/interviews/x.md": interview}) == [f"data/interviews/x.md:{expected}"]


def test_the_last_moments_the_calendar_allows_still_work(read_workspace: ReadWorkspace) -> None:
    interview = "---\napplication: acme-backend\nat: 2999-12-31 23:30-12:00\nduration: 3660d\n---\n"
    records, problems = read_workspace({"data/interviews/x.md": interview})
    assert problems == []
    x = records.interviews["x"]
    assert x.at == utc(3000, 1, 1, 11, 30)
    assert x.end.year == 3010


def test_watch_reads_again_only_the_records_whose_files_changed(
    make_workspace: Callable[..., Path],
) -> None:
    """A DocumentCache kept between builds (as watch keeps it) keeps their records too; a
    record's problems are reported at every build, not only when it is read."""
    root = make_workspace({"data/contacts/raj-patel.yaml": "name: Raj Patel\nfax: 1\n"})
    cache = DocumentCache()
    first, problems = workspace.read(root, NEW_YORK, cache)
    again, problems_again = workspace.read(root, NEW_YORK, cache)
    assert again.contacts["raj-patel"] is first.contacts["raj-patel"]
    assert problems_again == problems and any("'fax'" in p.message for p in problems)
    (root / "data/contacts/dana-reyes.yaml").write_text("name: Dana Reyes\ntitle: CTO\n")
    changed, _ = workspace.read(root, NEW_YORK, cache)
    assert changed.contacts["dana-reyes"].title == "CTO"
    assert changed.contacts["raj-patel"] is first.contacts["raj-patel"]
    (root / "data/settings.yaml").write_text("me: {name: Sam Taylor}\ntimezone: Europe/Paris\n")
    paris, _ = workspace.read(root, NEW_YORK, cache)  # times are read in the new zone
    assert paris.contacts["raj-patel"] is not first.contacts["raj-patel"]
