"""The knowledge module's rules clause by clause (from the clause-mutation tool's survivors)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from forum.knowledge import policy


def test_an_offer_to_help_shows_to_others_only_when_chosen_and_always_to_its_owner():
    owner, other = SimpleNamespace(id=1), SimpleNamespace(id=2)
    assert policy.may_see_offer(owner, owner_id=1, on_profile=False)
    assert not policy.may_see_offer(other, owner_id=1, on_profile=False)
    assert policy.may_see_offer(other, owner_id=1, on_profile=True)


def test_the_welcome_path_counts_30_days_back_from_the_moment_given():
    moment = datetime(2026, 3, 31, 12, tzinfo=UTC)
    assert policy.welcome_since(moment) == moment - timedelta(days=30)
