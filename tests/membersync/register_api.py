"""A small stand-in for the register's HTTP API, served on 127.0.0.1 for the tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from membersync.demo_register import DemoRegister

TOKEN = "registerets-token"


class RegisterApi:
    """Serves `register` as `/api/org-units` and paged `/api/members`, with faults on demand."""

    def __init__(self, register: DemoRegister, page_size: int = 25) -> None:
        self.register = register
        self.page_size = page_size
        self.fail_next: list[int] = []  # statuses to answer the next /members requests with
        self.broken_page: int | None = None  # this page always answers with broken JSON
        self.requests: list[str] = []

    def org_units(self) -> list[dict[str, Any]]:
        return [dict(u) for u in self.register.units]

    def members_page(self, cursor: str | None, updated_since: str | None) -> dict[str, Any]:
        rows = self.register.members
        if updated_since:
            since = datetime.fromisoformat(updated_since)
            rows = [r for r in rows if datetime.fromisoformat(r["endret"]) > since]
        start = int(cursor or 0)
        page = rows[start : start + self.page_size]
        following = start + self.page_size
        return {
            "members": [_as_json(r) for r in page],
            "next_cursor": str(following) if following < len(rows) else None,
        }


def _as_json(row: dict[str, str]) -> dict[str, Any]:
    # What a JSON API would naturally send: numbers as numbers, nulls, lists.
    item: dict[str, Any] = {k: (v or None) for k, v in row.items()}
    item["medlemsnummer"] = int(row["medlemsnummer"])
    item["verv"] = [v for v in row["verv"].split("|") if v]
    return item


def _handler(api: RegisterApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlparse(self.path)
            api.requests.append(self.path)
            if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                self._send(401, {"error": "unauthorized"})
                return
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/api/org-units":
                self._send(200, api.org_units())
            elif url.path == "/api/members":
                self._members(query)
            else:
                self._send(404, {"error": "not found"})

        def _members(self, query: dict[str, str]) -> None:
            if api.fail_next:
                self._send(api.fail_next.pop(0), {"error": "try again"})
                return
            page_number = int(query.get("cursor") or 0) // api.page_size + 1
            if page_number == api.broken_page:
                self._send_raw(200, b'{"members": [{"medlemsnummer": 1')
                return
            self._send(200, api.members_page(query.get("cursor"), query.get("updated_since")))

        def _send(self, status: int, body: Any) -> None:
            self._send_raw(status, json.dumps(body).encode())

        def _send_raw(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args: Any) -> None:
            pass

    return Handler


@contextmanager
def serve(api: RegisterApi) -> Iterator[str]:
    """The API's base URL while the server runs."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
