"""The OpenAPI document, built from the route registry: bodies, queries and answers described by pydantic."""

from __future__ import annotations

import functools
import re
from typing import Any

from pydantic import TypeAdapter

from board.api.registry import ENDPOINTS, Endpoint

REF = "#/components/schemas/{model}"

ERROR = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "message_zh": {"type": "string"},
                "fields": {"type": "array", "items": {"type": "object"}},
            },
            "required": ["code", "message"],
        }
    },
}


def _path_and_params(endpoint: Endpoint) -> tuple[str, list[dict[str, Any]]]:
    params = []
    for name, conv in re.findall(r"{(\w+)(?::(\w+))?}", endpoint.path):
        schema = {"type": "integer", "minimum": 1} if conv == "int" else {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{1,31}$"}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    return re.sub(r"{(\w+):\w+}", r"{\1}", endpoint.path), params


def _query_params(endpoint: Endpoint, components: dict[str, Any]) -> list[dict[str, Any]]:
    if endpoint.query is None:
        return []
    schema = endpoint.query.model_json_schema(ref_template=REF)
    _define(components, schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def _define(components: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Add named schemas; one name for two different shapes would document one of them wrongly."""
    for name, schema in schemas.items():
        if components.setdefault(name, schema) != schema:
            raise ValueError(f"two different shapes are both named {name!r} in the OpenAPI document")


def _schema(tp: Any, components: dict[str, Any]) -> dict[str, Any]:
    """A type's JSON schema; a named object (model, TypedDict, dataclass) goes to the components, referred to by name."""
    schema = TypeAdapter(tp).json_schema(ref_template=REF)
    _define(components, schema.pop("$defs", {}))
    if not isinstance(tp, type) or schema.get("type") != "object":
        return schema  # list[...], str: inline (their items are components)
    _define(components, {tp.__name__: schema})
    return {"$ref": REF.format(model=tp.__name__)}


def _error(description: str, retry: bool = False) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    if retry:
        answer["headers"] = {"Retry-After": {"description": "seconds to wait before trying again", "schema": {"type": "integer"}}}
    return answer


def _responses(ep: Endpoint, components: dict[str, Any]) -> dict[str, Any]:
    """Every answer a route can give: its success body, then the refusals that apply to it."""
    status = str(ep.status or (200 if ep.method == "GET" else "2XX"))
    ok: dict[str, Any] = {"description": "OK" if status != "204" else "Done: no content"}
    if status != "204":
        ok["content"] = {ep.media_type: {"schema": _schema(ep.response, components)}}
    out: dict[str, Any] = {status: ok}
    if not ep.public:
        out["401"] = _error("Not signed in (or the camera's token is not valid)")
        out["403"] = _error("Signed in, but not allowed: another shop, another role, or a foreign page (CSRF)")
    if ep.shop_scoped or "{" in ep.path:
        out["404"] = _error("Unknown shop or id")
    if ep.writes:
        out["409"] = _error("Conflict: changed since you read it, or not allowed in its current state")
    if ep.body is not None or ep.query is not None or ep.raw_body is not None:
        out["422"] = _error("Bad input: each field named with the reason")
    if ep.body is not None or ep.raw_body is not None:
        out["413"] = _error("Body over the size limit")
    if ep.public and ep.method == "POST":
        out["429"] = _error("Too many sign-in tries for this name or from this address", retry=True)
    out["503"] = _error("The database (or the sign-in pool) cannot answer right now", retry=True)
    return out


def document() -> dict[str, Any]:
    """Built once per set of routes (describing every answer takes pydantic a few tenths of a second); not to be changed."""
    return _document(len(ENDPOINTS))


@functools.cache
def _document(_routes: int) -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, Any] = {}
    for ep in ENDPOINTS:
        path, params = _path_and_params(ep)
        op: dict[str, Any] = {
            "operationId": ep.handler.__name__,
            "summary": ep.summary,
            "parameters": params + _query_params(ep, components),
            "responses": _responses(ep, components),
        }
        if ep.body is not None:
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _schema(ep.body, components)}}}
        elif ep.raw_body is not None:
            op["requestBody"] = {"required": True, "content": {ep.raw_body: {"schema": {"type": "string"}}}}
        paths.setdefault(path, {})[ep.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "board: workshop kanban and dispatch", "version": "0.1.0"},
        "paths": paths,
        "components": {"schemas": components},
    }
