"""Each clause of the learning record's rules, from both sides (found by the clause-mutation
tool, `python -m tools.policy_mutations --module forum/learning/policy.py --tests tests/learning`)."""

from __future__ import annotations

import pytest
from werkzeug.exceptions import NotFound

from forum.accounts.models import Role, User
from forum.cases.models import Status
from forum.extensions import db
from forum.learning import policy
from forum.timeutil import utcnow


def _person(person) -> User:
    return db.session.get(User, person.id)


def test_a_meeting_to_reflect_on_exists_and_they_were_there(app, known):
    run, _scheduled, missed = known["meetings"]
    with app.app_context():
        person = _person(known["person"])
        assert policy.meeting_to_reflect_on_or_404(person, run).id == run
        for meeting_id in (missed, 999_999):  # absent; no such meeting
            with pytest.raises(NotFound):
                policy.meeting_to_reflect_on_or_404(person, meeting_id)


def test_a_post_to_reflect_on_is_published_and_theirs_to_read(app, known, make_post, make_user, make_circle):
    draft = make_post("My draft", author=known["person"], status=Status.DRAFT)
    elsewhere = make_post("Another circle's case", author=known["peer"],
                          circle_id=make_circle("Another circle", facilitator=make_user(name="Far.Facilitator")))
    with app.app_context():
        person = _person(known["person"])
        assert policy.post_to_reflect_on_or_404(person, known["peer_case"]).id == known["peer_case"]
        for post_id in (draft, elsewhere, 999_999):
            with pytest.raises(NotFound):
                policy.post_to_reflect_on_or_404(person, post_id)


def test_only_an_active_manager_with_two_factor_receives_shares(app, known, make_user):
    without_two_factor = make_user(Role.MANAGER, name="New.Manager", two_factor=False)
    with app.app_context():
        manager = _person(known["manager"])
        assert policy.may_receive_shares(manager)
        assert not policy.may_receive_shares(_person(without_two_factor))
        assert not policy.may_receive_shares(_person(known["admin"]))
        manager.is_active = False
        assert not policy.may_receive_shares(manager)
        db.session.rollback()


def test_records_are_shared_only_with_active_managers_who_are_not_erased(app, known, make_user):
    leaving = make_user(Role.MANAGER, name="Leaving.Manager")
    with app.app_context():
        person, manager, gone = _person(known["person"]), _person(known["manager"]), _person(leaving)
        gone.erased_at = utcnow()
        db.session.flush()
        assert policy.may_be_shared_with(manager) and not policy.may_be_shared_with(gone)
        assert not policy.may_be_shared_with(_person(known["admin"]))
        chosen = [choice.id for choice in policy.manager_choices(person)]
        assert manager.id in chosen and gone.id not in chosen
        db.session.rollback()


def test_a_manager_cannot_share_their_own_record_with_themselves(app, known):
    with app.app_context():
        manager = _person(known["manager"])
        chosen = [choice.id for choice in policy.manager_choices(manager)]
        assert manager.id not in chosen and known["far_manager"].id in chosen
