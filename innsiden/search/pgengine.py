"""The PostgreSQL search engine: one index in the database, shared by every web server.

Chosen by `INNSIDEN_SEARCH=postgres` (see README "## Search"). The same analysis as the
Whoosh engine feeds PostgreSQL's built-in `norwegian` Snowball configuration:

- `text.Analyzer.index_words` gives the words (lower-cased, foreign accents folded, stop
  words and single letters dropped) followed by the known parts of compounds
  ("vindkraftverket" also as "vindkraft", "kraftverket", "vind" …); PostgreSQL stems them
  into a `tsvector` (title words weighted A, for `ts_rank`), held in a GIN index.
- A query's words go through the same folding, then `plainto_tsquery('norwegian', …)`:
  every word must match.
- Permissions: each row has one audience ("org", "unit:F01", "group:12"); a query matches
  only rows whose audience the member may read. A member who may read every group
  (`ALL_GROUPS`) is not given thousands of group audiences but one prefix condition.
- "Mente du …?": the words written (`search_word`) one edit away from an unknown word,
  looked up by primary key, kept only if the corrected query finds something within the
  member's audiences (a suggestion never reveals what they cannot read).
- Writes: one writer at a time across servers through a PostgreSQL advisory lock; each
  batch is one transaction. A rebuild fills a fresh table (indexes built at the end, which
  is much faster than keeping a GIN index up to date row by row), then swaps it in within
  one transaction; searches use the old table until the swap commits.
"""

# ruff: noqa: S608 - SQL is composed only of this module's constant table and column names
# and fixed clauses; every value (query words, audiences, ids, dates) is a bound parameter.

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC
from typing import Any

from markupsafe import Markup, escape
from sqlalchemy import Connection, Engine, text

from innsiden.search.engine import (
    ALL_GROUPS,
    GROUP_PREFIX,
    Change,
    Delete,
    Progress,
    SearchBusy,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResults,
    audience_allowed,
)
from innsiden.search.index import STORED_BODY_CHARS, make_analyzer
from innsiden.search.text import Analyzer, edits1

CONFIG = "norwegian"
TABLE = "search_document"
NEXT = "search_document_rebuild"
WRITER_LOCK = 0x5EA7C401  # advisory lock keys (any constant shared by every server)
REBUILD_LOCK = 0x5EA7C402
LOCK_TIMEOUT_SECONDS = 120.0
REBUILD_BATCH = 1000
MAX_WORD = 100  # longer "words" (e.g. a pasted link) are not offered as suggestions
# A tsvector holds at most 1 MB; text beyond this many characters is not indexed (Whoosh
# has no such limit, but no document the portal writes comes near it).
MAX_INDEXED_CHARS = 200_000

# The document's text: title words weighted A, the rest (body, author, compound parts) D.
WORDS_SQL = (
    f"setweight(to_tsvector('{CONFIG}', :title_words), 'A') "
    f"|| to_tsvector('{CONFIG}', :other_words)"
)
QUERY_SQL = f"plainto_tsquery('{CONFIG}', :q)"
COLUMNS = "id, parent, kind, audience, group_id, created_at, title, body, author_name, url, words"


def _upsert(table: str) -> Any:
    return text(
        f"INSERT INTO {table} ({COLUMNS}) VALUES (:id, :parent, :kind, :audience, :group_id, "
        f":created_at, :title, :body, :author_name, :url, {WORDS_SQL}) "
        "ON CONFLICT (id) DO UPDATE SET parent = excluded.parent, kind = excluded.kind, "
        "audience = excluded.audience, group_id = excluded.group_id, "
        "created_at = excluded.created_at, title = excluded.title, body = excluded.body, "
        "author_name = excluded.author_name, url = excluded.url, words = excluded.words"
    )


INSERT_WORDS = text(
    "INSERT INTO search_word (word) SELECT unnest(CAST(:words AS text[])) "
    "ON CONFLICT (word) DO NOTHING"
)


class _AdvisoryLock:
    """One holder at a time across processes (a session-level advisory lock on a connection
    of its own); re-entrant within the holding thread, like the Whoosh engine's lock file."""

    def __init__(self, engine: Engine, key: int) -> None:
        self._engine = engine
        self._key = key
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._conn: Connection | None = None

    @contextlib.contextmanager
    def hold(self, timeout: float, busy: str) -> Iterator[None]:
        acquired = (
            self._thread_lock.acquire(timeout=timeout)
            if timeout > 0
            else self._thread_lock.acquire(blocking=False)
        )
        if not acquired:
            raise SearchBusy(busy)
        try:
            if self._depth == 0:
                self._conn = self._take(timeout, busy)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._conn is not None:
                    conn, self._conn = self._conn, None
                    with contextlib.suppress(Exception):
                        conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self._key})
                        conn.commit()
                    conn.close()
        finally:
            self._thread_lock.release()

    def _take(self, timeout: float, busy: str) -> Connection:
        conn = self._engine.connect()
        deadline = time.monotonic() + timeout
        try:
            while True:
                got = conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": self._key})
                conn.commit()  # the lock outlives transactions; hold no snapshot meanwhile
                if got:
                    return conn
                if time.monotonic() >= deadline:
                    raise SearchBusy(busy)
                time.sleep(0.05)  # another server writes; poll until the deadline
        except BaseException:
            conn.close()
            raise


class PostgresEngine:
    """A SearchEngine on the `search_document` table of the portal's PostgreSQL database."""

    def __init__(self, engine: Engine, analyzer: Analyzer | None = None) -> None:
        if engine.dialect.name != "postgresql":
            raise RuntimeError("the postgres search engine needs a PostgreSQL database")
        self.db = engine
        self.analyzer = analyzer or make_analyzer()
        self._writer = _AdvisoryLock(engine, WRITER_LOCK)
        self._rebuilder = _AdvisoryLock(engine, REBUILD_LOCK)

    def exclusive(
        self, timeout: float = LOCK_TIMEOUT_SECONDS
    ) -> contextlib.AbstractContextManager[None]:
        return self._writer.hold(timeout, "the search index writer is busy")

    def close(self) -> None:
        """Nothing to close: connections come from the portal's pool."""

    def doc_count(self) -> int:
        with self.db.connect() as conn:
            return int(conn.scalar(text(f"SELECT count(*) FROM {TABLE}")) or 0)

    # -- writing ---------------------------------------------------------------------------

    def _row(self, doc: SearchDocument) -> dict[str, Any]:
        analyzer = self.analyzer
        other = analyzer.index_words(doc.body) + analyzer.index_words(doc.author_name)
        return {
            "id": doc.id,
            "parent": doc.parent,
            "kind": doc.kind,
            "audience": doc.audience,
            "group_id": doc.group_id,
            "created_at": doc.created_at.astimezone(UTC) if doc.created_at else None,
            "title": doc.title,
            "body": doc.body[:STORED_BODY_CHARS],
            "author_name": doc.author_name,
            "url": doc.url,
            "title_words": " ".join(analyzer.index_words(doc.title))[:MAX_INDEXED_CHARS],
            "other_words": " ".join(other)[:MAX_INDEXED_CHARS],
        }

    def _words(self, doc: SearchDocument) -> set[str]:
        words = self.analyzer.words(f"{doc.title} {doc.body} {doc.author_name}")
        return {w for w in words if len(w) <= MAX_WORD}

    def apply(self, changes: Sequence[Change]) -> None:
        latest: dict[str, Change] = {}
        for change in changes:
            latest.pop(change.id, None)
            latest[change.id] = change
        if not latest:
            return
        deletes = [c for c in latest.values() if isinstance(c, Delete)]
        docs = [c for c in latest.values() if isinstance(c, SearchDocument)]
        with self.exclusive(), self.db.begin() as conn:
            if deletes:
                ids = [d.id for d in deletes]
                parents = [d.id for d in deletes if d.with_children]
                conn.execute(
                    text(f"DELETE FROM {TABLE} WHERE id = ANY(:ids) OR parent = ANY(:parents)"),
                    {"ids": ids, "parents": parents},
                )
            if docs:
                conn.execute(_upsert(TABLE), [self._row(d) for d in docs])
                words = set().union(*(self._words(d) for d in docs))
                conn.execute(INSERT_WORDS, {"words": sorted(words)})

    def index(self, docs: Iterable[SearchDocument]) -> None:
        self.apply(list(docs))

    def delete(self, ids: Iterable[str]) -> None:
        self.apply([Delete(i) for i in ids])

    def rebuild(self, docs: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Fill a fresh table from `docs`, index it, then swap it in within one transaction."""
        with self._rebuilder.hold(0, "another rebuild of the search index is running"):
            try:
                return self._rebuild(docs, progress)
            finally:
                with self.db.begin() as conn:
                    conn.execute(text(f"DROP TABLE IF EXISTS {NEXT}"))

    def _rebuild(self, docs: Iterable[SearchDocument], progress: Progress | None) -> int:
        with self.db.begin() as conn:
            conn.execute(text(f"DROP TABLE IF EXISTS {NEXT}"))
            conn.execute(text(f"CREATE TABLE {NEXT} (LIKE {TABLE} INCLUDING DEFAULTS)"))
            conn.execute(text(f"ALTER TABLE {NEXT} ADD CONSTRAINT pk_{NEXT} PRIMARY KEY (id)"))
        count, words, batch = 0, set[str](), list[SearchDocument]()

        def flush() -> None:
            with self.db.begin() as conn:
                conn.execute(_upsert(NEXT), [self._row(d) for d in batch])
            if progress is not None:
                progress(len(batch))
            batch.clear()

        for doc in docs:
            batch.append(doc)
            words |= self._words(doc)
            count += 1
            if len(batch) >= REBUILD_BATCH:
                flush()
        if batch:
            flush()
        with self.db.begin() as conn:
            conn.execute(text(f"CREATE INDEX ix_{NEXT}_audience ON {NEXT} (audience)"))
            conn.execute(text(f"CREATE INDEX ix_{NEXT}_parent ON {NEXT} (parent)"))
            conn.execute(text(f"CREATE INDEX ix_{NEXT}_words ON {NEXT} USING gin (words)"))
            conn.execute(text(f"ANALYZE {NEXT}"))
            conn.execute(INSERT_WORDS, {"words": sorted(words)})
        with self.exclusive(), self.db.begin() as conn:
            # Searches wait for this transaction only as long as the renames take.
            conn.execute(text(f"DROP TABLE {TABLE}"))
            conn.execute(text(f"ALTER TABLE {NEXT} RENAME TO {TABLE}"))
            conn.execute(text(f"ALTER TABLE {TABLE} RENAME CONSTRAINT pk_{NEXT} TO pk_{TABLE}"))
            for name in ("audience", "parent", "words"):
                conn.execute(text(f"ALTER INDEX ix_{NEXT}_{name} RENAME TO ix_{TABLE}_{name}"))
        return count

    # -- reading ---------------------------------------------------------------------------

    def search(self, q: SearchQuery) -> SearchResults:
        words = self.analyzer.words(q.text)
        page, per_page = max(1, q.page), max(1, q.per_page)
        audiences = frozenset(q.allowed_audiences)
        if not words or not audiences:
            return SearchResults(hits=[], total=0, page=page, per_page=per_page)
        where, params = _where(audiences, q)
        params["q"] = " ".join(words)
        with self.db.connect() as conn:
            # One pass over the matches gives the counts by kind and the page's ids; the
            # page's rows are then read by id (a second pass would cost as much again).
            found = conn.execute(_matches(where, q), {
                **params, "kinds": sorted(q.kinds or ()), "limit": per_page,
                "offset": (page - 1) * per_page,
            }).all()  # fmt: skip
            kind_counts = {row.kind: int(row.n) for row in found if row.kind is not None}
            total = sum(n for k, n in kind_counts.items() if not q.kinds or k in q.kinds)
            if total == 0:
                suggestion = self._suggest(conn, q.text, audiences)
                return SearchResults([], 0, page, per_page, suggestion=suggestion)
            shown = next((row for row in found if row.kind is None), None)
            scores = dict(zip(shown.ids or [], shown.scores or [], strict=True)) if shown else {}
            rows = conn.execute(
                text(
                    "SELECT id, kind, audience, group_id, title, body, author_name, url, "
                    f"created_at FROM {TABLE} WHERE id = ANY(:ids)"
                ),
                {"ids": list(scores)},
            ).all()
        by_id = {row.id: row for row in rows}
        ranked = [(by_id[i], score) for i, score in scores.items() if i in by_id]
        stems = frozenset(self.analyzer.query_stems(q.text))
        # The WHERE clause already excludes other audiences; this is a second check.
        hits = [
            self._hit(row, score, stems)
            for row, score in ranked
            if audience_allowed(row.audience, audiences)
        ]
        return SearchResults(hits, total, page, per_page, kind_counts=kind_counts)

    def _hit(self, row: Any, score: float, stems: frozenset[str]) -> SearchHit:
        return SearchHit(
            id=row.id,
            kind=row.kind,
            audience=row.audience,
            group_id=row.group_id,
            title=self.analyzer.mark_all(row.title, stems) if row.title else Markup(""),
            excerpt=self.analyzer.highlight(row.body, stems) if row.body else escape(""),
            url=row.url,
            author_name=row.author_name,
            created_at=row.created_at.astimezone(UTC) if row.created_at else None,
            score=score,
        )

    # -- "mente du …?" ----------------------------------------------------------------------

    def _finds(self, conn: Connection, words: list[str], audiences: frozenset[str]) -> bool:
        where, params = _where(audiences, SearchQuery(" ".join(words), audiences))
        params["q"] = " ".join(words)
        return bool(
            conn.scalar(text(f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE {where})"), params)
        )

    def _suggest(self, conn: Connection, text_: str, audiences: frozenset[str]) -> str | None:
        """The query with each word that finds nothing replaced by the written word one edit
        away that does (with the words before it), if there is one for every such word."""
        words = self.analyzer.words(text_)
        corrected: list[str] = []
        changed = False
        for word in words:
            if self._finds(conn, [*corrected, word], audiences):
                corrected.append(word)
                continue
            candidates = conn.scalars(
                text("SELECT word FROM search_word WHERE word = ANY(:c)"),
                {"c": sorted(c for c in edits1(word) if c not in self.analyzer.stopwords)},
            ).all()
            # Same-length edits (swaps, typos) first, then the base form (its own stem).
            ranked = sorted(
                candidates,
                key=lambda c: (abs(len(c) - len(word)), c != self.analyzer.stem(c), c),
            )
            found = next((c for c in ranked if self._finds(conn, [*corrected, c], audiences)), None)
            if found is None:
                return None
            corrected.append(found)
            changed = True
        return " ".join(corrected) if changed and corrected else None


_ORDER = {
    "relevance": "score DESC, created_at DESC NULLS LAST, id",
    "newest": "created_at DESC NULLS LAST, id DESC",
}


def _matches(where: str, q: SearchQuery) -> Any:
    """Rows (kind, n, NULL, NULL) with the count of each kind (before the kind filter), and
    one row (NULL, NULL, ids, scores) with the page's ids and scores, best first."""
    kinds = "WHERE kind = ANY(:kinds)" if q.kinds else ""
    order = _ORDER[q.sort]
    return text(
        f"WITH m AS MATERIALIZED (SELECT id, kind, created_at, "
        f"ts_rank(words, {QUERY_SQL}) AS score FROM {TABLE} WHERE {where}), "
        f"page AS (SELECT id, score, created_at FROM m {kinds} ORDER BY {order} "
        f"LIMIT :limit OFFSET :offset) "
        f"SELECT kind, count(*) AS n, NULL AS ids, NULL AS scores FROM m GROUP BY kind "
        f"UNION ALL SELECT NULL, NULL, array_agg(id ORDER BY {order}), "
        f"array_agg(score ORDER BY {order}) FROM page"
    )


def _where(audiences: frozenset[str], q: SearchQuery) -> tuple[str, dict[str, Any]]:
    """The WHERE clause of a query: its words, the member's audiences, group and dates."""
    named = sorted(a for a in audiences if a != ALL_GROUPS)
    clauses = [f"words @@ {QUERY_SQL}"]
    if ALL_GROUPS in audiences:
        clauses.append("(audience = ANY(:audiences) OR audience LIKE :groups)")
    else:
        clauses.append("audience = ANY(:audiences)")
    params: dict[str, Any] = {"audiences": named, "groups": f"{GROUP_PREFIX}%"}
    if q.group_id is not None:
        clauses.append("group_id = :group_id")
        params["group_id"] = q.group_id
    if q.date_from is not None:
        clauses.append("created_at >= :date_from")
        params["date_from"] = q.date_from.astimezone(UTC)
    if q.date_to is not None:
        clauses.append("created_at <= :date_to")
        params["date_to"] = q.date_to.astimezone(UTC)
    return " AND ".join(clauses), params
