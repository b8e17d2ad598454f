"""The search page: words and phrases over what the person may read."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select

from forum.extensions import db
from forum.ratelimits import per_person_reads
from forum.search import MAX_RANKED, search
from forum.search.forms import SearchDatesForm
from forum.themes import services as themes
from forum.themes.models import Theme
from forum.web import member

bp = Blueprint("search", __name__)

KINDS = {"": "Cases and stories", "case": "Cases", "story": "Success stories"}


@bp.route("/search")
@member
@per_person_reads("SEARCH_LIMIT")
def results():
    text = request.args.get("q", "")[:200]
    kind = request.args.get("kind", "")
    kind = kind if kind in KINDS else ""
    slug = request.args.get("theme", "")
    theme = db.session.scalar(select(Theme).where(Theme.slug == slug)) if slug else None
    dates = SearchDatesForm(request.args)
    dates.validate()
    date_from, date_to = dates.date_from.data, dates.date_to.data
    if date_from and date_to and date_from > date_to:
        dates.date_to.errors = ["The end date must be the same as or after the start date"]
    errors = dates.errors
    after = request.args.get("after", type=int)
    page = None
    if text.strip() and not errors:
        page = search(current_user, text, theme_ids=[theme.id] if theme else (), kind=kind or None,
                      date_from=date_from, date_to=date_to, after=after)
    return render_template("search/results.html", text=text, kind=kind, kinds=KINDS, theme=theme,
                           all_themes=themes.active_themes(), dates=dates, page=page, after=after or 0,
                           cap=MAX_RANKED), (400 if errors else 200)
