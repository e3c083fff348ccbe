"""E-mails, SMS and notifications are written in the recipient's language, whoever sends them:
the login code in a request, notification e-mails, digests and reminders from the job runner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from flask import render_template

from innsiden import events, i18n
from innsiden.db import session_factory
from innsiden.language.service import choose
from innsiden.notifications.models import Notification, NotificationSettings
from innsiden.notifications.registry import DigestItem
from tests.auth_helpers import AuthActions
from tests.conftest import run_jobs
from tests.factories import make_member, make_small_organisation
from tests.groups.helpers import make_interest_group
from tests.i18n.catalogs import LANGUAGES, telltale_phrases

MAIL_TEMPLATES = (
    "auth/code_mail.txt",
    "gatherings/mail/message.txt",
    "gatherings/mail/reminder.txt",
    "notifications/mail/digest.html",
    "notifications/mail/digest.txt",
    "notifications/mail/notification.html",
    "notifications/mail/notification.txt",
)


def _foreign(language: str, text: str) -> list[str]:
    return [
        phrase
        for code in LANGUAGES
        if code != language
        for phrase in telltale_phrases(code)
        if phrase in text
    ]


def _context() -> dict[str, object]:
    start = datetime(2026, 10, 24, 16, 0, tzinfo=UTC)
    gathering = SimpleNamespace(
        id=1, title="Julemøte", starts_at=start, ends_at=start + timedelta(hours=2),
        place="Folkets hus", online_url="https://møte.example.no/1",
    )  # fmt: skip
    member = SimpleNamespace(first_name="Kari", full_name="Kari Nordmann")
    item = DigestItem(1, "Bergen lokallag", "Ny tråd", "/x", "Tekst", start)
    notification = SimpleNamespace(title="Ny tråd", excerpt="Tekst", url="/x")
    return {
        "code": "123456", "link": "https://innsiden.example/x", "minutes": 10,
        "organisation": "Organisasjonen", "gathering": gathering, "member": member,
        "sender": member, "message": SimpleNamespace(body="Hei alle", subject="Møte"),
        "notification": notification, "notifications": [notification],
        "groups": {"Bergen lokallag": [item]}, "base": "https://innsiden.example",
        "unsubscribe_url": "https://innsiden.example/avmeld/x",
        "settings_url": "https://innsiden.example/varsler/innstillinger",
    }  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_mail_and_sms_template_renders_in_one_language(app, language):
    with app.test_request_context("/"), i18n.language(language):
        for template in MAIL_TEMPLATES:
            text = render_template(template, **_context())
            assert _foreign(language, text) == [], template
        # the SMS texts, and a date as each language writes it
        assert i18n.current_language() == language


def test_dates_come_out_as_each_language_writes_them(app):
    from innsiden.gatherings.timefmt import span, when

    start = datetime(2026, 10, 24, 16, 0, tzinfo=UTC)  # 18:00 in Oslo
    expected = {
        "nb": "lørdag 24. oktober 2026 kl. 18:00",
        "nn": "laurdag 24. oktober 2026 kl. 18:00",
        "en": "Saturday 24 October 2026, 18:00",
        "da": "lørdag den 24. oktober 2026 kl. 18.00",
    }
    with app.app_context():
        for code, text in expected.items():
            with i18n.language(code):
                assert when(start) == text
                assert span(start, start + timedelta(hours=2)).endswith(
                    "20.00" if code == "da" else "20:00"
                )


def test_login_code_mail_follows_the_members_saved_language(app, db, client):
    units = make_small_organisation(db)
    kari = make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    choose(db, kari.number, "nn")
    db.commit()
    AuthActions(app, client).request_code("kari@example.no")  # page in bokmål: no cookie
    text = AuthActions(app, client).last_mail_text("kari@example.no")
    assert "Koden gjeld i 10 minutt" in text and _foreign("nn", text) == []


def test_notifications_and_their_mails_follow_each_recipient(app, db, outbox):
    units = make_small_organisation(db)
    admin = make_member(db, units["0001"], first_name="Ola")
    members = {code: make_member(db, units["0001"], first_name=code.upper()) for code in LANGUAGES}
    group = make_interest_group(
        db, "Klima og miljø", "closed", admin=admin, members=list(members.values())
    )
    for code, member in members.items():
        if code != "nb":
            choose(db, member.number, code)
        events.record(
            db, "group.join_decided", group_id=group.id, member_number=member.number, approved=True
        )
    db.commit()
    run_jobs(app, db)
    titles = {
        n.recipient_number: n.title
        for n in db.query(Notification).filter_by(kind="groups.join_decided")
    }
    assert titles[members["nb"].number] == "Du er med i Klima og miljø"
    assert titles[members["nn"].number] == "Du er med i Klima og miljø"
    assert titles[members["en"].number] == "You are now in Klima og miljø"
    assert titles[members["da"].number] == "Du er nu med i Klima og miljø"
    for code, member in members.items():
        (mail,) = outbox.mails(to=member.email)
        body = mail.get_body(("plain",)).get_content()
        assert _foreign(code, body) == [], code


def test_digest_is_written_in_the_members_language(app, db, outbox):
    from innsiden.notifications.delivery import send_digests

    units = make_small_organisation(db)
    member = make_member(db, units["0001"], first_name="Mette")
    choose(db, member.number, "da")
    db.add(NotificationSettings(member_number=member.number, email_mode="digest"))
    db.add(
        Notification(
            recipient_number=member.number, kind="x", title="Ny tråd", url="/", email_state="digest"
        )
    )
    db.commit()
    with app.app_context(), session_factory(app)() as session:
        # tomorrow at 10:00 in Oslo: past the digest's daily hour
        send_digests(session, now=datetime.now(UTC).replace(hour=9, minute=0) + timedelta(days=1))
        session.commit()
    (mail,) = outbox.mails(to=member.email)
    assert mail["Subject"] == "Nyt på Innsiden – Organisasjonen"
    body = mail.get_body(("plain",)).get_content()
    assert "Det her er sket på Innsiden" in body and _foreign("da", body) == []
