"""REST faults on demand: a rule matches a method and a path pattern and answers an error instead (or after
handling the request: "Discord failed after it had created the message"), or answers late.

Patterns use `{name}` for any one path segment: "/channels/{id}/messages" matches every channel,
"/channels/123/messages" only channel 123. Paths are relative to /api/v10.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from typing import TypeVar

from .model import Json

ERRORS: dict[int, tuple[int, str]] = {
    400: (0, "400: Bad Request"),
    401: (0, "401: Unauthorized"),
    403: (50013, "Missing Permissions"),
    404: (0, "404: Not Found"),
    500: (0, "500: Internal Server Error"),
    502: (0, "502: Bad Gateway"),
    503: (0, "503: Service Unavailable"),
    504: (0, "504: Gateway Timeout"),
}
NOT_FOUND_BY_PATH = (
    (re.compile(r"^/channels/[^/]+/messages/[^/]+"), 10008, "Unknown Message"),
    (re.compile(r"^/channels/"), 10003, "Unknown Channel"),
    (re.compile(r"^/webhooks/"), 10015, "Unknown Webhook"),
    (re.compile(r"^/interactions/"), 10062, "Unknown interaction"),
    (re.compile(r"^/guilds/[^/]+/members/"), 10007, "Unknown Member"),
    (re.compile(r"^/guilds/"), 10004, "Unknown Guild"),
)


def compile_pattern(pattern: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}/]*\})", pattern.rstrip("/"))
    body = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"^{body}/?$")


def default_error(status: int, path: str) -> tuple[int, str]:
    if status == 404:
        for regex, code, message in NOT_FOUND_BY_PATH:
            if regex.match(path):
                return code, message
    return ERRORS.get(status, (0, f"{status}: Error"))


class PathRule:
    """What fault and delay rules share: a method ("*" for any) and a path pattern, for the next `times`
    matching requests (`times=None`: until `remove()`); `hits` counts the requests it applied to."""

    method: str
    pattern: str
    times: int | None
    hits: int
    removed: bool
    regex: re.Pattern[str]

    def __post_init__(self) -> None:
        self.regex = compile_pattern(self.pattern)

    def matches(self, method: str, path: str) -> bool:
        return (
            not self.removed
            and self.method in ("*", method)
            and self.regex.match(path) is not None
            and (self.times is None or self.hits < self.times)
        )

    def remove(self) -> None:
        self.removed = True


@dataclass
class FaultRule(PathRule):
    """One injected fault. With `after_success`, the request is handled first (the message is created, the
    edit applied) and only its answer is the error."""

    method: str
    pattern: str
    status: int
    times: int | None = 1
    code: int | None = None
    message: str | None = None
    retry_after: float = 0.25
    is_global: bool = False
    scope: str = "user"
    hits: int = 0
    regex: re.Pattern[str] = field(init=False, repr=False)
    removed: bool = False
    after_success: bool = False

    def body(self, path: str) -> Json:
        if self.status == 429:
            return {
                "message": self.message or "You are being rate limited.",
                "retry_after": self.retry_after,
                "global": self.is_global,
                "code": 0,
            }
        default_code, default_message = default_error(self.status, path)
        return {
            "message": self.message or default_message,
            "code": self.code if self.code is not None else default_code,
        }

    def headers(self) -> dict[str, str]:
        if self.status != 429:
            return {}
        headers = {
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": f"{time.time() + self.retry_after:.3f}",
            "X-RateLimit-Reset-After": f"{self.retry_after:.3f}",
            "X-RateLimit-Bucket": f"fake-{abs(hash(self.pattern)) % 10**8:08d}",
            "X-RateLimit-Scope": self.scope,
            "Retry-After": str(math.ceil(self.retry_after)),
            # discord.py treats a 429 without Via as a Cloudflare ban and raises instead of retrying.
            "Via": "1.1 google",
        }
        if self.is_global:
            headers["X-RateLimit-Global"] = "true"
        return headers


@dataclass
class DelayRule(PathRule):
    """An answer sent `seconds` (real time) late: the request is handled at once, only the answer waits."""

    method: str
    pattern: str
    seconds: float
    times: int | None = 1
    hits: int = 0
    regex: re.Pattern[str] = field(init=False, repr=False)
    removed: bool = False


class FaultBook:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.delays: list[DelayRule] = []

    def add(self, rule: FaultRule) -> FaultRule:
        self.rules.append(rule)
        return rule

    def add_delay(self, rule: DelayRule) -> DelayRule:
        self.delays.append(rule)
        return rule

    def take(self, method: str, path: str, *, after_success: bool = False) -> FaultRule | None:
        """The first live rule for this request that applies before handling it (or, with `after_success`,
        after handling it), counting the hit."""
        return take_first([r for r in self.rules if r.after_success == after_success], method, path)

    def take_delay(self, method: str, path: str) -> DelayRule | None:
        return take_first(self.delays, method, path)


R = TypeVar("R", bound=PathRule)


def take_first(rules: list[R], method: str, path: str) -> R | None:
    for rule in rules:
        if rule.matches(method, path):
            rule.hits += 1
            return rule
    return None
