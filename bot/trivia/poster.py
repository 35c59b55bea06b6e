"""Trivia's side of talking to Discord: posting a round's message and editing it into its reveal.

The cog makes every post and edit wait for its turn at the one `Pacer` first; here each is given up after the
send timeout. A round's message is sent with a nonce that Discord enforces, so when discord.py retries a POST that
Discord answered with a 5xx after creating the message, the retry returns that message instead of a second one.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

import discord
from discord.http import handle_message_parameters

from bot.i18n import ENGLISH
from bot.render import message_kwargs
from bot.replies import Reply
from bot.trivia import cards as trivia_cards
from bot.trivia.store import Reveal, Round

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

log = logging.getLogger(__name__)

UNKNOWN_MESSAGE = 10008


class Outcome(enum.Enum):
    DONE = "done"
    REFUSED = "refused"  # 403 or 404: the bot may not post there, or the channel or message is gone
    FAILED = "failed"  # anything else: a 5xx, a timeout


@dataclass(frozen=True, slots=True)
class Sent:
    outcome: Outcome
    message_id: int | None = None
    problem: str | None = None  # for the admin, in /trivia config


class RoundPoster:
    """Sends; the caller first waits for its turn at the pacer."""

    def __init__(self, bot: PerfectMomentsBot, send_timeout: float) -> None:
        self.bot = bot
        self.send_timeout = send_timeout

    async def post(
        self, opened: Round, closes_at: float, ping_role_id: int | None = None, language: str = ENGLISH
    ) -> Sent:
        """Post the round's question with its buttons, in the server's `language`; the card says answers close at
        `closes_at`. With `ping_role_id`, the message mentions that role, and Discord is allowed to ping that role
        only."""
        card = trivia_cards.question_card(
            opened.id, opened.question, closes_at, opened.answer_seconds, language, self.bot.catalogue
        )
        kwargs = message_kwargs(Reply(card=card))
        with handle_message_parameters(
            content=f"<@&{ping_role_id}>" if ping_role_id else discord.utils.MISSING,
            embed=kwargs["embed"],
            view=kwargs["view"],
            allowed_mentions=only_role(ping_role_id) if ping_role_id else kwargs["allowed_mentions"],
            nonce=round_nonce(opened.id),
        ) as params:
            assert params.payload is not None
            params.payload["enforce_nonce"] = True  # discord.py's send() has no such argument; Discord does
            try:
                data = await asyncio.wait_for(
                    self.bot.http.send_message(opened.channel_id, params=params), timeout=self.send_timeout
                )
            except (discord.HTTPException, TimeoutError) as exc:
                return _failure(exc, describe_failure(exc, opened.channel_id, "post a round"))
        return Sent(Outcome.DONE, message_id=int(data["id"]))

    async def reveal(self, reveal: Reveal, language: str = ENGLISH) -> Sent:
        """Edit a closed round's message, in the server's `language`: buttons disabled, the right answer, who got
        it right."""
        closed = reveal.round
        assert closed.message_id is not None
        channel = self.bot.get_partial_messageable(closed.channel_id, guild_id=closed.guild_id)
        message = channel.get_partial_message(closed.message_id)
        try:
            await asyncio.wait_for(
                message.edit(
                    **message_kwargs(Reply(card=trivia_cards.reveal_card(reveal, self.bot.catalogue, language)))
                ),
                timeout=self.send_timeout,
            )
        except (discord.HTTPException, TimeoutError) as exc:
            return _failure(exc, describe_failure(exc, closed.channel_id, "show a round's answer"))
        return Sent(Outcome.DONE)

    async def call_off(self, opened: Round, message_id: int, language: str = ENGLISH) -> Sent:
        """Edit a round's message that went out after its round was failed: its buttons go, it says so."""
        channel = self.bot.get_partial_messageable(opened.channel_id, guild_id=opened.guild_id)
        edit = message_kwargs(
            Reply(card=trivia_cards.called_off_card(opened.question, language, self.bot.catalogue))
        ) | {"view": None}
        try:
            await asyncio.wait_for(
                channel.get_partial_message(message_id).edit(**edit),
                timeout=self.send_timeout,
            )
        except (discord.HTTPException, TimeoutError) as exc:
            return _failure(exc, describe_failure(exc, opened.channel_id, "call a round off"))
        return Sent(Outcome.DONE)


def only_role(role_id: int) -> discord.AllowedMentions:
    """Mentions allowed to ping: that one role, and nobody and nothing else."""
    return discord.AllowedMentions(everyone=False, users=False, roles=[discord.Object(role_id)], replied_user=False)


def round_nonce(round_id: int) -> str:
    """At most 25 characters, as Discord requires; unique per round, and round ids are never reused."""
    return f"pm-round-{round_id}"


def _failure(exc: BaseException, problem: str) -> Sent:
    refused = isinstance(exc, discord.Forbidden | discord.NotFound)
    return Sent(Outcome.REFUSED if refused else Outcome.FAILED, problem=problem)


def describe_failure(exc: BaseException, channel_id: int, doing: str, pick: str = "/trivia channel") -> str:
    """A failed post or edit in words an admin can act on (shown in /trivia config); `pick` is the command that
    chooses another channel."""
    where = f"<#{channel_id}>"
    if isinstance(exc, discord.NotFound) and exc.code == UNKNOWN_MESSAGE:
        return f"I couldn't {doing} in {where}: the round's message was deleted."
    if isinstance(exc, discord.NotFound):
        return f"I couldn't {doing} in {where}: the channel no longer exists. Pick another with {pick}."
    if isinstance(exc, discord.Forbidden):
        return (
            f"I couldn't {doing} in {where}: Discord says I'm not allowed ({exc.text or 'Missing Permissions'}). "
            "I need View Channel, Send Messages and Embed Links there."
        )
    if isinstance(exc, discord.HTTPException):
        return f"I couldn't {doing} in {where}: Discord answered {exc.status} ({exc.text or 'no details'})."
    return f"I couldn't {doing} in {where}: Discord did not answer in time."
