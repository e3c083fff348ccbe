"""Members turning leader messages off per channel: one-click links (RFC 8058), "STOPP" by SMS,
and their own settings. Only leader messages read these rows; login codes never do."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, Signer
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.desk.models import OPT_OUT_CHANNELS, DeskOptOut
from innsiden.errors import NotFound
from membersync.models import Member

SALT = "innsiden.desk.unsubscribe"
STOP_WORDS = ("STOPP", "STOP")


@dataclass(frozen=True)
class OptOutLink:
    member_number: int
    channel: str


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(member_number: int, channel: str) -> str:
    """`<number>.<channel>.<signature>`: short, so the List-Unsubscribe header stays cheap."""
    return _signer().sign(f"{member_number}.{channel}").decode()


def read_token(token: str) -> OptOutLink:
    """What a link stands for; a forged or altered token is NotFound."""
    try:
        number, channel = _signer().unsign(token).decode().split(".")
        link = OptOutLink(int(number), channel)
    except (BadSignature, TypeError, ValueError):
        raise NotFound() from None
    if link.channel not in OPT_OUT_CHANNELS:
        raise NotFound()
    return link


def unsubscribe_url(member_number: int, channel: str = "email") -> str:
    return f"{current_app.config['BASE_URL']}/mitt-lag/avmeld/{make_token(member_number, channel)}"


def opted_out(session: Session, member_number: int) -> set[str]:
    rows = session.scalars(
        select(DeskOptOut.channel).where(DeskOptOut.member_number == member_number)
    )
    return set(rows)


def opted_out_of(session: Session, numbers: Collection[int]) -> dict[int, set[str]]:
    """{member number: channels turned off} for a batch of members, in one query."""
    found: dict[int, set[str]] = {}
    if not numbers:
        return found
    query = select(DeskOptOut.member_number, DeskOptOut.channel).where(
        DeskOptOut.member_number.in_(list(numbers))
    )
    for number, channel in session.execute(query):
        found.setdefault(number, set()).add(channel)
    return found


def set_channel(session: Session, member_number: int, channel: str, off: bool, source: str) -> bool:
    """Turn one channel off (or on again); True if that changed anything."""
    row = session.get(DeskOptOut, (member_number, channel))
    if off and row is None:
        session.add(DeskOptOut(member_number=member_number, channel=channel, source=source))
    elif not off and row is not None:
        session.delete(row)
    else:
        return False
    session.flush()
    return True


def apply_link(session: Session, link: OptOutLink) -> bool:
    if session.get(Member, link.member_number) is None:
        return False
    return set_channel(session, link.member_number, link.channel, True, "link")


def is_stop(text: str) -> bool:
    words = text.strip().upper().split()
    return bool(words) and words[0] in STOP_WORDS


def stop_sms(session: Session, mobile: str) -> int:
    """ "STOPP" from a mobile number: SMS off for every member the register gives that number."""
    numbers = session.scalars(select(Member.number).where(Member.mobile == mobile)).all()
    return sum(set_channel(session, n, "sms", True, "stopp") for n in numbers)
