"""The downtime burst: the bot comes back with 120 servers' schedules all due at once.

Starts the fake Discord (with Discord's global limit of 50 requests a second) and the bot as a process on a
database whose every schedule fell due while the bot was down, then measures what Discord saw: the peak of
posts and edits in any one second, how many 429s it answered, and the shortest time any round stayed open
(its message's creation to its reveal). Answer time 10 s.

    python -m bench.burst [--servers 120]

tests/e2e/test_bench_smoke.py runs it with a few servers and answer time 1 s (below what /trivia config
allows, written straight into the settings), to check it still runs.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from bot import database
from bot.trivia.store import TriviaStore
from fake_discord import FakeDiscord
from fake_discord.bots import BotProcess
from fake_discord.ratelimit import peak_count

ANSWER_SECONDS = 10
POSTS = "/channels/{channel_id}/messages"
EDITS = "/channels/{channel_id}/messages/{message_id}"
RESULTS = Path(__file__).resolve().parent / "results"


async def due_everywhere(path: Path, fake: FakeDiscord, late: float, answer_seconds: int = ANSWER_SECONDS) -> int:
    """Every server set up with a channel, `answer_seconds` and an hourly schedule whose slot passed `late`
    seconds ago."""
    db = await database.open_database(path)
    store = TriviaStore(db)
    servers = [g for g in fake.world.guilds if g.name.startswith("Server ")]
    try:
        for guild in servers:
            [trivia] = [c for c in guild.channels if c.name == "trivia"]
            await store.set_channel(guild.id, trivia.id)
            await store.set_schedule(guild.id, 60, time.time() - late - 3600)
            await db.execute(
                "UPDATE guild_settings SET answer_seconds = ? WHERE guild_id = ?", answer_seconds, guild.id
            )
    finally:
        await db.close()
    return len(servers)


async def measure(servers: int, answer_seconds: int = ANSWER_SECONDS) -> dict[str, float]:
    fake = await FakeDiscord(schema=False, extra_guilds=servers, global_rate_limit=50).start()
    with tempfile.TemporaryDirectory(prefix="bench-burst-") as tmp:
        path = Path(tmp) / "burst.db"
        count = await due_everywhere(path, fake, late=30, answer_seconds=answer_seconds)
        bot = BotProcess(fake, database_path=path, log_path=Path(tmp) / "bot.log", env={"LOG_LEVEL": "WARNING"})
        started = time.monotonic()
        try:
            await bot.start()
            await fake.wait_until(
                lambda: sum(r.status == 200 for r in fake.requests("PATCH", EDITS)) >= count,
                timeout=120,
                what="every round revealed",
            )
        finally:
            await bot.stop()
            await fake.close()
    posts = [r for r in fake.requests("POST", POSTS) if r.status == 200]
    edits = [r for r in fake.requests("PATCH", EDITS) if r.status == 200]
    created = {r.path.split("/")[2]: r.at for r in posts}
    windows = [e.received_at - created[e.path.split("/")[2]] for e in edits]
    return {
        "servers": count,
        "answer_seconds": answer_seconds,
        "posts": len(posts),
        "edits": len(edits),
        "peak_per_second": peak_count(r.received_at for r in posts + edits),
        "rate_limited": fake.rate_limited,
        "shortest_window_s": min(windows),
        "all_revealed_after_s": time.monotonic() - started,
    }


def report(figures: dict[str, float]) -> str:
    answer_seconds = figures["answer_seconds"]
    return (
        f"downtime burst: {figures['servers']} servers due at once, answer time {answer_seconds} s\n"
        f"  posts {figures['posts']}, reveals {figures['edits']} (one each: nothing doubled)\n"
        f"  peak posts+edits in any second: {figures['peak_per_second']} (target: at most 25)\n"
        f"  429s answered by Discord: {figures['rate_limited']} (target: 0)\n"
        f"  shortest answer window: {figures['shortest_window_s']:.2f} s (target: at least {answer_seconds})\n"
        f"  all revealed {figures['all_revealed_after_s']:.1f} s after start-up"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--servers", type=int, default=120)
    text = report(asyncio.run(measure(parser.parse_args().servers)))
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "burst.txt").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
