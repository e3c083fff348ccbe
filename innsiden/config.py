"""Configuration from environment variables, with defaults that need no services at all."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def _secret_key(instance_path: Path) -> str:
    """A stable secret for this instance: from the environment, else generated once on disk."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def load_config(instance_path: Path, env: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Read every setting the portal knows from `env` (see the table in README.md)."""
    base_url = env.get("INNSIDEN_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    return {
        "SECRET_KEY": env.get("INNSIDEN_SECRET_KEY") or _secret_key(instance_path),
        "DATABASE_URL": env.get("DATABASE_URL") or f"sqlite:///{instance_path / 'innsiden.db'}",
        "BASE_URL": base_url,
        "ORGANISATION_NAME": env.get("INNSIDEN_ORGANISATION_NAME", "Organisasjonen"),
        "UPLOADS_DIR": env.get("INNSIDEN_UPLOADS_DIR", str(instance_path / "uploads")),
        "SEARCH_DIR": env.get("INNSIDEN_SEARCH_DIR", str(instance_path / "search")),
        "SEARCH_ENGINE": env.get("INNSIDEN_SEARCH", "whoosh"),  # whoosh | postgres
        "STORAGE_BACKEND": env.get("INNSIDEN_STORAGE", "local"),  # local | s3
        "S3_BUCKET": env.get("INNSIDEN_S3_BUCKET", ""),
        "S3_PREFIX": env.get("INNSIDEN_S3_PREFIX", ""),
        "S3_ENDPOINT_URL": env.get("INNSIDEN_S3_ENDPOINT_URL", ""),
        "S3_REGION": env.get("INNSIDEN_S3_REGION", ""),
        # Empty: boto3's own chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws, a role).
        "S3_ACCESS_KEY_ID": env.get("INNSIDEN_S3_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": env.get("INNSIDEN_S3_SECRET_ACCESS_KEY", ""),
        "OUTBOX_DIR": env.get("INNSIDEN_OUTBOX_DIR", str(instance_path / "outbox")),
        "MAIL_BACKEND": env.get("INNSIDEN_MAIL_BACKEND", "outbox"),  # outbox | smtp
        "MAIL_FROM": env.get("INNSIDEN_MAIL_FROM", "Innsiden <innsiden@localhost>"),
        "SMTP_HOST": env.get("INNSIDEN_SMTP_HOST", "localhost"),
        "SMTP_PORT": int(env.get("INNSIDEN_SMTP_PORT", "587")),
        "SMTP_USER": env.get("INNSIDEN_SMTP_USER", ""),
        "SMTP_PASSWORD": env.get("INNSIDEN_SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": _bool(env.get("INNSIDEN_SMTP_STARTTLS"), True),
        # Immediate notification e-mails one member gets in an hour; the rest wait for the digest.
        "EMAILS_PER_HOUR": int(env.get("INNSIDEN_EMAILS_PER_HOUR", "6")),
        "SMS_BACKEND": env.get("INNSIDEN_SMS_BACKEND", "outbox"),  # outbox | webhook
        "SMS_WEBHOOK_URL": env.get("INNSIDEN_SMS_WEBHOOK_URL", ""),
        "SMS_WEBHOOK_TOKEN": env.get("INNSIDEN_SMS_WEBHOOK_TOKEN", ""),
        "REDIS_URL": env.get("INNSIDEN_REDIS_URL", ""),
        # Reverse proxies in front of the portal whose X-Forwarded-For/-Proto are trusted.
        "TRUSTED_PROXIES": int(env.get("INNSIDEN_TRUSTED_PROXIES", "0")),
        # Processes of one portal share this Redis channel for Socket.IO events.
        "SOCKETIO_CHANNEL": env.get("INNSIDEN_SOCKETIO_CHANNEL", "innsiden-socketio"),
        "REGISTER_WEBHOOK_SECRET": env.get("INNSIDEN_REGISTER_WEBHOOK_SECRET", ""),
        # Requests one personal access token may make (Flask-Limiter strings).
        "API_TOKEN_RATE_LIMIT": env.get("INNSIDEN_API_TOKEN_RATE_LIMIT", "120/minute;5000/hour"),
        # Outgoing webhooks go to https only; this also allows plain http to this very machine
        # (127.0.0.1, ::1, localhost), for tests and development.
        "WEBHOOKS_ALLOW_LOOPBACK_HTTP": _bool(
            env.get("INNSIDEN_WEBHOOKS_ALLOW_LOOPBACK_HTTP"), False
        ),
        "MAX_CONTENT_LENGTH": int(env.get("INNSIDEN_MAX_UPLOAD_MB", "50")) * 1024 * 1024,
        "GROUP_QUOTA_BYTES": int(env.get("INNSIDEN_GROUP_QUOTA_MB", "2000")) * 1024 * 1024,
        "CLAMD_SOCKET": env.get("INNSIDEN_CLAMD_SOCKET", ""),  # empty: no virus scan
        "SESSION_COOKIE_SECURE": _bool(
            env.get("INNSIDEN_SECURE_COOKIES"), base_url.startswith("https://")
        ),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(
            env.get("INNSIDEN_SECURE_COOKIES"), base_url.startswith("https://")
        ),
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Oslo",
        # nb | nn | en | da: the language before a member has chosen one (see i18n.py).
        "DEFAULT_LANGUAGE": env.get("INNSIDEN_DEFAULT_LANGUAGE", "nb"),
        "USE_BROWSER_LANGUAGE": _bool(env.get("INNSIDEN_USE_BROWSER_LANGUAGE"), False),
        "RUN_JOBS_IN_PROCESS": _bool(env.get("INNSIDEN_RUN_JOBS_IN_PROCESS"), False),
    }
