"""Reading what organisers and members send (HTML forms and JSON) into the service's values."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _

from innsiden.errors import ValidationFailed
from innsiden.gatherings import questions
from innsiden.gatherings.reminders import ReminderChoice
from innsiden.gatherings.service import GatheringInput
from innsiden.gatherings.timefmt import parse_local

FORM_ANSWERS = {"kommer": "yes", "kanskje": "maybe", "kommer-ikke": "no"}


def _number(value: object, field: str, errors: dict[str, str]) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit():
        errors[field] = _("Skriv et helt tall.")
        return None
    return int(text)


def _numbers(text: str, errors: dict[str, str]) -> list[int]:
    parts = [p for p in text.replace(",", " ").split() if p]
    if not all(p.isdigit() for p in parts):
        errors["organisers"] = _("Skriv medlemsnumre, skilt med komma.")
        return []
    return [int(p) for p in parts]


def _time(value: str, field: str, errors: dict[str, str]) -> datetime | None:
    moment = parse_local(value)
    if value.strip() and moment is None:
        errors[field] = _("Skriv dato og klokkeslett som 24.10.2026 18:00.")
    return moment


def gathering_from_form(form: Mapping[str, str]) -> GatheringInput:
    errors: dict[str, str] = {}
    data = GatheringInput(
        title=form.get("title", ""),
        description=form.get("description", ""),
        starts_at=_time(form.get("starts_at", ""), "starts_at", errors),
        ends_at=_time(form.get("ends_at", ""), "ends_at", errors),
        place=form.get("place", ""),
        online_url=form.get("online_url", ""),
        capacity=_number(form.get("capacity"), "capacity", errors),
        signup_deadline=_time(form.get("signup_deadline", ""), "signup_deadline", errors),
        audience=form.get("audience", "group"),
        questions=questions.parse_lines(form.get("questions", "")),
        organiser_numbers=_numbers(form.get("organisers", ""), errors),
    )
    if errors:
        raise ValidationFailed(fields=errors)
    return data


def _iso(value: Any, field: str, errors: dict[str, str]) -> datetime | None:
    """An ISO 8601 time from JSON; without an offset it is read as Oslo time."""
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        errors[field] = _("Bruk ISO 8601, som 2026-10-24T18:00:00+02:00.")
        return None
    if moment.tzinfo is None:
        return parse_local(moment.strftime("%Y-%m-%dT%H:%M"))
    return moment.astimezone(UTC)


def gathering_from_json(body: Mapping[str, Any]) -> GatheringInput:
    errors: dict[str, str] = {}
    raw_questions = body.get("questions") or []
    parsed = [
        questions.QuestionInput(
            str(q.get("label", "")).strip(),
            "choice" if q.get("choices") else "text",
            tuple(str(c).strip() for c in q.get("choices") or () if str(c).strip()),
        )
        for q in raw_questions
        if isinstance(q, dict)
    ]
    organisers = body.get("organisers") or []
    data = GatheringInput(
        title=str(body.get("title", "")),
        description=str(body.get("description", "")),
        starts_at=_iso(body.get("starts_at"), "starts_at", errors),
        ends_at=_iso(body.get("ends_at"), "ends_at", errors),
        place=str(body.get("place") or ""),
        online_url=str(body.get("online_url") or ""),
        capacity=_number(body.get("capacity"), "capacity", errors),
        signup_deadline=_iso(body.get("signup_deadline"), "signup_deadline", errors),
        audience=str(body.get("audience") or "group"),
        questions=parsed,
        organiser_numbers=[int(n) for n in organisers if str(n).isdigit()],
    )
    if errors:
        raise ValidationFailed(fields=errors)
    return data


def reminder_choice(channel: str | None, minutes: object) -> ReminderChoice | None:
    """From the reply form's two fields: "standard", "ingen", "email" or "sms", and minutes."""
    if channel in (None, ""):
        return None
    if channel == "standard":
        return ReminderChoice(follows_default=True)
    if channel == "ingen":
        return ReminderChoice(follows_default=False)
    text = str(minutes or "")
    return ReminderChoice(False, channel, int(text) if text.isdigit() else None)
