"""Published example elections with their sources, and what each source says the result is.

Only results the source states are asserted as "published"; where a ballot profile had to be
read back from a narrative, or a case is worked by hand from a rule text, the entry says so.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    note: str
    candidates: tuple[str, ...]
    seats: int
    ballots: tuple[tuple[tuple[str, ...], int], ...]  # (ranking, how many)
    elected: tuple[str, ...]
    rounds: tuple[dict[str, int], ...] = ()  # published tallies per stage, where given

    def rankings(self) -> list[list[str]]:
        return [list(r) for r, n in self.ballots for _ in range(n)]


WIKIPEDIA_STV_FOOD = Case(
    name="Wikipedia, Single transferable vote, 'Example' (food election)",
    source="https://en.wikipedia.org/wiki/Single_transferable_vote#Example "
    "(text as mirrored at https://www.liquisearch.com/single_transferable_vote/example)",
    note="20 voters, 3 seats, Droop quota 6; Chocolate's surplus of 6 split 4/2 between "
    "Strawberries and Sweets; Pears excluded, Oranges reaches the quota; Sweets excluded. "
    "The stage tallies below are the article's.",
    candidates=("Oranges", "Pears", "Chocolate", "Strawberries", "Sweets"),
    seats=3,
    ballots=(
        (("Oranges",), 4),
        (("Pears", "Oranges"), 2),
        (("Chocolate", "Strawberries"), 8),
        (("Chocolate", "Sweets"), 4),
        (("Strawberries",), 1),
        (("Sweets",), 1),
    ),
    elected=("Chocolate", "Oranges", "Strawberries"),
    rounds=(
        {"Oranges": 4, "Pears": 2, "Chocolate": 12, "Strawberries": 1, "Sweets": 1},
        {"Oranges": 4, "Pears": 2, "Chocolate": 6, "Strawberries": 5, "Sweets": 3},
        {"Oranges": 6, "Pears": 0, "Chocolate": 6, "Strawberries": 5, "Sweets": 3},
    ),
)

WIKIPEDIA_DROOP = Case(
    name="Wikipedia, Droop quota / Counting single transferable votes, example (57 voters)",
    source="https://en.wikipedia.org/wiki/Droop_quota (example section; also in "
    "'Counting single transferable votes')",
    note="The article gives the narrative: quota 20; Andrea 40 and Delilah 17 first "
    "preferences; Andrea's surplus of 20 gives Carter 12 and Brad 8; Brad is excluded and "
    "his votes go to Carter, who reaches 20. The ballot profile here is read back from that "
    "narrative (24 Andrea>Carter, 16 Andrea>Brad>Carter, 17 Delilah), not copied.",
    candidates=("Andrea", "Brad", "Carter", "Delilah"),
    seats=2,
    ballots=(
        (("Andrea", "Carter"), 24),
        (("Andrea", "Brad", "Carter"), 16),
        (("Delilah",), 17),
    ),
    elected=("Andrea", "Carter"),
    rounds=(
        {"Andrea": 40, "Brad": 0, "Carter": 0, "Delilah": 17},
        {"Andrea": 20, "Brad": 8, "Carter": 12, "Delilah": 17},
        {"Andrea": 20, "Brad": 0, "Carter": 20, "Delilah": 17},
    ),
)

_TN = ("Memphis", "Nashville", "Chattanooga", "Knoxville")
TENNESSEE = Case(
    name="Wikipedia, the Tennessee capital example (percentages read as 100 voters)",
    source="https://en.wikipedia.org/wiki/Instant-runoff_voting (Tennessee example) and "
    "https://en.wikipedia.org/wiki/Two-round_system (same example)",
    note="Instant runoff: Chattanooga (15) then Nashville (26) are eliminated and Knoxville "
    "beats Memphis 58 to 42. Two-round system: Memphis (42) and Nashville (26) go to the "
    "second round, which Nashville wins 58 to 42.",
    candidates=_TN,
    seats=1,
    ballots=(
        (("Memphis", "Nashville", "Chattanooga", "Knoxville"), 42),
        (("Nashville", "Chattanooga", "Knoxville", "Memphis"), 26),
        (("Chattanooga", "Knoxville", "Nashville", "Memphis"), 15),
        (("Knoxville", "Chattanooga", "Nashville", "Memphis"), 17),
    ),
    elected=("Knoxville",),
)
TENNESSEE_TWO_ROUND_WINNER = "Nashville"

# Worked by hand from a rule text, not a published election: NIF's lovnorm for idrettslag,
# the rule on electing several at once ("må alle ... ha mer enn halvparten av de avgitte
# stemmer"; otherwise a new vote among those not elected, where the most votes win; equal
# votes by lot). Source of the rule: https://www.idrettsforbundet.no (lovnorm for idrettslag).
NIF_BLOCK_SOURCE = "NIFs lovnorm for idrettslag, valg av flere samtidig (worked by hand)"
