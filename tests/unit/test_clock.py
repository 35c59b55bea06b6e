"""A server's own clock: daily slots at a local time across daylight-saving changes, local weeks, and the
schedule run through the store with an injected clock, once per slot (two processes on one database too)."""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import database
from bot.catalogue import load_catalogue
from bot.database import Database
from bot.trivia.clock import (
    ALL_DAYS,
    WEEKDAYS,
    BoardClock,
    ClockError,
    Daily,
    matching_zones,
    parse_days,
    parse_time,
    week_key,
    zone,
)
from bot.trivia.questions import QuestionTemplate, question_pool
from bot.trivia.store import Click, ScheduleChanged, TriviaStore
from bot.trivia.store.models import missed

GUILD = 7331
CHANNEL = 900
SEOUL, NEW_YORK = "Asia/Seoul", "America/New_York"


def utc(*parts: int) -> float:
    return datetime(*parts, tzinfo=UTC).timestamp()  # type: ignore[misc]


def shown(when: float) -> str:
    return datetime.fromtimestamp(when, UTC).strftime("%a %Y-%m-%d %H:%M")


# --- slots, without a database -------------------------------------------------------------------------------


def test_seoul_at_21_on_weekdays_is_noon_utc_monday_to_friday() -> None:
    daily = Daily(parse_time("21:00"), parse_days("mon-fri"), SEOUL)
    slots = daily.next_slots(utc(2026, 12, 6, 12), 6)  # from Sunday noon UTC
    assert [shown(s) for s in slots] == [
        "Mon 2026-12-07 12:00",
        "Tue 2026-12-08 12:00",
        "Wed 2026-12-09 12:00",
        "Thu 2026-12-10 12:00",
        "Fri 2026-12-11 12:00",
        "Mon 2026-12-14 12:00",
    ]


def test_new_york_at_21_stays_21_local_on_both_sides_of_each_change() -> None:
    daily = Daily(parse_time("21:00"), ALL_DAYS, NEW_YORK)
    march = daily.next_slots(utc(2027, 3, 13, 0), 3)  # clocks go forward on Sunday 14 March 2027
    assert [shown(s) for s in march] == ["Sat 2027-03-13 02:00", "Sun 2027-03-14 02:00", "Mon 2027-03-15 01:00"]
    november = daily.next_slots(utc(2027, 11, 6, 2), 3)  # and back on Sunday 7 November 2027
    assert [shown(s) for s in november] == ["Sun 2027-11-07 01:00", "Mon 2027-11-08 02:00", "Tue 2027-11-09 02:00"]
    for slot in march + november:
        assert datetime.fromtimestamp(slot, zone(NEW_YORK)).strftime("%H:%M") == "21:00"


def test_a_time_the_spring_forward_skips_is_the_first_valid_minute_after_it() -> None:
    daily = Daily(parse_time("02:30"), ALL_DAYS, NEW_YORK)
    slots = daily.next_slots(utc(2027, 3, 13, 12), 2)
    assert [shown(s) for s in slots] == ["Sun 2027-03-14 07:00", "Mon 2027-03-15 06:30"]
    assert datetime.fromtimestamp(slots[0], zone(NEW_YORK)).strftime("%H:%M") == "03:00"


def test_a_time_the_fall_back_repeats_is_one_slot() -> None:
    daily = Daily(parse_time("01:30"), ALL_DAYS, NEW_YORK)
    first = daily.next_after(utc(2027, 11, 6, 12))
    assert shown(first) == "Sun 2027-11-07 05:30"  # its first occurrence, still on daylight time
    assert shown(daily.next_after(first)) == "Mon 2027-11-08 06:30"  # not 06:30 the same day, the repeat
    assert shown(daily.next_after(utc(2027, 11, 7, 6, 15))) == "Mon 2027-11-08 06:30"


def test_weeks_turn_at_the_zones_monday_midnight() -> None:
    seoul = zone(SEOUL)
    assert week_key(utc(2026, 12, 13, 14, 30), seoul) == "2026-12-07"  # Sunday 23:30 in Seoul
    assert week_key(utc(2026, 12, 13, 15, 10), seoul) == "2026-12-14"  # Monday 00:10 in Seoul
    assert week_key(utc(2026, 12, 13, 15, 10)) == "2026-12-07"  # still Sunday in UTC


def test_a_change_of_zone_turns_the_boards_from_the_next_week_and_month() -> None:
    changed = utc(2026, 12, 9, 12)  # a Wednesday, from UTC to Seoul
    clock = BoardClock(SEOUL, None, changed)
    assert clock.week(utc(2026, 12, 9, 20)) == "2026-12-07"
    assert clock.week(utc(2026, 12, 13, 14, 30)) == "2026-12-07"  # Sunday 23:30 in Seoul
    assert clock.week(utc(2026, 12, 13, 15, 10)) == "2026-12-14"  # the next week starts at Seoul's Monday midnight
    assert clock.month(utc(2026, 12, 31, 16)) == "2027-01"  # 1 January, 01:00 in Seoul: the next month, local
    back = BoardClock(NEW_YORK, SEOUL, utc(2027, 1, 4, 3))  # Monday 12:00 in Seoul, still Sunday in New York
    assert back.week(utc(2027, 1, 4, 4)) == "2027-01-04"  # Seoul's week goes on: not back to New York's last
    assert back.week(utc(2027, 1, 10, 14)) == "2027-01-04"  # Sunday 23:00 in Seoul: this week ends in Seoul's zone
    assert back.week(utc(2027, 1, 11, 4)) == "2027-01-11"
    assert back.week(utc(2027, 1, 18, 4)) == "2027-01-11"  # Sunday 23:00 in New York: its weeks from then on


def test_bad_zones_times_and_days_say_what_to_write() -> None:
    with pytest.raises(ClockError, match="`Mars/Olympus` is not a time zone"):
        zone("Mars/Olympus")
    for bad in ("25:00", "9pm", "21:60", ""):
        with pytest.raises(ClockError, match="HH:MM"):
            parse_time(bad)
    with pytest.raises(ClockError, match="names no day") as raised:
        parse_days("holidays")
    assert raised.value.text("ko") == (
        "`holidays`에는 요일이 하나도 없어요. `mon-fri`, `sat,sun`, `weekdays`, `every day`처럼 하나 이상 적어 주세요."
    )
    with pytest.raises(ClockError) as never:
        Daily(21 * 60, 0, SEOUL).next_after(0)
    assert (never.value.text("en"), never.value.text("ko")) == (
        "A daily schedule needs at least one day of the week.",
        "매일 일정에는 요일이 하나 이상 있어야 해요.",
    )
    assert parse_days("weekdays") == WEEKDAYS and parse_days("sat, sun") == 0b1100000
    assert parse_days("fri-mon") == 0b1110001
    assert matching_zones("seoul") == [SEOUL] and matching_zones("America/New_")[0] == NEW_YORK


# --- the schedule, through the store, with an injected clock -------------------------------------------------


@pytest.fixture
async def db(database_target: str | Path) -> AsyncIterator[Database]:
    connection = await database.open_database(database_target)
    await database.seed_catalogue(connection, load_catalogue())
    yield connection
    await connection.close()


@pytest.fixture(scope="module")
def pool() -> list[QuestionTemplate]:
    return question_pool(load_catalogue())


async def run_schedule(
    stores: list[TriviaStore], pool: list[QuestionTemplate], start: float, end: float, step: float
) -> list[float]:
    """What the scheduler does each tick, from `start` to `end`, `step` seconds apart, each tick by each store
    in turn (as processes sharing the database would): rounds opened at their slots, posted and closed at once.
    Returns the slots of the rounds opened."""
    slots: list[float] = []
    now = start
    while now <= end:
        for store in stores:
            for due in await store.guilds_due(now):
                assert due.next_round_at is not None
                if missed(due, due.next_round_at, now):
                    await store.skip_slot(due.guild_id, now)
                    continue
                try:
                    opened = await store.open_round(due.guild_id, pool, random.Random(1), now, scheduled=True)
                except ScheduleChanged:
                    continue
                slots.append(due.next_round_at)
                await store.mark_posted(opened.id, 5000 + opened.id, now)
                await store.close_round(opened.id, now)
        now += step
    return slots


async def _daily(store: TriviaStore, zone_name: str, at: str, days: str, now: float) -> None:
    await store.set_channel(GUILD, CHANNEL)
    await store.set_timezone(GUILD, zone_name, now - 30 * 86400)
    await store.set_daily_schedule(GUILD, parse_time(at), parse_days(days), now)


async def test_seoul_21_on_weekdays_opens_at_noon_utc_once_each_across_two_processes(
    db: Database, pool: list[QuestionTemplate]
) -> None:
    stores = [TriviaStore(db), TriviaStore(db)]
    start = utc(2026, 12, 6, 0)
    await _daily(stores[0], SEOUL, "21:00", "mon-fri", start)
    slots = await run_schedule(stores, pool, start, utc(2026, 12, 13, 0), 600)
    assert [shown(s) for s in slots] == [
        f"{day} 2026-12-{n:02d} 12:00" for day, n in zip(("Mon", "Tue", "Wed", "Thu", "Fri"), range(7, 12), strict=True)
    ]
    rows = await db.fetch("SELECT slot_at FROM rounds WHERE guild_id = ? ORDER BY id", GUILD)
    assert [r[0] for r in rows] == slots


async def test_new_york_21_opens_at_21_local_across_both_changes(db: Database, pool: list[QuestionTemplate]) -> None:
    store = TriviaStore(db)
    await _daily(store, NEW_YORK, "21:00", "every day", utc(2027, 3, 13, 0))
    march = await run_schedule([store], pool, utc(2027, 3, 13, 0), utc(2027, 3, 16, 0), 900)
    assert [shown(s) for s in march] == ["Sat 2027-03-13 02:00", "Sun 2027-03-14 02:00", "Mon 2027-03-15 01:00"]
    await store.set_daily_schedule(GUILD, parse_time("21:00"), ALL_DAYS, utc(2027, 11, 6, 2))
    november = await run_schedule([store], pool, utc(2027, 11, 6, 2), utc(2027, 11, 9, 0), 900)
    assert [shown(s) for s in november] == ["Sun 2027-11-07 01:00", "Mon 2027-11-08 02:00"]


async def test_slots_the_changes_skip_or_repeat_open_once(db: Database, pool: list[QuestionTemplate]) -> None:
    store = TriviaStore(db)
    await _daily(store, NEW_YORK, "02:30", "sun", utc(2027, 3, 13, 0))
    spring = await run_schedule([store], pool, utc(2027, 3, 14, 5), utc(2027, 3, 14, 9), 60)
    assert [shown(s) for s in spring] == ["Sun 2027-03-14 07:00"]  # 03:00 local, once
    await store.set_daily_schedule(GUILD, parse_time("01:30"), parse_days("sun"), utc(2027, 11, 7, 4))
    autumn = await run_schedule([store], pool, utc(2027, 11, 7, 4), utc(2027, 11, 7, 8), 60)
    assert [shown(s) for s in autumn] == ["Sun 2027-11-07 05:30"]  # the first 01:30; the second hour passes by


async def test_a_close_counts_in_the_servers_own_week(db: Database, pool: list[QuestionTemplate]) -> None:
    store = TriviaStore(db)
    await store.set_channel(GUILD, CHANNEL)
    await store.set_timezone(GUILD, SEOUL, utc(2026, 11, 1))
    weeks = []
    for close in (utc(2026, 12, 13, 14, 30), utc(2026, 12, 13, 15, 10)):  # Sunday 23:30, Monday 00:10 in Seoul
        opened = await store.open_round(GUILD, pool, random.Random(1), close - 60)
        await store.mark_posted(opened.id, 6000 + opened.id, close - 60)
        weeks.append(await _close_and_week(db, store, opened.id, close))
    assert weeks == ["2026-12-07", "2026-12-14"]
    assert (await store.period(GUILD, "week", utc(2026, 12, 13, 15, 10))).key == "2026-12-14"


async def _close_and_week(db: Database, store: TriviaStore, round_id: int, close: float) -> str:
    found = await store.round(round_id)
    assert found is not None and found.message_id is not None
    click = Click(round_id, found.question.answer, GUILD, found.message_id, 42, "member")
    await store.record_answer(click, close - 45)
    await store.close_round(round_id, close)
    return str(await db.fetch_value("SELECT week FROM scores WHERE guild_id = ? AND user_id = 42", GUILD))


async def test_a_daily_slot_the_previous_release_moved_a_day_on_is_realigned(
    db: Database, pool: list[QuestionTemplate]
) -> None:
    store = TriviaStore(db)
    await _daily(store, SEOUL, "21:00", "mon-fri", utc(2026, 12, 11, 0))
    assert [shown(s) for s in await run_schedule([store], pool, utc(2026, 12, 11, 0), utc(2026, 12, 11, 13), 600)] == [
        "Fri 2026-12-11 12:00"
    ]
    # The previous release opened Friday's round and moved on by its interval_minutes (1440): to Saturday.
    await db.execute("UPDATE guild_settings SET next_round_at = ? WHERE guild_id = ?", utc(2026, 12, 12, 12), GUILD)
    slots = await run_schedule([store], pool, utc(2026, 12, 12, 0), utc(2026, 12, 15, 0), 600)
    assert [shown(s) for s in slots] == ["Mon 2026-12-14 12:00"]  # not on Saturday
