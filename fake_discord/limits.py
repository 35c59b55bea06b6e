"""Discord's limits on what a bot sends: commands, messages (content, embeds, components), autocomplete.

Each check returns a list of `Problem`s (empty when the payload is fine). A problem's path is where Discord's
"Invalid Form Body" error would point, e.g. ("data", "embeds", 0, "title").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]
Path = tuple[str | int, ...]

SUB_COMMAND, SUB_COMMAND_GROUP, STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = range(1, 11)
ATTACHMENT = 11  # an uploaded file (the fake serves its bytes under /_fake/attachments/)
CHOICE_TYPES: dict[int, type | tuple[type, ...]] = {STRING: str, INTEGER: int, NUMBER: (int, float)}
ACTION_ROW, BUTTON = 1, 2
SELECT_TYPES = {3, 5, 6, 7, 8}
LINK_STYLE, PREMIUM_STYLE = 5, 6
IS_COMPONENTS_V2 = 1 << 15
EMBED_URL_FIELDS = (
    ("url",),
    ("image", "url"),
    ("thumbnail", "url"),
    ("author", "url"),
    ("author", "icon_url"),
    ("footer", "icon_url"),
)


@dataclass(frozen=True)
class Problem:
    path: Path
    code: str
    message: str

    def __str__(self) -> str:
        return f"{format_path(self.path)}: {self.message}"


def format_path(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "<body>"


def too_long(path: Path, value: Any, limit: int, *, minimum: int = 0) -> Iterator[Problem]:
    if not isinstance(value, str):
        yield Problem(path, "BASE_TYPE_STRING", f"Must be a string (got {type(value).__name__}).")
    elif len(value) > limit:
        yield Problem(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length (got {len(value)}).")
    elif len(value) < minimum:
        yield Problem(path, "BASE_TYPE_MIN_LENGTH", f"Must be {minimum} or more in length (got {len(value)}).")


def too_many(path: Path, items: Any, limit: int) -> Iterator[Problem]:
    if not isinstance(items, list):
        yield Problem(path, "BASE_TYPE_ARRAY", "Must be an array.")
    elif len(items) > limit:
        yield Problem(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length (got {len(items)}).")


# --- application commands ---------------------------------------------------------------------------------


def check_commands(commands: Any) -> list[Problem]:
    """A bulk overwrite (PUT .../commands): every command, and names unique per command type."""
    if not isinstance(commands, list):
        return [Problem((), "BASE_TYPE_ARRAY", "Must be an array of commands.")]
    problems: list[Problem] = []
    seen: set[tuple[int, str]] = set()
    for index, command in enumerate(commands):
        problems += check_command(command, (index,))
        key = (command.get("type") or 1, command.get("name", ""))
        if key in seen:
            problems.append(
                Problem(
                    (index, "name"),
                    "APPLICATION_COMMANDS_DUPLICATE_NAME",
                    f"Application command names must be unique ({key[1]!r}).",
                )
            )
        seen.add(key)
    problems += unique_localized_names(commands, ())
    if sum(1 for kind, _ in seen if kind == 1) > 100:
        problems.append(Problem((), "APPLICATION_COMMANDS_TOO_MANY", "At most 100 slash commands."))
    return problems


def check_command(command: Json, path: Path = ()) -> list[Problem]:
    kind = command.get("type") or 1
    problems = list(check_name(command.get("name"), (*path, "name"), slash=kind == 1))
    description = command.get("description")
    if kind == 1:
        problems += too_long((*path, "description"), description, 100, minimum=1)
    elif description:
        problems.append(
            Problem(
                (*path, "description"),
                "APPLICATION_COMMAND_DESCRIPTION_NOT_EMPTY",
                "User and message commands must have an empty description.",
            )
        )
    problems += check_localizations(command, path, slash=kind == 1)
    problems += check_options(command.get("options") or [], (*path, "options"), depth=0)
    size = command_size(command)
    if size > 4000:
        problems.append(
            Problem(
                path,
                "APPLICATION_COMMAND_TOO_LARGE",
                f"Command size (names, descriptions, choices) must be 4000 or fewer (got {size}).",
            )
        )
    return problems


def check_name(name: Any, path: Path, *, slash: bool) -> Iterator[Problem]:
    if not isinstance(name, str) or not 1 <= len(name) <= 32:
        yield Problem(path, "APPLICATION_COMMAND_INVALID_NAME", f"Name must be 1-32 characters (got {name!r}).")
    elif slash and not all(ch.isalnum() or ch in "-_'" for ch in name):
        yield Problem(
            path, "APPLICATION_COMMAND_INVALID_NAME", f"Name must match ^[-_'\\p{{L}}\\p{{N}}]{{1,32}}$ (got {name!r})."
        )
    elif slash and name != name.lower():
        yield Problem(path, "APPLICATION_COMMAND_INVALID_NAME", f"Name must be lowercase (got {name!r}).")


def check_localizations(item: Json, path: Path, *, slash: bool) -> list[Problem]:
    """A command's or an option's names and descriptions in other languages: the same rules as the originals."""
    problems: list[Problem] = []
    for locale, name in (item.get("name_localizations") or {}).items():
        problems += check_name(name, (*path, "name_localizations", locale), slash=slash)
    if slash:
        for locale, text in (item.get("description_localizations") or {}).items():
            problems += too_long((*path, "description_localizations", locale), text, 100, minimum=1)
    return problems


def unique_localized_names(items: list[Json], path: Path) -> list[Problem]:
    """Siblings (a command's options, an application's commands of one type) need distinct names in every
    language, as they do in English."""
    problems: list[Problem] = []
    seen: set[tuple[Any, str, str]] = set()
    for index, item in enumerate(items):
        for locale, name in (item.get("name_localizations") or {}).items():
            key = (item.get("type") if not path else None, locale, name)
            if key in seen:
                problems.append(
                    Problem(
                        (*path, index, "name_localizations", locale),
                        "APPLICATION_COMMAND_LOCALIZED_NAME_ALREADY_EXISTS",
                        f"Localized name {name!r} ({locale}) is used twice.",
                    )
                )
            seen.add(key)
    return problems


def check_options(options: Any, path: Path, *, depth: int) -> list[Problem]:
    problems = list(too_many(path, options, 25))
    if problems:
        return problems
    kinds = [option.get("type") for option in options]
    subcommands = [kind in (SUB_COMMAND, SUB_COMMAND_GROUP) for kind in kinds]
    if any(subcommands) and not all(subcommands):
        problems.append(
            Problem(
                path,
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                "Subcommands and groups cannot be mixed with other options.",
            )
        )
    names = [option.get("name") for option in options]
    for index, name in enumerate(names):
        if name in names[:index]:
            problems.append(
                Problem(
                    (*path, index, "name"),
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    f"Option name {name!r} is used twice.",
                )
            )
    problems += unique_localized_names(options, path)
    problems += check_required_order(options, path)
    for index, option in enumerate(options):
        problems += check_option(option, (*path, index), depth=depth)
    return problems


def check_required_order(options: list[Json], path: Path) -> Iterator[Problem]:
    optional_seen = False
    for index, option in enumerate(options):
        if option.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
            continue
        if option.get("required"):
            if optional_seen:
                yield Problem(
                    (*path, index, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    f"Required options must be placed before non-required options ({option.get('name')!r}).",
                )
        else:
            optional_seen = True


def check_option(option: Json, path: Path, *, depth: int) -> list[Problem]:
    kind = option.get("type")
    problems = list(check_name(option.get("name"), (*path, "name"), slash=True))
    problems += too_long((*path, "description"), option.get("description"), 100, minimum=1)
    problems += check_localizations(option, path, slash=True)
    if kind == SUB_COMMAND_GROUP and depth > 0:
        problems.append(
            Problem(
                (*path, "type"),
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                "Subcommand groups can only be nested at the top level.",
            )
        )
    if kind in (SUB_COMMAND, SUB_COMMAND_GROUP):
        children = option.get("options") or []
        if kind == SUB_COMMAND_GROUP and any(child.get("type") != SUB_COMMAND for child in children):
            problems.append(
                Problem(
                    (*path, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "A subcommand group may only contain subcommands.",
                )
            )
        if kind == SUB_COMMAND and any(c.get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP) for c in children):
            problems.append(
                Problem(
                    (*path, "options"),
                    "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                    "A subcommand cannot contain subcommands.",
                )
            )
        return problems + check_options(children, (*path, "options"), depth=depth + 1)
    return problems + check_option_values(option, path)


def check_option_values(option: Json, path: Path) -> list[Problem]:
    kind = option.get("type")
    choices = option.get("choices")
    problems: list[Problem] = []
    if choices:
        if kind not in CHOICE_TYPES:
            problems.append(
                Problem(
                    (*path, "choices"),
                    "APPLICATION_COMMAND_OPTION_CHOICES_INVALID",
                    "Only string, integer and number options can have choices.",
                )
            )
        if option.get("autocomplete"):
            problems.append(
                Problem(
                    (*path, "autocomplete"),
                    "APPLICATION_COMMAND_AUTOCOMPLETE_CHOICES",
                    "An option cannot have both choices and autocomplete.",
                )
            )
        problems += too_many((*path, "choices"), choices, 25)
        for index, choice in enumerate(choices):
            problems += check_choice(choice, (*path, "choices", index), kind)
    if option.get("autocomplete") and kind not in CHOICE_TYPES:
        problems.append(
            Problem(
                (*path, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID_TYPE",
                "Only string, integer and number options can autocomplete.",
            )
        )
    for key in ("min_length", "max_length"):
        value = option.get(key)
        if value is not None and not 0 <= value <= 6000:
            problems.append(Problem((*path, key), "NUMBER_TYPE_OUT_OF_RANGE", f"{key} must be 0-6000."))
    low, high = option.get("min_value"), option.get("max_value")
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(
                (*path, "min_value"), "APPLICATION_COMMAND_OPTION_RANGE_INVALID", "min_value must not exceed max_value."
            )
        )
    return problems


def check_choice(choice: Any, path: Path, option_type: Any) -> Iterator[Problem]:
    if not isinstance(choice, dict):
        yield Problem(path, "DICT_TYPE_CONVERT", "A choice must be an object with name and value.")
        return
    yield from too_long((*path, "name"), choice.get("name"), 100, minimum=1)
    for locale, name in (choice.get("name_localizations") or {}).items():
        yield from too_long((*path, "name_localizations", locale), name, 100, minimum=1)
    value = choice.get("value")
    expected = CHOICE_TYPES.get(option_type)
    if expected is not None and (not isinstance(value, expected) or isinstance(value, bool)):
        yield Problem(
            (*path, "value"),
            "BASE_TYPE_INVALID",
            f"Choice value {value!r} does not match the option type {option_type}.",
        )
    elif isinstance(value, str):
        yield from too_long((*path, "value"), value, 100, minimum=1)


def command_size(command: Json) -> int:
    """Discord caps a command's combined name, description, option names/descriptions and choices at 4000."""
    total = len(command.get("name") or "") + len(command.get("description") or "")
    for option in command.get("options") or []:
        total += command_size(option)
        for choice in option.get("choices") or []:
            total += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
    return total


# --- messages ----------------------------------------------------------------------------------------------


def check_message(payload: Any, path: Path = ()) -> list[Problem]:
    """Content, embeds and components of a message create or edit (only fields present are checked)."""
    if not isinstance(payload, dict):
        return [Problem(path, "DICT_TYPE_CONVERT", "Must be an object.")]
    problems: list[Problem] = []
    if payload.get("content") is not None:
        problems += too_long((*path, "content"), payload["content"], 2000)
    if payload.get("embeds") is not None:
        problems += check_embeds(payload["embeds"], (*path, "embeds"))
    if payload.get("components") is not None:
        v2 = bool((payload.get("flags") or 0) & IS_COMPONENTS_V2)
        problems += check_components(payload["components"], (*path, "components"), v2=v2)
    return problems


def is_empty_message(payload: Json, *, has_files: bool) -> bool:
    """Discord refuses (50006) a new message with nothing in it."""
    keys = ("content", "embeds", "components", "sticker_ids", "poll", "attachments")
    return not has_files and not any(payload.get(key) for key in keys)


def check_embeds(embeds: Any, path: Path) -> list[Problem]:
    problems = list(too_many(path, embeds, 10))
    if problems:
        return problems
    total = 0
    for index, embed in enumerate(embeds):
        problems += check_embed(embed, (*path, index))
        total += embed_size(embed)
    if total > 6000:
        problems.append(
            Problem(path, "MAX_EMBED_SIZE_EXCEEDED", f"Embed size exceeds maximum size of 6000 (got {total}).")
        )
    return problems


def check_embed(embed: Json, path: Path) -> list[Problem]:
    problems: list[Problem] = []
    for key, limit in (("title", 256), ("description", 4096)):
        if embed.get(key) is not None:
            problems += too_long((*path, key), embed[key], limit)
    for outer, inner, limit in (("footer", "text", 2048), ("author", "name", 256)):
        part = embed.get(outer)
        if part:
            problems += too_long((*path, outer, inner), part.get(inner), limit, minimum=1)
    fields = embed.get("fields") or []
    problems += too_many((*path, "fields"), fields, 25)
    for index, item in enumerate(fields):
        problems += too_long((*path, "fields", index, "name"), item.get("name"), 256, minimum=1)
        problems += too_long((*path, "fields", index, "value"), item.get("value"), 1024, minimum=1)
    problems += check_embed_urls(embed, path)
    color = embed.get("color")
    if color is not None and not 0 <= color <= 0xFFFFFF:
        problems.append(Problem((*path, "color"), "NUMBER_TYPE_MAX", "Color must be 0-16777215."))
    return problems


def check_embed_urls(embed: Json, path: Path) -> Iterator[Problem]:
    for keys in EMBED_URL_FIELDS:
        value: Any = embed
        for key in keys:
            value = value.get(key) if isinstance(value, dict) else None
        if value is None:
            continue
        schemes = ("http://", "https://") if keys == ("url",) else ("http://", "https://", "attachment://")
        if not isinstance(value, str) or not value.startswith(schemes):
            yield Problem(
                path + keys,
                "URL_TYPE_INVALID_URL",
                f"Not a well formed URL: scheme must be one of {[s[:-3] for s in schemes]} ({value!r}).",
            )


def embed_size(embed: Json) -> int:
    def text(value: Any) -> int:
        return len(value) if isinstance(value, str) else 0

    total = text(embed.get("title")) + text(embed.get("description"))
    total += text((embed.get("footer") or {}).get("text")) + text((embed.get("author") or {}).get("name"))
    for item in embed.get("fields") or []:
        total += text(item.get("name")) + text(item.get("value"))
    return total


def check_components(rows: Any, path: Path, *, v2: bool = False) -> list[Problem]:
    if v2:
        return []  # Components V2 layouts are not used by this project; the schema still checks them.
    problems = list(too_many(path, rows, 5))
    if problems:
        return problems
    for index, row in enumerate(rows):
        problems += check_row(row, (*path, index))
    problems += check_unique_custom_ids(rows, path)
    return problems


def check_row(row: Json, path: Path) -> list[Problem]:
    if row.get("type") != ACTION_ROW:
        return [
            Problem(
                (*path, "type"),
                "COMPONENT_LAYOUT_INVALID",
                "Top-level components must be action rows (type 1) without the IS_COMPONENTS_V2 flag.",
            )
        ]
    children = row.get("components") or []
    if not children:
        return [Problem((*path, "components"), "BASE_TYPE_MIN_LENGTH", "An action row needs 1-5 components.")]
    problems = list(too_many((*path, "components"), children, 5))
    kinds = [child.get("type") for child in children]
    if any(kind in SELECT_TYPES for kind in kinds) and len(children) > 1:
        problems.append(
            Problem(
                (*path, "components"),
                "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                "A select menu must be alone in its action row.",
            )
        )
    for index, child in enumerate(children):
        child_path = (*path, "components", index)
        if child.get("type") == BUTTON:
            problems += check_button(child, child_path)
        elif child.get("type") in SELECT_TYPES:
            problems += check_select(child, child_path)
        else:
            problems.append(
                Problem(
                    (*child_path, "type"),
                    "COMPONENT_TYPE_INVALID",
                    f"Component type {child.get('type')!r} cannot go in an action row.",
                )
            )
    return problems


def check_button(button: Json, path: Path) -> list[Problem]:
    style = button.get("style")
    problems: list[Problem] = []
    if button.get("label") is not None:
        problems += too_long((*path, "label"), button["label"], 80)
    if style == LINK_STYLE:
        if not button.get("url"):
            problems.append(Problem((*path, "url"), "BUTTON_COMPONENT_URL_REQUIRED", "A link button needs a url."))
        if button.get("custom_id") is not None:
            problems.append(
                Problem(
                    (*path, "custom_id"), "BUTTON_COMPONENT_INVALID_CUSTOM_ID", "A link button cannot have a custom_id."
                )
            )
    elif style == PREMIUM_STYLE:
        if not button.get("sku_id"):
            problems.append(Problem((*path, "sku_id"), "BASE_TYPE_REQUIRED", "A premium button needs a sku_id."))
    elif style in (1, 2, 3, 4):
        if button.get("custom_id") is None:
            problems.append(
                Problem(
                    (*path, "custom_id"),
                    "BUTTON_COMPONENT_CUSTOM_ID_REQUIRED",
                    "A non-link button must have a custom_id.",
                )
            )
        else:
            problems += too_long((*path, "custom_id"), button["custom_id"], 100, minimum=1)
        if button.get("url") is not None:
            problems.append(Problem((*path, "url"), "BUTTON_COMPONENT_URL_INVALID", "Only link buttons have a url."))
    else:
        problems.append(Problem((*path, "style"), "BUTTON_COMPONENT_STYLE_INVALID", f"Unknown style {style!r}."))
    if style != PREMIUM_STYLE and not button.get("label") and not button.get("emoji"):
        problems.append(
            Problem((*path, "label"), "BUTTON_COMPONENT_LABEL_REQUIRED", "A button needs a label or an emoji.")
        )
    return problems


def check_select(select: Json, path: Path) -> list[Problem]:
    problems = list(too_long((*path, "custom_id"), select.get("custom_id"), 100, minimum=1))
    if select.get("placeholder") is not None:
        problems += too_long((*path, "placeholder"), select["placeholder"], 150)
    options = select.get("options")
    if select.get("type") == 3:
        problems += too_many((*path, "options"), options or [], 25)
        for index, option in enumerate(options or []):
            problems += too_long((*path, "options", index, "label"), option.get("label"), 100, minimum=1)
            problems += too_long((*path, "options", index, "value"), option.get("value"), 100, minimum=1)
    return problems


def iter_custom_ids(rows: Iterable[Json], path: Path) -> Iterator[tuple[Path, str]]:
    for index, row in enumerate(rows):
        for child_index, child in enumerate(row.get("components") or []):
            custom_id = child.get("custom_id")
            if isinstance(custom_id, str):
                yield (*path, index, "components", child_index, "custom_id"), custom_id


def check_unique_custom_ids(rows: list[Json], path: Path) -> Iterator[Problem]:
    seen: set[str] = set()
    for where, custom_id in iter_custom_ids(rows, path):
        if custom_id in seen:
            yield Problem(
                where, "COMPONENT_CUSTOM_ID_DUPLICATED", f"Component custom id cannot be duplicated ({custom_id!r})."
            )
        seen.add(custom_id)


# --- autocomplete --------------------------------------------------------------------------------------------


def check_autocomplete(data: Any, path: Path, option_type: int) -> list[Problem]:
    choices = data.get("choices") if isinstance(data, dict) else None
    if choices is None:
        return [Problem((*path, "choices"), "BASE_TYPE_REQUIRED", "This field is required.")]
    problems = list(too_many((*path, "choices"), choices, 25))
    for index, choice in enumerate(choices if isinstance(choices, list) else []):
        problems += check_choice(choice, (*path, "choices", index), option_type)
    return problems


# --- Discord's error body ------------------------------------------------------------------------------------


def form_errors(problems: Iterable[Problem]) -> Json:
    """Nest problems the way Discord's 50035 body does: {"embeds": {"0": {"title": {"_errors": [...]}}}}."""
    errors: Json = {}
    for problem in problems:
        node = errors
        for part in problem.path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": problem.code, "message": problem.message})
    return errors
