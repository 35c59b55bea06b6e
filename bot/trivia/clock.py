"""A server's own clock: its time zone, daily slots at a local time, and local weeks and months. No discord import.

Times in and out are Unix seconds (UTC instants); the zone turns them into the server's wall clock. Zones are the
standard library's `zoneinfo` (the `tzdata` package supplies them where the system has none).

Daylight saving: a local time that does not exist on a spring-forward day (02:30 in New York) is taken as the
first valid minute after it (03:00); a local time that happens twice on a fall-back day (01:30) is taken once, at
its first occurrence. The same rule gives the instant a local week or month starts.
"""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.i18n import SaidError

DEFAULT_ZONE = "UTC"
ALL_DAYS = 0b1111111  # a bit per weekday, Monday the lowest
WEEKDAYS = 0b0011111
WEEKEND = 0b1100000
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MINUTES_A_DAY = 24 * 60

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_DAY_WORDS = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}


class ClockError(SaidError, ValueError):
    """A zone, time or set of days that can't be used; the message is meant for the user (`clock.error.*`)."""


@functools.cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name the bot knows, sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


@functools.lru_cache(maxsize=1024)
def zone(name: str | None) -> tzinfo:
    """The zone of a name (None or '' is UTC); ClockError for a name that is not an IANA zone."""
    if not name or name == DEFAULT_ZONE:
        return UTC
    if name not in set(zone_names()):
        raise ClockError("clock.error.zone", name=name)
    return zoneinfo.ZoneInfo(name)


def matching_zones(typed: str, limit: int = 25) -> list[str]:
    """Zone names for an autocomplete: those starting with what was typed first, then those containing it."""
    needle = typed.strip().lower().replace(" ", "_")
    names = zone_names()
    starts = [n for n in names if n.lower().startswith(needle)]
    contains = [n for n in names if needle in n.lower() and n not in starts]
    return (starts + contains)[:limit]


def parse_time(text: str) -> int:
    """'21:00' as minutes after midnight (1260); ClockError for anything but HH:MM on a 24-hour clock."""
    match = _TIME.match(text)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise ClockError("clock.error.time", text=text)
    return int(match[1]) * 60 + int(match[2])


def format_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_days(text: str) -> int:
    """Days of the week as a bitmask: 'mon-fri', 'mon,wed,fri', 'weekdays', 'weekends', 'every day'.
    ClockError when no day is named."""
    words = text.strip().lower()
    if words in ("all", "every day", "everyday", "daily"):
        return ALL_DAYS
    if words in ("weekdays", "weekday"):
        return WEEKDAYS
    if words in ("weekends", "weekend"):
        return WEEKEND
    mask = 0
    for part in re.split(r"[,\s]+", words):
        if not part:
            continue
        first, _, last = part.partition("-")
        start, end = _day(first), _day(last) if last else _day(first)
        if start is None or end is None:
            continue
        day = start
        while True:
            mask |= 1 << day
            if day == end:
                break
            day = (day + 1) % 7
    if not mask:
        raise ClockError("clock.error.days", text=text)
    return mask


def _day(word: str) -> int | None:
    found = [number for name, number in _DAY_WORDS.items() if len(word) >= 2 and name.startswith(word)]
    return found[0] if len(found) == 1 else None


def format_days(mask: int) -> str:
    if mask == ALL_DAYS:
        return "every day"
    if mask == WEEKDAYS:
        return "Mon–Fri"
    if mask == WEEKEND:
        return "Sat, Sun"
    return ", ".join(name for day, name in enumerate(DAY_NAMES) if mask & (1 << day))


def days_option(mask: int) -> str:
    """The days as `/trivia schedule days:` takes them: 'weekdays', 'mon,wed,fri'."""
    named = {ALL_DAYS: "every day", WEEKDAYS: "weekdays", WEEKEND: "weekends"}
    return named.get(mask) or ",".join(n.lower() for day, n in enumerate(DAY_NAMES) if mask & (1 << day))


# --- local wall clock to instants -------------------------------------------------------------------------


def instant(day: date, minutes: int, where: tzinfo) -> float:
    """The instant a local day's time (`minutes` after midnight) happens: once, at its first occurrence on a
    fall-back day; at the first valid minute after it when a spring-forward skips it."""
    wall = datetime.combine(day, time(minutes // 60, minutes % 60))
    for step in range(MINUTES_A_DAY):  # a gap is an hour or so; never a whole day
        candidate = wall + timedelta(minutes=step)
        aware = candidate.replace(tzinfo=where, fold=0)
        if aware.astimezone(UTC).astimezone(where).replace(tzinfo=None) == candidate:
            return aware.timestamp()
    raise ClockError("clock.error.never")  # pragma: no cover


def local_date(now: float, where: tzinfo) -> date:
    return datetime.fromtimestamp(now, where).date()


@dataclass(frozen=True, slots=True)
class Daily:
    """A daily schedule: a local time on some days of the week, in a zone."""

    minutes: int  # after local midnight
    days: int = ALL_DAYS  # bitmask, Monday the lowest bit
    zone_name: str | None = None

    def next_after(self, after: float) -> float:
        """The first slot strictly after `after`."""
        where = zone(self.zone_name)
        today = local_date(after, where)
        for offset in range(-1, 9):
            day = today + timedelta(days=offset)
            if self.days & (1 << day.weekday()):
                slot = instant(day, self.minutes, where)
                if slot > after:
                    return slot
        raise ClockError("clock.error.no_day")

    def next_slots(self, after: float, count: int) -> list[float]:
        slots: list[float] = []
        for _ in range(count):
            after = self.next_after(after)
            slots.append(after)
        return slots

    def is_slot(self, when: float) -> bool:
        """Whether `when` is one of the schedule's slots."""
        return self.next_after(when - 1.0) == when


# --- local weeks and months ----------------------------------------------------------------------------


def week_key(now: float, where: tzinfo = UTC) -> str:
    """The week `now` falls in, as its Monday in the zone (weeks start on Monday at local midnight)."""
    day = local_date(now, where)
    return (day - timedelta(days=day.weekday())).isoformat()


def month_key(now: float, where: tzinfo = UTC) -> str:
    """The month `now` falls in, in the zone: '2026-12'."""
    return local_date(now, where).strftime("%Y-%m")


_NextStart = Callable[[float, tzinfo, tzinfo], float]  # the instant the period after `now`'s (in old) starts in new


def _next_week_start(now: float, old: tzinfo, new: tzinfo) -> float:
    monday = date.fromisoformat(week_key(now, old)) + timedelta(days=7)
    return instant(monday, 0, new)


def _next_month_start(now: float, old: tzinfo, new: tzinfo) -> float:
    day = local_date(now, old)
    first = date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return instant(first, 0, new)


@dataclass(frozen=True, slots=True)
class BoardClock:
    """The zone a server's boards turn in. A change of zone takes effect from the next week (month): until the
    week after the one the change fell in starts at the new zone's Monday midnight, the previous zone counts, so
    points already earned stay in their week and no week is counted twice."""

    zone_name: str | None = None
    previous: str | None = None
    changed_at: float | None = None

    def week(self, now: float) -> str:
        return week_key(now, self._zone_at(now, _next_week_start))

    def month(self, now: float) -> str:
        return month_key(now, self._zone_at(now, _next_month_start))

    def _zone_at(self, now: float, next_start: _NextStart) -> tzinfo:
        current = zone_or_utc(self.zone_name)
        if self.changed_at is None or self.previous == self.zone_name:
            return current
        old = zone_or_utc(self.previous)
        switch = max(self.changed_at, next_start(self.changed_at, old, current))
        return current if now >= switch else old

    def week_zone_name(self, now: float) -> str | None:
        """The zone this week's board counts in (the one a new change of zone starts from)."""
        if self.changed_at is None or self._zone_at(now, _next_week_start) is zone_or_utc(self.zone_name):
            return self.zone_name
        return self.previous


def zone_or_utc(name: str | None) -> tzinfo:
    """A stored zone (UTC for none, or for a name this system no longer knows)."""
    try:
        return zone(name)
    except ClockError:
        return UTC
