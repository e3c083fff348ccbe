"""Calendar pages (list and month, mine and a group's): right days, fixed statement counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from innsiden.gatherings.timefmt import OSLO
from membersync.db import utcnow
from tests.gatherings.conftest import create_gathering, reply
from tests.groups.test_query_counts import counted


def month_after_next() -> date:
    first = utcnow().astimezone(OSLO).date().replace(day=1)
    return (first + timedelta(days=62)).replace(day=1)


def _add_events(world, first: date, start: int, count: int) -> None:
    kari, anne = world.client(world.kari), world.client(world.anne)
    for n in range(start, start + count):
        day = first + timedelta(days=n % 27)
        made = create_gathering(
            kari,
            world.bergen if n % 3 else world.vestland,
            title=f"Møte {n}",
            starts_at=datetime.combine(day, time(18)).isoformat(),
            ends_at=datetime.combine(day, time(20)).isoformat(),
            capacity=5 if n % 2 else None,
            audience=("group", "organisation")[n % 2],
        )
        if n % 4 == 0:
            reply(anne, made["id"])


def _statements(app, client, path: str) -> int:
    client.get(path)  # anchors and caches settle on the first look
    with counted(app) as statements:
        assert client.get(path).status_code == 200, path
    return len(statements)


def test_calendar_pages_cost_the_same_for_2_events_as_for_40(app, world):
    first = month_after_next()
    month = first.strftime("%Y-%m")
    anne = world.client(world.anne)
    paths = [
        "/arrangementer/",
        f"/arrangementer/?visning=maned&maned={month}",
        f"/arrangementer/gruppe/{world.bergen}",
        f"/arrangementer/gruppe/{world.bergen}?visning=maned&maned={month}",
        "/api/v1/gatherings",
    ]
    _add_events(world, first, 0, 2)
    few = {path: _statements(app, anne, path) for path in paths}
    _add_events(world, first, 2, 38)
    many = {path: _statements(app, anne, path) for path in paths}
    assert many == few
    assert max(many.values()) <= 25


def test_the_month_view_puts_events_on_their_oslo_day(world):
    first = month_after_next()
    kari = world.client(world.kari)
    # 23:30 Oslo time is the previous day in UTC in winter and summer alike: it must show
    # on the Oslo day.
    late = datetime.combine(first + timedelta(days=9), time(23, 30))
    create_gathering(
        kari,
        world.bergen,
        title="Nattmøte",
        starts_at=late.isoformat(),
        ends_at=(late + timedelta(minutes=20)).isoformat(),
    )
    page = kari.get(f"/arrangementer/gruppe/{world.bergen}?visning=maned&maned={first:%Y-%m}").text
    cell = page[page.index('<span class="day-number">10</span>') :]
    assert cell.index("23:30 Nattmøte") < cell.index('<span class="day-number">11</span>')
    assert "Forrige måned" in page and "Neste måned" in page


def test_the_list_shows_places_and_my_reply_and_the_group_page_links_it(world):
    kari, anne = world.client(world.kari), world.client(world.anne)
    made = create_gathering(kari, world.bergen, title="Dugnad", capacity=10)
    reply(anne, made["id"])
    listing = anne.get("/arrangementer/").text
    assert "Dugnad" in listing
    assert "1 av 10 plasser tatt" in listing
    assert "Du er påmeldt" in listing
    group_page = anne.get(f"/grupper/{world.bergen}").text
    assert "Dugnad" in group_page
    assert f"/arrangementer/gruppe/{world.bergen}" in group_page
    assert "Nytt arrangement" in kari.get(f"/grupper/{world.bergen}").text
