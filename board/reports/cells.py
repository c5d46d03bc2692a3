"""Cells for CSV exports that open in a spreadsheet. Pure.

A text cell that begins with = + - @ (or a tab or carriage return) is taken by Excel and WPS as a
formula: a staff or customer name like ``=HYPERLINK(...)`` would run when the file is opened. Such
text gets a leading apostrophe, which spreadsheets show as plain text (OWASP's CSV injection advice).
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values: tuple[Any, ...] | list[Any]) -> list[Any]:
    return [cell(v) for v in values]
