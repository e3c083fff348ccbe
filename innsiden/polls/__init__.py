"""polls: members of a group vote on local matters — one member, one vote, a result people trust.

Module map (one job each):
- models.py        polls, options, the frozen electorate, voters, secret ballots, group settings
- service.py       reading: state by the clock, listings, a member's place in a poll
- drafting.py      create, edit until the first vote, delete; the group's "members may create"
- lifecycle.py     open (freeze the electorate), remind, close; the job `polls.open_and_close`
- voting.py        cast and change votes (one per member, enforced by the database)
- secrecy.py       receipts, and reshuffling secret ballots; the residual risks, written down
- results.py       counts, percentages, turnout, quorum, ties; published ballots; open votes
- permissions.py   the "poll.*" rules and the realtime rooms "poll" and "poll-results"
- live.py          Socket.IO pushes after commit; notify.py  notifications and digest items
- group_page.py    the group front-page section and the unread count on "Mine grupper"
- forms.py, export.py   form/JSON input (Oslo time → UTC), the CSV export
- views.py, manage_views.py, api.py   pages, the pages for those who run polls, JSON API
- demo.py          demo polls of every kind, open and closed
"""
