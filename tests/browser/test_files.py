"""A group's file area in a real browser: no console errors or CSP violations, thumbnails
shown, files dropped onto the upload form are uploaded with a progress bar each, and the
group's storage meter follows."""

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
    assert page.locator("meter#group-quota").is_visible()  # the group's storage use
    used_before = int(page.locator("meter#group-quota").get_attribute("data-quota-used"))
    page.get_by_role("button", name="Last opp").click()
    # Sent by XHR with a bar per file; the answer replaces the page's content.
    page.get_by_text("1 fil er lastet opp.").wait_for()
    used_after = int(page.locator("meter#group-quota").get_attribute("data-quota-used"))
    assert used_after == used_before + len(PDF)
    assert page.get_by_role("link", name="Dagsorden.pdf", exact=True).is_visible()
    assert page.problems.console_errors == []


def test_each_file_gets_its_own_progress_bar(page, app, db, live_server):
    org = make_org(db)
    log_in(page, app, org.member, live_server)
    page.goto(f"/grupper/{org.bergen}/filer")
    # Hold the answer back until the bars have been seen (the upload itself is instant here).
    release = []
    page.route("**/last-opp", lambda route: release.append(route))
    page.set_input_files("#f-file", [
        {"name": "Referat.pdf", "mimeType": "application/pdf", "buffer": PDF},
        {"name": "Budsjett.pdf", "mimeType": "application/pdf", "buffer": PDF},
    ])  # fmt: skip
    with page.expect_request("**/last-opp"):
        page.get_by_role("button", name="Last opp").click()
    bars = page.locator("[data-upload-progress] progress")
    bars.nth(1).wait_for()
    assert [bars.nth(i).get_attribute("aria-label") for i in range(2)] == [
        "Referat.pdf",
        "Budsjett.pdf",
    ]
    release[0].continue_()
    page.get_by_text("2 filer er lastet opp.").wait_for()
    assert page.get_by_role("link", name="Budsjett.pdf", exact=True).is_visible()
    assert page.problems.console_errors == []
