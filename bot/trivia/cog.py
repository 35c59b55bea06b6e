"""The /trivia commands, the answer buttons and the one scheduler loop: trivia's Discord side.

Thin: questions, rules, storage and cards live beside it in this package (no discord import there).

Permissions: Discord lets a command carry default member permissions only at the top level, so the
/trivia group cannot hide `channel` etc. from members while showing them `leaderboard` and `score`. The
group therefore has no default permissions, and each admin subcommand checks Manage Server when it runs.

The scheduler (bot/trivia/scheduler.py) posts, closes and reveals the rounds; this cog answers the commands and
the clicks, and tells the scheduler which servers the bot is in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.buttons import ButtonHandler, chosen_values, form_custom_id, show_form, submitted_values
from bot.channels import missing_permissions
from bot.errors import UserFacingError
from bot.i18n import ENGLISH, KOREAN, language_of, server_language
from bot.lookups.cards import Words, drama_card
from bot.privacy.cog import ask_to_delete_server, ask_to_forget_member
from bot.render import replace, respond
from bot.replies import Reply, notice
from bot.trivia import cards as trivia_cards
from bot.trivia import clock
from bot.trivia.questions import KINDS, OPERATOR_QUESTION, SERVER_QUESTION, question_pool
from bot.trivia.rules import (
    DEFAULT_PERIOD,
    MAX_ANSWER_SECONDS,
    MAX_INTERVAL_MINUTES,
    MIN_ANSWER_SECONDS,
    MIN_INTERVAL_MINUTES,
    MONTH,
    PERIODS,
    SEASON,
    WEEK,
)
from bot.trivia.scheduler import Scheduler
from bot.trivia.server_questions.cog import QuestionCommands
from bot.trivia.store import (
    AnswerResult,
    Click,
    Period,
    Round,
    RoundAlreadyOpen,
    TriviaError,
    TriviaStore,
)

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

Interaction = discord.Interaction[Any]
log = logging.getLogger(__name__)

admin_only = app_commands.checks.has_permissions(manage_guild=True)
LANGUAGE_CHOICES = [
    app_commands.Choice(name="Korean", value=KOREAN),
    app_commands.Choice(name="English", value=ENGLISH),
]


@app_commands.allowed_installs(guilds=True, users=False)
@app_commands.allowed_contexts(guilds=True, dms=False, private_channels=False)
@app_commands.guild_only()
class TriviaCog(commands.GroupCog, group_name="trivia", group_description="Trivia rounds about the moments"):
    def __init__(self, bot: PerfectMomentsBot) -> None:
        self.bot = bot
        self.options = bot.trivia_options
        self.clock = self.options.clock
        self.store = TriviaStore(bot.db, bot.settings.shards)  # its scheduler queries: this process's shards only
        self.pool = question_pool(bot.catalogue) + bot.operator_questions  # the operator's packs: every server
        self.scheduler = Scheduler(bot, self.store, self.pool)
        self.buttons: dict[str, ButtonHandler] = {
            trivia_cards.ANSWER_ACTION: self.answer,
            trivia_cards.BOARD_ACTION: self.board_page,
            trivia_cards.SEASON_END_ACTION: self.season_end_confirmed,
            trivia_cards.SEASON_KEEP_ACTION: self.season_kept,
            trivia_cards.KINDS_ACTION: self.choose_kinds,
            trivia_cards.DRAMA_ACTION: self.show_drama,
            trivia_cards.REPORT_ACTION: self.report,
            trivia_cards.REPORT_FORM_ACTION: self.report_submitted,
        }
        counts = Counter(t.kind for t in self.pool)
        kinds = (*KINDS, OPERATOR_QUESTION)
        self.kinds = [(kind, counts[kind]) for kind in kinds if counts[kind]]  # the menu: kinds the pool holds
        self.questions = QuestionCommands(bot)  # /trivia question ...: servers' own questions
        assert self.app_command is not None  # a GroupCog's own group, /trivia
        self.app_command.add_command(self.questions)

    async def cog_load(self) -> None:
        self.bot.buttons.add(self.buttons)
        self.bot.buttons.add(self.questions.buttons)
        await self.scheduler.start()

    async def stop_work(self, timeout: float) -> None:
        """At shutdown (bot/client.py): the scheduler opens no more rounds and hands back what waits."""
        await self.scheduler.stop(timeout)

    async def cog_unload(self) -> None:
        await self.stop_work(timeout=self.options.shutdown_seconds)
        self.bot.buttons.remove(self.buttons)
        self.bot.buttons.remove(self.questions.buttons)

    def offline_reply(self, command: str, language: str = ENGLISH) -> Reply:
        """What `/trivia <command>` answers in the offline console, where there is no server, in a language."""
        if command == "leaderboard":
            return trivia_cards.offline_board(self.bot.catalogue, language)
        if command.startswith("season"):
            return trivia_cards.offline_season(language)
        return trivia_cards.offline_answer(command, self.bot.catalogue, self.options.rng, language)

    # --- admin commands ---------------------------------------------------------------------------

    @app_commands.command(name="channel", description="Admins: the channel trivia rounds are posted in")
    @app_commands.describe(channel="A text channel where I can post messages with embeds")
    @admin_only
    async def channel(self, interaction: Interaction, channel: discord.TextChannel) -> None:
        missing = await missing_permissions(self.bot, channel)
        if missing:
            raise UserFacingError(
                _words(interaction)("trivia.error.channel_missing", channel=channel.mention, missing=", ".join(missing))
            )
        await self.store.set_channel(_guild_id(interaction), channel.id)
        await respond(interaction, notice(_words(interaction)("trivia.channel_set", channel=channel.mention)))

    @app_commands.command(name="schedule", description="Admins: a round every so many minutes, or daily at a time")
    @app_commands.describe(
        minutes=f"Minutes between rounds ({MIN_INTERVAL_MINUTES} to {MAX_INTERVAL_MINUTES})",
        time="Or a round every day at this local time, HH:MM on a 24-hour clock (21:00)",
        days="With time: which days (mon-fri, sat,sun, weekdays; every day if left out)",
    )
    @admin_only
    async def schedule(
        self,
        interaction: Interaction,
        minutes: app_commands.Range[int, MIN_INTERVAL_MINUTES, MAX_INTERVAL_MINUTES] | None = None,
        time: str | None = None,
        days: str | None = None,
    ) -> None:
        guild_id = _guild_id(interaction)
        w = _words(interaction)
        if (minutes is None) == (time is None) or (days is not None and time is None):
            raise UserFacingError(_words(interaction)("trivia.error.schedule_usage"))
        with _user_facing(interaction):
            if minutes is not None:
                first = await self.store.set_schedule(guild_id, minutes, self.clock())
                every = w.count("trivia.every_minutes", minutes)
            else:
                at, on = clock.parse_time(time or ""), clock.parse_days(days) if days else clock.ALL_DAYS
                first = await self.store.set_daily_schedule(guild_id, at, on, self.clock())
                every = (
                    w("trivia.every_day", time=clock.format_time(at))
                    if on == clock.ALL_DAYS
                    else w("trivia.every_days", time=clock.format_time(at), days=trivia_cards.days_text(on, w.language))
                )
        settings = await self.store.settings(guild_id)
        where = w("trivia.zone_time", zone=settings.timezone or clock.DEFAULT_ZONE) if time is not None else ""
        scheduled = w(
            "trivia.scheduled",
            every=every,
            where=where,
            channel=f"<#{settings.channel_id}>",
            first=f"<t:{int(first)}:F>",
            when=trivia_cards.timestamp(first),
        )
        await respond(interaction, notice(scheduled))

    @app_commands.command(name="stop", description="Admins: turn the schedule off (an open round still closes)")
    @admin_only
    async def stop(self, interaction: Interaction) -> None:
        if await self.store.stop_schedule(_guild_id(interaction)):
            text = _words(interaction)("trivia.stopped")
        else:
            text = _words(interaction)("trivia.no_schedule")
        await respond(interaction, notice(text))

    @app_commands.command(name="start", description="Admins: start a round now in the trivia channel")
    @admin_only
    async def start(self, interaction: Interaction) -> None:
        guild_id = _guild_id(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            opened = await self.store.open_round(guild_id, self.pool, self.options.rng, self.clock())
        except RoundAlreadyOpen as exc:
            raise UserFacingError(trivia_cards.already_open(exc.round, _language(interaction))) from exc
        except TriviaError as exc:
            raise UserFacingError(exc.text(_language(interaction))) from exc
        self.bot.trivia_events.round_opened()
        problem = await self.scheduler.post_round(opened, due=opened.opened_at)
        posted = await self.store.round(opened.id)
        if problem or posted is None or posted.closes_at is None:
            raise UserFacingError(_words(interaction)("trivia.error.not_posted", problem=problem or "").strip())
        closes = trivia_cards.timestamp(posted.closes_at)
        await respond(
            interaction, notice(_words(interaction)("trivia.round_up", channel=f"<#{opened.channel_id}>", when=closes))
        )

    @app_commands.command(name="config", description="Admins: show the trivia settings, or change them")
    @app_commands.describe(
        answer_seconds=f"How long answers stay open, in seconds ({MIN_ANSWER_SECONDS} to {MAX_ANSWER_SECONDS})",
        submissions="Whether every member may propose questions (/trivia question add); admins always may",
        timezone="The server's time zone, an IANA name (Asia/Seoul): daily rounds and weeks follow it",
        ping_role="A role to mention when a round opens (only that role is ever mentioned)",
        ping_off="True: mention no one when a round opens",
        language="The language rounds, reveals and boards are posted in (the server's own language if never set)",
    )
    @app_commands.choices(language=LANGUAGE_CHOICES)
    @admin_only
    async def config(
        self,
        interaction: Interaction,
        answer_seconds: app_commands.Range[int, MIN_ANSWER_SECONDS, MAX_ANSWER_SECONDS] | None = None,
        submissions: bool | None = None,
        timezone: str | None = None,
        ping_role: discord.Role | None = None,
        ping_off: bool | None = None,
        language: app_commands.Choice[str] | None = None,
    ) -> None:
        guild_id = _guild_id(interaction)
        changes: list[str] = []
        with _user_facing(interaction):
            if language is not None:
                await self.store.set_language(guild_id, language.value)
                changes.append(trivia_cards.language_changed(language.value, _language(interaction)))
            if answer_seconds is not None:
                await self.store.set_answer_seconds(guild_id, answer_seconds)
                duration = trivia_cards.duration(answer_seconds, _language(interaction))
                changes.append(_words(interaction)("trivia.answer_time_set", duration=duration))
            if timezone is not None:
                await self.store.set_timezone(guild_id, timezone.strip(), self.clock())
                changes.append(trivia_cards.timezone_changed(timezone.strip(), _language(interaction)))
            if ping_role is not None or ping_off:
                changes.append(await self._set_ping(guild_id, None if ping_off else ping_role, _language(interaction)))
            if submissions is not None:
                await self.questions.store.set_submissions(guild_id, submissions)
                changes.append(trivia_cards.submissions_changed(submissions, _language(interaction)))
        await respond(interaction, await self._config_card(interaction, guild_id, " ".join(changes) or None))

    async def _config_card(self, interaction: Interaction, guild_id: int, changed: str | None) -> Reply:
        settings = await self.store.settings(guild_id)
        language = trivia_cards.language_setting(
            settings.language, _guild_language(interaction, settings.language), _language(interaction)
        )
        current = await self.store.open_round_of(guild_id)
        own = await self.questions.store.count(guild_id)
        return trivia_cards.config_card(
            settings,
            current,
            changed=changed,
            kinds=self.kinds,
            server_questions=own,
            language=language,
            reader=_language(interaction),
        )

    @config.autocomplete("timezone")
    async def _zones(self, _interaction: Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=name, value=name) for name in clock.matching_zones(current)]

    async def _set_ping(self, guild_id: int, role: discord.Role | None, language: str = ENGLISH) -> str:
        w = trivia_cards.words(language)
        if role is not None and (role.is_default() or role.id == guild_id):
            raise UserFacingError(w("trivia.error.everyone"))
        await self.store.set_ping_role(guild_id, role.id if role else None)
        if role is None:
            return w("trivia.ping.off")
        quiet = "" if role.mentionable else w("trivia.ping.quiet")
        return w("trivia.ping.set", role=role.mention, quiet=quiet)

    # --- everyone's commands ----------------------------------------------------------------------

    @app_commands.command(name="leaderboard", description="This server's top trivia scorers, and your place")
    @app_commands.describe(period="Which board: this week, this month, the current season (the default) or all time")
    @app_commands.choices(period=[app_commands.Choice(name=name, value=kind) for kind, name in PERIODS.items()])
    async def leaderboard(self, interaction: Interaction, period: str = DEFAULT_PERIOD) -> None:
        guild_id = _guild_id(interaction)
        with _user_facing(interaction):
            which = await self.store.period(guild_id, period, self.clock())
        board = await self.store.board(guild_id, interaction.user.id, which)
        await respond(
            interaction, trivia_cards.board_card(board, _server_name(interaction), language=_language(interaction))
        )

    @app_commands.command(name="score", description="A member's trivia points and place, this season and all time")
    @app_commands.describe(user="Whose score (yours if left out)")
    async def score(self, interaction: Interaction, user: discord.User | None = None) -> None:
        target = user or interaction.user
        standing = await self.store.standing(_guild_id(interaction), target.id)
        await respond(
            interaction,
            trivia_cards.standing_card(
                standing, target.display_name, own=target.id == interaction.user.id, language=_language(interaction)
            ),
        )

    # --- the answer buttons -----------------------------------------------------------------------

    async def answer(self, interaction: Interaction, argument: str) -> None:
        """A click on an option: one INSERT decides whether it is the member's first (and final) answer, and
        whether it counts at all (the round's own message, in the round's own server, while open)."""
        parsed = trivia_cards.parse_answer_argument(argument)
        current = await self._round(parsed[0]) if parsed else None
        message = interaction.message
        if (
            parsed is None
            or current is None
            or message is None
            or current.guild_id != interaction.guild_id
            or not 0 <= parsed[1] < len(current.question.options)
        ):
            await respond(interaction, trivia_cards.round_closed(_language(interaction)))
            return
        if current.message_id is None and current.is_open:
            await respond(interaction, trivia_cards.round_opening(_language(interaction)))
            return
        user = interaction.user
        click = Click(parsed[0], parsed[1], current.guild_id, message.id, user.id, user.display_name)
        result = await self.store.record_answer(click, self.clock())
        if result is AnswerResult.RECORDED:
            self.bot.trivia_events.answer_recorded()
            assert current.closes_at is not None
            reply = trivia_cards.answer_recorded(
                current.question, click.choice, current.closes_at, _language(interaction), self.bot.catalogue
            )
        elif result is AnswerResult.ALREADY:
            reply = trivia_cards.already_answered(
                current.question,
                await self.store.choice_of(click.guild_id, click.round_id, user.id),
                _language(interaction),
                self.bot.catalogue,
            )
        else:
            reply = trivia_cards.round_closed(_language(interaction))
        await respond(interaction, reply)

    async def _round(self, round_id: int) -> Round | None:
        cached = self.scheduler.open_rounds.get(round_id)
        if cached is not None:
            return cached
        found = await self.store.round(round_id)
        if found is not None and found.is_open and found.closes_at is not None and found.closes_at > self.clock():
            self.scheduler.open_rounds[round_id] = found  # dropped when the scheduler closes it
        return found

    # --- the bot's servers ------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_guild_remove(self, guild: discord.Guild) -> None:
        """Removed from a server (not an outage: that is on_guild_unavailable): its schedule stops at once,
        and nothing more is sent there. Its settings and scores stay, for 30 days."""
        await self.scheduler.server_removed(guild.id)

    @commands.Cog.listener()
    async def on_guild_join(self, guild: discord.Guild) -> None:
        await self.scheduler.server_present(guild.id)

    @commands.Cog.listener()
    async def on_guild_available(self, guild: discord.Guild) -> None:
        """A server in a new session's list, or back after an outage: the bot is in it (a re-invite while the
        bot was down arrives this way, not as a join; the shard's ready reconciles the rest)."""
        await self.scheduler.server_present(guild.id, known_removed_only=True)

    @commands.Cog.listener()
    async def on_shard_ready(self, shard_id: int) -> None:
        """Every new session of a shard: its list of servers is the truth about where the bot is."""
        present = {guild.id for guild in self.bot.guilds if guild.shard_id == shard_id}
        await self.scheduler.reconcile_shard(shard_id, self.bot.shard_count or 1, present)

    # --- deleting data (answered by bot.privacy; /forget-me does the same outside servers) ----------

    @app_commands.command(name="forget-me", description="Delete your trivia answers and scores in every server")
    async def forget_me(self, interaction: Interaction) -> None:
        await ask_to_forget_member(interaction)

    @app_commands.command(name="delete-server-data", description="Admins: delete everything trivia keeps here")
    @admin_only
    async def delete_server_data(self, interaction: Interaction) -> None:
        await ask_to_delete_server(interaction)

    # --- boards by period, and seasons ----------------------------------------------------------------

    async def board_page(self, interaction: Interaction, argument: str) -> None:
        """◀ ▶ on a board: that page, with the clicker's own place, privately (a click on a private page
        turns it in place). The period, its week, month or season, and the page are in the button."""
        parsed = trivia_cards.parse_board_argument(argument)
        if parsed is None or interaction.guild_id is None:
            await respond(interaction, notice(_words(interaction)("trivia.board.stale")))
            return
        period, page = parsed
        if period.kind in (WEEK, MONTH) and period != await self.store.period(
            interaction.guild_id, period.kind, self.clock()
        ):
            await respond(interaction, trivia_cards.board_period_over(period))
            return
        board = await self.store.board(interaction.guild_id, interaction.user.id, period, page)
        message = interaction.message
        if message is not None and message.flags.ephemeral:
            await replace(
                interaction, trivia_cards.board_card(board, _server_name(interaction), language=_language(interaction))
            )
        else:
            await respond(
                interaction,
                trivia_cards.board_card(
                    board, _server_name(interaction), ephemeral=True, language=_language(interaction)
                ),
            )

    season = app_commands.Group(name="season", description="Trivia seasons: end the current one, show a past one")

    @season.command(name="new", description="Admins: end this season (its top 10 is posted) and start from zero")
    @admin_only
    async def season_new(self, interaction: Interaction) -> None:
        guild_id = _guild_id(interaction)
        number = await self.store.current_season(guild_id)
        board = await self.store.board(guild_id, interaction.user.id, Period(SEASON, str(number)))
        await respond(interaction, trivia_cards.season_new_prompt(number, board, self.clock(), _language(interaction)))

    @season.command(name="show", description="An ended season's final board")
    @app_commands.describe(number="The season's number (season 1 is this server's first)")
    async def season_show(self, interaction: Interaction, number: app_commands.Range[int, 1, 100_000]) -> None:
        guild_id = _guild_id(interaction)
        ended = await self.store.past_season(guild_id, number, interaction.user.id)
        current = await self.store.current_season(guild_id)
        await respond(
            interaction,
            trivia_cards.past_season(ended, number, current, _server_name(interaction), _language(interaction)),
        )

    async def season_end_confirmed(self, interaction: Interaction, argument: str) -> None:
        """The confirmation's button: ends the season it named, once, for a member with Manage Server."""
        guild_id = interaction.guild_id
        if guild_id is None or not interaction.permissions.manage_guild:
            await respond(interaction, notice(_words(interaction)("trivia.need_manage.season")))
            return
        number = trivia_cards.parse_season_argument(argument, self.clock())
        if number is None:
            await replace(interaction, _in_place(trivia_cards.season_expired(_language(interaction))))
            return
        ended = await self.store.end_season(guild_id, number, self.clock())
        if ended is None:
            await replace(interaction, _in_place(trivia_cards.season_already_ended(number, _language(interaction))))
            return
        log.info("trivia: guild %d ended season %d", guild_id, number)
        settings = await self.store.settings(guild_id)
        posted = settings.channel_id is not None and guild_id not in self.scheduler.removed
        await replace(
            interaction,
            _in_place(trivia_cards.season_ended(ended, settings.channel_id, posted, _language(interaction))),
        )
        if posted and settings.channel_id is not None:
            card = trivia_cards.season_final_card(
                ended, _server_name(interaction), _guild_language(interaction, settings.language)
            )
            self.scheduler.spawn(
                self.scheduler.post_card(guild_id, settings.channel_id, card, "the season's final board")
            )

    async def season_kept(self, interaction: Interaction, _argument: str) -> None:
        await replace(interaction, _in_place(trivia_cards.season_kept(_language(interaction))))

    # --- the kinds of question ------------------------------------------------------------------------

    async def choose_kinds(self, interaction: Interaction, _argument: str) -> None:
        """The config card's menu: the kinds of question the server gets from its next round on."""
        guild_id = interaction.guild_id
        if guild_id is None or not interaction.permissions.manage_guild:
            await respond(interaction, notice(_words(interaction)("trivia.need_manage.kinds")))
            return
        values = chosen_values(interaction)
        catalogue = [value for value in values if value != SERVER_QUESTION]
        mix = trivia_cards.mix_of(SERVER_QUESTION in values, bool(catalogue))
        with _user_facing(interaction):
            chosen = (
                await self.store.set_question_kinds(guild_id, catalogue, [kind for kind, _ in self.kinds])
                if catalogue
                else ()
            )
        await self.questions.store.set_mix(guild_id, mix)
        changed = trivia_cards.kinds_changed(chosen, self.kinds, mix, _language(interaction))
        await replace(interaction, _in_place(await self._config_card(interaction, guild_id, changed)))

    # --- what a reveal teaches ------------------------------------------------------------------------

    async def show_drama(self, interaction: Interaction, argument: str) -> None:
        """A reveal's "About <drama>" button: the drama's card (as /drama shows it), to the clicker only."""
        moment = self.bot.catalogue.by_rank(int(argument)) if argument.isdigit() else None
        if moment is None:
            await respond(interaction, notice(_words(interaction)("trivia.drama_gone")))
            return
        await respond(
            interaction, Reply(card=drama_card(self.bot.catalogue, moment.drama, _words(interaction)), ephemeral=True)
        )

    async def report(self, interaction: Interaction, argument: str) -> None:
        """A reveal's "Report a problem": a small form asking why (once per member per round)."""
        found = await self.store.round(int(argument)) if argument.isdigit() else None
        if found is None or found.closed_at is None or found.failed or found.guild_id != interaction.guild_id:
            await respond(interaction, trivia_cards.report_not_possible(_language(interaction)))
            return
        if await self.store.has_reported(found.id, interaction.user.id):
            await respond(interaction, trivia_cards.report_thanks(recorded=False, language=_language(interaction)))
            return
        await show_form(interaction, ReportForm(found.id, _language(interaction)))

    async def report_submitted(self, interaction: Interaction, argument: str) -> None:
        """A member's Report form, sent (its custom id names the round; any process answers it)."""
        reasons = submitted_values(interaction, REPORT_FIELD)
        reason = reasons[0] if reasons else ""
        if not argument.isdigit() or interaction.guild_id is None or reason not in trivia_cards.REPORT_REASONS:
            await respond(interaction, trivia_cards.report_not_possible(_language(interaction)))
            return
        round_id = int(argument)
        recorded = await self.store.report_question(
            round_id, interaction.guild_id, interaction.user.id, reason, self.clock()
        )
        if recorded:
            log.info("trivia: round %d reported (%s)", round_id, reason, extra={"guild_id": interaction.guild_id})
            await respond(interaction, trivia_cards.report_thanks(recorded=True, language=_language(interaction)))
        elif await self.store.has_reported(round_id, interaction.user.id):
            await respond(interaction, trivia_cards.report_thanks(recorded=False, language=_language(interaction)))
        else:
            await respond(interaction, trivia_cards.report_not_possible(_language(interaction)))


REPORT_FIELD = "reason"


class ReportForm(discord.ui.Modal):
    """The small form of "Report a problem": one menu of reasons. Only built here: it is let go as soon as it is
    shown, and its submission is answered by `report_submitted` from its custom id (bot/buttons.py show_form)."""

    def __init__(self, round_id: int, language: str) -> None:
        title, label = trivia_cards.report_form_text(language)
        super().__init__(
            title=title,
            custom_id=form_custom_id(trivia_cards.REPORT_FORM_ACTION, str(round_id)),
        )
        reason: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=REPORT_FIELD,
            options=[
                discord.SelectOption(label=reason, value=key)
                for key, reason in trivia_cards.report_reasons(language).items()
            ],
        )
        self.add_item(discord.ui.Label(text=label, component=reason))


def _in_place(reply: Reply) -> Reply:
    """A private answer to a click on a private message: it replaces that message (which stays private)."""
    return dataclasses.replace(reply, ephemeral=False)


def _server_name(interaction: Interaction) -> str:
    return interaction.guild.name if interaction.guild else "this server"


def _language(interaction: Interaction) -> str:
    """The language of a reply only this member sees: their Discord's."""
    return language_of(interaction.locale)


def _words(interaction: Interaction) -> Words:
    """The member's own language's words."""
    return trivia_cards.words(_language(interaction))


def _guild_language(interaction: Interaction, chosen: str | None) -> str:
    """The server's trivia language: its admins' choice, else the server's preferred locale's."""
    return server_language(chosen, interaction.guild_locale)


def _guild_id(interaction: Interaction) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(_words(interaction)("trivia.error.server_only"))
    return interaction.guild_id


@contextlib.contextmanager
def _user_facing(interaction: Interaction) -> Iterator[None]:
    """Turn a broken trivia rule (or a zone, time or day that can't be used) into a plain message for the user, in
    their own language."""
    try:
        yield
    except (TriviaError, clock.ClockError) as exc:
        raise UserFacingError(exc.text(_language(interaction))) from exc
