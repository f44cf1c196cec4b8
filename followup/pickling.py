"""Quick pickling for the dataclasses the build cache keeps and digests; and memos by id
that survive it.

A slotted dataclass pickles through dataclasses' own Python functions, field by
field; pickling it as a call of its class with its fields' values is about three
times faster both ways, and what the caches of a large workspace spend most on.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def by_fields(cls: type[T]) -> type[T]:
    """Make cls pickle as cls(*its fields), in the order of its __init__ (a field not
    given to __init__ is made by it again)."""
    names = [f.name for f in dataclasses.fields(cls) if f.init]  # type: ignore[arg-type]
    values = operator.attrgetter(*names)

    def reduce(self: Any) -> tuple[type[T], tuple[Any, ...]]:
        found = values(self)
        return type(self), (found if len(names) > 1 else (found,))

    cls.__reduce__ = reduce  # type: ignore[method-assign]
    return cls


K = TypeVar("K")
V = TypeVar("V")


def by_new_ids(memo: dict[K, V], key: Callable[[K, V], K]) -> dict[K, V]:
    """A memo by the ids of objects its entries hold, as unpickled: keyed again by their
    ids in this process, as the objects pickle made are new ones at new addresses (see
    resume)."""
    return {key(old, entry): entry for old, entry in memo.items()}
