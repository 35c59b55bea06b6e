"""Validation of request bodies against Discord's own OpenAPI description (`discord-api-spec/openapi.json`).

The spec is looked up at $DISCORD_OPENAPI, else `<repo>/../shared/discord-api-spec/openapi.json`. It is loaded
once per process and validators are built once per schema. Where it is missing, `load_checker()` returns None
and `SKIP_REASON` says why; the fake then only runs its own limit checks.
"""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import ValidationError  # type: ignore[import-untyped]
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from .limits import Problem

SPEC_URI = "urn:discord-openapi"
REPO_ROOT = Path(__file__).resolve().parents[1]
# The interaction callback body is a union in the spec; picking the member by `type` gives clear errors.
CALLBACK_SCHEMAS = {
    1: "PongInteractionCallbackRequest",
    4: "CreateMessageInteractionCallbackRequest",
    5: "CreateMessageInteractionCallbackRequest",
    6: "UpdateMessageInteractionCallbackRequest",
    7: "UpdateMessageInteractionCallbackRequest",
    8: "ApplicationCommandAutocompleteCallbackRequest",
    9: "ModalInteractionCallbackRequest",
}
CALLBACK_ROUTE = "/interactions/{interaction_id}/{interaction_token}/callback"
MAX_REPORTED = 3
WEAK_VALIDATORS = ("oneOf", "anyOf", "type", "enum", "const", "required")


def spec_path() -> Path:
    configured = os.environ.get("DISCORD_OPENAPI")
    if configured:
        return Path(configured)
    return REPO_ROOT.parent / "shared" / "discord-api-spec" / "openapi.json"


class SchemaChecker:
    def __init__(self, spec: dict[str, Any], source: Path) -> None:
        spec = relax_snowflakes(spec)
        self.source = source
        self._paths: dict[str, Any] = spec["paths"]
        self._schemas: dict[str, Any] = spec["components"]["schemas"]
        resource = DRAFT202012.create_resource(spec)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
        self._validators: dict[str, Draft202012Validator] = {}

    def validate(self, method: str, route: str, body: Any) -> list[Problem]:
        """Problems of `body` (a parsed JSON request body) for the spec route `route`, e.g.
        ("PUT", "/applications/{application_id}/commands")."""
        pointer = self._pointer_for(method, route, body)
        if pointer is None:
            return []
        validator = self._validator(pointer)
        errors = sorted(validator.iter_errors(adapt_to_spec(route, body)), key=lambda e: list(e.absolute_path))
        return [self._problem(error, pointer, f"{method} {route}") for error in errors[:MAX_REPORTED]]

    def has_schema(self, name: str) -> bool:
        return name in self._schemas

    def _pointer_for(self, method: str, route: str, body: Any) -> str | None:
        if route == CALLBACK_ROUTE and isinstance(body, dict) and body.get("type") in CALLBACK_SCHEMAS:
            return f"#/components/schemas/{CALLBACK_SCHEMAS[body['type']]}"
        operation = self._paths.get(route, {}).get(method.lower())
        content = ((operation or {}).get("requestBody") or {}).get("content", {})
        if "application/json" not in content:
            return None
        escaped = route.replace("~", "~0").replace("/", "~1")
        return f"#/paths/{escaped}/{method.lower()}/requestBody/content/application~1json/schema"

    def _validator(self, pointer: str) -> Draft202012Validator:
        if pointer not in self._validators:
            self._validators[pointer] = Draft202012Validator({"$ref": SPEC_URI + pointer}, registry=self._registry)
        return self._validators[pointer]

    @staticmethod
    def _problem(error: ValidationError, pointer: str, route: str) -> Problem:
        leaf = deepest(error)
        schema_name = pointer.rsplit("/", 1)[-1] if "components" in pointer else f"body of {route}"
        return Problem(
            tuple(leaf.absolute_path),
            "SCHEMA",
            f"does not match Discord's OpenAPI schema ({schema_name}): {describe(leaf)}",
        )


def deepest(error: ValidationError) -> ValidationError:
    """In a oneOf/anyOf failure, skip the branches whose `type` discriminator does not match; of the others,
    the error that got furthest into the instance is the telling one."""
    while error.context:
        branches: dict[Any, list[ValidationError]] = {}
        for candidate in error.context:
            branches.setdefault(candidate.relative_schema_path[0], []).append(candidate)
        matching = [errors for errors in branches.values() if not any(map(is_discriminator_miss, errors))]
        pool = [e for errors in (matching or list(branches.values())) for e in errors]
        error = max(pool, key=lambda e: (len(e.absolute_path), e.validator not in WEAK_VALIDATORS))
    return error


def is_discriminator_miss(error: ValidationError) -> bool:
    return error.validator in ("enum", "const") and bool(error.path) and error.path[-1] == "type"


def describe(error: ValidationError) -> str:
    instance = error.instance
    shown = repr(instance) if len(repr(instance)) <= 60 else repr(instance)[:57] + "..."
    if isinstance(instance, str | list):
        shown += f" (length {len(instance)})"
    return f"{error.validator} {error.validator_value!r} failed for {shown}"


def adapt_to_spec(route: str, body: Any) -> Any:
    """Exception: `default_member_permissions` of a command. The spec types it as integer, but Discord's
    documentation (and Discord) take a permission bit set as a *string* ("32"); discord.py 2.7 sends an int,
    other clients and hand-written payloads the string. A string of digits is accepted (checked on a copy)."""
    if "/commands" not in route:
        return body
    adapted = copy.deepcopy(body)
    for command in adapted if isinstance(adapted, list) else [adapted]:
        value = command.get("default_member_permissions") if isinstance(command, dict) else None
        if isinstance(value, str) and value.isdigit():
            command["default_member_permissions"] = int(value)
    return adapted


def relax_snowflakes(spec: dict[str, Any]) -> dict[str, Any]:
    """Exception: snowflakes sent as JSON integers. The spec's SnowflakeType is a string of digits, but
    Discord accepts integer snowflakes in request bodies, and discord.py 2.7 sends some as integers
    (`recipient_id` when opening a DM, `attachments[].id`, which Discord's "Uploading Files" documentation
    itself writes as an integer index). A non-negative integer is accepted wherever a snowflake is."""
    schemas = dict(spec["components"]["schemas"])
    schemas["SnowflakeType"] = {"anyOf": [schemas["SnowflakeType"], {"type": "integer", "minimum": 0}]}
    return {**spec, "components": {**spec["components"], "schemas": schemas}}


@functools.cache
def load_checker() -> SchemaChecker | None:
    path = spec_path()
    if not path.is_file():
        return None
    with path.open(encoding="utf-8") as handle:
        return SchemaChecker(json.load(handle), path)


def skip_reason() -> str:
    return (
        f"Discord's OpenAPI spec not found at {spec_path()} (set DISCORD_OPENAPI to point at openapi.json): "
        "request bodies are checked against the fake's own limits only"
    )
