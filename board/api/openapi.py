"""The OpenAPI document, built from the route registry and the pydantic models."""

from __future__ import annotations

import re
from typing import Any

from board.api.registry import ENDPOINTS, Endpoint

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
    schema = endpoint.query.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    required = set(schema.get("required", []))
    return [
        {"name": name, "in": "query", "required": name in required, "schema": prop}
        for name, prop in schema.get("properties", {}).items()
    ]


def document() -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR}
    paths: dict[str, Any] = {}
    for ep in ENDPOINTS:
        path, params = _path_and_params(ep)
        op: dict[str, Any] = {
            "operationId": ep.handler.__name__,
            "summary": ep.summary,
            "parameters": params + _query_params(ep, components),
            "responses": {
                "200" if ep.method == "GET" else "2XX": {"description": "OK", "content": {"application/json": {"schema": {}}}},
                "404": {"description": "Unknown id", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "409": {"description": "Conflict", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "422": {"description": "Bad input", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }
        if ep.body is not None:
            schema = ep.body.model_json_schema(ref_template="#/components/schemas/{model}")
            components.update(schema.pop("$defs", {}))
            components[ep.body.__name__] = schema
            op["requestBody"] = {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ep.body.__name__}"}}}}
        elif ep.raw_body is not None:
            op["requestBody"] = {"required": True, "content": {ep.raw_body: {"schema": {"type": "string"}}}}
        paths.setdefault(path, {})[ep.method.lower()] = op
    return {
        "openapi": "3.1.0",
        "info": {"title": "board: workshop kanban and dispatch", "version": "0.1.0"},
        "paths": paths,
        "components": {"schemas": components},
    }
