"""Errors meant for the user, and the plain words a user gets for each app-command error."""

from __future__ import annotations

from discord import app_commands

from bot.i18n import ENGLISH, messages
from bot.matching import quote_input


class UserFacingError(app_commands.AppCommandError):
    """An error whose message is meant for the user as it stands."""


def user_message_for(error: app_commands.AppCommandError, language: str = ENGLISH) -> str | None:
    """The plain words a user gets for an expected error, in their language; None for a bug (logged as one)."""
    words = messages()
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return words.text("error.manage_server", language)
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(p.replace("_", " ") for p in error.missing_permissions)
        return words.text("error.bot_missing", language, missing=missing)
    if isinstance(error, app_commands.NoPrivateMessage):
        return words.text("error.server_only", language)
    if isinstance(error, app_commands.CommandOnCooldown):
        return words.text("error.cooldown", language, seconds=f"{error.retry_after:.0f}")
    if isinstance(error, app_commands.TransformerError):
        value = quote_input(str(error.value), 50)
        return words.text("error.transform", language, value=value, type=error.type.name.lower())
    if isinstance(error, app_commands.CheckFailure):
        return words.text("error.check", language)
    if isinstance(error, app_commands.CommandNotFound):
        return words.text("error.not_found", language)
    return None


def unexpected_error(language: str = ENGLISH) -> str:
    """What a user is told when answering them failed on our side (a bug, logged)."""
    return messages().text("error.unexpected", language)
