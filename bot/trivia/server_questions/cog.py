"""`/trivia question ...`: proposing, reviewing and sharing a server's own questions. Thin: the rules, the store
and the cards are beside it in this package.

The group is an `app_commands.Group` nested in /trivia (TriviaCog adds it to its own group: /trivia question add
is two levels deep, as Discord allows). Its buttons and its form are persistent like every other (custom ids
`pm:<action>:<question id>`, `pmf:qform:<question id or empty>`), answered by any process after a restart, and
every admin button checks Manage Server again when it is clicked: a forged custom id gets nothing more.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.buttons import ButtonHandler, form_custom_id, show_form, submitted_values
from bot.errors import UserFacingError
from bot.i18n import ENGLISH, language_of, messages
from bot.render import replace, respond
from bot.replies import Reply
from bot.trivia.server_questions import cards
from bot.trivia.server_questions.pack import (
    OPTION_MAX,
    OPTIONS_MAX,
    PACK_MAX_BYTES,
    PROMPT_MAX,
    WHY_MAX,
    Proposed,
    QuestionError,
    check_question,
    options_of,
    parse_pack,
)
from bot.trivia.server_questions.store import IMPORT_OVER, PENDING, QuestionsError, ServerQuestionStore

if TYPE_CHECKING:
    from bot.client import PerfectMomentsBot

Interaction = discord.Interaction[Any]
admin_only = app_commands.checks.has_permissions(manage_guild=True)


class QuestionCommands(app_commands.Group):
    """/trivia question add, review, mine, export, import."""

    def __init__(self, bot: PerfectMomentsBot) -> None:
        super().__init__(name="question", description="Questions this server writes: propose, review, share")
        self.bot = bot
        self.clock = bot.trivia_options.clock
        self.store = ServerQuestionStore(bot.db)
        self.buttons: dict[str, ButtonHandler] = {
            cards.FORM_ACTION: self.form_submitted,
            cards.ACCEPT_ACTION: self.accept,
            cards.DECLINE_ACTION: self.decline,
            cards.EDIT_ACTION: self.edit,
            cards.RETIRE_ACTION: self.retire,
            cards.KEEP_ACTION: self.keep,
        }

    def offline_reply(self, command: str, language: str = ENGLISH) -> Reply:
        return cards.offline(command.removeprefix("question").strip(), language)

    # --- proposing ----------------------------------------------------------------------------------

    @app_commands.command(name="add", description="Propose a trivia question for this server's rounds")
    async def add(self, interaction: Interaction) -> None:
        guild_id = _guild_id(interaction)
        if not interaction.permissions.manage_guild and not await self.store.submissions_open(guild_id):
            await respond(interaction, cards.proposals_closed(_language(interaction)))
            return
        await show_form(interaction, QuestionForm("", None, _language(interaction)))

    async def form_submitted(self, interaction: Interaction, argument: str) -> None:
        """The question form, sent: a new proposal (no argument) or an admin's edit (the question's id)."""
        guild_id = _guild_id(interaction)
        language = _language(interaction)
        try:
            question = _form_question(interaction)
        except QuestionError as exc:
            await respond(interaction, cards.refused(exc.text(language), language))
            return
        if argument:
            await self._save_edit(interaction, guild_id, argument, question)
            return
        if not interaction.permissions.manage_guild and not await self.store.submissions_open(guild_id):
            await respond(interaction, cards.proposals_closed(language))
            return
        user = interaction.user
        try:
            await self.store.propose(guild_id, user.id, user.display_name, question, self.clock())
        except QuestionsError as exc:
            raise UserFacingError(exc.text(language)) from exc
        mine = [q for q in await self.store.mine(guild_id, user.id) if q.status == PENDING]
        await respond(interaction, cards.proposed(len(mine), language))

    async def _save_edit(self, interaction: Interaction, guild_id: int, argument: str, question: Proposed) -> None:
        language = _language(interaction)
        if not interaction.permissions.manage_guild:
            await respond(interaction, cards.not_allowed("edit", language))
            return
        if not argument.isdigit() or not await self.store.edit(guild_id, int(argument), question, self.clock()):
            await respond(interaction, cards.already_decided(language))
            return
        await respond(interaction, cards.edited(language))

    @app_commands.command(name="mine", description="The questions you proposed here, and what became of them")
    async def mine(self, interaction: Interaction) -> None:
        found = await self.store.mine(_guild_id(interaction), interaction.user.id)
        await respond(interaction, cards.mine_card(found, _language(interaction)))

    # --- the review queue ---------------------------------------------------------------------------

    @app_commands.command(name="review", description="Admins: the oldest proposed question, to accept or decline")
    @admin_only
    async def review(self, interaction: Interaction) -> None:
        await respond(interaction, await self._next_for_review(_guild_id(interaction), _language(interaction)))

    async def _next_for_review(self, guild_id: int, language: str) -> Reply:
        """What waits for the admin, in the admin's language."""
        oldest = await self.store.oldest_pending(guild_id)
        if oldest is not None:
            return cards.review_card(oldest, await self.store.count(guild_id, PENDING), language)
        reported = await self.store.reported(guild_id)
        if reported is not None:
            return cards.reported_card(*reported, language=language)
        return cards.queue_empty(await self.store.count(guild_id), language)

    async def _admin_click(self, interaction: Interaction, argument: str, what: str) -> tuple[int, int] | None:
        """The server and question of an admin's click, or None (answered) when the clicker may not."""
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            await respond(interaction, cards.not_allowed(what, _language(interaction)))
            return None
        if not argument.isdigit():
            await respond(interaction, cards.already_decided(_language(interaction)))
            return None
        return interaction.guild_id, int(argument)

    async def accept(self, interaction: Interaction, argument: str) -> None:
        await self._decide(interaction, argument, accept=True)

    async def decline(self, interaction: Interaction, argument: str) -> None:
        await self._decide(interaction, argument, accept=False)

    async def _decide(self, interaction: Interaction, argument: str, *, accept: bool) -> None:
        target = await self._admin_click(interaction, argument, "review")
        if target is None:
            return
        language = _language(interaction)
        try:
            done = await self.store.decide(*target, accept, self.clock())
        except QuestionsError as exc:
            raise UserFacingError(exc.text(language)) from exc
        if not done:
            await respond(interaction, cards.already_decided(language))
            return
        following = await self._next_for_review(target[0], language)
        await replace(interaction, _in_place(following, cards.decided(accept, language)))

    async def edit(self, interaction: Interaction, argument: str) -> None:
        target = await self._admin_click(interaction, argument, "edit")
        if target is None:
            return
        found = await self.store.get(*target)
        if found is None or found.status not in ("pending", "accepted"):
            await respond(interaction, cards.already_decided(_language(interaction)))
            return
        await show_form(interaction, QuestionForm(str(found.id), found.question, _language(interaction)))

    async def retire(self, interaction: Interaction, argument: str) -> None:
        target = await self._admin_click(interaction, argument, "retire")
        if target is None:
            return
        language = _language(interaction)
        if not await self.store.retire(*target, self.clock()):
            await respond(interaction, cards.already_decided(language))
            return
        following = await self._next_for_review(target[0], language)
        await replace(interaction, _in_place(following, cards.retired(language)))

    async def keep(self, interaction: Interaction, argument: str) -> None:
        target = await self._admin_click(interaction, argument, "review")
        if target is None:
            return
        language = _language(interaction)
        await self.store.mark_reviewed(*target, self.clock())
        following = await self._next_for_review(target[0], language)
        await replace(interaction, _in_place(following, cards.kept(language)))

    # --- packs --------------------------------------------------------------------------------------

    @app_commands.command(name="export", description="Admins: this server's accepted questions, as a pack file")
    @admin_only
    async def export(self, interaction: Interaction) -> None:
        found = await self.store.accepted(_guild_id(interaction))
        language = _language(interaction)
        server = interaction.guild.name if interaction.guild else cards.this_server(language)
        await respond(interaction, cards.exported(found, server, language))

    @app_commands.command(name="import", description="Admins: add the questions of a pack file to this server")
    @app_commands.describe(file="A pack (TOML) as /trivia question export makes: at most 1 MB, 1,000 questions")
    @admin_only
    async def import_(self, interaction: Interaction, file: discord.Attachment) -> None:
        guild_id = _guild_id(interaction)
        language = _language(interaction)
        if file.size > PACK_MAX_BYTES:
            await respond(interaction, cards.import_refused(cards.import_too_big(file.size, language), language))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            found = parse_pack(await file.read())
            done = await self.store.import_pack(guild_id, found, self.clock())
        except (QuestionError, QuestionsError) as exc:
            await respond(interaction, cards.import_refused(_import_problem(exc, language), language))
            return
        except discord.HTTPException:
            await respond(interaction, cards.import_refused(cards.import_not_downloaded(language), language))
            return
        await respond(interaction, cards.imported(done, language))


class QuestionForm(discord.ui.Modal):
    """The question form, new or filled in for an edit. Only built here: let go once shown, its submission is
    answered by `form_submitted` from its custom id (bot/buttons.py show_form)."""

    def __init__(self, argument: str, filled: Proposed | None, language: str) -> None:
        words = cards.form_text(language, edit=filled is not None)
        super().__init__(title=words.title, custom_id=form_custom_id(cards.FORM_ACTION, argument))
        self.placeholders = words.placeholders
        self._text(cards.PROMPT_FIELD, words.prompt, PROMPT_MAX, filled.prompt if filled else None)
        options = "\n".join(filled.options) if filled else None
        self._text(cards.OPTIONS_FIELD, words.options, OPTIONS_MAX * (OPTION_MAX + 1), options, long=True)
        chosen = str(filled.answer + 1) if filled else None
        right: discord.ui.Select[Any] = discord.ui.Select(
            custom_id=cards.RIGHT_FIELD,
            options=[
                discord.SelectOption(label=label, value=value, default=value == chosen)
                for value, label in words.choices
            ],
        )
        self.add_item(discord.ui.Label(text=words.right, component=right))
        self._text(cards.WHY_FIELD, words.why, WHY_MAX, filled.why if filled else None, required=False)

    def _text(
        self, field: str, label: str, limit: int, value: str | None, *, long: bool = False, required: bool = True
    ) -> None:
        text: discord.ui.TextInput[Any] = discord.ui.TextInput(
            custom_id=field,
            style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
            placeholder=self.placeholders.get(field),
            default=value,
            required=required,
            max_length=limit,
        )
        self.add_item(discord.ui.Label(text=label, component=text))


def _form_question(interaction: Interaction) -> Proposed:
    """The form's fields, checked (QuestionError names the one that is wrong)."""

    def one(field: str) -> str:
        values = submitted_values(interaction, field)
        return values[0] if values else ""

    right = one(cards.RIGHT_FIELD)
    if not right.isdigit():
        raise QuestionError("questions.error.choose_right")
    return check_question(
        one(cards.PROMPT_FIELD), options_of(one(cards.OPTIONS_FIELD)), int(right), one(cards.WHY_FIELD)
    )


def _import_problem(exc: QuestionError | QuestionsError, language: str) -> str:
    """Why a pack was refused, without the store's "Nothing was imported." (the refusal says it first)."""
    if exc.key == IMPORT_OVER:
        return cards.say("error.import_over.reason", language, **exc.values)
    return exc.text(language)


def _language(interaction: Interaction) -> str:
    """The language of a reply only this member sees: their Discord's."""
    return language_of(interaction.locale)


def _in_place(reply: Reply, said: str) -> Reply:
    """The next thing to review, replacing the private card that was clicked (it stays private)."""
    text = f"{said}\n{reply.text}" if reply.text else said
    return dataclasses.replace(reply, text=text, ephemeral=False)


def _guild_id(interaction: Interaction) -> int:
    if interaction.guild_id is None:
        raise UserFacingError(messages().text("trivia.error.server_only", _language(interaction)))
    return interaction.guild_id
