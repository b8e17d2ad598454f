""""I can help with" on the account page (off by default, changeable, years 0 to 60) and on a
profile only if chosen; the welcome path for people invited in the last 30 days."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.accounts.models import Invitation, Role
from forum.extensions import db
from forum.knowledge.models import HelperOffer
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.conftest import post as form_post


def save(client, **fields):
    return form_post(client, "/account/help", fields, page="/account/help")


def test_off_by_default_then_on_and_changeable(app, adviser, make_theme):
    housing, debt = make_theme("Housing"), make_theme("Debt and money")
    client = client_for(app, adviser)
    assert "Off. You can offer to help" in client.get("/account").get_data(as_text=True)
    response = save(client, offering="y", theme_ids=[str(housing), str(debt)], years="7", on_profile="y")
    assert response.status_code == 302
    page = client.get("/account").get_data(as_text=True)
    assert "You offered to help with Debt and money, Housing, with 7 years of advising" in page
    assert save(client, offering="y", theme_ids=[str(housing)], years="").status_code == 302
    with app.app_context():
        row = db.session.get(HelperOffer, adviser.id)
        assert (row.offering, row.years, row.on_profile) == (True, None, False)
    assert save(client, theme_ids=[str(housing)]).status_code == 302  # turned off
    assert "Off. You can offer to help" in client.get("/account").get_data(as_text=True)


@pytest.mark.parametrize("years", ["-1", "100", "61", "five", "2.5"])
def test_years_out_of_range_or_not_a_number_are_refused(app, adviser, make_theme, years):
    housing = make_theme("Housing")
    client = client_for(app, adviser)
    response = save(client, offering="y", theme_ids=[str(housing)], years=years)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert html.count("Enter a whole number of years from 0 to 60, like 5") == 2  # summary and field
    assert f'value="{years}"' in html  # kept as typed
    assert "<title>Error: " in html
    with app.app_context():
        assert db.session.get(HelperOffer, adviser.id) is None


def test_offering_needs_a_theme_and_themes_must_exist(app, adviser, make_theme):
    client = client_for(app, adviser)
    response = save(client, offering="y", years="3")
    assert response.status_code == 400 and "Choose at least one theme you can help with" in response.get_data(as_text=True)
    response = save(client, offering="y", theme_ids=["9999"])
    assert response.status_code == 400


def test_the_profile_shows_it_only_if_chosen(app, adviser, make_user, make_theme, make_post):
    housing = make_theme("Housing")
    make_post("A case of mine", author=adviser, situation="x")
    me = client_for(app, adviser)
    other = client_for(app, make_user(name="Reader"))
    save(me, offering="y", theme_ids=[str(housing)], years="12")
    assert "can help with Housing" not in other.get(f"/posts?author={adviser.id}").get_data(as_text=True)
    save(me, offering="y", theme_ids=[str(housing)], years="12", on_profile="y")
    assert "AnAdviser can help with Housing · 12 years advising" in other.get(f"/posts?author={adviser.id}").get_data(as_text=True)


# The welcome path ------------------------------------------------------------------------------


def _invited(app, person, days_ago: int):
    with app.app_context():
        db.session.add(Invitation(token_hash=f"{person.id:064d}", email=person.email, role=Role.ADVISER,
                                  created_at=utcnow() - timedelta(days=days_ago + 1),
                                  expires_at=utcnow() + timedelta(days=7), used_at=utcnow() - timedelta(days=days_ago)))
        db.session.commit()


def test_a_new_adviser_sees_three_steps_ticked_as_done_and_can_dismiss_them(app, adviser, make_theme, make_circle,
                                                                             make_post):
    housing = make_theme("Housing")
    make_post("A story that worked", kind="story", themes=[housing], situation="x")
    _invited(app, adviser, 3)
    client = client_for(app, adviser)
    home = client.get("/").get_data(as_text=True)
    assert "Your first steps" in home and "0 of 3 done." in home
    assert form_post(client, f"/follow/theme/{housing}", {}, page="/themes").status_code in (302, 303)
    assert "1 of 3 done." in client.get("/").get_data(as_text=True)
    stories = client.get("/welcome/stories").get_data(as_text=True)
    assert "A story that worked" in stories
    assert "2 of 3 done." in client.get("/").get_data(as_text=True)
    make_circle("Open circle", members=[adviser])
    home = client.get("/").get_data(as_text=True)
    assert "3 of 3 done." in home and home.count("Done: ") == 3
    assert form_post(client, "/welcome/dismiss", {}, page="/").status_code == 302
    assert "Your first steps" not in client.get("/").get_data(as_text=True)


def test_nobody_invited_more_than_30_days_ago_sees_it(app, adviser, make_user):
    _invited(app, adviser, 31)
    assert "Your first steps" not in client_for(app, adviser).get("/").get_data(as_text=True)
    never_invited = make_user(name="CreatedByCommand")
    assert "Your first steps" not in client_for(app, never_invited).get("/").get_data(as_text=True)


def test_the_data_export_holds_the_offer(app, adviser, make_theme):
    import json
    housing = make_theme("Housing")
    client = client_for(app, adviser)
    save(client, offering="y", theme_ids=[str(housing)], years="4")
    with app.app_context():
        from forum.dataprotection import export
        from forum.accounts.models import User
        data = export.build_export(db.session.get(User, adviser.id))
    helping = json.loads(json.dumps(data["sections"]["helping"], default=str))
    assert helping["offer"] == {"offering": True, "themes": ["Housing"], "years_advised": 4, "shown_on_profile": False}
