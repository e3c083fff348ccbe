"""Two members vote in their own browsers; the live summary each sees equals a reload — a tie
is shown as a tie at once, not as a winner until the page is reloaded."""

from __future__ import annotations

import pytest

from tests.conftest import login_as
from tests.polls import conftest as polls_conftest
from tests.polls.conftest import create_poll

pytestmark = pytest.mark.browser
bergen = polls_conftest.bergen  # the polls' fixture: Bergen lokallag's group and members


def _context(browser, app, live_server, member):
    context = browser.new_context(base_url=live_server, locale="nb-NO")
    client = app.test_client()
    login_as(client, member)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])
    return context, context.new_page()


def _joined(page, room: str) -> None:
    """Wait until the page follows `room` live (its join was answered by the server)."""
    page.wait_for_function(
        "room => (document.documentElement.dataset.liveJoined || '').split(' ').includes(room)",
        arg=room,
    )


def _summary(page) -> str:
    return page.locator("[data-poll-results-section]").inner_text()


def test_live_summary_equals_the_reloaded_one(browser, app, live_server, bergen):
    poll_id = create_poll(app, bergen.leader, bergen.group_id, results_shown="live",
                          secret=False)  # fmt: skip
    first, one = _context(browser, app, live_server, bergen.members[0])
    second, two = _context(browser, app, live_server, bergen.members[1])
    try:
        for page in (one, two):
            page.goto(f"/avstemninger/{poll_id}")
        # Wait until both pages hold their live connection before anyone votes.
        room = f"poll-results:{poll_id}"
        for page in (one, two):
            _joined(page, room)
        one.get_by_label("Ja", exact=True).check()
        with one.expect_navigation():
            one.get_by_role("button", name="Stem").click()
        _joined(one, room)
        # The other page learns of the vote live: one vote, Ja leads.
        two.locator("[data-poll-outcome]", has_text="Ja").wait_for()
        two.get_by_label("Nei", exact=True).check()
        with two.expect_navigation():
            two.get_by_role("button", name="Stem").click()
        _joined(two, room)
        # Now a tie, pushed to the first page without a reload.
        one.locator("[data-poll-outcome]", has_text="Uavgjort").wait_for()
        live = _summary(one)
        one.reload()
        assert _summary(one) == live
        assert "Uavgjort mellom Ja, Nei" in live
        _joined(one, room)  # let the reloaded page's join finish before the browser closes
    finally:
        first.close()
        second.close()
