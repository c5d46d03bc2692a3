"""Every error the board raises on purpose, translated to HTTP only at the edge.

    BoardError
    ├── ConfigError          bad BOARD_* setting (CLI exits with the sentence)
    ├── InvalidInput         422: a field and the reason it is wrong (CsvRejected: by line)
    ├── NotAuthenticated     401: a caller without valid credentials (a camera's token)
    ├── Forbidden            403: credentials valid, but not for this
    ├── NotFound             404: an id that does not exist in this shop
    ├── TooLarge             413: a body over the limit (nothing of it was read further)
    ├── Conflict             409: the request clashes with the current state
    │   ├── StaleVersion     the row changed since the client read it
    │   ├── IllegalMove      a job stage transition the rules forbid
    │   └── SlotFull         the time slot is booked up; nearest free slots offered
    └── RetryLater           the request may succeed later: Retry-After says when
        ├── TooManyAttempts  429: too many sign-in tries for a name or from an address
        └── Unavailable      503: the database (or the sign-in pool) cannot answer now
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


class BoardError(Exception):
    code = "error"

    def __init__(self, message: str, message_zh: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh or message

    def details(self) -> dict[str, Any]:
        return {}


class ConfigError(BoardError):
    code = "config"


@dataclass(frozen=True)
class FieldProblem:
    field: str
    reason: str


class InvalidInput(BoardError):
    code = "invalid"

    def __init__(self, problems: list[FieldProblem]) -> None:
        text = "; ".join(f"{p.field}: {p.reason}" for p in problems)
        super().__init__(f"Please correct: {text}", f"请更正: {text}")
        self.problems = problems

    @classmethod
    def one(cls, field: str, reason: str) -> "InvalidInput":
        return cls([FieldProblem(field, reason)])

    def details(self) -> dict[str, Any]:
        return {"fields": [{"field": p.field, "reason": p.reason} for p in self.problems]}


class NotAuthenticated(BoardError):
    code = "not_authenticated"


class Forbidden(BoardError):
    code = "forbidden"


class NotFound(BoardError):
    code = "not_found"

    def __init__(self, what: str, ident: object) -> None:
        if what == "shop":
            super().__init__(f"There is no shop {ident!r}.", f"没有门店 {ident!r}。")
        else:
            super().__init__(f"No {what} with id {ident} in this shop.", f"本店没有编号为 {ident} 的{what}。")
        self.what = what
        self.ident = ident


class TooLarge(BoardError):
    code = "too_large"

    def __init__(self, limit: int, what: str = "request body", unit: str = "bytes") -> None:
        unit_zh = {"bytes": "字节", "rows": "行"}.get(unit, unit)
        super().__init__(f"The {what} is over the limit of {limit:,} {unit}; nothing was kept.", f"内容超过上限 {limit:,} {unit_zh},未保存任何内容。")
        self.limit, self.unit = limit, unit

    def details(self) -> dict[str, Any]:
        return {"limit": self.limit, "unit": self.unit}


class RetryLater(BoardError):
    """Not refused for what it is: the same request may succeed after ``retry_after_s`` seconds."""

    retry_after_s = 2

    def details(self) -> dict[str, Any]:
        return {"retry_after_s": self.retry_after_s}


class TooManyAttempts(RetryLater):
    code = "too_many_attempts"

    def __init__(self, wait_s: float) -> None:
        minutes = max(1, math.ceil(wait_s / 60))
        super().__init__(f"Too many failed sign-ins. Try again in {minutes} minute(s).", f"登录失败次数过多,请 {minutes} 分钟后再试。")
        self.retry_after_s = max(1, math.ceil(wait_s))


class Unavailable(RetryLater):
    code = "unavailable"

    def __init__(self, message: str = "Can't save right now (the database is not answering); retrying.",
                 message_zh: str = "暂时无法保存(数据库无响应),正在重试。", retry_after_s: int = 2) -> None:
        super().__init__(message, message_zh)
        self.retry_after_s = retry_after_s


class Conflict(BoardError):
    code = "conflict"


class StaleVersion(Conflict):
    code = "stale_version"

    def __init__(self, what: str, ident: object, current: dict[str, Any] | None = None) -> None:
        super().__init__(
            f"This {what} was changed by someone else since you loaded it; reload and try again.",
            "该记录已被他人修改,请刷新后重试。",
        )
        self.current = current

    def details(self) -> dict[str, Any]:
        return {"current": self.current} if self.current is not None else {}


class IllegalMove(Conflict):
    code = "illegal_move"


class PlanChanged(Conflict):
    """The plan a console showed has been re-made since (a change in the shop, the clock): what the
    person chose from it is not applied; they look at the new one."""

    code = "plan_changed"

    def __init__(self, now_suggested: dict[str, Any] | None = None) -> None:
        super().__init__("The plan changed since your screen showed it (someone changed something in the shop); look at the new suggestion and try again.",
                         "计划刚刚更新(车间有新变化),请看一下新的建议后再操作。")
        self.now_suggested = now_suggested

    def details(self) -> dict[str, Any]:
        return {"now_suggested": self.now_suggested} if self.now_suggested is not None else {}


class SlotFull(Conflict):
    code = "slot_full"

    def __init__(self, message: str, message_zh: str, alternatives: list[dict[str, Any]]) -> None:
        super().__init__(message, message_zh)
        self.alternatives = alternatives

    def details(self) -> dict[str, Any]:
        return {"alternatives": self.alternatives}


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    reason: str


class CsvRejected(InvalidInput):
    """A file with any bad row is imported not at all; every bad row is reported."""

    code = "csv_rejected"

    def __init__(self, rows: list[RowProblem]) -> None:
        super().__init__([FieldProblem(f"line {r.line}: {r.field}", r.reason) for r in rows])
        self.message = f"Nothing was imported: {len(rows)} problem(s) in the file, see rows."
        self.message_zh = f"未导入任何预约:文件中有 {len(rows)} 处错误,详见各行。"
        self.rows = rows

    def details(self) -> dict[str, Any]:
        return {"rows": [{"line": r.line, "field": r.field, "reason": r.reason} for r in self.rows]}
