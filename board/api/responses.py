"""A refused request as JSON: the status its kind deserves, the reason in English and Chinese."""

from __future__ import annotations

from starlette.responses import JSONResponse

from board.errors import BoardError, Conflict

STATUS = {"not_found": 404, "invalid": 422, "csv_rejected": 422, "not_authenticated": 401, "forbidden": 403, "too_many_attempts": 429}


def error_response(exc: BoardError) -> JSONResponse:
    status = STATUS.get(exc.code, 409 if isinstance(exc, Conflict) else 400)
    body = {"error": {"code": exc.code, "message": exc.message, "message_zh": exc.message_zh, **exc.details()}}
    return JSONResponse(body, status_code=status)
