"""A small copy of the demo portal (`make run`'s register and every capability's demo content)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden import demo
from innsiden.db import session_factory
from membersync import demo_register
from membersync.models import Member
from membersync.sync import SyncOptions, run_sync


def seed_demo(app: Flask, db: Session, directory: Path, members: int = 80) -> dict[str, Member]:
    """Load a demo register and the demo content; returns the demo logins by first name."""
    demo_register.generate(members).write_csv(directory)
    factory = session_factory(app)
    with app.app_context():
        run_sync(factory, str(directory), SyncOptions(trigger="demo", actor="test"))
        for _name, seed in demo._seeders:
            with factory() as session:
                seed(session)
                session.commit()
    db.expire_all()
    logins = {}
    for _name, email, _what in demo.DEMO_LOGINS:
        member = db.scalar(select(Member).where(Member.email == email))
        assert member is not None, email
        logins[member.first_name] = member
    return logins
