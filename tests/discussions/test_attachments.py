"""Documents attached to posts: kept by the files capability (the group's file area, its
type checks, its permission-checked downloads), refused whole when a file is not allowed."""

import io

from sqlalchemy import select

from innsiden.files.models import File
from tests.discussions.conftest import posts_of, start_thread
from tests.files.helpers import PDF, png, stored_objects
from tests.querycount import counted

HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def reply_with(client, thread_id, body, documents=(), pictures=()):
    return client.post(
        f"/diskusjoner/traad/{thread_id}/svar",
        data={
            "body": body,
            "vedlegg": [(io.BytesIO(data), name) for name, data in documents],
            "bilder": [(io.BytesIO(data), name) for name, data in pictures],
        },
        content_type="multipart/form-data",
    )


def files_of(db, post_id):
    db.expire_all()
    return list(db.scalars(select(File).where(File.source == f"post:{post_id}")))


def test_a_pdf_attached_to_a_reply_is_shown_under_the_post_and_in_the_file_area(world, db):
    kari, anne, per = (world.client(m) for m in (world.leader, world.anne, world.per))
    thread_id, _ = start_thread(kari, world.bergen)
    response = reply_with(anne, thread_id, "Her er sakspapirene.", [("Sakspapirer.pdf", PDF)])
    assert response.status_code == 302
    reply_id = posts_of(kari, thread_id)[-1]["id"]
    [file] = files_of(db, reply_id)

    page = per.get(f"/diskusjoner/traad/{thread_id}?siste=1").get_data(as_text=True)
    post_html = page.split(f'id="innlegg-{reply_id}"')[1].split("</article>")[0]
    assert "Sakspapirer.pdf" in post_html and f"/filer/{file.id}/last-ned" in post_html

    area = per.get(f"/grupper/{world.bergen}/filer").get_data(as_text=True)
    assert "Sakspapirer.pdf" in area
    download = per.get(f"/filer/{file.id}/last-ned", buffered=True)
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_a_new_thread_can_carry_documents_too(world, db):
    anne = world.client(world.anne)
    response = anne.post(
        f"/diskusjoner/gruppe/{world.bergen}/ny",
        data={"title": "Styremøte", "body": "Innkalling vedlagt.",
              "vedlegg": [(io.BytesIO(PDF), "Innkalling.pdf"), (io.BytesIO(b""), "")]},
        content_type="multipart/form-data",
    )  # fmt: skip
    assert response.status_code == 302
    thread_id = int(response.headers["Location"].split("/traad/")[1].split("?")[0].split("#")[0])
    opening_id = posts_of(anne, thread_id)[0]["id"]
    assert [f.name for f in files_of(db, opening_id)] == ["Innkalling.pdf"]


def test_a_member_of_another_group_cannot_open_a_posts_document(world, db):
    anne, outsider = world.client(world.anne), world.client(world.outsider)
    thread_id, _ = start_thread(anne, world.bergen)
    assert reply_with(anne, thread_id, "Referat.", [("Referat.pdf", PDF)]).status_code == 302
    [file] = files_of(db, posts_of(anne, thread_id)[-1]["id"])
    assert outsider.get(f"/filer/{file.id}/last-ned", buffered=True).status_code == 404
    assert outsider.get(f"/filer/{file.id}").status_code == 404
    assert outsider.get(f"/diskusjoner/traad/{thread_id}").status_code == 404


def test_html_disguised_as_pdf_refuses_the_whole_reply(world, db):
    anne = world.client(world.anne)
    thread_id, _ = start_thread(anne, world.bergen)
    before = stored_objects(world.app)
    response = reply_with(
        anne, thread_id, "Se vedlegget.",
        documents=[("Sakspapirer.pdf", PDF), ("referat.pdf", HTML_AS_PDF)],
        pictures=[("bilde.png", png())],
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "referat.pdf: Denne filtypen kan ikke lastes opp." in page
    assert "Se vedlegget." in page  # the text is kept in the form to try again
    assert len(posts_of(anne, thread_id)) == 1  # no reply
    assert db.scalars(select(File)).all() == []
    assert stored_objects(world.app) == before  # not the good PDF, not the picture


def test_a_refused_reply_leaves_no_stored_document_behind(world, db):
    anne = world.client(world.anne)
    thread_id, _ = start_thread(anne, world.bergen)
    before = stored_objects(world.app)
    response = reply_with(anne, thread_id, "", documents=[("Sakspapirer.pdf", PDF)])
    assert response.status_code == 400  # the text is missing; the document was fine
    assert len(posts_of(anne, thread_id)) == 1
    assert db.scalars(select(File)).all() == []
    assert stored_objects(world.app) == before


def test_the_thread_page_does_not_grow_with_attached_documents(world):
    anne, per = world.client(world.anne), world.client(world.per)
    thread_id, _ = start_thread(anne, world.bergen)
    assert reply_with(anne, thread_id, "Uten vedlegg.").status_code == 302
    path = f"/diskusjoner/traad/{thread_id}?fra=1"

    def statements() -> int:
        per.get(path)  # warm: the first view writes the read mark
        with counted(world.app) as seen:
            assert per.get(path).status_code == 200
        return len(seen)

    few = statements()
    for n in range(3):
        docs = [(f"Sak {n}-{k}.pdf", PDF) for k in range(2)]
        assert reply_with(anne, thread_id, f"Svar {n}", docs).status_code == 302
    many = statements()
    assert many == few
    assert per.get(path).get_data(as_text=True).count("/last-ned") == 6
