"""Read workspace files into documents: plain values that remember where they came from.

libyaml composes the nodes; converting them here, instead of with PyYAML's
constructors, lets us keep every key's and value's position, refuse duplicate
keys, and stop YAML 1.1 from guessing: dates and times stay strings for the
model to parse, `no` stays the word "no", and `12:30` is not 750.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from followup import store
from followup.pickling import by_fields
from followup.problems import Problem, did_you_mean, fault

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

#: A place in a document: keys and list indexes from the top, like ("log", 0, "on").
Loc = tuple[str | int, ...]

#: Record folders under data/ and the file endings each accepts.
RECORD_FOLDERS: dict[str, tuple[str, ...]] = {
    "contacts": (".yaml", ".yml", ".md"),
    "companies": (".yaml", ".yml"),
    "applications": (".yaml", ".yml"),
    "interviews": (".md",),
}
SETTINGS = "settings.yaml"

_MAX_NODES = 100_000  # aliases can multiply a small file into a huge one
_TAG = "tag:yaml.org,2002:"
_MERGE = _TAG + "merge"
#: A file name without its ending; the editor schemas check slugs with it too.
SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_UNUSUAL_BREAKS = {0x85: " ", 0x2028: " ", 0x2029: " "}
_EDITOR_JUNK = re.compile(r"^(\..*|.*~|.*\.sw[a-p]|.*\.tmp|4913|#.*#)$")


def is_editor_junk(name: str) -> bool:
    """Hidden files, and the swap, backup and temporary files editors leave while saving."""
    return bool(_EDITOR_JUNK.match(name))


@by_fields
@dataclass(frozen=True, slots=True)
class Position:
    line: int
    column: int


@by_fields
@dataclass(slots=True)
class Document:
    """One file's values, with the position of every key and value in it."""

    path: str  # relative to the workspace, with forward slashes
    data: Any = None
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    body: str = ""  # the Markdown after the front matter
    body_line: int = 1
    parsed: bool = False  # False when the file could not be read as YAML at all
    digest: str = ""  # of the file's text: what the site's pages remember of it

    def at(self, loc: Loc) -> Position:
        """Where the value at loc starts, or its nearest enclosing value."""
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, Position(1, 1))

    def key_at(self, loc: Loc) -> Position:
        """Where the key naming loc starts; for list items, the item."""
        return self.keys.get(loc) or self.at(loc)

    def problem(
        self, loc: Loc, message: str, *, warning: bool = False, key: bool = False
    ) -> Problem:
        pos = self.key_at(loc) if key else self.at(loc)
        return Problem(self.path, pos.line, pos.column, "warning" if warning else "error", message)


@dataclass(frozen=True, slots=True)
class Source:
    """A file that holds a record: its folder's kind and its slug."""

    path: str
    kind: str  # a RECORD_FOLDERS key, or "settings"
    slug: str
    #: It, or its folder, is a link: a change to what it leads to is no event for it.
    linked: bool = False


class _Invalid(Exception):
    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node = node


def is_slug(name: str) -> bool:
    return bool(SLUG.fullmatch(name))


def suggest_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "name"


def read_text(root: Path, rel: str) -> tuple[str | None, Problem | None]:
    """The file's text, or the one problem that stops it being read."""

    def fail(message: str, line: int = 1, column: int = 1) -> tuple[None, Problem]:
        return None, Problem(rel, line, column, "error", message)

    path = root / rel
    if path.is_dir():
        return fail("is a folder, but a record is a file")
    try:
        raw = path.read_bytes()
    except OSError as error:
        return fail(f"cannot be read: {error.strerror or error}")
    if b"\0" in raw:
        return fail("is a binary file, not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start].decode("utf-8", errors="replace")
        before = before.replace("\r\n", "\n").replace("\r", "\n")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        byte = raw[error.start]
        return fail(f"is not UTF-8 text (byte 0x{byte:02X}): save it as UTF-8", line, column)
    return text.replace("\r\n", "\n").replace("\r", "\n"), None


def parse_yaml(path: str, text: str) -> tuple[Document, list[Problem]]:
    """A YAML document; a syntax error is one problem at the place libyaml stopped."""
    doc = Document(path)
    problems: list[Problem] = []
    try:
        node = compose(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = _yaml_reason(error, text)
        problems.append(Problem(path, line, column, "error", f"YAML: {reason}"))
        return doc, problems
    except yaml.YAMLError as error:
        problems.append(Problem(path, 1, 1, "error", f"YAML: {error}"))
        return doc, problems
    doc.parsed = True
    if node is not None:
        converter = _Converter(doc, problems)
        doc.data = converter.value(node, ())
    return doc, problems


def compose(text: str) -> yaml.Node | None:
    """libyaml's node tree of one YAML document, with the marks of every node."""
    # libyaml breaks lines at these too; editors show no break, so neither do we.
    loader = _Loader(text.translate(_UNUSUAL_BREAKS))
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    finally:
        loader.dispose()


def _yaml_reason(error: yaml.MarkedYAMLError, text: str) -> str:
    """libyaml's complaint, said so that a person knows what to change."""
    context, problem = str(error.context or ""), str(error.problem or "")
    lines, mark = text.split("\n"), error.problem_mark
    at_mark = (
        lines[mark.line][mark.column : mark.column + 1] if mark and mark.line < len(lines) else ""
    )
    if at_mark == "\t" and "tab" not in problem:
        return "a tab character: indent with spaces, YAML does not allow tabs for indentation"
    if "single document" in context:
        return "holds more than one YAML document: remove the second '---'"
    if "duplicate anchor" in context:
        first = error.context_mark.line + 1 if error.context_mark else "?"
        return f"{context.removesuffix('; first occurrence')} (first defined on line {first})"
    return problem or context or "invalid YAML"


def parse_markdown(path: str, text: str) -> tuple[Document, list[Problem]]:
    """A Markdown file with YAML front matter between two '---' lines."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        message = "needs YAML front matter: start the file with a line '---'"
        return Document(path, body=text), [Problem(path, 1, 1, "error", message)]
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        message = "front matter is not closed: add a line '---' after it"
        return Document(path), [Problem(path, 1, 1, "error", message)]
    # A blank first line keeps libyaml's line numbers equal to the file's.
    doc, problems = parse_yaml(path, "\n" + "\n".join(lines[1:end]))
    doc.body = "\n".join(lines[end + 1 :])
    doc.body_line = end + 2
    return doc, problems


def load_document(root: Path, rel: str) -> tuple[Document, list[Problem]]:
    """Read and parse one file; whatever goes wrong becomes a problem for it."""
    text, problem = read_text(root, rel)
    if text is None:
        assert problem is not None
        return Document(rel), [problem]
    try:
        document, problems = (parse_markdown if rel.endswith(".md") else parse_yaml)(rel, text)
    except RecursionError:
        return Document(rel), [Problem(rel, 1, 1, "error", "is nested too deeply to read")]
    except Exception as error:  # one broken file must not stop the others
        return Document(rel), [Problem(rel, 1, 1, "error", fault(error))]
    document.digest = store.digest(text.encode())
    return document, problems


def find_sources(root: Path) -> tuple[list[Source], list[Problem]]:
    """Every record file under data/, in a stable order, and the files that cannot be."""
    data = root / "data"
    sources: list[Source] = []
    problems: list[Problem] = []

    def refuse(rel: str, message: str, *, warning: bool = False) -> None:
        problems.append(Problem(rel, 1, 1, "warning" if warning else "error", message))

    real_root = root.resolve()

    def bad_link(path: Path) -> str:
        """Why a file that is a link cannot be read, or '' when it can."""
        try:
            path.resolve().relative_to(real_root)
        except ValueError:
            return "is a link that leads outside the workspace: refused"
        except (OSError, RuntimeError):  # RuntimeError: a loop of links
            return "is a link that leads to itself"
        return ""

    settings = data / SETTINGS
    if settings.exists() or settings.is_symlink():
        rel = f"data/{SETTINGS}"
        if why := bad_link(settings):
            refuse(rel, why)
        else:
            sources.append(Source(rel, "settings", "settings", settings.is_symlink()))
    for entry in _entries(data):
        if entry.name == SETTINGS or is_editor_junk(entry.name):
            continue
        stem, suffix = os.path.splitext(entry.name)
        if _is_folder(entry) and entry.name not in RECORD_FOLDERS:
            message = f"is not a folder followup reads{_did_you_mean_folder(entry.name)}"
            refuse(f"data/{entry.name}/", message, warning=True)
        elif not _is_folder(entry) and suffix in (".yaml", ".yml", ".md"):
            if stem.lower() == "settings":
                message = f"is not read: followup reads data/{SETTINGS}; rename it"
            else:
                message = "is not read: records go in " + ", ".join(f"{f}/" for f in RECORD_FOLDERS)
            refuse(f"data/{entry.name}", message, warning=True)
    for kind, endings in RECORD_FOLDERS.items():
        folder = data / kind
        if not folder.is_dir():
            continue
        seen: dict[str, str] = {}
        inside, linked = bad_link(folder) == "", folder.is_symlink()
        for file in _entries(folder):
            rel = f"data/{kind}/{file.name}"
            if is_editor_junk(file.name):
                continue
            stem, dot, ending = file.name.rpartition(".")
            if not dot and _is_folder(file):
                refuse(rel + "/", f"folders inside data/{kind}/ are not read", warning=True)
                continue
            if f".{ending}" not in endings:
                if ending in ("yaml", "yml", "md"):
                    wanted = " or ".join(endings)
                    refuse(rel, f"{kind} are {wanted} files: rename it to {stem}{endings[0]}")
                else:
                    refuse(
                        rel, f"is not a record file ({' or '.join(endings)}): ignored", warning=True
                    )
                continue
            # In a folder that is inside the workspace, only a link can lead out of it.
            if (not inside or file.is_symlink()) and (why := bad_link(Path(file.path))):
                refuse(rel, why)
                continue
            if not is_slug(stem):
                refuse(
                    rel,
                    f"'{stem}' is not a valid file name for a record: use lowercase letters, "
                    f"digits and hyphens, like '{suggest_slug(stem)}'",
                )
                continue
            if stem in seen:
                refuse(rel, f"two files for one slug '{stem}': {seen[stem]} is the other")
                continue
            seen[stem] = rel
            sources.append(Source(rel, kind, stem, linked or file.is_symlink()))
    return sources, problems


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    """What is in a folder, by name: DirEntry knows what each is without a system call
    for each of thousands of files."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda entry: entry.name)
    except OSError:
        return []


def _is_folder(entry: os.DirEntry[str]) -> bool:
    """As Path.is_dir: a link that leads nowhere (or to itself) is no folder."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _did_you_mean_folder(name: str) -> str:
    return did_you_mean(name, RECORD_FOLDERS) or " (it holds settings.yaml and record folders)"


class _Converter:
    """Turns libyaml nodes into dicts, lists and scalars, noting positions."""

    def __init__(self, doc: Document, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems
        self.count = 0

    def value(self, node: yaml.Node, loc: Loc) -> Any:
        try:
            return self._convert(node, loc, frozenset())
        except _Invalid as error:
            self._report(error)
            return None

    def _report(self, error: _Invalid) -> None:
        where = _position(error.node)
        self.problems.append(Problem(self.doc.path, where.line, where.column, "error", str(error)))

    def _convert(self, node: yaml.Node, loc: Loc, active: frozenset[int]) -> Any:
        self.count += 1
        if self.count > _MAX_NODES:
            raise _Invalid(node, "too many values (aliases repeated too often)")
        if id(node) in active:
            self._report(_Invalid(node, "an alias refers to itself"))
            return None
        self.doc.values.setdefault(loc, _position(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                return _scalar(node)
            except _Invalid as error:
                self._report(error)
                return None
        active = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            return [self._convert(item, (*loc, i), active) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc, active)
        raise _Invalid(node, "is not a value YAML can hold")  # pragma: no cover

    def _mapping(self, node: yaml.MappingNode, loc: Loc, active: frozenset[int]) -> dict[str, Any]:
        explicit: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        merges = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                message = "a key must be a plain word, not a list or mapping"
                self._report(_Invalid(key_node, message))
                continue
            key = sys.intern(str(key_node.value))
            where = _position(key_node)
            if key in explicit:
                message = f"duplicate key '{key}' (first on line {first_line[key]})"
                self._report(_Invalid(key_node, message))
                continue
            first_line[key] = where.line
            at = (*loc, key)
            self.doc.keys.setdefault(at, where)
            explicit[key] = self._convert(value_node, at, active)
        # Merged after, so that positions are those of the values written here.
        merged: dict[str, Any] = {}
        for value_node in merges:
            for source in self._merge_sources(value_node):
                if id(source) in active:
                    self._report(_Invalid(value_node, "an alias refers to itself"))
                    continue
                for key, value in self._mapping(source, loc, active | {id(source)}).items():
                    merged.setdefault(key, value)
        return {**merged, **explicit}

    def _merge_sources(self, node: yaml.Node) -> list[yaml.MappingNode]:
        if isinstance(node, yaml.MappingNode):
            return [node]
        if isinstance(node, yaml.SequenceNode) and all(
            isinstance(item, yaml.MappingNode) for item in node.value
        ):
            return list(node.value)
        self._report(_Invalid(node, "'<<' merges a mapping or a list of mappings"))
        return []


def _position(node: yaml.Node) -> Position:
    return _at(node.start_mark.line + 1, node.start_mark.column + 1)


@functools.lru_cache(maxsize=1 << 12)
def _at(line: int, column: int) -> Position:
    """One Position for each place, shared by all the documents: a build's state holds
    the place of every value of every file (200,000 at N=2000), and unpickling each one
    took it a fifth of a second (see resume)."""
    return Position(line, column)


def _scalar(node: yaml.ScalarNode) -> Any:
    """YAML 1.2's core types; anything YAML 1.1 would guess beyond them stays text."""
    text: str = node.value
    tag: str = node.tag
    if tag in (_TAG + "str", _TAG + "timestamp", _TAG + "value"):
        # One string for each short text (a status, a slug, a date), shared by all the
        # files, as are the keys: at N=2000 the state held 180,000 needless copies.
        return sys.intern(text) if len(text) <= 32 else text
    if tag == _TAG + "null":
        return None
    if tag == _TAG + "bool":
        lowered = text.lower()
        return lowered == "true" if lowered in ("true", "false") else text
    if tag == _TAG + "int" and ":" not in text:
        try:
            return int(text.replace("_", ""), 0)
        except ValueError:
            return text
    if tag == _TAG + "float" and ":" not in text:
        try:
            return float(text.replace("_", ""))
        except ValueError:
            return text
    if tag in (_TAG + "int", _TAG + "float"):
        return text
    raise _Invalid(node, f"the tag '{tag.replace(_TAG, '!!')}' is not supported here")
