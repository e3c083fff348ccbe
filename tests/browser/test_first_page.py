"""A person opens the portal in a real browser: no console errors, no CSP violations."""

from pathlib import Path

import pytest

from tests.auth_helpers import AuthActions
from tests.conftest import Outbox
from tests.factories import make_member, make_small_organisation

pytestmark = pytest.mark.browser


def test_login_page_loads_cleanly(page):
    response = page.goto("/logg-inn")
    assert response.status == 200
    assert page.get_by_role("heading", name="Logg inn").is_visible()
    assert page.get_by_label("E-post, mobilnummer eller medlemsnummer").is_visible()
    assert page.problems.console_errors == []


def test_member_logs_in_with_a_code_and_front_page_loads_cleanly(page, app, db, live_server):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    db.commit()
    outbox = Outbox(Path(app.config["OUTBOX_DIR"]))
    page.goto("/logg-inn")
    page.get_by_label("E-post, mobilnummer eller medlemsnummer").fill(member.email)
    page.get_by_role("button", name="Send kode").click()
    page.wait_for_url("**/logg-inn/kode")
    code = AuthActions(app, app.test_client()).code_from_mail(member.email)
    assert len(outbox.mails(to=member.email)) == 1
    page.get_by_label("Kode", exact=True).fill(code)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{live_server}/")
    assert page.get_by_role("heading", name="Hei, Kari!").is_visible()
    page.wait_for_function("window.io !== undefined")
    page.wait_for_load_state("networkidle")
    assert page.problems.console_errors == []
