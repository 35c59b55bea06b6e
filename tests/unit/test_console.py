"""The offline console: same commands, same checks, same cards, no token and no network."""

import os
import pty
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from discord import AppCommandOptionType, app_commands

from bot.client import PerfectMomentsBot
from bot.config import Settings
from bot.console import InputError, answer
from bot.render import to_text

ROOT = Path(__file__).resolve().parents[2]


@pytest_asyncio.fixture
async def offline_bot(tmp_path: Path) -> AsyncIterator[PerfectMomentsBot]:
    bot = PerfectMomentsBot(Settings(database_path=tmp_path / "m.db"))
    await bot.prepare()
    yield bot
    await bot.close()


def test_ask_rank_3_from_the_command_line(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(tmp_path / "m.db"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "/rank 3"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for fact in (
        "#3 · Traffic Kiss",
        "Boys Over Flowers (꽃보다 남자, 2009)",
        "Lee Min-ho (이민호) as Jun-pyo (구준표)",
        "Ku Hye-sun (구혜선) as Jan-di (금잔디)",
    ):
        assert fact in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/rank 1", "moment #1 is not included"),
        ("/actor Gong Yo", "Did you mean Gong Yoo (공유)?"),
        ("/actor bae suzy", "While You Were Sleeping (당신이 잠든 사이에, 2017)"),
        ("/drama Guardian", "Goblin (도깨비, 2016)"),
        ("/moment show title:Healer", "#8 · Snow Kiss"),
        ("/moment show Grim Reaper and Goblin Save Eun-tak", "Round and Round"),
        ("/rank number:5", "#5 · A Reunion of Between Lovers"),
        ("/actor name:Gong Yoo", "as Kim Shin"),  # a value of several words, as Discord shows it
        ("/actor name:bae suzy", "While You Were Sleeping (당신이 잠든 사이에, 2017)"),  # the README's examples
        ("/moment show title:Snow Kiss", "#8 · Snow Kiss"),
        ('/moment show title:"Snow Kiss"', "#8 · Snow Kiss"),
        ("/moment list", "#10 Final Goodbye"),
        ("/about", "collider.com"),
        ("/rank 11", "There is no moment #11 in the list; it holds #2 to #10."),
    ],
)
async def test_console_answers(offline_bot: PerfectMomentsBot, line: str, expected: str) -> None:
    assert expected in to_text(await answer(offline_bot, line))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/rank 0", "/rank number must be a whole number of at least 1."),
        ("/rank three", "/rank number must be a whole number."),
        ("/nope", "Unknown command /nope."),
        ("rank 3", "Commands start with a slash"),
        ("/moment", "/moment needs a subcommand"),
        ("/actor", "/actor needs a value for name"),
        ("/about extra:1", "/about has no option"),
    ],
)
async def test_console_refuses_what_discord_would(offline_bot: PerfectMomentsBot, line: str, expected: str) -> None:
    with pytest.raises(InputError, match=re.escape(expected)):
        await answer(offline_bot, line)


@pytest.mark.parametrize(
    "hostile",
    [
        "/actor " + "x" * 2000,
        "/actor @everyone",
        "/drama '; DROP TABLE moments; --",
        "/actor 공유",
        "/actor \u200b\u202e",
    ],
)
async def test_console_survives_hostile_text(offline_bot: PerfectMomentsBot, hostile: str) -> None:
    try:
        text = to_text(await answer(offline_bot, hostile))
    except InputError as exc:
        text = str(exc)
    assert "@everyone" not in text
    assert "#3 · Traffic Kiss" in to_text(await answer(offline_bot, "/rank 3"))


async def test_trivia_start_previews_a_round_offline(offline_bot: PerfectMomentsBot) -> None:
    reply = await answer(offline_bot, "/trivia start")
    assert reply.card is not None and len(reply.card.buttons) >= 3
    assert reply.text is not None and "Offline preview" in reply.text


def _sample_line(command: app_commands.Command[Any, Any, Any]) -> str:
    samples = {AppCommandOptionType.integer: "3", AppCommandOptionType.string: "Goblin"}
    options = " ".join(f"{p.name}:{samples.get(p.type, '#trivia')}" for p in command.parameters if p.required)
    return f"/{command.qualified_name} {options}".strip()


async def test_every_command_of_the_tree_answers_offline(offline_bot: PerfectMomentsBot) -> None:
    """No table of commands is kept for the console: whatever a feature registers answers offline."""
    commands = [c for c in offline_bot.tree.walk_commands() if isinstance(c, app_commands.Command)]
    assert len(commands) >= 14
    for command in commands:
        reply = await answer(offline_bot, _sample_line(command))
        assert reply.text or reply.card, command.qualified_name


async def test_each_feature_adds_and_removes_its_own_buttons(offline_bot: PerfectMomentsBot) -> None:
    assert all(action in offline_bot.buttons for action in ("random", "rank", "answer"))
    await offline_bot.unload_extension("bot.lookups")
    assert "random" not in offline_bot.buttons and "rank" not in offline_bot.buttons
    assert "answer" in offline_bot.buttons
    await offline_bot.load_extension("bot.lookups")
    assert "random" in offline_bot.buttons and "rank" in offline_bot.buttons


async def test_privacy_and_forget_me_answer_offline(offline_bot: PerfectMomentsBot) -> None:
    policy = to_text(await answer(offline_bot, "/privacy"))
    assert policy.startswith("What this bot keeps, and why") and "Your scores:" in policy
    assert "nothing is kept about anyone" in to_text(await answer(offline_bot, "/forget-me"))
    assert "works in a server" in to_text(await answer(offline_bot, "/trivia delete-server-data"))


async def test_the_leaderboard_and_seasons_explain_themselves_offline(offline_bot: PerfectMomentsBot) -> None:
    board = to_text(await answer(offline_bot, "/trivia leaderboard"))
    assert "No scores yet" in board
    assert all(f"period:{name}" in board for name in ("this week", "this month", "season", "all time"))
    for line in ("/trivia season new", "/trivia season show number:2"):
        assert "final top 10 is posted in the trivia channel" in to_text(await answer(offline_bot, line))
    with pytest.raises(InputError, match="/trivia season needs a subcommand: /trivia season new, /trivia season show"):
        await answer(offline_bot, "/trivia season")


def _console(tmp_path: Path, *args: str, stdin: int | None = None) -> subprocess.Popen[bytes]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DATABASE_PATH": str(tmp_path / "m.db"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=tmp_path,
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("leave", ["ctrl-c", "ctrl-d"])
def test_the_console_on_a_terminal_leaves_at_ctrl_c_and_ctrl_d(tmp_path: Path, leave: str) -> None:
    terminal, console_side = pty.openpty()
    console = _console(tmp_path, "console", stdin=console_side)
    try:
        assert console.stdout is not None and b"offline" in console.stdout.readline()
        time.sleep(0.3)  # at the prompt, waiting for a line
        if leave == "ctrl-c":
            console.send_signal(signal.SIGINT)
        else:
            os.write(terminal, b"\x04")  # Ctrl-D on an empty line: end of input
        began = time.monotonic()
        _, stderr = console.communicate(timeout=5)
        assert time.monotonic() - began < 5
        assert console.returncode == (130 if leave == "ctrl-c" else 0), stderr
        assert stderr == b""
    finally:
        console.kill()
        os.close(terminal)
        os.close(console_side)


@pytest.mark.parametrize("args", [("console",), ("ask", "/rank 3")])
def test_a_bad_seed_file_ends_console_and_ask_in_one_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    seed = tmp_path / "moments.toml"
    seed.write_text("[[moment]\nrank = 3\n")
    console = _console(tmp_path, "--seed", str(seed), *args, stdin=subprocess.DEVNULL)
    began = time.monotonic()
    try:
        _, stderr = console.communicate(timeout=10)
    finally:
        console.kill()
    assert time.monotonic() - began < 5
    assert console.returncode != 0
    lines = stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("perfect-moments: seed file") and "moments.toml" in lines[0]


def test_ask_and_the_console_answer_in_korean_with_locale_ko(tmp_path: Path) -> None:
    asked = _console(tmp_path, "ask", "--locale", "ko", "/rank 3")
    stdout, stderr = asked.communicate(timeout=60)
    assert asked.returncode == 0 and stderr == b"", stderr
    assert "3위 · Traffic Kiss" in stdout.decode() and "이민호 (Lee Min-ho): 구준표 (Jun-pyo) 역" in stdout.decode()
    console = _console(tmp_path, "console", "--locale", "ko", stdin=subprocess.PIPE)
    typed = "/배우 이름:공유\n/드라마 ㄷㄲㅂ\n/rank 40\nquit\n"
    stdout, stderr = console.communicate(typed.encode(), timeout=60)
    text = stdout.decode()
    assert console.returncode == 0 and stderr == b"", stderr
    assert "오프라인" in text.splitlines()[0]
    assert "공유 (Gong Yoo)" in text and "김신 (Kim Shin) 역" in text
    assert "도깨비 (Goblin, 2016년)" in text
    assert "목록에 40위 명장면은 없어요. 2위부터 10위까지 있어요." in text


async def test_korean_command_and_option_names_are_understood_offline(offline_bot: PerfectMomentsBot) -> None:
    korean = to_text(await answer(offline_bot, "/순위 번호:3", "ko"))
    assert korean.startswith("3위 · Traffic Kiss")
    assert to_text(await answer(offline_bot, "/명장면 보기 제목:사랑의 불시착")).startswith("#10 · Final Goodbye")


def test_ask_with_locale_ko_answers_trivia_that_needs_a_server_in_korean(tmp_path: Path) -> None:
    asked = _console(tmp_path, "ask", "--locale", "ko", "/trivia leaderboard")
    stdout, stderr = asked.communicate(timeout=60)
    assert asked.returncode == 0 and stderr == b"", stderr
    text = stdout.decode()
    assert "퀴즈 순위표: 오프라인, 시즌 1" in text and "아직 점수가 없어요" in text and "Trivia leaderboard" not in text


@pytest.mark.parametrize(
    ("line", "korean", "english"),
    [
        (
            "/trivia question add",
            "서버마다 자기만의 퀴즈 문제를 만들 수 있어요",
            "Servers write their own trivia questions",
        ),
        ("/trivia question mine", "(입력한 명령: mine)", "(You asked for mine.)"),
        ("/trivia leaderboard", "퀴즈 순위표: 오프라인, 시즌 1", "Trivia leaderboard: offline, season 1"),
        ("/trivia season new", "시즌은 서버에서 작동해요", "Seasons work in a server."),
        ("/trivia start", "오프라인 미리보기: 서버의 퀴즈 채널에", "Offline preview: a round as your server's"),
        ("/trivia score", "서버에서만 작동해요", "works in a server, where channels"),
    ],
)
async def test_commands_that_need_a_server_answer_offline_in_the_consoles_language(
    offline_bot: PerfectMomentsBot, line: str, korean: str, english: str
) -> None:
    in_korean = to_text(await answer(offline_bot, line, "ko"))
    in_english = to_text(await answer(offline_bot, line, "en-US"))
    assert korean in in_korean and english not in in_korean, in_korean
    assert english in in_english and korean not in in_english, in_english


async def test_the_daily_offline_answer_follows_the_consoles_language(offline_bot: PerfectMomentsBot) -> None:
    korean = to_text(await answer(offline_bot, "/daily stop", "ko"))
    assert "오늘의 명장면은 서버에서 쓸 수 있어요" in korean, korean
    assert "오늘의 명장면" not in to_text(await answer(offline_bot, "/daily stop", "en-US"))


def test_a_private_answer_says_so_in_the_consoles_language(tmp_path: Path) -> None:
    for locale, said in (("ko", "(나에게만 보이는 답이에요)"), ("en-US", "(only you can see this)")):
        asked = _console(tmp_path, "ask", "--locale", locale, "/privacy")
        stdout, stderr = asked.communicate(timeout=60)
        assert asked.returncode == 0 and stderr == b"", stderr
        assert stdout.decode().rstrip().endswith(said), stdout.decode()[-200:]
