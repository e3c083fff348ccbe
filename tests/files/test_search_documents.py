"""What search learns about files: a document per live file for its group's members, gone
when the file goes to the trash."""

from __future__ import annotations

from innsiden.db import session_factory
from innsiden.files.search import all_files, file_changes
from innsiden.search.engine import Delete
from tests.files.helpers import PDF, client_for, make_org, uploaded_id


def test_a_file_is_a_document_of_its_group_until_deleted(app, db):
    org = make_org(db)
    member = client_for(app, org.member)
    file_id = uploaded_id(member, org.bergen, "Budsjett 2027.pdf", PDF)

    with app.app_context(), session_factory(app)() as session:
        (document,) = file_changes(session, {"file_id": file_id})
        assert document.id == f"file:{file_id}" and document.kind == "file"
        assert document.audience == f"group:{org.bergen}"
        assert document.title == "Budsjett 2027.pdf" and document.url == f"/filer/{file_id}"
        assert document.author_name.startswith("Per")
        assert [d.id for d in all_files(session)] == [f"file:{file_id}"]

    member.delete(f"/api/v1/files/{file_id}")
    with app.app_context(), session_factory(app)() as session:
        assert list(file_changes(session, {"file_id": file_id})) == [Delete(f"file:{file_id}")]
        assert list(all_files(session)) == []
