"""Full-text search: finding, ranking, filtering, visibility, triggers, safety and cost.

Every test runs on SQLite (FTS5) and, with FORUM_TEST_DATABASE_URL, on PostgreSQL (tsvector).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from markupsafe import Markup
from sqlalchemy import text

import forum.search
from forum.cases.models import Post, PostKind, Reply
from forum.extensions import db
from forum.search import SearchResult

NOW = datetime.now(UTC)


def ids(page) -> list[tuple[int, int | None]]:
    """(post id, reply id) of each result, in order."""
    return [(result.post_id, result.reply_id) for result in page.results]


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


# Finding --------------------------------------------------------------------------------


def test_finds_posts_by_words_in_the_title_and_in_any_part(make_post, find):
    by_title = make_post("Landlord refuses repairs")
    by_situation = make_post("One", situation_md="Worried about **eviction** notices.")
    by_ask = make_post("Two", ask_md="How do I approach the jobcentre work coach?")
    by_story = make_post("Three", kind="story", what_worked_md="A volunteering placement first.")
    by_update = make_post("Four", outcome_update_md="She started an apprenticeship.")

    assert ids(find("landlord")) == [(by_title, None)]
    assert ids(find("eviction")) == [(by_situation, None)]
    assert ids(find("coach")) == [(by_ask, None)]
    assert ids(find("volunteering")) == [(by_story, None)]
    assert ids(find("apprenticeship")) == [(by_update, None)]
    assert ids(find("nothingmatchesthis")) == []


def test_words_are_stemmed_and_all_words_are_required(make_post, find):
    post = make_post("Interview nerves", situation_md="He was interviewing for warehouse roles.")
    assert ids(find("interviews")) == [(post, None)]
    assert ids(find("warehouse nerves")) == [(post, None)]
    assert ids(find("warehouse bakery")) == []


def test_a_result_carries_the_post_and_nothing_of_the_author(make_post, find):
    post = make_post("Confidence after redundancy", kind="story", show_author=False)
    [result] = find("redundancy").results
    assert (result.post_id, result.title, result.kind, result.is_reply) == (post, "Confidence after redundancy", PostKind.STORY, False)
    assert isinstance(result.excerpt, Markup) and isinstance(result.title_html, Markup)
    assert "<mark>redundancy</mark>" in result.title_html
    assert not any("author" in field.name for field in dataclasses.fields(SearchResult))


def test_title_matches_rank_first(make_post, find):
    in_body = make_post("Weekly check-in", situation_md="Budgeting, budgeting and more budgeting help.",
                        published_at=days_ago(1))
    in_title = make_post("Budgeting for a first wage", situation_md="Short.", published_at=days_ago(30))
    assert ids(find("budgeting")) == [(in_title, None), (in_body, None)]


def test_every_word_in_the_title_beats_some_words_in_the_title(make_post, find):
    partial = make_post("Debt advice", situation_md="Rent arrears too.", published_at=days_ago(1))
    whole = make_post("Debt and rent arrears", situation_md="Advice.", published_at=days_ago(9))
    assert ids(find("debt arrears")) == [(whole, None), (partial, None)]


def test_recency_breaks_ties(make_post, find):
    older = make_post("Carer's allowance", published_at=days_ago(5))
    newer = make_post("Carer's allowance", published_at=days_ago(1))
    assert ids(find("allowance")) == [(newer, None), (older, None)]


def test_quotes_make_a_phrase(make_post, find):
    phrase = make_post("One", situation_md="She wants to work in the care sector near home.")
    scattered = make_post("Two", situation_md="Care is hard to find; the sector is small.")
    assert set(ids(find("care sector"))) == {(phrase, None), (scattered, None)}
    assert ids(find('"care sector"')) == [(phrase, None)]
    assert ids(find('"sector care"')) == []


def test_hyphenated_words_are_a_phrase(make_post, find):
    post = make_post("Part-time work and Universal Credit")
    assert ids(find("part-time")) == [(post, None)]
    assert ids(find('"part time"')) == [(post, None)]


def test_replies_are_found_and_linked_to_their_post(make_post, make_reply, find):
    post = make_post("Travel costs to interviews")
    reply = make_reply(post, "Ask about the flexible support fund for the bus fare.")
    [result] = find("flexible fund").results
    assert (result.post_id, result.reply_id, result.is_reply) == (post, reply, True)
    assert result.title == "Travel costs to interviews"
    assert result.title_html == Markup("Travel costs to interviews")
    assert "<mark>flexible</mark>" in result.excerpt


def test_a_post_and_its_reply_are_separate_results(make_post, make_reply, find):
    post = make_post("Mentoring", situation_md="Peer mentoring helped.")
    reply = make_reply(post, "Mentoring worked for us too.", at=NOW + timedelta(seconds=1))
    assert ids(find("mentoring")) == [(post, None), (post, reply)]  # the title match first


# Hostile queries ----------------------------------------------------------------------------

HOSTILE_QUERIES = [
    '"', '""', '"""', '"unbalanced phrase', 'care"', "-", "--care", "care -sector", "*", "care*",
    "*care", ":", "title:care", "body : care", "{title}: care", "(", ")", "(care", "care)", "((care) OR",
    "^", "^care", "care AND", "AND", "OR", "NOT", "NEAR", "NEAR(care sector, 2)", "care OR sector",
    "care NOT sector", "care + sector", "care & sector | x", "!care", "care <-> sector", "'care'",
    "care's", "\\", "\\\"care", "%", "_", "care%", "🙂", "care 🙂 sector", "👩🏽‍💼", "\u0000care", "\x02care\x03",
    "<script>alert(1)</script>", "' OR 1=1 --", "; DROP TABLE posts; --", "care" * 300, "a " * 400,
    "ﬁle", "ＣＡＲＥ", "Ωμέγα", "日本語", "\u202ecare", "care\tsector\nnewline", "   ", "",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_raise(make_post, find, query):
    make_post("Care sector work", situation_md="Title: care (and) sector - NEAR \"quoted\" * stuff")
    page = find(query)
    assert isinstance(page.results, list)
    for result in page.results:
        assert isinstance(result.excerpt, Markup)


@pytest.mark.parametrize("query", ["", "   ", None, '"', "- * : ( ) ^", '""  ""', "🙂🙂", "!!!"])
def test_empty_queries_return_nothing_without_touching_the_database(make_post, find, count_queries, query):
    make_post("Something")
    with count_queries() as statements:
        page = find(query)
    assert page.results == [] and not page.capped and page.next_after is None
    assert [s for s in statements if "search_documents" in s] == []


def test_operator_words_are_searched_as_words(make_post, find):
    post = make_post("Near the station", situation_md="Or somewhere else")
    assert ids(find("near")) == [(post, None)]
    assert ids(find("NEAR station")) == [(post, None)]


# Visibility ---------------------------------------------------------------------------------


def test_unpublished_posts_and_their_replies_are_never_found(make_post, make_reply, find):
    for status in ("draft", "hidden", "deleted"):
        post = make_post(f"Secret {status} zebra", status=status, situation_md="zebra body")
        make_reply(post, "zebra reply")
    circle = make_post("Circle zebra", circle_id=7)
    make_reply(circle, "zebra reply")
    visible = make_post("Visible", situation_md="Nothing here.")
    for status in ("draft", "hidden", "deleted"):
        make_reply(visible, f"zebra {status} reply", status=status)
    assert ids(find("zebra")) == []


def test_the_author_does_not_find_their_own_drafts_in_search(make_post, find, author):
    make_post("Draft about giraffes", status="draft")
    assert ids(find("giraffes", person=author)) == []


# The triggers keep the index current --------------------------------------------------------


def test_an_edit_updates_the_index(make_post, make_reply, update, find):
    post = make_post("Old title", situation_md="Talked about kayaks.")
    reply = make_reply(post, "Canoes are fine too.")
    update(Post, post, title="New heading", situation_md="Talked about bicycles.")
    update(Reply, reply, body_md="Scooters are fine too.")
    assert ids(find("kayaks")) == [] and ids(find("old title")) == [] and ids(find("canoes")) == []
    assert ids(find("bicycles")) == [(post, None)]
    assert ids(find("heading")) == [(post, None)]
    assert ids(find("scooters")) == [(post, reply)]


def indexed(app) -> int:
    with app.app_context():
        return db.session.execute(text("SELECT count(*) FROM search_documents")).scalar()


def test_hiding_a_post_removes_it_and_its_replies_and_republishing_restores_them(app, make_post, make_reply, update, find):
    post = make_post("Mock interviews", situation_md="Practice panels.")
    reply = make_reply(post, "Mock panels with employers.")
    assert len(find("mock").results) == 2
    for status in ("hidden", "deleted", "draft"):
        update(Post, post, status=status)
        assert ids(find("mock")) == []
        assert indexed(app) == 0  # gone from the index itself, not only filtered out
        update(Post, post, status="published")
        assert set(ids(find("mock"))) == {(post, None), (post, reply)}


def test_hiding_or_deleting_a_reply_removes_it(make_post, make_reply, update, find):
    post = make_post("Post")
    reply = make_reply(post, "Gardening club")
    update(Reply, reply, status="hidden")
    assert ids(find("gardening")) == []
    update(Reply, reply, status="published")
    assert ids(find("gardening")) == [(post, reply)]
    update(Reply, reply, status="deleted")
    assert ids(find("gardening")) == []


def test_publishing_a_draft_adds_it(make_post, update, find):
    post = make_post("Draft on retraining", status="draft")
    assert ids(find("retraining")) == []
    update(Post, post, status="published")
    assert ids(find("retraining")) == [(post, None)]


def test_counter_updates_leave_the_document_alone(make_post, update, find):
    post = make_post("Digital skills", situation_md="Email and forms.")
    update(Post, post, reply_count=3, helpful_count=2, last_activity_at=NOW)
    assert ids(find("digital forms")) == [(post, None)]


def test_removing_rows_removes_their_documents(app, make_post, make_reply, find):
    post = make_post("Removed", situation_md="Ostrich.")
    make_reply(post, "Ostrich reply")
    other = make_post("Kept")
    other_reply = make_reply(other, "Another reply")
    with app.app_context():
        db.session.delete(db.session.get(Post, post))
        db.session.delete(db.session.get(Reply, other_reply))
        db.session.commit()
    assert indexed(app) == 1
    assert ids(find("ostrich")) == []


# Filters ------------------------------------------------------------------------------------


def test_theme_filter(make_theme, make_post, make_reply, find):
    housing, debt, travel = (make_theme(name) for name in ("Housing", "Debt", "Travel"))
    in_housing = make_post("Bills in housing", themes=[housing])
    in_debt = make_post("Bills in debt", themes=[debt, travel])
    reply = make_reply(in_housing, "More about bills")
    assert set(ids(find("bills", theme_ids=[housing]))) == {(in_housing, None), (in_housing, reply)}
    assert ids(find("bills", theme_ids=[travel])) == [(in_debt, None)]
    assert len(find("bills", theme_ids=[housing, debt]).results) == 3
    assert len(find("bills").results) == 3


def test_kind_filter(make_post, find):
    case = make_post("Childcare case", kind="case")
    story = make_post("Childcare story", kind="story")
    assert ids(find("childcare", kind="case")) == [(case, None)]
    assert ids(find("childcare", kind=PostKind.STORY)) == [(story, None)]
    with pytest.raises(ValueError):
        find("childcare", kind="poem")


def test_date_filter_uses_publication_and_reply_dates(make_post, make_reply, find):
    old = make_post("Pension credit", published_at=datetime(2025, 3, 1, 12, tzinfo=UTC))
    new = make_post("Pension credit", published_at=datetime(2025, 6, 1, 12, tzinfo=UTC))
    reply = make_reply(old, "Pension credit reply", at=datetime(2025, 6, 2, 12, tzinfo=UTC))
    assert ids(find("pension", date_from=date(2025, 5, 1))) == [(new, None), (old, reply)]
    assert ids(find("pension", date_to=date(2025, 3, 1))) == [(old, None)]  # the day is included
    assert ids(find("pension", date_from=date(2025, 6, 1), date_to=date(2025, 6, 1))) == [(new, None)]
    assert ids(find("pension", date_from=date(2025, 7, 1))) == []


def test_dates_are_days_in_the_persons_zone(make_post, find):
    # 23:30 UTC on 30 June is already 1 July in London (BST).
    post = make_post("Summer jobs", published_at=datetime(2025, 6, 30, 23, 30, tzinfo=UTC))
    assert ids(find("summer", date_from=date(2025, 7, 1))) == [(post, None)]
    assert ids(find("summer", date_to=date(2025, 6, 30))) == []


# Paging and the cap -------------------------------------------------------------------------


def test_pages_follow_on(make_post, find):
    posts = [make_post(f"Ladder {n}", published_at=days_ago(n)) for n in range(5)]
    first = find("ladder", limit=2)
    second = find("ladder", limit=2, after=first.next_after)
    third = find("ladder", limit=2, after=second.next_after)
    assert [result.post_id for result in first.results + second.results + third.results] == posts
    assert (first.next_after, second.next_after, third.next_after) == (2, 4, None)


def test_many_matches_rank_only_the_newest_and_say_so(make_post, find, monkeypatch):
    monkeypatch.setattr(forum.search, "MAX_RANKED", 5)
    posts = [make_post(f"Common {n}", published_at=days_ago(n)) for n in range(7)]
    old_title_hit = make_post("Rare common", published_at=days_ago(100))
    page = find("common")
    assert page.capped
    # The newest 5 only, so the older, better (title) match is not ranked at all.
    assert sorted(result.post_id for result in page.results) == sorted(posts[:5])
    assert old_title_hit not in [result.post_id for result in page.results]
    assert find("common", limit=3).next_after == 3 and find("common", limit=3, after=3).next_after is None
    assert not find("rare").capped


def test_the_cap_defaults_to_2000():
    assert forum.search.MAX_RANKED == 2000


def test_exactly_the_cap_is_not_capped(make_post, find, monkeypatch):
    monkeypatch.setattr(forum.search, "MAX_RANKED", 3)
    for n in range(3):
        make_post(f"Tidy {n}")
    assert not find("tidy").capped and len(find("tidy").results) == 3


# Excerpts are safe HTML ---------------------------------------------------------------------


def test_excerpts_are_escaped_with_marks_only_around_matches(make_post, make_reply, find):
    body = "Before <script>alert('xss')</script> the kettle & <b>bold</b> \"quoted\" ends."
    post = make_post("Hostile <img src=x onerror=alert(1)> title", situation_md=body)
    make_reply(post, "<iframe src=javascript:alert(1)> kettle reply")
    page = find("kettle")
    assert len(page.results) == 2
    for result in page.results:
        for html in (result.excerpt, result.title_html):
            assert isinstance(html, Markup)
            tags = re.findall(r"<[^>]*>", str(html))
            assert set(tags) <= {"<mark>", "</mark>"}, html
        assert "<mark>kettle</mark>" in result.excerpt
        assert "<script" not in result.excerpt and "<iframe" not in result.excerpt
    post_result = next(result for result in page.results if not result.is_reply)
    assert "&lt;img src=x onerror=alert(1)&gt;" in post_result.title_html
    assert str(post_result.excerpt).count("<mark>") == 1


def test_stray_marker_characters_in_text_cannot_unbalance_marks(make_post, find):
    make_post("Markers", situation_md="odd \x02 start and \x03\x03 stop around pickle words")
    [result] = find("pickle").results
    html = str(result.excerpt)
    assert html.count("<mark>") == html.count("</mark>") >= 1
    assert "\x02" not in html and "\x03" not in html


# Cost ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme_filter", [False, True])
def test_one_statement_whatever_the_number_of_matches(make_theme, make_post, make_reply, find, count_queries, theme_filter):
    theme_id = make_theme("Work")
    options = {"theme_ids": [theme_id], "kind": "case", "date_from": date(2000, 1, 1)} if theme_filter else {}
    counts = []
    for word, how_many in (("solo", 1), ("crowd", 20)):
        for n in range(how_many):
            post = make_post(f"{word} {n}", themes=[theme_id])
            make_reply(post, f"{word} reply")
        with count_queries() as statements:
            page = find(word, **options)  # loading the reader is one statement, the search one more
        assert len(page.results) == min(2 * how_many, 30)
        counts.append((len(statements), sum("search_documents" in statement for statement in statements)))
    assert counts[0] == counts[1] and counts[0][1] == 1


def test_statement_count_does_not_grow_with_the_page(make_post, find, count_queries):
    for n in range(20):
        make_post(f"Steady {n}")
    with count_queries() as few:
        find("steady", limit=1)
    with count_queries() as many:
        find("steady", limit=30)
    assert len(few) == len(many)


def test_a_phrase_found_common_is_not_counted_again_and_ranks_the_same(app, make_post, find, monkeypatch):
    """SQLite counts each phrase's documents (up to COMMON_MATCHES) to weigh it; a phrase found
    common is remembered per process and weighed at nothing without counting it again."""
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL ranks without counting a phrase's documents")
    import forum.search

    monkeypatch.setattr(forum.search, "COMMON_MATCHES", 3)
    monkeypatch.setattr(forum.search._SQLite, "known_common", set())
    for number in range(4):
        make_post(f"Arrears note {number}", situation="Arrears again.")
    make_post("Evicted arrears", situation="Evicted once.")

    def ranked(query: str) -> list[int]:
        return [result.post_id for result in find(query).results]

    first = ranked("arrears")
    assert forum.search._SQLite.known_common == {"arrears"}  # in 5 documents: more than 3
    assert ranked("arrears") == first and len(first) == 5
    assert len(ranked("arrears evicted")) == 1
    assert forum.search._SQLite.known_common == {"arrears"}  # "evicted" is in 1 document
