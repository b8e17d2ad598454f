"""Every clause of every permission rule (`forum/*/policy.py`), tested from both sides.

Each policy function is called directly with the people the access matrix lacks: invited and
requested members (a membership row that is not active), a plain member against a facilitator,
a manager of another team or with none, a manager acting on themselves, a manager or admin
without two-factor, an archived circle. A test here fails when any single clause of a rule is
dropped or inverted: `python -m tools.policy_mutations` checks that (README, "Permission rules
and their mutants"); the route side of the same rules is in tests/test_access_matrix.py.

Tests are named after their module (`test_circles_...`), so one module's mutants can be judged
by `-k circles`.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import HTTPException

from forum import settings
from forum.accounts import policy as accounts
from forum.accounts.models import Invitation, Role, Team, User
from forum.cases import policy as cases
from forum.cases.models import Post, PostKind, Reply, Status
from forum.circles import policy as circles
from forum.circles.models import Circle, MemberRole, MemberStatus, Membership, Mode
from forum.dataprotection import policy as dataprotection
from forum.extensions import db
from forum.meetings import policy as meetings
from forum.meetings.models import ActionPoint, Meeting
from forum.moderation import policy as moderation
from forum.outbox import policy as outbox
from forum.outcomes import policy as outcomes
from forum.themes import policy as themes
from forum.timeutil import utcnow


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


def user(person) -> User:
    return db.session.get(User, person.id)


def add_membership(circle_id: int, person, status: MemberStatus = MemberStatus.ACTIVE,
                   role: MemberRole = MemberRole.MEMBER) -> None:
    db.session.add(Membership(circle_id=circle_id, user_id=person.id, status=status, role=role))
    db.session.commit()


def status_of_abort(call) -> int | None:
    """The HTTP status a loader aborts with, or None when it returns."""
    try:
        call()
    except HTTPException as refusal:
        return refusal.code
    return None


@pytest.fixture
def circle_world(ctx, make_user, make_circle):
    """A listed circle and an invite-only one, both facilitated by `facilitator`, with a plain
    member, an invited person, a person who asked to join, an invited co-facilitator (a
    facilitator's row that is not active yet) and an outsider; and a third, archived circle."""
    people = {name: make_user(name=name.capitalize())
              for name in ("facilitator", "member", "invited", "requested", "cofacilitator", "outsider", "other")}
    listed = make_circle("Listed", facilitator=people["facilitator"], members=[people["member"]], mode=Mode.REQUEST)
    hidden = make_circle("Hidden", facilitator=people["facilitator"], members=[people["member"]], mode=Mode.INVITE)
    archived = make_circle("Archived", facilitator=people["facilitator"], members=[people["member"]])
    others = make_circle("Others'", facilitator=people["other"])
    for circle_id in (listed, hidden):
        add_membership(circle_id, people["invited"], MemberStatus.INVITED)
        add_membership(circle_id, people["requested"], MemberStatus.REQUESTED)
        add_membership(circle_id, people["cofacilitator"], MemberStatus.INVITED, MemberRole.FACILITATOR)
    db.session.get(Circle, archived).archived_at = utcnow()
    db.session.commit()
    ids = {"listed": listed, "hidden": hidden, "archived": archived, "others": others}
    return {"people": {name: user(person) for name, person in people.items()},
            "circles": {name: db.session.get(Circle, circle_id) for name, circle_id in ids.items()}}


# circles -----------------------------------------------------------------------------------------


def test_circles_member_circle_ids_are_the_persons_active_memberships_only(circle_world):
    people, found = circle_world["people"], circle_world["circles"]

    def ids(name):
        return set(db.session.scalars(circles.member_circle_ids(people[name])))

    assert ids("member") == {found["listed"].id, found["hidden"].id, found["archived"].id}
    assert ids("other") == {found["others"].id}
    for name in ("invited", "requested", "cofacilitator", "outsider"):
        assert ids(name) == set(), name


def test_circles_is_member_counts_active_members_only(circle_world):
    people, listed = circle_world["people"], circle_world["circles"]["listed"]
    assert circles.is_member(people["member"], listed.id)
    assert circles.is_member(people["facilitator"], listed.id)
    for name in ("invited", "requested", "cofacilitator", "outsider"):
        assert not circles.is_member(people[name], listed.id), name
        assert not circles.is_member_id(people[name].id, listed.id), name
    assert circles.is_member_id(people["member"].id, listed.id)
    assert not circles.is_member_id(None, listed.id)


def test_circles_a_facilitator_is_an_active_member_with_the_facilitators_role(circle_world):
    people, listed = circle_world["people"], circle_world["circles"]["listed"]
    assert circles.is_facilitator(people["facilitator"], listed)
    for name in ("member", "invited", "requested", "cofacilitator", "outsider"):
        assert not circles.is_facilitator(people[name], listed), name


def test_circles_facilitated_circle_ids_are_the_persons_own_active_facilitations(circle_world):
    people, found = circle_world["people"], circle_world["circles"]
    assert set(circles.facilitated_circle_ids(people["facilitator"])) == {
        found["listed"].id, found["hidden"].id, found["archived"].id}
    assert circles.facilitated_circle_ids(people["other"]) == [found["others"].id]
    for name in ("member", "invited", "requested", "cofacilitator", "outsider"):
        assert circles.facilitated_circle_ids(people[name]) == [], name


def test_circles_a_listed_circle_is_known_to_everyone_an_invite_only_one_to_members_and_invitees(circle_world):
    people, found = circle_world["people"], circle_world["circles"]
    for name in people:
        assert circles.may_know(people[name], found["listed"]), name
        assert circles.known_circle(people[name], found["listed"].id) is found["listed"]
    for name in ("facilitator", "member", "invited", "cofacilitator"):
        assert circles.may_know(people[name], found["hidden"]), name
        assert circles.known_circle(people[name], found["hidden"].id) is found["hidden"]
    for name in ("requested", "outsider", "other"):
        assert not circles.may_know(people[name], found["hidden"]), name
        assert circles.known_circle(people[name], found["hidden"].id) is None
        assert status_of_abort(lambda: circles.circle_or_404(people[name], found["hidden"].id)) == 404
    assert circles.known_circle(people["member"], 99999999) is None
    assert status_of_abort(lambda: circles.circle_or_404(people["member"], 99999999)) == 404
    assert status_of_abort(lambda: circles.circle_or_404(people["member"], found["hidden"].id)) is None


def test_circles_the_inside_is_for_active_members_only(circle_world):
    people, listed = circle_world["people"], circle_world["circles"]["listed"]
    assert circles.may_see_inside(people["member"], listed)
    assert circles.may_see_inside(people["facilitator"], listed)
    for name in ("invited", "requested", "cofacilitator", "outsider"):
        assert not circles.may_see_inside(people[name], listed), name


def test_circles_only_a_facilitator_manages_and_not_an_archived_circle(circle_world):
    people, found = circle_world["people"], circle_world["circles"]
    assert circles.may_manage(people["facilitator"], found["listed"])
    assert not circles.may_manage(people["facilitator"], found["archived"])
    for name in ("member", "invited", "requested", "cofacilitator", "outsider"):
        assert not circles.may_manage(people[name], found["listed"]), name


def test_circles_the_managed_circle_loader_answers_404_403_or_the_circle(circle_world):
    people, found = circle_world["people"], circle_world["circles"]

    def refusal(name, circle):
        return status_of_abort(lambda: circles.managed_circle_or_404(people[name], found[circle].id))

    assert refusal("facilitator", "listed") is None
    assert circles.managed_circle_or_404(people["facilitator"], found["hidden"].id) is found["hidden"]
    assert refusal("facilitator", "archived") == 403
    assert refusal("member", "listed") == 403
    assert refusal("member", "hidden") == 403
    assert refusal("outsider", "listed") == 403  # a listed circle: they know it exists
    assert refusal("outsider", "hidden") == 404
    assert refusal("invited", "hidden") == 404  # known to them, but its inside is not theirs yet
    assert refusal("requested", "listed") == 403


# accounts ----------------------------------------------------------------------------------------


@pytest.fixture
def team_world(ctx, make_user, make_team):
    teams = {"north": make_team("North"), "south": make_team("South")}
    people = {
        "admin": make_user(Role.ADMIN), "admin_no_2fa": make_user(Role.ADMIN, two_factor=False),
        "manager": make_user(Role.MANAGER, team_id=teams["north"]),
        "manager_no_2fa": make_user(Role.MANAGER, team_id=teams["north"], two_factor=False),
        "other_manager": make_user(Role.MANAGER, team_id=teams["south"]),
        "teamless_manager": make_user(Role.MANAGER),
        "adviser": make_user(Role.ADVISER, team_id=teams["north"]),
        "adviser_2fa": make_user(Role.ADVISER, two_factor=True),
    }
    return {"people": {name: user(person) for name, person in people.items()},
            "teams": {name: db.session.get(Team, team_id) for name, team_id in teams.items()}}


def invitation(role: Role, team_id: int | None) -> Invitation:
    found = Invitation(token_hash=f"{role}-{team_id}-{utcnow().timestamp()}-{id(object())}", email="x@example.org",
                       role=role, team_id=team_id, expires_at=utcnow() + timedelta(days=7))
    db.session.add(found)
    db.session.commit()
    return found


def test_accounts_only_admins_manage_people(team_world):
    people = team_world["people"]
    assert accounts.may_manage_people(people["admin"])
    assert not accounts.may_manage_people(people["manager"])
    assert not accounts.may_manage_people(people["adviser"])


def test_accounts_invitations_are_for_admins_and_managers_with_a_team(team_world):
    people = team_world["people"]
    assert accounts.may_send_invitations(people["admin"])
    assert accounts.may_send_invitations(people["manager"])
    assert not accounts.may_send_invitations(people["teamless_manager"])
    assert not accounts.may_send_invitations(people["adviser"])  # an adviser with a team


def test_accounts_a_manager_invites_advisers_to_their_own_team_only(team_world):
    people, teams = team_world["people"], team_world["teams"]
    for role in Role:
        assert accounts.may_invite(people["admin"], role, None)
        assert accounts.may_invite(people["admin"], role, teams["south"])
    manager = people["manager"]
    assert accounts.may_invite(manager, Role.ADVISER, teams["north"])
    assert not accounts.may_invite(manager, Role.MANAGER, teams["north"])
    assert not accounts.may_invite(manager, Role.ADVISER, teams["south"])
    assert not accounts.may_invite(manager, Role.ADVISER, None)
    assert not accounts.may_invite(people["adviser"], Role.ADVISER, teams["north"])
    assert accounts.invitable_roles(people["admin"]) == list(Role)
    assert accounts.invitable_roles(manager) == [Role.ADVISER]
    every = list(teams.values())
    assert accounts.invitable_teams(people["admin"], every) == every
    assert accounts.invitable_teams(manager, every) == [teams["north"]]


def test_accounts_a_manager_manages_their_own_teams_adviser_invitations_only(team_world):
    people, teams = team_world["people"], team_world["teams"]
    own = invitation(Role.ADVISER, teams["north"].id)
    own_manager = invitation(Role.MANAGER, teams["north"].id)
    other_team = invitation(Role.ADVISER, teams["south"].id)
    teamless = invitation(Role.ADVISER, None)
    every = {own.id, own_manager.id, other_team.id, teamless.id}

    def listed(name):
        return set(db.session.scalars(accounts.manageable_invitations(people[name], select(Invitation.id))))

    assert listed("admin") == every
    assert listed("manager") == {own.id}
    assert listed("other_manager") == {other_team.id}
    assert listed("teamless_manager") == set()
    assert listed("adviser") == set()
    for found in (own, own_manager, other_team, teamless):
        assert accounts.may_manage_invitation(people["admin"], found)
    assert accounts.may_manage_invitation(people["manager"], own)
    for found in (own_manager, other_team, teamless):
        assert not accounts.may_manage_invitation(people["manager"], found)
    assert not accounts.may_manage_invitation(people["teamless_manager"], teamless)
    assert not accounts.may_manage_invitation(people["adviser"], own)


def test_accounts_two_factor_is_for_managers_and_admins_and_without_it_they_are_advisers(team_world):
    people = team_world["people"]
    assert accounts.must_use_two_factor(people["manager"]) and accounts.must_use_two_factor(people["admin"])
    assert not accounts.must_use_two_factor(people["adviser"])
    assert accounts.needs_two_factor_setup(people["manager_no_2fa"])
    assert accounts.needs_two_factor_setup(people["admin_no_2fa"])
    for name in ("manager", "admin", "adviser", "adviser_2fa"):
        assert not accounts.needs_two_factor_setup(people[name]), name
    assert accounts.acts_as_manager(people["manager"]) and accounts.acts_as_manager(people["admin"])
    for name in ("manager_no_2fa", "admin_no_2fa", "adviser", "adviser_2fa"):
        assert not accounts.acts_as_manager(people[name]), name
    assert accounts.acts_as_admin(people["admin"])
    for name in ("admin_no_2fa", "manager", "adviser", "adviser_2fa"):
        assert not accounts.acts_as_admin(people[name]), name


# cases -------------------------------------------------------------------------------------------


@pytest.fixture
def case_world(circle_world, make_user):
    people = dict(circle_world["people"])
    people["manager"] = user(make_user(Role.MANAGER))
    people["manager_no_2fa"] = user(make_user(Role.MANAGER, two_factor=False))
    people["admin"] = user(make_user(Role.ADMIN))
    return {"people": people, "circles": circle_world["circles"]}


def post(author: User, status: Status = Status.PUBLISHED, circle: Circle | None = None, **fields) -> Post:
    """A post as the rules see it (not stored: the rules read its fields only)."""
    return Post(**{"author_id": author.id, "status": status, "circle_id": circle.id if circle else None,
                   "kind": PostKind.CASE, "locked": False, **fields})


def test_cases_lists_show_published_posts_forum_wide_and_of_the_readers_circles(case_world, make_post):
    people, found = case_world["people"], case_world["circles"]
    member = people["member"]
    forum_wide = make_post("Forum", author=people["facilitator"])
    in_circle = make_post("Circle", author=people["facilitator"], circle_id=found["listed"].id)
    in_other = make_post("Other circle", author=people["other"], circle_id=found["others"].id)
    make_post("Draft", author=people["facilitator"], status=Status.DRAFT)
    make_post("Hidden in circle", author=people["facilitator"], status=Status.HIDDEN, circle_id=found["listed"].id)

    def visible(name):
        return set(db.session.scalars(select(Post.id).where(cases.visible_post_clause(people[name]))))

    assert visible("member") == {forum_wide, in_circle}
    assert {post.id for post in db.session.scalars(cases.visible_posts(member))} == {forum_wide, in_circle}
    for name in ("invited", "requested", "outsider", "manager"):
        assert visible(name) == {forum_wide}, name
    assert visible("other") == {forum_wide, in_other}


def test_cases_only_published_replies_are_listed(ctx, make_post, make_reply):
    post_id = make_post("Post")
    published = make_reply(post_id, "Published")
    make_reply(post_id, "Draft", status=Status.DRAFT)
    make_reply(post_id, "Hidden", status=Status.HIDDEN)
    anyone = db.session.get(User, db.session.get(Post, post_id).author_id)
    assert set(db.session.scalars(select(Reply.id).where(cases.visible_reply_clause(anyone)))) == {published}


def test_cases_who_reads_a_post(case_world):
    people, found = case_world["people"], case_world["circles"]
    author, member, outsider, manager = people["member"], people["facilitator"], people["outsider"], people["manager"]
    # Forum-wide: everyone reads it published; the author their own in every editable state;
    # managers (with two-factor) the pending, hidden and deleted ones; nobody else's draft.
    for status in (Status.DRAFT, Status.PUBLISHED, Status.PENDING, Status.HIDDEN):
        assert cases.may_read(author, post(author, status)), status
    assert not cases.may_read(author, post(author, Status.DELETED))
    assert cases.may_read(outsider, post(author))
    for status in (Status.PENDING, Status.HIDDEN, Status.DELETED):
        assert cases.may_read(manager, post(author, status)), status
        assert not cases.may_read(people["manager_no_2fa"], post(author, status)), status
        assert not cases.may_read(outsider, post(author, status)), status
    assert not cases.may_read(manager, post(author, Status.DRAFT))
    # A circle's posts: its active members only; non-authors see the published ones only,
    # whatever their role.
    for status in (Status.DRAFT, Status.PENDING, Status.HIDDEN):
        assert cases.may_read(author, post(author, status, found["listed"])), status
        assert not cases.may_read(member, post(author, status, found["listed"])), status
    assert cases.may_read(member, post(author, Status.PUBLISHED, found["listed"]))
    for name in ("invited", "requested", "cofacilitator", "outsider", "manager", "admin"):
        assert not cases.may_read(people[name], post(author, Status.PUBLISHED, found["listed"])), name
    # A manager who is a member reads the circle's published posts, never its hidden ones.
    add_membership(found["listed"].id, manager)
    assert not cases.may_read(manager, post(author, Status.HIDDEN, found["listed"]))
    assert cases.may_read(manager, post(author, Status.PUBLISHED, found["listed"]))


def test_cases_who_reads_a_reply(case_world, make_post, make_reply):
    people, found = case_world["people"], case_world["circles"]
    author, replier, manager = people["member"], people["facilitator"], people["manager"]

    def reply_on(post_status=Status.PUBLISHED, status=Status.PUBLISHED, circle=None) -> Reply:
        post_id = make_post("Post", author=author, status=post_status, circle_id=circle.id if circle else None)
        reply_id = make_reply(post_id, "Reply", author=replier, status=status)
        return db.session.scalar(select(Reply).where(Reply.id == reply_id).options(selectinload(Reply.post))
                                 .execution_options(populate_existing=True))

    published = reply_on()
    assert cases.may_read_reply(people["outsider"], published)
    assert cases.may_read_reply(author, published)
    for status in (Status.HIDDEN, Status.PENDING):
        on_hidden = reply_on(post_status=status)
        assert not cases.may_read_reply(manager, on_hidden), status  # managers read the post, not its replies
        assert not cases.may_read_reply(author, on_hidden), status
    in_circle = reply_on(circle=found["listed"])
    assert cases.may_read_reply(author, in_circle)
    for name in ("invited", "requested", "outsider", "manager"):
        assert not cases.may_read_reply(people[name], in_circle), name
    draft = reply_on(status=Status.DRAFT)
    assert cases.may_read_reply(replier, draft)
    assert not cases.may_read_reply(author, draft)
    hidden = reply_on(status=Status.HIDDEN)
    assert not cases.may_read_reply(replier, hidden)
    assert not cases.may_read_reply(author, hidden)


def test_cases_who_edits_deletes_and_acts_on_findings(case_world):
    people = case_world["people"]
    author, other, admin = people["member"], people["outsider"], people["admin"]
    for status in cases.EDITABLE:
        assert cases.may_edit(author, post(author, status)), status
        assert not cases.may_edit(other, post(author, status)), status
        assert cases.may_delete(author, post(author, status)), status
        assert cases.may_delete(admin, post(author, status)), status
        assert not cases.may_delete(other, post(author, status)), status
        assert not cases.may_delete(people["manager"], post(author, status)), status
        assert cases.may_act_on_findings(author, "post", post(author, status))
        assert not cases.may_act_on_findings(other, "post", post(author, status))
    assert not cases.may_edit(author, post(author, Status.DELETED))
    assert not cases.may_delete(author, post(author, Status.DELETED))
    assert not cases.may_delete(admin, post(author, Status.DELETED))
    for status in (Status.PUBLISHED, Status.DRAFT, Status.HIDDEN):
        reply = Reply(author_id=author.id, status=status)
        assert cases.may_edit_reply(author, reply), status
        assert not cases.may_edit_reply(other, reply), status
        assert cases.may_act_on_findings(author, "reply", reply)
        assert not cases.may_act_on_findings(other, "reply", reply)
    for status in (Status.DELETED, Status.PENDING):
        assert not cases.may_edit_reply(author, Reply(author_id=author.id, status=status)), status
    # The kind decides which rule applies: the reply's, or the post's.
    assert cases.may_act_on_findings(author, "reply", Reply(author_id=author.id, status=Status.DRAFT))
    assert not cases.may_act_on_findings(author, "post", Post(author_id=author.id, status=Status.DELETED))


def test_cases_pre_approval_holds_forum_wide_posts_of_held_people_or_every_post_when_on(case_world):
    people, circle = case_world["people"], case_world["circles"]["listed"]
    free, held = people["member"], people["outsider"]
    held.needs_approval = True
    assert not cases.needs_approval(free, None)
    assert cases.needs_approval(held, None)
    assert not cases.needs_approval(held, circle.id)
    settings.put(settings.PRE_APPROVAL, "on")
    assert cases.needs_approval(free, None)
    assert not cases.needs_approval(free, circle.id)


def test_cases_replies_to_published_unlocked_posts_only(case_world):
    author = case_world["people"]["member"]
    assert cases.may_reply(author, post(author))
    assert not cases.may_reply(author, post(author, locked=True))
    assert not cases.may_reply(author, post(author, Status.HIDDEN))


def test_cases_the_author_is_named_when_they_chose_so_or_to_themselves(case_world):
    people = case_world["people"]
    author, reader = people["member"], people["outsider"]
    assert cases.shown_author(reader, author.id, author, True) is author
    assert cases.shown_author(author, author.id, author, False) is author
    assert cases.shown_author(reader, author.id, author, False) is None


def test_cases_history_reveal_and_helpful(case_world):
    people = case_world["people"]
    author, reader = people["member"], people["outsider"]
    assert cases.may_see_history(author, author.id)
    assert cases.may_see_history(people["manager"], author.id)
    assert cases.may_see_history(people["admin"], author.id)
    assert not cases.may_see_history(reader, author.id)
    assert not cases.may_see_history(people["manager_no_2fa"], author.id)
    assert cases.may_reveal_author(people["manager"])
    assert not cases.may_reveal_author(reader)
    assert not cases.may_reveal_author(people["manager_no_2fa"])
    assert cases.may_mark_helpful(reader, author.id)
    assert not cases.may_mark_helpful(author, author.id)


def test_cases_privacy_review_managers_outside_circles_facilitators_in_theirs(case_world):
    people, found = case_world["people"], case_world["circles"]
    author = people["member"]
    assert cases.may_review_privacy(people["manager"])
    assert cases.may_review_privacy(people["facilitator"])
    for name in ("member", "invited", "cofacilitator", "outsider"):
        assert not cases.may_review_privacy(people[name]), name
    forum_wide, in_circle = post(author), post(author, circle=found["listed"])
    assert cases.may_review_privacy_of(people["manager"], forum_wide)
    assert not cases.may_review_privacy_of(people["facilitator"], forum_wide)
    assert cases.may_review_privacy_of(people["facilitator"], in_circle)
    assert not cases.may_review_privacy_of(people["manager"], in_circle)
    assert not cases.may_review_privacy_of(people["member"], in_circle)
    assert not cases.may_review_privacy_of(people["other"], in_circle)


# meetings ----------------------------------------------------------------------------------------


@pytest.fixture
def meeting_world(circle_world, make_meeting):
    people, found = circle_world["people"], circle_world["circles"]
    meeting = db.session.get(Meeting, make_meeting(found["listed"].id))
    return {"people": people, "circles": found, "meeting": meeting}


def test_meetings_a_meeting_is_seen_by_its_circles_active_members(meeting_world):
    people, meeting = meeting_world["people"], meeting_world["meeting"]
    for name in ("facilitator", "member"):
        assert meetings.may_see(people[name], meeting), name
        assert meetings.meeting_or_404(people[name], meeting.id) == (meeting, meeting_world["circles"]["listed"])
    for name in ("invited", "requested", "cofacilitator", "outsider"):
        assert not meetings.may_see(people[name], meeting), name
        assert status_of_abort(lambda: meetings.meeting_or_404(people[name], meeting.id)) == 404, name
    assert status_of_abort(lambda: meetings.meeting_or_404(people["member"], 99999999)) == 404


def test_meetings_facilitators_manage_and_run_members_do_not(meeting_world):
    people, found = meeting_world["people"], meeting_world["circles"]
    assert meetings.may_manage(people["facilitator"], found["listed"])
    assert not meetings.may_manage(people["facilitator"], found["archived"])
    assert meetings.may_run(people["facilitator"], found["listed"])
    for name in ("member", "invited", "cofacilitator", "outsider"):
        assert not meetings.may_manage(people[name], found["listed"]), name
        assert not meetings.may_run(people[name], found["listed"]), name


def test_meetings_notes_heard_and_action_points(meeting_world):
    people, found, meeting = meeting_world["people"], meeting_world["circles"], meeting_world["meeting"]
    circle, facilitator, member, other = found["listed"], people["facilitator"], people["member"], people["outsider"]
    assert meetings.may_write_notes(facilitator, meeting, circle)
    assert not meetings.may_write_notes(member, meeting, circle)
    meeting.note_taker_id = member.id
    assert meetings.may_write_notes(member, meeting, circle)
    assert meetings.may_mark_heard(member, circle, member.id)
    assert meetings.may_mark_heard(facilitator, circle, member.id)
    assert not meetings.may_mark_heard(member, circle, other.id)
    action = ActionPoint(owner_id=member.id)
    assert meetings.may_tick(member, action, circle)
    assert meetings.may_tick(member, action, circle, facilitator_ok=False)
    assert meetings.may_tick(facilitator, action, circle)
    assert not meetings.may_tick(facilitator, action, circle, facilitator_ok=False)
    assert not meetings.may_tick(other, action, circle)
    assert not meetings.may_tick(people["cofacilitator"], action, circle)


def test_meetings_nominations_are_forum_wide_or_this_circles_readable_cases(meeting_world, make_post):
    people, found, meeting = meeting_world["people"], meeting_world["circles"], meeting_world["meeting"]
    member, author = people["member"], people["facilitator"]
    forum_case = make_post("Forum case", author=author)
    circle_case = make_post("Circle case", author=author, circle_id=found["listed"].id)
    make_post("Other circle's case", author=people["other"], circle_id=found["others"].id)
    make_post("Hidden circle's case", author=author, circle_id=found["hidden"].id)
    make_post("A story", author=author, kind=PostKind.STORY)
    make_post("A draft", author=member, status=Status.DRAFT)
    offered = set(db.session.scalars(select(Post.id).where(meetings.nominable_clause(member, meeting))))
    assert offered == {forum_case, circle_case}
    assert meetings.may_nominate(member, meeting, db.session.get(Post, forum_case))
    assert meetings.may_nominate(member, meeting, db.session.get(Post, circle_case))
    assert not meetings.may_nominate(member, meeting, post(people["other"], circle=found["others"]))
    assert not meetings.may_nominate(member, meeting, post(author, circle=found["hidden"]))
    assert not meetings.may_nominate(people["outsider"], meeting, post(author, circle=found["listed"]))
    assert not meetings.may_nominate(member, meeting, post(author, Status.DRAFT))


# moderation --------------------------------------------------------------------------------------


def test_moderation_roles_suspensions_and_pre_approval(team_world):
    people = team_world["people"]
    admin, manager, other_manager, adviser = people["admin"], people["manager"], people["other_manager"], people["adviser"]
    assert moderation.may_moderate(manager) and moderation.may_moderate(admin)
    assert not moderation.may_moderate(adviser)
    assert moderation.may_change_site_settings(admin)
    assert not moderation.may_change_site_settings(manager)
    assert moderation.may_suspend(manager, adviser)
    assert moderation.may_suspend(manager, other_manager)  # a manager of another team
    assert not moderation.may_suspend(manager, admin)
    assert moderation.may_suspend(admin, people["admin_no_2fa"])
    assert not moderation.may_suspend(manager, manager)
    assert not moderation.may_suspend(admin, admin)
    assert not moderation.may_suspend(adviser, people["adviser_2fa"])
    assert moderation.may_require_approval(manager, adviser)
    assert moderation.may_require_approval(manager, other_manager)
    assert not moderation.may_require_approval(manager, manager)  # lifting their own
    assert not moderation.may_require_approval(adviser, people["adviser_2fa"])


def test_moderation_flags_and_notes(team_world):
    people = team_world["people"]
    author, reader = people["adviser"], people["adviser_2fa"]
    assert moderation.may_flag(reader, author.id)
    assert not moderation.may_flag(author, author.id)
    assert moderation.may_see_moderation_notes(author, author.id)
    assert moderation.may_see_moderation_notes(people["manager"], author.id)
    assert not moderation.may_see_moderation_notes(reader, author.id)


# outcomes ----------------------------------------------------------------------------------------


def test_outcomes_who_records_and_stops_asking(case_world, make_post):
    people, found = case_world["people"], case_world["circles"]
    author, facilitator = people["member"], people["facilitator"]
    assert outcomes.may_record(author, post(author))
    assert not outcomes.may_record(author, post(author, Status.HIDDEN))
    assert not outcomes.may_record(author, Post(author_id=author.id, status=Status.PUBLISHED, kind=PostKind.STORY))
    assert outcomes.may_record(facilitator, post(author, circle=found["listed"]))
    assert not outcomes.may_record(facilitator, post(author))
    assert not outcomes.may_record(people["other"], post(author, circle=found["listed"]))
    assert not outcomes.may_record(people["outsider"], post(author, circle=found["listed"]))
    assert not outcomes.may_record(people["cofacilitator"], post(author, circle=found["listed"]))
    assert outcomes.may_stop_asking(author, post(author))
    assert not outcomes.may_stop_asking(facilitator, post(author))
    assert not outcomes.may_stop_asking(author, Post(author_id=author.id, kind=PostKind.STORY))
    assert outcomes.may_turn_into_story(author, post(author), True)
    assert not outcomes.may_turn_into_story(author, post(author), False)
    assert not outcomes.may_turn_into_story(author, post(author, Status.HIDDEN), True)
    assert not outcomes.may_turn_into_story(facilitator, post(author), True)
    assert not outcomes.may_turn_into_story(author, Post(author_id=author.id, status=Status.PUBLISHED,
                                                         kind=PostKind.STORY), True)


def test_outcomes_the_case_loader(case_world, make_post):
    people = case_world["people"]
    case_id = make_post("Case", author=people["member"])
    story_id = make_post("Story", author=people["member"], kind=PostKind.STORY)
    circle_case = make_post("Circle case", author=people["facilitator"], circle_id=case_world["circles"]["hidden"].id)
    assert outcomes.case_or_404(people["outsider"], case_id).id == case_id
    assert status_of_abort(lambda: outcomes.case_or_404(people["member"], story_id)) == 404
    assert status_of_abort(lambda: outcomes.case_or_404(people["outsider"], circle_case)) == 404


# data protection, outbox, themes -----------------------------------------------------------------


def test_dataprotection_export_and_erasure(team_world):
    people = team_world["people"]
    admin, manager, adviser = people["admin"], people["manager"], people["adviser"]
    assert dataprotection.may_export(adviser)
    assert dataprotection.may_erase_self(adviser)
    adviser.erased_at = utcnow()
    assert not dataprotection.may_export(adviser)
    assert not dataprotection.may_erase_self(adviser)
    assert dataprotection.may_erase_others(admin)
    assert not dataprotection.may_erase_others(manager)
    assert dataprotection.erasure_refusal(admin, manager) is None
    assert "your own account" in dataprotection.erasure_refusal(admin, admin)
    assert "admin" in dataprotection.erasure_refusal(admin, people["admin_no_2fa"])
    assert dataprotection.is_last_admin(admin, 1)
    assert not dataprotection.is_last_admin(admin, 2)
    assert not dataprotection.is_last_admin(manager, 1)


def test_dataprotection_a_guest_does_not_export(ctx):
    from flask_login import AnonymousUserMixin

    class Guest(AnonymousUserMixin):
        erased_at = None

    assert not dataprotection.may_export(Guest())


def test_outbox_undelivered_mail_is_for_signed_in_admins(team_world):
    from flask_login import AnonymousUserMixin

    people = team_world["people"]
    assert outbox.may_see_undelivered_mail(people["admin"])
    assert not outbox.may_see_undelivered_mail(people["manager"])

    class GuestWithARole(AnonymousUserMixin):
        role = Role.ADMIN

    assert not outbox.may_see_undelivered_mail(GuestWithARole())


def test_themes_managers_and_admins_look_after_the_vocabulary(team_world):
    people = team_world["people"]
    assert themes.may_manage_themes(people["manager"])
    assert themes.may_manage_themes(people["admin"])
    assert not themes.may_manage_themes(people["adviser"])


def test_meetings_the_pulse_notes_and_drifting_are_for_the_right_people(meeting_world):
    from forum.meetings.models import Presence

    people, found, meeting = meeting_world["people"], meeting_world["circles"], meeting_world["meeting"]
    # The pulse: a member recorded present; not an absent or unrecorded one, nor a present outsider.
    assert meetings.may_answer_pulse(people["member"], meeting, Presence.PRESENT)
    for presence in (Presence.ABSENT, Presence.UNKNOWN, None):
        assert not meetings.may_answer_pulse(people["member"], meeting, presence), presence
    for name in ("invited", "requested", "outsider"):
        assert not meetings.may_answer_pulse(people[name], meeting, Presence.PRESENT), name
    # Usefulness figures and drifting members: the circle's facilitators only.
    for check in (meetings.may_see_pulse, meetings.may_see_drifting):
        assert check(people["facilitator"], found["listed"])
        for name in ("member", "invited", "cofacilitator", "outsider", "other"):
            assert not check(people[name], found["listed"]), name


def test_meetings_signposting_after_the_pulse_is_set_by_admins(team_world):
    people = team_world["people"]
    assert meetings.may_set_signposting(people["admin"])
    for name in ("manager", "adviser", "adviser_2fa"):
        assert not meetings.may_set_signposting(people[name]), name


def test_moderation_a_flaggers_history_is_for_managers_and_admins_only(team_world):
    people = team_world["people"]
    for name in ("manager", "other_manager", "admin"):
        assert moderation.may_see_flag_history(people[name]), name
    for name in ("adviser", "adviser_2fa"):
        assert not moderation.may_see_flag_history(people[name]), name
