"""Calendar files: an .ics per event, the personal feed, and Oslo times across summer time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

from innsiden import audit
from membersync.access import end_all_credentials
from membersync.db import utcnow
from tests.gatherings.conftest import create_gathering, reply

OSLO = ZoneInfo("Europe/Oslo")


def autumn_change() -> date:
    """The next last-Sunday-of-October (summer time ends) at least a day ahead."""
    year = utcnow().year
    while True:
        last = date(year, 10, 31)
        sunday = last - timedelta(days=(last.weekday() + 1) % 7)
        if datetime.combine(sunday, time(3), OSLO) > utcnow() + timedelta(days=1):
            return sunday
        year += 1


def at(day: date, hour: int) -> str:
    """An Oslo wall-clock time, as the API reads times without an offset."""
    return datetime.combine(day, time(hour)).isoformat()


def _events(text: str) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    return list(calendar.walk("VEVENT"))


def test_ics_imports_the_right_local_times_on_both_sides_of_the_clock_change(world):
    kari = world.client(world.kari)
    # Summer time ends on a Sunday in October: 18:00 Oslo is 16:00 UTC on the Saturday
    # before and 17:00 UTC a week later (e.g. 24 and 31 October 2026).
    change = autumn_change()
    saturday, next_saturday = change - timedelta(days=1), change + timedelta(days=6)
    before = create_gathering(
        kari,
        world.bergen,
        title="Før omleggingen; med komma, og \\",
        starts_at=at(saturday, 18),
        ends_at=at(saturday, 20),
    )
    after = create_gathering(
        kari,
        world.bergen,
        title="Etter omleggingen",
        starts_at=at(next_saturday, 18),
        ends_at=at(next_saturday, 20),
    )
    for made, utc_hour in ((before, 16), (after, 17)):
        response = kari.get(f"/arrangementer/{made['id']}.ics")
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        assert b"\r\n" in response.data
        [event] = _events(response.text)
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert (start.astimezone(OSLO).hour, start.astimezone(OSLO).minute) == (18, 0)
        assert start.astimezone(UTC).hour == utc_hour
        assert end.astimezone(OSLO).hour == 20
        assert str(event["summary"]) == made["title"]
        assert f"/arrangementer/{made['id']}" in str(event["url"])


def test_a_long_description_is_folded_and_still_reads_back(world):
    kari = world.client(world.kari)
    text = "Sakliste: " + "årsberetning, regnskap og valg; " * 20
    made = create_gathering(kari, world.bergen, description=text)
    body = kari.get(f"/arrangementer/{made['id']}.ics").text
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    [event] = _events(body)
    assert text.strip() in str(event["description"])


def _feed_url(client) -> str:
    page = client.post("/arrangementer/innstillinger/kalender")
    assert page.status_code == 200
    start = page.text.index("http://localhost/arrangementer/kalender/")
    return page.text[start : page.text.index('"', start)].removeprefix("http://localhost")


def test_the_feed_holds_my_groups_and_open_events_and_dies_when_revoked(world, db, app):
    kari, anne, oslo = (world.client(m) for m in (world.kari, world.anne, world.outsider))
    ours = create_gathering(kari, world.bergen, title="Lokallagsmøte")
    open_one = create_gathering(kari, world.bergen, title="Kurs for alle", audience="organisation")
    theirs = create_gathering(oslo, world.oslo, title="Oslo-møte")
    reply(anne, ours["id"])

    url = _feed_url(anne)
    public = app.test_client()  # a calendar app: no login, only the secret address
    feed = public.get(url)
    assert feed.status_code == 200
    titles = {str(e["summary"]) for e in _events(feed.text)}
    assert titles == {"Lokallagsmøte", "Kurs for alle"}
    assert theirs["title"] not in feed.text
    assert open_one["title"] in public.get(_feed_url(oslo)).text

    # A new address makes the old one stop working; deleting it ends the new one.
    newer = _feed_url(anne)
    assert public.get(url).status_code == 404
    assert public.get(newer).status_code == 200
    anne.post("/arrangementer/innstillinger/kalender/slett")
    assert public.get(newer).status_code == 404
    db.commit()
    actions = db.scalars(
        audit.AuditEntry.__table__.select()
        .with_only_columns(audit.AuditEntry.action)
        .where(audit.AuditEntry.actor_number == world.anne.number)
    ).all()
    assert actions.count("gathering.feed_created") == 2
    assert "gathering.feed_revoked" in actions


def test_log_out_everywhere_or_losing_membership_ends_the_feed(world, db, app):
    anne = world.client(world.anne)
    create_gathering(world.client(world.kari), world.bergen)
    url = _feed_url(anne)
    public = app.test_client()
    assert public.get(url).status_code == 200
    end_all_credentials(db, world.anne.number)
    db.commit()
    assert public.get(url).status_code == 404

    per = world.client(world.per)
    url = _feed_url(per)
    assert public.get(url).status_code == 200
    world.per.status = "utmeldt"
    db.commit()
    assert public.get(url).status_code == 404


def test_the_settings_page_never_shows_a_stored_address_again(world):
    anne = world.client(world.anne)
    url = _feed_url(anne)
    page = anne.get("/arrangementer/innstillinger").text
    assert "Du har en kalenderadresse" in page
    assert url not in page


def test_feed_times_for_the_time_change_events(world, app):
    kari = world.client(world.kari)
    change = autumn_change()
    days = [change - timedelta(days=1), change + timedelta(days=6)]
    for day in days:
        create_gathering(kari, world.bergen, starts_at=at(day, 18), ends_at=at(day, 20))
    events = _events(app.test_client().get(_feed_url(kari)).text)
    local_starts = sorted(e.decoded("dtstart").astimezone(OSLO) for e in events)
    assert [(s.date(), s.hour) for s in local_starts] == [(d, 18) for d in days]
    assert [s.utcoffset().total_seconds() / 3600 for s in local_starts] == [2, 1]
    assert all(isinstance(s, datetime) for s in local_starts)
