"""The search page: finds what a person may read, marks the words, never fails on input."""

from __future__ import annotations

import pytest

from forum.cases.models import Status
from tests.conftest import sign_in


@pytest.fixture
def posts(adviser, make_theme, make_post):
    housing = make_theme("Housing")
    for title, status in (("Tenancy worries stall the job search", Status.PUBLISHED),
                          ("Deleted tenancy case", Status.DELETED),
                          ("Draft about tenancy", Status.DRAFT)):
        make_post(title, author=adviser, status=status, situation="The tenancy ends soon.", ask="What helps?",
                  themes=[housing])


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
    ({"from": "yesterday"}, "Enter a real date"),
    ({"from": "2026-05-02", "to": "2026-05-01"}, "must be the same as or after"),
    ({"from-day": "2", "from-month": "5", "from-year": "2026", "to-day": "1", "to-month": "5", "to-year": "2026"},
     "must be the same as or after"),
    ({"from-day": "2", "from-month": "", "from-year": "2026"}, "The start date must include a month"),
    ({"to-day": "31", "to-month": "2", "to-year": "2026"}, "Enter a real date"),
    ({"to-day": "1", "to-month": "2", "to-year": "202"}, "Year must include 4 numbers"),
])
def test_bad_dates_get_a_clear_message(client, adviser, posts, args, message):
    sign_in(client, adviser)
    response = client.get("/search", query_string={"q": "tenancy", **args})
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert message in text and "<title>Error: Search" in text and 'value="tenancy"' in text
    assert 'href="#search-' in text  # the summary links to the date's first box
    for name, value in args.items():
        if "-" in name and value:
            assert f'name="{name}"' in text and f'value="{value}"' in text


def test_dates_in_three_boxes_filter_the_results(client, adviser, posts):
    sign_in(client, adviser)
    response = client.get("/search", query_string={"q": "tenancy", "from-day": "1", "from-month": "1", "from-year": "2000"})
    assert response.status_code == 200 and "<legend" in response.get_data(as_text=True)
    later = client.get("/search", query_string={"q": "tenancy", "from-day": "1", "from-month": "1", "from-year": "2999"})
    assert later.status_code == 200 and "Nothing matches" in later.get_data(as_text=True)


def test_search_page_runs_a_fixed_number_of_queries(client, adviser, posts, make_post, count_queries):
    sign_in(client, adviser)
    client.get("/search?q=tenancy")  # the process loads the themes once, then keeps them (forum.themes.cache)
    with count_queries() as few:
        client.get("/search?q=tenancy")
    for number in range(25):
        make_post(f"Tenancy case {number}", author=adviser, ask="x")
    with count_queries() as many:
        html = client.get("/search?q=tenancy").get_data(as_text=True)
    assert "<mark>Tenancy</mark> case 24" in html
    assert len(few) == len(many) <= 3, many  # the sign-in (with the bell), the search, the themes' version
