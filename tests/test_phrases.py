"""How followup says when a task is due: at a moment in the terminal, and on a page,
which does not change as the clock moves (its script says how long)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from followup import phrases
from followup.rules import Status, Task

NOW = datetime(2026, 11, 19, 17, 0, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)

#: Anything from seconds to weeks either side of now, down to the microsecond.
offsets = st.integers(min_value=-(10**13), max_value=10**13).map(
    lambda n: timedelta(microseconds=n)
)


def task(status: Status, opens: datetime, due: datetime) -> Task:
    done = due - timedelta(hours=1) if status == "done" else None
    return Task("thank-you", "acme", "onsite", "dana", "Thank", opens, due, done, status, "dana")


def a_task(status: Status, at: timedelta) -> Task:
    """A task whose status is true at NOW, its deadline (or opening) `at` from now."""
    if status == "overdue":
        return task(status, NOW - abs(at) - timedelta(days=1), NOW - abs(at))
    if status == "due":
        return task(status, NOW - timedelta(days=1), NOW + abs(at))
    if status == "upcoming":
        return task(status, NOW + abs(at), NOW + abs(at) + timedelta(days=1))
    return task(status, NOW - timedelta(days=2), NOW - timedelta(days=1))


statuses: st.SearchStrategy[Status] = st.sampled_from(["overdue", "due", "upcoming", "done"])


#: What the terminal's text of a task of each status is like.
SAID_LIKE = {
    "overdue": lambda said: said.endswith(" overdue"),
    "due": lambda said: said.startswith("due "),
    "upcoming": lambda said: said.startswith("in "),
    "done": lambda said: said in ("done", "late"),
}


@given(statuses, offsets)
def test_a_page_says_the_status_the_terminal_says_at_the_build_s_time(
    status: Status, at: timedelta
) -> None:
    one = a_task(status, at)
    said, shown = phrases.when(one, NOW), phrases.as_built(one)
    assert SAID_LIKE[status](said)
    assert shown == {"overdue": "overdue", "due": "due now", "upcoming": "upcoming"}.get(
        status, said
    )


def test_examples() -> None:
    hour = timedelta(hours=1)
    due_in_3_h = a_task("due", 3 * hour + timedelta(minutes=10))
    assert phrases.when(due_in_3_h, NOW) == "due in 3 h"
    assert phrases.as_built(due_in_3_h) == "due now"
    two_days_over = a_task("overdue", 49 * hour)
    assert phrases.when(two_days_over, NOW) == "2 days overdue"
    assert phrases.as_built(two_days_over) == "overdue"
    assert phrases.when(a_task("due", timedelta(seconds=30)), NOW) == "due now"
    assert phrases.when(a_task("upcoming", 50 * hour), NOW) == "in 2 days"
    assert phrases.as_built(a_task("upcoming", 50 * hour)) == "upcoming"
    assert phrases.as_built(a_task("done", hour)) == "done"
