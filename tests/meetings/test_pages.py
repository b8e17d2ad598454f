"""Home's next meetings, the circles list's next meeting, a circle's page led by its next
meeting; each with a fixed number of statements, whatever the number of circles or people."""

from __future__ import annotations

from datetime import timedelta

from forum.extensions import db
from forum.meetings.models import AgendaItem, AgendaStatus, Answer, MeetingStatus, Rsvp
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post


def _circle_with_meeting(app, make_user, make_circle, make_meeting, make_post, me, name, people=2, title=None):
    facilitator = make_user(name=f"Fay.{name}")
    others = [make_user(name=f"P{number}.{name}") for number in range(people)]
    circle_id = make_circle(f"{name} circle", facilitator=facilitator, members=[me, *others])
    meeting_id = make_meeting(circle_id, utcnow() + timedelta(days=3))
    make_meeting(circle_id, utcnow() + timedelta(days=10))
    make_meeting(circle_id, utcnow() + timedelta(days=1), status=MeetingStatus.CANCELLED)
    if title:
        post_id = make_post(title, author=facilitator, circle_id=circle_id, situation="x", ask="y")
        with app.app_context():
            db.session.add(AgendaItem(meeting_id=meeting_id, post_id=post_id, nominated_by_id=facilitator.id,
                                      status=AgendaStatus.ACCEPTED, position=1))
            for person in others:
                db.session.add(Rsvp(meeting_id=meeting_id, user_id=person.id, answer=Answer.GOING))
            db.session.commit()
    return circle_id, meeting_id


def test_home_shows_each_circles_next_meeting_with_agenda_answers_and_buttons(app, make_user, make_circle, make_meeting,
                                                                            make_post):
    me = make_user(name="Me.Member")
    circle_id, meeting_id = _circle_with_meeting(app, make_user, make_circle, make_meeting, make_post, me, "Tuesday",
                                                 title="Landlord will not return the deposit")
    client = client_for(app, me)
    page = client.get("/").get_data(as_text=True)
    assert "Your next meetings" in page and "Tuesday circle" in page
    assert "Landlord will not return the deposit" in page and "2 coming" in page
    assert f'action="/meetings/{meeting_id}/rsvp"' in page and 'aria-pressed="false"' in page
    # Answering in place (JSON) or by the plain form (back to home).
    assert form_post(client, f"/meetings/{meeting_id}/rsvp", {"answer": "maybe"}, page="/",
                     headers={"Accept": "application/json"}).json == {"answer": "maybe", "coming": 2,
                                                                     "names": ["P0.Tuesday", "P1.Tuesday"]}
    # In place, the count of who is coming follows the answer.
    assert form_post(client, f"/meetings/{meeting_id}/rsvp", {"answer": "going"}, page="/",
                     headers={"Accept": "application/json"}).json["coming"] == 3
    assert f'data-coming="{meeting_id}"' in page and f'id="meeting-{meeting_id}"' in page
    plain = form_post(client, f"/meetings/{meeting_id}/rsvp", {"answer": "going", "next": "/"}, page="/")
    assert plain.status_code == 302 and plain.headers["Location"] == "/"
    assert "3 coming" in client.get("/").get_data(as_text=True)
    outside = form_post(client, f"/meetings/{meeting_id}/rsvp", {"answer": "going", "next": "https://evil.example/"}, page="/")
    assert "evil.example" not in outside.headers["Location"]


def test_circles_list_and_circle_page_lead_with_the_next_meeting(app, make_user, make_circle, make_meeting, make_post):
    me = make_user(name="Me.Member")
    circle_id, meeting_id = _circle_with_meeting(app, make_user, make_circle, make_meeting, make_post, me, "Tuesday",
                                                 title="Shift patterns")
    client = client_for(app, me)
    listing = client.get("/circles").get_data(as_text=True)
    assert f'Next meeting: <a href="/meetings/{meeting_id}">' in listing and "Add these meetings to your calendar" in listing
    page = client.get(f"/circles/{circle_id}").get_data(as_text=True)
    next_part, later_part = page.split("Later meetings", 1)
    assert f'href="/meetings/{meeting_id}"' in next_part and "Shift patterns" in next_part
    assert "2 people: P0.Tuesday, P1.Tuesday" in next_part and "Nominate a case" in next_part
    assert "I'll come to every meeting" in next_part and "Add these meetings to your calendar" in next_part
    assert "(cancelled)" in later_part and f'href="/meetings/{meeting_id}"' not in later_part


def test_the_pages_take_a_fixed_number_of_statements(app, make_user, make_circle, make_meeting, make_post, count_queries):
    me = make_user(name="Me.Member")
    client = client_for(app, me)
    _circle_with_meeting(app, make_user, make_circle, make_meeting, make_post, me, "One", people=1, title="Case one")
    with count_queries() as one_home:
        client.get("/")
    with count_queries() as one_list:
        client.get("/circles")
    circle_id, _ = _circle_with_meeting(app, make_user, make_circle, make_meeting, make_post, me, "Two", people=4,
                                        title="Case two")
    _circle_with_meeting(app, make_user, make_circle, make_meeting, make_post, me, "Three", people=3, title="Case three")
    with count_queries() as many_home:
        client.get("/")
    with count_queries() as many_list:
        client.get("/circles")
    assert len(many_home) == len(one_home) and len(many_list) == len(one_list)
    with count_queries() as circle_page:
        client.get(f"/circles/{circle_id}")
    bigger_id, _ = _circle_with_meeting(app, make_user, make_circle, make_meeting, make_post, me, "Four", people=8,
                                        title="Case four")
    with count_queries() as bigger_page:
        client.get(f"/circles/{bigger_id}")
    assert len(bigger_page) == len(circle_page) <= 30, len(circle_page)


def test_the_meeting_page_is_easy_to_act_on(app, make_user, make_circle, make_meeting, make_post):
    facilitator, member = make_user(name="Fay.F"), make_user(name="Mo.Member")
    circle_id = make_circle(facilitator=facilitator, members=[member])
    meeting_id = make_meeting(circle_id)
    first, second, third = (make_post(title, author=member, circle_id=circle_id, situation="x", ask="y")
                            for title in ("First case", "Second case", "Third case"))
    f, m = client_for(app, facilitator), client_for(app, member)
    page = f"/meetings/{meeting_id}"
    # A facilitator's nomination goes straight onto the agenda; a member's waits.
    for post_id in (first, second):
        done = form_post(f, f"{page}/nominate", {"post_id": str(post_id)}, page=page, follow_redirects=True)
        assert "The case is on the agenda." in done.get_data(as_text=True)
    waiting = form_post(m, f"{page}/nominate", {"post_id": str(third)}, page=page, follow_redirects=True)
    assert "sent to the facilitators" in waiting.get_data(as_text=True)
    with app.app_context():
        statuses = dict(db.session.execute(db.select(AgendaItem.post_id, AgendaItem.status)).all())
    assert statuses == {first: AgendaStatus.ACCEPTED, second: AgendaStatus.ACCEPTED, third: AgendaStatus.NOMINATED}
    html = f.get(page).get_data(as_text=True)
    assert '<button class="button" type="submit" name="control" value="start">Start the meeting</button>' in html
    agenda = html.split('<ol class="agenda">', 1)[1].split("</ol>", 1)[0]
    first_item, second_item = agenda.split("</li>")[:2]
    assert "Move up" not in first_item and "Move down" in first_item
    assert "Move up" in second_item and "Move down" not in second_item
    assert '>Time for this case<span class="visually-hidden">: Third case</span></label>' in html and ">minutes</span>" in html
    assert "data-searchable-select" in html and "Forum-wide cases and this circle" in html
    # Members see no start button, only the way to the live page.
    assert 'value="start"' not in m.get(page).get_data(as_text=True)


def test_the_latest_list_shows_the_next_meeting_beside_it(app, make_user, make_circle, make_meeting):
    member, outsider = make_user(name="Mia.Member"), make_user(name="Oli.Outsider")
    circle = make_circle("Thursday circle", facilitator=make_user(name="Fran.F"), members=[member])
    make_meeting(circle, utcnow() - timedelta(days=3))
    soon = make_meeting(circle, utcnow() + timedelta(days=2))
    make_meeting(circle, utcnow() + timedelta(days=9))
    page = client_for(app, member).get("/posts").get_data(as_text=True)
    aside = page[page.index('<aside class="with-side__aside'):]
    assert "Your next meeting" in aside and "Thursday circle" in aside and f"/meetings/{soon}" in aside
    assert 'class="wide"' in page  # a list uses a desktop's width
    assert "Your next meeting" not in client_for(app, outsider).get("/posts").get_data(as_text=True)
    home = client_for(app, member).get("/").get_data(as_text=True)
    assert 'class="with-aside__side side-panel"' in home and "Your next meetings" in home
