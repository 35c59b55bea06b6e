"""The fan's language: message catalogues in gettext's .po format, read with Babel. No discord import.

Two kinds of catalogue live in `data/locales/`:

- `commands.<language>.po`: every command, group, option and choice of the command tree, keyed by the English
  string the code declares (gettext's usual msgid), so any feature's commands are translated without touching
  its code. Names (which Discord restricts: lowercase, 1 to 32 letters, digits, `-` or `_`) carry the msgctxt
  `name`; descriptions and choices have none.
- `answers.<language>.po`: what the lookups answer, keyed by a short id (`rank.missing`), one file per
  language, English included, each message with the same `{placeholders}` in every language.

English is the default; a member whose Discord speaks Korean (`ko`) gets Korean.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.pofile import read_po

LOCALES_PATH = Path(__file__).resolve().parent.parent / "data" / "locales"
ENGLISH = "en"
KOREAN = "ko"
LANGUAGES = (ENGLISH, KOREAN)
NAME_CONTEXT = "name"  # the msgctxt of command, group and option names
NAME_LIMIT = 32
DESCRIPTION_LIMIT = 100
_PLACEHOLDER = re.compile(r"\{(\w*)\}")


def language_of(locale: object) -> str:
    """The language answers are written in for a Discord locale (`ko`, `en-US`, ...): Korean or English."""
    return KOREAN if str(locale).split("-")[0].lower() == KOREAN else ENGLISH


def server_language(chosen: str | None, preferred_locale: object) -> str:
    """The language a server's trivia is posted in: the one its admins chose, else its preferred locale's."""
    return chosen if chosen in LANGUAGES else language_of(preferred_locale)


def placeholders(text: str) -> set[str]:
    """The `{name}` placeholders of a message."""
    return set(_PLACEHOLDER.findall(text))


def name_problem(name: str) -> str | None:
    """Why Discord would refuse `name` as a command, option or localised name (None: it would not).

    Discord's rule: `^[-_\\p{L}\\p{N}\\p{sc=Deva}\\p{sc=Thai}]{1,32}$`, lowercase where the script has case."""
    if not 1 <= len(name) <= NAME_LIMIT:
        return f"{name!r} is {len(name)} characters, not 1 to {NAME_LIMIT}"
    for ch in name:
        if ch not in "-_" and unicodedata.category(ch)[0] not in "LN":
            return f"{name!r} holds {ch!r}, which is not a letter, a digit, '-' or '_'"
    if name != name.lower():
        return f"{name!r} is not lowercase"
    return None


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    context: str | None
    text: str


def read_catalogue(path: Path) -> list[Entry]:
    """The translated messages of one .po file (the header is left out)."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [
        Entry(str(message.id), message.context, str(message.string or ""))
        for message in catalog
        if message.id and isinstance(message.id, str)
    ]


class Messages:
    """The answers' messages in every language: `text("rank.missing", "ko", rank=1)`."""

    def __init__(self, by_language: Mapping[str, Mapping[str, str]]) -> None:
        self._by_language = {language: dict(messages) for language, messages in by_language.items()}

    def text(self, key: str, language: str = ENGLISH, /, **values: Any) -> str:
        """The message in `language` (English where that language lacks it), its placeholders filled in."""
        messages = self._by_language.get(language) or self._by_language[ENGLISH]
        template = messages.get(key) or self._by_language[ENGLISH][key]
        return template.format(**values) if values else template

    def count(self, key: str, number: int, language: str = ENGLISH) -> str:
        """`1 role`, `2 roles`: the message `key.one` or `key.other`, with `{n}`."""
        return self.text(f"{key}.{'one' if number == 1 else 'other'}", language, n=number)

    def keys(self, language: str) -> set[str]:
        return set(self._by_language.get(language, {}))


class CommandText:
    """Korean (or any language's) names and descriptions of the commands, keyed by their English."""

    def __init__(self, by_language: Mapping[str, Iterable[Entry]]) -> None:
        self._names: dict[str, dict[str, str]] = {}
        self._other: dict[str, dict[str, str]] = {}
        for language, entries in by_language.items():
            names = self._names.setdefault(language, {})
            other = self._other.setdefault(language, {})
            for entry in entries:
                if entry.text:
                    (names if entry.context == NAME_CONTEXT else other)[entry.key] = entry.text

    @property
    def languages(self) -> list[str]:
        return list(self._names)

    def names(self, language: str) -> dict[str, str]:
        """Every name's translation in `language`, by its English."""
        return dict(self._names.get(language, {}))

    def name(self, english: str, language: str) -> str | None:
        return self._names.get(language, {}).get(english)

    def description(self, english: str, language: str) -> str | None:
        """A description's or a choice's translation."""
        return self._other.get(language, {}).get(english)


def answers_path(language: str, folder: Path = LOCALES_PATH) -> Path:
    return folder / f"answers.{language}.po"


def commands_path(language: str, folder: Path = LOCALES_PATH) -> Path:
    return folder / f"commands.{language}.po"


TRANSLATED = tuple(lang for lang in LANGUAGES if lang != ENGLISH)  # the command catalogues: English is the code's


def _answers(folder: Path | None) -> dict[str, dict[str, str]]:
    where = folder or LOCALES_PATH
    return {lang: {e.key: e.text for e in read_catalogue(answers_path(lang, where))} for lang in LANGUAGES}


def load_messages(folder: Path | None = None) -> Messages:
    """The answers' messages of every language (from LOCALES_PATH unless another folder is given)."""
    return Messages(_answers(folder))


def load_command_text(folder: Path | None = None) -> CommandText:
    """The commands' names and descriptions in every language but English (from LOCALES_PATH by default)."""
    return CommandText({lang: read_catalogue(commands_path(lang, folder or LOCALES_PATH)) for lang in TRANSLATED})


def catalogue_problems(folder: Path | None = None) -> list[str]:
    """What is wrong with the catalogues: a message missing in a language, placeholders that differ between
    languages, a command name Discord would refuse, a description over 100 characters."""
    answers = _answers(folder)
    problems: list[str] = []
    for key in sorted(set().union(*answers.values())):
        texts = {lang: answers[lang].get(key, "") for lang in LANGUAGES}
        problems += [f"answers.{lang}.po: '{key}' has no text in this language" for lang, t in texts.items() if not t]
        if all(texts.values()) and len({frozenset(placeholders(t)) for t in texts.values()}) > 1:
            found = "; ".join(f"{lang}: {sorted(placeholders(t))}" for lang, t in texts.items())
            problems.append(f"answers: '{key}' has different placeholders in each language ({found})")
    for lang in TRANSLATED:
        for entry in read_catalogue(commands_path(lang, folder or LOCALES_PATH)):
            problem = _command_problem(entry)
            if problem:
                problems.append(f"commands.{lang}.po: {entry.key!r}: {problem}")
    return problems


def _command_problem(entry: Entry) -> str | None:
    if not entry.text:
        return "has no text in this language"
    if placeholders(entry.key) != placeholders(entry.text):
        return f"placeholders differ ({sorted(placeholders(entry.key))} and {sorted(placeholders(entry.text))})"
    if entry.context == NAME_CONTEXT:
        return name_problem(entry.text)
    if len(entry.text) > DESCRIPTION_LIMIT:
        return f"is {len(entry.text)} characters, more than {DESCRIPTION_LIMIT}"
    return None


@functools.cache
def messages() -> Messages:
    """The shipped answers' messages, read once."""
    return load_messages()


class SaidError(Exception):
    """An error whose message is meant for the user, kept as a catalogue key and its values so it can be said in
    the member's language: `text("ko")`; `str()` is the English (for logs and tests). A value that is itself a
    SaidError (a field's name, the problem a wrapping error names) is said in the same language."""

    def __init__(self, key: str, /, **values: Any) -> None:
        super().__init__(messages().text(key, ENGLISH, **values))
        self.key = key
        self.values = values

    def text(self, language: str = ENGLISH) -> str:
        values = {k: v.text(language) if isinstance(v, SaidError) else v for k, v in self.values.items()}
        return messages().text(self.key, language, **values)
