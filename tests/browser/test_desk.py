"""The leader's desk in a real browser: open Mitt lag, preview an SMS to restanse, send it,
read the delivery report — with no console errors or CSP violations."""

from __future__ import annotations

import pytest

from tests.desk.conftest import World, build_world, run_sender

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app, db) -> World:
    return build_world(app, db)


def log_in(page, app, member, live_server):
    from innsiden.auth.session import credential_id

    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": credential_id(member), "_fresh": True}
    )
    page.context.add_cookies([{"name": "session", "value": cookie, "url": live_server}])


def test_a_leader_previews_and_sends_an_sms_to_restanse(page, app, db, world, live_server, outbox):
    log_in(page, app, world.leader, live_server)
    page.goto("/")
    page.get_by_role("link", name="Mitt lag", exact=True).click()
    page.get_by_role("link", name="Skriv en melding til medlemmene (e-post eller SMS)").click()

    page.get_by_label("SMS", exact=True).check()
    page.get_by_label("Medlemmer i restanse").check()
    page.get_by_label("Melding").fill("Hei {fornavn}! Kontingenten for i år er ikke betalt.")
    page.get_by_role("button", name="Forhåndsvis").click()

    assert page.locator("[data-recipients]").inner_text() == "4 mottakere"
    assert page.locator("[data-by-sms]").inner_text() == "3"
    assert page.locator("[data-sms-parts]").inner_text() == "1"
    assert "kr 1.35" in page.locator("[data-sms-cost]").inner_text()
    assert "Hei Åse!" in page.locator(".message-sample").inner_text()
    page.get_by_role("button", name="Send", exact=True).click()
    page.get_by_text("I kø").wait_for()  # the report page after the redirect

    run_sender(app)
    page.reload()
    page.get_by_text("Ferdig sendt.").wait_for()
    assert page.locator('[data-state="sent"]').inner_text() == "Sendt: 3"
    assert sorted(s["to"] for s in outbox.sms()) == sorted(m.mobile for m in world.owing)
    assert page.problems.console_errors == []
