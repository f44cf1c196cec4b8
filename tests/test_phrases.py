"""How a task's "when" moves with the time: watch looks at a task's text again only
once `phrases.until` has passed, so it must never say a time later than the text's
first change."""

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


@given(statuses, offsets, st.floats(min_value=0, max_value=1, exclude_max=True))
def test_the_text_is_the_same_until_then(status: Status, at: timedelta, part: float) -> None:
    one = a_task(status, at)
    said, until = phrases.when(one, NOW), phrases.until(one, NOW)
    later = NOW + (until - NOW) * part if until else NOW + timedelta(days=30) * part
    if until is not None and later >= until:
        return  # (rounding)
    assert phrases.when(one, later) == said


@given(statuses, offsets)
def test_the_text_changes_just_after_then(status: Status, at: timedelta) -> None:
    one = a_task(status, at)
    until = phrases.until(one, NOW)
    if until is not None:
        assert until >= NOW
        assert phrases.when(one, until + MICROSECOND) != phrases.when(one, NOW)


def test_examples() -> None:
    hour = timedelta(hours=1)
    due_in_3_h = a_task("due", 3 * hour + timedelta(minutes=10))
    assert phrases.when(due_in_3_h, NOW) == "due in 3 h"
    assert phrases.until(due_in_3_h, NOW) == due_in_3_h.due - 3 * hour
    two_days_over = a_task("overdue", 49 * hour)
    assert phrases.when(two_days_over, NOW) == "2 days overdue"
    assert phrases.until(two_days_over, NOW) == two_days_over.due + timedelta(days=3)
    assert phrases.until(a_task("due", timedelta(seconds=30)), NOW) is None  # "due now"
    assert phrases.until(a_task("done", hour), NOW) is None
