"""The search page: finds what a person may read, marks the words, never fails on input."""

from __future__ import annotations

import pytest

from forum.cases.models import Post, Status
from forum.extensions import db
from forum.themes.models import Theme
from tests.conftest import sign_in


@pytest.fixture
def posts(app, adviser):
    with app.app_context():
        housing = Theme(slug="housing", name="Housing")
        db.session.add(housing)
        db.session.flush()
        for title, status in (("Tenancy worries stall the job search", Status.PUBLISHED),
                              ("Deleted tenancy case", Status.DELETED),
                              ("Draft about tenancy", Status.DRAFT)):
            db.session.add(Post(kind="case", title=title, author_id=adviser.id, status=status,
                                situation_md="The tenancy ends soon.", ask_md="What helps?", themes=[housing]))
        db.session.commit()


def test_search_finds_marks_and_filters(client, adviser, posts):
    sign_in(client, adviser)
    html = client.get("/search?q=tenancy").get_data(as_text=True)
    assert "<mark>Tenancy</mark> worries" in html
    assert "Deleted tenancy case" not in html and "Draft about tenancy" not in html
    assert "worries stall" in client.get("/search?q=tenancy&theme=housing&kind=case").get_data(as_text=True)
    assert "worries stall" not in client.get("/search?q=tenancy&kind=story").get_data(as_text=True)
    assert "Nothing matches" in client.get("/search?q=zebra").get_data(as_text=True)


@pytest.mark.parametrize("query", ['"', "tenancy -", "*", "a:b", "(", ")(", "NEAR(", "“quoted”", "<script>", "%", "\\", "' OR 1=1 --"])
def test_odd_queries_never_fail(client, adviser, posts, query):
    sign_in(client, adviser)
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).replace('<script src="/static/forum.js" defer></script>', "")


@pytest.mark.parametrize("args, message", [
    ({"from": "yesterday"}, "Enter a date like 2026-03-10"),
    ({"from": "2026-05-02", "to": "2026-05-01"}, "must be the same as or after"),
])
def test_bad_dates_get_a_clear_message(client, adviser, posts, args, message):
    sign_in(client, adviser)
    response = client.get("/search", query_string={"q": "tenancy", **args})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text and "<title>Error: Search" in text and 'value="tenancy"' in text


def test_search_page_runs_a_fixed_number_of_queries(app, client, adviser, posts, count_queries):
    sign_in(client, adviser)
    with count_queries() as few:
        client.get("/search?q=tenancy")
    with app.app_context():
        for number in range(25):
            db.session.add(Post(kind="case", title=f"Tenancy case {number}", author_id=adviser.id,
                                status=Status.PUBLISHED, ask_md="x"))
        db.session.commit()
    with count_queries() as many:
        html = client.get("/search?q=tenancy").get_data(as_text=True)
    assert "<mark>Tenancy</mark> case 24" in html
    assert len(few) == len(many) <= 6, many
