"""Templates mean what Jinja's documentation says, with `a.b` on a dict looked up fast."""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import pytest

from followup import templating
from followup.render import Once
from followup.render import environment as pages
from followup.templating import Environment
from followup.views import TaskTimes, Written


@dataclass
class Card:
    name: str


def render(source: str, **context: object) -> str:
    env = Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    return env.from_string(source).render(context)


def test_a_dict_key_an_attribute_and_a_dict_method_all_read_as_in_jinja() -> None:
    person = {"name": "Dana <3", "items": "not the method", "card": Card("Raj")}
    shown = render(
        "{{ p.name }}|{{ p.card.name }}|{{ p['items'] }}|{{ p.items() | list | length }}",
        p=person,
    )
    assert shown == "Dana &lt;3|Raj|not the method|3"


def test_a_missing_key_is_still_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nmae'"):
        render("{{ p.nmae }}", p={"name": "Dana"})


def test_once_makes_a_list_again_only_when_one_of_its_rows_is_new() -> None:
    """Watch gives an unchanged task the context of the last build: a hundred such rows
    are the same arguments, even in a list made anew."""
    rows = [{"id": n} for n in range(3)]
    made: list[int] = []

    def macro(part: list[dict[str, int]]) -> str:
        made.append(len(part))
        return ",".join(str(row["id"]) for row in part)

    first = Once()
    assert first(("rows",), macro, rows) == "0,1,2"
    again = Once(first)
    assert again(("rows",), macro, list(rows)) == "0,1,2"
    assert made == [3]
    assert again(("rows",), macro, [*rows[:2], {"id": 2}]) == "0,1,2"
    assert made == [3, 3]


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The templates compiled from now on, by name."""
    names: list[str] = []
    compile_ = Environment.compile

    def counting(self: Environment, source: str, name: str | None = None, *rest: Any) -> Any:
        names.append(name or "")
        return compile_(self, source, name, *rest)

    monkeypatch.setattr(Environment, "compile", counting)
    return names


def test_a_new_process_compiles_only_the_templates_that_changed(
    tmp_path: Path, compiled: list[str]
) -> None:
    """Compiling the built-in templates took each build 0.15 to 0.35 s."""
    (tmp_path / "templates").mkdir()
    mine = tmp_path / "templates/mine.html"
    mine.write_text("<p>{{ name }}</p>")
    first = templating.environment(tmp_path, autoescape=True)
    assert first.get_template("mine.html").render(name="Dana") == "<p>Dana</p>"
    assert first.get_template("base.html") and compiled == ["mine.html", "base.html"]
    again = templating.environment(tmp_path, autoescape=True)  # as in a new process
    assert again.get_template("base.html") and again.get_template("mine.html")
    assert compiled == ["mine.html", "base.html"]
    mine.write_text("<p>{{ name }}!</p>")
    edited = templating.environment(tmp_path, autoescape=True)
    assert edited.get_template("mine.html").render(name="Dana") == "<p>Dana!</p>"
    assert compiled == ["mine.html", "base.html", "mine.html"]


def test_a_template_compiled_to_escape_is_not_taken_for_one_that_does_not(
    tmp_path: Path,
) -> None:
    """The pages escape what they show, the notes are plain text: the same file compiles
    to other code in each."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/both.txt").write_text("{{ name }}")
    escaping = templating.environment(tmp_path, autoescape=True)
    assert escaping.get_template("both.txt").render(name="<b>") == "&lt;b&gt;"
    plain = templating.environment(tmp_path, autoescape=False)
    assert plain.get_template("both.txt").render(name="<b>") == "<b>"
    assert (
        templating.environment(tmp_path, autoescape=True)
        .get_template("both.txt")
        .render(name="<b>")
        == "&lt;b&gt;"
    )


def test_compiled_code_is_used_only_by_the_jinja_and_the_options_it_was_made_for(
    tmp_path: Path, compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/both.txt").write_text("{{ name }}")
    cache = tmp_path / ".followup-cache"

    def stored(env: Environment) -> Path:
        """The file in which env keeps the template compiled."""
        before = set(cache.glob("template-*"))
        env.get_template("both.txt")
        (made,) = set(cache.glob("template-*")) - before
        return made

    plain = stored(templating.environment(tmp_path, autoescape=False))
    escaping = stored(templating.environment(tmp_path, autoescape=True))
    shutil.copyfile(plain, escaping)  # one environment's code in the other's file
    again = templating.environment(tmp_path, autoescape=True)
    assert again.get_template("both.txt").render(name="<b>") == "&lt;b&gt;"
    assert compiled == ["both.txt"] * 3
    monkeypatch.setattr(jinja2, "__version__", "3.99")  # as after an upgrade
    templating.environment(tmp_path, autoescape=True).get_template("both.txt")
    assert compiled == ["both.txt"] * 4


TIMES = {
    "thank-you:b:b-1:zoë": {"opens": "2026-11-18T16:00-05:00", "due": "2026-11-19T14:00-05:00"},
    "check-in:a:-:-": {"opens": "2026-11-20T09:00-05:00", "due": "2026-11-22T09:00-05:00"},
}


def test_the_page_data_is_written_as_jinja_writes_it() -> None:
    text = "{{ ({'now': now, 'tasks': tasks, 'née': 1})|tojson }}|{{ tasks|tojson(2) }}"
    now = "2026-11-21T12:00:00-05:00"
    want = jinja2.Environment().from_string(text).render(now=now, tasks=dict(TIMES))
    env = pages(Path("/nonexistent"))
    got = env.from_string(text).render(now=now, tasks=TaskTimes(TIMES, Written()))
    assert got == want
    assert "\\u00eb" in want  # the name's letter escaped as json.dumps escapes it


def test_task_times_are_written_again_only_when_they_changed() -> None:
    written = Written()
    first = TaskTimes(copy.deepcopy(TIMES), written)
    assert json.loads(first.json()) == TIMES
    same = TaskTimes(copy.deepcopy(TIMES), written)
    assert same.json() is first.json()
    moved = {**TIMES, "check-in:a:-:-": {"opens": "2026-11-27T09:00-05:00", "due": "x"}}
    assert json.loads(TaskTimes(moved, written).json()) == moved
    own = Written()
    fresh = TaskTimes(copy.deepcopy(TIMES), own)
    fresh.json()
    # A template may change which tasks its own holds, after they were written (a task's
    # times it may not: they are shared by the pages, like the other values).
    fresh["check-in:a:-:-"] = {**fresh["check-in:a:-:-"], "due": "y"}
    assert json.loads(fresh.json())["check-in:a:-:-"]["due"] == "y"
    del fresh["check-in:a:-:-"]
    assert "check-in:a:-:-" not in json.loads(fresh.json())
    assert json.loads(TaskTimes(copy.deepcopy(fresh), own).json()) == fresh
    listed = TaskTimes({"t": {"n": []}}, own)  # not text: a template may add to it
    listed.json()
    listed["t"]["n"].append(1)
    assert json.loads(TaskTimes(copy.deepcopy(listed), own).json()) == {"t": {"n": [1]}}
