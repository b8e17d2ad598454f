"""Unanswered cases routed to helpers, with a frozen clock: after 48 hours, to at most 5
opted-in helpers of its themes, never the author or an opted-out person, once; a reply
before the deadline stops it; the weekly cap; fairness; the email has no case text; circle
posts never; the figures for insights."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum import events
from forum.accounts.models import User
from forum.extensions import db
from forum.knowledge import routing, services
from forum.knowledge.models import RoutedCase
from forum.notifications.models import Kind, Notification

PUBLISHED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = PUBLISHED + timedelta(hours=48, minutes=1)


def offer(app, person, theme_ids, offering=True):
    with app.test_request_context():
        services.save_offer(db.session.get(User, person.id),
                            services.OfferInput(offering=offering, theme_ids=list(theme_ids)))
        db.session.commit()


def sweep(app, now):
    with app.test_request_context():
        sent = routing.route_unanswered(now=now)
        db.session.commit()
        events.release()
        return sent


def routed(app):
    with app.app_context():
        return sorted((row.post_id, row.user_id) for row in db.session.scalars(select(RoutedCase)))


@pytest.fixture
def world(make_user, make_theme, make_post):
    housing, debt = make_theme("Housing"), make_theme("Debt and money")
    author = make_user(name="Author")
    case = make_post("Eviction notice after arrears", author=author, themes=[housing],
                     situation="SECRET-SITUATION-TEXT", ask="SECRET-ASK-TEXT", at=PUBLISHED)
    return {"housing": housing, "debt": debt, "author": author, "case": case}


def test_sent_after_48_hours_to_at_most_5_helpers_once_never_author_or_opted_out(app, world, make_user, outbox):
    helpers = [make_user(name=f"Helper{number}") for number in range(7)]
    for helper in helpers:
        offer(app, helper, [world["housing"]])
    offer(app, world["author"], [world["housing"]])  # never their own case
    opted_out = make_user(name="OptedOut")
    offer(app, opted_out, [world["housing"]], offering=False)
    other_theme = make_user(name="OtherTheme")
    offer(app, other_theme, [world["debt"]])

    assert sweep(app, PUBLISHED + timedelta(hours=47, minutes=59)) == 0
    assert sweep(app, DUE) == 5
    assert sweep(app, DUE) == 0 and sweep(app, DUE + timedelta(hours=6)) == 0  # once
    chosen = {user_id for _, user_id in routed(app)}
    assert len(chosen) == 5 and chosen <= {helper.id for helper in helpers}
    assert not chosen & {world["author"].id, opted_out.id, other_theme.id}
    with app.app_context():
        told = set(db.session.scalars(select(Notification.recipient_id).where(Notification.kind == Kind.HELP_WANTED)))
    assert told == chosen
    mails = [mail for mail in outbox if mail.to in {helper.email for helper in helpers}]
    assert len(mails) == 5
    for mail in mails:
        assert "Eviction notice after arrears" in mail.subject + mail.text
        assert f"/posts/{world['case']}" in mail.text
        assert "SECRET" not in mail.text + mail.html


def test_a_reply_before_the_deadline_stops_it(app, world, make_user, make_reply):
    offer(app, make_user(name="Helper"), [world["housing"]])
    make_reply(world["case"], "Here is what I would do.", at=PUBLISHED + timedelta(hours=3))
    assert sweep(app, DUE) == 0 and routed(app) == []


def test_circle_posts_are_never_routed(app, world, make_user, make_post, make_circle):
    helper = make_user(name="Helper")
    offer(app, helper, [world["housing"]])
    circle = make_circle("Circle", facilitator=helper, members=[world["author"]])
    circle_case = make_post("Circle case", author=world["author"], circle_id=circle, themes=[world["housing"]],
                            at=PUBLISHED)
    sweep(app, DUE)
    assert circle_case not in {post_id for post_id, _ in routed(app)}


def test_the_weekly_cap_holds_and_the_fewest_recent_requests_go_first(app, world, make_user, make_post):
    busy, fresh = make_user(name="Busy"), make_user(name="Fresh")
    offer(app, busy, [world["housing"]])
    cases = [world["case"]] + [make_post(f"Case {number}", themes=[world["housing"]], at=PUBLISHED + timedelta(minutes=number))
                               for number in range(1, 4)]
    sweep(app, DUE + timedelta(minutes=5))
    assert [post_id for post_id, user_id in routed(app) if user_id == busy.id] == cases[:2]  # 2 a week
    # The next week, someone with fewer recent requests comes first.
    offer(app, fresh, [world["housing"]])
    later = make_post("Later case", themes=[world["housing"]], at=PUBLISHED + timedelta(days=8))
    with app.app_context():
        from forum.knowledge.routing import helpers_for
        assert helpers_for(later, world["author"].id, PUBLISHED + timedelta(days=10))[0] == fresh.id


def test_the_command_for_cron(app, world, make_user):
    offer(app, make_user(name="Helper"), [world["housing"]])
    app.config["UNANSWERED_AFTER_HOURS"] = 1
    with app.app_context():
        db.session.execute(db.update(db.metadata.tables["posts"]).values(published_at=datetime.now(UTC) - timedelta(hours=2)))
        db.session.commit()
    runner = app.test_cli_runner()
    assert "Sent 1 request for help." in runner.invoke(args=["route-unanswered"]).output
    assert "Sent 0 requests for help." in runner.invoke(args=["route-unanswered"]).output  # idempotent


def test_routing_rows_go_with_the_case(app, world, make_user):
    offer(app, make_user(name="Helper"), [world["housing"]])
    sweep(app, DUE)
    with app.app_context():
        db.session.execute(db.delete(db.metadata.tables["posts"]).where(db.metadata.tables["posts"].c.id == world["case"]))
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(RoutedCase)) == 0


def test_the_figures_for_insights(app, world, make_user, make_post, make_reply):
    offer(app, make_user(name="Helper"), [world["housing"]])
    answered = make_post("Answered later", themes=[world["housing"]], at=PUBLISHED)
    sweep(app, DUE)
    make_reply(answered, "Late help.", at=DUE + timedelta(hours=1))
    with app.app_context():
        assert routing.unanswered_after_routing(PUBLISHED, DUE + timedelta(days=1)) == 1
        assert routing.unanswered_after_routing(DUE + timedelta(days=1), DUE + timedelta(days=2)) == 0
        reply = db.session.scalar(select(db.metadata.tables["replies"].c.id))
        db.session.execute(db.update(db.metadata.tables["posts"]).where(db.metadata.tables["posts"].c.id == answered)
                           .values(helped_reply_id=reply))
        db.session.commit()
        assert services.median_hours_to_what_helped(PUBLISHED, DUE) == 49.0
        assert services.median_hours_to_what_helped(DUE, DUE + timedelta(days=1)) is None
        import forum.knowledge as knowledge
        assert knowledge.unanswered_after_routing(PUBLISHED, DUE + timedelta(days=1)) == 1
        assert knowledge.median_hours_to_what_helped(PUBLISHED, DUE) == 49.0
        team_id = db.session.get(User, world["author"].id).team_id
        assert knowledge.unanswered_after_routing(PUBLISHED, DUE + timedelta(days=1), team_id=-1) == 0
        assert team_id is None


def test_an_erased_account_leaves_no_offer_or_routing_behind(app, world, make_user):
    from tests.conftest import client_for
    from tests.conftest import post as form_post
    from forum.knowledge.models import HelperOffer, helper_themes
    helper = make_user(name="Helper")
    offer(app, helper, [world["housing"]])
    sweep(app, DUE)
    client = client_for(app, helper)
    response = form_post(client, "/account/erase", {"password": helper.password}, page="/account/erase")
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(HelperOffer, helper.id) is None
        assert db.session.scalar(select(func.count()).select_from(helper_themes)) == 0
        assert db.session.scalar(select(func.count()).select_from(RoutedCase)) == 0


def test_email_follows_the_helpers_settings(app, world, make_user, outbox):
    from forum.notifications.models import EmailPreference, Mode
    helper = make_user(name="QuietHelper")
    offer(app, helper, [world["housing"]])
    with app.app_context():
        db.session.add(EmailPreference(user_id=helper.id, kind=Kind.HELP_WANTED, mode=Mode.OFF))
        db.session.commit()
    assert sweep(app, DUE) == 1
    assert [mail for mail in outbox if mail.to == helper.email] == []
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)
                                 .where(Notification.recipient_id == helper.id)) == 1
