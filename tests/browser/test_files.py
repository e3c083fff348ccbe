"""A group's file area in a real browser: no console errors or CSP violations, thumbnails
shown, and files dropped onto the upload form are uploaded."""

from __future__ import annotations

import base64

import pytest

from tests.files.helpers import PDF, client_for, make_org, png, uploaded_id

pytestmark = pytest.mark.browser


def log_in(page, app, member, live_server):
    from innsiden.auth.session import credential_id

    cookie = app.session_interface.get_signing_serializer(app).dumps(
        {"_user_id": credential_id(member), "_fresh": True}
    )
    page.context.add_cookies([{"name": "session", "value": cookie, "url": live_server}])


def test_files_are_dropped_onto_the_form_and_shown_cleanly(page, app, db, live_server):
    org = make_org(db)
    uploaded_id(client_for(app, org.member), org.bergen, "Stand.png", png(800, 600))
    log_in(page, app, org.member, live_server)

    page.goto(f"/grupper/{org.bergen}/filer")
    thumb = page.get_by_role("listitem").filter(has_text="Stand.png").locator("img")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    assert page.locator(".drop-zone").is_visible()  # files.js ran

    # A drop as a browser delivers it: a DataTransfer with a file in it.
    page.evaluate(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
            const form = document.querySelector("form[data-file-drop]");
            form.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true}));
        }""",
        ["Dagsorden.pdf", base64.b64encode(PDF).decode()],
    )
    assert page.locator(".drop-zone").inner_text() == "Dagsorden.pdf"
    page.get_by_role("button", name="Last opp").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("1 fil er lastet opp.").is_visible()
    assert page.get_by_role("link", name="Dagsorden.pdf", exact=True).is_visible()
    assert page.problems.console_errors == []
