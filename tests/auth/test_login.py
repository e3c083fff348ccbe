"""A member logs in with a one-time code sent by e-mail or SMS; the code is strict."""

import re
import threading
from datetime import timedelta

from sqlalchemy import select, update

from innsiden.audit import AuditEntry
from innsiden.auth.models import LoginCode
from membersync.db import utcnow
from tests.factories import make_member


def test_login_by_email_code(client, db, units, auth, outbox):
    make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    db.commit()
    response = auth.request_code("Kari@Example.no")
    assert response.status_code == 302
    assert response.location.endswith("/logg-inn/kode")
    page = client.get("/logg-inn/kode")
    assert "sekssifret kode" in page.text
    assert 'inputmode="numeric"' in page.text and 'autocomplete="one-time-code"' in page.text
    code = auth.code_from_mail("kari@example.no")
    response = auth.enter_code(code)
    assert response.status_code == 302
    assert response.location == "/"
    assert "Hei, Kari!" in client.get("/").text
    assert len(outbox.mails()) == 1


def test_login_by_sms_code(client, db, units, auth, outbox):
    member = make_member(db, units["0001"], first_name="Ola", mobile="+4791234567")
    db.commit()
    auth.request_code("+47 912 34 567")
    message = outbox.sms(to="+4791234567")
    assert len(message) == 1
    code = auth.code_from_sms(member.mobile)
    assert auth.enter_code(code).location == "/"
    assert "Hei, Ola!" in client.get("/").text
    assert outbox.mails() == []


def test_member_number_sends_to_email_else_sms(app, db, units, outbox):
    with_email = make_member(db, units["0001"], email="per@example.no", mobile="+4790000001")
    without_email = make_member(db, units["0001"], email="", mobile="+4790000002")
    db.commit()
    from tests.auth_helpers import AuthActions

    AuthActions(app, app.test_client()).request_code(str(with_email.number))
    AuthActions(app, app.test_client()).request_code(str(without_email.number))
    assert [m["To"] for m in outbox.mails()] == ["per@example.no"]
    assert [s["to"] for s in outbox.sms()] == ["+4790000002"]


def test_code_is_stored_only_as_a_hash(db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)
    code = auth.code_from_mail(member.email)
    row = db.scalars(select(LoginCode)).one()
    stored = " ".join(str(v) for v in (row.code_hash, row.salt, row.link_hash, row.device_hash))
    assert code not in stored
    assert row.expires_at - row.created_at == timedelta(minutes=10)


def test_wrong_code_five_times_ends_the_code(client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)
    code = auth.code_from_mail(member.email)
    cookie_after_request = client.get_cookie("session").value
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(4):
        response = auth.enter_code(wrong)
        assert response.status_code == 400
        assert "Koden stemmer ikke" in response.text
    response = auth.enter_code(wrong)
    assert response.status_code == 302  # back to the start, with a message
    assert "Be om en ny kode" in client.get(response.location).text
    row = db.scalars(select(LoginCode)).one()
    assert (row.attempts, row.ended_reason) == (5, "exhausted")
    db.commit()  # end the read: SQLite would hold its write lock against the app
    # Even with the browser's earlier state replayed, the right code no longer works.
    client.set_cookie("session", cookie_after_request)
    assert auth.enter_code(code).status_code == 400
    assert client.get("/").status_code == 302
    burst = db.scalars(select(AuditEntry).where(AuditEntry.action == "auth.code_exhausted")).one()
    assert burst.target == f"member:{member.number}"


def test_expired_code_is_refused(client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)
    code = auth.code_from_mail(member.email)
    db.execute(update(LoginCode).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.commit()
    response = auth.enter_code(code)
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_used_code_is_refused(client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)
    code = auth.code_from_mail(member.email)
    cookie_after_request = client.get_cookie("session").value
    assert auth.enter_code(code).status_code == 302
    auth.logout()
    client.set_cookie("session", cookie_after_request)  # the same browser, the same code again
    assert auth.enter_code(code).status_code == 400
    assert client.get("/").status_code == 302


def test_a_newer_code_replaces_the_older_one(client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)
    first = auth.code_from_mail(member.email)
    auth.request_code(member.email)
    second = auth.code_from_mail(member.email)
    if first != second:
        assert auth.enter_code(first).status_code == 400
    assert auth.enter_code(second).status_code == 302


def _without_tokens(html: str) -> str:
    return re.sub(r'(name="csrf[_-]token" (?:content|value)=)"[^"]*"', r"\1", html)


def test_strangers_learn_nothing_about_who_is_a_member(app, db, units, outbox):
    member = make_member(db, units["0001"], email="medlem@example.no")
    left = make_member(db, units["0001"], email="utmeldt@example.no", status="utmeldt")
    suspended = make_member(db, units["0001"], email="sperret@example.no")
    admin = make_member(db, units["0001"], roles=["sentraladmin@S"])
    db.commit()
    from innsiden.auth import service

    service.suspend(db, admin, suspended.number, "test")
    db.commit()
    serializer = app.session_interface.get_signing_serializer(app)
    answers = []
    for typed in ["ukjent@example.no", left.email, suspended.email, member.email]:
        client = app.test_client()
        first = client.post("/logg-inn", data={"identifier": typed})
        page = client.get(first.location)
        wrong = client.post("/logg-inn/kode", data={"code": "999999"})
        # What the browser holds must not differ either (the session cookie is only signed).
        held = serializer.loads(client.get_cookie("session").value)
        shape = sorted((key, type(value).__name__) for key, value in held["login"].items())
        answers.append(
            (
                first.status_code, first.location, first.text, page.status_code,
                _without_tokens(page.text), wrong.status_code, _without_tokens(wrong.text),
                sorted(held), shape,
            )
        )  # fmt: skip
    assert answers[0] == answers[1] == answers[2] == answers[3]
    assert [m["To"] for m in outbox.mails()] == ["medlem@example.no"]


def test_unparseable_input_asks_again_without_sending(client, outbox):
    response = client.post("/logg-inn", data={"identifier": "hei"})
    assert response.status_code == 400
    assert "Skriv e-postadressen" in response.text
    assert outbox.mails() == [] and outbox.sms() == []


def test_login_starts_a_fresh_session(client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    auth.login(member)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "login" not in session


def test_next_page_after_login_is_local_only(app, db, units):
    member = make_member(db, units["0001"])
    db.commit()
    from tests.auth_helpers import AuthActions

    for neste, expected in [
        ("/admin/", "/admin/"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
    ]:
        client = app.test_client()
        auth = AuthActions(app, client)
        client.post("/logg-inn", data={"identifier": member.email, "neste": neste})
        response = auth.enter_code(auth.code_from_mail(member.email))
        assert response.location == expected


def test_login_page_keeps_where_the_member_was_going(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    page = client.get(response.location)
    assert 'name="neste" value="/admin/"' in page.text


def test_browser_session_without_remember_me(client, db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.login(member)
    session_cookie = client.get_cookie("session")
    assert session_cookie.expires is None  # ends when the browser closes
    assert session_cookie.http_only and session_cookie.same_site == "Lax"
    assert client.get_cookie("remember_token") is None


def test_login_is_audited(db, units, auth):
    member = make_member(db, units["0001"])
    db.commit()
    auth.login(member)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "auth.login")).one()
    assert entry.actor_number == member.number
    assert entry.detail["method"] == "code" and entry.detail["channel"] == "email"


def test_old_login_codes_are_purged(app, db, units, auth):
    from innsiden import jobs

    member = make_member(db, units["0001"])
    db.commit()
    auth.request_code(member.email)
    auth.request_code(member.email)
    db.execute(update(LoginCode).values(created_at=utcnow() - timedelta(days=2)))
    db.commit()
    auth.request_code(member.email)
    assert jobs.run_all(app)["auth.purge_login_codes"] == 2
    assert len(db.scalars(select(LoginCode)).all()) == 1


class HeldMail:
    """A mail backend as slow as a real SMTP server: it sends only when released."""

    def __init__(self, inner):
        self.inner = inner
        self.release, self.sent = threading.Event(), threading.Event()

    def send(self, mail):
        assert self.release.wait(10)
        self.inner.send(mail)
        self.sent.set()


def test_with_a_slow_mail_server_the_answer_does_not_wait_for_sending(app, db, units, auth):
    # Otherwise a member's address would answer measurably slower than a stranger's.
    member = make_member(db, units["0001"])
    db.commit()
    held = HeldMail(app.extensions["innsiden.mail"])
    app.extensions["innsiden.mail"] = held
    app.config["LOGIN_SEND_IN_BACKGROUND"] = True
    response = auth.request_code(member.email)
    assert response.status_code == 302
    assert auth.outbox.mails() == []
    held.release.set()
    assert held.sent.wait(10)
    assert auth.enter_code(auth.code_from_mail(member.email)).location == "/"
