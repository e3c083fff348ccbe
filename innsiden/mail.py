"""Sending e-mail and SMS: to an outbox folder by default, SMTP / an SMS gateway in production."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    html: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sms:
    to: str  # E.164
    text: str


class MailBackend(Protocol):
    def send(self, mail: Mail) -> None: ...


class SmsBackend(Protocol):
    def send(self, sms: Sms) -> None: ...


def _outbox_name(suffix: str) -> str:
    # Sortable by time, unique across processes.
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}{suffix}"


def build_message(mail: Mail, sender: str) -> EmailMessage:
    """The RFC 5322 message for `mail`: a text part, and an HTML alternative when given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="innsiden")
    for name, value in mail.headers.items():
        message[name] = value
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    return message


class OutboxMailBackend:
    """Writes each e-mail as an .eml file, for development, the demo and tests."""

    def __init__(self, directory: Path, sender: str) -> None:
        self.directory = directory
        self.sender = sender

    def send(self, mail: Mail) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / _outbox_name(".eml")
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(bytes(build_message(mail, self.sender)))
        tmp.rename(path)  # readers never see half a message


class SmtpMailBackend:
    def __init__(
        self, host: str, port: int, user: str, password: str, starttls: bool, sender: str
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.sender = starttls, sender

    def send(self, mail: Mail) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=30) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password)
            smtp.send_message(build_message(mail, self.sender))


class OutboxSmsBackend:
    """Writes each SMS as a small JSON file beside the e-mails."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def send(self, sms: Sms) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / _outbox_name(".sms.json")
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"to": sms.to, "text": sms.text}, ensure_ascii=False))
        tmp.rename(path)


class WebhookSmsBackend:
    """Posts {"to", "text"} as JSON to an SMS gateway with a bearer token."""

    def __init__(self, url: str, token: str) -> None:
        self.url, self.token = url, token

    def send(self, sms: Sms) -> None:
        body = json.dumps({"to": sms.to, "text": sms.text}).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the operator's configured gateway.
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - same.
            response.read()


def init_app(app: Flask) -> None:
    config = app.config
    outbox = Path(config["OUTBOX_DIR"])
    if config["MAIL_BACKEND"] == "smtp":
        mail: MailBackend = SmtpMailBackend(
            config["SMTP_HOST"],
            config["SMTP_PORT"],
            config["SMTP_USER"],
            config["SMTP_PASSWORD"],
            config["SMTP_STARTTLS"],
            config["MAIL_FROM"],
        )
    else:
        mail = OutboxMailBackend(outbox, config["MAIL_FROM"])
    if config["SMS_BACKEND"] == "webhook":
        sms: SmsBackend = WebhookSmsBackend(config["SMS_WEBHOOK_URL"], config["SMS_WEBHOOK_TOKEN"])
    else:
        sms = OutboxSmsBackend(outbox)
    app.extensions["innsiden.mail"] = mail
    app.extensions["innsiden.sms"] = sms


def send_mail(mail: Mail) -> None:
    current_app.extensions["innsiden.mail"].send(mail)


def send_sms(sms: Sms) -> None:
    current_app.extensions["innsiden.sms"].send(sms)
