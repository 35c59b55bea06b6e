"""The command tree in the fan's language: discord.py's Translator, fed from the command catalogues.

Every command, group, option and choice is translated here from `data/locales/commands.<language>.po`, keyed by
the English the feature declares, so no feature's code changes for it. Discord shows a member the names and
descriptions of their client's language.
"""

from __future__ import annotations

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.i18n import CommandText, load_command_text

NAMES = {Where.command_name, Where.group_name, Where.parameter_name}
# The Discord locale each catalogue's language is offered in.
DISCORD_LOCALES = {"ko": Locale.korean}


class CatalogueTranslator(app_commands.Translator):
    def __init__(self, text: CommandText | None = None) -> None:
        self.text = text or load_command_text()
        self._languages = {DISCORD_LOCALES[lang]: lang for lang in self.text.languages if lang in DISCORD_LOCALES}

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        language = self._languages.get(locale)
        if language is None:
            return None
        if context.location in NAMES:
            return self.text.name(string.message, language)
        return self.text.description(string.message, language)
