"""Live poll updates over Socket.IO, sent only after the vote or transition committed.

Two rooms per poll, so counts never reach anyone who may not see them:
- "poll:<id>" (everyone who may read the poll) gets `poll:turnout` — how many have voted,
  never how — and `poll:changed` when the poll opens or closes (pages reload);
- "poll-results:<id>" (joined only with "poll.results") gets `poll:results` with the counts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from innsiden import events, realtime
from innsiden.polls import results, service
from innsiden.polls.models import Poll


def poll_room(poll_id: int) -> str:
    return f"poll:{poll_id}"


def results_room(poll_id: int) -> str:
    return f"poll-results:{poll_id}"


def turnout_payload(session: Session, poll: Poll) -> dict[str, Any]:
    return {
        "poll_id": poll.id,
        "voted": service.turnout(session, poll),
        "electorate": poll.electorate_size or 0,
    }


def push_after_vote(session: Session, poll: Poll) -> None:
    """Call after the vote's commit: turnout to readers, counts to those who may see them."""
    realtime.emit_to_room(poll_room(poll.id), "poll:turnout", turnout_payload(session, poll))
    if poll.results_shown == "after_close" and service.state_of(poll) != "closed":
        return  # nobody may see counts yet, so none are computed or sent
    payload = {"poll_id": poll.id, **results.as_json(results.count(session, poll))}
    realtime.emit_to_room(results_room(poll.id), "poll:results", payload)


@events.listen
def _on_transition(event: events.Event) -> None:
    if event.name in ("poll.opened", "poll.closed"):
        poll_id = int(event.payload["poll_id"])
        state = "open" if event.name == "poll.opened" else "closed"
        realtime.emit_to_room(
            poll_room(poll_id), "poll:changed", {"poll_id": poll_id, "state": state}
        )
