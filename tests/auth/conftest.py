"""Fixtures for the login tests: the AuthActions helper and a small organisation."""

import pytest

from tests.auth_helpers import AuthActions
from tests.factories import make_small_organisation


@pytest.fixture
def auth(app, client) -> AuthActions:
    return AuthActions(app, client)


@pytest.fixture
def units(db):
    units = make_small_organisation(db)
    db.commit()
    return units
