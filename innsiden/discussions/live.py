"""Live updates of open thread and group pages, pushed after the change is committed.

Payloads carry ids and what happened, never text: an open page fetches the changed post
(or thread list) from a permission-checked URL, so a hidden post reaches only moderators
and a member who lost access gets nothing. Rooms: "thread:<id>" (rule "thread.read", see
permissions.py) and "group:<id>" (rule "group.read", from groups).
"""

from __future__ import annotations

from innsiden import events, realtime

POST_EVENTS = {
    "post.created": "created",
    "post.edited": "edited",
    "post.deleted": "deleted",
    "post.hidden": "hidden",
    "post.reacted": "reacted",
}
# What changes a group's thread list (an edit or a reaction does not).
LIST_EVENTS = (
    "post.created", "post.deleted", "post.hidden",
    "thread.created", "thread.updated", "thread.renamed",
)  # fmt: skip


@events.listen
def _push(event: events.Event) -> None:
    payload = event.payload
    if event.name in POST_EVENTS:
        realtime.emit_to_room(
            f"thread:{payload['thread_id']}",
            "discussions:post",
            {
                "post_id": payload["post_id"],
                "thread_id": payload["thread_id"],
                "action": POST_EVENTS[event.name],
            },
        )
    if event.name in LIST_EVENTS:
        realtime.emit_to_room(
            f"group:{payload['group_id']}",
            "discussions:thread",
            {"thread_id": payload["thread_id"], "group_id": payload["group_id"]},
        )
