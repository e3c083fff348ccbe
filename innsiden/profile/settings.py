"""The profile's settings, read from the environment when the capability is wired in.

Kept here rather than in `innsiden.config` so the capability carries its own defaults;
a test (or `create_app(test_config)`) that sets a key first wins.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app

DEFAULTS_FROM_ENV: dict[str, tuple[str, str]] = {
    # setting: (environment variable, default)
    "RETENTION_DAYS": ("INNSIDEN_RETENTION_DAYS", "90"),
    "EXPORT_DAYS": ("INNSIDEN_EXPORT_DAYS", "7"),
    "REGISTER_CHANGE_CHANNEL": ("INNSIDEN_REGISTER_CHANGE_CHANNEL", "email"),  # email | api
    "MEMBER_SERVICE_EMAIL": ("INNSIDEN_MEMBER_SERVICE_EMAIL", "medlemsservice@localhost"),
    "REGISTER_API_URL": ("INNSIDEN_REGISTER_API_URL", ""),
    "REGISTER_API_SECRET": ("INNSIDEN_REGISTER_API_SECRET", ""),
}
_INTEGERS = {"RETENTION_DAYS", "EXPORT_DAYS"}


def init_app(app: Flask, env: Mapping[str, str] = os.environ) -> None:
    for key, (variable, default) in DEFAULTS_FROM_ENV.items():
        value: Any = env.get(variable) or default
        app.config.setdefault(key, int(value) if key in _INTEGERS else value)


def setting(key: str) -> Any:
    return current_app.config[key]
