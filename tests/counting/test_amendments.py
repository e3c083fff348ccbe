"""An amended motion: the voting order, the adopted text and its diff."""

import pytest

from innsiden.counting.amendments import (
    Amendment,
    AmendmentError,
    Motion,
    diff,
    run_votes,
    voting_order,
)

MOTION = Motion(
    "M1",
    (
        "Lokallaget skal arbeide for gratis kollektivtransport.",
        "Styret skal søke samarbeid med fylkeslaget.",
        "Saken tas opp på neste årsmøte.",
        "Kontingenten holdes uendret.",
    ),
)
AMENDMENTS = [
    Amendment(
        "E1", "replace", 1, 1, ("Lokallaget skal arbeide for billigere kollektivtransport.",)
    ),
    Amendment("E2", "delete", 1, 2),  # competes with E1 and goes further
    Amendment("E3", "add_after", 3, text=("Styret rapporterer hvert halvår.",)),
    Amendment("E3a", "replace", 1, 1, ("Styret rapporterer hvert kvartal.",), target="E3"),
    Amendment("E4", "insert_before", 4, text=("Årsmøtet vedtar budsjettet.",)),
]


def test_voting_order_takes_the_furthest_reaching_first_and_sub_amendments_before_theirs():
    order = voting_order(MOTION, AMENDMENTS)
    assert [item.amendment for item in order] == ["E2", "E1", "E3a", "E3", "E4", None]
    assert order[1].falls_if_adopted == ("E2",)


def test_the_adopted_text_has_the_amendments_applied():
    outcome = run_votes(MOTION, AMENDMENTS, {"E2": False, "E1": True, "E3a": True, "E3": True,
                                             "E4": False})  # fmt: skip
    assert outcome.text == (
        "Lokallaget skal arbeide for billigere kollektivtransport.",
        "Styret skal søke samarbeid med fylkeslaget.",
        "Saken tas opp på neste årsmøte.",
        "Styret rapporterer hvert kvartal.",
        "Kontingenten holdes uendret.",
    )
    assert outcome.rejected == ["E2", "E4"]
    changes = [(d.kind, d.old, d.new) for d in diff(MOTION.lines, outcome.text) if d.kind != "="]
    assert changes == [("-", 1, None), ("+", None, 1), ("+", None, 4)]


def test_an_adopted_amendment_makes_its_rivals_fall():
    outcome = run_votes(MOTION, AMENDMENTS, {"E2": True, "E3a": False, "E3": False, "E4": True})
    assert outcome.fallen == ["E1"]
    assert outcome.text == (
        "Saken tas opp på neste årsmøte.",
        "Årsmøtet vedtar budsjettet.",
        "Kontingenten holdes uendret.",
    )
    with pytest.raises(AmendmentError):
        run_votes(MOTION, AMENDMENTS, {"E2": True, "E1": True, "E3a": False, "E3": False,
                                       "E4": True})  # fmt: skip


def test_an_amendment_outside_the_text_is_refused():
    with pytest.raises(AmendmentError):
        voting_order(MOTION, [Amendment("X", "delete", 4, 5)])
