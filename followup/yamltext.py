"""Values as followup writes them into YAML files: plain when they read back the same,
double-quoted when not. One writer, for every command that adds to the user's files."""

from __future__ import annotations

import json

from followup import load

#: Line breaks that the loader reads as spaces (editors show none), escaped when written.
_HIDDEN_BREAKS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def quoted(text: str) -> str:
    """A double-quoted YAML string (a JSON string is one), hidden line breaks escaped."""
    return json.dumps(text, ensure_ascii=False).translate(_HIDDEN_BREAKS)


def scalar(text: str, *, flow: bool = False) -> str:
    """Plain, as a person would write it, when the loader reads it back as this very text;
    `flow` for a value inside [...] or {...}."""
    probes = [f"v: [{text}]", f"v: {{k: {text}}}"] if flow else [f"v: {text}"]
    wanted = [{"v": [text]}, {"v": {"k": text}}] if flow else [{"v": text}]
    for probe, expected in zip(probes, wanted, strict=True):
        doc, problems = load.parse_yaml("probe", probe)
        if problems or doc.data != expected or text != text.strip() or not text:
            return quoted(text)
    return text
