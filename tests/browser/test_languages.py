"""A member switches to nynorsk in a real browser; it sticks across reloads and logins, and
the login code arrives in nynorsk."""

import pytest

from tests.auth_helpers import AuthActions
from tests.factories import make_member, make_small_organisation

pytestmark = pytest.mark.browser


def _log_in(page, app, email, label, send, code_label, button):
    page.get_by_label(label).fill(email)
    page.get_by_role("button", name=send).click()
    page.wait_for_url("**/logg-inn/kode")
    code = AuthActions(app, app.test_client()).code_from_mail(email)
    page.get_by_label(code_label, exact=True).fill(code)
    page.get_by_role("button", name=button, exact=True).click()


def test_nynorsk_survives_reload_logout_and_login(page, app, db, live_server):
    units = make_small_organisation(db)
    kari = make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    db.commit()
    page.goto("/logg-inn")
    _log_in(page, app, kari.email, "E-post, mobilnummer eller medlemsnummer", "Send kode",
            "Kode", "Logg inn")  # fmt: skip
    page.wait_for_url(f"{live_server}/")
    page.get_by_role("button", name="Nynorsk").first.click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_role("link", name="Framsida").is_visible()
    page.reload()
    assert page.locator("html").get_attribute("lang") == "nn"
    page.get_by_role("button", name="Logg ut", exact=True).click()
    page.wait_for_url("**/logg-inn")
    assert page.locator("html").get_attribute("lang") == "nn"
    assert page.get_by_text("Du er logga ut.").is_visible()
    _log_in(page, app, kari.email, "E-post, mobilnummer eller medlemsnummer", "Send kode",
            "Kode", "Logg inn")  # fmt: skip
    page.wait_for_url(f"{live_server}/")
    assert page.locator("html").get_attribute("lang") == "nn"
    text = AuthActions(app, app.test_client()).last_mail_text(kari.email)
    assert "Koden din for å logge inn på Innsiden" in text
    assert "Koden gjeld i 10 minutt og kan brukast éin gong." in text
    assert page.problems.console_errors == []
