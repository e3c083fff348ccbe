"""A stand-in capability that produces notifications, so the mechanism is tested on its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from innsiden import events
from innsiden.notifications.registry import (
    DigestItem,
    Draft,
    digest_source,
    notifies,
    subject_visibility,
)
from membersync.db import utcnow

HIDDEN_SUBJECTS: set[str] = set()
DIGEST_ITEMS: list[DigestItem] = []


@notifies("test.mentioned")
def _mentioned(_session, payload):
    yield Draft(
        recipient_number=payload["member"],
        kind="test.mention",
        title="Kari nevnte deg i «Årsmøtet»",
        excerpt="Hei @deg, kan du ta referatet?",
        url="/test/innlegg/1",
        group_id=payload.get("group_id"),
        subject=f"testpost:{payload['post']}",
        actor_number=payload.get("actor"),
    )


@subject_visibility("testpost")
def _testpost_visible(_session, _member, ident):
    return ident not in HIDDEN_SUBJECTS


@digest_source
def _test_digest(_session, _member, group_ids, _since):
    return [item for item in DIGEST_ITEMS if item.group_id in group_ids]


@pytest.fixture(autouse=True)
def _reset_stand_ins():
    HIDDEN_SUBJECTS.clear()
    DIGEST_ITEMS.clear()
    yield
    HIDDEN_SUBJECTS.clear()
    DIGEST_ITEMS.clear()


def age_events(db) -> None:
    """Make recorded events old enough for the consumers' safety lag (no sleeping)."""
    db.execute(update(events.DomainEvent).values(created_at=utcnow() - timedelta(minutes=1)))
    db.commit()
