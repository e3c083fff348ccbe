"""Statute profiles as data: what an organisation's statutes say about its årsmøte.

A profile is a frozen dataclass stored as JSON in `meeting_profile` rows keyed by
(key, version). Revising a profile adds a version; a meeting points at the row it was called
under, so later revisions never change a meeting already called.

Two presets: a typical party statute ("parti") and NIF's lovnorm for idrettslag ("nif").

Who may vote is checked only against what the register mirror holds (status, `paid_until`,
`joined_on`). The register's birth dates never reach the portal (data minimisation,
docs/register-format.md), so a minimum age is kept as statute data and shown to the
leader as something to check in the room; the roll cannot check it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from fractions import Fraction
from typing import Any

from flask_babel import gettext as _

from innsiden.counting import Base, Majority
from innsiden.errors import ValidationFailed
from membersync.access import STATUSES_WITH_ACCESS

DUES_RULES = ("none", "cutoff", "previous_year_end")
QUORUM_KINDS = ("none", "count", "percent")
WRITTEN_BALLOT_TRIGGERS = ("voter_requests", "contested_election")
DECISION_TIE_RULES = ("falls", "chair", "lot")
ELECTION_TIE_RULES = ("lot", "new_vote_then_lot", "chair")
FLOOR_NOMINATIONS = ("none", "before_meeting", "until_ballot")
GENDER_BALANCE = ("none", "nif", "share_40")


@dataclass(frozen=True)
class MajorityRule:
    """A majority as statutes write it: "more than half of votes cast", "2/3 of those present"."""

    fraction: str = "1/2"
    strict: bool = True
    base: str = Base.CAST.value

    def engine(self) -> Majority:
        """The counting engine's form of this rule."""
        return Majority(Fraction(self.fraction), strict=self.strict, base=Base(self.base))


@dataclass(frozen=True)
class StatuteProfile:
    """Everything the meetings capability reads from the statutes."""

    name: str
    # Deadlines, in days before the meeting.
    notice_days: int = 21  # innkalling
    papers_days: int = 7  # saksdokumenter
    motion_days: int = 14  # forslag til årsmøtet
    roll_cutoff_days: int = 14  # the register is read as on this day for the roll
    complaint_days: int = 2  # complaints about the roll close this many days before
    # Who may vote.
    voter_statuses: tuple[str, ...] = ("aktiv",)
    dues: str = "previous_year_end"
    min_membership_days: int = 0
    min_age: int | None = None  # statute data only: the mirror holds no birth dates
    # Quorum (vedtaksførhet): none, a count of voters present, or a percent of the roll.
    quorum_kind: str = "none"
    quorum_value: int = 0
    # Majorities.
    majority: MajorityRule = field(default_factory=MajorityRule)
    statute_majority: MajorityRule = field(
        default_factory=lambda: MajorityRule("2/3", strict=False, base=Base.CAST.value)
    )
    # Proxies (fullmakt).
    proxies_allowed: bool = False
    proxy_cap: int = 0
    # When a written (secret) ballot is required.
    written_ballot: tuple[str, ...] = ("voter_requests",)
    # Ties.
    decision_tie: str = "falls"
    election_tie: str = "lot"
    minute_signers: int = 2
    minutes_sign_days: int = 14  # the minutes are signed within this many days of the meeting
    # Motions and elections (issue #24).
    motion_supporters: int = 0  # members who must support a motion besides its proposer
    amendment_days: int = 0  # amendments close this many days before; 0: when voting starts
    floor_nominations: str = "until_ballot"  # benkeforslag: none, until the meeting, or ballot
    gender_balance: str = "none"  # none, NIF's table, or at least 40 % of each gender
    # Block votes (blokkvotering) on the drafting committee's recommendations: this many
    # voters take an amendment out of the block for a separate vote (one, in most statutes).
    block_pull_out: int = 1
    # A delegates' meeting (fylkesårsmøte): its roll is the delegates the lokallag elected,
    # each lokallag sending `delegate_base` plus one per `delegate_per_members` members.
    delegates: bool = False
    delegate_base: int = 1
    delegate_per_members: int = 0

    def to_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["voter_statuses"] = list(self.voter_statuses)
        data["written_ballot"] = list(self.written_ballot)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> StatuteProfile:
        """A profile from stored or submitted JSON; ValidationFailed names what is wrong."""
        if not isinstance(data, dict):
            raise ValidationFailed(_("Vedtektsprofilen må være et objekt."))
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationFailed(
                _("Ukjente felt i vedtektsprofilen: %(fields)s", fields=", ".join(unknown))
            )
        values = dict(data)
        try:
            for key in ("majority", "statute_majority"):
                if key in values:
                    values[key] = MajorityRule(**values[key])
            for key in ("voter_statuses", "written_ballot"):
                if key in values:
                    values[key] = tuple(values[key])
            profile = cls(**values)
        except (TypeError, ValueError) as error:
            raise ValidationFailed(_("Vedtektsprofilen kan ikke leses.")) from error
        return profile.checked()

    def checked(self) -> StatuteProfile:
        """This profile if it is coherent, else ValidationFailed with a message per field."""
        errors: dict[str, str] = {}
        if not self.name.strip() or len(self.name) > 120:
            errors["name"] = _("Gi profilen et navn på opptil 120 tegn.")
        days = ("notice_days", "papers_days", "motion_days", "roll_cutoff_days", "complaint_days",
                "minutes_sign_days")  # fmt: skip
        for key in days:
            value = getattr(self, key)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 365:
                errors[key] = _("Oppgi et antall dager fra 0 til 365.")
        if not self.voter_statuses or not set(self.voter_statuses) <= set(STATUSES_WITH_ACCESS):
            errors["voter_statuses"] = _(
                "Stemmerett kan bare gis medlemmer i «aktiv» eller «restanse»."
            )
        if self.dues not in DUES_RULES:
            errors["dues"] = _("Ukjent regel for betalt kontingent.")
        if not isinstance(self.min_membership_days, int) or self.min_membership_days < 0:
            errors["min_membership_days"] = _("Oppgi et antall dager, 0 eller mer.")
        if self.min_age is not None and not (
            isinstance(self.min_age, int) and 0 < self.min_age < 100
        ):
            errors["min_age"] = _("Oppgi en alder fra 1 til 99, eller ingen.")
        if self.quorum_kind not in QUORUM_KINDS or self.quorum_value < 0:
            errors["quorum_kind"] = _("Ukjent krav til vedtaksførhet.")
        elif self.quorum_kind == "percent" and self.quorum_value > 100:
            errors["quorum_value"] = _("En prosent kan ikke være over 100.")
        for key in ("majority", "statute_majority"):
            if not _majority_ok(getattr(self, key)):
                errors[key] = _("Flertallet må være en brøk mellom 0 og 1 av avgitte stemmer, "
                                "fremmøtte eller manntallet.")  # fmt: skip
        if self.proxy_cap < 0 or (self.proxies_allowed and self.proxy_cap < 1):
            errors["proxy_cap"] = _("Når fullmakter er tillatt, må hver kunne ha minst én.")
        if not set(self.written_ballot) <= set(WRITTEN_BALLOT_TRIGGERS):
            errors["written_ballot"] = _("Ukjent regel for skriftlig avstemning.")
        if self.decision_tie not in DECISION_TIE_RULES:
            errors["decision_tie"] = _("Ukjent regel for stemmelikhet.")
        if self.election_tie not in ELECTION_TIE_RULES:
            errors["election_tie"] = _("Ukjent regel for stemmelikhet ved valg.")
        if self.minute_signers not in (1, 2, 3):
            errors["minute_signers"] = _("Protokollen skal underskrives av én, to eller tre.")
        for key in ("motion_supporters", "amendment_days", "delegate_base",
                    "delegate_per_members"):  # fmt: skip
            value = getattr(self, key)
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 10000:
                errors[key] = _("Oppgi et helt tall, 0 eller mer.")
        if not isinstance(self.block_pull_out, int) or not 1 <= self.block_pull_out <= 10000:
            errors["block_pull_out"] = _("Oppgi et helt tall, 1 eller mer.")
        if self.floor_nominations not in FLOOR_NOMINATIONS:
            errors["floor_nominations"] = _("Ukjent regel for benkeforslag.")
        if self.gender_balance not in GENDER_BALANCE:
            errors["gender_balance"] = _("Ukjent regel for kjønnsbalanse.")
        if self.complaint_days > self.roll_cutoff_days:
            errors["complaint_days"] = _("Klagefristen kan ikke være før skjæringsdatoen.")
        if errors:
            raise ValidationFailed(fields=errors)
        return self


def _majority_ok(rule: Any) -> bool:
    if not isinstance(rule, MajorityRule) or rule.base not in {b.value for b in Base}:
        return False
    try:
        fraction = Fraction(rule.fraction)
    except (ValueError, ZeroDivisionError, TypeError):
        return False
    return 0 < fraction < 1


# A typical Norwegian party's lokallag statutes: notice three weeks ahead, papers one week;
# members in good standing (dues paid for last year) who joined a month before; no quorum
# beyond a lawful notice; 2/3 of votes cast for statute changes; no proxies; a written ballot
# when one voter asks; a tied decision falls, a tied election is settled by lot.
PARTY = StatuteProfile(
    name="Partivedtekt (typisk)",
    notice_days=21,
    papers_days=7,
    motion_days=14,
    roll_cutoff_days=14,
    complaint_days=2,
    voter_statuses=("aktiv",),
    dues="previous_year_end",
    min_membership_days=30,
    gender_balance="share_40",
)

# NIF's lovnorm for idrettslag: notice one month ahead, papers a week, motions two weeks;
# the right to vote needs 15 years of age, a month's membership and dues paid (met at the
# meeting's date); quorum is whoever lawfully attends; no proxies; written ballot when there
# is more than one candidate or anyone asks; a tied election is voted again, then by lot.
NIF = StatuteProfile(
    name="NIFs lovnorm for idrettslag",
    notice_days=30,
    papers_days=7,
    motion_days=14,
    roll_cutoff_days=7,
    complaint_days=1,
    voter_statuses=("aktiv",),
    dues="cutoff",
    min_membership_days=30,
    min_age=15,
    written_ballot=("voter_requests", "contested_election"),
    decision_tie="falls",
    election_tie="new_vote_then_lot",
    gender_balance="nif",
)

PRESETS: dict[str, StatuteProfile] = {"parti": PARTY, "nif": NIF}


def revised(profile: StatuteProfile, **changes: Any) -> StatuteProfile:
    """A copy of `profile` with `changes`, checked."""
    return replace(profile, **changes).checked()
