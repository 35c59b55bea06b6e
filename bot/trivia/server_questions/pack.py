"""A server question as typed (in the form, or a pack file), checked; and the pack file format. No discord import.

Every limit of a question is here, and one check serves the form, a pack file sent to `/trivia question import`,
`python -m bot questions import` and the operator's packs in data/packs/. A mistake is named by the field
("option 3 is empty"), and in a pack by the question's number too ("question 12: option 3 is empty").

A pack is TOML, one `[[question]]` table per question:

    [[question]]
    prompt = "Which drama did our server watch first?"
    options = ["Goblin", "Healer", "Squid Game"]
    answer = 2          # which option is right, counting from 1
    why = "We started with Healer in 2022."   # optional, shown at the reveal
"""

from __future__ import annotations

import json
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

PROMPT_MIN, PROMPT_MAX = 10, 200
OPTION_MIN, OPTION_MAX = 1, 80
OPTIONS_MIN, OPTIONS_MAX = 2, 4
WHY_MAX = 200
PACK_MAX_BYTES = 1024 * 1024
PACK_MAX_QUESTIONS = 1000
KEYS = ("prompt", "options", "answer", "why")
ORDINALS = ("first", "second", "third", "fourth")


class QuestionError(ValueError):
    """A question or a pack that can't be taken; the message says which question and field, in plain words."""


@dataclass(frozen=True, slots=True)
class Proposed:
    """A question as its author wrote it, checked: `answer` is the index of the right option (from 0)."""

    prompt: str
    options: tuple[str, ...]
    answer: int
    why: str | None = None

    def same_as(self) -> str:
        """What makes two questions exact duplicates: the same text, options and answer (ignoring case and
        spaces)."""
        return json.dumps([_key(self.prompt), [_key(o) for o in self.options], self.answer, _key(self.why or "")])


def clean(text: str) -> str:
    """One line of text as it is kept: NFKC, no control or invisible characters, spaces collapsed."""
    visible = "".join(
        " " if ch.isspace() else ch
        for ch in unicodedata.normalize("NFKC", text)
        if ch.isspace() or unicodedata.category(ch) not in {"Cf", "Cc", "Co", "Cs"}
    )
    return " ".join(visible.split())


def _key(text: str) -> str:
    return "".join(clean(text).casefold().split())


def _text(value: str, what: str, low: int, high: int) -> str:
    text = clean(value)
    if not text:
        raise QuestionError(f"{what} is empty")
    if len(text) < low:
        raise QuestionError(f"{what} is too short: {len(text)} characters, at least {low}")
    if len(text) > high:
        raise QuestionError(f"{what} is too long: {len(text)} characters, at most {high}")
    return text


def check_question(prompt: str, options: Sequence[str], answer: int, why: str | None = None) -> Proposed:
    """A question checked against every rule; `answer` counts from 1 (as members and packs do). Raises
    QuestionError naming the field."""
    text = _text(prompt, "the question", PROMPT_MIN, PROMPT_MAX)
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise QuestionError(f"it has {len(options)} options: give {OPTIONS_MIN} to {OPTIONS_MAX}")
    cleaned = tuple(_text(o, f"option {i}", OPTION_MIN, OPTION_MAX) for i, o in enumerate(options, start=1))
    seen: dict[str, int] = {}
    for i, option in enumerate(cleaned, start=1):
        first = seen.setdefault(_key(option), i)
        if first != i:
            raise QuestionError(f"options {first} and {i} are the same")
    if not 1 <= answer <= len(cleaned):
        raise QuestionError(f"the right option must be a number from 1 to {len(cleaned)}, not {answer}")
    reason = clean(why or "")
    if len(reason) > WHY_MAX:
        raise QuestionError(f"the why line is too long: {len(reason)} characters, at most {WHY_MAX}")
    return Proposed(text, cleaned, answer - 1, reason or None)


def options_of(text: str) -> list[str]:
    """The form's options field: one option a line (blank lines between them are ignored, but counted as
    empty options when they come between others, so a member learns which line is empty)."""
    lines = [line for line in text.splitlines()]
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


# --- packs ------------------------------------------------------------------------------------------


def parse_pack(data: bytes) -> list[Proposed]:
    """Every question of a pack file, checked; the first mistake raises QuestionError naming it, so a pack is
    taken whole or not at all."""
    if len(data) > PACK_MAX_BYTES:
        raise QuestionError(f"the file is {len(data):,} bytes; a pack may be at most {PACK_MAX_BYTES:,} (1 MB)")
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise QuestionError("the file is not text (UTF-8): a pack is a TOML file") from None
    except tomllib.TOMLDecodeError as exc:
        raise QuestionError(f"the file is not valid TOML ({exc})") from None
    unknown = sorted(set(raw) - {"question"})
    if unknown:
        raise QuestionError(f"unknown key {unknown[0]!r} at the top of the file: a pack holds [[question]] tables")
    items = raw.get("question")
    if not isinstance(items, list) or not items:
        raise QuestionError("the file has no questions: add [[question]] tables")
    if len(items) > PACK_MAX_QUESTIONS:
        raise QuestionError(f"the file has {len(items):,} questions; a pack may hold at most {PACK_MAX_QUESTIONS:,}")
    return [_pack_question(number, item) for number, item in enumerate(items, start=1)]


def _pack_question(number: int, item: object) -> Proposed:
    where = f"question {number}"
    if not isinstance(item, Mapping):
        raise QuestionError(f"{where}: must be a [[question]] table")
    try:
        return _checked_item(item)
    except QuestionError as exc:
        raise QuestionError(f"{where}: {exc}") from None


def _checked_item(item: Mapping[str, Any]) -> Proposed:
    unknown = sorted(set(item) - set(KEYS))
    if unknown:
        raise QuestionError(f"unknown key {unknown[0]!r} (a question has {', '.join(KEYS)})")
    for key in ("prompt", "options", "answer"):
        if key not in item:
            raise QuestionError(f"the key {key!r} is missing")
    prompt, options, answer, why = item["prompt"], item["options"], item["answer"], item.get("why")
    if not isinstance(prompt, str):
        raise QuestionError("'prompt' must be text")
    if not isinstance(options, list):
        raise QuestionError("'options' must be a list of text")
    for i, option in enumerate(options, start=1):
        if not isinstance(option, str):
            raise QuestionError(f"option {i} must be text")
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise QuestionError("'answer' must be a whole number (the right option, counting from 1)")
    if why is not None and not isinstance(why, str):
        raise QuestionError("'why' must be text")
    return check_question(prompt, options, answer, why)


def dump_pack(found: Iterable[Proposed], header: str = "") -> str:
    """A pack file of these questions, which parse_pack reads back as they are."""
    lines = [f"# {line}" for line in header.splitlines()] if header else []
    for q in found:
        lines += ["", "[[question]]", f"prompt = {_toml(q.prompt)}"]
        lines.append("options = [" + ", ".join(_toml(o) for o in q.options) + "]")
        lines.append(f"answer = {q.answer + 1}")
        if q.why:
            lines.append(f"why = {_toml(q.why)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def _toml(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (the text is one line without control characters)."""
    return json.dumps(text, ensure_ascii=False)
