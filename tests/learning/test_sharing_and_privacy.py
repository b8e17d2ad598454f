"""Nobody but its person sees a learning record: other advisers, managers and admins get 404
by every route; a share opens for its one manager only, shows only the chosen sections, is
audited without content, and is gone (404) once revoked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.audit import AuditEntry
from forum.extensions import db
from forum.learning.models import Goal, Reflection, Share
from tests.conftest import client_for
from tests.conftest import post as form_post
from tests.learning.conftest import YEAR, add_reflection

SECRET = "A very private thought about supervision"


@pytest.fixture
def owned(app, known):
    reflection = add_reflection(app, known["person"], SECRET, meeting_id=known["meetings"][0])
    person = client_for(app, known["person"])
    form_post(person, "/learning/goals/new", {"text": "Grow in confidence"}, page="/learning/goals/new")
    with app.app_context():
        goal = db.session.scalar(select(Goal.id))
    return {"reflection": reflection, "goal": goal, "client": person}


def share(client, manager_id: int, sections, **extra):
    data = {"manager": str(manager_id), "start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31", "sections": list(sections), **extra}
    return form_post(client, "/learning/share", data, page="/learning/share")


@pytest.mark.parametrize("who", ["other", "manager", "admin"])
def test_nobody_else_reaches_a_persons_reflections_or_goals(app, known, owned, who):
    intruder = client_for(app, known[who])
    reflection, goal = owned["reflection"], owned["goal"]
    missing = intruder.get("/learning/reflections/999999")
    assert missing.status_code == 404
    for url in (f"/learning/reflections/{reflection}", f"/learning/reflections/{reflection}/delete"):
        response = intruder.get(url)
        assert response.status_code == 404 and response.get_data() == missing.get_data()
    for url, data in ((f"/learning/reflections/{reflection}", {"took": "Mine now"}),
                      (f"/learning/reflections/{reflection}/delete", {}), (f"/learning/goals/{goal}/done", {"done": "1"})):
        assert form_post(intruder, url, data).status_code == 404
    # Their own record holds nothing of the other person's.
    own = intruder.get("/learning").get_data(as_text=True)
    assert SECRET not in own and "Grow in confidence" not in own and "Thursday circle" not in own
    with app.app_context():
        assert db.session.get(Reflection, reflection).took == SECRET
        assert db.session.get(Goal, goal).done_at is None


def test_a_share_opens_for_its_manager_only_with_only_the_chosen_sections(app, known, owned):
    person = owned["client"]
    page = person.get("/learning/share").get_data(as_text=True)
    # The person's own team's manager comes first; advisers and admins are not offered.
    assert page.index("Morgan.Manager") < page.index("Ava.Elsewhere") and "Ada.Admin" not in page and "Pat.Peer" not in page
    assert share(person, known["manager"].id, ["totals", "goals"]).status_code == 302
    with app.app_context():
        row = db.session.scalar(select(Share))
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "learning.shared"))
        assert entry.actor_id == known["person"].id and entry.target_id == row.id
        assert SECRET not in (entry.reason or "") and "Grow" not in (entry.reason or "")
    manager = client_for(app, known["manager"])
    assert "Łukasz Ŵyn" in manager.get("/learning/shared").get_data(as_text=True)
    opened = manager.get(f"/learning/shared/{row.id}")
    text = opened.get_data(as_text=True)
    assert opened.status_code == 200 and "Grow in confidence" in text and "Circle meetings attended" in text
    assert SECRET not in text and "Thursday circle" not in text and "Benefit sanctions worry" not in text
    # Another manager, an admin, another adviser, and the owner themselves: 404.
    for who in ("far_manager", "admin", "other", "person", "peer"):
        intruder = client_for(app, known[who])
        response, missing = intruder.get(f"/learning/shared/{row.id}"), intruder.get("/learning/shared/999999")
        assert response.status_code == 404 and response.get_data() == missing.get_data(), who
    # A copy: later changes to the record do not reach it.
    form_post(person, "/learning/goals/new", {"text": "A later goal"}, page="/learning/goals/new")
    assert "A later goal" not in manager.get(f"/learning/shared/{row.id}").get_data(as_text=True)


def test_a_share_with_reflections_holds_them_and_revoking_deletes_it(app, known, owned):
    person = owned["client"]
    share(person, known["manager"].id, ["reflections"])
    with app.app_context():
        row_id = db.session.scalar(select(Share.id))
    manager = client_for(app, known["manager"])
    assert SECRET in manager.get(f"/learning/shared/{row_id}").get_data(as_text=True)
    assert form_post(client_for(app, known["other"]), f"/learning/shares/{row_id}/revoke").status_code == 404
    revoked = form_post(person, f"/learning/shares/{row_id}/revoke", page="/learning")
    assert revoked.status_code == 302
    assert manager.get(f"/learning/shared/{row_id}").status_code == 404
    with app.app_context():
        assert db.session.get(Share, row_id) is None
        assert db.session.scalar(select(AuditEntry.target_id).where(AuditEntry.action == "learning.share_revoked")) == row_id


def test_sharing_bad_input_is_refused_with_clear_messages_and_kept(app, known, owned):
    person = owned["client"]
    nothing = share(person, known["manager"].id, [])
    text = nothing.get_data(as_text=True)
    assert nothing.status_code == 400 and "Choose at least one part of your record" in text and "There is a problem" in text
    assert re.search(rf'name="start-year"[^>]*value="{YEAR}"', text) and re.search(r'name="start-day"[^>]*value="1"', text)
    backwards = share(person, known["manager"].id, ["totals"], start=f"{YEAR}-05-01", end=f"{YEAR}-04-01")
    assert backwards.status_code == 400 and "The end of the period must be on or after its start" in backwards.get_data(as_text=True)
    for bad in (known["admin"].id, known["other"].id, known["person"].id, 0, 999999):
        refused = share(person, bad, ["totals"])
        assert refused.status_code == 400 and "Choose a manager from the list" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Share.id)) is None


def test_no_reflection_text_reaches_email_notifications_or_the_log(app, known, owned, outbox, caplog):
    person = owned["client"]
    share(person, known["manager"].id, ["reflections", "totals"])
    person.get("/learning")
    with app.app_context():
        row = db.session.scalar(select(Share))
    client_for(app, known["manager"]).get(f"/learning/shared/{row.id}")
    assert all(SECRET not in (mail.text_body or "") + (mail.html_body or "") for mail in outbox)
    assert SECRET not in caplog.text
    assert SECRET not in client_for(app, known["manager"]).get("/notifications").get_data(as_text=True)


def test_a_manager_without_two_factor_is_sent_to_set_it_up_before_opening_a_share(app, known, owned, make_user):
    from forum.accounts.models import Role

    unsafe = make_user(Role.MANAGER, name="Nat.NoCode", email="nat@example.org", two_factor=False)
    share(owned["client"], unsafe.id, ["totals"])
    with app.app_context():
        row_id = db.session.scalar(select(Share.id))
    response = client_for(app, unsafe).get(f"/learning/shared/{row_id}")
    assert response.status_code == 302 and "two-factor" in response.headers["Location"]
