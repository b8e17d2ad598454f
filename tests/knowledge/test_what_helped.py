""""What helped": who may mark it (both sides), a reply of another post, a deleted or hidden
reply, change and remove, shown first under the case and on its card in lists."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from forum.cases.models import Post, Reply, Status
from forum.extensions import db
from tests.conftest import client_for
from tests.conftest import post as form_post


@pytest.fixture
def case(make_user, make_post, make_reply, make_theme):
    author, helper, reader = make_user(name="Author"), make_user(name="Helper"), make_user(name="Reader")
    post = make_post("Sanction appeal deadline", author=author, situation="A sanction.", ask="What now?",
                     themes=[make_theme("Benefits")])
    first = make_reply(post, "Ask for a mandatory reconsideration within a month.", author=helper)
    second = make_reply(post, "Call the helpline together.", author=reader)
    return {"author": author, "helper": helper, "reader": reader, "post": post, "first": first, "second": second}


def mark(client, post_id, reply_id=None, remove=False):
    data = {"remove": "1"} if remove else {"reply_id": str(reply_id)}
    return form_post(client, f"/posts/{post_id}/what-helped", data, page=f"/posts/{post_id}")


def helped(app, post_id):
    with app.app_context():
        return db.session.get(Post, post_id).helped_reply_id


def test_the_author_marks_changes_and_removes_it(app, case):
    author = client_for(app, case["author"])
    assert mark(author, case["post"], case["first"]).status_code == 302
    assert helped(app, case["post"]) == case["first"]
    page = author.get(f"/posts/{case['post']}").get_data(as_text=True)
    section = page[page.index('id="what-helped"'):]
    assert "What helped" in section and "mandatory reconsideration" in section
    assert page.index('id="what-helped"') < page.index('id="replies"')  # first under the case
    assert mark(author, case["post"], case["second"]).status_code == 302
    assert helped(app, case["post"]) == case["second"]
    assert mark(author, case["post"], remove=True).status_code == 302
    assert helped(app, case["post"]) is None
    assert 'id="what-helped"' not in author.get(f"/posts/{case['post']}").get_data(as_text=True)


@pytest.mark.parametrize("who", ["helper", "reader"])
def test_nobody_else_may_mark_it(app, case, who):
    client = client_for(app, case[who])
    assert mark(client, case["post"], case["first"]).status_code == 403
    assert helped(app, case["post"]) is None
    assert "Mark as what helped" not in client.get(f"/posts/{case['post']}").get_data(as_text=True)


def test_a_circle_posts_facilitators_may_mark_it_and_its_members_may_not(app, make_user, make_circle, make_post,
                                                                         make_reply):
    author, facilitator, member = make_user(name="Author"), make_user(name="Facil"), make_user(name="Member")
    circle = make_circle("Circle", facilitator=facilitator, members=[author, member])
    post = make_post("Circle case", author=author, circle_id=circle, situation="x", ask="y")
    reply = make_reply(post, "Try this.", author=member)
    assert mark(client_for(app, member), post, reply).status_code == 403
    assert mark(client_for(app, facilitator), post, reply).status_code == 302
    assert helped(app, post) == reply
    outsider = client_for(app, make_user(name="Outsider"))
    assert mark(outsider, post, reply).status_code == 404  # they may not know it exists


def test_a_reply_of_another_post_is_refused(app, case, make_post, make_reply):
    elsewhere = make_reply(make_post("Another case", situation="x", ask="y"), "Elsewhere.")
    author = client_for(app, case["author"])
    response = mark(author, case["post"], elsewhere)
    assert response.status_code == 302
    assert "Choose a reply to this case" in author.get(response.headers["Location"]).get_data(as_text=True)
    assert helped(app, case["post"]) is None


def test_a_deleted_reply_is_refused_with_a_clear_message(app, case):
    with app.app_context():
        db.session.execute(update(Reply).where(Reply.id == case["first"]).values(status=Status.DELETED))
        db.session.commit()
    author = client_for(app, case["author"])
    response = mark(author, case["post"], case["first"])
    page = author.get(response.headers["Location"]).get_data(as_text=True)
    assert "That reply has been deleted, so it cannot be marked as what helped" in page
    assert helped(app, case["post"]) is None


def test_no_reply_chosen_is_a_clear_message_not_an_error(app, case):
    author = client_for(app, case["author"])
    response = form_post(author, f"/posts/{case['post']}/what-helped", {"reply_id": "abc"}, page=f"/posts/{case['post']}")
    assert response.status_code == 302
    assert "Choose a reply to this case" in author.get(response.headers["Location"]).get_data(as_text=True)


def test_a_hidden_reply_loses_the_display_until_restored(app, case):
    author = client_for(app, case["author"])
    mark(author, case["post"], case["first"])
    reader = client_for(app, case["reader"])

    def shows():
        page = reader.get(f"/posts/{case['post']}").get_data(as_text=True)
        card = reader.get("/posts").get_data(as_text=True)
        return 'id="what-helped"' in page, "tag--helped" in card

    assert shows() == (True, True)
    for status, expected in ((Status.HIDDEN, (False, False)), (Status.PUBLISHED, (True, True))):
        with app.app_context():
            db.session.execute(update(Reply).where(Reply.id == case["first"]).values(status=status))
            db.session.commit()
        assert shows() == expected
    assert helped(app, case["post"]) == case["first"]  # the mark itself stays


def test_the_cards_in_lists_say_so(app, case):
    mark(client_for(app, case["author"]), case["post"], case["first"])
    reader = client_for(app, case["reader"])
    for path in ("/posts", "/posts?view=cases", "/themes/benefits", f"/search?q=sanction"):
        html = reader.get(path).get_data(as_text=True)
        if "post-summary" in html:
            assert "What helped" in html, path


def test_the_count_for_the_learning_record(app, case):
    from forum.knowledge import services
    mark(client_for(app, case["author"]), case["post"], case["first"])
    with app.app_context():
        assert services.what_helped_count(case["helper"].id) == 1
        assert services.what_helped_count(case["reader"].id) == 0
