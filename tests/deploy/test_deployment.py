"""deploy/ as a whole: Debian's nginx with the site from deploy/nginx/innsiden.conf (TLS with
a self-signed certificate) in front of three gunicorn web processes (deploy/gunicorn.conf.py)
on PostgreSQL, Redis and S3 (moto). A member logs in through nginx with a one-time code;
what another member posts through one process reaches them live through another."""

from __future__ import annotations

import pytest

from tests import services
from tests.conftest import _postgres_database
from tests.deploy import topology as deployed
from tests.deploy.portal import live_client, log_in, submit
from tests.realtime.processes import wait_until
from tests.s3 import BUCKET, REGION

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def stack(tmp_path_factory, s3_endpoint):
    nginx = deployed.nginx_binary()
    if nginx is None:
        services.unavailable("nginx", "no nginx binary (apt-get install nginx-light)")
    for service, reason in (
        ("postgres", services.postgres_reachable()),
        ("redis", services.redis_reachable()),
    ):
        if reason:
            services.unavailable(service, reason)
    database = _postgres_database()
    url = next(database)
    try:
        workdir = tmp_path_factory.mktemp("deploy")
        with deployed.running(
            workdir, url, services.REDIS_URL, s3_endpoint, BUCKET, REGION, nginx
        ) as topology:
            yield topology, deployed.seed(url, members=2)
    finally:
        database.close()


def test_a_post_through_one_process_reaches_a_member_live_through_another(stack):
    topology, seeded = stack
    (_, reader_email), (_, writer_email) = seeded.members
    # Two members whose addresses nginx's ip_hash sends to different web processes.
    sources = deployed.sources_by_upstream(topology, wanted=2)
    (reader_upstream, reader_source), (writer_upstream, writer_source) = list(sources.items())[:2]
    reader, writer = topology.session(reader_source), topology.session(writer_source)

    logged_in = log_in(reader, topology.https, reader_email, topology.outbox)
    assert logged_in.headers[deployed.UPSTREAM_HEADER] == reader_upstream
    assert any(c.name == "session" and c.secure for c in reader.cookies), "cookie not Secure"
    log_in(writer, topology.https, writer_email, topology.outbox)

    live = live_client(reader, topology.https, topology.ca_file, reader_source)
    threads: list[dict] = []
    posts: list[dict] = []
    live.on("discussions:thread", threads.append)
    live.on("discussions:post", posts.append)
    live.connect(topology.https, wait_timeout=20)
    try:
        # Polling, then the upgrade through nginx to the same process (sticky upstream).
        assert live.transport() == "websocket"
        group_room = {"room": f"group:{seeded.group_id}"}
        assert live.call("join", group_room, timeout=20) == {"ok": True}
        created = submit(
            writer,
            f"{topology.https}/diskusjoner/gruppe/{seeded.group_id}/ny",
            {"title": "Dugnad i parken", "body": "Hvem blir med på lørdag?"},
        )
        assert created.status_code == 302, created.text
        assert created.headers[deployed.UPSTREAM_HEADER] == writer_upstream != reader_upstream
        thread_id = int(created.headers["Location"].rstrip("/").rsplit("/", 1)[1])
        wait_until(lambda: bool(threads), 20, "the new thread to reach the reader live")
        # (A new thread is two events, thread.created and post.created, each telling the list.)
        assert {tuple(t.items()) for t in threads} == {
            (("thread_id", thread_id), ("group_id", seeded.group_id))
        }

        thread_room = {"room": f"thread:{thread_id}"}
        assert live.call("join", thread_room, timeout=20) == {"ok": True}
        thread_page = f"{topology.https}/diskusjoner/traad/{thread_id}"
        replied = submit(
            writer, f"{thread_page}/svar", {"body": "Jeg tar med kaffe."}, page=thread_page
        )
        assert replied.status_code == 302, replied.text
        wait_until(lambda: bool(posts), 20, "the reply to reach the reader live")
        [pushed] = posts  # exactly once, though three processes share the queue
        assert pushed["thread_id"] == thread_id and pushed["action"] == "created"
    finally:
        live.disconnect()
    page = reader.get(f"{topology.https}/diskusjoner/traad/{thread_id}", timeout=30)
    assert page.status_code == 200
    assert "Dugnad i parken" in page.text and "Jeg tar med kaffe." in page.text


def test_nginx_serves_what_the_site_promises(stack):
    topology, _seeded = stack
    with topology.session() as browser:
        plain = browser.get(f"{topology.http}/logg-inn", allow_redirects=False, timeout=10)
        assert plain.status_code == 301
        assert plain.headers["Location"].startswith("https://")

        page = browser.get(f"{topology.https}/logg-inn", timeout=10)
        assert page.status_code == 200
        assert page.headers["Strict-Transport-Security"] == "max-age=63072000"
        assert page.headers["X-Request-Id"]  # nginx's $request_id, echoed by the portal

        css = browser.get(f"{topology.https}/static/css/innsiden.css", timeout=10)
        assert css.status_code == 200
        assert deployed.UPSTREAM_HEADER not in css.headers  # nginx itself, from the disk
        assert "public" in css.headers["Cache-Control"]
        assert css.headers["Strict-Transport-Security"] == "max-age=63072000"

        assert browser.get(f"{topology.https}/metrics", timeout=10).status_code == 404
        for process in topology.processes:  # scraped directly on loopback instead
            assert browser.get(f"{process.url}/metrics", timeout=10).status_code == 200
