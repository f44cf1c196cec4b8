"""A new record file: a free slug, text the loader reads back as written, a check by the
model before anything is written, and a write that never replaces a file.

`new` and `import` both add files under data/; sharing this is what keeps either from
writing a file the model would refuse, or over one that is there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from followup import clock, load, model, yamltext
from followup.json_schemas import with_modeline
from followup.problems import Problem

#: Letters that Unicode does not take apart into a plain letter and its accents.
_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ð": "d",
     "Ð": "D", "þ": "th", "Þ": "TH", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "\u0131": "i"}
)  # fmt: skip
_KEY = re.compile(r"([A-Za-z_]+):")

Value = str | list[str] | None


@dataclass(frozen=True, slots=True)
class NewFile:
    folder: str  # under data/: contacts, companies, applications or interviews
    slug: str
    text: str
    markdown: bool = False

    @property
    def path(self) -> str:
        return f"data/{self.folder}/{self.slug}{'.md' if self.markdown else '.yaml'}"

    @classmethod
    def of(
        cls, folder: str, slug: str, values: Iterable[tuple[str, Value]], notes: str | None = None
    ) -> NewFile:
        """A file of the given keys, those without a value left out; with notes, a .md file."""
        lines = [f"{key}: {_yaml_value(value)}\n" for key, value in values if value]
        text = "".join(lines)
        if notes is not None:
            text = f"---\n{text}---\n{notes.strip()}\n" if notes.strip() else f"---\n{text}---\n"
        return cls(folder, slug, with_modeline(text, folder), notes is not None)

    def key_at(self, line: int) -> str:
        """The key written on a line of the file, or ''."""
        lines = self.text.split("\n")
        match = _KEY.match(lines[line - 1]) if 0 < line <= len(lines) else None
        return match.group(1) if match else ""


def ascii_fold(text: str) -> str:
    """'José Müller' -> 'Jose Muller'; letters with no ASCII likeness are dropped."""
    parts = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    plain = "".join(c for c in parts if not unicodedata.combining(c))
    return plain.encode("ascii", "ignore").decode("ascii")


def slugify(text: str, limit: int = 60) -> str:
    """A slug from a name, at most limit long, cut between words; '' when nothing is left."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_fold(text).lower()).strip("-")
    while len(slug) > limit and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug[:limit]


def taken(root: Path, folder: str) -> set[str]:
    """Every name in a record folder without its ending, readable or not."""
    try:
        names = [entry.name for entry in (root / "data" / folder).iterdir()]
    except OSError:
        return set()
    return {name.rpartition(".")[0] or name for name in names}


def free_slug(base: str, used: set[str]) -> str:
    """base, or base-2, base-3 ... whichever is not used yet."""
    slug, count = base, 1
    while slug in used:
        count += 1
        slug = f"{base}-{count}"
    return slug


def _yaml_value(value: str | list[str]) -> str:
    """YAML for a value: plain where the loader reads it back unchanged, else quoted."""
    if isinstance(value, list):
        return "[" + ", ".join(yamltext.scalar(item, flow=True) for item in value) + "]"
    return yamltext.scalar(value, flow=False)


def check(root: Path, files: list[NewFile]) -> dict[str, list[Problem]]:
    """What the model finds wrong with each new file, read beside the workspace's records.

    The records already there are only counted, not read (their problems are not ours);
    settings.yaml is read for its time zone.
    """
    documents: list[tuple[load.Source, load.Document]] = []
    problems: list[Problem] = []
    ours = {file.path for file in files}
    sources, _ = load.find_sources(root)
    for source in sources:
        if source.path in ours:
            continue
        if source.kind == "settings":
            documents.append((source, load.load_document(root, source.path)[0]))
        else:
            documents.append((source, load.Document(source.path)))  # unparsed: a slug only
    for file in files:
        parse = load.parse_markdown if file.markdown else load.parse_yaml
        doc, found = parse(file.path, file.text)
        documents.append((load.Source(file.path, file.folder, file.slug), doc))
        problems += found
    _, found = model.build(documents, clock.machine_zone())
    by_path: dict[str, list[Problem]] = {path: [] for path in ours}
    for problem in [*problems, *found]:
        if problem.path in ours:
            by_path[problem.path].append(problem)
    return by_path


def write(root: Path, file: NewFile) -> Path:
    """Write the file; FileExistsError if one is there, for a file is never replaced."""
    path = root / file.path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:
        out.write(file.text)
    return path
