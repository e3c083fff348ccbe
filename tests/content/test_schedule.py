"""Publish-from and expire-at: a scheduled item appears when the job runs past its time and
disappears after its expiry, in pages, the API and the group's news."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from innsiden.content.models import ContentItem
from innsiden.search import get_engine
from membersync.db import utcnow
from tests.conftest import run_jobs
from tests.content.conftest import Org, act, client_for, create


def move_clock(db: Session, item_id: int, **times: timedelta) -> None:
    """Stand in for the clock moving on: put the item's times relative to now."""
    db.execute(update(ContentItem).where(ContentItem.id == item_id)
               .values(**{k: utcnow() + v for k, v in times.items()}))  # fmt: skip
    db.commit()


def test_scheduled_item_appears_after_the_job_and_disappears_after_expiry(
    app: Flask, db: Session, org: Org
) -> None:
    leader, member = client_for(app, org.leader), client_for(app, org.bergen)
    later = (utcnow() + timedelta(hours=2)).isoformat()
    item = create(leader, org.groups["0001"], "news", title="Julebord", publish_from=later)
    published = act(leader, item["id"], "publiser").get_json()
    assert published["state"] == "publisert" and published["live"] is False
    url = f"/api/v1/content/{item['id']}"
    assert member.get(url).status_code == 404
    run_jobs(app, db)
    assert member.get(url).status_code == 404  # not yet time
    move_clock(db, item["id"], publish_from=timedelta(seconds=-1), expire_at=timedelta(hours=1))
    assert member.get(url).status_code == 404  # time, but the job has not run
    run_jobs(app, db)
    assert member.get(url).status_code == 200
    assert member.get(f"/innhold/sted/{org.groups['0001']}/nyheter").text.count("Julebord") == 1
    move_clock(db, item["id"], expire_at=timedelta(seconds=-1))
    run_jobs(app, db)
    assert member.get(url).status_code == 404
    assert "Julebord" not in member.get(f"/innhold/sted/{org.groups['0001']}/nyheter").text
    # Its editors still find it, marked as not visible now.
    assert "Ikke synlig nå" in leader.get(f"/innhold/{item['id']}").text
    get_engine(app).close()
