"""Norwegian bokmål by default, English as the second language (Flask-Babel)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, request
from flask_babel import Babel

SUPPORTED_LOCALES = ("nb", "en")
babel = Babel()


def select_locale() -> str:
    if not has_request_context():
        return "nb"  # jobs and e-mails outside a request speak the default language
    chosen = request.cookies.get("sprak")
    if chosen in SUPPORTED_LOCALES:
        return chosen
    return request.accept_languages.best_match(SUPPORTED_LOCALES, default="nb") or "nb"


def init_app(app: Flask) -> None:
    translations = Path(__file__).parent / "translations"
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(translations))
    babel.init_app(app, locale_selector=select_locale)
