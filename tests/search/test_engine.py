"""The search engines on tiny indexes: Norwegian words, permissions, changes, rebuilds.

Each test runs on Whoosh (a folder) and on PostgreSQL (the portal's database)."""

from datetime import UTC, datetime, timedelta

import pytest

from innsiden.search.engine import ALL_GROUPS, Delete, SearchBusy, SearchDocument, SearchQuery
from innsiden.search.index import MANY_AUDIENCES, WhooshEngine
from innsiden.search.pgengine import PostgresEngine

MINE = {"group:1", "org"}


def post(n, body, audience="group:1", title="", **extra):
    group = int(audience.split(":")[1]) if audience.startswith("group:") else None
    return SearchDocument(
        "post", f"post:{n}", audience, title, body, group_id=group, url=f"/p/{n}", **extra
    )


@pytest.fixture
def store(request, database_url, search_engine_name, tmp_path):
    """Makes an engine on the one index of this test, as another process would open it."""
    if search_engine_name == "whoosh":
        return lambda: WhooshEngine(tmp_path / "search")
    app = request.getfixturevalue("app")  # a clean, migrated PostgreSQL database
    return lambda: PostgresEngine(app.extensions["innsiden.engine"])


@pytest.fixture
def engine(store):
    engine = store()
    yield engine
    engine.close()


def index_folders(tmp_path):
    return list((tmp_path / "search").glob("index-*"))


def ids(engine, text, audiences=frozenset(MINE), **options):
    return {hit.id for hit in engine.search(SearchQuery(text, audiences, **options)).hits}


def test_a_word_finds_its_inflections(engine):
    engine.index([post(1, "Referat fra møtet i går"), post(2, "Alle møtene i høst"),
                  post(3, "Ingenting om det her")])  # fmt: skip
    assert ids(engine, "møte") == {"post:1", "post:2"}
    assert ids(engine, "Møtene") == {"post:1", "post:2"}


def test_a_compound_is_found_by_its_parts(engine):
    engine.index([post(1, "Nytt vindkraftverk planlagt på Fosen"), post(2, "Årsmøtet i mars")])
    assert ids(engine, "kraftverk") == {"post:1"}
    assert ids(engine, "vindkraft") == {"post:1"}
    assert ids(engine, "møte") == {"post:2"}


def test_letters_æøå_are_kept_apart(engine):
    engine.index([post(1, "Vi kommer før lunsj"), post(2, "Gården ved sjøen"),
                  post(3, "Garden er åpen")])  # fmt: skip
    assert ids(engine, "gården") == {"post:2"}
    assert ids(engine, "garden") == {"post:3"}
    assert ids(engine, "sjøen") == {"post:2"}


def test_a_misspelling_gets_a_useful_suggestion(engine):
    engine.index([post(1, "Debatt om vindkraft i kommunen"), post(2, "Mer vindkraft nå")])
    results = engine.search(SearchQuery("vindkarft", MINE))
    assert results.total == 0
    assert results.suggestion == "vindkraft"
    assert engine.search(SearchQuery(results.suggestion, MINE)).total == 2
    # The known word of a two-word query is kept, the unknown one corrected.
    assert engine.search(SearchQuery("debatt vindkarft", MINE)).suggestion == "debatt vindkraft"


def test_nothing_is_suggested_from_where_the_member_cannot_read(engine):
    engine.index([post(1, "Hemmelig strategi for vindkraft", audience="group:2")])
    results = engine.search(SearchQuery("vindkarft", MINE))
    assert results.total == 0
    assert results.suggestion is None


@pytest.mark.parametrize(
    "how",
    [
        dict(text="fusjonsplanene"),
        dict(text="Hemmelige fusjonsplaner for fylkeslaget"),  # exact title
        dict(text="fusjonsplanene styret"),  # all words of the body
        dict(text="fusjonsplnaene"),  # misspelt: neither hit nor suggestion
        dict(text="fusjonsplanene", kinds={"post"}),
        dict(text="fusjonsplanene", group_id=2),
        dict(text="fusjonsplanene", sort="newest"),
    ],
)
def test_other_groups_content_is_never_found_however_searched(engine, how):
    engine.index([
        post(1, "Styret diskuterte fusjonsplanene", audience="group:2",
             title="Hemmelige fusjonsplaner for fylkeslaget"),
        post(2, "Ingenting hemmelig her"),
    ])  # fmt: skip
    results = engine.search(SearchQuery(allowed_audiences=MINE, **how))
    assert results.hits == [] and results.total == 0
    assert results.suggestion is None
    assert results.kind_counts == {}
    # The same search by a member of group 2 finds it (the document is really there).
    if "fusjonsplnaene" not in how["text"]:
        assert engine.search(SearchQuery(allowed_audiences={"group:2"}, **how)).total == 1


def test_many_allowed_audiences_filter_just_as_strictly(engine):
    engine.index([post(1, "Budsjettet for neste år", audience="group:999"),
                  post(2, "Budsjettet er vedtatt", audience="group:7")])  # fmt: skip
    many = {f"group:{n}" for n in range(MANY_AUDIENCES * 3)} | {"org"}
    assert ids(engine, "budsjett", many) == {"post:2"}
    assert ids(engine, "budsjett", many | {"group:999"}) == {"post:1", "post:2"}


def test_all_groups_finds_every_groups_documents_and_nothing_more(engine):
    engine.index([
        post(1, "Mer vindkraft i kommunen", audience="group:7"),
        post(2, "Vindkraft i en skjult gruppe", audience="group:123456"),
        SearchDocument("group", "group:9", "org", "Vindkraftgruppa", "", group_id=9),
        SearchDocument("event", "event:1", "unit:F02", "Vindkraftkurs", "Om vindkraft"),
    ])  # fmt: skip
    admin = {ALL_GROUPS, "org"}  # a member who may read every group
    assert ids(engine, "vindkraft", admin) == {"post:1", "post:2", "group:9"}
    assert ids(engine, "vindkraft", admin | {"unit:F02"}) == {
        "post:1", "post:2", "group:9", "event:1",
    }  # fmt: skip
    assert ids(engine, "vindkraft", admin, group_id=123456) == {"post:2"}
    assert engine.search(SearchQuery("vindkarft", admin)).suggestion == "vindkraft"
    assert ids(engine, "vindkraft", {ALL_GROUPS}, kinds={"group"}) == set()  # "org" not given


def test_leaving_a_group_takes_effect_on_the_next_search_without_reindexing(engine):
    engine.index([post(1, "Valgkampen starter", audience="group:5")])
    assert ids(engine, "valgkamp", {"group:5", "org"}) == {"post:1"}
    assert ids(engine, "valgkamp", {"org"}) == set()


def test_an_edited_document_is_found_by_its_new_text_only(engine):
    engine.index([post(1, "Vi møtes på biblioteket")])
    engine.index([post(1, "Vi møtes på rådhuset")])
    assert ids(engine, "rådhuset") == {"post:1"}
    assert ids(engine, "biblioteket") == set()
    assert engine.doc_count() == 1


def test_a_deleted_document_is_gone_and_children_go_with_their_parent(engine):
    engine.index([
        SearchDocument("thread", "thread:1", "group:1", "Dugnad i parken", "", group_id=1),
        post(1, "Jeg tar med rake til dugnaden", parent="thread:1"),
        post(2, "Dugnaden i fjor var fin"),
    ])  # fmt: skip
    engine.delete(["post:2"])
    assert ids(engine, "dugnad") == {"thread:1", "post:1"}
    engine.apply([Delete("thread:1", with_children=True)])
    assert ids(engine, "dugnad") == set()


def test_the_same_document_twice_in_one_batch_is_indexed_once(engine):
    engine.apply([post(1, "første utkast"), post(1, "andre utkast"), Delete("post:9")])
    assert engine.doc_count() == 1
    assert ids(engine, "andre") == {"post:1"} and ids(engine, "første") == set()


def test_filters_pages_counts_and_highlights(engine):
    start = datetime(2025, 1, 1, tzinfo=UTC)
    engine.index(
        [post(n, f"Stand på torget nummer {n}", created_at=start + timedelta(days=n))
         for n in range(1, 6)]
        + [SearchDocument("event", "event:1", "org", "Stand <i>og</i> vafler",
                          "Vi står på <b>torget</b> & deler ut vafler", group_id=3,
                          created_at=start)]
    )  # fmt: skip
    everything = engine.search(SearchQuery("torget", MINE, per_page=2))
    assert everything.total == 6 and everything.pages == 3
    assert everything.kind_counts == {"post": 5, "event": 1}
    assert len(everything.hits) == 2
    second = engine.search(SearchQuery("torget", MINE, per_page=2, page=2))
    assert not {h.id for h in second.hits} & {h.id for h in everything.hits}

    events_only = engine.search(SearchQuery("torget", MINE, kinds={"event"}))
    assert [h.id for h in events_only.hits] == ["event:1"]
    assert events_only.kind_counts == {"post": 5, "event": 1}  # for the kind links
    event = events_only.hits[0]
    assert str(event.title) == "Stand &lt;i&gt;og&lt;/i&gt; vafler"
    assert str(event.excerpt) == (
        "Vi står på &lt;b&gt;<mark>torget</mark>&lt;/b&gt; &amp; deler ut vafler"
    )
    assert ids(engine, "torget", group_id=3) == {"event:1"}
    window = ids(engine, "torget", date_from=start + timedelta(days=2),
                 date_to=start + timedelta(days=3))  # fmt: skip
    assert window == {"post:2", "post:3"}
    newest = engine.search(SearchQuery("torget", MINE, sort="newest", per_page=3))
    assert [h.id for h in newest.hits] == ["post:5", "post:4", "post:3"]


def test_a_long_text_is_excerpted_around_the_match(engine):
    body = "Innledning. " * 60 + "Her står det om kontingenten for neste år. " + "Slutt. " * 60
    engine.index([post(1, body)])
    excerpt = str(engine.search(SearchQuery("kontingent", MINE)).hits[0].excerpt)
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "<mark>kontingenten</mark>" in excerpt and len(excerpt) < 300


def test_stop_words_alone_find_nothing(engine):
    engine.index([post(1, "og i på det som er")])
    results = engine.search(SearchQuery("og det", MINE))
    assert results.total == 0 and results.suggestion is None


def test_rebuild_switches_atomically(engine, store, tmp_path):
    engine.index([post(1, "Gammel plakat")])
    assert ids(engine, "plakat") == {"post:1"}  # this engine now holds an open searcher
    builder = store()  # e.g. `innsiden search rebuild` elsewhere
    seen_during_build = []

    def documents():
        yield post(2, "Ny plakat")
        # Until the new index is complete, searches are answered from the old one.
        seen_during_build.append(ids(engine, "plakat"))
        yield post(3, "Ny brosjyre")

    assert builder.rebuild(documents()) == 2
    assert seen_during_build == [{"post:1"}]
    assert ids(engine, "plakat") == {"post:2"}
    assert ids(engine, "brosjyre") == {"post:3"}
    builder.rebuild(iter([post(4, "Tredje plakat")]))
    assert ids(engine, "plakat") == {"post:4"}
    if isinstance(engine, WhooshEngine):
        # The index replaced last is kept for searchers elsewhere; older ones are removed.
        assert len(index_folders(tmp_path)) == 2
    assert engine.doc_count() == 1
    builder.close()


def test_a_failed_rebuild_leaves_the_current_index_in_place(engine, tmp_path):
    engine.index([post(1, "Gammel plakat")])

    def broken():
        yield post(2, "Ny plakat")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild(broken())
    assert ids(engine, "plakat") == {"post:1"}
    assert engine.doc_count() == 1
    if isinstance(engine, WhooshEngine):
        assert len(index_folders(tmp_path)) == 1
    engine.rebuild(iter([post(3, "Ny plakat")]))  # nothing left behind stands in the way
    assert ids(engine, "plakat") == {"post:3"}


def test_one_writer_at_a_time(engine, store):
    other = store()  # another process on the same index
    with engine.exclusive():
        with pytest.raises(SearchBusy), other.exclusive(timeout=0):
            pass
        engine.index([post(1, "inne i låsen")])  # the holder can still write (re-entrant)
    with other.exclusive(timeout=0):
        other.index([post(2, "etter låsen")])
    assert ids(engine, "låsen") == {"post:1", "post:2"}


def test_only_one_rebuild_at_a_time(engine, store):
    other = store()
    refused = []

    def documents():
        with pytest.raises(SearchBusy) as error:
            other.rebuild(iter([post(2, "konkurrent")]))
        refused.append(str(error.value))
        yield post(1, "først")

    engine.rebuild(documents())
    assert refused == ["another rebuild of the search index is running"]
    assert ids(engine, "først") == {"post:1"}


def test_many_small_commits_merge_and_stay_searchable(engine):
    # Each indexer batch is a commit of its own; Whoosh merges the small segments as they
    # accumulate, and both short (inline) and long posting lists must survive the merge.
    for batch in range(12):
        engine.index([post(batch * 30 + n, f"Vanlig ord og sjeldent{batch}") for n in range(30)])
    assert engine.search(SearchQuery("vanlig", MINE)).total == 360
    assert engine.search(SearchQuery("sjeldent3", MINE)).total == 30
    engine.delete([f"post:{n}" for n in range(0, 360, 2)])
    engine.index([post(1000, "Vanlig igjen")])
    assert engine.search(SearchQuery("vanlig", MINE)).total == 181
