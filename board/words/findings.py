"""The words of the findings screens: key -> (zh, en)."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {}
