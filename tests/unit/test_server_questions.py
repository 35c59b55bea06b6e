"""Servers' own questions without Discord: every rule of a question and a pack at its edge and one past it, the
store's limits and single decisions, and the pool over the catalogue's and the server's questions, on both
backends."""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.catalogue import load_catalogue
from bot.privacy.store import MemberData, PrivacyStore
from bot.trivia.questions import OPERATOR_QUESTION, SERVER_QUESTION, question_pool
from bot.trivia.server_questions.pack import (
    PACK_MAX_QUESTIONS,
    Proposed,
    QuestionError,
    check_question,
    dump_pack,
    options_of,
    parse_pack,
)
from bot.trivia.server_questions.packs import load_operator_packs
from bot.trivia.server_questions.picking import credit_of
from bot.trivia.server_questions.store import (
    MEMBER_PENDING_MAX,
    SERVER_ACCEPTED_MAX,
    SERVER_PENDING_MAX,
    Credit,
    QuestionsError,
    ServerQuestionStore,
)
from bot.trivia.store import TriviaStore

A, B = 111, 222
T0 = 1_800_000_000.0
GOOD = ("Which drama did we watch first?", ["Goblin", "Healer", "Squid Game"], 2, "We began with Healer.")


def q(n: int) -> Proposed:
    return check_question(f"Question number {n} of ours?", [f"yes {n}", f"no {n}"], 1)


# --- a question's rules --------------------------------------------------------------------------------


def test_a_good_question_is_kept_cleaned_and_its_answer_counts_from_zero() -> None:
    checked = check_question("  Which   drama did we\u200b watch first? ", [" Goblin ", "Healer"], 2, "  ")
    assert checked == Proposed("Which drama did we watch first?", ("Goblin", "Healer"), 1, None)


@pytest.mark.parametrize(
    ("prompt", "options", "answer", "why", "error"),
    [
        ("x" * 9, ["a", "b"], 1, None, "the question is too short: 9 characters, at least 10"),
        ("x" * 201, ["a", "b"], 1, None, "the question is too long: 201 characters, at most 200"),
        ("", ["a", "b"], 1, None, "the question is empty"),
        (" \t  ", ["a", "b"], 1, None, "the question is empty"),
        ("x" * 10, ["a"], 1, None, "it has 1 options: give 2 to 4"),
        ("x" * 10, ["a", "b", "c", "d", "e"], 1, None, "it has 5 options: give 2 to 4"),
        ("x" * 10, ["a", "b", "   "], 1, None, "option 3 is empty"),
        ("x" * 10, ["a", "b" * 81], 1, None, "option 2 is too long: 81 characters, at most 80"),
        ("x" * 10, ["Goblin", "healer", "Gob lin"], 1, None, "options 1 and 3 are the same"),
        ("x" * 10, ["a", "b"], 3, None, "the right option must be a number from 1 to 2, not 3"),
        ("x" * 10, ["a", "b"], 0, None, "the right option must be a number from 1 to 2, not 0"),
        ("x" * 10, ["a", "b"], 1, "w" * 201, "the why line is too long: 201 characters, at most 200"),
    ],
)
def test_every_limit_one_past_its_edge_is_named(
    prompt: str, options: list[str], answer: int, why: str | None, error: str
) -> None:
    with pytest.raises(QuestionError) as raised:
        check_question(prompt, options, answer, why)
    assert str(raised.value) == error


def test_every_limit_at_its_edge_is_taken() -> None:
    assert check_question("x" * 10, ["a", "b"], 2).answer == 1
    assert check_question("x" * 200, ["a" * 80, "b", "c", "d"], 4, "w" * 200).options[0] == "a" * 80


def test_mentions_links_and_markdown_are_kept_as_written_to_be_shown_inert() -> None:
    text = "@everyone <@123> **bold** https://x.example [l](https://y.example)?"
    assert check_question(text, ["@here", "<#5>"], 1).prompt == text


def test_the_forms_options_are_one_a_line() -> None:
    assert options_of("\n Goblin\n\nHealer\n\n") == [" Goblin", "", "Healer"]


# --- packs ---------------------------------------------------------------------------------------------


def test_a_pack_round_trips_through_its_file() -> None:
    found = [check_question(*GOOD), check_question('A "quoted" \\ question?', ["é", "ü"], 1)]
    assert parse_pack(dump_pack(found, "a header").encode()) == found


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"not = [toml", "the file is not valid TOML"),
        (b"\xff\xfe\x00", "the file is not text (UTF-8)"),
        (b"", "the file has no questions"),
        (b"title = 'x'\n", "unknown key 'title' at the top of the file"),
        (b"[[question]]\nprompt = 'Which one is it then?'\nanswer = 1\n", "question 1: the key 'options' is missing"),
        (b"[[question]]\nprompt = 5\noptions = ['a', 'b']\nanswer = 1\n", "question 1: 'prompt' must be text"),
        (
            b"[[question]]\nprompt = 'Which one is it then?'\noptions = ['a', 2]\nanswer = 1\n",
            "question 1: option 2 must be text",
        ),
        (
            b"[[question]]\nprompt = 'Which one is it then?'\noptions = ['a', 'b']\nanswer = '1'\n",
            "question 1: 'answer' must be a whole number",
        ),
        (
            b"[[question]]\nprompt = 'Which one is it then?'\noptions = ['a', 'b']\nanswer = 1\ncolour = 2\n",
            "question 1: unknown key 'colour'",
        ),
    ],
)
def test_a_bad_pack_is_refused_naming_what_is_wrong(data: bytes, error: str) -> None:
    with pytest.raises(QuestionError) as raised:
        parse_pack(data)
    assert str(raised.value).startswith(error)


def test_a_pack_names_the_question_and_field_of_its_mistake() -> None:
    found = [q(n) for n in range(1, 13)]
    text = dump_pack(found).replace('"no 12"', '""')
    with pytest.raises(QuestionError, match=r"^question 12: option 2 is empty$") as raised:
        parse_pack(text.encode())
    assert raised.value.text("ko") == "12번 문제: 2번 보기가 비어 있어요"


def test_a_question_error_is_said_in_korean_with_its_numbers_and_in_english_as_before() -> None:
    with pytest.raises(QuestionError) as raised:
        check_question("Which drama came first?", ["Goblin", "goblin "], 1)
    assert str(raised.value) == "options 1 and 2 are the same"
    assert raised.value.text("ko") == "1번 보기와 2번 보기가 같아요"
    with pytest.raises(QuestionError) as short:
        check_question("Too short", ["a", "b"], 1)
    assert short.value.text("ko") == "문제가 너무 짧아요: 9자예요 (최소 10자)"


def test_a_pack_of_1000_questions_is_taken_and_1001_or_2_mb_are_not() -> None:
    assert len(parse_pack(dump_pack([q(n) for n in range(PACK_MAX_QUESTIONS)]).encode())) == PACK_MAX_QUESTIONS
    with pytest.raises(QuestionError, match="1,001 questions; a pack may hold at most 1,000"):
        parse_pack(dump_pack([q(n) for n in range(PACK_MAX_QUESTIONS + 1)]).encode())
    with pytest.raises(QuestionError, match="a pack may be at most 1,048,576"):
        parse_pack(b"# " + b"x" * (2 * 1024 * 1024))


# --- the store, on both backends -------------------------------------------------------------------------


async def test_a_member_has_at_most_ten_proposals_waiting(db: Any) -> None:
    store = ServerQuestionStore(db)
    for n in range(MEMBER_PENDING_MAX):
        await store.propose(A, 1, "Ann", q(n), T0)
    with pytest.raises(QuestionsError, match="10 questions waiting") as raised:
        await store.propose(A, 1, "Ann", q(99), T0)
    assert "검토를 기다리는 문제가 이미 10개 있어요" in raised.value.text("ko")
    await store.propose(B, 1, "Ann", q(99), T0)  # another server's count is its own
    await store.propose(A, 2, "Ben", q(99), T0)
    assert await store.count(A, "pending") == 11 and await store.count(B, "pending") == 1


async def _fill(db: Any, guild: int, status: str, count: int) -> None:
    """`count` questions of `status` in `guild`, each from its own member, in one statement."""
    await db.execute_many(
        "INSERT INTO server_questions (guild_id, status, prompt, options, answer, author_id, author_name,"
        " proposed_at) VALUES (?, ?, ?, '[\"yes\", \"no\"]', 0, ?, 'm', ?)",
        [(guild, status, f"Filled question number {n}?", 10_000 + n, T0) for n in range(count)],
    )


async def test_a_server_has_at_most_500_proposals_waiting(db: Any) -> None:
    store = ServerQuestionStore(db)
    await _fill(db, A, "pending", SERVER_PENDING_MAX - 1)
    await store.propose(A, 1, "Ann", q(1), T0)  # the 500th: at the edge, taken
    with pytest.raises(QuestionsError, match="500") as raised:  # the 501st: one past it
        await store.propose(A, 2, "Ben", q(2), T0)
    assert "500" in raised.value.text("ko")
    assert await store.count(A, "pending") == SERVER_PENDING_MAX
    await store.propose(B, 2, "Ben", q(2), T0)  # another server's queue is its own


async def test_a_server_holds_at_most_5000_accepted_questions(db: Any) -> None:
    store = ServerQuestionStore(db)
    await _fill(db, A, "accepted", SERVER_ACCEPTED_MAX - 1)
    first, second = await store.propose(A, 1, "Ann", q(1), T0), await store.propose(A, 2, "Ben", q(2), T0)
    assert await store.decide(A, first, True, T0)  # the 5,000th: at the edge, accepted
    with pytest.raises(QuestionsError, match="5,000"):  # the 5,001st: one past it
        await store.decide(A, second, True, T0)
    assert await store.count(A) == SERVER_ACCEPTED_MAX
    with pytest.raises(QuestionsError, match="5,000"):  # nor through a pack: all or nothing
        await store.import_pack(A, [q(3)], T0)
    assert await store.count(A) == SERVER_ACCEPTED_MAX
    assert (await store.import_pack(B, [q(3)], T0)).added == 1  # another server's pool is its own


async def test_two_admins_accepting_at_once_accept_once(db: Any) -> None:
    store = ServerQuestionStore(db)
    qid = await store.propose(A, 1, "Ann", q(1), T0)
    results = await asyncio.gather(*(store.decide(A, qid, True, T0 + i) for i in range(5)))
    assert sorted(results) == [False, False, False, False, True]
    assert not await store.decide(A, qid, False, T0)  # a decline after it is too late
    assert not await store.decide(B, qid, True, T0)  # another server's admin can't reach it
    assert await store.count(A) == 1


async def test_import_skips_exact_duplicates_and_export_gives_the_same_questions(db: Any) -> None:
    store = ServerQuestionStore(db)
    qid = await store.propose(A, 1, "Ann", check_question(*GOOD), T0)
    await store.decide(A, qid, True, T0)
    pack = [check_question(*GOOD), q(1), q(2), q(1)]
    done = await store.import_pack(A, pack, T0)
    assert (done.added, done.skipped) == (2, 2)
    exported = dump_pack(s.question for s in await store.accepted(A))
    again = await store.import_pack(B, parse_pack(exported.encode()), T0)
    assert (again.added, again.skipped) == (3, 0)
    assert [s.question for s in await store.accepted(B)] == [s.question for s in await store.accepted(A)]


async def test_the_pool_asks_a_servers_questions_beside_the_catalogues_never_anothers_and_none_twice(
    db: Any,
) -> None:
    trivia, store = TriviaStore(db), ServerQuestionStore(db)
    pool = question_pool(load_catalogue())
    await store.import_pack(A, [q(n) for n in range(5)], T0)
    await store.import_pack(B, [check_question("Only server B's question?", ["b1", "b2"], 1)], T0)
    rng, now, keys = random.Random(3), T0, []
    await trivia.set_channel(A, 9)
    for _ in range(len(pool) + 5):
        opened = await trivia.open_round(A, pool, rng, now)
        keys.append(opened.question.key)
        if opened.question.kind == SERVER_QUESTION:
            assert opened.question.prompt.startswith("Question number ")
        await trivia.fail_round(opened.id, now)  # a failed round gives its question back: mark it asked by hand
        await db.execute("INSERT INTO asked_questions (guild_id, question_key) VALUES (?, ?)", A, keys[-1])
        now += 60
    own = [k for k in keys if k.startswith("server:")]
    assert len(keys) == len(set(keys)) and len(own) == 5
    ids = {s.key for s in await store.accepted(A)}
    assert set(own) == ids


async def test_a_server_set_to_its_own_questions_gets_only_those(db: Any) -> None:
    trivia, store = TriviaStore(db), ServerQuestionStore(db)
    pool = question_pool(load_catalogue())
    await store.import_pack(A, [q(n) for n in range(3)], T0)
    await store.set_mix(A, "server")
    await trivia.set_channel(A, 9)
    rng, now, keys = random.Random(1), T0, []
    for _ in range(7):
        opened = await trivia.open_round(A, pool, rng, now)
        keys.append(opened.question.key)
        await trivia.mark_posted(opened.id, 100 + len(keys), now)
        await trivia.close_round(opened.id, now + 100)
        now += 200
    assert all(k.startswith("server:") for k in keys)
    assert len(set(keys[:3])) == 3 and keys[3] != keys[2]  # a whole cycle, then a new one not starting with the last
    await store.set_mix(A, "catalogue")
    opened = await trivia.open_round(A, pool, rng, now)
    assert not opened.question.key.startswith("server:")


async def test_forgetting_a_member_deletes_their_proposals_and_their_name_on_accepted_ones(db: Any) -> None:
    store, privacy = ServerQuestionStore(db), PrivacyStore(db)
    waiting = await store.propose(A, 1, "Ann", q(1), T0)
    declined = await store.propose(A, 1, "Ann", q(2), T0)
    accepted = await store.propose(B, 1, "Ann", q(3), T0)
    others = await store.propose(A, 2, "Ben", q(4), T0)
    await store.decide(A, declined, False, T0)
    await store.decide(B, accepted, True, T0)
    assert await privacy.member_data(1) == MemberData(0, 0, proposals=2, credits=1)
    assert await privacy.forget_member(1) == MemberData(0, 0, proposals=2, credits=1)
    assert await store.get(A, waiting) is None and await store.get(A, declined) is None
    kept = await store.get(B, accepted)
    assert kept is not None and kept.status == "accepted" and (kept.author_id, kept.author_name) == (None, "")
    assert await credit_of(db, B, kept.key) == Credit(None, "")
    assert "Ann" not in str([tuple(r) for r in await db.fetch("SELECT * FROM server_questions")])
    assert (await privacy.member_data(1)).empty and await store.get(A, others) is not None


async def test_forgetting_a_server_deletes_its_questions_and_proposals_only(db: Any) -> None:
    store, privacy = ServerQuestionStore(db), PrivacyStore(db)
    await store.propose(A, 1, "Ann", q(1), T0)
    await store.import_pack(A, [q(2), q(3)], T0)
    await store.import_pack(B, [q(2)], T0)
    assert (await privacy.server_data(A)).server_questions == 3
    assert (await privacy.forget_server(A)).server_questions == 3
    assert await store.count(A) == 0 and await store.count(A, "pending") == 0 and await store.count(B) == 1


# --- the operator's packs ----------------------------------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[2] / "data" / "packs" / "example.toml.example"


def test_the_shipped_folder_loads_nothing_and_its_example_loads_once_named_toml(tmp_path: Path) -> None:
    assert load_operator_packs(EXAMPLE.parent) == []  # only the example, which is not loaded
    (tmp_path / "bonus.toml").write_bytes(EXAMPLE.read_bytes())
    loaded = load_operator_packs(tmp_path)
    assert [t.key for t in loaded] == ["pack:bonus:1", "pack:bonus:2"]
    assert loaded[0].answer == "Red" and loaded[0].wrong == ("Seven", "Tuesday") and loaded[1].wrong == ("Blue",)
    assert {t.kind for t in loaded} == {OPERATOR_QUESTION}


def test_a_bad_operator_pack_stops_start_up_and_check_data_in_one_line(tmp_path: Path) -> None:
    seed = tmp_path / "moments.toml"
    seed.write_bytes((Path(__file__).resolve().parents[2] / "data" / "moments.toml").read_bytes())
    (tmp_path / "packs").mkdir()
    bad = tmp_path / "packs" / "bad.toml"
    bad.write_text('[[question]]\nprompt = "A fine question, or not?"\noptions = ["yes", " "]\nanswer = 1\n')
    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(root)}
    env["DATABASE_PATH"] = str(tmp_path / "m.db")
    for args in (["check-data"], ["ask", "/about"]):
        done = subprocess.run(
            [sys.executable, "-m", "bot", "--seed", str(seed), *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 2 and done.stderr == f"perfect-moments: {bad}: question 1: option 2 is empty\n"
    bad.write_bytes(EXAMPLE.read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--seed", str(seed), "check-data"], env=env, capture_output=True, text=True
    )
    assert "trivia: 95 questions: " in done.stdout and "pack 2" in done.stdout


def test_an_exported_packs_header_is_in_the_admins_language_and_reads_back() -> None:
    from bot.trivia.server_questions.cards import exported
    from bot.trivia.server_questions.store import ServerQuestion

    found = [ServerQuestion(1, A, "accepted", q(1), 7, "Ann", T0, T0)]
    for language, words in (
        ("en", "# Perfect Moments trivia questions."),
        ("ko", "# Perfect Moments 퀴즈 문제 팩이에요."),
    ):
        reply = exported(found, "K-Drama Fans", language)
        assert reply.file is not None
        text = reply.file.data.decode()
        assert text.startswith(words), text[:80]
        assert parse_pack(reply.file.data) == [q(1)]
