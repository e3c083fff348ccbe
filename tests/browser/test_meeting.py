"""An årsmøte in the room: the leader opens check-in, a member checks in with the room code on a
phone, the leader opens a vote, the member votes, and the projector follows it all live — the
count present, the turnout, then the result line after the close — with a clean console."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import PageProblems
from tests.conftest import login_as
from tests.meetings import conftest as meetings_conftest
from tests.meetings.conftest import call, complaints_closed, cutoff_today, url

pytestmark = pytest.mark.browser
bergen = meetings_conftest.bergen  # the meetings' fixture: Bergen lokallag and its members

PHONE = {"width": 390, "height": 844}


def _context(browser, app, live_server, member, viewport=None):
    options = {"base_url": live_server, "locale": "nb-NO"}
    if viewport:
        options.update(viewport=viewport, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    client = app.test_client()
    login_as(client, member)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])
    page = context.new_page()
    page.problems = PageProblems()
    page.on("console", page.problems.record)
    return context, page


def _joined(page, room: str) -> None:
    page.wait_for_function(
        "room => (document.documentElement.dataset.liveJoined || '').split(' ').includes(room)",
        arg=room,
    )


def _frozen_meeting(app, bergen) -> int:
    meeting_id = call(bergen)
    cutoff_today(app, meeting_id)
    leader = bergen.client(bergen.leader)
    leader.post(url(bergen, meeting_id, "/manntall/beregn"))
    complaints_closed(app, meeting_id)
    leader.post(url(bergen, meeting_id, "/manntall/las"))
    return meeting_id


def test_check_in_vote_and_the_projector_live(browser, app, live_server, bergen):
    meeting_id = _frozen_meeting(app, bergen)
    chair_context, control = _context(browser, app, live_server, bergen.leader)
    member_context, phone = _context(browser, app, live_server, bergen.paid[0], PHONE)
    screen = chair_context.new_page()
    screen.problems = PageProblems()
    screen.on("console", screen.problems.record)
    try:
        control.goto(url(bergen, meeting_id, "/styring"))
        with control.expect_navigation():
            control.get_by_role("button", name="Åpne innsjekkingen").click()
        code = control.locator("[data-room-code]").first.inner_text()
        assert re.fullmatch(r"[2-9A-Z]{6}", code)

        screen.goto(url(bergen, meeting_id, "/skjerm"))
        screen.locator("[data-projector-count]", has_text="0 til stede").wait_for()
        _joined(screen, f"meeting:{meeting_id}")
        _joined(screen, f"meeting-screen:{meeting_id}")

        # The member checks in on their phone with the code shown in the room.
        phone.goto(url(bergen, meeting_id))
        phone.get_by_label("Koden som vises i møtelokalet").fill(code.lower())
        with phone.expect_navigation():
            phone.get_by_role("button", name="Sjekk inn", exact=True).click()
        phone.get_by_role("button", name="Sjekk ut").wait_for()
        _joined(phone, f"meeting:{meeting_id}")
        # The projector learns of it without a reload.
        screen.locator(
            "[data-projector-count]", has_text="1 til stede, 1 med stemmerett"
        ).wait_for()

        # The chair opens a vote; the member's page and the projector follow.
        control.get_by_label("Hva det stemmes over").first.fill("Kjøpe nytt banner")
        # (The control page also reloads itself on the vote's push, so no single navigation
        # is awaited: the button of the next step is.)
        control.get_by_role("button", name="Åpne avstemning", exact=True).click()
        control.get_by_role("button", name="Lukk og tell").wait_for()
        screen.locator("[data-projector-turnout]", has_text="0 av 1 har stemt").wait_for()
        phone.get_by_role("button", name="Ja", exact=True).wait_for()
        _joined(phone, f"meeting:{meeting_id}")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Ja", exact=True).click()
        phone.get_by_text("Du har stemt.").wait_for()
        screen.locator("[data-projector-turnout]", has_text="1 av 1 har stemt").wait_for()

        # The chair closes it; the projector shows the result line in words.
        control.get_by_role("button", name="Lukk og tell").click()
        control.get_by_text("Vedtatt med alminnelig flertall").first.wait_for()
        control.wait_for_load_state()
        screen.locator("[data-projector-result]",
                       has_text="Vedtatt med alminnelig flertall av avgitte stemmer: ja 1 av 1"
                       ).wait_for()  # fmt: skip
        phone.get_by_text("Vedtatt med alminnelig flertall").wait_for()
        for page in (control, screen, phone):
            assert page.problems.console_errors == []
    finally:
        member_context.close()
        chair_context.close()
