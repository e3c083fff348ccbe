"""The counting engine: every way an årsmøte counts votes, pure Python with exact arithmetic.

Nothing here knows of Flask, the database or the rest of Innsiden (an import contract keeps it
so): counts take plain ballots and return a Report with every round, for the meetings
capability to store, show and put in the minutes. Texts for people live outside, in
`innsiden.counting_text`.
"""

from innsiden.counting.approval import count_approval
from innsiden.counting.balance import (
    BalanceRule,
    BallotProblem,
    BallotRefused,
    BallotRule,
    ballot_problems,
    check_ballot,
)
from innsiden.counting.ballots import Ranked, read_ranked
from innsiden.counting.block import count_block
from innsiden.counting.majority import Base, Decision, Majority, decide
from innsiden.counting.meek import count_meek
from innsiden.counting.model import NextRound, Report, Round, TieBreak, Transfer
from innsiden.counting.single import count_instant_runoff, count_single_seat
from innsiden.counting.stv import GREGORY, SCOTTISH, StvRules, count_stv, droop_quota
from innsiden.counting.ties import (
    Chair,
    EarlierRound,
    Lot,
    Nominee,
    TieRule,
    TieUnresolved,
    commitment,
    draw,
)

__all__ = [
    "GREGORY",
    "SCOTTISH",
    "BalanceRule",
    "BallotProblem",
    "BallotRefused",
    "BallotRule",
    "Base",
    "Chair",
    "Decision",
    "EarlierRound",
    "Lot",
    "Majority",
    "NextRound",
    "Nominee",
    "Ranked",
    "Report",
    "Round",
    "StvRules",
    "TieBreak",
    "TieRule",
    "TieUnresolved",
    "Transfer",
    "ballot_problems",
    "check_ballot",
    "commitment",
    "count_approval",
    "count_block",
    "count_instant_runoff",
    "count_meek",
    "count_single_seat",
    "count_stv",
    "decide",
    "draw",
    "droop_quota",
    "read_ranked",
]
