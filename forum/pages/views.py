"""Pages built from several modules' services and policies; each decides nothing itself."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from forum.cases import services as cases
from forum.meetings import running
from forum.timeutil import utcnow

bp = Blueprint("pages", __name__)


@bp.route("/")
def home():
    return render_template("home.html", home=cases.home(current_user), actions=running.open_actions(current_user),
                           today=utcnow().date())
