"""The fake REST API's plumbing: routing, auth, faults, body parsing, limit and schema checks, responses.

Every request goes through `RestApi.handle`: an unknown route answers 404 and is recorded as a violation; a
body that breaks a limit or the OpenAPI schema answers 400 (code 50035, Discord's error body) and is recorded.
Answers always carry `Content-Type: application/json` exactly (discord.py compares the header verbatim).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from .faults import FaultRule
from .limits import Problem, form_errors
from .ratelimit import GlobalLimit, global_limit_body, global_limit_headers
from .violations import Violation

if TYPE_CHECKING:
    from .server import FakeDiscord

API_PREFIX = "/api/v10"


@dataclass
class ApiRequest:
    method: str
    path: str  # relative to /api/v10
    route: str  # the spec's template, e.g. "/channels/{channel_id}/messages"
    params: dict[str, str]
    query: Mapping[str, str]
    body: Any = None
    files: list[str] = field(default_factory=list)
    file_data: list[bytes] = field(default_factory=list, repr=False)  # the uploaded files' bytes, in order
    received_at: float = 0.0  # on the fake's clock, when the request arrived (before its body was read and checked)
    guild_id: int | None = None  # the server it is about (its guild, channel or interaction), found on arrival
    bot_absent: bool = False  # refused 403 50001 because the bot is not in that server

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}"

    def snowflake(self, name: str) -> int:
        value = self.params[name]
        if not value.isdigit():
            raise ApiError(404, 0, "404: Not Found")
        return int(value)

    def flag(self, name: str) -> bool:
        return self.query.get(name, "").lower() in ("1", "true")


class ApiError(Exception):
    """An error answer; with `violation`, the request is also recorded as something Discord refuses."""

    def __init__(
        self, status: int, code: int, message: str, *, errors: Any = None, violation: Violation | None = None
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status, self.code, self.message, self.errors, self.violation = status, code, message, errors, violation

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message, "code": self.code}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


Handler = Callable[[ApiRequest], Awaitable[Any]]
Check = Callable[[ApiRequest], list[Problem]]


@dataclass
class Route:
    method: str
    template: str
    handler: Handler
    check: Check | None = None
    auth: bool = True  # webhook and interaction routes are authorised by the token in the URL
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        parts = re.split(r"(\{[a-z_]+\})", self.template)
        body = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
        self.regex = re.compile(f"^{body}$")


@dataclass(frozen=True)
class RequestLog:
    """One answered request. `at`: when the answer was sent, `received_at`: when the request arrived (both on
    the fake's clock; they differ by the handling time, and by the delay of a `delay_next` rule). `guild_id`:
    the server it was about; `bot_absent`: refused because the bot had been removed from it."""

    method: str
    path: str
    route: str
    status: int
    body: Any
    at: float
    received_at: float = 0.0
    guild_id: int | None = None
    bot_absent: bool = False


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    if data is None and status == 204:
        return web.Response(status=204, headers=dict(headers or {}))
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(body=json.dumps(data).encode(), status=status, headers=all_headers)


class RestApi:
    def __init__(self, fake: FakeDiscord, *, global_rate_limit: int | None = None) -> None:
        self.fake = fake
        self.routes: list[Route] = []
        self.log: list[RequestLog] = []
        self.global_limit = GlobalLimit(global_rate_limit) if global_rate_limit else None

    def add(
        self, method: str, template: str, handler: Handler, *, check: Check | None = None, auth: bool = True
    ) -> None:
        self.routes.append(Route(method, template, handler, check, auth))

    def match(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            found = route.regex.match(path)
            if found and route.method == method:
                return route, found.groupdict()
        return None, {}

    async def handle(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        route, params = self.match(request.method, path)
        api_request = ApiRequest(
            request.method,
            path,
            route.template if route else path,
            params,
            request.rel_url.query,
            received_at=self.fake.clock(),
            guild_id=self.guild_of(params),
        )
        try:
            response = await self._pipeline(request, route, api_request)
        except ApiError as error:
            if error.violation is not None:
                self.fake.violations.record(error.violation)
            response = json_response(error.body(), error.status)
        except Exception as error:  # a bug in the fake: answer 400 (not 500, which discord.py retries for 25 s)
            self.fake.violations.record(Violation("fake_error", f"{type(error).__name__}: {error}", api_request.label))
            response = json_response({"message": f"fake-discord failed: {error!r}", "code": 0}, 400)
        delay = self.fake.faults.take_delay(request.method, path)
        try:
            if delay is not None:
                await asyncio.sleep(delay.seconds)
        finally:  # logged even if the bot gave up waiting (the request was handled)
            self.log.append(
                RequestLog(
                    request.method,
                    path,
                    api_request.route,
                    response.status,
                    api_request.body,
                    self.fake.clock(),
                    api_request.received_at,
                    api_request.guild_id,
                    api_request.bot_absent,
                )
            )
            self.fake.changed()
        return response

    def guild_of(self, params: dict[str, str]) -> int | None:
        """The server a request is about, from its guild, channel or interaction token (None: none or unknown)."""
        if (guild_id := params.get("guild_id", "")).isdigit():
            return int(guild_id)
        if (channel_id := params.get("channel_id", "")).isdigit():
            found = self.fake.world.find_channel(int(channel_id))
            return found[0].id if found is not None and found[0] is not None else None
        token = params.get("interaction_token") or params.get("webhook_token")
        record = self.fake.interactions.by_token(token) if token else None
        return record.guild_id if record is not None else None

    async def _pipeline(self, request: web.Request, route: Route | None, api_request: ApiRequest) -> web.Response:
        if route is None:
            raise ApiError(
                404,
                0,
                "404: Not Found",
                violation=Violation(
                    "unknown_route",
                    f"{request.method} {api_request.path}: the fake does not implement this route "
                    "(add it to fake_discord if the bot really needs it)",
                    route=api_request.path,
                ),
            )
        if route.auth and self.fake.token_revoked:
            raise ApiError(401, 0, "401: Unauthorized")  # the token was reset on purpose: not a violation
        if route.auth and request.headers.get("Authorization") != f"Bot {self.fake.token}":
            raise ApiError(
                401,
                0,
                "401: Unauthorized",
                violation=Violation("unauthorized", "missing or wrong bot token", api_request.label),
            )
        # Only requests with the bot's token count: interaction callbacks and webhooks are exempt, as on Discord.
        if route.auth and self.global_limit is not None:
            retry_after = self.global_limit.admit(time.monotonic())
            if retry_after is not None:
                return json_response(global_limit_body(retry_after), 429, global_limit_headers(retry_after))
        fault = self.fake.faults.take(request.method, api_request.path)
        if fault is not None:
            return self._fault_response(fault, api_request.path)
        api_request.body, uploads = await parse_body(request)
        api_request.files = [name for name, _ in uploads]
        api_request.file_data = [data for _, data in uploads]
        self.fake.uploads.extend(uploads)
        self._validate(route, api_request)
        result = await route.handler(api_request)
        fault = self.fake.faults.take(request.method, api_request.path, after_success=True)
        if fault is not None:
            return self._fault_response(fault, api_request.path)
        return json_response(result, 204 if result is None else 200)

    @staticmethod
    def _fault_response(fault: FaultRule, path: str) -> web.Response:
        return json_response(fault.body(path), fault.status, fault.headers())

    def _validate(self, route: Route, request: ApiRequest) -> None:
        if request.body is None:
            return
        try:
            limits = route.check(request) if route.check else []
        except (TypeError, AttributeError, ValueError, KeyError) as error:
            limits = [Problem((), "MALFORMED", f"malformed body: {type(error).__name__}: {error}")]
        schema = self.fake.schema.validate(request.method, route.template, request.body) if self.fake.schema else []
        for kind, problems in (("limit", limits), ("schema", schema)):
            if problems:
                self.fake.violations.record(
                    Violation(
                        kind,
                        f"Discord would answer 400 Invalid Form Body ({len(problems)} problem(s))",
                        request.label,
                        tuple(str(p) for p in problems),
                    )
                )
        if limits or schema:
            raise ApiError(400, 50035, "Invalid Form Body", errors=form_errors(limits + schema))


async def parse_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    """JSON bodies, or multipart/form-data with `payload_json` (how discord.py sends files) and the files, each
    with its name and bytes."""
    if not request.body_exists:
        return None, []
    if request.content_type == "multipart/form-data":
        body: Any = None
        files: list[tuple[str, bytes]] = []
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            if part.name == "payload_json":
                body = json.loads(await part.text())
            else:
                data = await part.read()
                files.append((part.filename or part.name or "", bytes(data)))
        return body, files
    text = await request.text()
    if not text:
        return None, []
    try:
        return json.loads(text), []
    except ValueError:
        raise ApiError(
            400,
            50109,
            "The request body contains invalid JSON.",
            violation=Violation("invalid_request", "the body is not valid JSON", f"{request.method} {request.path}"),
        ) from None
