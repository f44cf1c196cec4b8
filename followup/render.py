"""Pages to bytes: Jinja2 with autoescape on every template, Markdown without raw HTML.

Built-in templates ship in the package; a workspace's own templates/ folder
overrides any of them by name.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import lru_cache
from pathlib import Path

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)
from markdown_it import MarkdownIt
from markupsafe import Markup

from followup.views import Page

#: Schemes a link taken from a data file may have; anything else is not linked.
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")
ASSETS = ("assets/style.css", "assets/app.js")

_markdown = MarkdownIt("js-default")  # no raw HTML; javascript: and data: links refused


class DuplicateOutput(Exception):
    """Two pages would be written to one path."""


@lru_cache(maxsize=8192)
def markdown(text: str) -> Markup:
    """Notes as HTML; cached by content, as most notes do not change between builds."""
    return Markup(_markdown.render(text))


def safe_url(value: object) -> str:
    """The URL if its scheme is on the allowlist, else '' (autoescape does not vet hrefs)."""
    if isinstance(value, str) and value.strip().lower().startswith(SAFE_SCHEMES):
        return value.strip()
    return ""


def environment(root: Path) -> Environment:
    loader = ChoiceLoader(
        [FileSystemLoader(root / "templates"), PackageLoader("followup", "templates")]
    )
    env = Environment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = markdown
    env.filters["safe_url"] = safe_url
    env.globals["once"] = _Once()
    return env


class _Once:
    """once(key, macro, *args): the macro's output, made once per key in a build. The
    dashboard and the agenda list thousands of the same tasks; a key must name all that
    the output depends on."""

    def __init__(self) -> None:
        self._made: dict[Hashable, str] = {}

    def __call__(self, key: Hashable, macro: Callable[..., str], *args: object) -> str:
        if key not in self._made:
            self._made[key] = macro(*args)
        return self._made[key]


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
