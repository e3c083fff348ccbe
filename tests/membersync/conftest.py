"""Fixtures for the membersync tests: the app's session factory and a small register."""

import pytest

from innsiden.db import session_factory
from tests.auth_helpers import AuthActions
from tests.membersync.helpers import small_register


@pytest.fixture
def factory(app):
    return session_factory(app)


@pytest.fixture
def register():
    return small_register()


@pytest.fixture
def auth(app, client) -> AuthActions:
    return AuthActions(app, client)
