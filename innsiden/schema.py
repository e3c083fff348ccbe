"""Imports every model module, so Base.metadata holds the whole schema (Alembic reads it)."""

from innsiden import audit, events  # noqa: F401
from innsiden.auth import models as auth_models  # noqa: F401
from innsiden.discussions import models as discussions_models  # noqa: F401
from innsiden.files import models as files_models  # noqa: F401
from innsiden.gatherings import models as gatherings_models  # noqa: F401
from innsiden.groups import models as groups_models  # noqa: F401
from innsiden.notifications import models as notifications_models  # noqa: F401
from innsiden.polls import models as polls_models  # noqa: F401
from membersync import models as membersync_models  # noqa: F401
from membersync.db import Base

metadata = Base.metadata
