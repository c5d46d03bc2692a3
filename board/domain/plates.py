"""Number plates: normalising what was typed. Pure: no I/O."""

from __future__ import annotations

import unicodedata

SEPARATORS = str.maketrans("", "", "·•・ -._\t")

# Traditional and variant forms of province characters, to the form on mainland plates.
PROVINCE_VARIANTS = str.maketrans(
    {
        "粵": "粤", "晥": "皖", "贛": "赣", "魯": "鲁", "遼": "辽", "黑": "黑", "滬": "沪",
        "蘇": "苏", "閩": "闽", "豫": "豫", "鄂": "鄂", "湘": "湘", "瓊": "琼", "貴": "贵",
        "雲": "云", "陝": "陕", "甘": "甘", "寧": "宁", "新": "新", "藏": "藏", "桂": "桂",
        "渝": "渝", "川": "川", "蒙": "蒙", "冀": "冀", "晉": "晋", "吉": "吉", "京": "京",
        "津": "津", "浙": "浙", "青": "青", "學": "学", "掛": "挂", "領": "领", "應": "应", "急": "急",
    }
)


def normalise(typed: str) -> str:
    """Full width to normal width, upper case, separators removed, province variants mapped."""
    text = unicodedata.normalize("NFKC", typed)
    text = text.translate(SEPARATORS).translate(PROVINCE_VARIANTS)
    return text.upper()
