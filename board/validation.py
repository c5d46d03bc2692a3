"""Input to models: JSON read with limits, text without NUL characters, pydantic's errors as field-named problems."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from board.errors import FieldProblem, InvalidInput

T = TypeVar("T", bound=BaseModel)


def problems(exc: ValidationError) -> list[FieldProblem]:
    out = []
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "body"
        reason = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            reason = "is not a field this request accepts"
        elif err["type"] == "missing":
            reason = "is required"
        out.append(FieldProblem(field, reason))
    return out


def _nul_at(data: Any, path: str) -> str | None:
    """Where a NUL character hides in parsed input (PostgreSQL cannot store one in text)."""
    if isinstance(data, str):
        return path if "\x00" in data else None
    if isinstance(data, dict):
        for key, value in data.items():
            found = _nul_at(key, path) or _nul_at(value, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    elif isinstance(data, list):
        for n, value in enumerate(data):
            found = _nul_at(value, f"{path}.{n}" if path else str(n))
            if found is not None:
                return found
    return None


def parse(model: type[T], data: Any) -> T:
    where = _nul_at(data, "")
    if where is not None:
        raise InvalidInput.one(where or "body", "may not contain a NUL character")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems(exc)) from exc


def read_json(raw: bytes) -> Any:
    """The body as JSON, or a 422 that says why (not JSON, or nested deeper than any request needs)."""
    try:
        return json.loads(raw or b"{}")
    except RecursionError as exc:
        raise InvalidInput.one("body", "is nested too deeply") from exc
    except ValueError as exc:
        raise InvalidInput.one("body", "is not valid JSON") from exc
