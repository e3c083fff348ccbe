"""The yardstick of the page benchmark: a bare Flask + Jinja page of one thread's 20 posts.

Reads the same posts from the same SQLite file as the portal's thread page, with the
sqlite3 module and no ORM, login, permission checks or layout: the floor a Python page
can reach on this machine. Served by gunicorn as `bench.bare_app:app`.
"""

from __future__ import annotations

import os
import sqlite3

from flask import Flask, g, render_template_string

PAGE = """<!doctype html>
<html lang="nb"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1>
{% for post in posts %}
<article id="innlegg-{{ post.id }}"><header><strong>{{ post.author }}</strong>
<time datetime="{{ post.created_at }}">{{ post.created_at[:16] }}</time></header>
<div class="body">{{ post.body_html | safe }}</div></article>
{% endfor %}
</main></body></html>"""

app = Flask(__name__)
DATABASE = os.environ.get("BARE_DATABASE", "bench/data/pages.db")
THREAD = int(os.environ.get("BARE_THREAD", "1"))


def database() -> sqlite3.Connection:
    if "db" not in g:
        g.db = sqlite3.connect(DATABASE)
        g.db.row_factory = sqlite3.Row
    return g.db


@app.teardown_appcontext
def close(_error: BaseException | None) -> None:
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


@app.get("/")
def thread() -> str:
    db = database()
    title = db.execute("SELECT title FROM discussion_thread WHERE id = ?", (THREAD,)).fetchone()
    posts = db.execute(
        "SELECT p.id, p.body_html, p.created_at, m.first_name || ' ' || m.last_name AS author "
        "FROM discussion_post p LEFT JOIN member m ON m.number = p.author_number "
        "WHERE p.thread_id = ? ORDER BY p.id LIMIT 20",
        (THREAD,),
    ).fetchall()
    return render_template_string(PAGE, title=title[0] if title else "", posts=posts)
