"""A round's next question over the whole pool: the catalogue's and the server's own. No discord import.

Runs inside the transaction that opens a round (bot/trivia/store/rounds.py). The server's questions are never
loaded whole: two counts on indexes (accepted questions, server questions asked this cycle) weigh the draw, and
one indexed query finds a not-yet-asked question from a random id on (server_questions_queue, then
asked_questions' primary key for each candidate), so a server with 5,000 questions costs the same few
statements as one with none. The no-repeat rule holds over the whole pool: a cycle ends when neither part has a
question left, and the server's record of asked keys (catalogue and server alike) starts again.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from bot.database import Executor, Row
from bot.matching import inert_text
from bot.trivia.questions import SERVER_QUESTION, Question, QuestionTemplate, build, next_question
from bot.trivia.server_questions.store import Credit, ServerQuestion, question_id_of, server_question_of

SERVER_KEYS = "question_key LIKE 'server:%'"
_UNASKED_FROM = (
    "SELECT * FROM server_questions AS s WHERE s.guild_id = ? AND s.status = 'accepted' AND s.id >= ?"
    " AND NOT EXISTS (SELECT 1 FROM asked_questions AS a WHERE a.guild_id = s.guild_id"
    " AND a.question_key = 'server:' || s.id) ORDER BY s.id LIMIT 1"
)


@dataclass(frozen=True, slots=True)
class Picked:
    """The next question: a catalogue template or a server question, and whether a new cycle starts."""

    template: QuestionTemplate | None
    server: ServerQuestion | None
    new_cycle: bool

    @property
    def key(self) -> str:
        if self.server is not None:
            return self.server.key
        assert self.template is not None
        return self.template.key

    def question(self, rng: random.Random) -> Question:
        if self.server is not None:
            return as_question(self.server, rng)
        assert self.template is not None
        return build(self.template, rng)


async def pick(
    tx: Executor, guild_id: int, catalogue: Sequence[QuestionTemplate], mix: str, rng: random.Random, last: str | None
) -> Picked:
    """The next question for the server: `catalogue` is the catalogue's pool as the server chose its kinds, `mix`
    catalogue, both or server (server only with no accepted question falls back to the catalogue)."""
    stats = await tx.fetch_one(
        "SELECT COUNT(*) AS n, MIN(id) AS low, MAX(id) AS high FROM server_questions"
        " WHERE guild_id = ? AND status = 'accepted'",
        guild_id,
    )
    assert stats is not None
    accepted = int(stats["n"] or 0) if mix != "catalogue" else 0
    own = list(catalogue) if mix != "server" or not accepted else []
    asked_rows = await tx.fetch(
        "SELECT question_key FROM asked_questions WHERE guild_id = ? AND NOT " + SERVER_KEYS, guild_id
    )
    asked = {str(r[0]) for r in asked_rows}
    asked_server = int(
        await tx.fetch_value(f"SELECT COUNT(*) FROM asked_questions WHERE guild_id = ? AND {SERVER_KEYS}", guild_id)
        or 0
    )
    unseen = [t for t in own if t.key not in asked]
    left = max(0, accepted - asked_server)
    found = await _draw(tx, guild_id, stats, unseen, left, rng)
    if found is not None:
        return found
    # Every question of the pool was asked: a new cycle, over the whole pool again.
    fresh = [t for t in own if t.key != last] or own
    if accepted and rng.randrange(len(fresh) + accepted) >= len(fresh):
        server = await _unasked_from(tx, guild_id, stats, rng, ignore_asked=True, avoid=last)
        if server is not None:
            return Picked(None, server, True)
    if not own:
        own = list(catalogue)
    template, _ = next_question(own, (), rng, avoid=last)
    return Picked(template, None, True)


async def _draw(
    tx: Executor, guild_id: int, stats: Row, unseen: list[QuestionTemplate], left: int, rng: random.Random
) -> Picked | None:
    """A question not asked this cycle, each part weighed by how many it has left; None when none is left."""
    if left and rng.randrange(len(unseen) + left) >= len(unseen):
        server = await _unasked_from(tx, guild_id, stats, rng)
        if server is not None:
            return Picked(None, server, False)
    if unseen:
        return Picked(rng.choice(unseen), None, False)
    if left:  # the count said some were left, but they were retired meanwhile: look once more
        server = await _unasked_from(tx, guild_id, stats, rng)
        if server is not None:
            return Picked(None, server, False)
    return None


async def _unasked_from(
    tx: Executor, guild_id: int, stats: Row, rng: random.Random, *, ignore_asked: bool = False, avoid: str | None = None
) -> ServerQuestion | None:
    """An accepted question not asked this cycle, the first from a random id on (wrapping round once)."""
    low, high = stats["low"], stats["high"]
    if low is None or high is None:
        return None
    start = rng.randint(int(low), int(high))
    query = _UNASKED_FROM
    if ignore_asked:  # a new cycle: any accepted question but the last one asked
        query = "SELECT * FROM server_questions AS s WHERE s.guild_id = ? AND s.status = 'accepted' AND s.id >= ?"
        query += " AND 'server:' || s.id <> ? ORDER BY s.id LIMIT 1"
    for begin in (start, int(low)):
        params: tuple[object, ...] = (guild_id, begin, avoid or "") if ignore_asked else (guild_id, begin)
        row = await tx.fetch_one(query, *params)
        if row is not None:
            return server_question_of(row)
    return None


def as_question(server: ServerQuestion, rng: random.Random) -> Question:
    """A server question as a round asks it: its options in a random order, every text shown inert (a member
    wrote it: no markdown that changes the layout, no mention, no link)."""
    q = server.question
    order = list(range(len(q.options)))
    rng.shuffle(order)
    options = tuple(inert_text(q.options[i]) for i in order)
    return Question(server.key, SERVER_QUESTION, inert_text(q.prompt), options, order.index(q.answer))


async def credit_of(db: Executor, guild_id: int, key: str) -> Credit | None:
    """At a reveal: a server question's why line and author as they are now (an author who deleted their data is
    "a former member"); None for a catalogue question, or one deleted since."""
    question_id = question_id_of(key)
    if question_id is None:
        return None
    row = await db.fetch_one(
        "SELECT why, author_name FROM server_questions WHERE id = ? AND guild_id = ?", question_id, guild_id
    )
    if row is None:
        return None
    return Credit(row["why"], row["author_name"])
