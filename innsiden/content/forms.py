"""Form and JSON input for items: the text, the news settings, the schedule (typed in Oslo
time, stored in UTC), and the version the editor started from."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from innsiden.content.editing import ItemText
from innsiden.content.models import ContentItem
from innsiden.errors import ValidationFailed
from innsiden.polls.forms import local_input, parse_time
from innsiden.web import int_value

YES = ("ja", "on", "true", "1")


def _flag(value: Any, default: bool) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    return str(value).lower() in YES


def text_from(data: MultiDict[str, str] | dict[str, Any], *, form: bool) -> ItemText:
    """ItemText from a form (checkboxes absent mean off) or a JSON body (absent: default)."""
    errors: dict[str, str] = {}
    publish_from = parse_time(str(data.get("publish_from") or ""), "publish_from", errors)
    expire_at = parse_time(str(data.get("expire_at") or ""), "expire_at", errors)
    if errors:
        raise ValidationFailed(fields=errors)
    return ItemText(
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        lead=str(data.get("lead") or ""),
        cascade=_flag(data.get("cascade"), False) if not form else "cascade" in data,
        publish_from=publish_from,
        expire_at=expire_at,
        inherit_roles=_flag(data.get("inherit_roles"), True)
        if not form
        else "own_roles" not in data,
    )


def expected_version(data: MultiDict[str, str] | dict[str, Any]) -> int:
    version = int_value(data.get("version"))
    if version is None:
        raise ValidationFailed(fields={"version": _("Skjemaet mangler versjonsnummeret.")})
    return version


def form_values(
    item: ContentItem | None, form: MultiDict[str, str] | None = None
) -> dict[str, Any]:
    """What the edit form shows: what was typed (kept after a refusal), or the item."""
    if form is not None:
        values: dict[str, Any] = {key: form.get(key, "") for key in form}
        values["cascade"] = "cascade" in form
        values["own_roles"] = "own_roles" in form
        return values
    if item is None:
        return {"version": 0, "cascade": False, "own_roles": False}
    return {
        "title": item.title, "lead": item.lead, "body": item.body_source,
        "version": item.version, "cascade": item.cascade, "own_roles": not item.inherit_roles,
        "publish_from": local_input(item.publish_from), "expire_at": local_input(item.expire_at),
    }  # fmt: skip
