"""Dates, datetimes and durations as the workspace means them.

"Within 24 hours" is elapsed time; "a week later" is the same hour on the
local wall clock a week on. Instants are kept in UTC, so that comparing and
subtracting them never depends on a zone; the wall clock is consulted only
to add calendar days and to show times to the user.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from followup.pickling import by_fields

Unit = Literal["m", "h", "d", "w"]

#: A date used as a point in time means this hour, local time.
DAY_STARTS = time(9, 0)

_DURATION = re.compile(r"(\d{1,6})([mhdw])")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)"
    r"(Z|[+-]\d{2}:?\d{2})?"
)
_UNIT_NAMES = {"m": "minute", "h": "hour", "d": "day", "w": "week"}

#: Years a date may have: wide enough for any job search, narrow enough that adding
#: the longest duration can never leave the calendar.
YEARS = range(1900, 3000)
#: The longest duration, in minutes: ten years.
LONGEST = 10 * 366 * 24 * 60
_MINUTES = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}


@by_fields
@dataclass(frozen=True, slots=True)
class Duration:
    amount: int
    unit: Unit

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def describe(self) -> str:
        name = _UNIT_NAMES[self.unit]
        return f"{self.amount} {name}{'' if self.amount == 1 else 's'}"


def parse_duration(text: str) -> Duration:
    match = _DURATION.fullmatch(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a duration: write <n>m, <n>h, <n>d or <n>w, like 24h")
    unit: Unit = match.group(2)  # type: ignore[assignment]
    amount = int(match.group(1))
    if amount * _MINUTES[unit] > LONGEST:
        raise ValueError(f"'{text}' is too long: at most ten years")
    return Duration(amount, unit)


def add(instant: datetime, duration: Duration, zone: ZoneInfo) -> datetime:
    """Minutes and hours as elapsed time; days and weeks on the local clock."""
    if duration.unit == "m":
        return instant + timedelta(minutes=duration.amount)
    if duration.unit == "h":
        return instant + timedelta(hours=duration.amount)
    days = duration.amount * (7 if duration.unit == "w" else 1)
    wall = instant.astimezone(zone).replace(tzinfo=None) + timedelta(days=days)
    return from_wall(wall, zone)


def from_wall(wall: datetime, zone: ZoneInfo) -> datetime:
    """The UTC instant of a naive local time; in a gap, the clock before the change."""
    return wall.replace(tzinfo=zone).astimezone(UTC)


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """A date as a point in time: 09:00 local."""
    return from_wall(datetime.combine(day, DAY_STARTS), zone)


def midnight(day: date, zone: ZoneInfo) -> datetime:
    """When a local day begins, for 'on or after that day'."""
    return from_wall(datetime.combine(day, time(0)), zone)


def parse_date(text: str) -> date:
    if not _DATE.fullmatch(text.strip()):
        raise ValueError(f"'{text}' is not a date: write YYYY-MM-DD, like 2026-11-18")
    try:
        day = date.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(f"'{text}' is not a date: {error}") from None
    _check_year(text, day.year)
    return day


def parse_datetime(text: str, zone: ZoneInfo) -> datetime:
    """A datetime (offset optional, else local) or a date (09:00 local), as UTC."""
    text = text.strip()
    if _DATE.fullmatch(text):
        return day_start(parse_date(text), zone)
    match = _DATETIME.fullmatch(text)
    if not match:
        raise ValueError(
            f"'{text}' is not a date and time: write YYYY-MM-DD HH:MM, "
            "optionally with seconds and an offset like +01:00 or Z"
        )
    day, clock, offset = match.groups()
    if offset and offset != "Z" and not _valid_offset(offset):
        raise ValueError(f"'{text}' has an impossible UTC offset: use -12:00 to +14:00")
    try:
        parsed = datetime.fromisoformat(f"{day}T{clock}{offset or ''}")
    except ValueError as error:
        raise ValueError(f"'{text}' is not a date and time: {error}") from None
    _check_year(text, parsed.year)
    if parsed.tzinfo is None:
        return from_wall(parsed, zone)
    return parsed.astimezone(UTC)


def _valid_offset(offset: str) -> bool:
    digits = offset[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    return minutes < 60 and hours * 60 + minutes <= 14 * 60


def _check_year(text: str, year: int) -> None:
    if year not in YEARS:
        raise ValueError(f"'{text}' is out of range: years {YEARS.start} to {YEARS.stop - 1}")


def zone_named(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a folder of zones
        raise ValueError(f"'{name}' is not an IANA time zone, like America/New_York") from None


def machine_zone() -> ZoneInfo:
    """The zone this computer runs in, by its IANA name; UTC when it has none."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        target = os.readlink("/etc/localtime")
        candidates.append(target.partition("zoneinfo/")[2])
    except OSError:
        pass
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name:
            try:
                return zone_named(name)
            except ValueError:
                continue
    return ZoneInfo("UTC")


def iso(instant: datetime, zone: ZoneInfo) -> str:
    """ISO 8601 on the workspace's clock, with its offset."""
    return instant.astimezone(zone).isoformat(timespec="seconds")
