"""Proofreading the drafts before they go out.

Seed 002: "Proofread your thank-you letters or cards before sending them and make
100% sure that there are no grammar or spelling errors", and get everyone's name
and title right. Each warning names the draft and points at the file to fix: the
interview's notes when the words came from there, else the draft in the site.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from followup import store
from followup.drafts import Draft, digest
from followup.model import Application, Company, Contact, Records
from followup.pickling import by_new_ids
from followup.problems import Problem

#: Drafts this alike (0-1, by words) read as copies of each other.
ALIKE = 0.85
#: Words of the job search that general dictionaries lack.
JARGON = frozenset({
    "backend", "frontend", "onsite", "offsite", "codebase", "workflow", "workflows", "roadmap",
    "postmortem", "postmortems", "microservice", "microservices", "kubernetes", "devops", "api",
    "apis", "saas", "fintech", "startup", "startups", "teammate", "teammates", "onboarding",
    "email", "emails", "linkedin", "online", "offline", "runbook", "runbooks", "dashboard",
    "dashboards", "dataset", "datasets", "rollout", "rollouts",
})  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019]*(?:-[A-Za-z][A-Za-z'\u2019]*)*")
#: An address starts where its run of non-spaces starts: saying so spares the search from
#: trying again at every letter of every word.
_ADDRESS = re.compile(r"(?<!\S)\S+@\S+|\b(?:https?://|www\.)\S+")
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
_POSSESSIVE = re.compile(r"'s$|'$")
#: Words this alike (0-1, by letters) read as a misspelling of a name.
_NEARLY = 0.75


class Speller(Protocol):
    def unknown(self, words: Iterable[str]) -> set[str]: ...
    def correction(self, word: str) -> str | None: ...


def words_file(root: Path) -> set[str]:
    """data/words.txt: names and jargon of my own, one a line; '#' starts a comment."""
    try:
        text = (root / "data" / "words.txt").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {line.split("#")[0].strip().casefold() for line in text.splitlines()} - {""}


@functools.lru_cache(maxsize=1)
def speller() -> Speller:
    """Loaded once a process: its dictionary takes 0.16 s to load and 22 MB to keep, and
    watch would load it again at every save that changes a draft."""
    from spellchecker import SpellChecker  # its dictionary ships inside the package

    checker: Speller = SpellChecker(distance=1)
    return checker


@dataclass(frozen=True)
class Proofread:
    """A draft's warnings, and what of the workspace's words they were found against."""

    problems: tuple[Problem, ...]
    looked_up: frozenset[str]  # every word of the draft that was looked up in the known
    known: frozenset[str]  # those of them that were known
    runs: tuple[tuple[str, bool], ...]  # title-like phrases, and whether a phrase held them

    def still_true(self, known: set[str], phrases: set[str]) -> bool:
        """Would the draft be read the same against these words: so that a new contact
        elsewhere does not have every draft proofread again."""
        return self.looked_up & known == self.known and all(
            _in_phrases(run, phrases) == held for run, held in self.runs
        )


class Seen:
    """What watch keeps of the last proofreading: the workspace's words and phrases, each
    counted by the records that hold it, and each draft's proofreading, by the draft
    (the very same object). A save then looks at the words and phrases of the records it
    changed, and proofreads again only the drafts it changed or that held a word or a
    phrase that came or went (at N=2000, 4,000 drafts: 51 ms a save)."""

    def __init__(self) -> None:
        self.records: Records | None = None
        self.words: Counter[str] = Counter()
        self.phrases: Counter[str] = Counter()
        self.own: set[str] = set()
        self.drafts: dict[int, tuple[Draft, Proofread, str]] = {}  # by id: with its key
        #: What the speller said of each word it was asked about: whether it does not
        #: know it, and its best guess. A build in a new process then loads the speller
        #: (0.12 s) only for a word it was never asked about (see resume).
        self.unknown: dict[str, bool] = {}
        self.guesses: dict[str, str | None] = {}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.drafts = by_new_ids(self.drafts, lambda _, seen: id(seen[0]))


def proofread(
    records: Records,
    drafts: list[Draft],
    own_words: set[str],
    spell: Speller | None = None,
    memo: store.Memo[Proofread] | None = None,
    seen: Seen | None = None,
) -> list[Problem]:
    """Every warning about the drafts. With a memo, a draft proofread before (the same
    text, person and notes, and the same words of it known) is not proofread again; with
    seen, what watch keeps, such a draft is not even looked up (see Seen)."""
    if not drafts:
        return []
    seen = seen if seen is not None else Seen()
    moved = _vocabulary(records, own_words, seen)
    known = set(seen.words) | own_words | JARGON
    phrases = set(seen.phrases)
    memo = memo if memo is not None else store.Memo()
    dictionaries: list[_Dictionary] = []

    def check(draft: Draft) -> Proofread:
        if not dictionaries:
            dictionaries.append(_Dictionary(spell, known, seen))
        found = _spelling(draft, dictionaries[0], known) + _names(draft, known, phrases)
        looked_up = _looked_up(draft)
        return Proofread(
            problems=(*found, *_reachable(draft)),
            looked_up=looked_up,
            known=looked_up & known,
            runs=tuple((run, _in_phrases(run, phrases)) for run, _ in _title_runs(draft)),
        )

    def still_true(done: Proofread) -> bool:
        return done.still_true(known, phrases)

    found: list[Problem] = []
    zone = records.settings.zone.key
    was, seen.drafts = seen.drafts, {}
    for draft in drafts:
        last = was.get(id(draft))
        if moved is not None and last is not None and last[0] is draft and _holds(last[1], *moved):
            done, key = last[1], last[2]
            memo.keep(key)
        else:
            notes = (draft.section.text, draft.section.line) if draft.section else (None, None)
            contact = records.file_of(draft.contact)
            key = _key(digest(draft), *notes, draft.source, *contact, zone)
            done = memo.get(key, functools.partial(check, draft), still_true)
        seen.drafts[id(draft)] = (draft, done, key)
        found += done.problems
    found += _alike(drafts)
    return found


def _holds(done: Proofread, words: set[str], phrases: set[str]) -> bool:
    """Whether a draft's proofreading holds still, these words having come or gone from
    the known words, and these phrases from the known phrases."""
    return done.looked_up.isdisjoint(words) and not any(
        _in_phrases(run, phrases) for run, _ in done.runs
    )


def _vocabulary(
    records: Records, own_words: set[str], seen: Seen
) -> tuple[set[str], set[str]] | None:
    """The workspace's words and phrases, counted in seen: from the records that changed
    since seen's, if it has them; then the words and the phrases that came or went. None
    when all were counted afresh."""
    since = records.since
    if not (seen.records and since and since[0] is seen.records) or ("settings", "") in since[1]:
        known = _known(records)
        seen.words, seen.phrases = Counter(known[0]), Counter(known[1])
        seen.records, seen.own = records, set(own_words)
        return None
    words, phrases = set(own_words ^ seen.own), set()
    for folder, slug in since[1]:
        was = _held(getattr(seen.records, folder).get(slug))
        now = _held(getattr(records, folder).get(slug))
        words |= _recount(seen.words, was[0], now[0])
        phrases |= _recount(seen.phrases, was[1], now[1])
    seen.records, seen.own = records, set(own_words)
    return words, phrases


def _recount(counts: Counter[str], gone: list[str], came: list[str]) -> set[str]:
    """Counted again, one record's gone and come in its place; what came or went."""
    touched = set(gone) | set(came)
    had = {item for item in touched if counts[item] > 0}
    counts.subtract(gone)
    counts.update(came)
    has = {item for item in touched if counts[item] > 0}
    for item in touched - has:
        del counts[item]
    return had ^ has


@functools.lru_cache(maxsize=1 << 15)
def _key(*what: str | int | None) -> str:
    """A digest of all a draft's proofreading reads but the workspace's words (a draft,
    the notes it drew on, its contact's file and the zone), remembered: watch asks at
    every save for every draft, and most are the same."""
    return store.digest_of(what)


class _Dictionary:
    """The speller and the workspace's own words, each word looked up once: the drafts
    share most of their words. The speller, slow to load, is loaded only for a word it
    was never asked about (seen keeps what it said)."""

    def __init__(self, spell: Speller | None, known: set[str], seen: Seen) -> None:
        self._spell = spell
        self._known = known
        self._suspects: dict[str, tuple[tuple[str, str], ...]] = {}
        self._unknown, self._guesses = seen.unknown, seen.guesses

    def _speller(self) -> Speller:
        if self._spell is None:
            self._spell = speller()
        return self._spell

    def _is_unknown(self, word: str) -> bool:
        found = self._unknown.get(word)
        if found is None:
            found = self._unknown[word] = bool(self._speller().unknown([word]))
        return found

    def suspects(self, word: str) -> tuple[tuple[str, str], ...]:
        """The parts of a (hyphenated) word that neither knows, each as written and as
        looked up."""
        found = self._suspects.get(word)
        if found is None:
            parts = ((part, _POSSESSIVE.sub("", part).casefold()) for part in word.split("-"))
            found = self._suspects[word] = tuple(
                (part, bare)
                for part, bare in parts
                if len(bare) >= 3 and bare not in self._known and self._is_unknown(bare)
            )
        return found

    def correction(self, word: str) -> str | None:
        if word not in self._guesses:
            self._guesses[word] = self._speller().correction(word)
        return self._guesses[word]


def _spelling(draft: Draft, dictionary: _Dictionary, known: set[str]) -> list[Problem]:
    found = []
    seen = set()
    text = draft.text
    for match in _WORD.finditer(_without_addresses(text)):
        word = match.group().replace("\u2019", "'")
        suspects = dictionary.suspects(word)
        if not suspects or word.casefold() in known or _proper_noun(text, match.start()):
            continue
        for part, bare in suspects:
            if bare in seen:
                continue
            seen.add(bare)
            guess = dictionary.correction(bare)
            hint = f" (did you mean '{guess}'?)" if guess and guess != bare else ""
            message = f"'{part}' may be misspelt{hint}; if it is right, add it to data/words.txt"
            found.append(_at(draft, match.start(), word, message))
    return found


def _names(draft: Draft, known: set[str], phrases: set[str]) -> list[Problem]:
    """A name or title in the text that is close to, but not, the contact's own."""
    contact = draft.contact
    found = []
    parts = [p for p in contact.name.split() if len(p) >= 3]
    for match in _WORD.finditer(draft.text):
        word = match.group()
        if not word[0].isupper() or word.casefold() in known:
            continue
        for part in parts:
            if word != part and _alike_words(word, part):
                message = f"'{word}' looks like a misspelling of '{part}' ({contact.path})"
                found.append(_at(draft, match.start(), word, message))
    for run, start in _title_runs(draft):
        if not _in_phrases(run, phrases):
            title = contact.title
            message = f"'{run}' is not {contact.name}'s title, '{title}' ({contact.path})"
            found.append(_at(draft, start, run, message))
    return found


def _title_runs(draft: Draft) -> Iterator[tuple[str, int]]:
    """Runs of capitalised words in the text that hold a word of the contact's title,
    with where each starts: 'As Director' is not one, 'Engineering Director' is."""
    title_words = {w for w in (draft.contact.title or "").split() if len(w) > 3 and w[0].isupper()}
    if not title_words:
        return
    for match in _CAPITALISED_RUN.finditer(draft.text):
        run, start = match.group(), match.start()
        first = run.split()[0]
        if first not in title_words and not _proper_noun(draft.text, start):
            run, start = run[len(first) :].lstrip(), start + len(first) + 1
        if " " in run and title_words & set(run.split()):
            yield run, start


def _in_phrases(run: str, phrases: set[str]) -> bool:
    """Part of a role, a title or a company's name: a title of someone, rightly named."""
    return any(run in phrase for phrase in phrases)


def _looked_up(draft: Draft) -> frozenset[str]:
    """Every word the proofreading of a draft looks up among the known words."""
    text = draft.text
    words = set(_WORD.findall(text)) | set(_WORD.findall(_without_addresses(text)))
    return frozenset().union(*map(_forms, words))


@functools.lru_cache(maxsize=2**16)
def _forms(word: str) -> frozenset[str]:
    """A word as proofreading looks it up: as it is, with a plain apostrophe, and each
    part of it without a possessive 's."""
    plain = word.replace("\u2019", "'")
    parts = (_POSSESSIVE.sub("", part).casefold() for part in plain.split("-"))
    return frozenset((word.casefold(), plain.casefold(), *parts))


@functools.lru_cache(maxsize=2**16)
def _alike_words(word: str, other: str) -> bool:
    """Nearly the same word: a slip of the keyboard. Remembered, as drafts share most of
    their words; the cheap upper bounds of the ratio come first."""
    matcher = difflib.SequenceMatcher(None, word, other)
    return (
        matcher.real_quick_ratio() >= _NEARLY
        and matcher.quick_ratio() >= _NEARLY
        and matcher.ratio() >= _NEARLY
    )


def _reachable(draft: Draft) -> list[Problem]:
    """A draft that cannot go out the way the person prefers."""
    contact = draft.contact
    if contact.prefers is None:
        return []  # no preference stated: the draft goes where it can
    need = {"email": ("email", contact.email), "mail": ("address", contact.address)}
    need["card"] = need["mail"]
    field, value = need.get(draft.channel, ("", "x"))
    if value:
        return []
    message = (
        f"{contact.name} prefers {draft.channel} but has no {field}: add one, so that the "
        f"draft in site/{draft.path}.md can go out"
    )
    return [Problem(contact.path, 1, 1, "warning", message)]


def _alike(drafts: list[Draft]) -> list[Problem]:
    """Seed 002: 'Say something slightly different in each one.'"""
    by_interview: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        if draft.task.rule == "thank-you":
            by_interview[draft.folder].append(draft)
    found = []
    for group in by_interview.values():
        for draft in group:
            if draft.section is None:
                message = (
                    f"the draft to {draft.contact.name} has nothing personal in it: write what "
                    f"you talked about under '## {draft.contact.name}' in the notes"
                )
                found.append(Problem(draft.source, 1, 1, "warning", message))
        personal = [draft for draft in group if draft.section is not None]
        for one, other in itertools.combinations(personal, 2):
            names = f"the drafts to {one.contact.name} and {other.contact.name}"
            first, second = (_comparable(d).split() for d in (one, other))
            alike = difflib.SequenceMatcher(None, first, second).ratio()
            if alike >= ALIKE:
                message = (
                    f"{names} read nearly alike ({alike:.0%} the same): say something "
                    "different to each in their '## name' sections"
                )
                found.append(Problem(one.source, 1, 1, "warning", message))
    return found


def _comparable(draft: Draft) -> str:
    """The body without the greeting, which always differs by name."""
    return draft.body.replace(draft.contact.name.split()[0], "")


def _at(draft: Draft, offset: int, word: str, message: str) -> Problem:
    """A problem at the word: in the notes if it came from there, else in the draft."""
    named = f"draft to {draft.contact.name}: {message}"
    section = draft.section
    if section is not None:
        found = re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", section.text)
        if found:
            before = section.text[: found.start()]
            line = section.line + before.count("\n")
            column = found.start() - (before.rfind("\n") + 1) + 1
            return Problem(draft.source, line, column, "warning", named)
    before = draft.text[:offset]
    line, column = before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1
    return Problem(f"site/{draft.path}.md", line, column, "warning", named)


def _without_addresses(text: str) -> str:
    """Email addresses and links blanked out, keeping every other word where it was."""
    return _ADDRESS.sub(lambda m: " " * len(m.group()), text)


def _proper_noun(text: str, start: int) -> bool:
    """A capitalised word inside a sentence: a name, which no dictionary knows."""
    if not text[start].isupper():
        return False
    before = start
    while before and text[before - 1] in " \t":
        before -= 1
    return before > 0 and text[before - 1] not in ".!?:\n"


def _known(records: Records) -> tuple[list[str], list[str]]:
    """The workspace's words and phrases (see _held), each once a record."""
    words, phrases = _words([records.settings.me.name]), []
    for group in (records.contacts, records.companies, records.applications):
        for record in group.values():
            held = _held(record)
            words += held[0]
            phrases += held[1]
    return words, phrases


def _held(record: object) -> tuple[list[str], list[str]]:
    """A record's words of names, titles, roles, companies and tags, each once; and its
    phrases that may hold title words: a title, a role, a company's name."""
    if isinstance(record, Contact):
        title = [record.title] if record.title else []
        return _words([record.name, *title, *record.tags]), title
    if isinstance(record, Company):
        return _words([record.name, *record.tags]), [record.name]
    if isinstance(record, Application):
        return _words([record.role]), [record.role]
    return [], []


def _words(texts: list[str]) -> list[str]:
    return list({w.casefold() for text in texts for w in _WORD.findall(text.replace("-", " "))})
