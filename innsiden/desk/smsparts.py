"""How many SMS parts a text takes: GSM-7 (160, or 153 per part when split) or UCS-2 (70 / 67)."""

from __future__ import annotations

import math

# The GSM 03.38 basic set (æøå and ÆØÅ are in it) and the extension set (two septets each).
_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_EXTENSION = set("^{}\\[~]|€\f")


def is_gsm7(text: str) -> bool:
    return all(c in _BASIC or c in _EXTENSION for c in text)


def length(text: str) -> tuple[int, bool]:
    """(units, gsm7): septets for GSM-7, UTF-16 code units for UCS-2."""
    if is_gsm7(text):
        return sum(2 if c in _EXTENSION else 1 for c in text), True
    return len(text.encode("utf-16-le")) // 2, False


def parts(text: str) -> int:
    units, gsm = length(text)
    single, each = (160, 153) if gsm else (70, 67)
    if units <= single:
        return 1
    return math.ceil(units / each)
