"""A refused request as JSON: the status its kind deserves, the reason in English and Chinese."""

from __future__ import annotations

from starlette.responses import JSONResponse

from board.errors import BoardError, Conflict, RetryLater

STATUS = {"not_found": 404, "invalid": 422, "csv_rejected": 422, "not_authenticated": 401, "forbidden": 403, "too_large": 413,
          "too_many_attempts": 429, "unavailable": 503}


def status_of(exc: BoardError) -> int:
    return STATUS.get(exc.code, 409 if isinstance(exc, Conflict) else 400)


def error_response(exc: BoardError) -> JSONResponse:
    body = {"error": {"code": exc.code, "message": exc.message, "message_zh": exc.message_zh, **exc.details()}}
    response = JSONResponse(body, status_code=status_of(exc))
    if isinstance(exc, RetryLater):
        response.headers["Retry-After"] = str(exc.retry_after_s)
    return response
