"""Event times: typed and shown in Europe/Oslo in the reader's language, stored as aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime, format_time

from innsiden.i18n import current_language, date_pattern

OSLO = ZoneInfo("Europe/Oslo")
INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def _locale() -> str:
    # The page's language, or the recipient's where a job forced it (i18n.member_locale).
    return current_language()


def parse_local(text: str) -> datetime | None:
    """An Oslo wall-clock time from a form ("2026-10-24T18:00") as UTC; None if empty/bad."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        naive = datetime.strptime(text[:16], INPUT_FORMAT)
    except ValueError:
        return None
    return naive.replace(tzinfo=OSLO).astimezone(UTC)


def input_value(moment: datetime | None) -> str:
    """The value for a datetime-local field showing `moment` in Oslo time."""
    return moment.astimezone(OSLO).strftime(INPUT_FORMAT) if moment else ""


def local(moment: datetime) -> datetime:
    return moment.astimezone(OSLO)


def when(moment: datetime | None) -> str:
    """ "lørdag 24. oktober 2026 kl. 18:00"."""
    if moment is None:
        return ""
    return format_datetime(moment, date_pattern("when"), tzinfo=OSLO, locale=_locale())


def span(start: datetime, end: datetime) -> str:
    """Start and end, the date once if both fall on the same Oslo day."""
    if local(start).date() == local(end).date():
        return f"{when(start)}–{clock(end)}"
    return f"{when(start)} – {when(end)}"


def clock(moment: datetime) -> str:
    return format_time(moment, date_pattern("clock"), tzinfo=OSLO, locale=_locale())


def day(moment: datetime | date) -> str:
    """ "lør. 24. okt."."""
    if isinstance(moment, datetime):
        moment = local(moment).date()
    return format_date(moment, date_pattern("day"), locale=_locale())


def month_name(first: date) -> str:
    return format_date(first, "LLLL y", locale=_locale()).capitalize()


def oslo_day_bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants of the start of `first` and the end of `last`, Oslo days."""
    start = datetime.combine(first, datetime.min.time(), tzinfo=OSLO)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=OSLO)
    return start.astimezone(UTC), end.astimezone(UTC)
