"""iCalendar (RFC 5545) text for one event or a member's feed, written by hand.

Times are given as Oslo wall-clock times with `TZID=Europe/Oslo` and a VTIMEZONE holding
the EU summer-time rules, so calendar apps show 18:00 as 18:00 on both sides of a
daylight-saving change. Lines end in CRLF and are folded at 75 octets, as the RFC says.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from innsiden.gatherings.models import Gathering
from innsiden.gatherings.timefmt import OSLO
from innsiden.sanitize import plain_text

MIMETYPE = "text/calendar; charset=utf-8"
TZID = "Europe/Oslo"
# Central European Time: summer time from the last Sunday of March 02:00 to the last
# Sunday of October 03:00 (EU rules, unchanged since 1996).
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19700329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19701025T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma and newlines escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets, never inside a character."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # continuation lines start with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _local(moment: datetime) -> str:
    return moment.astimezone(OSLO).strftime("%Y%m%dT%H%M%S")


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_lines(gathering: Gathering, base_url: str) -> list[str]:
    link = f"{base_url}/arrangementer/{gathering.id}"
    description = plain_text(gathering.description_html).strip()
    if gathering.cancelled:
        description = f"AVLYST. {gathering.cancel_reason}\n\n{description}".strip()
    description = f"{description}\n\n{link}".strip()
    location = ", ".join(p for p in (gathering.place, gathering.online_url or "") if p)
    lines = [
        "BEGIN:VEVENT",
        f"UID:gathering-{gathering.id}@{urlsplit(base_url).hostname or 'innsiden'}",
        f"DTSTAMP:{_utc(gathering.updated_at)}",
        f"LAST-MODIFIED:{_utc(gathering.updated_at)}",
        f"CREATED:{_utc(gathering.created_at)}",
        f"SEQUENCE:{gathering.sequence}",
        f"DTSTART;TZID={TZID}:{_local(gathering.starts_at)}",
        f"DTEND;TZID={TZID}:{_local(gathering.ends_at)}",
        f"SUMMARY:{escape(gathering.title)}",
        f"DESCRIPTION:{escape(description)}",
        f"URL:{link}",
        f"STATUS:{'CANCELLED' if gathering.cancelled else 'CONFIRMED'}",
    ]
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    lines.append("END:VEVENT")
    return lines


def calendar(gatherings: Iterable[Gathering], base_url: str, name: str) -> str:
    """A VCALENDAR holding the events, ready to serve as text/calendar."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Innsiden//Arrangementer//NB",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        *VTIMEZONE,
    ]
    for gathering in gatherings:
        lines.extend(event_lines(gathering, base_url))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
