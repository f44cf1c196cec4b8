"""The Jinja environment class both the pages and the notes are rendered with."""

from __future__ import annotations

from typing import Any

import jinja2

#: What `getattr` finds on a plain dict: its methods, which `a.b` in a template still means.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class Environment(jinja2.Environment):
    """Jinja's, with `a.b` on a plain dict looked up as the key first. Jinja tries the
    attribute first, and the views give templates dicts: every `a.b` raised and caught
    an AttributeError, most of the time a page took. A name a dict has as an attribute
    is looked up as Jinja would, so a template means what Jinja's documentation says."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)
