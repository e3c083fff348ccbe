"""A person opens the portal in a real browser: no console errors, no CSP violations."""

import pytest

from innsiden.auth.session import credential_id
from tests.factories import make_member, make_small_organisation

pytestmark = pytest.mark.browser


def test_login_page_loads_cleanly(page):
    response = page.goto("/logg-inn")
    assert response.status == 200
    assert page.get_by_role("heading", name="Logg inn").is_visible()
    assert page.get_by_label("E-post, mobilnummer eller medlemsnummer").is_visible()
    assert page.problems.console_errors == []


def test_member_front_page_loads_cleanly_with_live_connection(page, app, db, live_server):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"], first_name="Kari")
    db.commit()
    # Until the login flow exists, the browser gets a signed session cookie directly.
    serializer = app.session_interface.get_signing_serializer(app)
    cookie = serializer.dumps({"_user_id": credential_id(member), "_fresh": True})
    page.context.add_cookies([{"name": "session", "value": cookie, "url": live_server}])
    page.goto("/")
    assert page.get_by_role("heading", name="Hei, Kari!").is_visible()
    page.wait_for_function("window.io !== undefined")
    page.wait_for_load_state("networkidle")
    assert page.problems.console_errors == []
