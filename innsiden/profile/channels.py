"""How a change request reaches the member register: one interface, two channels.

- `email`: a plain e-mail to the member service (`MEMBER_SERVICE_EMAIL`); in development the
  mail backend writes it to the outbox folder.
- `api`: `POST {REGISTER_API_URL}/change-requests` with a JSON body, signed like the
  register's own webhook: `X-Register-Timestamp` and `X-Register-Signature: sha256=<hex>`,
  HMAC-SHA256 under `REGISTER_API_SECRET` of the timestamp, a dot and the raw body.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from typing import Any, Protocol

from innsiden.mail import Mail, send_mail
from innsiden.profile.models import ChangeRequest
from innsiden.profile.settings import setting
from membersync.models import Member

TIMEOUT_SECONDS = 15


class ChannelFailed(Exception):
    """The register did not take the request; the reason is kept with it (no personal data)."""


class RegisterChannel(Protocol):
    name: str

    def send(self, request: ChangeRequest, member: Member) -> None: ...


def payload(request: ChangeRequest, member: Member) -> dict[str, Any]:
    """What the register is told: who asks, what, and the portal's id to answer by."""
    return {
        "request_id": request.id,
        "medlemsnummer": str(member.number),
        "kind": request.kind,
        "fields": dict(request.fields),
        "message": request.message,
        "created_at": request.created_at.isoformat(),
    }


class EmailChannel:
    name = "email"

    def send(self, request: ChangeRequest, member: Member) -> None:
        data = payload(request, member)
        lines = [
            f"Endringsønske nr. {request.id} fra medlem {member.number} ({member.full_name}).",
            f"Type: {request.kind}",
            *(f"{field}: {value}" for field, value in data["fields"].items()),
        ]
        if request.message:
            lines += ["", "Melding fra medlemmet:", request.message]
        lines += ["", "Maskinlesbart:", json.dumps(data, ensure_ascii=False)]
        send_mail(
            Mail(
                to=setting("MEMBER_SERVICE_EMAIL"),
                subject=f"Endringsønske fra medlem {member.number} ({request.kind})",
                text="\n".join(lines),
            )
        )


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class ApiChannel:
    name = "api"

    def __init__(self, base_url: str, secret: str) -> None:
        self.url = base_url.rstrip("/") + "/change-requests"
        self.secret = secret

    def send(self, request: ChangeRequest, member: Member) -> None:
        body = json.dumps(payload(request, member), ensure_ascii=False).encode()
        timestamp = str(int(time.time()))
        if not self.url.startswith(("http://", "https://")):
            raise ChannelFailed("registerets adresse er ikke http(s)")
        http_request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "X-Register-Timestamp": timestamp,
                "X-Register-Signature": sign(self.secret, timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(http_request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
                if not 200 <= answer.status < 300:
                    raise ChannelFailed(f"registeret svarte {answer.status}")
        except urllib.error.HTTPError as error:
            raise ChannelFailed(f"registeret svarte {error.code}") from error
        except (urllib.error.URLError, OSError) as error:
            raise ChannelFailed("registeret kunne ikke nås") from error


def configured_channel() -> RegisterChannel:
    if setting("REGISTER_CHANGE_CHANNEL") == "api":
        return ApiChannel(setting("REGISTER_API_URL"), setting("REGISTER_API_SECRET"))
    return EmailChannel()
