"""Imports every model module, so Base.metadata holds the whole schema (Alembic reads it)."""

from importlib import import_module

from membersync.db import Base

# The modules whose tables make up the schema; a capability with tables adds one line here.
MODEL_MODULES = (
    "innsiden.audit",
    "innsiden.events",
    "innsiden.jobs",
    "innsiden.auth.models",
    "innsiden.discussions.models",
    "innsiden.files.models",
    "innsiden.gatherings.models",
    "innsiden.groups.models",
    "innsiden.notifications.models",
    "innsiden.language.models",
    "innsiden.polls.models",
    "innsiden.profile.models",
    "innsiden.content.models",
    "innsiden.desk.models",
    "innsiden.meetings.models",
    "innsiden.meetings.record_models",
    "innsiden.meetings.room_models",
    "innsiden.home.models",
    "innsiden.search.models",
    "innsiden.webhooks.models",
    "membersync.models",
)

for _module in MODEL_MODULES:
    import_module(_module)

metadata = Base.metadata
