"""The Jinja environments the pages and the notes are rendered with: the workspace's
own templates/ over the built-in ones, strict about undefined names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from jinja2.bccache import Bucket

from followup import store

#: What `getattr` finds on a plain dict: its methods, which `a.b` in a template still means.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(jinja2.Environment):
    """Jinja's, with `a.b` on a plain dict looked up as the key first. Jinja tries the
    attribute first, and the views give templates dicts: every `a.b` raised and caught
    an AttributeError, much of the time a page took. A name a dict has as an attribute
    is looked up as Jinja would, so a template means what Jinja's documentation says."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def environment(root: Path, **options: Any) -> Environment:
    """Not auto_reload: the build makes a new environment when the workspace's templates
    change (by their digest), and otherwise each render would look at every template's
    file on disk again, two system calls per template: 100,000 in a large build."""
    loader = jinja2.ChoiceLoader(
        [jinja2.FileSystemLoader(root / "templates"), jinja2.PackageLoader("followup", "templates")]
    )
    return Environment(
        loader=loader,
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=Compiled(root, repr(sorted(options.items()))),  # (plain values)
        **options,
    )


class Compiled(jinja2.BytecodeCache):
    """Each template as compiled, in the workspace's .followup-cache/: compiling the
    built-in templates took each new process 0.15 to 0.35 s. Jinja compiles a template
    again when its text changed; what else its code depends on is followup's version,
    which the cache is kept under, Jinja's own, and the environment's options
    (autoescape!), which each file is named by and holds. Stored signed like the rest
    of the cache: this is code that runs."""

    def __init__(self, root: Path, options: str) -> None:
        self._root = root
        self._options = f"jinja2 {jinja2.__version__} {options}"

    def load_bytecode(self, bucket: Bucket) -> None:
        found = store.load(self._root, self._name(bucket))
        if (
            isinstance(found, tuple)
            and len(found) == 3
            and found[:2] == (self._options, bucket.key)
        ):
            bucket.bytecode_from_string(found[2])

    def dump_bytecode(self, bucket: Bucket) -> None:
        code = (self._options, bucket.key, bucket.bytecode_to_string())
        store.save(self._root, self._name(bucket), code)

    def _name(self, bucket: Bucket) -> str:
        return f"template-{store.digest(f'{self._options} {bucket.key}'.encode())}.pickle"
