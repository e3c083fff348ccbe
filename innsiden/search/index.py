"""The Whoosh search engine: the only module that imports Whoosh.

Design for speed at a million documents on one core (see README "## Search"):

- Permission scoping is part of the term itself. Every word is indexed as
  "<stem>|<audience>" (e.g. "møt|group:12"), so a member's query looks up only the posting
  lists of their own audiences: a search costs a handful of tiny lists however large the
  index grows, and a document outside the allowed audiences cannot match at all — there is
  no filter to get wrong. Posting lists are short, so 2- and 3-word AND queries cost about
  as little as one word. (With many audiences, the audiences that hold a word are found from
  the sorted term list by prefix instead of one lookup per audience.) A group's document is
  also indexed under "all groups" ("møt|group:*"), the one audience a member who may read
  every group searches instead of thousands (an index built before needs a rebuild for it
  to pay off; until then such a search falls back to the per-group terms).
- No positions are indexed (no phrase search), only term counts, which keeps the index and
  the rebuild small; BM25 still ranks.
- Kind, group and date live in fixed-width columns read per candidate, not in posting lists.
- One long-lived searcher, refreshed only when the index changed, and a pointer file
  (`CURRENT`) that a rebuild switches atomically to a fresh directory.
- One writer across processes: `exclusive()` holds an fcntl lock file.
"""

from __future__ import annotations

import contextlib
import fcntl
import heapq
import mmap
import os
import shutil
import threading
import time
from array import array
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from whoosh import columns, fields, index, query
from whoosh.analysis import IDTokenizer
from whoosh.codec.whoosh3 import W3Codec, W3PostingsWriter, W3TermInfo
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.formats import Existence
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.matching import ListMatcher
from whoosh.searching import Searcher

from innsiden.search.engine import (
    ALL_GROUPS,
    GROUP_PREFIX,
    KINDS,
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
from innsiden.search.locking import WriterLock, lock_file
from innsiden.search.text import Analyzer, edits1, load_lexicon

POINTER = "CURRENT"
LOCK_FILE = "writer.lock"
REBUILD_LOCK_FILE = "rebuild.lock"
STORED_BODY_CHARS = 4000  # enough for any post; long file texts are excerpted from their start
MANY_AUDIENCES = 48  # above this, find a word's audiences by prefix scan, not one by one
LOCK_TIMEOUT_SECONDS = 120.0
REBUILD_SEGMENT_DOCS = 1_000_000  # bounds a rebuild's memory (see _MemoryPool)
TITLE_WEIGHT = 2  # title words count twice in the term counts (BM25)
# Terms are scoped per audience, so most posting lists hold a few documents (5 million terms
# for a million posts): lists shorter than INLINE_LIMIT live inside the term table instead of
# as blocks of their own, which halves the build time and saves a seek per lookup. Such small
# blocks are not worth compressing either.
INLINE_LIMIT = 16
CODEC_ARGS: dict[str, int] = {"blocklimit": 128, "compression": 0, "inlinelimit": INLINE_LIMIT}


class _PostingsWriter(W3PostingsWriter):
    def finish_postings(self) -> W3TermInfo:
        # whoosh-reloaded 2.7.5 calls a misspelt `set_inline` here, so inlining (any
        # inlinelimit above 1) crashes; this is the same method with the right name.
        if not self.written() and len(self) < self._inlinelimit:
            terminfo = self._terminfo
            terminfo.add_block(self)
            terminfo.set_inlined(self._ids, self._weights, self._values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class _InlineMatcher(ListMatcher):
    def value(self) -> bytes:
        # Whoosh's ListMatcher answers "" (text) for postings without values, which its own
        # segment merge then refuses; values are bytes.
        return super().value() or b""


class InnsidenCodec(W3Codec):
    """Whoosh's W3 codec with working inline postings. Its name is stored in the index's
    table of contents, so renaming or moving it needs `innsiden search rebuild`."""

    # Per-term length statistics only serve Whoosh's block-skipping optimisation, which the
    # collector here does not use; gathering them re-reads every document's length for every
    # posting (a third of the build time).
    length_stats = False

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        if not terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        ids, weights, values = terminfo.inlined_postings()
        return _InlineMatcher(
            ids, weights, values, format_, scorer=scorer, term=term, terminfo=terminfo
        )

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> _PostingsWriter:
        return _PostingsWriter(
            dbfile, blocklimit=self._blocklimit, byteids=byteids,
            compression=self._compression, inlinelimit=self._inlinelimit,
        )  # fmt: skip


def _codec() -> W3Codec:
    return InnsidenCodec(**CODEC_ARGS)


class _MappedFile(BufferFile):
    """A segment file read straight from a memory map: no copy on open (Whoosh's own
    BufferFile wraps its buffer in a BytesIO, which copies it), no system call per read."""

    def __init__(self, mapped: mmap.mmap, name: str) -> None:
        self._buf = mapped  # type: ignore[assignment]
        self._name = name
        self.file = mapped  # mmap reads, seeks and tells like a file
        self.onclose = None
        self.is_real = False
        self.is_closed = False

    def close(self) -> None:
        if not self.is_closed:
            self.is_closed = True
            self._buf.close()  # type: ignore[union-attr]


class _MappedStorage(FileStorage):
    def open_file(self, name: str, **kwargs: Any) -> StructFile:
        path = self._fpath(name)
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:  # e.g. postings when all are inline
                return BufferFile(b"", name=name)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return _MappedFile(mapped, name)


def _create(path: Path) -> index.Index:
    return _MappedStorage(str(path)).create_index(_schema())


def _writer(ix: index.Index) -> Any:
    # Not compound: Whoosh reads a compound segment's parts through BytesIO, which copies
    # the whole term table into memory each time a searcher opens (seconds at a million
    # posts); plain files are opened in microseconds and read through the page cache.
    return ix.writer(codec=_codec(), compound=False)


def _rebuild_writer(ix: index.Index) -> Any:
    writer = _writer(ix)
    writer.pool = _MemoryPool()
    return writer


class _MemoryPool:
    """Postings of a rebuild kept in memory as compact arrays, instead of Whoosh's external
    sort (which pickles every posting to temporary runs and back: half the build time).

    About 1.5 GB per million posts; `rebuild()` starts a new segment every
    REBUILD_SEGMENT_DOCS documents to bound it."""

    def __init__(self) -> None:
        self._fields: dict[str, dict[bytes, array[int]]] = {}

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        fieldname, tbytes, docnum, weight, _value = item  # values are always empty here
        terms = self._fields.get(fieldname)
        if terms is None:
            terms = self._fields[fieldname] = {}
        postings = terms.get(tbytes)
        if postings is None:
            postings = terms[tbytes] = array("I")
        postings.append(docnum)
        postings.append(int(weight))

    def iter_postings(self) -> Iterator[tuple[str, bytes, int, float, bytes]]:
        for fieldname in sorted(self._fields):
            terms = self._fields[fieldname]
            for tbytes in sorted(terms):
                postings = terms[tbytes]
                for i in range(0, len(postings), 2):
                    yield fieldname, tbytes, postings[i], float(postings[i + 1]), b""

    def cleanup(self) -> None:
        self._fields.clear()


class _Terms(fields.FieldType):
    """A field indexed from a ready {term: count} mapping: no analyzer, no token objects,
    only the counts BM25 needs (no positions, no per-posting values)."""

    def __init__(self) -> None:
        super().__init__(Existence(), IDTokenizer(), scorable=True, stored=False)

    def index(
        self, value: dict[str, int], **_kwargs: Any
    ) -> Iterator[tuple[bytes, int, float, bytes]]:
        for term, count in value.items():
            yield term.encode(), count, float(count), b""


def make_analyzer() -> Analyzer:
    return Analyzer(stemmer_for_language("no"), stopwords_for_language("no"), load_lexicon())


def _schema() -> fields.Schema:
    return fields.Schema(
        id=fields.ID(unique=True),
        parent=fields.ID(),
        text=_Terms(),
        kind=fields.COLUMN(columns.NumericColumn("B", default=255)),
        group=fields.COLUMN(columns.NumericColumn("i", default=0)),
        created=fields.COLUMN(columns.NumericColumn("q", default=0)),
        doc=fields.STORED(),
    )


def scoped(term: str, audience: str) -> str:
    return f"{term}|{audience}"


class WhooshEngine:
    """A SearchEngine on a Whoosh index in `root` (pointer file + index directories)."""

    def __init__(self, root: str | os.PathLike[str], analyzer: Analyzer | None = None) -> None:
        self.root = Path(root)
        self.analyzer = analyzer or make_analyzer()
        self._search_lock = threading.Lock()
        self._writer = WriterLock(self.root / LOCK_FILE)
        self._searcher: Searcher | None = None
        self._searcher_dir: str | None = None

    # -- where the index lives -------------------------------------------------------------

    def _current_name(self) -> str | None:
        try:
            return (self.root / POINTER).read_text().strip() or None
        except FileNotFoundError:
            return None

    def _open_current(self) -> index.Index:
        """The index the pointer names, created empty on first use."""
        name = self._current_name()
        if name is None:
            with self.exclusive():
                name = self._current_name()
                if name is None:
                    name = self._new_directory()
                    _create(self.root / name)
                    self._switch_to(name)
        return _MappedStorage(str(self.root / name)).open_index()

    def _new_directory(self) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"index-{datetime.now(UTC):%Y%m%dT%H%M%S}-{os.getpid()}-{time.monotonic_ns()}"
        (self.root / name).mkdir()
        return name

    def _switch_to(self, name: str) -> None:
        """Point readers and writers at `name` in one atomic rename."""
        temporary = self.root / f"{POINTER}.{os.getpid()}.tmp"
        temporary.write_text(name + "\n")
        with open(temporary) as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, self.root / POINTER)

    def _remove_old(self, keep: set[str]) -> None:
        """Remove index directories other than `keep` (and any left by a crashed rebuild).

        The index just replaced is kept, so searchers still holding it in other processes
        keep working until they notice the switch on their next search."""
        for stale in self.root.glob("index-*"):
            if stale.name not in keep:
                shutil.rmtree(stale, ignore_errors=True)

    def exclusive(
        self, timeout: float = LOCK_TIMEOUT_SECONDS
    ) -> contextlib.AbstractContextManager[None]:
        return self._writer.hold(timeout)

    # -- writing ---------------------------------------------------------------------------

    def apply(self, changes: Sequence[Change]) -> None:
        # One change per document, the latest: a Whoosh writer cannot see documents it
        # added itself, so a second update of the same id in one batch would duplicate it.
        latest: dict[str, Change] = {}
        for change in changes:
            latest.pop(change.id, None)
            latest[change.id] = change
        if not latest:
            return
        with self.exclusive():
            ix = self._open_current()
            writer = _writer(ix)
            try:
                for change in latest.values():
                    if isinstance(change, Delete):
                        writer.delete_by_term("id", change.id)
                        if change.with_children:
                            writer.delete_by_term("parent", change.id)
                    else:
                        writer.update_document(**self._fields(change))
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def index(self, docs: Iterable[SearchDocument]) -> None:
        self.apply(list(docs))

    def delete(self, ids: Iterable[str]) -> None:
        self.apply([Delete(i) for i in ids])

    def rebuild(self, docs: Iterable[SearchDocument], progress: Progress | None = None) -> int:
        """Index `docs` into a new directory, then switch the pointer to it atomically."""
        with self._rebuilding():
            return self._rebuild(docs, progress)

    @contextlib.contextmanager
    def _rebuilding(self) -> Iterator[None]:
        """One rebuild at a time (a second would race the first's clean-up)."""
        try:
            fd = lock_file(self.root / REBUILD_LOCK_FILE, 0)
        except SearchBusy:
            raise SearchBusy("another rebuild of the search index is running") from None
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _rebuild(self, docs: Iterable[SearchDocument], progress: Progress | None) -> int:
        name = self._new_directory()
        ix = _create(self.root / name)
        count = 0
        writer = _rebuild_writer(ix)
        try:
            for doc in docs:
                writer.add_document(**self._fields(doc))
                count += 1
                if count % 1000 == 0:
                    if progress is not None:
                        progress(1000)
                    if count % REBUILD_SEGMENT_DOCS == 0:
                        writer.commit(merge=False)
                        writer = _rebuild_writer(ix)
        except BaseException:
            writer.cancel()
            shutil.rmtree(self.root / name, ignore_errors=True)
            raise
        writer.commit(merge=False)
        if progress is not None:
            progress(count % 1000)
        with self.exclusive():
            previous = self._current_name()
            self._switch_to(name)
        self._remove_old(keep={name, previous or name})
        return count

    def _fields(self, doc: SearchDocument) -> dict[str, Any]:
        analyzer = self.analyzer
        words = analyzer.index_terms(doc.title) * TITLE_WEIGHT
        words += analyzer.index_terms(doc.body)
        words += analyzer.index_terms(doc.author_name)
        audience = doc.audience
        created = int(doc.created_at.timestamp()) if doc.created_at else 0
        stored = (
            doc.id, doc.kind, audience, doc.group_id, doc.title, doc.body[:STORED_BODY_CHARS],
            doc.author_name, created, doc.url,
        )  # fmt: skip
        counts: dict[str, int] = {}
        # A group's document is also indexed under "all groups", so a member who may read
        # every group walks one posting list per word instead of one per group.
        every = audience.startswith(GROUP_PREFIX)
        for word in words:
            term = f"{word}|{audience}"
            counts[term] = counts.get(term, 0) + 1
            if every:
                term = f"{word}|{ALL_GROUPS}"
                counts[term] = counts.get(term, 0) + 1
        values: dict[str, Any] = {
            "id": doc.id,
            "text": counts,
            "kind": KINDS.index(doc.kind),
            "group": doc.group_id or 0,
            "created": created,
            "doc": stored,
        }
        if doc.parent:
            values["parent"] = doc.parent
        return values

    # -- reading ---------------------------------------------------------------------------

    def _fresh_searcher(self) -> Searcher:
        """The long-lived searcher, reopened only if the index or the pointer changed."""
        name = self._current_name()
        if self._searcher is None or name != self._searcher_dir:
            ix = self._open_current()
            old, self._searcher = self._searcher, ix.searcher()
            self._searcher_dir = self._current_name()
            if old is not None:
                old.close()
        elif not self._searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers by segment id, so a segment
            # whose deletions changed would keep serving the deleted documents.
            old, self._searcher = self._searcher, self._searcher._ix.searcher()
            old.close()
        return self._searcher

    def doc_count(self) -> int:
        with self._search_lock:
            return self._fresh_searcher().doc_count()

    def close(self) -> None:
        with self._search_lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def search(self, q: SearchQuery) -> SearchResults:
        stems = self.analyzer.query_stems(q.text)
        page, per_page = max(1, q.page), max(1, q.per_page)
        empty = SearchResults(hits=[], total=0, page=page, per_page=per_page)
        audiences = set(q.allowed_audiences)
        if not stems or not audiences:
            return empty
        with self._search_lock:
            searcher = self._fresh_searcher()
            found = self._collect(searcher, stems, audiences, q, page * per_page)
            if found.total == 0:
                suggestion = self._suggest(searcher, q.text, audiences)
                return SearchResults([], 0, page, per_page, suggestion=suggestion)
            shown = found.top[(page - 1) * per_page : page * per_page]
            hits = [self._hit(searcher, docnum, score, stems) for score, docnum in shown]
        # Scoping already excludes other audiences; this is a second, independent check.
        hits = [h for h in hits if audience_allowed(h.audience, audiences)]
        return SearchResults(hits, found.total, page, per_page, kind_counts=found.kind_counts)

    def _audiences_with(self, searcher: Searcher, stem: str, audiences: set[str]) -> set[str]:
        """Which of `audiences` hold at least one document with `stem`."""
        reader = searcher.reader()
        if ALL_GROUPS in audiences and ("text", scoped(stem, ALL_GROUPS)) in reader:
            # Every group's documents through the one "all groups" term (named groups are
            # left out: a document must be walked once).
            others = {a for a in audiences if not a.startswith(GROUP_PREFIX)}
            return {ALL_GROUPS} | self._audiences_with(searcher, stem, others)
        if ALL_GROUPS not in audiences and len(audiences) <= MANY_AUDIENCES:
            return {a for a in audiences if ("text", scoped(stem, a)) in reader}
        # Many audiences, or every group in an index built before "all groups" terms
        # (or a word in no group): the audiences that hold the word, from the sorted term
        # list, then those allowed.
        prefix = f"{stem}|".encode()
        present = {t[len(prefix) :].decode() for t in reader.expand_prefix("text", prefix)}
        return {a for a in present if a != ALL_GROUPS and audience_allowed(a, audiences)}

    def _collect(
        self, searcher: Searcher, stems: list[str], audiences: set[str], q: SearchQuery, limit: int
    ) -> _Collected:
        live = set(audiences)
        for stem in stems:
            live = self._audiences_with(searcher, stem, live)
            if not live:
                return _Collected()
        # A document has exactly one audience, so the audiences are disjoint: each is
        # walked on its own (no union matcher to merge them, which cost more than scoring).
        per_audience = [
            query.And([query.Term("text", scoped(s, a)) for s in stems])
            if len(stems) > 1
            else query.Term("text", scoped(stems[0], a))
            for a in sorted(live)
        ]
        accept = _Filter(q)
        collected = _Collected()
        heap: list[tuple[float, int]] = []
        context = searcher.context()
        by_date = q.sort == "newest"
        for leaf, offset in searcher.leaf_searchers():
            columns = _Columns(leaf.reader(), accept.needs_place or by_date)
            for audience_query in per_audience:
                matcher = audience_query.matcher(leaf, context)
                while matcher.is_active():
                    docnum = matcher.id()
                    kind = KINDS[columns.kind[docnum]]
                    if accept.needs_place and not accept.place(
                        columns.group[docnum], columns.created[docnum]
                    ):
                        matcher.next()
                        continue
                    collected.kind_counts[kind] = collected.kind_counts.get(kind, 0) + 1
                    if accept.kind(kind):
                        collected.total += 1
                        key = float(columns.created[docnum]) if by_date else matcher.score()
                        item = (key, offset + docnum)
                        if len(heap) < limit:
                            heapq.heappush(heap, item)
                        elif item > heap[0]:
                            heapq.heapreplace(heap, item)
                    matcher.next()
        collected.top = sorted(heap, reverse=True)
        return collected

    def _hit(self, searcher: Searcher, docnum: int, score: float, stems: list[str]) -> SearchHit:
        doc_id, kind, audience, group_id, title, body, author, created, url = (
            searcher.stored_fields(docnum)["doc"]
        )
        wanted = frozenset(stems)
        return SearchHit(
            id=doc_id,
            kind=kind,
            audience=audience,
            group_id=group_id,
            title=self.analyzer.mark_all(title, wanted) if title else Markup(""),
            excerpt=self.analyzer.highlight(body, wanted) if body else escape(""),
            url=url,
            author_name=author,
            created_at=datetime.fromtimestamp(created, UTC) if created else None,
            score=score,
        )

    # -- "mente du …?" ----------------------------------------------------------------------

    def _suggest(self, searcher: Searcher, text: str, audiences: set[str]) -> str | None:
        """The query with unknown words replaced by the nearest known word, if that finds
        anything. Only words from the member's own audiences are offered, so a suggestion
        never reveals what is written where they cannot read."""
        words = self.analyzer.words(text)
        if not words:
            return None
        corrected: list[str] = []
        live = set(audiences)
        changed = False
        for word in words:
            stem = self.analyzer.stem(word)
            present = self._audiences_with(searcher, stem, live)
            if not present:
                word, present = self._nearest(searcher, word, live)
                changed = True
                if not present:
                    return None
            corrected.append(word)
            live = present
        return " ".join(corrected) if changed else None

    def _nearest(self, searcher: Searcher, word: str, audiences: set[str]) -> tuple[str, set[str]]:
        """The known word one edit away from `word` that most documents hold."""
        reader = searcher.reader()
        best: tuple[int, int, bool] | None = None
        best_word, best_audiences = word, set[str]()
        by_stem: dict[str, tuple[int, set[str]]] = {}
        for candidate in sorted(edits1(word)):
            stem = self.analyzer.stem(candidate)
            if stem not in by_stem:
                present = self._audiences_with(searcher, stem, audiences)
                freq = sum(reader.doc_frequency("text", scoped(stem, a)) for a in present)
                by_stem[stem] = (freq, present)
            freq, present = by_stem[stem]
            # Most documents first; then prefer same-length edits (swaps, typos) and the
            # candidate that is its own stem (a base form rather than an odd inflection).
            rank = (freq, -abs(len(candidate) - len(word)), candidate == stem)
            if freq and (best is None or rank > best):
                best, best_word, best_audiences = rank, candidate, present
        return best_word, best_audiences


class _Collected:
    def __init__(self) -> None:
        self.total = 0
        self.top: list[tuple[float, int]] = []
        self.kind_counts: dict[str, int] = {}


class _Columns:
    """Per-document values of one segment, read only when a query needs them."""

    def __init__(self, reader: Any, place: bool) -> None:
        self.kind = reader.column_reader("kind", translate=False)
        if place:
            self.group = reader.column_reader("group", translate=False)
            self.created = reader.column_reader("created", translate=False)


class _Filter:
    """The non-permission filters of a query, checked against column values."""

    def __init__(self, q: SearchQuery) -> None:
        self.kinds = frozenset(q.kinds) if q.kinds else None
        self.group = q.group_id
        self.start = int(q.date_from.timestamp()) if q.date_from else None
        self.end = int(q.date_to.timestamp()) if q.date_to else None
        self.needs_place = not (self.group is None and self.start is None and self.end is None)

    def place(self, group: int, created: int) -> bool:
        if self.group is not None and group != self.group:
            return False
        if self.start is not None and created < self.start:
            return False
        return not (self.end is not None and created > self.end)

    def kind(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds
