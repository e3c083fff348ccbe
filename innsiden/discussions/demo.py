"""Demo content: a few threads with replies, a mention, a quote and reactions in Bergen
lokallag (unit 0001) and in the interest group "Klima og miljø"."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.demo import seeder
from innsiden.discussions import moderation, service
from innsiden.discussions.models import Thread
from innsiden.groups.anchors import location_group_ids
from innsiden.groups.demo import seed_groups
from innsiden.groups.membership import has_access_clause
from innsiden.groups.models import Group, GroupMembership
from membersync.models import Member

KARI = 100001

BERGEN_THREADS = (
    (
        "Årsmøtet i mars",
        "Hei alle sammen!\n\nÅrsmøtet blir **tirsdag 10. mars kl. 19** på Kulturhuset. "
        "Forslag til saker sendes styret innen 20. februar.\n\n"
        "Sakliste så langt:\n1. Årsmelding\n2. Regnskap\n3. Valg",
        [
            "Flott! Kan vi ta opp budsjettet for valgkampen også?",
            "{mention} – kan du ta med regnskapet på papir?",
            "Jeg kan stille med kaffe og kake 🎂",
        ],
    ),
    (
        "Stand på Torgallmenningen lørdag",
        "Vi trenger folk på stand lørdag **kl. 11–15**. Skriv her om du kan ta en vakt.\n\n"
        "Se også https://www.example.no/valgkamp for materiell.",
        ["Jeg tar 11–13!", "Jeg kan 13–15."],
    ),
    (
        "Innspill til kommunebudsjettet",
        "Bystyret behandler budsjettet i november. Hvilke saker bør vi løfte?\n\n"
        "> Skolene først\n\nHva tenker dere?",
        ["Kollektivtrafikken må med.", "Enig i skolene, men også eldreomsorgen."],
    ),
)

KLIMA_THREADS = (
    (
        "Lesetips: klimarapporten",
        "Har noen lest den nye rapporten fra Miljødirektoratet? "
        "*Kapittel 4* om transport er særlig interessant.",
        ["Ja! Tallene for ferjene var overraskende.", "Takk for tipset."],
    ),
)


@seeder("discussions")
def seed_discussions(session: Session) -> None:
    """Idempotent: a group that has threads already is left as it is."""
    seed_groups(session)  # the interest groups first (seeders run in import order)
    kari = session.get(Member, KARI)
    bergen = location_group_ids(session, ["0001"]).get("0001")
    if kari is None or bergen is None:
        return
    locals_ = list(
        session.scalars(
            select(Member)
            .where(Member.lokallag_id == "0001", has_access_clause(), Member.number != KARI)
            .order_by(Member.number)
            .limit(4)
        )
    )
    if not _has_threads(session, bergen):
        _threads(session, bergen, [kari, *locals_], BERGEN_THREADS)
    klima = session.scalar(select(Group).where(Group.own_name == "Klima og miljø"))
    if klima is not None and not _has_threads(session, klima.id):
        numbers = select(GroupMembership.member_number).where(GroupMembership.group_id == klima.id)
        members = list(
            session.scalars(
                select(Member).where(Member.number.in_(numbers)).order_by(Member.number)
            )
        )
        if len(members) >= 2:
            _threads(session, klima.id, members[:4], KLIMA_THREADS)
    session.flush()


def _has_threads(session: Session, group_id: int) -> bool:
    return session.scalar(select(Thread.id).where(Thread.group_id == group_id).limit(1)) is not None


def _threads(session: Session, group_id: int, people: list[Member], threads: tuple) -> None:  # type: ignore[type-arg]
    if not people:
        return
    for index, (title, body, replies) in enumerate(threads):
        starter = people[index % len(people)]
        thread, opening = service.create_thread(session, starter, group_id, title=title, body=body)
        previous = opening
        for number, text in enumerate(replies):
            writer = people[(index + number + 1) % len(people)]
            mention = f"@[{starter.full_name}](medlem:{starter.number})"
            previous = service.reply(
                session,
                writer,
                thread,
                body=text.replace("{mention}", mention),
                quote_of=opening.id if number == 0 and index == 0 else None,
            )
        for reactor, kind in zip(people, ("tommel", "hjerte", "feiring"), strict=False):
            if reactor.number != previous.author_number:
                service.set_reaction(session, reactor, previous, kind, on=True)
            service.set_reaction(session, reactor, opening, "tommel", on=True)
        if index == 0 and access.can(session, people[0], "thread.moderate", thread):
            moderation.set_pinned(session, people[0], thread, True)
