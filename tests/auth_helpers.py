"""Log a test client in the way a member does: type an address, read the code, type it.

auth = AuthActions(app, client)
auth.login(member)                      # e-mail code, lands on the front page
auth.login(member, via="sms")           # SMS code to the member's mobile
"""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from membersync.models import Member
from tests.conftest import Outbox

CODE = re.compile(r"\b(\d{6})\b")
LINK = re.compile(r"(/logg-inn/lenke/[A-Za-z0-9_\-]+)")


class AuthActions:
    """Drives the real login pages of one test client, reading codes from the outbox."""

    def __init__(self, app: Flask, client: FlaskClient) -> None:
        self.app = app
        self.client = client
        self.outbox = Outbox(Path(app.config["OUTBOX_DIR"]))

    def request_code(self, identifier: str, remember: bool = False) -> TestResponse:
        form = {"identifier": identifier}
        if remember:
            form["remember"] = "ja"
        return self.client.post("/logg-inn", data=form)

    def enter_code(self, code: str) -> TestResponse:
        return self.client.post("/logg-inn/kode", data={"code": code})

    def last_mail_text(self, to: str) -> str:
        mails = self.outbox.mails(to=to)
        assert mails, f"no e-mail was sent to {to}"
        return mails[-1].get_body(preferencelist=("plain",)).get_content()

    def code_from_mail(self, to: str) -> str:
        match = CODE.search(self.last_mail_text(to))
        assert match, "the e-mail holds no six-digit code"
        return match.group(1)

    def link_from_mail(self, to: str) -> str:
        match = LINK.search(self.last_mail_text(to))
        assert match, "the e-mail holds no login link"
        return match.group(1)

    def code_from_sms(self, to: str) -> str:
        messages = self.outbox.sms(to=to)
        assert messages, f"no SMS was sent to {to}"
        match = CODE.search(messages[-1]["text"])
        assert match, "the SMS holds no six-digit code"
        return match.group(1)

    def login(self, member: Member, via: str = "email", remember: bool = False) -> TestResponse:
        """Log `member` in through the code flow; returns the response after the code."""
        if via == "sms":
            assert member.mobile, "the member has no mobile number"
            self.request_code(member.mobile, remember)
            code = self.code_from_sms(member.mobile)
        else:
            assert member.email, "the member has no e-mail address"
            self.request_code(member.email, remember)
            code = self.code_from_mail(member.email)
        response = self.enter_code(code)
        assert response.status_code == 302, response.text
        if response.location.endswith("/logg-inn/hvem"):  # a shared e-mail address
            response = self.client.post("/logg-inn/hvem", data={"member": str(member.number)})
            assert response.status_code == 302, response.text
        return response

    def logout(self) -> TestResponse:
        return self.client.post("/logg-ut")
