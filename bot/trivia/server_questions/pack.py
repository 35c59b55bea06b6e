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

from bot.i18n import SaidError

PROMPT_MIN, PROMPT_MAX = 10, 200
OPTION_MIN, OPTION_MAX = 1, 80
OPTIONS_MIN, OPTIONS_MAX = 2, 4
WHY_MAX = 200
PACK_MAX_BYTES = 1024 * 1024
PACK_MAX_QUESTIONS = 1000
KEYS = ("prompt", "options", "answer", "why")
ORDINALS = ("first", "second", "third", "fourth")


class QuestionError(SaidError, ValueError):
    """A question or a pack that can't be taken; the message (a catalogue key, `questions.error.*`) says which
    question and field, in plain words, in the member's language (`text("ko")`)."""


def _field(key: str, **values: Any) -> SaidError:
    """A field's name (`option 3`), said in the language of the error that names it."""
    return SaidError(f"questions.field.{key}", **values)


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


def _text(value: str, field: SaidError, low: int, high: int) -> str:
    text = clean(value)
    if not text:
        raise QuestionError("questions.error.empty", field=field)
    if len(text) < low:
        raise QuestionError("questions.error.too_short", field=field, length=len(text), low=low)
    if len(text) > high:
        raise QuestionError("questions.error.too_long", field=field, length=len(text), high=high)
    return text


def check_question(prompt: str, options: Sequence[str], answer: int, why: str | None = None) -> Proposed:
    """A question checked against every rule; `answer` counts from 1 (as members and packs do). Raises
    QuestionError naming the field."""
    text = _text(prompt, _field("prompt"), PROMPT_MIN, PROMPT_MAX)
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        raise QuestionError("questions.error.option_count", count=len(options), low=OPTIONS_MIN, high=OPTIONS_MAX)
    cleaned = tuple(
        _text(o, _field("option", number=i), OPTION_MIN, OPTION_MAX) for i, o in enumerate(options, start=1)
    )
    seen: dict[str, int] = {}
    for i, option in enumerate(cleaned, start=1):
        first = seen.setdefault(_key(option), i)
        if first != i:
            raise QuestionError("questions.error.same_options", first=first, second=i)
    if not 1 <= answer <= len(cleaned):
        raise QuestionError("questions.error.answer_range", count=len(cleaned), answer=answer)
    reason = clean(why or "")
    if len(reason) > WHY_MAX:
        raise QuestionError("questions.error.too_long", field=_field("why"), length=len(reason), high=WHY_MAX)
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
        raise QuestionError("questions.error.file_size", size=f"{len(data):,}", max=f"{PACK_MAX_BYTES:,}")
    try:
        raw = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise QuestionError("questions.error.not_text") from None
    except tomllib.TOMLDecodeError as exc:
        raise QuestionError("questions.error.not_toml", detail=str(exc)) from None
    unknown = sorted(set(raw) - {"question"})
    if unknown:
        raise QuestionError("questions.error.top_key", key=repr(unknown[0]))
    items = raw.get("question")
    if not isinstance(items, list) or not items:
        raise QuestionError("questions.error.no_questions")
    if len(items) > PACK_MAX_QUESTIONS:
        raise QuestionError("questions.error.too_many", count=f"{len(items):,}", max=f"{PACK_MAX_QUESTIONS:,}")
    return [_pack_question(number, item) for number, item in enumerate(items, start=1)]


def _pack_question(number: int, item: object) -> Proposed:
    if not isinstance(item, Mapping):
        raise QuestionError(
            "questions.error.in_question", number=number, problem=QuestionError("questions.error.table")
        )
    try:
        return _checked_item(item)
    except QuestionError as exc:
        raise QuestionError("questions.error.in_question", number=number, problem=exc) from None


def _checked_item(item: Mapping[str, Any]) -> Proposed:
    unknown = sorted(set(item) - set(KEYS))
    if unknown:
        raise QuestionError("questions.error.unknown_key", key=repr(unknown[0]), keys=", ".join(KEYS))
    for key in ("prompt", "options", "answer"):
        if key not in item:
            raise QuestionError("questions.error.missing_key", key=repr(key))
    prompt, options, answer, why = item["prompt"], item["options"], item["answer"], item.get("why")
    if not isinstance(prompt, str):
        raise QuestionError("questions.error.prompt_text")
    if not isinstance(options, list):
        raise QuestionError("questions.error.options_list")
    for i, option in enumerate(options, start=1):
        if not isinstance(option, str):
            raise QuestionError("questions.error.option_text", number=i)
    if isinstance(answer, bool) or not isinstance(answer, int):
        raise QuestionError("questions.error.answer_number")
    if why is not None and not isinstance(why, str):
        raise QuestionError("questions.error.why_text")
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
