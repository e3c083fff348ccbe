"""Four languages (bokmål, nynorsk, English, Danish) through Flask-Babel, one per member.

Which language a page speaks, in order:
1. the logged-in member's saved choice (table `member_language`, read once per login session);
2. the `sprak` cookie a visitor set with the language switch (login page, footer);
3. the browser's Accept-Language, only if INNSIDEN_USE_BROWSER_LANGUAGE is on;
4. the organisation's default, INNSIDEN_DEFAULT_LANGUAGE (bokmål unless set).

Outside a request (jobs sending e-mail, SMS and digests) the default language is used unless the
sender wraps the rendering in `member_locale(session, number)`, which every job does per
recipient. Bokmål is the source language: its catalog is the identity.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol
from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_babel import Babel, force_locale, get_locale, get_translations
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

SOURCE_LOCALE = "nb"
SUPPORTED_LOCALES = ("nb", "nn", "en", "da")
# Each language named in itself, so a member finds their own in a list they may not read.
LANGUAGE_NAMES = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English", "da": "Dansk"}
COOKIE = "sprak"
COOKIE_MAX_AGE = 60 * 60 * 24 * 365
SESSION_KEY = "sprak"  # (member number, language) cached for the login session
TIMEZONE = "Europe/Oslo"
CATALOGS = Path(__file__).parent / "translations"

babel = Babel()


# Date and time patterns per language (CLDR syntax): what each language's readers expect,
# e.g. "lørdag 24. oktober 2026 kl. 18:00", "Saturday 24 October 2026, 18:00",
# "lørdag den 24. oktober 2026 kl. 18.00".
DATE_PATTERNS: dict[str, dict[str, str]] = {
    "nb": {
        "when": "EEEE d. MMMM y 'kl.' HH:mm",
        "day": "EEE d. MMM",
        "date_long": "EEEE d. MMMM y",
        "date": "dd.MM.y",
        "clock": "HH:mm",
        "stamp": "dd.MM.y, HH:mm",
    },
    "nn": {
        "when": "EEEE d. MMMM y 'kl.' HH:mm",
        "day": "EEE d. MMM",
        "date_long": "EEEE d. MMMM y",
        "date": "dd.MM.y",
        "clock": "HH:mm",
        "stamp": "dd.MM.y, HH:mm",
    },
    "en": {
        "when": "EEEE d MMMM y, HH:mm",
        "day": "EEE d MMM",
        "date_long": "EEEE d MMMM y",
        "date": "d MMM y",
        "clock": "HH:mm",
        "stamp": "d MMM y, HH:mm",
    },
    "da": {
        "when": "EEEE 'den' d. MMMM y 'kl.' HH.mm",
        "day": "EEE d. MMM",
        "date_long": "EEEE 'den' d. MMMM y",
        "date": "dd.MM.y",
        "clock": "HH.mm",
        "stamp": "dd.MM.y, HH.mm",
    },
}


def normalise(code: str | None) -> str | None:
    """A supported language code from a cookie, form or header value; None otherwise."""
    if not code:
        return None
    code = code.strip().lower().replace("_", "-").split("-")[0]
    if code == "no":  # the macro language: Norwegian without saying which, read as bokmål
        code = "nb"
    return code if code in SUPPORTED_LOCALES else None


def default_language() -> str:
    return normalise(current_app.config.get("DEFAULT_LANGUAGE")) or SOURCE_LOCALE


def current_language() -> str:
    """The language being rendered right now (request, forced for a job, or the default)."""
    locale = get_locale()
    return (normalise(str(locale)) if locale is not None else None) or default_language()


def date_pattern(kind: str) -> str:
    return DATE_PATTERNS[current_language()][kind]


def _member_choice() -> str | None:
    """The logged-in member's saved language, read from the database once per login session."""
    from innsiden.web import current_member  # late: web imports the login machinery

    member = current_member()
    if member is None:
        return None
    cached = session.get(SESSION_KEY)
    if isinstance(cached, list) and len(cached) == 2 and cached[0] == member.number:
        return normalise(cached[1])
    from innsiden.db import get_session
    from innsiden.language.service import saved_language

    chosen = saved_language(get_session(), member.number)
    session[SESSION_KEY] = [member.number, chosen]
    if chosen and request.cookies.get(COOKIE) != chosen:
        # After logging out, the login page keeps speaking the member's language.
        g.language_cookie = chosen
    return chosen


def select_locale() -> str:
    if not has_request_context():
        return default_language()
    try:
        saved = _member_choice()
    except SQLAlchemyError:
        # An error page after a failed transaction must still render: fall back to the cookie.
        log.warning("could not read the member's language; using the cookie or default")
        saved = None
    chosen = saved or normalise(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    if current_app.config.get("USE_BROWSER_LANGUAGE"):
        best = request.accept_languages.best_match([*SUPPORTED_LOCALES, "no"], default=None)
        if normalise(best):
            return normalise(best) or default_language()
    return default_language()


def remember_choice(response: Response, language: str) -> None:
    """Set the visitor's language cookie (the switch, and after logging in)."""
    response.set_cookie(
        COOKIE,
        language,
        max_age=COOKIE_MAX_AGE,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def forget_member_cache() -> None:
    session.pop(SESSION_KEY, None)


@contextmanager
def member_locale(db: Session, member_number: int | None) -> Iterator[str]:
    """Render what is inside in the member's language (their choice, else the default).

    For jobs: e-mails, SMS, digests and notification texts follow the recipient, not the
    process that happens to send them."""
    from innsiden.language.service import saved_language

    language = (saved_language(db, member_number) if member_number else None) or (
        default_language()
    )
    with force_locale(language):
        yield language


@contextmanager
def language(code: str) -> Iterator[str]:
    """Render what is inside in `code` (already looked up, e.g. for many recipients at once)."""
    with force_locale(normalise(code) or default_language()):
        yield code


def html_lang() -> str:
    return current_language()


def decimal_sign() -> str:
    """ "," or "." as the page's language writes it (for numbers the JavaScript updates)."""
    return get_decimal_symbol(current_language())


def _format_helpers() -> dict[str, object]:
    return {
        "html_lang": html_lang,
        "decimal_sign": decimal_sign,
        "language_names": LANGUAGE_NAMES,
        "supported_languages": SUPPORTED_LOCALES,
    }


# --- compiled catalogs ------------------------------------------------------------------


def _stale(po: Path, mo: Path) -> bool:
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """Compile every <lang>/LC_MESSAGES/messages.po under `source` into .mo files under
    `target` (the same folder in a checkout; the build folder when a wheel is made).
    Fuzzy entries are left out, as gettext would."""
    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if source == target and not _stale(po, mo):
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        mo.parent.mkdir(parents=True, exist_ok=True)
        tmp = mo.with_suffix(f".mo.{os.getpid()}.tmp")  # parallel test workers compile too
        with tmp.open("wb") as handle:
            write_mo(handle, catalog)
        tmp.replace(mo)
        written.append(mo)
    return written


def _translation_directory(app: Flask) -> str:
    """Where compiled catalogs are: beside the .po files, compiled on first use in a checkout
    (`make run`, `make test`); an installed wheel ships them compiled by setup.py. Where the
    package folder is read-only, compile into the instance folder instead."""
    try:
        compile_catalogs(CATALOGS, CATALOGS)
        return str(CATALOGS)
    except OSError:
        target = Path(app.instance_path) / "translations"
        compile_catalogs(CATALOGS, target)
        return str(target)


def _translations() -> object:
    """Flask-Babel's translations for the locale being rendered, looked up once per request
    (or app context) and locale: templates ask for them at every `_()`, and a thread page or
    listing has a hundred. Keyed by the locale object, so `force_locale` still switches."""
    locale = get_locale()
    memo = g.get("_innsiden_translations")
    if memo is None or memo[0] is not locale:
        memo = g._innsiden_translations = (locale, get_translations())
    return memo[1]


def _install_template_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: _translations().ugettext(s),  # type: ignore[attr-defined]
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),  # type: ignore[attr-defined]
        pgettext=lambda c, s: _translations().upgettext(c, s),  # type: ignore[attr-defined]
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),  # type: ignore[attr-defined]
        newstyle=True,
    )


def _after_request(response: Response) -> Response:
    chosen = g.pop("language_cookie", None)
    if chosen:
        remember_choice(response, chosen)
    return response


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", SOURCE_LOCALE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", TIMEZONE)
    app.config.setdefault("DEFAULT_LANGUAGE", SOURCE_LOCALE)
    app.config.setdefault("USE_BROWSER_LANGUAGE", False)
    if "BABEL_TRANSLATION_DIRECTORIES" not in app.config:
        app.config["BABEL_TRANSLATION_DIRECTORIES"] = _translation_directory(app)
    babel.init_app(app, locale_selector=select_locale)
    _install_template_gettext(app)
    app.context_processor(_format_helpers)
    app.after_request(_after_request)
