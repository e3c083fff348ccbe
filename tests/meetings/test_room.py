"""The meeting room: the projector and the check-in QR code for the chair only, check-in by the
QR code's link, remote check-in with a one-time code ("i salen" and "digitalt"), and votes on
paper entered by two counters — recorded only when both counts agree."""

from __future__ import annotations

import re
from datetime import timedelta

import segno
from sqlalchemy import select

from innsiden.auth.models import LoginCode
from innsiden.meetings import minutes
from innsiden.meetings.models import Attendance, Meeting, MeetingVote
from innsiden.meetings.room_models import PaperCount, PaperVote
from membersync.db import utcnow
from tests.meetings.conftest import (
    audit_entries,
    call,
    complaints_closed,
    cutoff_today,
    set_meeting,
    url,
)


def _fresh(db) -> None:
    db.commit()
    db.expire_all()


def _room_open(app, db, bergen, *, online: bool = False) -> tuple[int, str]:
    """A meeting with its roll frozen and check-in open; returns (id, room code)."""
    meeting_id = call(bergen)
    if online:
        set_meeting(app, meeting_id, online_url="https://video.example.org/arsmote")
    cutoff_today(app, meeting_id)
    leader = bergen.client(bergen.leader)
    leader.post(url(bergen, meeting_id, "/manntall/beregn"))
    complaints_closed(app, meeting_id)
    leader.post(url(bergen, meeting_id, "/manntall/las"))
    leader.post(url(bergen, meeting_id, "/innsjekk/apne"))
    _fresh(db)
    return meeting_id, db.get(Meeting, meeting_id).room_code


def _check_in_all(bergen, meeting_id: int, code: str) -> None:
    for member in (bergen.leader, *bergen.paid):
        bergen.client(member).post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})


# --- Projector and QR code ----------------------------------------------------------------


def test_projector_shows_figures_and_the_result_in_words_but_no_names(app, db, bergen):
    meeting_id, code = _room_open(app, db, bergen)
    _check_in_all(bergen, meeting_id, code)
    leader = bergen.client(bergen.leader)
    screen = leader.get(url(bergen, meeting_id, "/skjerm"))
    assert screen.status_code == 200
    assert "4 til stede, 4 med stemmerett" in screen.get_data(as_text=True)
    leader.post(url(bergen, meeting_id, "/voteringer"), data={"question": "Kjøpe nytt banner"})
    _fresh(db)
    vote = db.scalar(select(MeetingVote))
    voter = bergen.client(bergen.paid[0])
    voter.post(url(bergen, meeting_id, f"/voteringer/{vote.id}/stem"), data={"choice": "ja"})
    page = leader.get(url(bergen, meeting_id, "/skjerm")).get_data(as_text=True)
    assert "Kjøpe nytt banner" in page and "1 av 4 har stemt" in page
    leader.post(url(bergen, meeting_id, f"/voteringer/{vote.id}/lukk"))
    page = leader.get(url(bergen, meeting_id, "/skjerm")).get_data(as_text=True)
    assert "Vedtatt med alminnelig flertall av avgitte stemmer: ja 1 av 1" in page
    shown = page.split("data-projector-live", 1)[1].split("</article>", 1)[0]
    for member in (bergen.leader, *bergen.paid):
        assert member.first_name not in shown  # no voter's name on the screen
    assert "<svg" in shown  # the check-in QR code while check-in is open


def test_outsider_gets_404_and_a_member_403_on_projector_and_qr_page(app, db, bergen):
    meeting_id, _code = _room_open(app, db, bergen)
    outsider, member = bergen.client(bergen.outsider), bergen.client(bergen.paid[0])
    for tail in ("/skjerm", "/innsjekk/qr"):
        assert outsider.get(url(bergen, meeting_id, tail)).status_code == 404
        assert member.get(url(bergen, meeting_id, tail)).status_code == 403


def test_qr_code_leads_to_a_confirmed_check_in(app, db, bergen):
    meeting_id, code = _room_open(app, db, bergen)
    qr_page = bergen.client(bergen.leader).get(url(bergen, meeting_id, "/innsjekk/qr"))
    body = qr_page.get_data(as_text=True)
    assert qr_page.status_code == 200 and "<svg" in body and code in body
    link = url(bergen, meeting_id, f"/innsjekk/kode/{code}")
    # The QR code holds the check-in link with the room code (same modules as segno draws it).
    drawn = segno.make(f"http://localhost{link}", error="m").svg_inline(border=2, omitsize=True)
    modules = re.search(r'stroke="#000" d="([^"]+)"', drawn).group(1)
    assert modules in body
    member = bergen.client(bergen.paid[0])
    confirm = member.get(link)
    assert confirm.status_code == 200 and "Sjekk inn" in confirm.get_data(as_text=True)
    _fresh(db)
    assert db.get(Attendance, (meeting_id, bergen.paid[0].number)) is None  # a GET changes nothing
    assert member.post(link).status_code == 302
    _fresh(db)
    row = db.get(Attendance, (meeting_id, bergen.paid[0].number))
    assert row.present and not row.remote
    # An old code (the chair made a new one) does not check anybody in.
    other = bergen.client(bergen.paid[1])
    bergen.client(bergen.leader).post(url(bergen, meeting_id, "/innsjekk/apne"))
    assert other.post(link).status_code == 400
    # An outsider cannot use the link.
    assert bergen.client(bergen.outsider).get(link).status_code == 404


# --- Remote check-in ----------------------------------------------------------------------


def _remote_code(outbox, email: str) -> str:
    mail = outbox.mails(email)[-1]
    return re.search(r"(\d{6}) er koden din for å sjekke inn digitalt", mail.get_content()).group(1)


def test_remote_check_in_with_a_one_time_code_counts_digitalt(app, db, bergen, outbox):
    meeting_id, code = _room_open(app, db, bergen, online=True)
    bergen.client(bergen.leader).post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    member = bergen.client(bergen.paid[0])
    page = member.get(url(bergen, meeting_id)).get_data(as_text=True)
    assert "Sjekk inn digitalt" in page
    member.post(url(bergen, meeting_id, "/innsjekk/digitalt/kode"))
    one_time = _remote_code(outbox, bergen.paid[0].email)
    wrong = "000000" if one_time != "000000" else "111111"
    member.post(url(bergen, meeting_id, "/innsjekk/digitalt"), data={"one_time_code": wrong})
    _fresh(db)
    assert db.get(Attendance, (meeting_id, bergen.paid[0].number)) is None
    member.post(url(bergen, meeting_id, "/innsjekk/digitalt"), data={"one_time_code": one_time})
    _fresh(db)
    row = db.get(Attendance, (meeting_id, bergen.paid[0].number))
    assert row.present and row.remote
    control = bergen.client(bergen.leader).get(url(bergen, meeting_id, "/styring"))
    assert "1 i salen, 1 digitalt" in control.get_data(as_text=True)
    screen = bergen.client(bergen.leader).get(url(bergen, meeting_id, "/skjerm"))
    assert "1 i salen, 1 digitalt" in screen.get_data(as_text=True)
    # The code is used up.
    member.post(url(bergen, meeting_id, "/utsjekk"))
    member.post(url(bergen, meeting_id, "/innsjekk/digitalt"), data={"one_time_code": one_time})
    _fresh(db)
    assert not db.get(Attendance, (meeting_id, bergen.paid[0].number)).present


def test_an_expired_code_does_not_check_in_nor_does_a_meeting_without_an_online_address(
    app, db, bergen, outbox
):
    meeting_id, _code = _room_open(app, db, bergen, online=True)
    member = bergen.client(bergen.paid[1])
    member.post(url(bergen, meeting_id, "/innsjekk/digitalt/kode"))
    one_time = _remote_code(outbox, bergen.paid[1].email)
    _fresh(db)
    for row in db.scalars(select(LoginCode)):
        row.expires_at = utcnow() - timedelta(seconds=1)
    _fresh(db)
    answer = member.post(url(bergen, meeting_id, "/innsjekk/digitalt"),
                         data={"one_time_code": one_time}, follow_redirects=True)  # fmt: skip
    assert "Feil eller utløpt kode" in answer.get_data(as_text=True)
    _fresh(db)
    assert db.get(Attendance, (meeting_id, bergen.paid[1].number)) is None

    in_room_only, _c = _room_open(app, db, bergen)
    refused = member.post(url(bergen, in_room_only, "/innsjekk/digitalt/kode"))
    assert refused.status_code == 409
    # A member in restanse at the cutoff is on the roll without a vote; an outsider gets 404.
    outsider = bergen.client(bergen.outsider)
    assert outsider.post(url(bergen, meeting_id, "/innsjekk/digitalt/kode")).status_code == 404


# --- Paper votes with two counters --------------------------------------------------------


def _paper_vote(app, db, bergen) -> tuple[int, PaperVote]:
    meeting_id, code = _room_open(app, db, bergen)
    _check_in_all(bergen, meeting_id, code)
    answer = bergen.client(bergen.leader).post(
        url(bergen, meeting_id, "/papirvoteringer"),
        data={"paper_question": "Endring av § 4", "paper_kind": "decision",
              "first_counter": bergen.paid[0].number, "second_counter": bergen.paid[1].number},
    )  # fmt: skip
    assert answer.status_code == 302
    _fresh(db)
    return meeting_id, db.scalar(select(PaperVote))


def _enter(bergen, member, meeting_id: int, paper: PaperVote, ja: int, nei: int, blank: int):
    return bergen.client(member).post(
        url(bergen, meeting_id, f"/papirvoteringer/{paper.id}"),
        data={"ja": str(ja), "nei": str(nei), "blank": str(blank)},
    )


def test_paper_vote_recorded_when_both_counters_agree(app, db, bergen):
    meeting_id, paper = _paper_vote(app, db, bergen)
    first, second = bergen.paid[0], bergen.paid[1]
    page = bergen.client(first).get(url(bergen, meeting_id)).get_data(as_text=True)
    assert "Du er teller i den skriftlige avstemningen" in page
    assert _enter(bergen, first, meeting_id, paper, 3, 1, 0).status_code == 302
    _fresh(db)
    assert db.scalar(select(MeetingVote)) is None  # one entry records nothing
    _enter(bergen, second, meeting_id, paper, 3, 1, 0)
    _fresh(db)
    vote = db.scalar(select(MeetingVote))
    assert vote.state == "closed" and vote.result["yes"] == 3 and vote.result["adopted"]
    line = f"skriftlig, talt av {first.full_name} og {second.full_name}"
    control = bergen.client(bergen.leader).get(url(bergen, meeting_id, "/styring"))
    assert line in control.get_data(as_text=True)
    screen = bergen.client(bergen.leader).get(url(bergen, meeting_id, "/skjerm"))
    assert "ja 3 av 4" in screen.get_data(as_text=True)
    with app.test_request_context():  # the minutes drafted from the record say it too
        assert line in minutes.drafted_text(db, db.get(Meeting, meeting_id))
    actions = [e.action for e in audit_entries(db, "meeting.paper_vote_recorded")]
    assert actions == ["meeting.paper_vote_recorded"]
    assert len(audit_entries(db, "meeting.paper_count_entered")) == 2
    # Nothing more can be entered once recorded.
    assert _enter(bergen, first, meeting_id, paper, 0, 4, 0).status_code == 302
    _fresh(db)
    assert db.get(MeetingVote, vote.id).result["yes"] == 3


def test_disagreeing_counts_record_nothing_and_both_count_again(app, db, bergen):
    meeting_id, paper = _paper_vote(app, db, bergen)
    first, second = bergen.paid[0], bergen.paid[1]
    _enter(bergen, first, meeting_id, paper, 3, 1, 0)
    answer = _enter(bergen, second, meeting_id, paper, 2, 2, 0)
    assert answer.status_code == 302
    _fresh(db)
    assert db.scalar(select(MeetingVote)) is None
    assert db.scalar(select(PaperCount)) is None  # both entries dropped
    assert db.get(PaperVote, paper.id).recounts == 1
    differed = audit_entries(db, "meeting.paper_counts_differed")
    assert len(differed) == 1
    page = bergen.client(first).get(url(bergen, meeting_id, f"/papirvoteringer/{paper.id}"))
    assert "Tell på nytt" in page.get_data(as_text=True)
    # Counting again, in agreement this time, records the result.
    _enter(bergen, second, meeting_id, paper, 2, 2, 0)
    _enter(bergen, first, meeting_id, paper, 2, 2, 0)
    _fresh(db)
    assert db.scalar(select(MeetingVote)).result["yes"] == 2


def test_only_the_named_counters_may_enter_counts(app, db, bergen):
    meeting_id, paper = _paper_vote(app, db, bergen)
    assert _enter(bergen, bergen.paid[2], meeting_id, paper, 4, 0, 0).status_code == 403
    assert _enter(bergen, bergen.leader, meeting_id, paper, 4, 0, 0).status_code == 403
    assert _enter(bergen, bergen.outsider, meeting_id, paper, 4, 0, 0).status_code == 404
    too_many = _enter(bergen, bergen.paid[0], meeting_id, paper, 5, 0, 0)
    assert too_many.status_code == 400
    _fresh(db)
    assert db.scalar(select(PaperCount)) is None


def test_counters_must_be_two_members_present(app, db, bergen):
    meeting_id, code = _room_open(app, db, bergen)
    bergen.client(bergen.leader).post(url(bergen, meeting_id, "/innsjekk"), data={"code": code})
    leader = bergen.client(bergen.leader)
    for first, second in ((bergen.leader.number, bergen.leader.number),
                          (bergen.leader.number, bergen.paid[2].number)):  # fmt: skip
        answer = leader.post(url(bergen, meeting_id, "/papirvoteringer"),
                             data={"paper_question": "x", "first_counter": first,
                                   "second_counter": second})  # fmt: skip
        assert answer.status_code == 303
    _fresh(db)
    assert db.scalar(select(PaperVote)) is None
