"""The insights page (`/insights`) and one CSV per section: managers and admins only."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request
from flask_login import current_user

from forum.errors import Invalid
from forum.forms import add_error
from forum.insights import export, filters, policy, services, summary
from forum.insights.forms import FilterForm
from forum.timeutil import format_datetime, in_zone, utcnow
from forum.web import manager

bp = Blueprint("insights", __name__, url_prefix="/insights")

#: The query arguments a CSV link carries over from the page (anything else is dropped).
FILTER_FIELDS = ("period", "since", "until", "team", "theme")


@bp.before_request
def _managers_only():
    # Advisers (a circle's facilitators included) get 403: @manager only asks for two-factor.
    if not policy.may_see_insights(current_user):
        abort(403)


def _filter():
    """The form, the organisation, the themes and the filter asked for (None when the form is wrong)."""
    form = FilterForm(request.args)
    org = filters.organisation()
    themes = filters.themes()
    form.team.choices = [("", "Whole organisation")] + [
        (str(team_id), name) for team_id, name in policy.choosable_teams(current_user, org.teams)]
    form.theme.choices = [("", "All themes")] + [(theme.slug, theme.name) for theme in themes]
    if not form.period.data:
        form.period.data = "12"
    now = utcnow()
    if request.args and not form.validate():
        return form, org, themes, None
    try:
        chosen = filters.build(current_user, org, themes, period=form.period.data or "12", since=form.since.data,
                               until=form.until.data, team=form.team.data or "", theme=form.theme.data or "",
                               today=in_zone(now, current_user.timezone).date(), now=now)
    except Invalid as error:
        # Not forms.submitted: reading a filter changes nothing, so there is nothing to commit.
        add_error(form, error)
        return form, org, themes, None
    return form, org, themes, chosen


def _filter_lines(chosen: filters.Filter) -> list[tuple[str, str]]:
    return [("Period", chosen.period.label), ("Team", chosen.team_name), ("Theme", chosen.theme_name),
            ("Made", format_datetime(chosen.made_at, current_user.timezone))]


@bp.route("")
@manager
def index():
    summary.make_current()
    form, org, themes, chosen = _filter()
    if chosen is None:
        return render_template("insights/index.html", form=form, chosen=None, sections=[]), 400
    return render_template("insights/index.html", form=form, chosen=chosen, sections=services.sections(chosen, org, themes),
                           filter_lines=_filter_lines(chosen),
                           args={name: value for name, value in request.args.items() if name in FILTER_FIELDS})


@bp.route("/<section>.csv")
@manager
def section_csv(section: str):
    if section not in dict(services.SECTIONS):
        abort(404)
    summary.make_current()
    form, org, themes, chosen = _filter()
    if chosen is None:
        abort(400)
    found = services.section(section, chosen, org, themes)
    stamp = chosen.made_at.strftime("%Y%m%d-%H%M")
    return Response(export.section_csv(found, _filter_lines(chosen)), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="insights-{section}-{stamp}.csv"', "Cache-Control": "no-store"})
