"""Creating, editing and deleting polls, and a group's poll settings.

Options and rules are fixed by the first vote: `update_poll` and `delete_poll` lock the poll
row and refuse once a voter row exists. A vote takes the same row's shared lock, so an edit
and a first vote never interleave (on SQLite writing transactions are serialised anyway).
Once the poll has opened, its electorate is frozen, so who may vote and the opening time can
no longer change even without votes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import access, audit, events
from innsiden.errors import Conflict, ValidationFailed
from innsiden.groups.models import Group
from innsiden.polls import lifecycle, service
from innsiden.polls.models import (
    ELECTORATES,
    KINDS,
    QUORUM_KINDS,
    RESULTS_SHOWN,
    Poll,
    PollOption,
    PollSettings,
)
from innsiden.sanitize import render_markdown
from membersync.db import utcnow
from membersync.models import Member

MAX_OPTIONS = 30
MAX_DURATION = timedelta(days=120)


@dataclass(frozen=True)
class OptionInput:
    label: str
    day: date | None = None


@dataclass(frozen=True)
class PollInput:
    """What a creator fills in. `opens_at=None` means "open now"."""

    kind: str
    question: str
    closes_at: datetime
    opens_at: datetime | None = None
    description: str = ""
    options: list[OptionInput] = field(default_factory=list)
    max_choices: int | None = None
    electorate: str = "members"
    secret: bool = True
    may_change: bool = False
    results_shown: str = "after_close"
    quorum_kind: str = "none"
    quorum_value: int | None = None


def yes_no_options() -> list[OptionInput]:
    return [OptionInput(_("Ja")), OptionInput(_("Nei")), OptionInput(_("Blankt"))]


def validate(data: PollInput, now: datetime) -> dict[str, str]:
    """Field → message for everything wrong with `data` (empty if it is fine)."""
    errors: dict[str, str] = {}
    if data.kind not in KINDS:
        errors["kind"] = _("Velg hva slags avstemning det er.")
    if not 3 <= len(data.question.strip()) <= 300:
        errors["question"] = _("Spørsmålet må ha mellom 3 og 300 tegn.")
    if len(data.description) > 10_000:
        errors["description"] = _("Beskrivelsen er for lang.")
    errors.update(_option_errors(data))
    errors.update(_time_errors(data, now))
    if data.electorate not in ELECTORATES:
        errors["electorate"] = _("Velg hvem som kan stemme.")
    if data.results_shown not in RESULTS_SHOWN:
        errors["results_shown"] = _("Velg når resultatet vises.")
    errors.update(_quorum_errors(data))
    return errors


def _option_errors(data: PollInput) -> dict[str, str]:
    if data.kind == "yes_no":
        return {}
    labels = [o.label.strip() for o in data.options]
    if len(labels) < 2 or len(labels) > MAX_OPTIONS:
        return {"options": _("Gi mellom 2 og %(max)d alternativer.", max=MAX_OPTIONS)}
    if any(not label or len(label) > 200 for label in labels):
        return {"options": _("Hvert alternativ må ha mellom 1 og 200 tegn.")}
    if len(set(labels)) != len(labels):
        return {"options": _("To alternativer er like.")}
    if data.kind == "date" and any(o.day is None for o in data.options):
        return {"options": _("Hvert forslag må ha en dato (ÅÅÅÅ-MM-DD).")}
    if data.kind == "multiple" and not (
        data.max_choices is not None and 1 <= data.max_choices <= len(labels)
    ):
        return {"max_choices": _("Høyst antall valg må være mellom 1 og antall alternativer.")}
    return {}


def _time_errors(data: PollInput, now: datetime) -> dict[str, str]:
    opens = data.opens_at or now
    if data.closes_at <= max(opens, now):
        return {"closes_at": _("Avstemningen må stenge etter at den åpner, og i framtiden.")}
    if data.closes_at - opens > MAX_DURATION:
        return {"closes_at": _("En avstemning kan være åpen i høyst 120 dager.")}
    return {}


def _quorum_errors(data: PollInput) -> dict[str, str]:
    if data.quorum_kind not in QUORUM_KINDS:
        return {"quorum_kind": _("Velg et krav til oppmøte.")}
    if data.quorum_kind == "none":
        return {}
    value = data.quorum_value
    top = 100 if data.quorum_kind == "percent" else 1_000_000
    if value is None or not 1 <= value <= top:
        return {"quorum_value": _("Oppgi et krav mellom 1 og %(top)d.", top=top)}
    return {}


def _apply(poll: Poll, data: PollInput, now: datetime) -> None:
    poll.kind = data.kind
    poll.question = " ".join(data.question.split())
    poll.description_source = data.description.strip()
    poll.description_html = render_markdown(poll.description_source)
    poll.max_choices = data.max_choices if data.kind == "multiple" else None
    poll.opens_at = max(data.opens_at or now, now) if poll.opened_at is None else poll.opens_at
    poll.closes_at = data.closes_at
    poll.electorate = data.electorate
    poll.secret = data.secret
    poll.may_change = data.may_change
    poll.results_shown = data.results_shown
    poll.quorum_kind = data.quorum_kind
    poll.quorum_value = data.quorum_value if data.quorum_kind != "none" else None
    options = yes_no_options() if data.kind == "yes_no" else data.options
    poll.options = [
        PollOption(position=index, label=option.label.strip(), day=option.day)
        for index, option in enumerate(options)
    ]


def create_poll(session: Session, actor: Member, group: Group, data: PollInput) -> Poll:
    """Create a poll in `group`; it opens at once if its opening time has come."""
    access.require(session, actor, "poll.create", group, visible=True)
    now = utcnow()
    errors = validate(data, now)
    if errors:
        raise ValidationFailed(fields=errors)
    poll = Poll(group_id=group.id, created_by=actor.number)
    _apply(poll, data, now)
    session.add(poll)
    session.flush()
    events.record(session, "poll.created", poll_id=poll.id, group_id=group.id)
    audit.record(session, "poll.created", actor_number=actor.number, target=f"poll:{poll.id}")
    if poll.opens_at <= now:
        lifecycle.open_poll(session, poll)
    session.flush()
    return poll


def update_poll(session: Session, actor: Member, poll: Poll, data: PollInput) -> Poll:
    """Change a poll before anyone has voted; refused (409) from the first vote on."""
    check_editable(session, actor, poll)
    now = utcnow()
    errors = validate(data, now)
    if poll.opened_at is not None:
        errors.update(_frozen_by_opening(poll, data))
    if errors:
        raise ValidationFailed(fields=errors)
    _apply(poll, data, now)
    session.flush()
    events.record(session, "poll.edited", poll_id=poll.id, group_id=poll.group_id)
    audit.record(session, "poll.edited", actor_number=actor.number, target=f"poll:{poll.id}")
    if poll.opened_at is None and poll.opens_at <= now:
        lifecycle.open_poll(session, poll)
    return poll


def check_editable(session: Session, actor: Member, poll: Poll) -> None:
    """Lock the poll and refuse (403/409) unless the actor may still change it."""
    access.require(session, actor, "poll.manage", poll, visible=True)
    lifecycle.lock(session, poll)
    _refuse_after_first_vote(session, poll)
    if service.state_of(poll) == "closed":
        raise Conflict(_("Avstemningen er avsluttet og kan ikke endres."))


def _frozen_by_opening(poll: Poll, data: PollInput) -> dict[str, str]:
    if data.electorate != poll.electorate:
        return {"electorate": _("Manntallet ble fastsatt da avstemningen åpnet.")}
    return {}


def _refuse_after_first_vote(session: Session, poll: Poll) -> None:
    if service.has_votes(session, poll):
        raise Conflict(
            _("Noen har allerede stemt: spørsmål, alternativer og regler kan ikke endres lenger.")
        )


def delete_poll(session: Session, actor: Member, poll: Poll) -> None:
    """Delete a poll nobody has voted in yet (a poll with votes is kept as it is)."""
    access.require(session, actor, "poll.manage", poll, visible=True)
    lifecycle.lock(session, poll)
    _refuse_after_first_vote(session, poll)
    events.record(session, "poll.deleted", poll_id=poll.id, group_id=poll.group_id)
    audit.record(session, "poll.deleted", actor_number=actor.number, target=f"poll:{poll.id}")
    session.delete(poll)
    session.flush()


def set_members_may_create(session: Session, actor: Member, group: Group, allowed: bool) -> None:
    access.require(session, actor, "poll.settings", group, visible=True)
    settings = session.scalar(select(PollSettings).where(PollSettings.group_id == group.id))
    if settings is None:
        session.add(PollSettings(group_id=group.id, members_may_create=allowed))
    else:
        settings.members_may_create = allowed
    audit.record(
        session,
        "poll.settings",
        actor_number=actor.number,
        target=f"group:{group.id}",
        members_may_create=allowed,
    )
    session.flush()
