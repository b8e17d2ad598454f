"""Pages built from several modules' services and policies; each decides nothing itself."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

from forum.cases import services as cases
from forum.circles import policy as circles_policy
from forum.circles import services as circles
from forum.circles.forms import InviteForm
from forum.circles.models import MemberStatus
from forum.insights import policy as insights_policy
from forum.insights import services as insights
from forum.knowledge import welcome
from forum.meetings import policy as meetings_policy
from forum.meetings import pulse, running
from forum.meetings import services as meetings
from forum.moderation import services as moderation
from forum.templating import management_pages
from forum.timeutil import utcnow
from forum.web import member

bp = Blueprint("pages", __name__)


@bp.route("/")
@member
def home():
    upcoming = meetings.next_meetings(user=current_user)
    overview = None
    if insights_policy.may_see_insights(current_user):
        # A manager's week at a glance: counts only, linking to the queue and to insights.
        overview = {"queue": moderation.open_count(current_user), **vars(insights.overview(utcnow()))}
    return render_template("home.html", home=cases.home(current_user), actions=running.open_actions(current_user),
                           next_meetings=meetings.next_meeting_panels(current_user, list(upcoming.values())),
                           today=utcnow().date(), overview=overview, welcome=welcome.welcome_path(current_user))


@bp.route("/circles")
@member
def circles_index():
    """Your circles with each one's next meeting, and the circles you can join."""
    listed = circles.listed(current_user)
    mine = circles.circles_of(current_user)
    return render_template("circles/index.html", listed=listed, mine=mine,
                           facilitators=circles.facilitators(listed + mine),
                           next_meetings=meetings.next_meetings([circle.id for circle in mine]))


@bp.route("/circles/<int:circle_id>")
@member
def circle(circle_id: int):
    """A circle's page: its own details, and for those inside, its meetings and posts."""
    known = circles_policy.circle_or_404(current_user, circle_id)
    inside = circles_policy.may_see_inside(current_user, known)
    may_manage = circles_policy.may_manage(current_user, known)
    context = {}
    if inside:
        context = {
            "members": circles.members(known),
            "requests": circles.members(known, MemberStatus.REQUESTED) if may_manage else [],
            "invited": circles.members(known, MemberStatus.INVITED) if may_manage else [],
            "meetings": meetings.upcoming(known),
            "next_meeting": next(iter(meetings.next_meeting_panels(
                current_user, list(meetings.next_meetings([known.id]).values()))), None),
            "series_answer": meetings.series_answer(current_user, known.id),
            "past_meetings": meetings.past(known),
            "schedule": meetings.schedule_of(known),
            "posts": cases.circle_posts(current_user, known.id),
            # The facilitator's panel: who is drifting away, and how useful sessions were.
            "drifting": meetings.drifting(known.id, current_user.id)
            if meetings_policy.may_see_drifting(current_user, known) else None,
            "pulse_periods": pulse.circle_pulse(known.id) if meetings_policy.may_see_pulse(current_user, known) else None,
        }
    return render_template(
        "circles/show.html", circle=known, inside=inside, membership=circles_policy.membership(current_user, known),
        facilitators=circles.facilitators([known]).get(known.id, []), member_count=circles.member_count(known),
        may_manage=may_manage, invite_form=InviteForm(), **context)


@bp.route("/manage")
@member
def manage():
    """The management pages this person may use, each module's own answer (the navigation's "Manage")."""
    pages = management_pages(current_user)
    if not pages:
        abort(403)
    return render_template("pages/manage.html", pages=pages)
