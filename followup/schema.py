"""Every field of every file, declared once.

The model checks documents against these declarations, so that what a file
may hold, what is required and what each key means is written in one place
(and editor schemas can be generated from it rather than kept beside it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal[
    "text", "email", "url", "slug", "slugs", "choice", "date", "datetime", "duration",
    "zone", "tags", "count", "mapping", "log",
]  # fmt: skip

STATUSES = (
    "lead",
    "applied",
    "interviewing",
    "offer",
    "accepted",
    "rejected",
    "withdrawn",
    "filled",
)
ACTIVE = frozenset({"applied", "interviewing", "offer"})
CLOSED = frozenset({"accepted", "rejected", "withdrawn", "filled"})
CHANNELS = ("email", "mail", "card", "phone", "fax")
VIAS = ("email", "mail", "card", "fax", "phone", "in-person", "other")
DID = ("thank-you", "call", "message", "meeting", "reply")
INTERVIEW_KINDS = ("phone", "video", "onsite", "panel")
SIZES = ("small", "large")


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    kind: Kind
    doc: str
    required: bool = False
    choices: tuple[str, ...] = ()
    ref: str = ""  # the record folder a slug names
    fields: tuple[Field, ...] = ()  # a mapping's own fields, or a log entry's


ACTIVITY = (
    Field("on", "datetime", "When it happened: a datetime, or a date (09:00).", required=True),
    Field(
        "did", "choice", "What happened; 'reply' is them reaching me.", required=True, choices=DID
    ),
    Field("with", "slug", "Whom with; in a contact file, that contact.", ref="contacts"),
    Field("via", "choice", "The channel.", choices=VIAS),
    Field("note", "text", "Anything worth remembering."),
    Field(
        "application",
        "slug",
        "Only in a contact file: the application this was about.",
        ref="applications",
    ),
)

LOG = Field("log", "log", "What I did and when: one entry per activity.", fields=ACTIVITY)
TAGS = Field("tags", "tags", "Words to group and filter by.")

RULES = (
    Field("thank_you_within", "duration", "Send each interviewer a note within this (24h)."),
    Field("call_opens_after_note", "duration", "Call no sooner than this after the note (48h)."),
    Field("call_due_after_note", "duration", "Call no later than this after the note (72h)."),
    Field("check_in_every", "duration", "Check in on an active application this often (7d)."),
    Field("network_every", "duration", "Keep in touch after a closed application (90d)."),
    Field("thank_everyone_within", "duration", "Thank all who helped, once a job is won (7d)."),
    Field("min_active_applications", "count", "Nudge me when fewer are active (3)."),
)

ME = (
    Field("name", "text", "My name, to sign notes with."),
    Field("email", "email", "My email address."),
    Field("phone", "text", "My phone number."),
    Field("address", "text", "My postal address, for mailed notes."),
)

SETTINGS = (
    Field("me", "mapping", "Who I am.", fields=ME),
    Field("timezone", "zone", "An IANA time zone; default: this computer's."),
    Field("rules", "mapping", "The follow-up rules' settings.", fields=RULES),
)

REFERENCE = (
    Field("asked", "date", "When I asked them to be a reference."),
    Field("granted", "date", "When they said yes."),
)

CONTACT = (
    Field("name", "text", "Their full name, spelt as they spell it.", required=True),
    Field("title", "text", "Their job title."),
    Field("company", "slug", "Where they work.", ref="companies"),
    Field("email", "email", "Their email address."),
    Field("phone", "text", "Their phone number."),
    Field("address", "text", "Their postal address, for mailed notes."),
    Field("prefers", "choice", "The way that reaches them best.", choices=CHANNELS),
    Field("reference", "mapping", "Only for people I list as references.", fields=REFERENCE),
    Field("stay_in_touch", "duration", "Keep in touch this often, like 90d."),
    TAGS,
    LOG,
)

COMPANY = (
    Field("name", "text", "The company's name.", required=True),
    Field("website", "url", "Its web site."),
    Field("size", "choice", "Small employers matter as much as large ones.", choices=SIZES),
    TAGS,
    Field("notes", "text", "Anything worth remembering."),
)

APPLICATION = (
    Field("company", "slug", "The employer.", required=True, ref="companies"),
    Field("role", "text", "The job's title.", required=True),
    Field("status", "choice", "Where it stands.", required=True, choices=STATUSES),
    Field("applied", "date", "When I applied."),
    Field("contact", "slug", "My main point of contact there.", ref="contacts"),
    Field("referred_by", "slugs", "Who told me about it or introduced me.", ref="contacts"),
    Field("references", "slugs", "The references I give for this job.", ref="contacts"),
    Field("decision_by", "date", "When they said they will decide."),
    Field("closed", "date", "When it became accepted, rejected, withdrawn or filled."),
    Field("link", "url", "The job posting."),
    Field("pitch", "text", "One or two sentences on why I fit; every note for this job uses it."),
    LOG,
)

INTERVIEW = (
    Field("application", "slug", "The application it is for.", required=True, ref="applications"),
    Field("at", "datetime", "When it starts.", required=True),
    Field("duration", "duration", "How long it lasts (1h)."),
    Field("kind", "choice", "What sort of interview.", choices=INTERVIEW_KINDS),
    Field("interviewers", "slugs", "Each is owed a thank-you note of their own.", ref="contacts"),
    Field("also_met", "slugs", "Others I met, remembered; no note owed.", ref="contacts"),
    LOG,
)

#: The fields of each kind of file, by its folder.
RECORDS: dict[str, tuple[Field, ...]] = {
    "settings": SETTINGS,
    "contacts": CONTACT,
    "companies": COMPANY,
    "applications": APPLICATION,
    "interviews": INTERVIEW,
}
