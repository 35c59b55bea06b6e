"""The operator's commands, run as a process: forget-user and forget-server say what they deleted, in one line."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

from bot import database
from bot.catalogue import load_catalogue
from bot.trivia.questions import question_pool
from bot.trivia.store import Click, TriviaStore

ROOT = Path(__file__).resolve().parents[2]
FANS, CLUB = 612345678901234567, 712345678901234567
ANN, BEN = 112345678901234567, 212345678901234567
T0 = 1_800_000_000.0


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env={**env, "DATABASE_PATH": str(tmp_path / "moments.db")},
        capture_output=True,
        text=True,
        timeout=60,
    )


async def a_played_database(path: Path) -> None:
    """Ann and Ben answered a round in the fans' server; Ann one in the club."""
    db = await database.open_database(path)
    try:
        trivia, pool = TriviaStore(db), question_pool(load_catalogue())
        for guild, members in ((FANS, (ANN, BEN)), (CLUB, (ANN,))):
            await trivia.set_channel(guild, 42)
            opened = await trivia.open_round(guild, pool, random.Random(1), T0)
            await trivia.mark_posted(opened.id, 4242 + guild, T0)
            for member in members:
                await trivia.record_answer(Click(opened.id, 0, guild, 4242 + guild, member, "someone"), T0 + 1)
            await trivia.close_round(opened.id, T0 + opened.answer_seconds)
    finally:
        await db.close()


async def test_forget_user_deletes_a_member_everywhere_and_says_so(tmp_path: Path) -> None:
    await a_played_database(tmp_path / "moments.db")
    result = run(tmp_path, "forget-user", str(ANN))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == f"Deleted what was kept about user {ANN}: 2 answers and scores in 2 servers.\n"
    again = run(tmp_path, "forget-user", str(ANN))
    assert again.stdout == f"Nothing was kept about user {ANN}: there was nothing to delete.\n"
    other = run(tmp_path, "forget-user", str(BEN))
    assert other.stdout.endswith("1 answer and scores in 1 server.\n")


async def test_forget_server_deletes_everything_kept_for_it_and_says_so(tmp_path: Path) -> None:
    await a_played_database(tmp_path / "moments.db")
    result = run(tmp_path, "forget-server", str(FANS))
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout == (
        f"Deleted what was kept for server {FANS}: the trivia settings and schedule, 1 round, 2 answers, "
        "2 members' scores and the question cycle (1 question asked).\n"
    )
    assert run(tmp_path, "forget-server", str(FANS)).stdout.startswith(f"Nothing was kept for server {FANS}")
    assert "1 member's score" in run(tmp_path, "forget-server", str(CLUB)).stdout


def test_a_bad_id_or_a_missing_database_is_one_line_and_non_zero(tmp_path: Path) -> None:
    bad = run(tmp_path, "forget-user", "@ann")
    assert bad.returncode != 0 and bad.stdout == ""
    assert bad.stderr.splitlines() == [
        "perfect-moments: USER_ID must be a Discord id (a number of 15 to 21 digits), not '@ann'"
    ]
    missing = run(tmp_path, "forget-server", str(FANS))
    assert missing.returncode != 0 and len(missing.stderr.splitlines()) == 1
    assert "there is no database at" in missing.stderr and not (tmp_path / "moments.db").exists()
