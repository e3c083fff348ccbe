"""What a member types to log in: an e-mail address, a mobile number or a member number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from membersync.phones import normalise_phone

Kind = Literal["email", "mobile", "number"]

_SEPARATORS = re.compile(r"[\s\-().]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Identifier:
    kind: Kind
    value: str  # normalised: lower-case e-mail, E.164 mobile, or the member number's digits


def normalise_mobile(text: str) -> str | None:
    """E.164 exactly as membersync stores the register's numbers: `+47 912 34 567`,
    `91234567` and `004791234567` all become `+4791234567`; None if it is no phone number."""
    try:
        return normalise_phone(text)
    except ValueError:
        return None


def parse_identifier(text: str) -> Identifier | None:
    """Decide what was typed. Eight digits starting with 4 or 9 are a Norwegian mobile number
    (that is what mobile numbers look like); other digits are a member number."""
    text = text.strip()
    if "@" in text:
        email = text.lower()
        return Identifier("email", email) if _EMAIL.match(email) and len(email) <= 320 else None
    compact = _SEPARATORS.sub("", text)
    looks_mobile = compact.startswith(("+", "00")) or (
        len(compact) == 8 and compact.isdigit() and compact[0] in "49"
    )
    if looks_mobile:
        mobile = normalise_mobile(compact)
        return Identifier("mobile", mobile) if mobile else None
    if compact.isdigit() and 1 <= len(compact) <= 15:
        return Identifier("number", str(int(compact)))
    return None
