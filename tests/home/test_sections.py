"""The front page's other sections: what waits for the member, what is coming up, shortcuts."""

from __future__ import annotations

from datetime import timedelta

from innsiden.groups.models import JoinRequest
from tests.gatherings.conftest import create_gathering, in_days
from tests.gatherings.conftest import reply as answer
from tests.groups.helpers import make_interest_group
from tests.home.conftest import front_page
from tests.polls.conftest import create_poll, option_ids, vote


def _waiting(html: str) -> str:
    start = html.find('class="card home-waiting"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_an_open_poll_waits_until_the_member_has_voted(home):
    poll_id = create_poll(home.app, home.kari, home.bergen, question="Skal vi støtte kampanjen?")
    per = home.client(home.per)
    assert "Stem: «Skal vi støtte kampanjen?»" in _waiting(front_page(per))
    assert "stenger" in _waiting(front_page(per))

    assert vote(per, poll_id, [option_ids(per, poll_id)[0]]).status_code == 201

    assert "Skal vi støtte kampanjen?" not in _waiting(front_page(per))
    # Nobody outside the group is asked to vote.
    assert "Skal vi støtte kampanjen?" not in front_page(home.client(home.ola))


def test_join_requests_wait_for_the_groups_administrator(home):
    group = make_interest_group(home.db, "Sykkelgruppa", "closed", admin=home.kari)
    home.db.add(JoinRequest(group_id=group.id, member_number=home.per.number))
    home.db.commit()
    assert "1 forespørsel om å bli med i Sykkelgruppa" in _waiting(
        front_page(home.client(home.kari))
    )
    assert "Sykkelgruppa" not in _waiting(front_page(home.client(home.per)))


def test_an_organiser_sees_new_sign_ups_and_members_sign_up_in_one_click(home):
    gathering = create_gathering(home.client(home.kari), home.bergen, title="Sommerfest")
    per = home.client(home.per)
    page = front_page(per)
    assert "Sommerfest" in page and "Meld meg på" in page

    response = per.post(f"/forsiden/arrangement/{gathering['id']}/kommer")
    assert response.status_code == 302
    page = front_page(per)
    assert "Du er påmeldt. Velkommen!" in page
    assert "Du er påmeldt" in page and "Meld meg på" not in page
    assert "1 ny påmelding til «Sommerfest»" in _waiting(front_page(home.client(home.kari)))


def test_no_one_click_where_the_event_asks_questions(home):
    create_gathering(
        home.client(home.kari), home.bergen, title="Kurshelg",
        questions=[{"label": "Matallergier?"}], starts_at=in_days(3).isoformat(),
        ends_at=(in_days(3) + timedelta(hours=2)).isoformat(),
    )  # fmt: skip
    page = front_page(home.client(home.per))
    assert "Kurshelg" in page and "Meld meg på" not in page


def test_a_full_event_puts_a_one_click_sign_up_on_the_waiting_list(home):
    gathering = create_gathering(home.client(home.kari), home.bergen, title="Lite møte", capacity=1)
    assert answer(home.client(home.kari), gathering["id"]).status_code in (200, 201)
    per = home.client(home.per)
    per.post(f"/forsiden/arrangement/{gathering['id']}/kommer")
    assert "nummer 1 på ventelisten" in front_page(per)


def test_a_leader_gets_shortcuts_to_the_member_lists_and_others_do_not(home):
    kari = front_page(home.client(home.kari))
    assert "Medlemslisten for Bergen lokallag" in kari
    assert "/grupper/enhet/0001/medlemsliste?status=restanse" in kari
    assert "Medlemslisten" not in front_page(home.client(home.per))


def test_news_from_above_is_absent_until_a_source_is_registered(home, monkeypatch):
    from innsiden.home import news
    from membersync.db import utcnow

    monkeypatch.setattr(news, "_sources", [])  # as if no capability provided news
    assert "Nytt fra organisasjonen" not in front_page(home.client(home.per))
    item = news.NewsItem("Landsmøtet vedtok programmet", "/nyheter/1", utcnow(), "Sentralt")
    monkeypatch.setattr(news, "_sources", [lambda _session, _member: [item]])
    page = front_page(home.client(home.per))
    assert "Nytt fra organisasjonen" in page and "Landsmøtet vedtok programmet" in page
