"""Folders, renaming and moving, and who may change what: the uploader or a moderator
changes a file, any member adds a version, group administrators restore."""

from __future__ import annotations

import io

from tests.files.helpers import PDF, client_for, make_org, uploaded_id


def make_folder(client, group_id, name, parent=None):
    return client.post(
        "/api/v1/files/folders", json={"group_id": group_id, "name": name, "parent_id": parent}
    )


def test_nested_folders_with_unique_names_per_folder(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    top = make_folder(member, org.bergen, "Styremøter").get_json()["id"]
    inner = make_folder(member, org.bergen, "2026", parent=top).get_json()["id"]
    assert make_folder(member, org.bergen, "2026").status_code == 201  # another parent
    clash = make_folder(member, org.bergen, "styremøter")
    assert clash.status_code == 400
    assert "finnes alt en mappe" in clash.get_json()["fields"]["name"]
    assert make_folder(member, org.bergen, "2026", parent=top).status_code == 400
    assert make_folder(member, org.bergen, "   ").status_code == 400
    # Another group's folder is not a place to put things.
    oslo = make_folder(client_for(app, org.outsider), org.oslo, "Oslo").get_json()["id"]
    assert make_folder(member, org.bergen, "Lurt", parent=oslo).status_code == 404

    file_id = uploaded_id(member, org.bergen, "Referat.pdf", PDF)
    assert member.post(f"/filer/{file_id}/flytt", data={"folder": str(inner)}).status_code == 302
    listed = member.get(f"/api/v1/files?group={org.bergen}&folder={inner}").get_json()
    assert [f["name"] for f in listed["files"]] == ["Referat.pdf"]
    assert [p["name"] for p in listed["path"]] == ["Styremøter", "2026"]
    page = member.get(f"/grupper/{org.bergen}/filer/mappe/{inner}").get_data(as_text=True)
    assert "Referat.pdf" in page and "Styremøter" in page
    moved = member.patch(f"/api/v1/files/{file_id}", json={"folder_id": oslo})
    assert moved.status_code == 404

    not_empty = member.delete(f"/api/v1/files/folders/{inner}")
    assert not_empty.status_code == 400 and "ikke tom" in not_empty.get_json()["detail"]
    member.patch(f"/api/v1/files/{file_id}", json={"folder_id": None})
    assert member.delete(f"/api/v1/files/folders/{inner}").status_code == 200


def test_rename_keeps_the_type_and_cleans_the_name(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    file_id = uploaded_id(member, org.bergen, "Referat.pdf", PDF)
    answer = member.patch(
        f"/api/v1/files/{file_id}",
        json={"name": "../Referat årsmøte.exe", "description": "Vedtatt"},
    )
    assert answer.status_code == 200
    assert answer.get_json()["name"] == "Referat årsmøte.exe.pdf"
    assert answer.get_json()["description"] == "Vedtatt"


def test_who_may_change_what(app, db):
    org = make_org(db)
    member, other, leader = (client_for(app, m) for m in (org.member, org.other, org.leader))
    file_id = uploaded_id(member, org.bergen, "Referat.pdf", PDF)

    # Another member may read and add a version, but not rename, move or delete it.
    assert other.get(f"/filer/{file_id}").status_code == 200
    assert other.patch(f"/api/v1/files/{file_id}", json={"name": "Mitt"}).status_code == 403
    assert other.delete(f"/api/v1/files/{file_id}").status_code == 403
    assert other.post(f"/filer/{file_id}/slett").status_code == 403
    version = other.post(
        f"/api/v1/files/{file_id}/versions",
        data={"file": (io.BytesIO(PDF + b"v2"), "ny.pdf")},
        content_type="multipart/form-data",
    )
    assert version.status_code == 201 and version.get_json()["number"] == 2
    page = other.get(f"/filer/{file_id}").get_data(as_text=True)
    assert "Last opp ny versjon" in page and "Slett filen" not in page

    # The lokallagsleder administers the group: may change anything and restore.
    assert leader.patch(f"/api/v1/files/{file_id}", json={"name": "Vedtatt"}).status_code == 200
    assert leader.delete(f"/api/v1/files/{file_id}").status_code == 200
    trash_page = leader.get(f"/grupper/{org.bergen}/filer/papirkurv").get_data(as_text=True)
    assert "Vedtatt.pdf" in trash_page
    assert leader.post(f"/api/v1/files/{file_id}/restore").status_code == 200

    # The uploader changes their own file.
    assert member.delete(f"/api/v1/files/{file_id}").status_code == 200
    assert member.post(f"/filer/{file_id}/gjenopprett").status_code == 403
