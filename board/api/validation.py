"""Turn pydantic's validation errors into the board's field-named problems."""

from __future__ import annotations

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


def parse(model: type[T], data: Any) -> T:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(problems(exc)) from exc
