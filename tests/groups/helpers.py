"""Shared steps for the groups tests: clients per member, and reading groups the way users do."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from innsiden.db import session_factory
from innsiden.groups import service
from innsiden.groups.models import Group, GroupAppointment, GroupMembership
from membersync.models import Member
from tests.conftest import login_as


def client_for(app: Flask, member: Member) -> FlaskClient:
    client = app.test_client()
    login_as(client, member)
    return client


def my_group_names(client: FlaskClient) -> set[str]:
    """The names on the member's "Mine grupper", as the JSON API lists them."""
    response = client.get("/api/v1/groups?mine=1")
    assert response.status_code == 200
    return {g["name"] for g in response.get_json()["groups"]}


def my_roles(client: FlaskClient) -> dict[str, str | None]:
    response = client.get("/api/v1/groups?mine=1")
    return {g["name"]: g["role"] for g in response.get_json()["groups"]}


def members_of(app: Flask, group_name: str) -> set[int]:
    """Member numbers in the group now, by the service other capabilities use."""
    with app.app_context(), session_factory(app)() as session:
        for group in session.scalars(select(Group)).unique():
            if group.name == group_name:
                return service.group_member_numbers(session, group)
    raise AssertionError(f"no group named {group_name}")


def make_interest_group(
    db: Session,
    name: str,
    visibility: str,
    *,
    admin: Member,
    members: list[Member] = (),
    scope_unit_id: str | None = None,
) -> Group:
    group = Group(
        kind="interest",
        own_name=name,
        visibility=visibility,
        status="active",
        created_by=admin.number,
        scope_unit_id=scope_unit_id,
    )
    db.add(group)
    db.flush()
    for member in {admin, *members}:
        db.add(GroupMembership(group_id=group.id, member_number=member.number))
    db.add(GroupAppointment(group_id=group.id, member_number=admin.number, role="administrator"))
    db.flush()
    return group
