"""Every page is found from the header menu: a member, a lokallag leader and a portal
administrator each click through every entry their menu shows, on a desktop and on a phone
(where the menu sits behind its button), and no phone page scrolls sideways."""

from __future__ import annotations

import pytest

from innsiden.db import session_factory
from innsiden.groups.anchors import location_group_ids
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
EVERYONE = ["home", "groups.mine", "groups.directory", "gatherings", "polls", "profile"]


def _log_in(page, app, member, live_server) -> None:
    client = app.test_client()
    login_as(client, member)
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server}])


def _open_menu(page, phone: bool) -> None:
    if phone:
        toggle = page.locator("[data-menu-toggle]")
        assert toggle.is_visible()
        assert not page.locator(".main-nav").is_visible()  # folded away on a phone
        toggle.click()
    assert page.locator(".main-nav").is_visible()


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{page.url} is {width[0]} px wide on a {width[1]} px screen"


def _walk(page, phone: bool) -> list[str]:
    """Click every header-menu entry in turn (and the bell), as a member would; return keys."""
    page.goto("/")
    _open_menu(page, phone)
    keys = page.locator(".main-nav [data-menu-key]").evaluate_all(
        "links => links.map(a => a.dataset.menuKey)"
    )
    for key in keys:
        page.goto("/")
        _open_menu(page, phone)
        with page.expect_navigation():
            page.locator(f'.main-nav [data-menu-key="{key}"]').click()
        assert page.locator("main h1").first.is_visible(), key
        current = page.locator(f'.main-nav [data-menu-key="{key}"]')
        assert current.get_attribute("aria-current") == "page", key
        if phone:
            _no_sideways_scroll(page)
    with page.expect_navigation():
        page.locator("a.bell").click()
    assert page.url.endswith("/varsler")
    if phone:
        _no_sideways_scroll(page)
    return keys


@pytest.fixture
def people(app, db):
    units = make_small_organisation(db)
    member = make_member(db, units["0001"], first_name="Mia", last_name="Medlem")
    leader = make_member(db, units["0001"], first_name="Kari", roles=["lokallagsleder@0001"])
    admin = make_member(db, units["0301"], first_name="Ola", roles=["sentraladmin@S"])
    db.commit()
    with session_factory(app)() as session:
        location_group_ids(session, ["0001", "0301", "F01", "F02"])
        session.commit()
    return {"member": member, "leader": leader, "admin": admin}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", ["member", "leader", "admin"])
def test_every_menu_page_is_reachable_by_clicking(
    browser, app, live_server, people, role, viewport
):
    context = browser.new_context(base_url=live_server, locale="nb-NO", viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        _log_in(page, app, people[role], live_server)
        keys = _walk(page, phone=viewport is PHONE)
        assert set(EVERYONE) <= set(keys)
        assert ("admin" in keys) == (role == "admin")
        if role == "admin":
            # The administration's own pages, the audit log among them, one click further.
            for name in ("Revisjonslogg", "Sperrede medlemmer", "Personvern"):
                page.goto("/")
                _open_menu(page, viewport is PHONE)
                page.locator('.main-nav [data-menu-key="admin"]').click()
                with page.expect_navigation():
                    page.get_by_role("link", name=name, exact=True).click()
                assert page.get_by_role("heading", level=1).is_visible()
                if viewport is PHONE:
                    _no_sideways_scroll(page)
        if viewport is PHONE:
            page.goto("/arrangementer/?visning=maned")
            _no_sideways_scroll(page)  # the month calendar fits the phone
        assert errors == []
    finally:
        context.close()
