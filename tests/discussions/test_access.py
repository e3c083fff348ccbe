"""A member of another group gets 404 for every page, API answer and room of a thread."""

import io

import pytest
from PIL import Image

from innsiden import realtime
from tests.discussions.conftest import posts_of, reply, start_thread


def png_bytes(size=(40, 30)):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def bergen_thread(world):
    kari = world.client(world.leader)
    thread_id, post_id = start_thread(kari, world.bergen, title="Bare for Bergen", body="Hemmelig")
    response = kari.post(
        f"/diskusjoner/traad/{thread_id}/svar",
        data={"body": "Med bilde", "bilder": (io.BytesIO(png_bytes()), "kart.png")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    image_id = posts_of(kari, thread_id)[1]["images"][0]["id"]
    return thread_id, post_id, image_id


def test_pages_of_another_groups_thread_are_not_found(world, bergen_thread):
    thread_id, post_id, image_id = bergen_thread
    oslo = world.client(world.outsider)
    for path in [
        f"/diskusjoner/traad/{thread_id}",
        f"/diskusjoner/traad/{thread_id}?siste=1",
        f"/diskusjoner/innlegg/{post_id}",
        f"/diskusjoner/innlegg/{post_id}/fragment",
        f"/diskusjoner/innlegg/{post_id}/historikk",
        f"/diskusjoner/innlegg/{post_id}/rediger",
        f"/diskusjoner/gruppe/{world.bergen}",
        f"/diskusjoner/gruppe/{world.bergen}/traader",
        f"/diskusjoner/gruppe/{world.bergen}/ny",
        f"/diskusjoner/gruppe/{world.bergen}/rapporter",
        f"/diskusjoner/bilde/{image_id}",
        f"/diskusjoner/bilde/{image_id}/mini",
    ]:
        response = oslo.get(path)
        assert response.status_code == 404, path
        assert "Hemmelig" not in response.get_data(as_text=True)
    # The Bergen member does see them.
    anne = world.client(world.anne)
    assert anne.get(f"/diskusjoner/bilde/{image_id}").status_code == 200


def test_writing_into_another_groups_thread_is_not_found(world, bergen_thread):
    thread_id, post_id, _image_id = bergen_thread
    oslo = world.client(world.outsider)
    forms = {
        f"/diskusjoner/traad/{thread_id}/svar": {"body": "Inntrenger"},
        f"/diskusjoner/innlegg/{post_id}/reaksjon": {"kind": "tommel"},
        f"/diskusjoner/innlegg/{post_id}/rapporter": {"reason": "spam"},
        f"/diskusjoner/innlegg/{post_id}/slett": {},
        f"/diskusjoner/innlegg/{post_id}/skjul": {"reason": "x"},
        f"/diskusjoner/traad/{thread_id}/fest": {"pinned": "ja"},
        f"/diskusjoner/traad/{thread_id}/laas": {"locked": "ja"},
        f"/diskusjoner/gruppe/{world.bergen}/ny": {"title": "Inntrenger", "body": "x"},
        f"/diskusjoner/gruppe/{world.bergen}/merk-lest": {},
    }
    for path, data in forms.items():
        assert oslo.post(path, data=data).status_code == 404, path
    anne = world.client(world.anne)
    page = anne.get(f"/diskusjoner/traad/{thread_id}?siste=1").get_data(as_text=True)
    assert "Inntrenger" not in page
    assert '👍</span><span class="visually-hidden">Tommel opp</span> 1' not in page


def test_the_api_answers_not_found_outside_the_group(world, bergen_thread):
    thread_id, post_id, _image_id = bergen_thread
    oslo = world.client(world.outsider)
    base = "/api/v1/discussions"
    calls = [
        ("get", f"{base}/groups/{world.bergen}/threads", None),
        ("post", f"{base}/groups/{world.bergen}/threads", {"title": "Inntrenger", "body": "x"}),
        ("get", f"{base}/groups/{world.bergen}/members?prefix=K", None),
        ("get", f"{base}/threads/{thread_id}", None),
        ("post", f"{base}/threads/{thread_id}/posts", {"body": "Inntrenger"}),
        ("patch", f"{base}/posts/{post_id}", {"body": "Inntrenger"}),
        ("delete", f"{base}/posts/{post_id}", None),
        ("get", f"{base}/posts/{post_id}/revisions", None),
        ("put", f"{base}/posts/{post_id}/reactions/tommel", None),
        ("delete", f"{base}/posts/{post_id}/reactions/tommel", None),
        ("post", f"{base}/posts/{post_id}/reports", {"reason": "spam"}),
    ]
    for method, path, body in calls:
        response = getattr(oslo, method)(path, json=body)
        assert response.status_code == 404, (method, path)
        assert response.get_json()["code"] == "not_found"
    kari = world.client(world.leader)
    assert reply(kari, thread_id, "Fortsatt vår") > post_id


def test_the_socket_room_of_another_groups_thread_cannot_be_joined(world, bergen_thread):
    thread_id, _post_id, _image_id = bergen_thread
    oslo_http = world.client(world.outsider)
    oslo = realtime.socketio.test_client(world.app, flask_test_client=oslo_http)
    assert oslo.is_connected()
    assert oslo.emit("join", {"room": f"thread:{thread_id}"}, callback=True) == {"ok": False}
    assert oslo.emit("join", {"room": f"group:{world.bergen}"}, callback=True) == {"ok": False}
    anne_http = world.client(world.anne)
    anne = realtime.socketio.test_client(world.app, flask_test_client=anne_http)
    assert anne.emit("join", {"room": f"thread:{thread_id}"}, callback=True) == {"ok": True}
    oslo.disconnect()
    anne.disconnect()


def test_an_open_interest_groups_threads_are_readable_but_not_writable_by_outsiders(world, db):
    from tests.groups.helpers import make_interest_group

    group = make_interest_group(db, "Klima", "open", admin=world.anne, members=[world.per])
    db.commit()
    thread_id, post_id = start_thread(world.client(world.per), group.id, body="Åpent for alle")
    oslo = world.client(world.outsider)
    assert "Åpent for alle" in oslo.get(f"/diskusjoner/traad/{thread_id}").get_data(as_text=True)
    response = oslo.post(f"/api/v1/discussions/threads/{thread_id}/posts", json={"body": "Hei"})
    assert response.status_code == 403  # may read, so "not allowed" rather than "not found"
    assert oslo.put(f"/api/v1/discussions/posts/{post_id}/reactions/tommel").status_code == 403
