"""JSON Schemas generated from followup.schema, so that editors check files as they are typed.

Each schema is built from the same Field declarations the model reads with, so the two
cannot drift. The schemas say draft 2020-12 but use only keywords that mean the same in
draft-07, which is what the YAML editor extensions validate with.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from followup.load import SLUG
from followup.model import EMAIL
from followup.schema import RECORDS, Field

DIALECT = "https://json-schema.org/draft/2020-12/schema"
#: Where the schemas live in a workspace: beside data/.
FOLDER = "schemas"
#: The schema file of each kind of file, by its folder under data/.
NAMES = {
    "settings": "settings",
    "contacts": "contact",
    "companies": "company",
    "applications": "application",
    "interviews": "interview",
}
_WHERE = {
    "settings": "data/settings.yaml",
    "contacts": "data/contacts/<slug>.yaml, or the front matter of <slug>.md",
    "companies": "data/companies/<slug>.yaml",
    "applications": "data/applications/<slug>.yaml",
    "interviews": "the front matter of data/interviews/<slug>.md",
}

# The model's rules for values written as text (clock.py, load.py and model.py), in the
# ECMA-262 dialect schemas use: [0-9] rather than \d, and no flags.
_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
_PATTERNS = {
    "date": f"^{_DATE}$",
    "datetime": f"^{_DATE}(?:[T ][0-9]{{2}}:[0-9]{{2}}(?::[0-9]{{2}}(?:\\.[0-9]{{1,6}})?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$",
    "duration": r"^[0-9]{1,6}[mhdw]$",
    "slug": f"^{SLUG.pattern}$",  # these two read the same in both dialects
    "email": f"^{EMAIL.pattern}$",
    "url": r"^(?:[Hh][Tt][Tt][Pp][Ss]?://|[Mm][Aa][Ii][Ll][Tt][Oo]:|[Tt][Ee][Ll]:)\S",
}
_TEXT: dict[str, Any] = {"type": ["string", "number"]}  # the model reads 42 as "42"


def file_name(folder: str) -> str:
    return f"{NAMES[folder]}.schema.json"


def schema(folder: str) -> dict[str, Any]:
    """The schema of one kind of file, by its folder ('contacts') or 'settings'."""
    return {
        "$schema": DIALECT,
        "title": f"followup {NAMES[folder]}",
        "description": f"One file: {_WHERE[folder]}.",
        **_object(RECORDS[folder]),
    }


def texts() -> dict[str, str]:
    """Every schema file's name and text."""
    return {
        file_name(folder): json.dumps(schema(folder), indent=2, ensure_ascii=False) + "\n"
        for folder in NAMES
    }


def write(directory: Path) -> list[tuple[Path, bool]]:
    """Write every schema into directory; each path comes with whether it changed."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts().items():
        path = directory / name
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        if old != text:
            staged = path.with_name(f".{name}.tmp")
            staged.write_text(text, encoding="utf-8")
            staged.replace(path)
        written.append((path, old != text))
    return written


def modeline(folder: str) -> str:
    """The comment that tells yaml-language-server which schema a file follows."""
    up = "../" if folder == "settings" else "../../"
    return f"# yaml-language-server: $schema={up}{FOLDER}/{file_name(folder)}"


def with_modeline(text: str, folder: str) -> str:
    """The file's text with its schema comment first: inside the front matter of a .md."""
    if text.startswith("---\n"):
        return f"---\n{modeline(folder)}\n{text[4:]}"
    return f"{modeline(folder)}\n{text}"


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "properties": {spec.name: _field(spec) for spec in fields},
        "additionalProperties": False,
    }
    required = [spec.name for spec in fields if spec.required]
    if required:
        out["required"] = required
    return out


def _field(spec: Field) -> dict[str, Any]:
    doc = spec.doc
    if spec.ref:
        doc += f" A slug: the name of a file in data/{spec.ref}/ without its ending."
    value = {"description": doc, **_value(spec)}
    return value if spec.required else _or_null(value)


def _value(spec: Field) -> dict[str, Any]:
    kind = spec.kind
    if kind == "text":
        return dict(_TEXT)
    if kind in _PATTERNS:
        return {"type": "string", "pattern": _PATTERNS[kind]}
    if kind == "zone":
        return {"type": "string", "examples": ["America/New_York", "Europe/Berlin", "UTC"]}
    if kind == "choice":
        return {"type": "string", "enum": list(spec.choices)}
    if kind == "count":
        return {"type": "integer", "minimum": 0}
    if kind in ("slugs", "tags"):  # one, or a list of them
        one = _TEXT if kind == "tags" else {"type": "string", "pattern": _PATTERNS["slug"]}
        return {"anyOf": [dict(one), {"type": "array", "items": dict(one)}]}
    if kind == "mapping":
        return _object(spec.fields)
    if kind == "log":
        return {"type": "array", "items": _object(spec.fields)}
    raise AssertionError(f"no schema for the kind {kind!r}")  # pragma: no cover


def _or_null(value: dict[str, Any]) -> dict[str, Any]:
    """An optional key may be left empty ('title:'): the model reads that as absent."""
    if "anyOf" in value:
        return {**value, "anyOf": [*value["anyOf"], {"type": "null"}]}
    types = value["type"] if isinstance(value["type"], list) else [value["type"]]
    out = {**value, "type": [*types, "null"]}
    if "enum" in value:
        out["enum"] = [*value["enum"], None]
    return out
