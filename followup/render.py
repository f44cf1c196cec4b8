"""Pages to bytes: Jinja2 with autoescape on every template, Markdown without raw HTML.

Built-in templates ship in the package; a workspace's own templates/ folder
overrides any of them by name.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment
from markupsafe import Markup

from followup import templating
from followup.views import Page, TaskTimes

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

#: Schemes a link taken from a data file may have; anything else is not linked.
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
ASSETS = ("assets/style.css", "assets/app.js")


class DuplicateOutput(Exception):
    """Two pages would be written to one path."""

    def __init__(self, path: str) -> None:
        super().__init__(f"two pages would be written to site/{path}")


@lru_cache(maxsize=8192)
def markdown(text: str) -> Markup:
    """Notes as HTML; cached by content, as most notes do not change between builds."""
    return Markup(_markdown().render(text))


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    """Made the first time a note is: a build that goes on from the last one's state (see
    resume) makes few notes, often none, and importing markdown-it takes 24 ms."""
    from markdown_it import MarkdownIt

    return MarkdownIt("js-default")  # no raw HTML; javascript: and data: links refused


def safe_url(value: object) -> str:
    """The URL if its scheme is on the allowlist, else '' (autoescape does not vet hrefs)."""
    if isinstance(value, str) and value.strip().lower().startswith(SAFE_SCHEMES):
        return value.strip()
    return ""


def environment(root: Path) -> Environment:
    env = templating.environment(root, autoescape=True)
    env.filters["markdown"] = markdown
    env.filters["safe_url"] = safe_url
    env.globals["once"] = Once()
    env.policies["json.dumps_function"] = dumps
    return env


def dumps(value: Any, **options: Any) -> str:
    """json.dumps for `tojson`, with each TaskTimes written once (see views.TaskTimes):
    the dashboard's page data is a dict around one."""
    if options != {"sort_keys": True}:
        return json.dumps(value, **options)
    if isinstance(value, TaskTimes):
        return value.json()
    holds = type(value) is dict and any(isinstance(item, TaskTimes) for item in value.values())
    if holds and all(type(key) is str for key in value):
        items = sorted(value.items())
        return "{" + ", ".join(f"{json.dumps(k)}: {dumps(v, **options)}" for k, v in items) + "}"
    return json.dumps(value, **options)


class Once:
    """once(key, macro, *args): the macro's output, made once per key and arguments. The
    dashboard and the agenda list thousands of the same tasks. Arguments are the same
    when they are the very same objects (or equal strings, or lists of the very same
    objects): watch's site gives a task whose context is unchanged the context of the
    last build, so its row (and a hundred rows at a time) is made once while watch runs.
    The outputs of the last build are kept until this one ends."""

    def __init__(self, last: Once | None = None) -> None:
        self._made: dict[Hashable, tuple[tuple[object, ...], str]] = {}
        self._last = last._made if last is not None else {}
        if last is not None:
            last._last = {}

    def __getstate__(self) -> dict[str, object]:
        """Pickled for the next build (see resume), which needs only this one's."""
        return {"_made": self._made, "_last": {}}

    def __call__(self, key: Hashable, macro: Callable[..., str], *args: object) -> str:
        known = self._made.get(key)
        if known is None or not _same(known[0], args):
            known = self._last.get(key)
            if known is None or not _same(known[0], args):
                known = (args, macro(*args))
            self._made[key] = known
        return known[1]


def _same(these: Sequence[object], those: Sequence[object]) -> bool:
    return len(these) == len(those) and all(
        this is that
        or (type(this) is str and this == that)
        or (type(this) is list and type(that) is list and _same(this, that))
        for this, that in zip(these, those, strict=True)
    )


def render_page(env: Environment, page: Page) -> bytes:
    """One page's bytes."""
    return env.get_template(page.template).render(page.context).encode("utf-8")


def assets(env: Environment) -> dict[str, bytes]:
    """The style sheet and script, from the workspace's templates/ or the built-in ones."""
    assert env.loader is not None
    files = {}
    for asset in ASSETS:
        source, _, _ = env.loader.get_source(env, asset)
        files[asset] = source.encode("utf-8")
    return files
