"""Reading a poll from a form or a JSON body into `drafting.PollInput`.

Times are typed in Oslo time (`datetime-local` fields) and stored in UTC; the API also takes
ISO 8601 with an offset. Date-poll options are one per line: "2026-12-03 kl. 19" (a date,
then an optional note).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import format_date
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from innsiden.errors import ValidationFailed
from innsiden.i18n import date_pattern
from innsiden.polls.drafting import OptionInput, PollInput
from innsiden.polls.models import Poll

OSLO = ZoneInfo("Europe/Oslo")
UTC = ZoneInfo("UTC")


def parse_time(text: str, field: str, errors: dict[str, str]) -> datetime | None:
    """An Oslo wall-clock time ("2026-12-03T19:00") or ISO 8601 with offset, as UTC."""
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        errors[field] = _("Skriv tidspunktet som ÅÅÅÅ-MM-DD TT:MM.")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OSLO)
    return moment.astimezone(UTC)


def local_input(moment: datetime | None) -> str:
    """A UTC time as the value of a `datetime-local` field (Oslo time)."""
    return moment.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M") if moment else ""


def parse_option_lines(text: str, kind: str, errors: dict[str, str]) -> list[OptionInput]:
    options = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if kind != "date":
            options.append(OptionInput(line))
            continue
        day_text, _sep, note = line.partition(" ")
        day = _parse_day(day_text, errors)
        if day is not None:
            options.append(OptionInput(date_label(day, note.strip()), day))
    return options


def _parse_day(text: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors["options"] = _("Hvert forslag må begynne med en dato (ÅÅÅÅ-MM-DD).")
        return None


def date_label(day: date, note: str = "") -> str:
    label = format_date(day, date_pattern("date_long"))
    return f"{label} {note}".strip()


def _whole_number_field(text: Any, field: str, errors: dict[str, str]) -> int | None:
    text = str(text if text is not None else "").strip()
    if not text:
        return None
    if not text.isdigit():
        errors[field] = _("Skriv et helt tall.")
        return None
    return int(text)


def _finish(fields: dict[str, Any], errors: dict[str, str]) -> PollInput:
    if fields.get("closes_at") is None and "closes_at" not in errors:
        errors["closes_at"] = _("Oppgi når avstemningen stenger.")
    if errors:
        raise ValidationFailed(fields=errors)
    return PollInput(**fields)


def poll_from_form(form: MultiDict[str, str]) -> PollInput:
    errors: dict[str, str] = {}
    kind = form.get("kind", "")
    fields = {
        "kind": kind,
        "question": form.get("question", ""),
        "description": form.get("description", ""),
        "options": parse_option_lines(form.get("options", ""), kind, errors),
        "max_choices": _whole_number_field(form.get("max_choices"), "max_choices", errors),
        "opens_at": parse_time(form.get("opens_at", ""), "opens_at", errors),
        "closes_at": parse_time(form.get("closes_at", ""), "closes_at", errors),
        "electorate": form.get("electorate", "members"),
        "secret": form.get("secret", "ja") == "ja",
        "may_change": form.get("may_change") == "ja",
        "results_shown": form.get("results_shown", "after_close"),
        "quorum_kind": form.get("quorum_kind", "none"),
        "quorum_value": _whole_number_field(form.get("quorum_value"), "quorum_value", errors),
    }
    return _finish(fields, errors)


def poll_from_json(body: dict[str, Any]) -> PollInput:
    errors: dict[str, str] = {}
    kind = str(body.get("kind", ""))
    options = []
    for item in body.get("options") or []:
        if isinstance(item, dict):
            day = _parse_day(str(item.get("day", "")), errors) if kind == "date" else None
            label = str(item.get("label", "")).strip()
            if day is not None and kind == "date":
                label = date_label(day, label)
            options.append(OptionInput(label, day))
        else:
            options.extend(parse_option_lines(str(item), kind, errors))
    fields = {
        "kind": kind,
        "question": str(body.get("question", "")),
        "description": str(body.get("description", "")),
        "options": options,
        "max_choices": _whole_number_field(body.get("max_choices"), "max_choices", errors),
        "opens_at": parse_time(str(body.get("opens_at") or ""), "opens_at", errors),
        "closes_at": parse_time(str(body.get("closes_at") or ""), "closes_at", errors),
        "electorate": str(body.get("electorate", "members")),
        "secret": bool(body.get("secret", True)),
        "may_change": bool(body.get("may_change", False)),
        "results_shown": str(body.get("results_shown", "after_close")),
        "quorum_kind": str(body.get("quorum_kind", "none")),
        "quorum_value": _whole_number_field(body.get("quorum_value"), "quorum_value", errors),
    }
    return _finish(fields, errors)


def form_values(poll: Poll | None, form: MultiDict[str, str] | None = None) -> dict[str, str]:
    """What the create/edit form shows: what was typed, else the poll's values."""
    if form is not None and form:
        return {key: form.get(key, "") for key in form}
    if poll is None:
        return {"kind": "yes_no", "secret": "ja", "results_shown": "after_close"}
    lines = [_option_line(o.label, o.day) for o in poll.options]
    return {
        "kind": poll.kind,
        "question": poll.question,
        "description": poll.description_source,
        "options": "\n".join(lines) if poll.kind != "yes_no" else "",
        "max_choices": str(poll.max_choices or ""),
        "opens_at": local_input(poll.opens_at),
        "closes_at": local_input(poll.closes_at),
        "electorate": poll.electorate,
        "secret": "ja" if poll.secret else "nei",
        "may_change": "ja" if poll.may_change else "",
        "results_shown": poll.results_shown,
        "quorum_kind": poll.quorum_kind,
        "quorum_value": str(poll.quorum_value or ""),
    }


def _option_line(label: str, day: date | None) -> str:
    """A stored option as the line that would make it again ("2026-12-03 kl. 19")."""
    if day is None:
        return label
    note = label.removeprefix(date_label(day)).strip()
    return f"{day.isoformat()} {note}".strip()
