"""webhooks: outgoing webhooks for the organisation's own integrations.

- models.py       registered endpoints and their deliveries
- permissions.py  who manages them ("webhook.manage": portal administrators) and what may be
                  sent (only what every member of the organisation may see)
- service.py      registering (https only) and removing an endpoint, audit-logged
- delivery.py     the jobs: events → deliveries (`webhooks.collect`), signed POSTs with
                  retries (`webhooks.send`)
- views.py        the administrators' page under /admin/webhooks, with the delivery log
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the admin page, the webhook.* rule and the delivery jobs."""
    from innsiden.webhooks import delivery, permissions  # noqa: F401 - they register on import
    from innsiden.webhooks.views import bp

    app.register_blueprint(bp)
