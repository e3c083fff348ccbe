"""The meetings' HTML routes, on the blueprint in `innsiden.meetings.blueprint`; importing this
package adds them all.

- pages.py   the member's pages: my meetings, a meeting with my roll line, complaint,
             check-in and out, voting
- leader.py  for the unit's leader: call a meeting, the roll (audited), complaints, freezing,
             corrections, the check-in code, opening and closing votes
- records.py the notice with its evidence, the papers, the constitution and the minutes
"""

from innsiden.meetings.views import leader, pages, records

__all__ = ["leader", "pages", "records"]
