"""What a member's browser does against the deployed portal: the one-time-code login, forms
with their CSRF token, and a Socket.IO connection through nginx. Shared by tests/deploy and
bench/loadtest.py."""

from __future__ import annotations

import re
from pathlib import Path

import requests
import socketio

from tests.conftest import Outbox
from tests.deploy.topology import tls_socket
from tests.realtime.processes import wait_until

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
CODE = re.compile(r"\b(\d{6})\b")


def form_token(session: requests.Session, url: str) -> str:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    match = CSRF.search(page.text)
    assert match, f"no CSRF token in {url}"
    return match.group(1)


def submit(
    session: requests.Session, url: str, data: dict[str, str], page: str | None = None
) -> requests.Response:
    """GET the page with the form (`page`, else `url`) and POST it to `url` with its token,
    as a browser does (with its Referer: Flask-WTF checks it strictly over HTTPS)."""
    token = form_token(session, page or url)
    return session.post(
        url, data={**data, "csrf_token": token}, headers={"Referer": page or url},
        allow_redirects=False, timeout=30,
    )  # fmt: skip


def log_in(session: requests.Session, base: str, email: str, outbox: Path) -> requests.Response:
    """The one-time-code flow: ask for a code, read it from the outbox, type it."""
    mails = Outbox(outbox)
    before = len(mails.mails(to=email))
    asked = submit(session, f"{base}/logg-inn", {"identifier": email})
    assert asked.status_code == 302, asked.text
    wait_until(lambda: len(mails.mails(to=email)) > before, 30, f"the code mail to {email}")
    text = mails.mails(to=email)[-1].get_body(preferencelist=("plain",)).get_content()
    code = CODE.search(text)
    assert code, "the e-mail holds no six-digit code"
    entered = submit(session, f"{base}/logg-inn/kode", {"code": code.group(1)})
    assert entered.status_code == 302, entered.text
    assert not entered.headers["Location"].endswith("/logg-inn"), "the code was refused"
    return entered


def live_client(
    session: requests.Session, base: str, ca_file: Path, source: str
) -> socketio.Client:
    """A Socket.IO client through nginx with the session's cookie, from `source`: polling
    first, then the WebSocket upgrade, as the portal's page script does."""
    client = socketio.Client(
        reconnection=False,
        http_session=session,
        websocket_extra_options={"socket": tls_socket(base, ca_file, source)},
    )
    return client
