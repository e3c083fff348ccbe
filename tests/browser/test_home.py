"""The front page in Chromium, on a desktop and on a phone: a second browser's new thread
appears without a reload ("1 ny – vis"), and nothing breaks the strict CSP."""

from __future__ import annotations

import time

import pytest

from innsiden import realtime
from innsiden.groups.anchors import location_group_ids
from tests.auth_helpers import AuthActions
from tests.browser.conftest import PageProblems
from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation

pytestmark = pytest.mark.browser

SCREENS = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}


def _logged_in(browser, live_server, app, member, screen):
    context = browser.new_context(base_url=live_server, locale="nb-NO", **SCREENS[screen])
    page = context.new_page()
    page.problems = PageProblems()
    page.on("console", page.problems.record)
    page.goto("/logg-inn")
    page.get_by_label("E-post, mobilnummer eller medlemsnummer").fill(member.email)
    page.get_by_role("button", name="Send kode").click()
    page.wait_for_url("**/logg-inn/kode")
    page.get_by_label("Kode", exact=True).fill(
        AuthActions(app, app.test_client()).code_from_mail(member.email)
    )
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{live_server}/")
    return context, page


def _wait_until_in_room(room: str) -> None:
    """The page joins its rooms over the socket after it loaded: wait for the server to have
    the reader in the room, so the push is not sent before anyone listens."""
    manager = realtime.socketio.server.manager
    deadline = time.monotonic() + 10
    while not any(True for _ in manager.get_participants("/", room)):
        assert time.monotonic() < deadline, f"nobody joined {room}"
        time.sleep(0.05)  # polling a condition, not waiting for time to pass


@pytest.mark.parametrize("screen", ["desktop", "phone"])
def test_a_new_thread_from_another_browser_appears_without_a_reload(
    browser, app, db, live_server, screen
):
    units = make_small_organisation(db)
    per = make_member(db, units["0001"], first_name="Per", email="per@example.no")
    kari = make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    db.commit()
    bergen = location_group_ids(db, ["0001"])["0001"]
    db.commit()

    reader_context, reader = _logged_in(browser, live_server, app, per, screen)
    writer_context, writer = _logged_in(browser, live_server, app, kari, "desktop")
    try:
        assert reader.get_by_role("heading", name="Aktivitet i gruppene dine").is_visible()
        reader.wait_for_function("window.io !== undefined")
        reader.wait_for_load_state("networkidle")
        _wait_until_in_room(f"group:{bergen}")

        writer.goto(f"/diskusjoner/gruppe/{bergen}/ny")
        writer.get_by_label("Tittel").fill("Budsjett 2027")
        writer.get_by_label("Tekst", exact=True).fill("Her er forslaget til budsjett.")
        writer.get_by_role("button", name="Publiser").click()
        writer.wait_for_url("**/diskusjoner/traad/**")
        run_jobs(app, db)  # the job runner turns the event into a stream entry and pushes

        show = reader.get_by_role("button", name="1 ny – vis")
        show.wait_for(state="visible", timeout=10_000)
        show.click()
        entry = reader.get_by_role("link", name="Ny tråd: «Budsjett 2027»")
        entry.wait_for(state="visible", timeout=10_000)
        assert reader.url == f"{live_server}/"  # no reload, no navigation
        reader.wait_for_load_state("networkidle")
        assert reader.problems.console_errors == []
        assert writer.problems.console_errors == []
    finally:
        reader_context.close()
        writer_context.close()
