"""The administrators' HTML routes, on the blueprint in `innsiden.admin.blueprint`; importing
this package adds them all.

- index.py        the administrators' front page
- sync_runs.py    every membersync run and what one run changed
- audit_log.py    the audit log, filtered and paged (viewing it is logged)
- suspensions.py  suspend and restore a member's portal access, log a member out everywhere
- api_tokens.py   every member's personal access tokens for the API; revoke one
"""

from innsiden.admin.views import api_tokens, audit_log, index, suspensions, sync_runs

__all__ = ["api_tokens", "audit_log", "index", "suspensions", "sync_runs"]
