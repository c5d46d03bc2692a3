"""Number plates: normalising what was typed or read, and parsing mainland plate types. Pure.

Normal form: full width to normal width, upper case, separators removed, traditional and
variant province characters mapped; in the serial of a mainland plate the letters I and O
(never issued there) become 1 and 0. Anything that does not parse (a paper plate, a foreign
plate) is kept as typed, normalised, and only ever matched exactly.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
SUFFIXES = ("应急", "警", "学", "挂", "港", "澳", "领")

SEPARATORS = str.maketrans("", "", "·•・ -._\t\u3000")
# Traditional and variant forms of the characters on plates, to the mainland form.
VARIANTS = str.maketrans({"粵": "粤", "晥": "皖", "贛": "赣", "魯": "鲁", "遼": "辽", "滬": "沪", "蘇": "苏", "閩": "闽",
                          "瓊": "琼", "貴": "贵", "雲": "云", "陝": "陕", "寧": "宁", "晉": "晋", "學": "学", "掛": "挂",
                          "領": "领", "應": "应", "黒": "黑", "亰": "京"})
SERIAL_FIX = str.maketrans({"I": "1", "O": "0"})

_REGULAR = re.compile(rf"^([{PROVINCES}])([A-Z])([A-Z0-9]{{5}})$")
_NEW_ENERGY = re.compile(rf"^([{PROVINCES}])([A-Z])([DF][A-Z0-9][0-9]{{4}}|[0-9]{{5}}[DF])$")
_SUFFIXED = re.compile(rf"^([{PROVINCES}])([A-Z])([A-Z0-9]{{4}})({'|'.join(SUFFIXES)})$")
_EMBASSY = re.compile(r"^(使)([0-9]{6})$|^([0-9]{3})(使)([0-9]{3})$")
_NO_PROVINCE = re.compile(r"^([A-Z])([A-Z0-9]{5}|[DF][A-Z0-9][0-9]{4}|[0-9]{5}[DF])$")


@dataclass(frozen=True)
class Plate:
    text: str  # normal form
    kind: str  # regular / new_energy / suffixed / embassy / no_province / unknown
    province: str = ""
    office: str = ""
    serial: str = ""

    @property
    def mainland(self) -> bool:
        return self.kind in ("regular", "new_energy", "suffixed", "embassy")


def _clean(typed: str) -> str:
    # Removing a separator can let NFKC compose anew (U + " ̄" → Ū): repeat to a fixed point.
    text = typed
    for _ in range(4):
        cleaned = unicodedata.normalize("NFKC", text).translate(SEPARATORS).translate(VARIANTS).upper()
        if cleaned == text:
            break
        text = cleaned
    return text


def parse(typed: str) -> Plate:
    text = _clean(typed)
    # Try with I/O fixed in the serial; keep the text as typed when nothing parses.
    for kind, pattern in (("regular", _REGULAR), ("new_energy", _NEW_ENERGY), ("suffixed", _SUFFIXED)):
        head, rest = text[:2], text[2:]
        fixed = head + rest.translate(SERIAL_FIX)
        m = pattern.match(fixed)
        if m:
            serial = fixed[2:]
            return Plate(fixed, kind, m.group(1), m.group(2), serial)
    if _EMBASSY.match(text):
        return Plate(text, "embassy", serial=text)
    fixed = text[:1] + text[1:].translate(SERIAL_FIX)
    if _NO_PROVINCE.match(fixed):
        return Plate(fixed, "no_province", office=fixed[0], serial=fixed[1:])
    return Plate(text, "unknown", serial=text)


def normalise(typed: str) -> str:
    return parse(typed).text
