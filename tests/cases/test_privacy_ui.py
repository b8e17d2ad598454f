"""The privacy guard's findings at their fields: labels, boxes, and acting on one finding in place."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum import privacy
from forum.cases import guard
from forum.cases.models import Decision, Post, PrivacyFinding, Reply, Status
from forum.extensions import db
from tests.cases.test_posting import CASE, only_post, write
from tests.conftest import client_for, csrf_token, sign_in
from tests.conftest import post as form_post


@pytest.mark.parametrize("text, words, label", [
    ("She lives on Mill Lane and wants warehouse work.", "Mill Lane", "street name"),
    ("He has the flat at Ashfield Court now, near the station.", "Ashfield Court", "street name"),
    ("He has just moved to BD3 and needs a bus pass.", "BD3", "postcode district"),
    ("She lives in Llanfairfechan now.", "Llanfairfechan", "town or village"),
    ("She works at Harbour View Car Wash three days a week.", "Harbour View Car Wash", "employer's name"),
    ("I met with tomasz yesterday about his CV.", "tomasz", "name"),
    ("Her number is 07700 900123.", "07700 900123", "phone number"),
])
def test_a_finding_is_labelled_from_its_rule_where_that_says_more(text, words, label):
    found = next(finding for finding in privacy.scan(text) if text[finding.start:finding.end] == words)
    assert guard.label_for(found) == label


def test_a_rule_without_a_label_of_its_own_falls_back_to_its_kind():
    finding = privacy.Finding("other", 0, 4, privacy.WARN, "A detail", rule_id="other.something_new")
    assert guard.label_for(finding) == "identifying detail"
    assert guard.label_for(privacy.Finding("name", 0, 4, privacy.WARN, "A name", rule_id=None)) == "name"


# At the field ---------------------------------------------------------------------------------

SITUATION = "She lives on Mill Lane with her two children and wants warehouse work."
TRIED = "I met with tomasz yesterday about his CV and he was keen."


def live_rows(app, field=None):
    with app.app_context():
        query = select(PrivacyFinding).where(PrivacyFinding.decision.in_(guard.LIVE)).order_by(PrivacyFinding.start)
        if field:
            query = query.where(PrivacyFinding.field == field)
        return list(db.session.scalars(query))


def row(app, finding_id):
    with app.app_context():
        return db.session.get(PrivacyFinding, finding_id)


def assert_refused(app, response, finding, message: str) -> None:
    """Refused in place: 400, the message to show beside the finding, and nothing decided."""
    assert response.status_code == 400
    assert response.get_json()["error"] == message
    assert row(app, finding.id).decision == Decision.OPEN


@pytest.fixture
def draft(app, client, adviser, theme_ids):
    """A draft case held by the guard: a street name in the situation, a lower-case name in what was tried."""
    sign_in(client, adviser)
    response = write(client, action="preview", theme_ids=theme_ids[:1], situation=SITUATION, tried=TRIED)
    assert response.status_code == 200
    return only_post(app)


def test_each_field_has_its_findings_in_a_box_above_it_and_the_summary_links_to_them(app, client, draft):
    page = client.get(f"/posts/{draft.id}/edit").get_data(as_text=True)
    street = live_rows(app, "situation")[0]
    name = live_rows(app, "tried")[0]
    summary = page.index('id="privacy-check"')
    assert summary < page.index('<form class="post-form"')
    assert '<a href="#privacy-situation">In “The situation”: possible street name</a>' in page
    assert '<a href="#privacy-tried">In “What I have tried”: possible name</a>' in page
    assert 'href="#privacy-title"' not in page and 'href="#privacy-ask"' not in page  # no findings there
    for field, finding, words in (("situation", street, "Mill Lane"), ("tried", name, "tomasz")):
        at = page.index(f'id="privacy-{field}"')
        box = page.index(f'data-privacy-box="{field}"', at)
        mark = page.index(f'id="finding-{finding.id}"', box)
        assert page.index(words, mark) < page.index(f'<textarea', box)  # above the field
        assert re.search(rf'name="use_placeholder" value="{finding.id}" formaction="/posts/{draft.id}/preview#privacy-{field}"', page)
        assert f'href="#{field}" data-privacy-edit="{field}" data-start="{finding.start}" data-end="{finding.end}"' in page
        assert f'data-privacy-replace="/findings/{finding.id}/replace"' in page
        assert f'data-privacy-keep="/findings/{finding.id}/keep"' in page
    assert 'for="clear-%d">Or keep it, because' % street.id in page  # a block: a reason
    assert 'for="ack-%d">Keep it: I have checked it does not identify anyone' % name.id in page  # a warning: a tick


def test_without_javascript_replace_and_keep_come_back_to_the_field(app, client, draft, theme_ids):
    street = live_rows(app, "situation")[0]
    name = live_rows(app, "tried")[0]
    data = {**CASE, "situation": SITUATION, "tried": TRIED + " Typed since.", "theme_ids": [str(theme_ids[0])]}
    replaced = form_post(client, f"/posts/{draft.id}/preview", {**data, "use_placeholder": str(street.id)})
    page = replaced.get_data(as_text=True)
    assert replaced.status_code == 200
    assert "She lives on [address removed] with her two children" in page
    assert "Typed since." in page  # nothing typed elsewhere is lost
    kept = form_post(client, f"/posts/{draft.id}/preview", {**data, f"ack-{name.id}": "1"})
    assert kept.status_code == 200
    assert row(app, name.id).decision == Decision.ACKNOWLEDGED
    assert "Kept: you checked it does not identify anyone" in kept.get_data(as_text=True)


# In place (the JavaScript's requests) -------------------------------------------------------------


def test_replace_in_place_answers_with_the_field_its_box_and_the_summary(app, client, draft):
    street = live_rows(app, "situation")[0]
    typed = "Since then: " + SITUATION  # unsaved typing in the field itself is kept
    response = form_post(client, f"/findings/{street.id}/replace", {"text": typed}, page=f"/posts/{draft.id}/edit")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["field"] == "situation"
    assert answer["text"] == "Since then: She lives on [address removed] with her two children and wants warehouse work."
    assert answer["box"] == "" and answer["open"] == 0  # nothing left in this field
    assert "#privacy-tried" in answer["summary"] and "#privacy-situation" not in answer["summary"]
    assert row(app, street.id).decision == Decision.FIXED
    assert only_post(app).situation_md == SITUATION  # the author saves the text, as they would without JavaScript


def test_keep_in_place_needs_a_reason_for_a_block_and_records_it(app, client, draft):
    street = live_rows(app, "situation")[0]
    page = f"/posts/{draft.id}/edit"
    assert_refused(app, form_post(client, f"/findings/{street.id}/keep", {"text": SITUATION}, page=page), street,
                   "Choose why this is not a personal detail")
    other = form_post(client, f"/findings/{street.id}/keep", {"text": SITUATION, "reason": "other"}, page=page)
    assert other.status_code == 400 and other.get_json()["error"] == "Say why this is not a personal detail"
    kept = form_post(client, f"/findings/{street.id}/keep", {"text": SITUATION, "reason": "fictional"}, page=page)
    assert kept.status_code == 200
    answer = kept.get_json()
    assert answer["open"] == 0 and "Kept: fictional or changed name" in answer["box"]
    assert '<mark class="finding finding--block"' in answer["box"]  # still marked in the copy of the text
    stored = row(app, street.id)
    assert stored.decision == Decision.CLEARED and stored.clear_reason == "fictional" and stored.decided_by_id == draft.author_id


def test_keep_in_place_ticks_a_warning_and_publishing_then_needs_nothing_more(app, client, draft, theme_ids):
    street = live_rows(app, "situation")[0]
    name = live_rows(app, "tried")[0]
    page = f"/posts/{draft.id}/edit"
    assert_refused(app, form_post(client, f"/findings/{name.id}/keep", {"text": TRIED}, page=page), name,
                   "Tick the box to say you have checked it does not identify anyone")
    assert form_post(client, f"/findings/{name.id}/keep", {"text": TRIED, "ack": "y"}, page=page).status_code == 200
    assert row(app, name.id).decision == Decision.ACKNOWLEDGED
    replaced = form_post(client, f"/findings/{street.id}/replace", {"text": SITUATION}, page=page).get_json()
    data = {**CASE, "situation": replaced["text"], "tried": TRIED, "theme_ids": [str(theme_ids[0])]}
    assert form_post(client, f"/posts/{draft.id}/publish", data, page=page).status_code == 302
    assert only_post(app).status == Status.PUBLISHED


def test_a_finding_kept_in_place_does_not_let_another_identifier_through(app, client, draft, theme_ids):
    name = live_rows(app, "tried")[0]
    street = live_rows(app, "situation")[0]
    page = f"/posts/{draft.id}/edit"
    form_post(client, f"/findings/{name.id}/keep", {"text": TRIED, "ack": "y"}, page=page)
    form_post(client, f"/findings/{street.id}/keep", {"text": SITUATION, "reason": "public"}, page=page)
    crafted = {**CASE, "situation": SITUATION + " Ring her on 07700 900123.", "tried": TRIED.replace("tomasz", "siân"),
               "theme_ids": [str(theme_ids[0])]}
    assert form_post(client, f"/posts/{draft.id}/publish", crafted, page=page).status_code == 400
    assert only_post(app).status == Status.DRAFT


def test_acting_on_a_finding_the_text_no_longer_holds_changes_nothing(app, client, draft):
    street = live_rows(app, "situation")[0]
    name = live_rows(app, "tried")[0]
    page = f"/posts/{draft.id}/edit"
    edited = "She lives in a flat and wants warehouse work."
    replaced = form_post(client, f"/findings/{street.id}/replace", {"text": edited}, page=page)
    assert replaced.status_code == 200
    assert replaced.get_json()["text"] == edited and replaced.get_json()["box"] == ""
    kept = form_post(client, f"/findings/{name.id}/keep", {"text": "I met with him yesterday.", "ack": "y"}, page=page)
    assert kept.status_code == 200 and kept.get_json()["box"] == ""
    assert row(app, street.id).decision == Decision.FIXED and row(app, name.id).decision == Decision.FIXED
    assert row(app, name.id).decided_by_id is None  # gone from the text, not kept


def test_too_long_a_text_is_refused_with_a_message(app, client, draft):
    street = live_rows(app, "situation")[0]
    response = form_post(client, f"/findings/{street.id}/replace", {"text": "x" * 50_001}, page=f"/posts/{draft.id}/edit")
    assert_refused(app, response, street, "Keep this to 50,000 characters or fewer")


@pytest.mark.parametrize("who", ["other adviser", "manager", "admin"])
@pytest.mark.parametrize("action", ["replace", "keep"])
def test_only_the_author_acts_on_their_findings(app, client, draft, make_user, who, action):
    street = live_rows(app, "situation")[0]
    role = {"other adviser": "adviser"}.get(who, who)
    other = client_for(app, make_user(role, name=f"Some {role}"))
    data = {"text": SITUATION, "reason": "fictional", "ack": "y"}
    assert form_post(other, f"/findings/{street.id}/{action}", data).status_code == 404
    assert row(app, street.id).decision == Decision.OPEN
    assert form_post(client, f"/findings/{street.id}/{action}", data, page=f"/posts/{draft.id}/edit").status_code == 200


def test_a_finding_already_dealt_with_or_unknown_is_not_found(app, client, draft):
    street = live_rows(app, "situation")[0]
    page = f"/posts/{draft.id}/edit"
    assert form_post(client, f"/findings/{street.id}/replace", {"text": SITUATION}, page=page).status_code == 200
    assert form_post(client, f"/findings/{street.id}/replace", {"text": SITUATION}, page=page).status_code == 404  # fixed
    assert form_post(client, "/findings/999999/keep", {"text": SITUATION}, page=page).status_code == 404


def test_acting_in_place_needs_the_csrf_token_and_a_sign_in(app, client, draft):
    street = live_rows(app, "situation")[0]
    assert client.post(f"/findings/{street.id}/replace", data={"text": SITUATION}).status_code == 400
    assert app.test_client().post(f"/findings/{street.id}/replace", data={"text": SITUATION}).status_code in (302, 400)
    assert row(app, street.id).decision == Decision.OPEN


def test_a_reply_s_findings_are_acted_on_in_place_by_its_author_only(app, client, adviser, make_user, make_post):
    post_id = make_post(title="Open case")
    replier = make_user(name="Replier")
    theirs = client_for(app, replier)
    held = form_post(theirs, f"/posts/{post_id}/replies", {"body": "I met with tomasz and Mill Lane came up."},
                     page=f"/posts/{post_id}")
    assert held.status_code == 302 and held.headers["Location"].endswith("#privacy-check")
    with app.app_context():
        reply = db.session.scalar(select(Reply))
    page = theirs.get(f"/replies/{reply.id}/edit").get_data(as_text=True)
    finding = live_rows(app, "body")[0]
    assert 'id="privacy-check"' in page and '<a href="#privacy-body">In “Your reply”' in page
    assert f'formaction="/replies/{reply.id}/edit#privacy-body"' in page
    sign_in(client, adviser)
    assert form_post(client, f"/findings/{finding.id}/keep", {"text": reply.body_md}).status_code == 404
    kept = form_post(theirs, f"/findings/{finding.id}/keep", {"text": reply.body_md, "ack": "y"}, page=f"/replies/{reply.id}/edit")
    assert kept.status_code == 200 and kept.get_json()["field"] == "body"
    assert row(app, finding.id).decision == Decision.ACKNOWLEDGED


def test_acting_in_place_takes_a_fixed_number_of_statements(app, client, adviser, theme_ids, count_queries):
    sign_in(client, adviser)
    counts = []
    for many in (1, 6):
        text = " ".join(f"She lives on Mill Lane number {n}." for n in range(many)) if many > 1 else SITUATION
        write(client, action="preview", theme_ids=theme_ids[:1], title=f"Case {many}", situation=text, tried=TRIED)
        with app.app_context():
            post_id = db.session.scalar(select(Post.id).where(Post.title == f"Case {many}"))
            first = db.session.scalar(select(PrivacyFinding.id).where(PrivacyFinding.target_id == post_id,
                                                                      PrivacyFinding.field == "situation"))
        token = csrf_token(client, f"/posts/{post_id}/edit")
        with count_queries() as counted:
            response = client.post(f"/findings/{first}/keep", data={"csrf_token": token, "text": text, "reason": "fictional"})
        assert response.status_code == 200
        counts.append(len(counted))
    assert counts[0] == counts[1]


def test_findings_of_a_deleted_post_are_not_acted_on(app, client, draft):
    street = live_rows(app, "situation")[0]
    page = f"/posts/{draft.id}/edit"
    assert form_post(client, f"/posts/{draft.id}/delete", {}, page=f"/posts/{draft.id}/delete").status_code == 302
    assert form_post(client, f"/findings/{street.id}/replace", {"text": SITUATION}, page=page).status_code == 404
    assert row(app, street.id).decision == Decision.OPEN
