"""A known learning record: an adviser (with a Polish and a Welsh letter in their name) in a
circle with three meetings this year (present at two, absent at one), cases on the agendas,
posts, a reply others found helpful, an outcome update and action points."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from forum.accounts.models import Role
from forum.cases.models import Helpful
from forum.extensions import db
from forum.learning.models import Reflection
from forum.meetings.models import ActionPoint, AgendaItem, AgendaStatus, Attendance, MeetingStatus, Presence
from forum.timeutil import utcnow

YEAR = utcnow().year
JAN = datetime(YEAR, 1, 13, 10, 0, tzinfo=UTC)


@pytest.fixture
def known(app, make_user, make_team, make_circle, make_meeting, make_post, make_reply, make_outcome, make_theme):
    team = make_team("North")
    person = make_user(name="Łukasz Ŵyn", email="lukasz@example.org", team_id=team)
    peer = make_user(name="Pat.Peer", email="pat@example.org", team_id=team)
    other = make_user(name="Olu.Other", email="olu@example.org")
    manager = make_user(Role.MANAGER, name="Morgan.Manager", email="morgan@example.org", team_id=team)
    far_manager = make_user(Role.MANAGER, name="Ava.Elsewhere", email="ava@example.org")
    admin = make_user(Role.ADMIN, name="Ada.Admin", email="ada@example.org")
    housing = make_theme("Housing")
    circle = make_circle("Thursday circle", facilitator=peer, members=[person])
    # 90 minutes scheduled, really run for 2 hours; 60 minutes scheduled, never run in the app;
    # 45 minutes at which the person was absent.
    run = make_meeting(circle, JAN, minutes=90, status=MeetingStatus.FINISHED,
                       started_at=JAN, finished_at=JAN + timedelta(hours=2))
    scheduled = make_meeting(circle, JAN + timedelta(days=7), minutes=60, status=MeetingStatus.FINISHED)
    missed = make_meeting(circle, JAN + timedelta(days=14), minutes=45, status=MeetingStatus.FINISHED)
    last_year = make_meeting(circle, JAN - timedelta(days=365), minutes=60, status=MeetingStatus.FINISHED)
    own_case = make_post("Benefit sanctions worry", author=person, themes=[housing], at=JAN + timedelta(days=1))
    peer_case = make_post("Rent arrears at interview", author=peer, at=JAN)
    reply = make_reply(peer_case, "Try the landlord forum.", author=person, at=JAN + timedelta(days=2))
    make_reply(own_case, "A reply to myself.", author=person, at=JAN + timedelta(days=3))
    make_outcome(own_case, occurred_on=date(YEAR, 2, 1))
    with app.app_context():
        db.session.add_all([
            Attendance(meeting_id=run, user_id=person.id, status=Presence.PRESENT),
            Attendance(meeting_id=scheduled, user_id=person.id, status=Presence.PRESENT),
            Attendance(meeting_id=missed, user_id=person.id, status=Presence.ABSENT),
            Attendance(meeting_id=last_year, user_id=person.id, status=Presence.PRESENT),
            AgendaItem(meeting_id=run, post_id=own_case, nominated_by_id=person.id, status=AgendaStatus.ACCEPTED,
                       presenter_id=person.id, position=1),
            AgendaItem(meeting_id=run, post_id=peer_case, nominated_by_id=peer.id, status=AgendaStatus.ACCEPTED,
                       presenter_id=peer.id, position=2),
            AgendaItem(meeting_id=missed, post_id=peer_case, nominated_by_id=peer.id, status=AgendaStatus.ACCEPTED,
                       presenter_id=peer.id),
            ActionPoint(meeting_id=run, owner_id=person.id, text="Call the landlord", done_at=JAN + timedelta(days=3),
                        created_at=JAN),
            ActionPoint(meeting_id=run, owner_id=person.id, text="Read the sanctions guide", due=date(YEAR, 3, 1),
                        created_at=JAN),
            Helpful(target_type="reply", target_id=reply, user_id=peer.id, created_at=JAN + timedelta(days=3)),
            Helpful(target_type="reply", target_id=reply, user_id=other.id, created_at=JAN + timedelta(days=4)),
        ])
        db.session.commit()
    return {"person": person, "peer": peer, "other": other, "manager": manager, "far_manager": far_manager,
            "admin": admin, "circle": circle, "meetings": (run, scheduled, missed), "own_case": own_case,
            "peer_case": peer_case, "housing": housing}


def add_reflection(app, person, took: str, *, meeting_id=None, post_id=None, at=None) -> int:
    with app.app_context():
        at = at or JAN + timedelta(days=1)
        row = Reflection(author_id=person.id, meeting_id=meeting_id, post_id=post_id, took=took, will_try="",
                         created_at=at, updated_at=at)
        db.session.add(row)
        db.session.commit()
        return row.id
