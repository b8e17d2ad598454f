"""Go round: the facilitator turns on a speaking order; the run page shows the present
members in an order fixed for the meeting and who speaks next; "heard" moves it on; without
it the "not heard yet" marks stay. The state poll carries it for the live page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from forum.extensions import db
from forum.meetings.models import Attendance, Presence
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post


@pytest.fixture
def running_meeting(app, make_user, make_circle, make_meeting, make_post):
    fay = make_user(name="Fay.Round")
    members = [make_user(name=f"Person{number}.Round") for number in range(5)]
    circle_id = make_circle("Round circle", facilitator=fay, members=members)
    meeting_id = make_meeting(circle_id, utcnow() + timedelta(minutes=5))
    fay_client = client_for(app, fay)
    run = f"/meetings/{meeting_id}/run"
    assert form_post(fay_client, f"/meetings/{meeting_id}/control", {"control": "start", "version": "0"},
                     page=run).status_code == 302
    with app.app_context():
        db.session.get(Attendance, (meeting_id, members[4].id)).status = Presence.ABSENT
        db.session.commit()
    return {"id": meeting_id, "fay": fay, "members": members, "f": fay_client, "run": run}


def _order(page: str) -> list[str]:
    section = page[page.index('id="heard"'):]
    section = section[:section.index("</section>")]
    return re.findall(r'data-heard-person="\d+"[^>]*>([^:<]+):', section)


def test_without_go_round_the_marks_stay(app, running_meeting):
    page = running_meeting["f"].get(running_meeting["run"]).get_data(as_text=True)
    assert "Everyone heard" in page and "not heard yet" in page and "Next to speak" not in page
    assert "Turn on go round" in page
    state = running_meeting["f"].get(f"/meetings/{running_meeting['id']}/state").json
    assert state["go_round"] is False and state["next"] is None


def test_go_round_orders_the_present_members_and_heard_moves_it_on(app, running_meeting):
    f, run, meeting_id = running_meeting["f"], running_meeting["run"], running_meeting["id"]
    assert form_post(f, f"/meetings/{meeting_id}/go-round", {"on": "1"}, page=run).status_code == 302
    page = f.get(run).get_data(as_text=True)
    order = _order(page)
    assert sorted(order) == sorted(["Fay.Round"] + [f"Person{number}.Round" for number in range(4)])  # not the absent one
    assert f"Next to speak: <strong>{order[0]}</strong>" in page
    assert _order(f.get(run).get_data(as_text=True)) == order  # fixed for the meeting
    member_page = client_for(app, running_meeting["members"][0]).get(run).get_data(as_text=True)
    assert _order(member_page) == order and "Heard: next speaker" not in member_page
    state = f.get(f"/meetings/{meeting_id}/state").json
    assert state["go_round"] is True and state["next"]["name"] == order[0]
    assert form_post(f, state["next"]["url"], {"heard": "1"}, page=run).status_code == 302
    after = f.get(run).get_data(as_text=True)
    assert f"Next to speak: <strong>{order[1]}</strong>" in after
    assert f.get(f"/meetings/{meeting_id}/state").json["next"]["name"] == order[1]
    # Turning it off and on again keeps the same order.
    form_post(f, f"/meetings/{meeting_id}/go-round", {"on": "0"}, page=run)
    assert "Everyone heard" in f.get(run).get_data(as_text=True)
    form_post(f, f"/meetings/{meeting_id}/go-round", {"on": "1"}, page=run)
    assert _order(f.get(run).get_data(as_text=True)) == order


def test_only_a_facilitator_turns_it_on(app, running_meeting, make_user):
    meeting_id, run = running_meeting["id"], running_meeting["run"]
    member = client_for(app, running_meeting["members"][0])
    assert form_post(member, f"/meetings/{meeting_id}/go-round", {"on": "1"}, page=run).status_code == 403
    outsider = client_for(app, make_user(name="Out.Round"))
    assert form_post(outsider, f"/meetings/{meeting_id}/go-round", {"on": "1"}).status_code == 404
    assert running_meeting["f"].get(f"/meetings/{meeting_id}/state").json["go_round"] is False


def test_the_run_page_keeps_its_statement_count_with_go_round(app, running_meeting, count_queries):
    f, run, meeting_id = running_meeting["f"], running_meeting["run"], running_meeting["id"]
    with count_queries() as off:
        f.get(run)
    form_post(f, f"/meetings/{meeting_id}/go-round", {"on": "1"}, page=run)
    with count_queries() as on:
        f.get(run)
    assert len(on) == len(off), (len(off), len(on))
