"""Which language a member gets: their saved choice, else the visitor's cookie, else the
organisation's default; the browser's Accept-Language only when the organisation allows it."""

from __future__ import annotations

import pytest

from innsiden.language.models import MemberLanguage
from tests.auth_helpers import AuthActions
from tests.conftest import login_as
from tests.factories import make_member, make_small_organisation
from tests.i18n.catalogs import LANGUAGES, telltale_phrases
from tests.i18n.test_pages import _other_languages_in

ENGLISH_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def test_english_browser_without_a_choice_gets_the_default_language_whole(app, db, client):
    units = make_small_organisation(db)
    kari = make_member(db, units["0001"], first_name="Kari")
    db.commit()
    login_page = client.get("/logg-inn", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert _other_languages_in("nb", {"/logg-inn": login_page}) == []
    login_as(client, kari)
    for path in ("/", "/grupper/mine", "/arrangementer/", "/varsler"):
        page = client.get(path, headers=ENGLISH_BROWSER).get_data(as_text=True)
        assert _other_languages_in("nb", {path: page}) == [], path
    assert "Hei, Kari!" in client.get("/", headers=ENGLISH_BROWSER).get_data(as_text=True)


@pytest.mark.parametrize("default", ["nn", "da"])
def test_the_organisation_chooses_the_default(app, default):
    app.config["DEFAULT_LANGUAGE"] = default  # INNSIDEN_DEFAULT_LANGUAGE
    page = app.test_client().get("/logg-inn", headers=ENGLISH_BROWSER)
    assert f'<html lang="{default}"' in page.get_data(as_text=True)


def test_browser_language_is_used_only_when_switched_on(app):
    app.config["USE_BROWSER_LANGUAGE"] = True  # INNSIDEN_USE_BROWSER_LANGUAGE=true
    client = app.test_client()
    page = client.get("/logg-inn", headers=ENGLISH_BROWSER).get_data(as_text=True)
    assert '<html lang="en"' in page and "Send code" in page
    nynorsk = client.get("/logg-inn", headers={"Accept-Language": "nn-NO"}).get_data(as_text=True)
    assert '<html lang="nn"' in nynorsk


def test_switch_saves_a_members_choice_and_their_choice_wins_at_login(app, db):
    units = make_small_organisation(db)
    kari = make_member(db, units["0001"], first_name="Kari", email="kari@example.no")
    db.commit()
    client = app.test_client()
    auth = AuthActions(app, client)
    auth.login(kari)
    answer = client.post("/sprak", data={"sprak": "nn", "neste": "/grupper/mine"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/grupper/mine")
    assert db.get(MemberLanguage, kari.number).language == "nn"
    assert '<html lang="nn"' in client.get("/").get_data(as_text=True)
    # Another browser, set to Danish before logging in: the saved choice wins after login.
    other = app.test_client()
    other.post("/sprak", data={"sprak": "da"})
    assert '<html lang="da"' in other.get("/logg-inn").get_data(as_text=True)
    AuthActions(app, other).login(kari)
    assert "Hei, Kari!" in other.get("/").get_data(as_text=True)
    assert '<html lang="nn"' in other.get("/").get_data(as_text=True)
    # ...and after logging out the login page keeps speaking the member's language.
    AuthActions(app, other).logout()
    assert '<html lang="nn"' in other.get("/logg-inn").get_data(as_text=True)


def test_switch_refuses_foreign_destinations_and_unknown_languages(app, client):
    answer = client.post("/sprak", data={"sprak": "sv", "neste": "https://evil.example/"})
    assert answer.headers["Location"] == "/" and "sprak=" not in answer.headers.get(
        "Set-Cookie", ""
    )


def test_telltale_phrases_exist_for_every_language():
    for code in LANGUAGES:
        assert len(telltale_phrases(code)) > 200, code
