"""Errors meant for the user, and the plain words a user gets for each app-command error."""

from __future__ import annotations

from discord import app_commands

from bot.matching import quote_input


class UserFacingError(app_commands.AppCommandError):
    """An error whose message is meant for the user as it stands."""


def user_message_for(error: app_commands.AppCommandError) -> str | None:
    """The plain words a user gets for an expected error; None for a bug (logged as one)."""
    if isinstance(error, UserFacingError):
        return str(error)
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission to do that."
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = ", ".join(p.replace("_", " ") for p in error.missing_permissions)
        return f"I am missing permissions here: {missing}."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command works only in a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't read “{quote_input(str(error.value), 50)}” as a {error.type.name.lower()}."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    if isinstance(error, app_commands.CommandNotFound):
        return "That command no longer exists. Discord may take a moment to update its list."
    return None
