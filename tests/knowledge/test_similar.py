"""Similar cases while writing and under a case: what the person may read only (circles,
hidden, deleted), a near-duplicate first, a fixed statement count, bad input, and the panel."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.knowledge import similar
from forum.accounts.models import User
from tests.conftest import client_for
from tests.conftest import post as form_post


def found(app, person, title, themes=(), text="", exclude=None, counter=None):
    with app.test_request_context():
        user = db.session.get(User, person.id)
        if counter is None:
            return [(item.id, item.title) for item in similar.similar(user, title, themes, text, exclude)]
        with counter() as counted:
            result = [(item.id, item.title) for item in similar.similar(user, title, themes, text, exclude)]
        return result, counted


@pytest.fixture
def world(make_user, make_theme, make_post, make_circle):
    reader, other, insider = make_user(name="Reader"), make_user(name="Other"), make_user(name="Insider")
    housing, debt = make_theme("Housing"), make_theme("Debt and money")
    circle = make_circle("Quiet circle", facilitator=insider)
    posts = {
        "duplicate": make_post("Client evicted after rent arrears on universal credit", author=other, themes=[housing],
                               situation="Rent arrears built up while waiting for universal credit."),
        "partial": make_post("Rent arrears and a new job", author=other, themes=[debt], situation="Arrears."),
        "theme_only": make_post("Moving home before an interview", author=other, themes=[housing], situation="Moving."),
        "unrelated": make_post("Interview nerves", author=other, situation="Nerves."),
        "circle": make_post("Evicted for rent arrears in the circle", author=insider, circle_id=circle, themes=[housing],
                            situation="Universal credit arrears."),
        "hidden": make_post("Evicted after rent arrears, hidden", author=other, status="hidden", themes=[housing]),
        "deleted": make_post("Evicted after rent arrears, deleted", author=other, status="deleted", themes=[housing]),
        "draft": make_post("Evicted after rent arrears, draft", author=other, status="draft", themes=[housing]),
    }
    return {"reader": reader, "insider": insider, "housing": housing, "debt": debt, "posts": posts}


TITLE = "Evicted because of rent arrears while on universal credit"


def test_a_near_duplicate_ranks_first_and_themes_count_too(app, world):
    results = found(app, world["reader"], TITLE, [world["housing"]])
    ids = [post_id for post_id, _ in results]
    posts = world["posts"]
    assert ids[0] == posts["duplicate"]
    assert posts["partial"] in ids and posts["theme_only"] in ids  # words alone, a theme alone
    assert posts["unrelated"] not in ids
    assert len(ids) <= similar.LIMIT


def test_each_result_carries_its_own_themes_in_name_order(app, world, make_post):
    both = make_post("Evicted for rent arrears with debts", themes=[world["housing"], world["debt"]], situation="Arrears.")
    none = make_post("Evicted for rent arrears, no theme", situation="Arrears.")
    with app.test_request_context():
        user = db.session.get(User, world["reader"].id)
        themes = {item.id: item.themes for item in similar.similar(user, TITLE, limit=20)}
    assert themes[both] == ["Debt and money", "Housing"]
    assert themes[none] == []
    assert themes[world["posts"]["duplicate"]] == ["Housing"]
    assert themes[world["posts"]["partial"]] == ["Debt and money"]


def test_circle_posts_only_for_members_and_never_hidden_deleted_or_drafts(app, world):
    posts = world["posts"]
    outside = {post_id for post_id, _ in found(app, world["reader"], TITLE, [world["housing"]])}
    assert posts["circle"] not in outside
    assert not outside & {posts["hidden"], posts["deleted"], posts["draft"]}
    inside = {post_id for post_id, _ in found(app, world["insider"], "Evicted rent arrears circle", [world["housing"]])}
    assert posts["circle"] in inside
    assert not inside & {posts["hidden"], posts["deleted"], posts["draft"]}


@pytest.mark.parametrize("title", ["", "   ", "x" * 10_000])
def test_an_empty_or_overlong_title_finds_nothing_and_fails_nowhere(app, world, title, count_queries):
    with app.test_request_context():
        user = db.session.get(User, world["reader"].id)
        with count_queries() as counted:
            assert similar.similar(user, title, [world["housing"]]) == []
    assert counted == []
    client = client_for(app, world["reader"])
    response = form_post(client, "/similar", {"title": title, "theme_ids": [str(world["housing"])]}, page="/write/case")
    assert response.status_code == 200
    assert "similar-list__item" not in response.get_data(as_text=True)


def test_words_the_index_cannot_read_are_harmless(app, world):
    for title in ['"unclosed', "NEAR(a b) OR *", "-- ; DROP TABLE posts", "😀 émigré naïve", "a:b title:x ^c"]:
        found(app, world["reader"], title, [world["housing"]])


def test_the_statement_count_is_fixed(app, world, make_post, count_queries):
    _, few = found(app, world["reader"], TITLE, [world["housing"], world["debt"]], counter=count_queries)
    for number in range(15):
        make_post(f"Rent arrears case {number}", themes=[world["housing"], world["debt"]], situation="Arrears again.")
    results, many = found(app, world["reader"], TITLE, [world["housing"], world["debt"]], counter=count_queries)
    assert len(results) == similar.LIMIT
    assert len(few) == len(many) == 1


def test_a_word_counted_as_common_is_left_out_afterwards_with_the_same_results(app, world, make_post, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("PostgreSQL ranks without counting a word's documents")
    monkeypatch.setattr(similar, "COMMON_MATCHES", 3)
    monkeypatch.setattr(similar._SQLite, "known_common", set())
    built = (similar._statement, similar._SQLite.pool, similar._SQLite._flags)
    for cached in built:  # built with the real threshold by earlier tests
        cached.cache_clear()
    try:
        for number in range(4):
            make_post(f"Arrears note {number}", situation="Arrears.")
        first = found(app, world["reader"], TITLE, [world["housing"]])
        assert "arrears" in similar._SQLite.known_common  # in 7 documents: more than 3
        assert "evicted" not in similar._SQLite.known_common  # in 2
        assert found(app, world["reader"], TITLE, [world["housing"]]) == first
        assert first[0][0] == world["posts"]["duplicate"]
    finally:
        for cached in built:  # rebuilt with the real threshold when next asked
            cached.cache_clear()


def test_informative_words_drop_the_common_ones():
    assert similar.informative_words("The client needs help with rent arrears", "") == ["rent", "arrears"]
    assert len(similar.informative_words(" ".join(f"word{n}x" for n in range(40)))) == similar.MAX_WORDS


def test_the_panel_endpoint_lists_links_that_open_in_a_new_tab(app, world):
    client = client_for(app, world["reader"])
    response = form_post(client, "/similar", {"title": TITLE, "theme_ids": [str(world["housing"])]}, page="/write/case")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    duplicate = world["posts"]["duplicate"]
    assert re.search(rf'href="/posts/{duplicate}" target="_blank" rel="noopener">[^<]+<span class="visually-hidden"> '
                     r'\(opens in a new tab\)</span>', html)
    assert "Housing" in html


def test_the_panel_needs_the_csrf_token_and_a_member(app, world):
    client = client_for(app, world["reader"])
    assert client.post("/similar", data={"title": TITLE}).status_code == 400  # no CSRF token
    assert app.test_client().post("/similar", data={"title": TITLE}).status_code in (302, 400)


def test_the_panel_is_limited_per_person_like_search(app, world):
    app.config["SEARCH_LIMIT"] = "2/minute"
    client = client_for(app, world["reader"])
    statuses = [form_post(client, "/similar", {"title": TITLE}, page="/write/case").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_without_javascript_the_list_appears_on_the_preview(app, world):
    client = client_for(app, world["reader"])
    response = form_post(client, "/write/case/preview", {
        "title": TITLE, "situation": "Rent arrears built up.", "ask": "What would you do?",
        "theme_ids": [str(world["housing"])], "audience": "forum", "show_author": "name"}, page="/write/case")
    html = response.get_data(as_text=True)
    assert "Others have written about this" in html
    assert f'href="/posts/{world["posts"]["duplicate"]}" target="_blank"' in html
    # Before the preview, the panel only says what it will do.
    assert "similar-list__item" not in client.get("/write/case").get_data(as_text=True)


def test_a_published_case_shows_similar_cases_to_its_readers(app, world):
    client = client_for(app, world["reader"])
    posts = world["posts"]
    html = client.get(f"/posts/{posts['partial']}").get_data(as_text=True)
    assert "Similar cases" in html
    section = html[html.index("Similar cases"):]
    assert f'href="/posts/{posts["duplicate"]}"' in section
    assert f'href="/posts/{posts["partial"]}"' not in section  # not itself
    assert f'href="/posts/{posts["circle"]}"' not in section


def test_a_similar_item_says_whether_it_has_an_outcome_or_what_helped(app, world, make_outcome, make_reply):
    posts = world["posts"]
    make_outcome(posts["duplicate"])
    reply = make_reply(posts["duplicate"], "A discretionary housing payment.")
    with app.app_context():
        from forum.cases.models import Post
        db.session.get(Post, posts["duplicate"]).helped_reply_id = reply
        db.session.commit()
    client = client_for(app, world["reader"])
    html = form_post(client, "/similar", {"title": TITLE}, page="/write/case").get_data(as_text=True)
    item = html[:html.index("</li>")]
    assert "Has an outcome · What helped: a reply is marked" in item


def test_the_panel_reads_without_taking_the_write_lock(app, world):
    # On SQLite a POST's transaction begins with BEGIN IMMEDIATE (a writer's lock); the panel
    # writes nothing, so it begins as a reader and never queues behind someone posting.
    from sqlalchemy import event

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite's locking only (PostgreSQL's writers do not queue on BEGIN)")
    begun: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if statement.upper().startswith("BEGIN"):
            begun.append(statement.upper())

    with app.app_context():
        engine = db.engine
    client = client_for(app, world["reader"])
    event.listen(engine, "before_cursor_execute", before)
    try:
        # form_post reads the form's page first: the POST's transaction is the last begun.
        assert form_post(client, "/similar", {"title": TITLE}, page="/write/case").status_code == 200
        similar_began = begun[-1]
        assert form_post(client, "/account/help", {"offering": "y", "years": "3"}, page="/account/help").status_code < 500
        other_post_began = begun[-1]
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert (similar_began, other_post_began) == ("BEGIN", "BEGIN IMMEDIATE")
