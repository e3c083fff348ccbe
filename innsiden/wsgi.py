"""The WSGI entry point for production servers: `gunicorn --preload innsiden.wsgi:app`.

With --preload the master builds the app once and forks its workers from it, so they share
its memory. Freezing the garbage collector's view of everything built so far keeps it that
way: otherwise each worker's first collections touch every object and copy the pages.
"""

from __future__ import annotations

import gc

from innsiden import create_app

app = create_app()
gc.collect()
gc.freeze()
