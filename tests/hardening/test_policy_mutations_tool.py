"""The clause-mutation tool (tools/policy_mutations.py) makes the mutants it promises; running
them is too slow for CI (README, "Permission rules and their mutants")."""

from __future__ import annotations

from tools.policy_mutations import mutants_of, mutated_source

RULE = '''
from __future__ import annotations


def may_manage(user: User, circle: Circle) -> bool:
    """A docstring is no clause."""
    if not circle.listed:
        return False
    return is_facilitator(user, circle) and circle.archived_at is None and user.role in (A, B)


def ids(user: User) -> Select:
    return select(M.id).where(M.user_id == user.id, M.status.in_(S))
'''


def test_one_mutant_per_clause_and_none_in_annotations_or_docstrings():
    changes = {(mutant.function, mutant.before, mutant.after) for mutant in mutants_of(RULE)}
    may = "is_facilitator(user, circle) and circle.archived_at is None and (user.role in (A, B))"
    expected = {
        ("may_manage", "not circle.listed", "circle.listed"),
        ("may_manage", f"return {may}", "return True"),
        ("may_manage", f"return {may}", "return False"),
        ("may_manage", may, "circle.archived_at is None and user.role in (A, B)"),
        ("may_manage", may, "is_facilitator(user, circle) and user.role in (A, B)"),
        ("may_manage", may, "is_facilitator(user, circle) and circle.archived_at is None"),
        ("may_manage", "is_facilitator(user, circle)", "not is_facilitator(user, circle)"),
        ("may_manage", "circle.archived_at is None", "circle.archived_at is not None"),
        ("may_manage", "user.role in (A, B)", "user.role not in (A, B)"),
        ("may_manage", "user.role in (A, B)", "user.role in (B,)"),
        ("may_manage", "user.role in (A, B)", "user.role in (A,)"),
        ("ids", "select(M.id).where(M.user_id == user.id, M.status.in_(S))", "select(M.id).where(M.status.in_(S))"),
        ("ids", "select(M.id).where(M.user_id == user.id, M.status.in_(S))", "select(M.id).where(M.user_id == user.id)"),
        ("ids", "M.user_id == user.id", "M.user_id != user.id"),
        ("ids", "M.status.in_(S)", "M.status.not_in(S)"),
    }
    assert changes == expected


def test_a_mutant_changes_one_clause_and_keeps_the_rest():
    mutants = mutants_of(RULE)
    dropped = next(mutant for mutant in mutants if mutant.after == "is_facilitator(user, circle) and user.role in (A, B)")
    source = mutated_source(RULE, dropped.number)
    assert "return is_facilitator(user, circle) and user.role in (A, B)" in source
    assert "if not circle.listed:" in source
    assert "M.user_id == user.id, M.status.in_(S)" in source
