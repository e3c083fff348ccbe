"""Min profil: what the register holds about a member, and the portal's own profile data.

Reading: `register_view` (the mirror's data, as the register has it), `portal_view`.
Writing: `save_portal_profile` (presentation and which contact details show, stored in the
groups' profile row the member lists read), `save_interests`, `set_picture`,
`remove_picture`. `suggested_groups` turns interests into interest groups to join.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from innsiden import images, storage
from innsiden.errors import ValidationFailed
from innsiden.groups import service as groups
from innsiden.groups.listing import GroupCard, directory
from innsiden.groups.membership import place_of
from innsiden.profile.models import ProfileInterest, ProfilePicture
from membersync.models import Member, OrgUnit

MAX_INTERESTS = 12
MAX_INTEREST_LENGTH = 60
THUMB_SIZE = 320
PICTURE_SIDE = 960


@dataclass(frozen=True)
class RegisterView:
    """The register's data about one member, exactly as the mirror holds it."""

    number: int
    first_name: str
    last_name: str
    address: str | None
    postal_code: str | None
    postal_place: str | None
    municipality: str | None
    mobile: str | None
    email: str | None
    lokallag: str | None
    fylkeslag: str | None
    status: str
    joined_on: date | None
    paid_until: date | None
    positions: list[tuple[str, str]]  # (role, unit name)


def register_view(session: Session, member: Member) -> RegisterView:
    place = place_of(member)
    unit_ids = {p.unit_id for p in member.positions} | {place.lokallag_id, place.fylkeslag_id}
    names = dict(
        session.execute(
            select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_([u for u in unit_ids if u]))
        ).all()
    )
    return RegisterView(
        number=member.number,
        first_name=member.first_name,
        last_name=member.last_name,
        address=member.address,
        postal_code=member.postal_code,
        postal_place=member.postal_place,
        municipality=member.municipality,
        mobile=member.mobile,
        email=member.email,
        lokallag=names.get(place.lokallag_id) if place.lokallag_id else None,
        fylkeslag=names.get(place.fylkeslag_id) if place.fylkeslag_id else None,
        status=member.status,
        joined_on=member.joined_on,
        paid_until=member.paid_until,
        positions=sorted((p.role, names.get(p.unit_id, p.unit_id)) for p in member.positions),
    )


@dataclass(frozen=True)
class PortalView:
    about: str
    show_email: bool
    show_mobile: bool
    interests: list[str]
    has_picture: bool


def portal_view(session: Session, member: Member) -> PortalView:
    profile = groups.profile_of(session, member.number)
    return PortalView(
        about=profile.about,
        show_email=profile.show_email,
        show_mobile=profile.show_mobile,
        interests=interests_of(session, member.number),
        has_picture=session.get(ProfilePicture, member.number) is not None,
    )


def save_portal_profile(
    session: Session, member: Member, *, about: str, show_email: bool, show_mobile: bool
) -> None:
    groups.save_profile(
        session, member, show_email=show_email, show_mobile=show_mobile, about=about
    )


def interests_of(session: Session, member_number: int) -> list[str]:
    query = select(ProfileInterest.interest).where(ProfileInterest.member_number == member_number)
    return sorted(session.scalars(query))


def parse_interests(text: str) -> list[str]:
    """ "Jordbruk, klima;  skeive" → ["jordbruk", "klima", "skeive"] (unique, in order)."""
    found: list[str] = []
    for part in re.split(r"[,;\n]", text):
        word = " ".join(part.split()).lower()
        if word and word not in found:
            found.append(word)
    if len(found) > MAX_INTERESTS:
        raise ValidationFailed(
            fields={"interests": _("Velg høyst %(n)d interesser.", n=MAX_INTERESTS)}
        )
    if any(len(word) > MAX_INTEREST_LENGTH for word in found):
        raise ValidationFailed(
            fields={"interests": _("En interesse kan ha høyst %(n)d tegn.", n=MAX_INTEREST_LENGTH)}
        )
    return found


def save_interests(session: Session, member: Member, interests: list[str]) -> None:
    session.execute(delete(ProfileInterest).where(ProfileInterest.member_number == member.number))
    session.add_all(ProfileInterest(member_number=member.number, interest=i) for i in interests)
    session.flush()


def suggested_groups(session: Session, member: Member) -> list[GroupCard]:
    """Interest groups the member may join whose name or description matches an interest."""
    words = interests_of(session, member.number)
    if not words:
        return []
    cards = directory(session, member, kind="interesse")
    return [
        card
        for card in cards
        if card.role is None
        and not card.requested
        and card.visibility in ("open", "closed")
        and any(w in f"{card.name} {card.description}".lower() for w in words)
    ]


def set_picture(session: Session, member: Member, upload: BinaryIO) -> ProfilePicture:
    """Store our re-encoding of the picture (no EXIF, no GPS) and a thumbnail."""
    processed = images.process_image(upload, max_side=PICTURE_SIDE, thumb_sizes=(THUMB_SIZE,))
    store = storage.get_storage()
    keys = [
        store.save(io.BytesIO(rendition.data), content_type=rendition.mime_type).key
        for rendition in (processed.image, processed.thumbnails[THUMB_SIZE])
    ]
    old = session.get(ProfilePicture, member.number)
    if old is not None:
        _forget_objects(old)
        session.delete(old)
        session.flush()
    picture = ProfilePicture(
        member_number=member.number,
        storage_key=keys[0],
        thumb_key=keys[1],
        mime_type=processed.image.mime_type,
    )
    session.add(picture)
    session.flush()
    return picture


def remove_picture(session: Session, member: Member) -> None:
    picture = session.get(ProfilePicture, member.number)
    if picture is not None:
        _forget_objects(picture)
        session.delete(picture)
        session.flush()


def _forget_objects(picture: ProfilePicture) -> None:
    store = storage.get_storage()
    for key in (picture.storage_key, picture.thumb_key):
        store.delete(key)
