"""meetings: the årsmøte of a lokallag or fylkeslag — statute profile, notice and agenda, the
voting roll from the register, check-in, and votes during the meeting (issue #23).

Module map (one job each):
- profiles.py      statute profiles as data, with the presets "parti" and "nif"
- models.py        profile versions, meetings, agenda, roll lines, complaints, attendance, votes,
                   proxies, written ballots
- service.py       profiles (presets, new versions), calling a meeting with its opening items
- roll.py          the roll: computed at the cutoff with reasons, complaints, freeze, corrections;
                   the job `meetings.compute_rolls`
- attendance.py    room code, check-in, check-out and back, the count present
- proxies.py       proxies (fullmakt): issued, accepted within the cap, revoked, voided at check-in
- voting.py        votes opened and closed by the chair (electorate frozen with proxies, again at
                   the close), cast while checked in, written ballot on request, counted by
                   `innsiden.counting`
- secret.py        written ballots: receipts, no voter beside a ballot, sealed at the close
- permissions.py   the "meeting.*" rules and the realtime room "meeting"
- live.py          Socket.IO pushes of the count present and the turnout, after the commit
- views/           pages.py (the meeting, one's roll line, check-in, proxies, voting) and leader.py
                   (calling, the roll, complaints, corrections, check-in code, votes)
- api.py           the JSON API under /api/v1/meetings
- notice.py        the notice with proof of sending; the job `meetings.send_notices`
- papers.py        papers: files of the group's file area attached to the meeting
- minutes.py       minutes drafted from the record, versions, signing with one-time codes,
                   publishing to the group's file area; notify.py tells the members
- record_models.py the tables of notice, papers, officers and minutes
- records_api.py   notice summary, papers and published minutes in the JSON API
- motion_text.py   numbered lines, the voting order, the next vote, the adopted text (pure)
- motions.py       motions, supporters, amendments, recommendations, votes in order (#24)
- elections.py     elections, nominees, secret ballots with receipts, the count (#24)
- delegates.py     delegations from lokallag to a delegates' meeting, withdrawals (#24)
- api_motions.py, api_elections.py   the same as JSON under /api/v1/meetings/<id>/…
- room.py          the projector's figures, the check-in QR code, remote check-in with a
                   one-time code ("i salen" / "digitalt"); pushes to "meeting-screen:<id>"
- paper_votes.py   votes on paper counted by two named counters, recorded when they agree
- room_models.py   the tables of the projector's agenda item and of paper votes and counts
"""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from innsiden import menu


def init_app(app: Flask) -> None:
    """Register the meeting pages and API, the meeting.* rules and room, the roll job and the
    live pushes."""
    from innsiden.meetings import (  # noqa: F401 - each registers what it defines on import
        api,
        api_elections,
        api_motions,
        live,
        notice,
        notify,
        permissions,
        records_api,
        roll,
        views,
    )
    from innsiden.meetings.blueprint import bp

    app.register_blueprint(bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(api_motions.bp)
    app.register_blueprint(api_elections.bp)
    menu.item("meetings", _l("Årsmøter"), "meetings.mine", order=45)
