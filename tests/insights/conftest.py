"""An organisation with known numbers for insights: see `known` below for every figure."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from forum.accounts.models import Role
from forum.cases.models import OutcomeType, PostKind
from forum.extensions import db
from forum.meetings.models import AgendaItem, AgendaStatus, Attendance, MeetingStatus, Presence
from forum.timeutil import utcnow

PLANTED = ("PLANTED-CIRCLE-TITLE", "PLANTED-CIRCLE-TEXT", "PLANTED-NOTE", "PLANTED-AGENDA")


def month_start(moment: datetime) -> datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@pytest.fixture
def known(app, make_user, make_team, make_theme, make_post, make_reply, make_outcome, make_circle, make_meeting):
    """This month: North (6 advisers) write 6 Housing cases, 4 of them also a Debt story; South
    (5 advisers) has one circle case in Housing; Tiny (2 advisers) one anonymous case last month
    with no reply. b2 answers five cases within 10 hours and one after 60 hours."""
    ms = month_start(utcnow())
    north, south, tiny = make_team("North"), make_team("South"), make_team("Tiny")
    a = [make_user(team_id=north, name=f"North{i}") for i in range(6)]
    b = [make_user(team_id=south, name=f"South{i}") for i in range(5)]
    c = [make_user(team_id=tiny, name=f"Tiny{i}") for i in range(2)]
    manager = make_user(Role.MANAGER, team_id=north, name="The.Manager")
    admin = make_user(Role.ADMIN, name="The.Admin")
    housing, debt = make_theme("Housing"), make_theme("Debt")
    cases = [make_post(f"Housing case {i}", author=person, themes=[housing], at=ms + timedelta(hours=1))
             for i, person in enumerate(a)]
    for i, person in enumerate(a[:4]):
        make_post(f"Debt story {i}", author=person, kind=PostKind.STORY, themes=[debt], at=ms + timedelta(hours=1))
    for case, hours in zip(cases, (2, 4, 6, 8, 10, 60), strict=True):
        make_reply(case, "An answer.", author=b[2], at=ms + timedelta(hours=1 + hours))
    circle = make_circle("Thursday circle", facilitator=b[3], members=[b[0], b[1], b[2], b[4], a[0]])
    circle_case = make_post("PLANTED-CIRCLE-TITLE", author=b[0], themes=[housing], circle_id=circle,
                            situation="PLANTED-CIRCLE-TEXT", at=ms + timedelta(hours=1))
    waiting = make_post("Waiting case", author=c[0], anonymous=True, at=month_start(ms - timedelta(days=1)) + timedelta(hours=1))
    for case in cases[:5]:
        make_outcome(case, [OutcomeType.STARTED_WORK], ms.date())
    make_outcome(cases[0], [OutcomeType.IN_WORK_13_WEEKS], ms.date())
    make_outcome(cases[5], [OutcomeType.MORE_CONFIDENT], ms.date())
    meeting = make_meeting(circle, ms + timedelta(hours=2), status=MeetingStatus.FINISHED, notes="PLANTED-NOTE")
    with app.app_context():
        db.session.add(AgendaItem(meeting_id=meeting, post_id=circle_case, nominated_by_id=b[0].id,
                                  note="PLANTED-AGENDA", status=AgendaStatus.ACCEPTED, notes="PLANTED-NOTE"))
        for person in b:
            db.session.add(Attendance(meeting_id=meeting, user_id=person.id, status=Presence.PRESENT))
        db.session.add(Attendance(meeting_id=meeting, user_id=a[0].id, status=Presence.ABSENT))
        db.session.commit()
    return {"manager": manager, "admin": admin, "north": north, "south": south, "tiny": tiny, "a": a, "b": b,
            "waiting": waiting, "circle_case": circle_case, "month": ms.strftime("%b %Y"), "today": date.today()}
