"""The pulse after a meeting: asked of members recorded present only, once each, while open
for 7 days; figures only once it has closed and from 5 answers; answers that cannot be linked
to their authors, not even by the order they were written in."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text, update

from forum.extensions import db
from forum.meetings import pulse
from forum.meetings.models import Attendance, Meeting, MeetingStatus, Presence, PulseAnswer, PulseAnswered
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post


def _setup(app, make_user, make_circle, make_meeting, people: int, absent: int = 0, name: str = "Pulse circle"):
    facilitator = make_user(name=f"Fay.{name.split()[0]}")
    members = [make_user(name=f"Member{number}.{name.split()[0]}") for number in range(people + absent)]
    circle_id = make_circle(name, facilitator=facilitator, members=members)
    meeting_id = make_meeting(circle_id, utcnow() - timedelta(hours=2), status=MeetingStatus.FINISHED,
                              finished_at=utcnow() - timedelta(hours=1), started_at=utcnow() - timedelta(hours=2))
    with app.app_context():
        for number, person in enumerate(members):
            status = Presence.PRESENT if number < people else Presence.ABSENT
            db.session.add(Attendance(meeting_id=meeting_id, user_id=person.id, status=status))
        db.session.commit()
    return {"circle_id": circle_id, "meeting_id": meeting_id, "facilitator": facilitator,
            "present": members[:people], "absent": members[people:]}


def _answer(app, person, meeting_id, client=None, **values):
    client = client or client_for(app, person)
    return form_post(client, f"/meetings/{meeting_id}/pulse", {key: str(value) for key, value in values.items()},
                     page=f"/meetings/{meeting_id}/summary")


def _close(app, meeting_id, days: int = 8):
    with app.app_context():
        db.session.execute(update(Meeting).where(Meeting.id == meeting_id)
                           .values(finished_at=utcnow() - timedelta(days=days), ends_at=utcnow() - timedelta(days=days),
                                   starts_at=utcnow() - timedelta(days=days, hours=1)))
        db.session.commit()


def _stored(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(PulseAnswer)), \
            db.session.scalar(select(func.count()).select_from(PulseAnswered))


def test_a_member_recorded_present_is_asked_and_answers_once(app, make_user, make_circle, make_meeting):
    setup = _setup(app, make_user, make_circle, make_meeting, people=1)
    person = setup["present"][0]
    client = client_for(app, person)
    page = client.get(f"/meetings/{setup['meeting_id']}/summary").get_data(as_text=True)
    assert "How useful was this session for your work?" in page
    assert "nobody sees your answer" in page  # each question says who sees what
    assert _answer(app, person, setup["meeting_id"], usefulness=4, coping=2, words="Good pace").status_code == 302
    assert _stored(app) == (1, 1)
    again = _answer(app, person, setup["meeting_id"], client=client, usefulness=5)
    assert again.status_code == 303
    assert "already answered" in client.get(again.headers["Location"]).get_data(as_text=True)
    assert _stored(app) == (1, 1)
    assert "How useful was this session" not in client.get(f"/meetings/{setup['meeting_id']}/summary").get_data(as_text=True)


def test_nobody_else_can_answer(app, make_user, make_circle, make_meeting):
    setup = _setup(app, make_user, make_circle, make_meeting, people=1, absent=1)
    for outsider in (setup["absent"][0], setup["facilitator"], make_user(name="Not.InIt")):
        assert _answer(app, outsider, setup["meeting_id"], usefulness=3).status_code == 404
    assert "How useful was this session" not in client_for(app, setup["absent"][0]).get(
        f"/meetings/{setup['meeting_id']}/summary").get_data(as_text=True)
    assert _stored(app) == (0, 0)


@pytest.mark.parametrize("bad", ["0", "6", "x", "-1"])
def test_a_value_outside_1_to_5_is_refused_and_nothing_is_stored(app, make_user, make_circle, make_meeting, bad):
    setup = _setup(app, make_user, make_circle, make_meeting, people=1)
    response = _answer(app, setup["present"][0], setup["meeting_id"], usefulness=bad, coping="3", words="kept words")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert page.count("Choose a number from 1 to 5 for “How useful was this session for your work?”") == 2  # summary and field
    assert "kept words" in page and "checked" in page
    assert _stored(app) == (0, 0)


def test_an_empty_answer_is_refused(app, make_user, make_circle, make_meeting):
    setup = _setup(app, make_user, make_circle, make_meeting, people=1)
    assert _answer(app, setup["present"][0], setup["meeting_id"]).status_code == 400
    assert _stored(app) == (0, 0)


def test_words_that_identify_someone_are_refused(app, make_user, make_circle, make_meeting):
    setup = _setup(app, make_user, make_circle, make_meeting, people=1)
    response = _answer(app, setup["present"][0], setup["meeting_id"], words="Ring her on 07700 900123 please")
    assert response.status_code == 400 and "may identify someone" in response.get_data(as_text=True)
    assert _stored(app) == (0, 0)


def test_the_pulse_closes_after_7_days(app, make_user, make_circle, make_meeting):
    setup = _setup(app, make_user, make_circle, make_meeting, people=1)
    _close(app, setup["meeting_id"])
    client = client_for(app, setup["present"][0])
    response = _answer(app, setup["present"][0], setup["meeting_id"], client=client, usefulness=3)
    assert response.status_code == 303
    assert _stored(app) == (0, 0)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "pulse has closed" in page


def _figures(app, setup) -> str:
    return client_for(app, setup["facilitator"]).get(f"/meetings/{setup['meeting_id']}/summary").get_data(as_text=True)


def test_four_answers_show_nothing_and_five_show_the_average(app, make_user, make_circle, make_meeting):
    four = _setup(app, make_user, make_circle, make_meeting, people=4, name="Four circle")
    for person, value in zip(four["present"], (1, 2, 3, 4)):
        _answer(app, person, four["meeting_id"], usefulness=value, coping=1, words=f"words {value}")
    five = _setup(app, make_user, make_circle, make_meeting, people=5, name="Five circle")
    for person, value in zip(five["present"], (3, 4, 4, 5, 5)):
        _answer(app, person, five["meeting_id"], usefulness=value, coping=1, words=f"said {value}")
    assert "Figures appear once it closes" in _figures(app, five)  # still open: nothing yet
    assert "4.2 out of 5" not in _figures(app, five)
    _close(app, four["meeting_id"])
    _close(app, five["meeting_id"])
    shown_four = _figures(app, four)
    assert "Fewer than 5 people rated this session" in shown_four and "words 1" not in shown_four
    shown_five = _figures(app, five)
    assert "4.2 out of 5" in shown_five and "from 3 to 5" in shown_five
    assert "said 3" in shown_five  # words once 5 answers exist, in their own list
    assert "coping" not in shown_five.lower() and "how are you doing" not in shown_five.lower()
    # A member sees no figures.
    member_page = client_for(app, five["present"][0]).get(f"/meetings/{five['meeting_id']}/summary").get_data(as_text=True)
    assert "4.2 out of 5" not in member_page and "said 3" not in member_page


def test_organisation_figures_need_5_closed_answers(app, make_user, make_circle, make_meeting):
    setup = _setup(app, make_user, make_circle, make_meeting, people=5)
    for person, value in zip(setup["present"][:4], (2, 3, 4, 5)):
        _answer(app, person, setup["meeting_id"], usefulness=value, coping=value)
    since, until = utcnow() - timedelta(days=30), utcnow() + timedelta(days=1)
    with app.app_context():
        assert pulse.organisation_coping(since, until) is None
    _answer(app, setup["present"][4], setup["meeting_id"], usefulness=1, coping=1)
    with app.app_context():
        assert pulse.organisation_coping(since, until) is None  # open pulses never count
    _close(app, setup["meeting_id"])
    with app.app_context():
        coping = pulse.organisation_coping(since, until)
        assert coping["answers"] == 5 and coping["average"] == 3.0
        by_circle = pulse.usefulness_by_circle([setup["circle_id"], -5], since, until)
        assert by_circle[setup["circle_id"]]["average"] == 3.0 and by_circle[-5] is None


def test_the_order_of_answers_cannot_be_recovered(app, make_user, make_circle, make_meeting):
    """Answers recorded in a known order (1, 2, ... 10) read back by every column and in the
    table's natural order in no way that gives that order back; the marker holds no answer."""
    setup = _setup(app, make_user, make_circle, make_meeting, people=10)
    order = list(range(1, 11))
    for person, value in zip(setup["present"], order):
        # usefulness carries the position (1..5 twice) and words the exact position
        assert _answer(app, person, setup["meeting_id"], usefulness=(value - 1) % 5 + 1, words=f"answer {value}").status_code == 302
    with app.app_context():
        columns = [column.name for column in PulseAnswer.__table__.columns]
        assert "user_id" not in columns and not any("at" == name[-2:] for name in columns)
        assert [column.name for column in PulseAnswered.__table__.columns] == ["meeting_id", "user_id"]

        def positions(sql: str) -> list[int]:
            return [int(words.split()[1]) for words in db.session.scalars(text(sql))]

        natural = positions("SELECT words FROM pulse_answers")
        assert sorted(natural) == order
        readings = [natural] + [positions(f"SELECT words FROM pulse_answers ORDER BY {column}, words")
                                for column in columns if column != "words"]
        for reading in readings:
            assert reading != order and reading != order[::-1]
        if db.engine.dialect.name == "sqlite":
            with pytest.raises(Exception):
                db.session.execute(text("SELECT rowid FROM pulse_answers")).all()
            db.session.rollback()
        else:
            # Every answer was rewritten by the last answer's transaction: one transaction id for all.
            assert db.session.scalar(text("SELECT count(DISTINCT xmin::text) FROM pulse_answers")) == 1
            by_place = positions("SELECT words FROM pulse_answers ORDER BY ctid")
            assert by_place != order and by_place != order[::-1]


def test_erasure_removes_the_marker_and_keeps_the_answer(app, make_user, make_circle, make_meeting):
    from forum.accounts.models import User
    from forum.dataprotection import erasure, export

    setup = _setup(app, make_user, make_circle, make_meeting, people=1)
    person = setup["present"][0]
    _answer(app, person, setup["meeting_id"], usefulness=4)
    with app.app_context():
        user = db.session.get(User, person.id)
        assert export.build_export(user)["sections"]["pulse_answered"][0]["meeting_id"] == setup["meeting_id"]
        erasure._remove_personal_rows(user)
        db.session.commit()
    assert _stored(app) == (1, 0)


def test_the_summary_page_takes_a_fixed_number_of_statements(app, make_user, make_circle, make_meeting, count_queries):
    small = _setup(app, make_user, make_circle, make_meeting, people=5, name="Small circle")
    big = _setup(app, make_user, make_circle, make_meeting, people=9, name="Big circle")
    for setup in (small, big):
        for person in setup["present"]:
            _answer(app, person, setup["meeting_id"], usefulness=4, words="fine")
        _close(app, setup["meeting_id"])
    counts = []
    for setup in (small, big):
        client = client_for(app, setup["facilitator"])
        with count_queries() as statements:
            assert client.get(f"/meetings/{setup['meeting_id']}/summary").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_the_pulse_is_asked_in_the_app_when_the_meeting_ends(app, make_user, make_circle, make_meeting):
    from forum.notifications.models import Kind, Notification

    setup = _setup(app, make_user, make_circle, make_meeting, people=1, absent=1)
    with app.app_context():
        from forum.notifications import services as notifications
        notifications.on_meeting_finished(setup["meeting_id"])
        db.session.commit()
        rows = list(db.session.scalars(select(Notification).where(Notification.kind == Kind.PULSE)))
        assert [row.recipient_id for row in rows] == [setup["present"][0].id]
    page = client_for(app, setup["present"][0]).get("/notifications").get_data(as_text=True)
    assert "How was the Pulse circle meeting" in page


def test_admins_set_the_signposting_shown_after_the_coping_question(app, make_user, make_circle, make_meeting, admin):
    setup = _setup(app, make_user, make_circle, make_meeting, people=1)
    client = client_for(app, admin)
    bad = form_post(client, "/manage/pulse-support", {"text": "Call the EAP", "link": "javascript:alert(1)"},
                    page="/manage/pulse-support")
    assert bad.status_code == 400 and "starting with https://" in bad.get_data(as_text=True)
    assert "Call the EAP" in bad.get_data(as_text=True)
    saved = form_post(client, "/manage/pulse-support", {"text": "Our employee assistance programme listens, 24/7.",
                                                         "link": "https://eap.example.org"}, page="/manage/pulse-support")
    assert saved.status_code == 302
    page = client_for(app, setup["present"][0]).get(f"/meetings/{setup['meeting_id']}/summary").get_data(as_text=True)
    assert "Our employee assistance programme listens" in page and "https://eap.example.org" in page
    adviser = client_for(app, setup["present"][0])
    assert adviser.get("/manage/pulse-support").status_code in (403, 404)


def _meeting_with_answers(app, make_meeting, circle_id, starts_at, values):
    meeting_id = make_meeting(circle_id, starts_at, status=MeetingStatus.FINISHED, finished_at=starts_at + timedelta(hours=1))
    with app.app_context():
        for number, value in enumerate(values):
            db.session.add(PulseAnswer(id=f"{meeting_id:04d}{number:04d}" + "0" * 24, meeting_id=meeting_id,
                                       usefulness=value, words=""))
        db.session.commit()
    return meeting_id


def test_a_quarter_shows_once_over_and_never_lets_a_small_meeting_be_worked_out(app, make_user, make_circle, make_meeting):
    circle_id = make_circle("Quarter circle", facilitator=make_user(name="Fay.Quarter"))
    now = datetime(2026, 12, 6, 12, tzinfo=timezone.utc)
    # July to September: two meetings of 5 (each shows its own figure): the quarter shows.
    _meeting_with_answers(app, make_meeting, circle_id, datetime(2026, 7, 7, 10, tzinfo=timezone.utc), [4, 4, 4, 4, 4])
    _meeting_with_answers(app, make_meeting, circle_id, datetime(2026, 8, 4, 10, tzinfo=timezone.utc), [2, 2, 2, 2, 2])
    # April to June: one meeting of 6 and one of 2: the quarter would give the 2 away, so it stays hidden.
    _meeting_with_answers(app, make_meeting, circle_id, datetime(2026, 4, 7, 10, tzinfo=timezone.utc), [5, 5, 5, 5, 5, 5])
    _meeting_with_answers(app, make_meeting, circle_id, datetime(2026, 5, 5, 10, tzinfo=timezone.utc), [1, 1])
    # January to March: three small meetings, 6 answers together: the quarter shows, its meetings do not.
    for month, values in ((1, [3, 3]), (2, [3, 4]), (3, [4, 4])):
        _meeting_with_answers(app, make_meeting, circle_id, datetime(2026, month, 10, 10, tzinfo=timezone.utc), values)
    # October to December is not over: nothing, whatever it holds.
    _meeting_with_answers(app, make_meeting, circle_id, datetime(2026, 10, 6, 10, tzinfo=timezone.utc), [5, 5, 5, 5, 5])
    with app.app_context():
        periods = {period.label: period.usefulness for period in pulse.circle_pulse(circle_id, now)}
    assert periods["July to September 2026"].average == 3.0 and periods["July to September 2026"].answers == 10
    assert periods["April to June 2026"] is None
    assert periods["January to March 2026"].answers == 6
    assert "October to December 2026" not in periods and periods["October to December 2025"] is None


def test_ending_the_meeting_in_the_app_asks_those_present(app, make_user, make_circle, make_meeting):
    from forum.notifications.models import Kind, Notification

    fay, mo, pat = make_user(name="Fay.End"), make_user(name="Mo.End"), make_user(name="Pat.End")
    circle_id = make_circle("End circle", facilitator=fay, members=[mo, pat])
    meeting_id = make_meeting(circle_id, utcnow() + timedelta(minutes=5))
    fay_client = client_for(app, fay)
    run = f"/meetings/{meeting_id}/run"
    form_post(fay_client, f"/meetings/{meeting_id}/control", {"control": "start", "version": "0"}, page=run)
    form_post(client_for(app, mo), f"/meetings/{meeting_id}/here", page=run)
    with app.app_context():
        version = db.session.get(Meeting, meeting_id).run_version
    ended = form_post(fay_client, f"/meetings/{meeting_id}/end", {"version": str(version)}, page=f"/meetings/{meeting_id}/end")
    assert ended.status_code == 302
    with app.app_context():
        asked = [row.recipient_id for row in db.session.scalars(select(Notification).where(Notification.kind == Kind.PULSE))]
    assert asked == [mo.id]
    mo_client = client_for(app, mo)
    assert "How useful was this session" in mo_client.get(f"/meetings/{meeting_id}/summary").get_data(as_text=True)
    assert "How useful was this session" not in client_for(app, pat).get(f"/meetings/{meeting_id}/summary").get_data(as_text=True)
