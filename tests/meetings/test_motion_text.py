"""Properties of a motion's numbered lines, its voting order, the next vote and the adopted text
(hypothesis, bounded to run in seconds), and one worked example read as a person would."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from innsiden.meetings.motion_text import (
    Amendment,
    Motion,
    adopted,
    amendment_problems,
    apply,
    diff,
    join_lines,
    next_vote,
    settled,
    split_lines,
    voting_order,
)

BOUNDED = settings(max_examples=100, deadline=None)
line = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=12).map(
    str.strip
)
texts = st.lists(line, min_size=1, max_size=12).map(tuple).filter(lambda ls: ls[0] and ls[-1])


@st.composite
def motions_with_amendments(draw: st.DrawFn) -> tuple[Motion, list[Amendment]]:
    lines = draw(texts)
    amendments: list[Amendment] = []
    for number in range(draw(st.integers(0, 6))):
        parent = None
        target_lines: tuple[str, ...] = lines
        candidates = [a for a in amendments if a.operation != "delete" and a.target is None]
        if candidates and draw(st.booleans()):
            chosen = draw(st.sampled_from(candidates))
            parent, target_lines = chosen.id, chosen.text
        operation = draw(st.sampled_from(["replace", "delete", "insert_before", "add_after"]))
        start = draw(st.integers(1, len(target_lines)))
        end = start
        if operation in ("replace", "delete"):
            end = draw(st.integers(start, len(target_lines)))
        new = () if operation == "delete" else tuple(draw(st.lists(line, min_size=1, max_size=3)))
        amendments.append(Amendment(f"E{number}", operation, start, end, new, parent))
    return Motion("M", lines), amendments


@BOUNDED
@given(texts)
def test_numbered_lines_read_back_unchanged(lines):
    assert split_lines(join_lines(lines)) == lines
    assert split_lines("\r\n" + "\r\n".join(lines) + "  \n\n") == lines


@BOUNDED
@given(motions_with_amendments())
def test_the_voting_order_votes_each_proposal_once_subamendments_first_and_the_whole_last(case):
    motion, amendments = case
    order = voting_order(motion, amendments)
    ids = [item.amendment for item in order]
    assert ids[-1] is None and sorted(ids[:-1]) == sorted(a.id for a in amendments)
    for amendment in amendments:
        if amendment.target is not None:
            assert ids.index(amendment.id) < ids.index(amendment.target)


@BOUNDED
@given(motions_with_amendments(), st.data())
def test_votes_held_follow_the_order_and_the_adopted_text_applies_what_was_adopted(case, data):
    motion, amendments = case
    order = voting_order(motion, amendments)
    results: dict[str | None, bool] = {}
    held: list[str | None] = []
    while (step := next_vote(order, results)).item is not None:
        held.append(step.item.amendment)
        results[step.item.amendment] = data.draw(st.booleans())
    outcome = adopted(motion, amendments, results)
    # The votes were held in the voting order, with fallen proposals left out.
    assert held == [i.amendment for i in order if i.amendment not in outcome.fallen]
    if not results[None]:
        assert outcome.text == ()
    elif not outcome.adopted:
        assert outcome.text == motion.lines
    # Every diff reads back both texts.
    lines = diff(motion.lines, outcome.text)
    assert tuple(d.text for d in lines if d.kind != "+") == motion.lines
    assert tuple(d.text for d in lines if d.kind != "-") == outcome.text


@BOUNDED
@given(texts, st.data())
def test_an_adopted_replacement_changes_only_its_lines(lines, data):
    start = data.draw(st.integers(1, len(lines)))
    end = data.draw(st.integers(start, len(lines)))
    new = tuple(data.draw(st.lists(line, min_size=1, max_size=4)))
    result = apply(lines, [Amendment("E1", "replace", start, end, new)])
    assert result == (*lines[: start - 1], *new, *lines[end:])
    assert amendment_problems(lines, "replace", start, end, new) == []
    assert amendment_problems(lines, "replace", start, len(lines) + 1, new) == ["range"]
    assert amendment_problems(lines, "delete", start, end, new) == ["text"]


def test_a_worked_example_amendment_to_an_amendment_then_the_furthest_reaching():
    motion = Motion("M", ("Vi vil ha", "bedre busstilbud", "i hele fylket", "innen 2030."))
    amendments = [
        Amendment("E1", "replace", 2, 2, ("gratis buss",)),
        Amendment("E2", "delete", 2, 3),  # reaches further than E1 on line 2: voted first
        Amendment("E3", "replace", 1, 1, ("gratis og hyppig buss",), target="E1"),
        Amendment("E4", "add_after", 4, 4, ("Fylket betaler.",)),
    ]
    order = [i.amendment for i in voting_order(motion, amendments)]
    assert order == ["E2", "E3", "E1", "E4", None]
    results = {"E2": False, "E3": True, "E1": True, "E4": True, None: True}
    outcome = adopted(motion, amendments, results)
    assert outcome.text == (
        "Vi vil ha", "gratis og hyppig buss", "i hele fylket", "innen 2030.", "Fylket betaler."
    )  # fmt: skip
    assert outcome.adopted == ["E3", "E1", "E4"] and outcome.rejected == ["E2"]


def test_a_block_decision_is_read_into_the_voting_order_as_a_separate_vote_would_be() -> None:
    motion = Motion("m", ("a", "b", "c"))
    amendments = [
        Amendment("1", "replace", 2, 2, ("B",)),  # recommended adopt, in the block
        Amendment("2", "delete", 2, 3),  # pulled out, voted first (further-reaching)
        Amendment("3", "add_after", 3, None, ("d",)),  # recommended adopt, in the block
    ]
    order = voting_order(motion, amendments)
    block = {"1": True, "3": True}
    # Before the pulled-out vote, it is the next vote; the block's decisions wait behind it.
    assert next_vote(order, settled(order, {}, block)).item.amendment == "2"
    # The deletion adopted: "1" falls (its block decision is passed over), "3" stands.
    results = settled(order, {"2": True, None: True}, block)
    assert results == {"2": True, "3": True, None: True}
    outcome = adopted(motion, amendments, results)
    assert outcome.fallen == ["1"] and outcome.text == ("a", "d")
    # The deletion rejected: the block adopts "1" and "3", as separate votes would.
    results = settled(order, {"2": False, None: True}, block)
    separate = {"1": True, "2": False, "3": True, None: True}
    assert adopted(motion, amendments, results).text == adopted(motion, amendments, separate).text
