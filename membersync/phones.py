"""Phone numbers to E.164: `+47 912 34 567`, `91234567` and `004791234567` are one number."""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-./()]")
NORWEGIAN_DIGITS = 8


def normalise_phone(text: str, country_code: str = "47") -> str | None:
    """The number in E.164 form, None for an empty value; ValueError if it is no phone number.

    A number without a country prefix is taken to be in `country_code` (Norway by default).
    """
    compact = text.strip()
    if not compact.isdigit():
        compact = _SEPARATORS.sub("", compact)
    if not compact:
        return None
    if compact.startswith("+"):
        digits = compact[1:]
    elif compact.startswith("00"):
        digits = compact[2:]
    elif country_code == "47" and len(compact) == NORWEGIAN_DIGITS:
        digits = country_code + compact
    else:
        raise ValueError(text)
    if not (digits.isascii() and digits.isdigit()) or digits.startswith("0"):
        raise ValueError(text)
    if digits.startswith("47") and len(digits) != 2 + NORWEGIAN_DIGITS:
        raise ValueError(text)  # Norwegian numbers have exactly eight digits
    if not 8 <= len(digits) <= 15:  # E.164 allows at most 15 digits
        raise ValueError(text)
    return "+" + digits
