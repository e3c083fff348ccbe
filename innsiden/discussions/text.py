"""A post's text: Markdown rendered once to sanitised HTML, with @mentions of group members.

Only members of the thread's group are shown as linked mentions (and only they are told);
a mention of anyone else keeps the name the writer typed, unlinked, so a post never reveals
the name behind a member number outside the group.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.errors import ValidationFailed
from innsiden.groups import service as groups
from innsiden.groups.models import Group
from innsiden.sanitize import MENTION_RE, MentionLink, extract_mentions, render_markdown
from membersync.models import Member

MAX_BODY = 20_000
MAX_MENTIONS = 20  # more than this in one post is a mass mailing, not a mention


@dataclass(frozen=True)
class RenderedText:
    source: str
    html: str
    mentioned: tuple[int, ...]  # member numbers of group members mentioned, in order


def check_body(source: str) -> str:
    source = source.replace("\r\n", "\n").strip()
    if not source:
        raise ValidationFailed(fields={"body": _("Skriv noe før du sender.")})
    if len(source) > MAX_BODY:
        raise ValidationFailed(
            fields={"body": _("Innlegget er for langt (høyst %(max)d tegn).", max=MAX_BODY)}
        )
    return source


def render(session: Session, group: Group, source: str) -> RenderedText:
    """Check and render a post's Markdown; mentions resolve against the group's members."""
    source = check_body(source)
    numbers = [int(n) for n in extract_mentions(source)][:MAX_MENTIONS]
    typed = {m["number"]: m["name"] for m in MENTION_RE.finditer(source)}
    members = _group_members_among(session, group, numbers)

    def resolve(number: str) -> MentionLink | None:
        member = members.get(int(number)) if number.isdigit() else None
        if member is None:
            return MentionLink(typed.get(number, "").strip() or "?")
        name = member.full_name
        return MentionLink(name, f"/grupper/{group.id}/medlemmer?q={quote(name)}")

    html = render_markdown(source, mentions=resolve)
    return RenderedText(source, html, tuple(n for n in numbers if n in members))


def _group_members_among(session: Session, group: Group, numbers: list[int]) -> dict[int, Member]:
    if not numbers:
        return {}
    found = session.scalars(select(Member).where(Member.number.in_(sorted(set(numbers)))))
    return {m.number: m for m in found if groups.is_member(session, m, group)}
