"""A member opens Min profil from the header in Chromium and asks the register for a change."""

from pathlib import Path

import pytest

from tests.conftest import Outbox, login_as
from tests.factories import make_member, make_small_organisation

pytestmark = pytest.mark.browser


def test_member_opens_min_profil_and_sends_a_change_request(page, app, db, live_server):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    db.commit()
    client = app.test_client()
    login_as(client, member)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])
    page.goto("/")
    page.get_by_role("link", name="Min profil").click()
    page.wait_for_url("**/min-profil")
    assert page.get_by_role("heading", name="Dette har medlemsregisteret om deg").is_visible()
    page.get_by_label("Hva vil du endre?").select_option("mobile")
    page.get_by_label("Nytt mobilnummer").fill("917 00 000")
    page.get_by_role("button", name="Send endringsønsket").click()
    page.wait_for_url("**/min-profil#endringer")
    assert page.get_by_text("Endringsønsket er sendt til medlemsregisteret.").is_visible()
    assert page.get_by_text("Sendt til medlemsregisteret", exact=True).is_visible()
    [mail] = Outbox(Path(app.config["OUTBOX_DIR"])).mails(to="medlemsservice@localhost")
    assert "+4791700000" in mail.get_content()
    assert page.problems.console_errors == []
