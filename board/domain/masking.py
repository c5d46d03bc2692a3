"""What a public screen may show of a customer: surname and title, and a plate with its middle hidden."""

from __future__ import annotations

from board.domain.plates import normalise


def greeting(name: str, title: str) -> str:
    """王伟, 先生 → 王先生. Two-character surnames (欧阳, 司马 ...) are kept whole."""
    name = name.strip()
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]
    return f"{surname}{title or ''}" if surname else (title or "")


def masked_plate(typed: str) -> str:
    """粤A12345 → 粤A·1***5: province and office letter, first and last of the serial."""
    plate = normalise(typed)
    if len(plate) < 5:
        return plate[:1] + "*" * max(len(plate) - 1, 0)
    head, serial = plate[:2], plate[2:]
    return f"{head}·{serial[0]}{'*' * (len(serial) - 2)}{serial[-1]}"


COMPOUND_SURNAMES = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯", "端木"}
