"""Demo content: Kari Nordmann (the first demo login) has interests that suggest a group,
a presentation, and one change request the register has not carried out yet."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.demo import seeder
from innsiden.groups.membership import has_access_clause
from innsiden.groups.models import MemberProfile
from innsiden.profile.models import ChangeRequest, ProfileInterest
from membersync.models import Member


@seeder("profile")
def seed_profile(session: Session) -> None:
    """Idempotent: a member who already has interests is left as they are."""
    kari = session.scalar(
        select(Member.number).where(has_access_clause()).order_by(Member.number).limit(1)
    )
    if kari is None or session.scalar(
        select(ProfileInterest.interest).where(ProfileInterest.member_number == kari).limit(1)
    ):
        return
    session.add_all(
        ProfileInterest(member_number=kari, interest=word) for word in ("klima", "landbruk")
    )
    if session.get(MemberProfile, kari) is None:
        session.add(
            MemberProfile(member_number=kari, about="Sauebonde og lokalpolitiker i Bergen.")
        )
    session.add(
        ChangeRequest(
            member_number=kari, kind="mobile", fields={"mobile": "+4791234599"},
            message="Nytt nummer fra januar.", channel="email", state="sent",
        )
    )  # fmt: skip
    session.flush()
