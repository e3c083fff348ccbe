"""File lists cost the same number of statements for 2 files as for 30."""

from __future__ import annotations

from tests.files.helpers import PDF, client_for, make_org, png, upload
from tests.querycount import counted


def statements(app, client, paths):
    found = {}
    for path in paths:
        counts = []
        for _ in range(2):  # the fewer of two: now and then a request also notes a last visit
            with counted(app) as seen:
                assert client.get(path).status_code == 200, path
            counts.append(len(seen))
        found[path] = min(counts)
    return found


def add_files(client, group_id, start, count, folder=None):
    for n in range(start, start + count):
        content = png(40, 30) if n % 3 == 0 else PDF
        name = f"Fil {n}.png" if n % 3 == 0 else f"Fil {n}.pdf"
        assert upload(client, group_id, (name, content), folder=folder).status_code == 201


def test_file_lists_do_not_grow_with_the_files(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    folder = member.post("/api/v1/files/folders", json={"group_id": org.bergen, "name": "Mappe"})
    folder_id = folder.get_json()["id"]
    member.post(
        "/api/v1/files/folders",
        json={"group_id": org.bergen, "name": "Under", "parent_id": folder_id},
    )
    add_files(member, org.bergen, 0, 2)
    add_files(member, org.bergen, 2, 2, folder=folder_id)
    paths = [
        f"/grupper/{org.bergen}/filer",
        f"/grupper/{org.bergen}/filer/mappe/{folder_id}",
        f"/api/v1/files?group={org.bergen}",
        f"/grupper/{org.bergen}",
    ]
    few = statements(app, member, paths)

    add_files(member, org.bergen, 10, 28)
    add_files(member, org.bergen, 40, 28, folder=folder_id)
    many = statements(app, member, paths)

    assert many == few
    # BEGIN, the login check, the group and its permission, then a fixed handful.
    assert max(n for path, n in many.items() if "filer" in path or "api" in path) <= 18
