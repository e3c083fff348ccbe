"""groups: every lokallag and fylkeslag has a group that follows the register, and members
join interest groups.

Module map (one job each):
- models.py       the tables: group anchors and interest groups, interest memberships,
                  hand-given roles, join requests, invitations, mutes, member profiles
- membership.py   who is in a location group, derived from the mirror at each check
- anchors.py      a location group's row (id + portal settings) made the first time it is asked for
- service.py      the API other capabilities use (readable_group_ids, groups_of_member,
                  role_in_group, group_member_numbers, notification_level, …)
- interest.py     interest groups' life cycle (propose, approve, join, ask, invite, leave)
- permissions.py  the "group.*" access rules and the realtime room kind "group"
- listings.py     set-wise listings for pages and API (no query per group)
- activity.py     hooks: unread counts and front-page sections other capabilities fill
- unit_members.py, export.py   leaders' member list from the register, CSV and .xlsx, audited
- notify.py       e-mails for requests, decisions and invitations (until notifications exist)
- views.py, actions.py, leader_views.py, api.py   pages, form actions, member lists, JSON API
- demo.py         demo interest groups
"""
