"""Reading and saving members' language choices (one row each, no row = the default)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.errors import ValidationFailed
from innsiden.language.models import MemberLanguage

SUPPORTED = ("nb", "nn", "en", "da")  # mirrors innsiden.i18n.SUPPORTED_LOCALES


def saved_language(session: Session, member_number: int) -> str | None:
    row = session.get(MemberLanguage, member_number)
    return row.language if row is not None else None


def saved_languages(session: Session, member_numbers: Collection[int]) -> dict[int, str]:
    """Members' choices in one query (jobs sending to many); members without one are left out."""
    if not member_numbers:
        return {}
    rows = session.execute(
        select(MemberLanguage.member_number, MemberLanguage.language).where(
            MemberLanguage.member_number.in_(list(member_numbers))
        )
    )
    return {number: language for number, language in rows}


def choose(session: Session, member_number: int, language: str) -> None:
    if language not in SUPPORTED:
        raise ValidationFailed(fields={"language": "unsupported"})
    row = session.get(MemberLanguage, member_number)
    if row is None:
        session.add(MemberLanguage(member_number=member_number, language=language))
    else:
        row.language = language
    session.flush()
