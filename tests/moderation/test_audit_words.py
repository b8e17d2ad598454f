"""The audit log in words (issue 23): one sentence per action the code records, the person and
the item linked where the viewer may see them, automatic actions by "The forum", the anonymous
author as "The author", a circle post the viewer may not read as "a circle post"."""

from __future__ import annotations

import ast
import csv
import io
import re
from pathlib import Path

import pytest

from forum import audit
from forum.accounts.models import Role
from forum.extensions import db
from forum.moderation import audit_words
from forum.moderation.models import Action
from tests.conftest import client_for

FORUM = Path(__file__).resolve().parents[2] / "forum"


def recorded_actions() -> set[str]:
    """Every action any `audit.record(...)` call in the code can record, read from the syntax
    tree: a literal, either branch of a conditional, or moderation's f-string over `Action`."""
    found: set[str] = set()

    def values(node) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return values(node.body) | values(node.orelse)
        if isinstance(node, ast.JoinedStr):
            prefix = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
            assert prefix == "moderation.", ast.unparse(node)  # the one f-string: moderation.{action.value}
            return {f"moderation.{action.value}" for action in Action
                    if action not in (Action.AUTO_HIDDEN, Action.REDACTED, Action.REVIEW_ASKED)}
        raise AssertionError(f"An audit action the test cannot read: {ast.unparse(node)}")

    for path in FORUM.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit"):
                found |= values(node.args[1])
    return found


def test_every_action_the_code_records_has_a_sentence():
    actions = recorded_actions()
    assert len(actions) > 50  # the walk found them
    assert {"moderation.restored", "user.approval_lifted", "sign_in.code"} <= actions
    missing = sorted(actions - set(audit_words.WORDS))
    assert not missing, f"Add a sentence to forum/moderation/audit_words.py WORDS for: {missing}"
    for action in actions:
        words, _ = audit_words.template(action)
        assert "{actor}" in words or action == "sign_in", action


def words_of(page: str) -> list[str]:
    """Each table row's sentence, without its tags."""
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", row.split("<td>")[2].split("</td>")[0])).strip()
            for row in rows]


@pytest.fixture
def world(app, make_user, make_post, make_reply, make_circle):
    manager = make_user(Role.MANAGER, name="Morgan")
    writer = make_user(name="Writer.One")
    member_manager = make_user(Role.MANAGER, name="Circle.Manager")
    circle_id = make_circle("Tuesday circle", facilitator=writer, members=[member_manager])
    public = make_post("Client afraid of losing benefits", author=writer)
    hidden_title = make_post("Circle worry about rent", author=writer, circle_id=circle_id)
    anonymous = make_post("A quiet case", author=writer, anonymous=True)
    return {"manager": manager, "writer": writer, "member_manager": member_manager, "public": public,
            "circle_post": hidden_title, "anonymous": anonymous, "circle_id": circle_id}


def record(app, *entries):
    with app.test_request_context():
        for args, kwargs in entries:
            audit.record(*args, **kwargs)
        db.session.commit()


def test_the_log_says_what_happened_in_words_with_links_and_reasons(app, world):
    manager, writer = world["manager"], world["writer"]
    record(app,
           ((manager.id, "moderation.restored", "post", world["public"]), {"reason": "No one can be identified"}),
           ((None, "moderation.auto_hidden", "post", world["public"]), {"reason": "identifies"}),
           ((writer.id, "flag.raised", "post", world["public"]), {"reason": "identifies"}),
           ((None, "sign_in", "user", None), {"outcome": "failure"}),
           ((writer.id, "sign_in.password", "user", writer.id), {}),
           ((manager.id, "user.suspended", "user", writer.id), {"reason": "until further notice: test"}),
           ((manager.id, "post.author_revealed", "post", world["public"]), {"outcome": "denied"}),
           ((manager.id, "something.new", None, None), {}))
    page = client_for(app, manager).get("/moderation/audit").get_data(as_text=True)
    sentences = words_of(page)
    assert "Morgan restored the case ‘Client afraid of losing benefits’" in sentences
    assert "The forum hid the case ‘Client afraid of losing benefits’ after an urgent flag, until a manager has looked" in sentences
    assert "Writer.One flagged the case ‘Client afraid of losing benefits’" in sentences
    assert "Someone not signed in failed to sign in" in sentences
    assert "Two-factor sign-in used: Writer.One entered their password and was asked for a code" in sentences
    assert "Morgan suspended Writer.One" in sentences
    assert "Morgan tried to reveal who wrote the case ‘Client afraid of losing benefits’" in sentences
    assert "Morgan: something: new" in sentences  # an action without a sentence yet still shows
    assert "Not signed in" not in page
    assert "No one can be identified" in page and "May identify someone" in page  # reasons, in words
    assert f'href="/moderation/people/{manager.id}"' in page and f'href="/posts/{world["public"]}"' in page
    assert 'data-action="moderation.restored"' in page


def test_a_circle_post_the_viewer_may_not_read_is_a_circle_post_with_no_title(app, world, make_reply):
    reply_id = make_reply(world["circle_post"], "A circle reply.", author=world["member_manager"])
    record(app, ((world["manager"].id, "moderation.circle_content_opened", "post", world["circle_post"]), {}),
           ((world["manager"].id, "moderation.hidden", "reply", reply_id), {}))
    outsider = client_for(app, world["manager"]).get("/moderation/audit").get_data(as_text=True)
    assert "Morgan opened a circle post from the review queue" in words_of(outsider)
    assert "Morgan hid a reply in a circle" in words_of(outsider)
    assert "Circle worry about rent" not in outsider
    assert f'href="/posts/{world["circle_post"]}"' not in outsider
    member = client_for(app, world["member_manager"]).get("/moderation/audit").get_data(as_text=True)
    assert "Morgan opened the case ‘Circle worry about rent’ from the review queue" in words_of(member)
    csv_text = client_for(app, world["manager"]).get("/moderation/audit.csv").get_data(as_text=True)
    assert "Circle worry about rent" not in csv_text


def test_the_anonymous_author_is_the_author_in_words_too(app, world):
    writer = world["writer"]
    record(app, ((writer.id, "moderation.review_asked", "post", world["anonymous"]), {}))
    manager = client_for(app, world["manager"])
    page = manager.get("/moderation/audit").get_data(as_text=True)
    assert "The author asked for a review of the case ‘A quiet case’" in words_of(page)
    row = [row for row in page.split("<tr")[1:] if 'data-action="moderation.review_asked"' in row][0]
    assert "Writer.One" not in row and f"/moderation/people/{writer.id}" not in row
    rows = list(csv.reader(io.StringIO(manager.get("/moderation/audit.csv").get_data(as_text=True))))
    assert rows[0][3] == "action" and rows[0][-1] == "what"
    mine = [row for row in rows[1:] if row[3] == "moderation.review_asked"]
    assert mine[0][1:3] == ["", "The author"]
    assert mine[0][-1] == "The author asked for a review of the case ‘A quiet case’"


def test_the_filter_names_each_action_in_words_and_keeps_its_code(app, world):
    record(app, ((world["manager"].id, "moderation.restored", "post", world["public"]), {}))
    page = client_for(app, world["manager"]).get("/moderation/audit").get_data(as_text=True)
    assert '<option value="moderation.restored">Restored … (moderation.restored)</option>' in page
    filtered = client_for(app, world["manager"]).get("/moderation/audit?action=moderation.restored")
    assert filtered.status_code == 200 and 'data-action="moderation.restored"' in filtered.get_data(as_text=True)
