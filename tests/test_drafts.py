"""Thank-you note drafts: one per person, personal, proofread, and ready to send or print."""

from __future__ import annotations

import email
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, default
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from followup import build, drafts, proofread, rules, workspace
from followup.cache import DocumentCache
from followup.cli import main
from followup.drafts import Draft
from followup.problems import Problem, has_errors
from tests.conftest import NEW_YORK, Files, write_tree

NOW = datetime(2026, 11, 19, 12, tzinfo=UTC)  # 07:00 in New York, the morning after

ONSITE = """
    ---
    application: acme-backend
    at: 2026-11-18 14:00
    duration: 3h
    kind: onsite
    interviewers: [dana-reyes, raj-patel]
    ---
    We met in the Springfield office.

    ## Dana Reyes
    Your plan to move the team off the pager rota was the part of the day I enjoyed most.

    ## raj-patel
    Pairing with you on the billing queue's retries was the best hour of the day.
"""
APPLICATION = """
    company: acme
    role: Backend Engineer
    status: interviewing
    applied: 2026-11-02
    contact: dana-reyes
    pitch: I have run payment queues at scale for five years.
"""


def drafts_of(root: Path, now: datetime = NOW) -> tuple[list[Draft], list[str]]:
    records, problems = workspace.read(root, NEW_YORK)
    analysis = build.analyse(root, records, problems, now)
    return analysis.drafts, [str(p) for p in analysis.problems]


def by_person(found: list[Draft]) -> dict[str, Draft]:
    return {d.contact.slug: d for d in found}


def test_each_interviewer_gets_a_personal_draft(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE,
            "data/applications/acme-backend.yaml": APPLICATION,
        }
    )
    found, problems = drafts_of(root)
    assert problems == []
    dana, raj = by_person(found)["dana-reyes"], by_person(found)["raj-patel"]
    assert dana.variant == raj.variant == "after-interview"
    assert dana.body.startswith("Dear Dana,\n\n")
    assert "pager rota" in dana.body and "pager rota" not in raj.body
    assert "billing queue" in raj.body and "billing queue" not in dana.body
    # Openings and closings differ between the people of one interview.
    assert dana.body.split("\n\n")[1] != raj.body.split("\n\n")[1]
    assert dana.body.split("\n\n")[-2] != raj.body.split("\n\n")[-2]
    # The pitch goes into every note for the job; the note is signed with settings.me.
    for draft in (dana, raj):
        assert "I have run payment queues at scale for five years." in draft.body
        assert draft.body.rstrip().endswith("Sam Taylor\nsam@example.org")
        assert draft.subject == "Thank you: Backend Engineer interview"
    # Nothing from the notes outside the person's own section.
    assert "Springfield office" not in dana.body + raj.body


def test_a_phone_screen_gets_the_short_note(make_workspace: Callable[..., Path]) -> None:
    screen = ONSITE.replace("kind: onsite", "kind: phone").replace("duration: 3h", "duration: 30m")
    root = make_workspace({"data/interviews/acme-screen.md": screen})
    found, _ = drafts_of(root)
    assert {d.variant for d in found} == {"after-screen"}
    assert by_person(found)["dana-reyes"].subject == "Thank you for our call: Backend Engineer"


def test_a_recruiter_gets_the_short_note_after_any_interview(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE,
            "data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: Technical Recruiter\n",
        }
    )
    found, _ = drafts_of(root)
    assert by_person(found)["raj-patel"].variant == "after-screen"
    assert by_person(found)["dana-reyes"].variant == "after-interview"


def test_everyone_who_helped_is_thanked_once_for_what_they_did(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE.replace(
                "interviewers: [dana-reyes, raj-patel]", "interviewers: [dana-reyes]"
            ),
            "data/contacts/jo-smith.yaml": "name: Jo Smith\nreference: {granted: 2026-10-01}\n",
            "data/applications/acme-backend.yaml": """
                company: acme
                role: Backend Engineer
                status: accepted
                applied: 2026-11-02
                closed: 2026-11-25
                contact: dana-reyes
                referred_by: [raj-patel, jo-smith]
                references: [jo-smith]
            """,
        }
    )
    found, _ = drafts_of(root, datetime(2026, 11, 26, 12, tzinfo=UTC))
    thanks = {d.contact.slug: d for d in found if d.variant == "thanks-for-helping"}
    assert sorted(thanks) == ["dana-reyes", "jo-smith", "raj-patel"]
    assert thanks["jo-smith"].path == "drafts/acme-backend/jo-smith"
    assert (
        "Thank you for telling me about the opening and putting in a word for me, "
        "and for being one of my references." in thanks["jo-smith"].body
    )
    assert "during the interviews" in thanks["dana-reyes"].body


def test_no_draft_once_the_note_is_sent(make_workspace: Callable[..., Path]) -> None:
    sent = ONSITE.replace(
        "interviewers: [dana-reyes, raj-patel]",
        "interviewers: [dana-reyes, raj-patel]\n"
        "    log:\n      - {on: 2026-11-18 20:00, did: thank-you, with: dana-reyes, via: email}",
    )
    found, _ = drafts_of(make_workspace({"data/interviews/acme-onsite.md": sent}))
    assert [d.contact.slug for d in found] == ["raj-patel"]


def test_the_eml_opens_as_an_unsent_draft(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": ONSITE})
    records, _ = workspace.read(root, NEW_YORK)
    found, _ = drafts_of(root)
    dana = by_person(found)["dana-reyes"]
    message = email.message_from_bytes(drafts.eml(dana, records), policy=default)
    assert message["To"] == "Dana Reyes <dana@acme.example>"
    assert message["From"] == "Sam Taylor <sam@example.org>"
    assert message["Subject"] == "Thank you: Backend Engineer interview"
    assert message["X-Unsent"] == "1"
    assert message.get_content().replace("\r\n", "\n") == dana.body


@pytest.mark.parametrize(
    ("name", "address", "subject", "body"),
    [
        ("Zoë Ångström", "zoe@example.com", "Merci — à bientôt", "Ça va ?\n"),
        ('Bob "the boss" O\'Neil, HR', None, "Thanks: " + "long role " * 9, "w " * 99 + "\n"),
        ("李小龙", "li@example.cn", "谢谢: Role 9 interview", "From me\n.\n"),
    ],
)
def test_the_eml_is_the_message_the_email_package_writes(
    make_workspace: Callable[..., Path], name: str, address: str | None, subject: str, body: str
) -> None:
    """Odd names, long subjects and non-ASCII text fold and encode as one EmailMessage
    with these headers would; its headers are written once per value."""
    root = make_workspace({"data/interviews/acme-onsite.md": ONSITE})
    records, _ = workspace.read(root, NEW_YORK)
    dana = by_person(drafts_of(root)[0])["dana-reyes"]
    contact = replace(dana.contact, name=name, email=address)
    draft = replace(dana, contact=contact, subject=subject, body=body)
    message = EmailMessage(policy=SMTP)
    message["To"] = str(Address(display_name=name, addr_spec=address)) if address else ""
    message["From"] = "Sam Taylor <sam@example.org>"
    message["Subject"] = subject
    message["X-Unsent"] = "1"
    message.set_content(body)
    for _ in range(2):
        assert drafts.eml(draft, records) == message.as_bytes()
    opened = email.message_from_bytes(drafts.eml(draft, records), policy=default)
    assert (opened["Subject"], opened.get_content().replace("\r\n", "\n")) == (subject, body)


def test_the_mailto_link_is_encoded_and_short(make_workspace: Callable[..., Path]) -> None:
    long_notes = ONSITE.replace(
        "Your plan to move the team off the pager rota",
        "Your plan to move the team off the pager rota " + "and much more " * 200,
    )
    found, _ = drafts_of(make_workspace({"data/interviews/acme-onsite.md": long_notes}))
    link = drafts.mailto(by_person(found)["dana-reyes"])
    assert link.startswith("mailto:dana@acme.example?subject=Thank%20you%3A%20Backend")
    assert len(link) <= drafts.MAILTO_LIMIT
    assert "%0D%0A" in link and "\n" not in link and " " not in link
    assert unquote(link).endswith("[...]")  # the rest is in the .eml and the page


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_a_mailto_field_is_encoded_as_quote_encodes_it(text: str) -> None:
    crlf = text.replace("\r\n", "\n").replace("\n", "\r\n")
    assert drafts._encode(text) == quote(crlf, safe="")


def test_proofreading_finds_typos_wrong_names_and_wrong_titles(
    make_workspace: Callable[..., Path],
) -> None:
    notes = ONSITE.replace(
        "Your plan to move the team off the pager rota was the part of the day I enjoyed most.",
        "I will recieve your notes gladly. As Engineering Director you know, Dana Reyez.",
    )
    _, problems = drafts_of(make_workspace({"data/interviews/acme-onsite.md": notes}))
    path = "data/interviews/acme-onsite.md"
    assert problems == [
        f"{path}:11:8: warning: draft to Dana Reyes: 'recieve' may be misspelt "
        "(did you mean 'receive'?); if it is right, add it to data/words.txt",
        f"{path}:11:38: warning: draft to Dana Reyes: 'Engineering Director' is not "
        "Dana Reyes's title, 'Engineering Manager' (data/contacts/dana-reyes.yaml)",
        f"{path}:11:74: warning: draft to Dana Reyes: 'Reyez' looks like a misspelling of "
        "'Reyes' (data/contacts/dana-reyes.yaml)",
    ]


def as_watch(root: Path) -> Callable[..., tuple[list[Draft], list[str]]]:
    """The drafts and problems analyse finds, read as watch reads after a save of these
    files: an unchanged file is the same record, the records of the last good build are
    the last records, and the rules, the drafts and their proofreading are kept."""
    cache, kept, last = DocumentCache(), build.Kept(root), []

    def analysed(*saved: str) -> tuple[list[Draft], list[str]]:
        cache.forget(root, saved)
        records, found = workspace.read(root, NEW_YORK, cache, last=last[0] if last else None)
        analysis = build.analyse(root, records, found, NOW, kept)
        kept.turn()
        if not has_errors(analysis.problems):
            last[:] = [records]
        return analysis.drafts, [str(p) for p in analysis.problems]

    return analysed


def test_a_draft_made_by_a_build_that_failed_is_not_kept(
    make_workspace: Callable[..., Path],
) -> None:
    """A note template fails on Raj's draft, after Dana's was made from the failed
    build's records: once Raj's file is mended, Dana's draft is made from hers as
    they are now."""
    greeting = "Subject: Hi\n\nDear {{ person.first_name }} ({{ person.title.split()[0] }}),\n"
    dana, raj = "data/contacts/dana-reyes.yaml", "data/contacts/raj-patel.yaml"

    def person(name: str, title: str) -> str:
        return f"name: {name}\ntitle: '{title}'\ncompany: acme\nemail: x@acme.example\n"

    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE,
            "templates/notes/after-interview.txt": greeting,
            raj: person("Raj Patel", "Staff Engineer"),
        }
    )
    analysed = as_watch(root)
    assert by_person(analysed()[0])["raj-patel"].body == "Dear Raj (Staff),\n"
    write_tree(root, {dana: person("Dana Reyes", "Lead Engineer"), raj: person("Raj Patel", "")})
    assert analysed(dana, raj)[0] == []  # (Raj's title has no first word)
    write_tree(
        root,
        {dana: person("Dana Reyes", "Principal Engineer"), raj: person("Raj Patel", "Staff")},
    )
    found, problems = analysed(dana, raj)
    assert not any(": error: " in p for p in problems)
    assert by_person(found)["dana-reyes"].body == "Dear Dana (Principal),\n"


@pytest.mark.parametrize("watched", [False, True])
def test_a_draft_is_proofread_again_only_when_its_own_words_change(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch, watched: bool
) -> None:
    notes = ONSITE.replace(
        "the part of the day I enjoyed most.",
        "the kubectlish part of the day. As Engineering Director you know it.",
    )
    root = make_workspace({"data/interviews/acme-onsite.md": notes})
    analysed = as_watch(root) if watched else lambda *_: drafts_of(root)

    def problems(*saved: str) -> list[str]:
        return analysed(*saved)[1]

    flagged = ["'kubectlish' may be misspelt", "'Engineering Director' is not"]
    assert [any(f in p for p in problems()) for f in flagged] == [True, True]
    read: list[str] = []
    spelling = proofread._spelling

    def reading(draft: Draft, *rest: Any) -> list[Problem]:
        read.append(draft.contact.slug)
        return spelling(draft, *rest)

    monkeypatch.setattr(proofread, "_spelling", reading)
    lee, guild = "data/contacts/lee-wong.yaml", "data/companies/guild.yaml"
    write_tree(root, {lee: "name: Lee Wong\ntitle: Zookeeper\n"})
    assert [any(f in p for p in problems(lee)) for f in flagged] == [True, True]
    assert read == []  # the new words are in no draft
    write_tree(root, {lee: "name: Lee Kubectlish\ntitle: Director\n"})  # (its words only)
    assert [any(f in p for p in problems(lee)) for f in flagged] == [False, True]
    assert read == ["dana-reyes"]
    write_tree(root, {guild: "name: Engineering Director Guild\n"})
    assert [any(f in p for p in problems(guild)) for f in flagged] == [False, False]
    assert read == ["dana-reyes", "dana-reyes"]
    (root / guild).unlink()
    (root / lee).unlink()
    assert [any(f in p for p in problems(lee, guild)) for f in flagged] == [True, True]


def test_the_dictionary_is_loaded_once_a_process(
    make_workspace: Callable[..., Path], speller_loads: list[object]
) -> None:
    """It takes a sixth of a second to load: watch would pay that at every save that
    changes a draft."""
    root = make_workspace({"data/interviews/acme-onsite.md": ONSITE})
    for typo in ("kubectlish", "zorblish"):
        notes = ONSITE.replace("the part of the day", f"the {typo} part of the day")
        write_tree(root, {"data/interviews/acme-onsite.md": notes})
        assert any(f"'{typo}' may be misspelt" in p for p in drafts_of(root)[1])
    assert len(speller_loads) == 1


def test_a_draft_is_proofread_again_when_its_contact_changes(
    make_workspace: Callable[..., Path],
) -> None:
    """The draft's text is the same, but the person can now be written to."""
    dana = "name: Dana Reyes\ntitle: Engineering Manager\ncompany: acme\nprefers: mail\n"
    root = make_workspace(
        {"data/interviews/acme-onsite.md": ONSITE, "data/contacts/dana-reyes.yaml": dana}
    )
    flagged = "Dana Reyes prefers mail but has no address"
    assert any(flagged in p for p in drafts_of(root)[1])
    (root / "data/contacts/dana-reyes.yaml").write_text(f"{dana}address: 1 Main St\n")
    assert not any(flagged in p for p in drafts_of(root)[1])


def test_a_warning_follows_its_contact_file_when_it_is_renamed(
    make_workspace: Callable[..., Path],
) -> None:
    """The same text under a new name (.yaml to .yml): the draft and its proofreading,
    kept by a new process's cache, point at the file as it is called now."""
    dana = "name: Dana Reyes\ntitle: Engineering Manager\ncompany: acme\nprefers: mail\n"
    root = make_workspace(
        {"data/interviews/acme-onsite.md": ONSITE, "data/contacts/dana-reyes.yaml": dana}
    )
    assert any(p.startswith("data/contacts/dana-reyes.yaml:") for p in drafts_of(root)[1])
    (root / "data/contacts/dana-reyes.yaml").rename(root / "data/contacts/dana-reyes.yml")
    build._templating.cache_clear()  # as a new process, with only the cache's drafts
    problems = drafts_of(root)[1]
    assert any(p.startswith("data/contacts/dana-reyes.yml:1:1: warning: Dana") for p in problems)
    assert not any("dana-reyes.yaml" in p for p in problems)


def test_words_of_my_own_are_not_flagged(make_workspace: Callable[..., Path]) -> None:
    notes = ONSITE.replace("pager rota", "pager rota on Zorbly")
    notes = notes.replace("the part of the day", "the kubectlish part of the day")
    root = make_workspace({"data/interviews/acme-onsite.md": notes})
    assert any("'kubectlish' may be misspelt" in p for p in drafts_of(root)[1])
    (root / "data/words.txt").write_text("# my jargon\nkubectlish\n", encoding="utf-8")
    assert drafts_of(root)[1] == []  # 'Zorbly' is a name inside a sentence: never flagged


def test_drafts_with_nothing_personal_are_flagged(make_workspace: Callable[..., Path]) -> None:
    bare = ONSITE.split("We met")[0]  # no notes: only the template speaks in either draft
    _, problems = drafts_of(make_workspace({"data/interviews/acme-onsite.md": bare}))
    assert problems == [
        f"data/interviews/acme-onsite.md:1:1: warning: the draft to {name} has nothing "
        f"personal in it: write what you talked about under '## {name}' in the notes"
        for name in ("Dana Reyes", "Raj Patel")
    ]


def test_a_lone_draft_with_an_empty_section_is_flagged_too(
    make_workspace: Callable[..., Path],
) -> None:
    alone = ONSITE.replace("interviewers: [dana-reyes, raj-patel]", "interviewers: [dana-reyes]")
    alone = alone.replace(
        "Your plan to move the team off the pager rota was the part of the day I enjoyed most.", ""
    )
    _, problems = drafts_of(make_workspace({"data/interviews/acme-onsite.md": alone}))
    assert len(problems) == 1 and "the draft to Dana Reyes has nothing personal" in problems[0]


def test_headings_match_names_whatever_their_accents(make_workspace: Callable[..., Path]) -> None:
    accents = ONSITE.replace("## Dana Reyes", "## Dána  REYES")
    found, problems = drafts_of(make_workspace({"data/interviews/acme-onsite.md": accents}))
    assert problems == []
    assert "pager rota" in by_person(found)["dana-reyes"].body


def test_near_copies_are_flagged(make_workspace: Callable[..., Path]) -> None:
    same = "We talked about the billing queue and its retries, at length and in depth."
    notes = ONSITE.replace(
        "Your plan to move the team off the pager rota was the part of the day I enjoyed most.",
        same,
    ).replace("Pairing with you on the billing queue's retries was the best hour of the day.", same)
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": notes,
            # One opening and closing for everyone, as a careless override might have.
            "templates/notes/after-interview.txt": "Subject: Thanks\n\n"
            "Dear {{ person.first_name }},\n\nThank you for meeting me. {{ section }}\n\n"
            "Best,\n{{ me.name }}\n",
        }
    )
    _, problems = drafts_of(root)
    assert problems == [
        "data/interviews/acme-onsite.md:1:1: warning: the drafts to Dana Reyes and Raj Patel "
        "read nearly alike (100% the same): say something different to each in their "
        "'## name' sections"
    ]


def test_a_draft_that_cannot_go_out_as_preferred(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE,
            "data/contacts/dana-reyes.yaml": "name: Dana Reyes\ntitle: Engineering Manager\n"
            "prefers: email\n",
            "data/contacts/raj-patel.yaml": "name: Raj Patel\nprefers: card\n",
        }
    )
    _, problems = drafts_of(root)
    assert problems == [
        "data/contacts/dana-reyes.yaml:1:1: warning: Dana Reyes prefers email but has no "
        "email: add one, so that the draft in site/drafts/acme-onsite/dana-reyes.md can go out",
        "data/contacts/raj-patel.yaml:1:1: warning: Raj Patel prefers card but has no "
        "address: add one, so that the draft in site/drafts/acme-onsite/raj-patel.md can go out",
    ]


def test_a_workspace_note_template_wins(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE,
            "templates/notes/after-interview.txt": "Subject: Cheers\n\nHi {{ person.first_name }}!"
            " {{ section }}\n",
        }
    )
    found, _ = drafts_of(root)
    dana = by_person(found)["dana-reyes"]
    assert dana.subject == "Cheers"
    assert dana.body.startswith("Hi Dana! Your plan to move the team off the pager rota")


def test_a_broken_note_template_is_an_error_with_its_place(
    make_workspace: Callable[..., Path],
) -> None:
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE,
            "templates/notes/after-interview.txt": "Subject: x\n\n{{ person.first_name\n",
        }
    )
    result = CliRunner().invoke(main, ["-C", str(root), "check", "--now", "2026-11-19 07:00"])
    assert result.exit_code == 2
    assert "templates/notes/after-interview.txt:3:1: " in result.output


def test_the_site_has_every_draft_to_send_or_print(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE,
            "data/contacts/raj-patel.yaml": "name: Raj Patel\nprefers: card\n"
            'address: "2 Side St\\nSpringfield"\n',
        }
    )
    result = CliRunner().invoke(main, ["-C", str(root), "build", "--now", "2026-11-19 07:00"])
    assert result.exit_code == 0, result.output
    site = root / "site"
    for person in ("dana-reyes", "raj-patel"):
        for ending in (".md", ".eml", ".html"):
            assert (site / f"drafts/acme-onsite/{person}{ending}").is_file()
    md = (site / "drafts/acme-onsite/dana-reyes.md").read_text(encoding="utf-8")
    assert md.startswith("Subject: Thank you: Backend Engineer interview\n\nDear Dana,")
    interview = (site / "interviews/acme-onsite.html").read_text(encoding="utf-8")
    assert "Your plan to move the team off the pager rota" in interview
    assert 'href="mailto:dana@acme.example?subject=' in interview
    dashboard = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="drafts/acme-onsite/dana-reyes.html"' in dashboard
    card = (site / "drafts/acme-onsite/raj-patel.html").read_text(encoding="utf-8")
    assert 'class="paper card"' in card and "2 Side St<br>Springfield" in card
    tasks = json.loads((site / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    assert {t["contact"] for t in tasks if t["rule"] == "thank-you"} == {"dana-reyes", "raj-patel"}


def test_sections_match_name_slug_or_a_unique_first_name() -> None:
    notes = "Intro.\n\n## dana-reyes\nFirst.\n\n## Raj\nSecond.\n\n# Other\nNot a section.\n"
    found = drafts.sections(notes, first_line=5)
    assert found["dana-reyes"] == drafts.Section("First.", 8)
    assert found["raj"] == drafts.Section("Second.", 11)
    assert "other" not in found


def test_rules_and_drafts_agree_on_who_is_owed(make_workspace: Callable[..., Path]) -> None:
    root = make_workspace({"data/interviews/acme-onsite.md": ONSITE})
    records, _ = workspace.read(root, NEW_YORK)
    owed = {t.contact for t in rules.tasks(records, NOW) if t.rule == "thank-you"}
    assert {d.contact.slug for d in drafts_of(root)[0]} == owed


WON = APPLICATION.replace("interviewing", "accepted").replace(
    "contact: dana-reyes",
    "contact: dana-reyes\n    references: [raj-patel]\n    closed: 2026-11-19",
)
GLOBEX = {
    "data/companies/globex.yaml": "name: Globex\n",
    "data/contacts/raj-patel.yaml": "name: Raj Patel\ncompany: globex\n",
    "templates/notes/after-interview.txt": "Subject: Hi\n\n{{ person.company }}\n",
}
THANKED = ONSITE.replace(
    "interviewers: [dana-reyes, raj-patel]",
    "interviewers: [dana-reyes, raj-patel]\n    log:\n"
    "      - {on: 2026-11-18 20:00, did: thank-you, with: dana-reyes, via: email}\n"
    "      - {on: 2026-11-18 20:00, did: thank-you, with: raj-patel, via: email}",
)
#: Each changes one thing a draft is made from, and nothing else it is made from.
KEPT_EDITS: list[tuple[str, Files, Files]] = [
    ("notes", {}, {"data/interviews/acme-onsite.md": ONSITE.replace("pager rota", "on-call")}),
    ("the kind", {}, {"data/interviews/acme-onsite.md": ONSITE.replace("onsite", "phone")}),
    (
        "a recruiter",
        {},
        {"data/contacts/raj-patel.yaml": "name: Raj Patel\ntitle: Recruiter\ncompany: acme\n"},
    ),
    (
        "my name",
        {},
        {"data/settings.yaml": "me: {name: Sam T. Taylor}\ntimezone: America/New_York\n"},
    ),
    ("the pitch", {}, {"data/applications/acme-backend.yaml": APPLICATION.replace("five", "six")}),
    ("the company", {}, {"data/companies/acme.yaml": "name: Acme Widgets\n"}),
    ("the person's company", GLOBEX, {"data/companies/globex.yaml": "name: Globex Corp\n"}),
    (
        "who interviewed",
        {"data/applications/acme-backend.yaml": WON},
        {
            "data/interviews/acme-onsite.md": ONSITE.replace(
                ", raj-patel]", "]\n    also_met: [raj-patel]"
            )
        },
    ),
    (
        "who interviewed, both thanked",  # the same notes owed: only how Raj helped moves
        {"data/applications/acme-backend.yaml": WON, "data/interviews/acme-onsite.md": THANKED},
        {"data/interviews/acme-onsite.md": THANKED.replace(", raj-patel]", "]", 1)},
    ),
]


@pytest.mark.parametrize(("_name", "before", "after"), KEPT_EDITS)
def test_drafts_kept_from_the_last_build_are_those_made_anew(
    make_workspace: Callable[..., Path], _name: str, before: Files, after: Files
) -> None:
    """Watch keeps the last build's drafts; each must be what a new build would make."""
    root = make_workspace(
        {
            "data/interviews/acme-onsite.md": ONSITE,
            "data/applications/acme-backend.yaml": APPLICATION,
            **before,
        }
    )
    env, remembered, cache = drafts.environment(root), drafts.Kept(), DocumentCache()
    records, _ = workspace.read(root, NEW_YORK, cache)
    worked = rules.work(records, NOW)
    first = drafts.drafts(records, worked.tasks, env, remembered)
    write_tree(root, after)
    cache.forget(root, list(after))
    # As watch reads: an unchanged file is the same record, an unchanged task the same task.
    records, _ = workspace.read(root, NEW_YORK, cache, last=records)
    tasks = rules.work(records, NOW, worked).tasks
    kept = drafts.drafts(records, tasks, env, remembered)
    assert kept == drafts.drafts(records, tasks, env)
    assert [d.text for d in kept] != [d.text for d in first], "the edit changes a draft"


def test_a_build_in_a_new_process_makes_again_only_the_drafts_whose_files_changed(
    make_workspace: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drafts are kept in the cache by what they are made from: a new email for Dana
    makes her draft again, with it; Raj's is the one made before."""
    root = make_workspace({"data/interviews/acme-onsite.md": ONSITE})
    at = ["-C", str(root), "build", "--now", NOW.strftime("%Y-%m-%d %H:%MZ")]
    assert CliRunner().invoke(main, at).exit_code == 0
    made: list[str] = []
    original = drafts._draft

    def counting(records: Any, task: Any, contact: Any, *rest: Any) -> Draft:
        made.append(contact.slug)
        return original(records, task, contact, *rest)

    monkeypatch.setattr(drafts, "_draft", counting)
    dana = root / "data/contacts/dana-reyes.yaml"
    dana.write_text(dana.read_text().replace("dana@acme.example", "dana@new.example"))
    build._templating.cache_clear()  # as a new process, which has made no draft yet
    assert CliRunner().invoke(main, at).exit_code == 0
    assert made == ["dana-reyes"]
    eml = (root / "site/drafts/acme-onsite/dana-reyes.eml").read_text(encoding="utf-8")
    assert "dana@new.example" in eml
    assert (root / "site/drafts/acme-onsite/raj-patel.eml").is_file()
