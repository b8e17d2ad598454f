"""Similar cases while writing, "I can help with", and the welcome path's pages."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from forum.database import reads_only
from forum.extensions import db
from forum.forms import form_status, submitted
from forum.knowledge import services, similar, welcome
from forum.knowledge.forms import HelpOfferForm
from forum.ratelimits import per_person
from forum.themes import services as themes
from forum.web import member

bp = Blueprint("knowledge", __name__)


@bp.route("/similar", methods=["POST"])
@reads_only
@member
@per_person("SEARCH_LIMIT")
def similar_posts():
    """The side panel's list for a draft, as an HTML fragment: by POST (with the CSRF token),
    so a draft title never reaches an access log; limited per person like search."""
    found = similar.similar(current_user, request.form.get("title", ""),
                            request.form.getlist("theme_ids"), request.form.get("situation", ""),
                            exclude_post_id=request.form.get("post_id", type=int))
    return render_template("knowledge/_similar_list.html", similar_posts=found,
                           asked=bool(request.form.get("title", "").strip()))


def _offer_form(**kwargs) -> HelpOfferForm:
    form = HelpOfferForm(**kwargs)
    form.theme_ids.choices = themes.choices()
    return form


@bp.route("/account/help", methods=["GET", "POST"])
@member
def help_offer():
    """"I can help with": themes, years advised, and whether the profile shows it."""
    if request.method == "GET":
        offer = services.offer_of(current_user.id)
        form = _offer_form(data={"offering": offer.offering, "theme_ids": [theme.id for theme in offer.themes],
                                 "years": "" if offer.years is None else str(offer.years),
                                 "on_profile": offer.on_profile})
    else:
        form = _offer_form()
    if response := submitted(form, lambda: services.save_offer(current_user, services.OfferInput(
            offering=form.offering.data, theme_ids=list(form.theme_ids.data or []), years=form.years_value,
            on_profile=form.on_profile.data)), "What you can help with is saved.", url_for("accounts.account")):
        return response
    return render_template("knowledge/help.html", form=form), form_status(form)


@bp.route("/welcome/stories")
@member
def welcome_stories():
    """The most helpful stories in the person's themes (the welcome path's second step)."""
    stories = welcome.helpful_stories(current_user)
    db.session.commit()
    return render_template("knowledge/welcome_stories.html", stories=stories)


@bp.route("/welcome/dismiss", methods=["POST"])
@member
def dismiss_welcome():
    return submitted(None, lambda: welcome.dismiss(current_user), "The first steps are hidden.",
                     back=url_for("pages.home"), back_status=302)
