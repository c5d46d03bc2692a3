"""Each part of the service process keeps the words of its screens in a module of its own here;
board/i18n.py gathers them into the one catalogue the pages get (a key defined twice is an error)."""

from __future__ import annotations

from board.words import booking, findings, order, parts, quality

TABLES = (booking.WORDS, order.WORDS, parts.WORDS, findings.WORDS, quality.WORDS)
