"""Demo pages and news: Bergen lokallag's pages (a small tree with the board, the statutes
and members' tips), its news, one page waiting for Kari Nordmann's approval, and news for
everyone from the organisation and from Kari's fylkeslag. Made through the services, so
versions, history and search are there too. Idempotent: nothing is added twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.content import editing, workflow
from innsiden.content.editing import ItemText
from innsiden.content.models import ContentItem
from innsiden.content.permissions import Place
from innsiden.demo import seeder
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.models import Group
from membersync.db import utcnow
from membersync.models import Member

KARI, OLA = 100001, 100002

PAGES = [
    (
        "Om lokallaget",
        "Vi er lokallaget for medlemmene i kommunen. Vi møtes **første tirsdag** "
        "i måneden på Folkets hus, og alle medlemmer er velkomne.\n\n"
        "Se også [styret](side:{styret}) og [vedtektene](side:{vedtekter}).",
        None,
    ),
    (
        "Styret",
        "| Verv | Navn |\n|---|---|\n| Leder | Kari Nordmann |\n| Nestleder | Per Hansen |\n"
        "| Kasserer | Anne Johansen |\n| Informasjonsansvarlig | Lars Olsen |",
        "Om lokallaget",
    ),
    (
        "Vedtekter",
        "## § 1 Formål\nLokallaget arbeider for organisasjonens program i kommunen.\n\n"
        "## § 2 Årsmøtet\nÅrsmøtet er lokallagets høyeste organ og holdes innen utgangen av mars.",
        "Om lokallaget",
    ),
    ("Nyttige tips", "Her samler vi råd fra medlemmer som har gjort det før.", None),
    (
        "Slik verver du nye medlemmer",
        "1. Fortell hvorfor du selv er med.\n2. Ha med innmeldings"
        "skjema på stand.\n3. Følg opp innen en uke.",
        "Nyttige tips",
    ),
    (
        "Slik holder du en god stand",
        "Ta med vann, brosjyrer og et smil. Avtal vakter i "
        "diskusjonen «Stand på Torgallmenningen».",
        "Nyttige tips",
    ),
]
NEWS = [
    (
        "Årsmøtet 2027 er berammet",
        "Årsmøtet holdes 12. mars kl. 18 på Folkets hus.",
        "Forslag til årsmøtet sendes styret innen 1. februar. Sakspapirer kommer i filområdet.",
    ),
    (
        "Takk for innsatsen på høstens stand",
        "Vi vervet 14 nye medlemmer på tre lørdager.",
        "Tusen takk til alle som stilte opp i regn og vind!",
    ),
]


@seeder("content")
def seed_content(session: Session) -> None:
    kari, ola = session.get(Member, KARI), session.get(Member, OLA)
    if kari is None or ola is None or kari.lokallag_id is None:
        return
    if session.scalar(select(ContentItem.id).limit(1)) is not None:
        return
    ids = location_group_ids(session, [kari.lokallag_id])
    group = session.get(Group, ids.get(kari.lokallag_id, 0))
    if group is None:
        return
    _bergen(session, kari, Place(group))
    _cascading(session, ola, kari)
    session.flush()


def _bergen(session: Session, kari: Member, place: Place) -> None:
    made: dict[str, ContentItem] = {}
    for title, _body, parent in PAGES:
        parent_id = made[parent].id if parent else None
        made[title] = editing.create_item(
            session, kari, place, "page", ItemText(title=title), parent_id=parent_id
        )
    links = {"styret": made["Styret"].id, "vedtekter": made["Vedtekter"].id}
    for title, body, _parent in PAGES:
        item = made[title]
        editing.save_item(
            session, kari, item, ItemText(title=title, body=body.format(**links)), item.version
        )
        workflow.transition(session, kari, item, "publiser")
    for title, lead, body in NEWS:
        news = editing.create_item(
            session, kari, place, "news", ItemText(title=title, body=body, lead=lead)
        )
        workflow.transition(session, kari, news, "publiser")
    pending = editing.create_item(
        session,
        kari,
        place,
        "page",
        ItemText(
            title="Forslag: turkalender for våren", body="Et utkast som venter på godkjenning."
        ),
        parent_id=made["Nyttige tips"].id,
    )
    workflow.transition(session, kari, pending, "send")


def _cascading(session: Session, ola: Member, kari: Member) -> None:
    org_news = editing.create_item(
        session,
        ola,
        Place(None),
        "news",
        ItemText(
            title="Ny nettside for medlemmene",
            lead="Innsiden er medlemmenes egen portal.",
            body="Her finner du grupper, diskusjoner, filer og nyheter fra hele organisasjonen.",
            cascade=True,
        ),
    )
    workflow.transition(session, ola, org_news, "publiser")
    fylke = kari.lokallag.parent if kari.lokallag is not None else None
    if fylke is None or fylke.type != "fylkeslag":
        return
    ids = location_group_ids(session, [fylke.id])
    group = session.get(Group, ids.get(fylke.id, 0))
    if group is None:
        return
    fylke_news = editing.create_item(
        session,
        ola,
        Place(group),
        "news",
        ItemText(
            title="Fylkesårsmøtet i april",
            lead="Alle lokallag inviteres til å sende delegater.",
            body="Påmelding av delegater innen 1. mars.",
            cascade=True,
            expire_at=utcnow() + timedelta(days=120),
        ),
    )
    workflow.transition(session, ola, fylke_news, "publiser")
