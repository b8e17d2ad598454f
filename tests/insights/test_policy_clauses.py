"""Insights' rules clause by clause (from the clause-mutation tool's survivors)."""

from __future__ import annotations

from types import SimpleNamespace

from forum.accounts.models import Role
from forum.insights import policy


def test_the_whole_organisation_is_for_managers_and_admins_only():
    for role, allowed in ((Role.MANAGER, True), (Role.ADMIN, True), (Role.ADVISER, False)):
        assert policy.may_choose_team(SimpleNamespace(role=role, team_id=1), None) is allowed


def test_a_manager_chooses_their_own_team_and_an_admin_any():
    manager, admin = SimpleNamespace(role=Role.MANAGER, team_id=1), SimpleNamespace(role=Role.ADMIN, team_id=None)
    assert policy.may_choose_team(manager, 1) and not policy.may_choose_team(manager, 2)
    assert policy.may_choose_team(admin, 2)
    assert not policy.may_choose_team(SimpleNamespace(role=Role.ADVISER, team_id=1), 1)
