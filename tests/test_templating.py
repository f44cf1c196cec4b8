"""Templates mean what Jinja's documentation says, with `a.b` on a dict looked up fast."""

from __future__ import annotations

from dataclasses import dataclass

import jinja2
import pytest

from followup.render import Once
from followup.templating import Environment


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
