"""Pages in a real browser: a member writes a page and submits it, the lokallag leader
approves it, another member of the lokallag reads it, a member of another lokallag gets
404 — with no console errors or CSP violations on the way."""

from __future__ import annotations

import pytest

from tests.content.conftest import Org, org  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def log_in(page, app, member, live_server) -> None:
    from innsiden.auth.session import credential_id

    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": credential_id(member), "_fresh": True}
    )
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "session", "value": cookie, "url": live_server}])


def test_write_submit_approve_read_and_404_elsewhere(page, app, org: Org, live_server) -> None:  # noqa: F811
    bergen = org.groups["0001"]
    log_in(page, app, org.writer, live_server)
    page.goto(f"/grupper/{bergen}")
    page.get_by_role("link", name="Ny side").click()
    page.get_by_label("Tittel").fill("Turkalender for våren")
    page.get_by_label("Tekst (Markdown)").fill("Vi går til **Ulriken** første søndag i mai.")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="Turkalender for våren").is_visible()
    item_url = page.url
    page.get_by_role("button", name="Send til godkjenning").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Status: Til godkjenning").first.is_visible()

    log_in(page, app, org.leader, live_server)
    page.goto(item_url)
    page.get_by_role("button", name="Godkjenn og publiser").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Status: Publisert").first.is_visible()

    log_in(page, app, org.bergen, live_server)
    page.goto(f"/grupper/{bergen}")
    page.get_by_role("link", name="Turkalender for våren").click()
    page.wait_for_load_state("load")
    assert page.locator(".content-body strong").inner_text() == "Ulriken"

    log_in(page, app, org.oslo, live_server)
    response = page.goto(item_url)
    assert response is not None and response.status == 404
    assert page.problems.console_errors == [] or all(
        "404" in message for message in page.problems.console_errors
    )
