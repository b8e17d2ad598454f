"""How lists and posts show counts and the helpful control: counts only above zero, the
same control on posts and replies, and a confirmation beside the item after a press."""

from __future__ import annotations

import re

from tests.conftest import client_for, post


def test_a_list_shows_no_zero_counts(app, adviser, make_post, make_reply, make_user):
    quiet = make_post("Nobody answered yet")
    busy = make_post("Two people answered")
    make_reply(busy, "One")
    make_reply(busy, "Two")
    page = client_for(app, adviser).get("/posts").get_data(as_text=True)
    assert "0 replies" not in page and "0 found helpful" not in page
    assert page.count("No replies yet") == 1
    assert re.search(r"2 replies\s*</p>", page)
    assert quiet and busy


def test_the_helpful_count_shows_once_someone_found_it_helpful(app, adviser, make_post, make_user):
    post_id = make_post("Worth a read")
    reader = client_for(app, adviser)
    post(reader, f"/posts/{post_id}/helpful", page=f"/posts/{post_id}")
    listing = reader.get("/posts").get_data(as_text=True)
    assert "1 found helpful" in listing
    page = client_for(app, make_user()).get(f"/posts/{post_id}").get_data(as_text=True)
    assert "1 person found this helpful" in page


def test_marking_a_post_helpful_returns_to_it_with_a_confirmation_beside_it(app, adviser, make_post):
    post_id = make_post("Worth a read")
    reader = client_for(app, adviser)
    response = post(reader, f"/posts/{post_id}/helpful", page=f"/posts/{post_id}")
    assert response.headers["Location"] == f"/posts/{post_id}#helpful"
    page = reader.get(f"/posts/{post_id}").get_data(as_text=True)
    helpful = page[page.index('id="helpful"'):]
    assert helpful.index('role="status">Marked as helpful.') < helpful.index("</div>")
    assert 'class="banner' not in page
    response = post(reader, f"/posts/{post_id}/helpful", {"undo": "1"}, page=f"/posts/{post_id}")
    page = reader.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "No longer marked as helpful." in page and "found this helpful" not in page


def test_marking_a_reply_helpful_returns_to_that_reply(app, adviser, make_post, make_reply):
    post_id = make_post("A question")
    first, second = make_reply(post_id, "First"), make_reply(post_id, "Second")
    reader = client_for(app, adviser)
    response = post(reader, f"/replies/{second}/helpful", page=f"/posts/{post_id}")
    assert response.headers["Location"] == f"/posts/{post_id}?reply={second}#reply-{second}"
    page = reader.get(response.headers["Location"]).get_data(as_text=True)
    beside = page[page.index(f'id="reply-{second}"'):]
    assert beside.index("Marked as helpful.") < beside.index("</li>")
    assert page.count("Marked as helpful.") == 1
    assert first
    # The same control on the post and the replies: one kind of button.
    page = reader.get(f"/posts/{post_id}").get_data(as_text=True)
    button = 'class="button button--secondary" type="submit">'
    assert page.count(button + "Mark as helpful") == 2 and page.count(button + "Remove “helpful”") == 1
