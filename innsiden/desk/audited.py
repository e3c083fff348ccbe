"""A writing session for GET pages that show members and must audit it (the request's own
session is read-only on GET and never commits); nothing is shown unless the entry commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from innsiden.db import session_factory
from innsiden.web import acting_member
from membersync.models import Member


@contextmanager
def audited_session() -> Iterator[tuple[Session, Member]]:
    with session_factory()() as session:
        actor = session.get(Member, acting_member().number)
        assert actor is not None  # the logged-in member was loaded from the same table
        yield session, actor
