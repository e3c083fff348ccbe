"""Fixtures for the API-as-a-product tests: a small organisation, members and their tokens."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from innsiden.auth import tokens
from membersync.models import Member
from tests.factories import make_member, make_small_organisation


@pytest.fixture
def units(db):
    units = make_small_organisation(db)
    db.commit()
    return units


@pytest.fixture
def kari(db, units):
    member = make_member(db, units["0001"], first_name="Kari")
    db.commit()
    return member


@pytest.fixture
def admin(db, units):
    member = make_member(db, units["0001"], first_name="Ada", roles=["sentraladmin@S"])
    db.commit()
    return member


def make_token(
    db: Session, member: Member, scopes: tuple[str, ...] = (), days: int = 30, name: str = "t"
) -> str:
    """A token for `member` made through the service; returns the token itself."""
    _row, secret = tokens.create(db, member, name=name, scopes=list(scopes), days=days)
    db.commit()
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}
