"""Searching in a real browser: log in with a code, type a word in the header's search box,
see the hit highlighted, with no console errors or CSP violations on the way."""

from __future__ import annotations

import pytest

from tests.auth_helpers import AuthActions
from tests.conftest import run_jobs
from tests.discussions.conftest import start_thread
from tests.groups.helpers import client_for
from tests.search.conftest import World, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.browser


def test_a_member_searches_from_the_header_and_sees_the_hit(
    page,
    app,
    db,
    live_server,
    world: World,  # noqa: F811 - the imported fixture
) -> None:
    start_thread(
        client_for(app, world.kari), world.bergen, title="Vindkraft på Stord",
        body="Høringssvaret om vindkraft er klart.",
    )  # fmt: skip
    run_jobs(app, db)

    page.goto("/logg-inn")
    page.get_by_label("E-post, mobilnummer eller medlemsnummer").fill(world.anne.email)
    page.get_by_role("button", name="Send kode").click()
    page.wait_for_url("**/logg-inn/kode")
    page.get_by_label("Kode", exact=True).fill(
        AuthActions(app, app.test_client()).code_from_mail(world.anne.email)
    )
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(f"{live_server}/")

    box = page.get_by_role("search").first.get_by_label("Søk i Innsiden")
    box.fill("vindkraft")
    box.press("Enter")
    page.wait_for_url("**/sok?q=vindkraft")
    hit = page.get_by_role("link", name="Vindkraft på Stord")
    assert hit.is_visible()
    assert page.locator(".search-excerpt mark").first.inner_text().lower() == "vindkraft"
    assert page.get_by_role("heading", name="1 treff på «vindkraft»").is_visible()
    page.wait_for_load_state("networkidle")
    assert page.problems.console_errors == []
