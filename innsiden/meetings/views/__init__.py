"""The meetings' HTML routes, on the blueprint in `innsiden.meetings.blueprint`; importing this
package adds them all.

- pages.py   the member's pages: my meetings, a meeting with my roll line, complaint,
             check-in and out, voting
- leader.py  for the unit's leader: call a meeting, the roll (audited), complaints, freezing,
             corrections, the check-in code, opening and closing votes
- records.py the notice with its evidence, the papers, the constitution and the minutes
- motions.py motions, amendments, recommendations, the voting order and the adopted text
- elections.py elections, nominees, secret ballots with receipts, the count, delegates
- room.py    the projector, the check-in QR code and its link, remote check-in with a
             one-time code, the agenda item on screen, votes on paper with two counters
"""

from innsiden.meetings.views import elections, leader, motions, pages, records, room

__all__ = ["elections", "leader", "motions", "pages", "records", "room"]
