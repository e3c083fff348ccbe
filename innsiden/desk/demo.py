"""Demo for Mitt lag: Kari (lokallagsleder in Bergen) has reminded restanse about the dues
by SMS, so `make run` shows a preview's numbers and a delivery report once the job has run."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.demo import seeder
from innsiden.desk import service
from innsiden.desk.models import DeskMessage
from innsiden.desk.segments import Segment
from membersync.models import Member, OrgUnit

REMINDER = (
    "Hei {fornavn}! Vi ser at kontingenten for i år ikke er betalt ennå. "
    "Betal gjerne innen 15. desember, så er du med på årsmøtet. Hilsen Kari, Bergen lokallag"
)


@seeder("desk")
def seed_desk(session: Session) -> None:
    """Idempotent: nothing is added if Bergen has a message already."""
    kari = session.get(Member, 100_001)
    bergen = session.get(OrgUnit, "0001")
    if kari is None or bergen is None:
        return
    if session.scalar(select(DeskMessage.id).where(DeskMessage.unit_id == bergen.id).limit(1)):
        return
    draft = service.Draft("sms", Segment("restanse"), "", REMINDER, "")
    count = service.segment_count(session, bergen, draft.segment)
    service.queue(session, kari, bergen, draft, count)
