"""Things the bot did that Discord would refuse or frown on, and the ones a test declared it expects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KINDS = {
    "limit": "a body broke one of Discord's limits (answered 400 Invalid Form Body)",
    "schema": "a body does not match Discord's OpenAPI schema (answered 400 Invalid Form Body)",
    "unknown_route": "a REST route the fake does not know (answered 404)",
    "late_response": "an interaction answered after 3 s (answered 404 Unknown interaction)",
    "double_response": "an interaction answered twice (answered 400 already acknowledged)",
    "expired_token": "a followup or edit after the 15-minute token lifetime (answered 401)",
    "invalid_request": "a request Discord refuses for another reason (empty message, wrong callback type...)",
    "unauthorized": "a REST call without the bot's token (answered 401)",
    "privileged_intent": "IDENTIFY asked for a privileged intent",
    "gateway": "a gateway protocol error (bad opcode, bad token...)",
    "fake_error": "the fake itself failed on a request (a bug in fake_discord: please report it)",
}


@dataclass(frozen=True)
class Violation:
    kind: str
    summary: str
    route: str = ""
    details: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f" [{self.route}]" if self.route else ""
        lines = [f"{self.kind}{where}: {self.summary}", *(f"    - {d}" for d in self.details)]
        return "\n".join(lines)


@dataclass
class Expectation:
    kind: str
    pattern: re.Pattern[str] | None
    matched: list[Violation] = field(default_factory=list)

    def accepts(self, violation: Violation) -> bool:
        return violation.kind == self.kind and (self.pattern is None or bool(self.pattern.search(str(violation))))

    def __str__(self) -> str:
        return f"{self.kind}" + (f" matching /{self.pattern.pattern}/" if self.pattern else "")


class ViolationLog:
    def __init__(self) -> None:
        self.recorded: list[Violation] = []
        self.expectations: list[Expectation] = []
        self._reported = 0

    def record(self, violation: Violation) -> None:
        if violation.kind not in KINDS:
            raise ValueError(f"unknown violation kind {violation.kind!r}")
        self.recorded.append(violation)
        for expectation in self.expectations:
            if expectation.accepts(violation):
                expectation.matched.append(violation)

    def expect(self, kind: str, match: str | None = None) -> Expectation:
        if kind not in KINDS:
            raise ValueError(f"unknown violation kind {kind!r}; one of {sorted(KINDS)}")
        expectation = Expectation(kind, re.compile(match, re.DOTALL) if match else None)
        expectation.matched += [v for v in self.recorded if expectation.accepts(v)]
        self.expectations.append(expectation)
        return expectation

    def take(self, kind: str | None = None) -> list[Violation]:
        """Remove and return the recorded violations (of one kind): the test has dealt with them."""
        taken = [v for v in self.recorded if kind is None or v.kind == kind]
        self.recorded = [v for v in self.recorded if v not in taken]
        self._reported = min(self._reported, len(self.recorded))
        return taken

    def of(self, kind: str) -> list[Violation]:
        return [v for v in self.recorded if v.kind == kind]

    def unexpected(self) -> list[Violation]:
        return [v for v in self.recorded if not any(e.accepts(v) for e in self.expectations)]

    def unmet(self) -> list[Expectation]:
        return [e for e in self.expectations if not e.matched]

    def new_unexpected(self) -> list[Violation]:
        """Unexpected violations not returned by an earlier call (so each is reported once)."""
        fresh = self.recorded[self._reported :]
        self._reported = len(self.recorded)
        return [v for v in fresh if not any(e.accepts(v) for e in self.expectations)]


def report(violations: list[Violation], unmet: list[Expectation] | None = None) -> str:
    lines: list[str] = []
    if violations:
        lines.append(
            f"The fake Discord recorded {len(violations)} violation(s) "
            "(Discord would refuse these; declare with fake_discord.expect_violation(kind, match=...) "
            "if the test means to provoke them):"
        )
        lines += [f"  {i}. {v}" for i, v in enumerate(violations, 1)]
    if unmet:
        lines.append("Expected violation(s) that never happened:")
        lines += [f"  - {e}" for e in unmet]
    return "\n".join(lines)
