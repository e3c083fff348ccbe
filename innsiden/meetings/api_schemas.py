"""The shapes of the meetings API (innsiden.meetings.api, api_motions, api_elections) for its
OpenAPI document: what each route reads and answers, declared with `describe` next to it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class MeetingCount(BaseModel):
    present: int
    voters: int


class MeetingAgendaItem(BaseModel):
    position: int
    kind: str
    title: str


class MeetingMyRoll(BaseModel):
    eligible: bool
    reason: str = Field(description="Why I am or am not on the roll, in words")


class MeetingOut(BaseModel):
    id: int
    group_id: int
    title: str
    starts_at: str
    place: str
    online_url: str
    profile_id: int
    agenda: list[MeetingAgendaItem]
    deadlines: dict[str, str]
    roll_state: str
    my_roll: MeetingMyRoll | None = Field(description="null until the roll is made")
    present: bool
    count: MeetingCount


class MeetingCheckIn(BaseModel):
    code: str = Field(description="The code shown in the room")


class MeetingPresence(BaseModel):
    present: bool
    count: MeetingCount


class MeetingVoteRight(BaseModel):
    member_number: int
    proxy: bool
    name: str
    voted: bool
    choice: str | None


class MeetingVoteOut(BaseModel):
    id: int
    question: str
    state: str
    written: bool
    electorate_at_opening: int
    electorate_at_close: int | None
    voted: int
    my_rights: list[MeetingVoteRight]
    result: dict[str, Any] | None
    result_words: str | None


class MeetingVoteList(BaseModel):
    items: list[MeetingVoteOut]


class MeetingCastIn(BaseModel):
    choice: str
    for_: int | None = Field(
        default=None, alias="for", description="The giver's number, to vote as their proxy"
    )


class MeetingCastOut(BaseModel):
    voted: bool
    receipt: str | None = Field(description="The receipt of a written (secret) vote")


class MeetingProxyLine(BaseModel):
    giver: int
    holder: int
    state: str
    name: str = Field(description="The other party's name")


class MeetingProxies(BaseModel):
    allowed: bool
    given: MeetingProxyLine | None
    held: list[MeetingProxyLine]


class MeetingProxyIn(BaseModel):
    holder: int = Field(description="The member number of the one to hold my proxy")


class MeetingProfileOut(BaseModel):
    id: int
    key: str
    version: int
    profile: dict[str, Any]


class MeetingProfileList(BaseModel):
    profiles: list[MeetingProfileOut]


class MeetingProfileIn(BaseModel):
    key: str
    profile: dict[str, Any]


class MotionOut(BaseModel):
    id: int
    number: int
    title: str
    state: str


class MotionList(BaseModel):
    motions: list[MotionOut]


class MotionIn(BaseModel):
    title: str
    text: str


class MotionLine(BaseModel):
    number: int
    text: str


class AmendmentOut(BaseModel):
    id: int
    label: str
    target_id: int | None
    operation: str
    start: int
    end: int
    text: list[str]
    recommendation: str
    recommendation_note: str
    state: str


class AmendmentIn(BaseModel):
    operation: str = Field(description="replace, delete, insert_before or add_after")
    start: int
    end: int
    text: str | list[str] = Field(description="The new text, as one string or its lines")
    target_id: int | None = None


class VotingOrderLine(BaseModel):
    number: int
    amendment: str | None
    falls_if_adopted: list[str]
    vote_id: int | None
    in_block: bool = Field(description="Settled by the block vote unless pulled out")


class HeldVoteOut(BaseModel):
    position: int
    vote_id: int
    amendment: str | None
    block: list[str] | None = Field(description="The amendments settled by a block vote")
    state: str
    adopted: bool | None


class MotionDiffLine(BaseModel):
    kind: str
    old: int | None
    new: int | None
    text: str


class MotionDetail(MotionOut):
    lines: list[MotionLine]
    recommendation: str
    supporters: int
    supported: bool
    amendments: list[AmendmentOut]
    voting_order: list[VotingOrderLine]
    adopted_text: list[str] | None
    diff: list[MotionDiffLine]
    block: list[str] = Field(
        description="Amendments in the block vote (recommended, not pulled out)"
    )
    pull_outs: dict[str, list[int]] = Field(
        description="Amendment → member numbers who pulled it out"
    )
    votes_held: list[HeldVoteOut]


class PullOutIn(BaseModel):
    amendment_id: int


class PullOutOut(BaseModel):
    pull_outs: list[int] = Field(description="Member numbers who pulled this amendment out")


class MotionStepOut(BaseModel):
    vote_id: int | None = Field(description="The vote opened, null when the motion is settled")
    state: str


class ElectionOut(BaseModel):
    id: int
    position: int
    kind: str
    title: str
    seats: int
    state: str
    round: int
    elected: list[int] | None = Field(description="Member numbers, once elected")


class ElectionList(BaseModel):
    elections: list[ElectionOut]


class NomineeOut(BaseModel):
    id: int
    name: str
    gender: str
    source: str


class ChairTie(BaseModel):
    round: int
    purpose: str
    tied: list[Any]
    chosen: Any
    by: Any


class ElectionDetail(ElectionOut):
    nominees: list[NomineeOut]
    standing: list[int]
    floor_nominations_open: bool
    may_vote: bool
    voted: bool
    report: str
    pending_tie: dict[str, Any] | None = Field(
        description="A tie waiting for the chair: purpose, tied nominee ids, round"
    )
    chair_ties: list[ChairTie]


class TieIn(BaseModel):
    nominee_id: int


class NomineeIn(BaseModel):
    member_number: int
    gender: str = Field(description="kvinne, mann or annet")
    consent: bool
    floor: bool = False


class NominatedOut(BaseModel):
    id: int
    source: str


class BallotIn(BaseModel):
    choices: list[int] = Field(description="Nominee ids, in order of preference")


class BallotOut(BaseModel):
    receipt: str


class DelegateSeat(BaseModel):
    member_number: int
    seated: bool
    order: int


class DelegationOut(BaseModel):
    delegations: dict[str, list[DelegateSeat]] = Field(description="Per unit id: its seats")
