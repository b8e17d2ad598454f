"""Outcome updates on a case: who records them, the timeline, bad input, the privacy guard on
the note, follow-up prompts (frozen clock), "stop asking", and "Turn into a story"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import json

import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum import events

from forum.cases.models import Decision, OutcomeType, Post, PostKind, PrivacyFinding, Status
from forum.circles.models import Membership
from forum.extensions import db
from forum.notifications.models import Kind, Notification
from forum.outcomes import services
from forum.outcomes.models import FollowUpPrompt, OutcomeUpdate, OutcomeUpdateType, StoryOrigin
from tests.conftest import client_for
from tests.conftest import post as form_post

PUBLISHED = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def case(make_post, adviser, make_theme):
    return make_post("Interview nerves", author=adviser, situation="A jobseeker freezes in interviews.",
                     tried_md="Mock interviews with a friend.", themes=[make_theme("Confidence")], at=PUBLISHED)


def record(client, post_id: int, **fields):
    data = {"types": ["started_work"], "occurred_on": "2026-02-02", "note": "", **fields}
    return form_post(client, f"/posts/{post_id}/outcomes/new", data, page=f"/posts/{post_id}/outcomes/new")


def updates(app, post_id: int, published_only: bool = True) -> list[OutcomeUpdate]:
    with app.app_context():
        query = select(OutcomeUpdate).where(OutcomeUpdate.post_id == post_id)
        if published_only:
            query = query.where(OutcomeUpdate.published_at.is_not(None))
        rows = list(db.session.scalars(query.order_by(OutcomeUpdate.id)))
        for row in rows:
            row.kinds = [kind.value for kind in _kinds(row)]
        return rows


def _kinds(row):
    return sorted(db.session.scalars(select(OutcomeUpdateType.outcome_type).where(OutcomeUpdateType.update_id == row.id)))


def test_the_author_records_updates_shown_oldest_first(app, case, adviser):
    author = client_for(app, adviser)
    assert record(author, case, types=["started_work"], occurred_on="2026-03-02", note="Started at a *warehouse*.").status_code == 302
    assert record(author, case, types=["in_work_13_weeks", "more_confident"], occurred_on="2026-02-01").status_code == 302
    page = author.get(f"/posts/{case}").get_data(as_text=True)
    assert page.index("1 February 2026") < page.index("2 March 2026")  # oldest first, by the day it happened
    assert "Still in work at 13 weeks" in page and "More confident" in page and "<em>warehouse</em>" in page
    assert [row.kinds for row in updates(app, case)] == [["started_work"], ["in_work_13_weeks", "more_confident"]]


def test_a_barrier_removed_names_which(app, case, adviser):
    author = client_for(app, adviser)
    missing = record(author, case, types=["barrier_removed"])
    assert missing.status_code == 400 and "Choose which barrier was removed" in missing.get_data(as_text=True)
    assert record(author, case, types=["barrier_removed"], barriers=["housing", "debt"]).status_code == 302
    assert "A barrier removed: Debt, Housing" in author.get(f"/posts/{case}").get_data(as_text=True)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"occurred_on": "2099-01-01"}, "occurred_on", "The date cannot be in the future"),
    ({"occurred_on": "2026-01-01"}, "occurred_on", "The date cannot be before the case was published (5 January 2026)"),
    ({"occurred_on": ""}, "occurred_on", "Enter the date it happened"),
    ({"occurred_on-day": "31", "occurred_on-month": "2", "occurred_on-year": "2026"}, "occurred_on", "Enter a real date"),
    ({"occurred_on-day": "3", "occurred_on-month": " ", "occurred_on-year": "2026"}, "occurred_on", "Date must include a month"),
    ({"occurred_on-day": "", "occurred_on-month": "", "occurred_on-year": "2026"}, "occurred_on",
     "Date must include a day and month"),
    ({"occurred_on-day": "3", "occurred_on-month": "2", "occurred_on-year": "26"}, "occurred_on", "Year must include 4 numbers"),
    ({"occurred_on-day": "third", "occurred_on-month": "2", "occurred_on-year": "2026"}, "occurred_on", "Enter a real date"),
    ({"occurred_on-day": "", "occurred_on-month": "", "occurred_on-year": ""}, "occurred_on", "Enter the date it happened"),
    ({"types": ["won_the_lottery"]}, "types", "Choose what happened from the list"),
    ({"types": []}, "types", "Choose at least one thing that happened"),
    ({"types": ["started_work"], "barriers": ["housing"]}, "barriers", "Tick “A barrier removed” too"),
    ({"types": ["barrier_removed"], "barriers": ["aliens"]}, "barriers", "Choose the barrier from the list"),
])
def test_bad_input_is_refused_clearly_and_keeps_what_was_typed(app, case, adviser, fields, field, message):
    author = client_for(app, adviser)
    response = record(author, case, note="Kept: my careful note.", **fields)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<title>Error: " in text and message in text and f'href="#{field}"' in text
    assert "Kept: my careful note." in text
    for name, value in fields.items():
        if name.startswith("occurred_on-") and value.strip():
            assert f'name="{name}" type="text" inputmode="numeric" maxlength' in text and f'value="{value.strip()}"' in text
    assert updates(app, case, published_only=False) == []


def test_the_date_is_typed_in_three_boxes(app, case, adviser):
    author = client_for(app, adviser)
    form = author.get(f"/posts/{case}/outcomes/new").get_data(as_text=True)
    assert "<legend" in form and 'name="occurred_on-day"' in form and 'name="occurred_on-year"' in form
    assert record(author, case, **{"occurred_on-day": "2", "occurred_on-month": "3", "occurred_on-year": "2026"}).status_code == 302
    with app.app_context():
        assert [update.occurred_on.isoformat() for update in updates(app, case)] == ["2026-03-02"]


def test_who_may_record(app, case, adviser, make_user, make_post, make_circle):
    other = client_for(app, make_user(name="Other.Adviser"))
    assert other.get(f"/posts/{case}/outcomes/new").status_code == 403
    assert record(other, case).status_code == 403
    facilitator, member, outsider = make_user(name="Fay.Cilitator"), make_user(name="Mem.Ber"), make_user(name="Out.Sider")
    circle = make_circle(facilitator=facilitator, members=[adviser, member])
    circle_case = make_post("Circle case", author=adviser, circle_id=circle, at=PUBLISHED)
    assert record(client_for(app, facilitator), circle_case).status_code == 302
    assert record(client_for(app, member), circle_case).status_code == 403
    assert record(client_for(app, outsider), circle_case).status_code == 404
    # A facilitator of the circle records on its cases, not on forum-wide ones.
    assert record(client_for(app, facilitator), case).status_code == 403
    story = make_post("A story", author=adviser, kind=PostKind.STORY, at=PUBLISHED)
    assert record(client_for(app, adviser), story).status_code == 404
    assert len(updates(app, circle_case)) == 1 and updates(app, case) == []


def test_a_note_with_personal_details_waits_for_its_check(app, case, adviser, make_user):
    author = client_for(app, adviser)
    held = record(author, case, note="Email her at jo.bloggs@example.com")
    assert held.status_code == 400 and "Possible email address" in held.get_data(as_text=True)
    assert updates(app, case) == []  # nothing on the timeline yet
    assert "Finish your outcome update" in author.get(f"/posts/{case}").get_data(as_text=True)
    assert "jo.bloggs" not in client_for(app, make_user(name="A.Reader")).get(f"/posts/{case}").get_data(as_text=True)
    draft = updates(app, case, published_only=False)[0]
    assert draft.published_at is None and draft.kinds == ["started_work"]
    with app.app_context():
        finding = db.session.scalar(select(PrivacyFinding).where(PrivacyFinding.target_type == "outcome"))
    # The draft is offered again, as typed.
    assert "jo.bloggs@example.com" in author.get(f"/posts/{case}/outcomes/new").get_data(as_text=True)
    cleared = record(author, case, note="Email her at jo.bloggs@example.com", **{f"clear-{finding.id}": "not_personal"})
    assert cleared.status_code == 302
    assert [row.note_md for row in updates(app, case)] == ["Email her at jo.bloggs@example.com"]
    assert len(updates(app, case, published_only=False)) == 1  # the draft became the update


def test_a_placeholder_fixes_the_note(app, case, adviser):
    author = client_for(app, adviser)
    record(author, case, note="Call her on 07700 900123 tomorrow")
    with app.app_context():
        finding = db.session.scalar(select(PrivacyFinding).where(PrivacyFinding.target_type == "outcome",
                                                                 PrivacyFinding.kind == "phone"))
    fixed = record(author, case, note="Call her on 07700 900123 tomorrow", use_placeholder=str(finding.id))
    assert fixed.status_code == 200 and "07700 900123" not in fixed.get_data(as_text=True)


# Follow-ups -------------------------------------------------------------------------------------------------


def _prompts(app):
    with app.app_context():
        return sorted((row.post_id, row.week) for row in db.session.scalars(select(FollowUpPrompt)))


def _sweep(app, now):
    with app.test_request_context():
        sent = services.send_followups(now=now)
        db.session.commit()
        events.release()
        return sent


def test_send_followups_asks_once_at_each_week_with_title_and_link_only(app, case, adviser, outbox):
    assert _sweep(app, PUBLISHED + timedelta(weeks=4) - timedelta(minutes=1)) == 0
    four = PUBLISHED + timedelta(weeks=4, hours=1)
    assert _sweep(app, four) == 1
    assert _sweep(app, four) == 0  # twice in a day sends nothing more
    assert _sweep(app, four + timedelta(days=3)) == 0
    assert _prompts(app) == [(case, 4)]
    mails = [mail for mail in outbox if mail.to == adviser.email]
    assert len(mails) == 1
    mail = mails[0]
    assert "Interview nerves" in mail.subject + mail.text
    assert f"/posts/{case}/outcomes/new" in mail.text
    assert "freezes in interviews" not in mail.text + mail.html and "Mock interviews" not in mail.text + mail.html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification).where(Notification.kind == Kind.FOLLOW_UP)) == 1
    # Recording an outcome answers it; the 13-week prompt still comes (did it last?).
    record(client_for(app, adviser), case, occurred_on="2026-01-20")
    with app.app_context():
        assert db.session.scalar(select(FollowUpPrompt.answered_at)) is not None
    assert _sweep(app, PUBLISHED + timedelta(weeks=13, hours=1)) == 1
    assert _prompts(app) == [(case, 4), (case, 13)]


def test_the_notification_leads_to_the_form(app, case, adviser):
    _sweep(app, PUBLISHED + timedelta(weeks=4, hours=1))
    author = client_for(app, adviser)
    page = author.get("/notifications").get_data(as_text=True)
    assert "What happened next? Tell us about your case “Interview nerves”" in page
    with app.app_context():
        notification_id = db.session.scalar(select(Notification.id))
    opened = form_post(author, f"/notifications/{notification_id}/open", page="/notifications")
    assert opened.headers["Location"].endswith(f"/posts/{case}/outcomes/new")
    form = author.get(f"/posts/{case}/outcomes/new").get_data(as_text=True)
    assert "You are answering the 4-week follow-up." in form


def test_stop_asking_stops_the_prompts_and_only_the_author_may(app, case, adviser, make_user):
    _sweep(app, PUBLISHED + timedelta(weeks=4, hours=1))
    other = client_for(app, make_user(name="Other.Adviser"))
    assert form_post(other, f"/posts/{case}/follow-ups/stop", page=f"/posts/{case}").status_code == 403
    author = client_for(app, adviser)
    assert "Stop asking me about this case" in author.get(f"/posts/{case}").get_data(as_text=True)
    assert form_post(author, f"/posts/{case}/follow-ups/stop", page=f"/posts/{case}").status_code == 302
    page = author.get(f"/posts/{case}").get_data(as_text=True)
    assert "Stop asking me" not in page and "It is 4 weeks since" not in page
    assert _sweep(app, PUBLISHED + timedelta(weeks=13, hours=1)) == 0
    assert _sweep(app, PUBLISHED + timedelta(weeks=26, hours=1)) == 0


def test_moved_on_or_lost_contact_stops_the_prompts(app, case, adviser):
    record(client_for(app, adviser), case, types=["moved_on"], occurred_on="2026-01-10")
    assert _sweep(app, PUBLISHED + timedelta(weeks=4, hours=1)) == 0


def test_old_cases_are_not_flooded_and_weeks_are_configurable(app, case, make_post, adviser):
    make_post("Very old", author=adviser, at=PUBLISHED - timedelta(weeks=60))
    assert _sweep(app, PUBLISHED + timedelta(weeks=4, days=20)) == 0  # more than 14 days late
    app.config["FOLLOW_UP_WEEKS"] = (2,)
    assert _sweep(app, PUBLISHED + timedelta(weeks=2, hours=1)) == 1


def test_the_command_runs(app, case):
    result = app.test_cli_runner().invoke(args=["send-followups"])
    assert result.exit_code == 0 and "Sent 0 follow-up prompts." in result.output


# Turning a case into a story --------------------------------------------------------------------------------


def test_turn_into_story_needs_a_positive_outcome_and_the_author(app, case, adviser, make_user, make_outcome):
    author = client_for(app, adviser)
    make_outcome(case, [OutcomeType.NO_CHANGE_YET], date(2026, 1, 10))
    assert "Turn into a story" not in author.get(f"/posts/{case}").get_data(as_text=True)
    assert form_post(author, f"/posts/{case}/story", page=f"/posts/{case}").status_code == 403
    make_outcome(case, [OutcomeType.STARTED_WORK, OutcomeType.MORE_CONFIDENT], date(2026, 2, 10))
    assert "Turn into a story" in author.get(f"/posts/{case}").get_data(as_text=True)
    other = client_for(app, make_user(name="Other.Adviser"))
    assert "Turn into a story" not in other.get(f"/posts/{case}").get_data(as_text=True)
    assert form_post(other, f"/posts/{case}/story", page=f"/posts/{case}").status_code == 403


def test_turn_into_story_prefills_keeps_anonymity_and_links_both_ways(app, adviser, make_user, make_post, make_outcome,
                                                                      make_theme, make_circle):
    circle, theme = make_circle(facilitator=adviser), make_theme("Childcare")
    case = make_post("Childcare blocks a job offer", author=adviser, anonymous=True, circle_id=circle, at=PUBLISHED,
                     situation="A parent cannot start at 8am.", tried_md="We found a breakfast club.", themes=[theme])
    make_outcome(case, [OutcomeType.STARTED_WORK], date(2026, 2, 10))
    author = client_for(app, adviser)
    opened = form_post(author, f"/posts/{case}/story", page=f"/posts/{case}")
    assert opened.status_code == 303
    with app.app_context():
        story = db.session.scalar(select(Post).where(Post.kind == PostKind.STORY).options(selectinload(Post.story_outcomes)))
        assert (story.status, story.show_author, story.circle_id) == (Status.DRAFT, False, circle)
        assert story.situation_md == "A parent cannot start at 8am."
        assert story.what_worked_md == "We found a breakfast club."
        assert [kind.value for kind in story.outcome_types] == ["started_work"]
        assert db.session.scalar(select(StoryOrigin.case_id)) == case
    assert opened.headers["Location"].endswith(f"/posts/{story.id}/edit")
    editor = author.get(f"/posts/{story.id}/edit").get_data(as_text=True)
    assert "A parent cannot start at 8am." in editor
    assert re.search(r'<input[^>]*checked[^>]*value="started_work"|<input[^>]*value="started_work"[^>]*checked', editor)
    # Asking again opens the same story.
    again = form_post(author, f"/posts/{case}/story", page=f"/posts/{case}")
    assert again.headers["Location"].endswith(f"/posts/{story.id}/edit")
    assert "Finish the story this case is becoming" in author.get(f"/posts/{case}").get_data(as_text=True)
    # Published through the editor, like every story.
    published = form_post(author, f"/posts/{story.id}/publish", {
        "title": "Childcare blocks a job offer", "situation": "A parent cannot start at 8am.",
        "what_worked": "We found a breakfast club.", "outcome_text": "Started work.", "outcome_types": ["started_work"],
        "theme_ids": [theme], "show_author": "anonymous"}, page=f"/posts/{story.id}/edit")
    assert published.status_code == 302, published.get_data(as_text=True)[:2000]
    member = make_user(name="Circle.Member")
    with app.app_context():
        db.session.add(Membership(circle_id=circle, user_id=member.id))
        db.session.commit()
    reader = client_for(app, member)
    story_page = reader.get(f"/posts/{story.id}").get_data(as_text=True)
    assert "This story grew from a case" in story_page
    assert adviser.display_name not in story_page  # same anonymity as the case
    assert "Read the story this case became" in reader.get(f"/posts/{case}").get_data(as_text=True)


def test_the_story_goes_through_the_privacy_guard(app, adviser, make_post, make_outcome, make_theme):
    theme = make_theme("Health")
    case = make_post("Risky case", author=adviser, at=PUBLISHED, situation="I met Sarah Jones today.",
                     tried_md="Phoned 07700 900123.", themes=[theme])
    make_outcome(case, [OutcomeType.WELLBEING_BETTER], date(2026, 2, 1))
    author = client_for(app, adviser)
    story_id = int(form_post(author, f"/posts/{case}/story", page=f"/posts/{case}").headers["Location"].split("/")[-2])
    held = form_post(author, f"/posts/{story_id}/publish", {
        "title": "Risky case", "situation": "I met Sarah Jones today.", "what_worked": "Phoned 07700 900123.",
        "outcome_text": "Better.", "outcome_types": ["wellbeing_better"], "theme_ids": [theme], "show_author": "name"},
        page=f"/posts/{story_id}/edit")
    assert held.status_code == 400
    with app.app_context():
        assert db.session.get(Post, story_id).status == Status.DRAFT


# A cleared note reaches the privacy review; the note is in its recorder's export ------------------------


def _cleared_note(app, author, case) -> PrivacyFinding:
    record(author, case, note="Email her at jo.bloggs@example.com")
    with app.app_context():
        finding = db.session.scalar(select(PrivacyFinding).where(PrivacyFinding.target_type == "outcome"))
    assert record(author, case, note="Email her at jo.bloggs@example.com",
                  **{f"clear-{finding.id}": "not_personal"}).status_code == 302
    return finding


def test_a_cleared_finding_in_a_note_reaches_the_privacy_review_and_is_removed_there(app, case, adviser, make_user):
    finding = _cleared_note(app, client_for(app, adviser), case)
    manager = client_for(app, make_user("manager", name="Mana.Ger"))
    review = manager.get("/privacy-review").get_data(as_text=True)
    assert "Interview nerves" in review and "(an outcome update)" in review and "jo.bloggs@example.com" in review
    # An adviser never opens the review, and a draft note's finding is never in it.
    assert client_for(app, make_user(name="Peer.Adviser")).get("/privacy-review").status_code == 403
    with app.app_context():
        row = db.session.get(PrivacyFinding, finding.id)
        start, end = row.start, row.end
    done = form_post(manager, f"/privacy-review/{finding.id}/redact", {"start": start, "end": end, "reason": "Identifies her"},
                     page="/privacy-review")
    assert done.status_code == 302
    [entry] = updates(app, case)
    assert "jo.bloggs" not in entry.note_md and "[removed]" in entry.note_md and "jo.bloggs" not in entry.note_html
    assert "jo.bloggs" not in client_for(app, adviser).get(f"/posts/{case}").get_data(as_text=True)
    assert manager.get(f"/privacy-review/{finding.id}/redact").status_code == 404


def test_a_draft_notes_finding_stays_out_of_the_review(app, case, adviser, make_user):
    record(client_for(app, adviser), case, note="Email her at jo.bloggs@example.com")
    with app.app_context():
        finding = db.session.scalar(select(PrivacyFinding).where(PrivacyFinding.target_type == "outcome"))
        # Even a cleared finding waits while the note is a draft (only its writer sees a draft).
        finding.decision = Decision.CLEARED
        finding_id = finding.id
        db.session.commit()
    manager = client_for(app, make_user("manager", name="Mana.Ger"))
    assert "jo.bloggs" not in manager.get("/privacy-review").get_data(as_text=True)
    assert manager.get(f"/privacy-review/{finding_id}/redact").status_code == 404


def test_a_circle_cases_note_is_reviewed_by_its_facilitator_not_by_other_facilitators(app, adviser, make_user, make_post, make_circle):
    facilitator, stranger = make_user(name="Fay.Cilitator"), make_user(name="Other.Facilitator")
    circle = make_circle(facilitator=facilitator, members=[adviser])
    make_circle(name="Another circle", facilitator=stranger)
    circle_case = make_post("Circle case", author=adviser, circle_id=circle, at=PUBLISHED)
    _cleared_note(app, client_for(app, adviser), circle_case)
    assert "jo.bloggs" in client_for(app, facilitator).get("/privacy-review").get_data(as_text=True)
    assert "jo.bloggs" not in client_for(app, stranger).get("/privacy-review").get_data(as_text=True)


def test_the_recorder_exports_their_outcome_updates(app, case, adviser, make_user):
    author = client_for(app, adviser)
    record(author, case, types=["barrier_removed"], barriers=["housing"], occurred_on="2026-02-03", note="Moved into a flat.")
    data = _export(author)["outcome_updates"]
    assert data == [{"post_id": case, "occurred_on": "2026-02-03", "outcome_types": ["barrier_removed"], "barriers": ["housing"],
                     "note": "Moved into a flat.", "recorded_at": data[0]["recorded_at"], "published_at": data[0]["published_at"]}]
    assert _export(client_for(app, make_user(name="Other.Adviser")))["outcome_updates"] == []


def _export(client) -> dict:
    response = form_post(client, "/account/export", {"file_format": "json"}, page="/account/export")
    return json.loads(response.get_data(as_text=True))["sections"]
