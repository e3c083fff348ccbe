"""The events' HTML routes, on the blueprint in `innsiden.gatherings.blueprint`; importing
this package adds them all.

- pages.py      calendars, an event with its reply form, creating, editing and cancelling
- organiser.py  the organisers' attendee list, CSV, check-in, messages and papers
- calendar.py   .ics files, the personal calendar feed, reminder and feed settings
"""

from innsiden.gatherings.views import calendar, organiser, pages

__all__ = ["calendar", "organiser", "pages"]
