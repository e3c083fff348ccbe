"""A poll's results as CSV (cells neutralised against formula injection by groups.export):
the counts, then turnout and quorum, then — where the viewer may see them — who voted what
(open polls) or every ballot by receipt fingerprint (closed secret polls)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from innsiden import access
from innsiden.groups.export import to_csv
from innsiden.polls import results, service
from innsiden.polls.models import Poll
from membersync.models import Member


def results_csv(session: Session, member: Member, poll: Poll) -> bytes:
    counted = results.count(session, poll)
    rows: list[list[object]] = [[_("Spørsmål"), poll.question, "", ""]]
    if poll.kind == "date":
        header = [_("Dato"), _("Ja"), _("Kanskje"), _("Nei")]
        rows += [[r.option.label, r.count, r.maybe, r.no] for r in counted.options]
    else:
        header = [_("Alternativ"), _("Stemmer"), _("Prosent"), ""]
        rows += [[r.option.label, r.count, _decimal(r.percent), ""] for r in counted.options]
    rows += [
        [_("Avgitte stemmer"), counted.ballots, "", ""],
        [_("Stemmeberettigede"), counted.electorate, "", ""],
        [_("Oppmøte (prosent)"), _decimal(counted.turnout_percent), "", ""],
    ]
    if counted.quorum_required is not None:
        met = _("ja") if counted.quorum_met else _("nei")
        rows.append([_("Beslutningsdyktig"), met, counted.quorum_required, ""])
    rows.append([_("Endelig"), _("ja") if counted.final else _("nei"), "", ""])
    if access.can(session, member, "poll.voters", poll):
        rows += [[v.name, ", ".join(v.labels), "", ""] for v in results.open_votes(session, poll)]
    elif poll.secret and service.state_of(poll) == "closed":
        rows += [
            [b.fingerprint, ", ".join(b.labels), "", ""]
            for b in results.published_ballots(session, poll)
        ]
    return to_csv(header, rows)


def _decimal(value: float) -> str:
    """A decimal as Norwegian spreadsheets read it (comma, since the separator is ;)."""
    return f"{value:.1f}".replace(".", ",")
