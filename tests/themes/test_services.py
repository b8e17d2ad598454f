"""Theme rules: slugs, names, descriptions, archive and restore, merge, validation for posts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.models import Role
from forum.audit import AuditEntry
from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.themes import services
from forum.themes.models import Theme
from tests.themes.conftest import tags, theme_row, user


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def actor(ctx, manager):
    return user(manager.id)


def audit_actions(target_id: int | None = None) -> list[tuple[str, str | None]]:
    query = select(AuditEntry.action, AuditEntry.reason).order_by(AuditEntry.id)
    if target_id is not None:
        query = query.where(AuditEntry.target_type == "theme", AuditEntry.target_id == target_id)
    return [tuple(row) for row in db.session.execute(query)]


# Slugs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, slug", [
    ("Debt and money", "debt-and-money"),
    ("Universal Credit & benefits", "universal-credit-benefits"),
    ("  Self-employment  ", "self-employment"),
    ("Café culture", "cafe-culture"),
    ("ESOL: English (entry level 3)", "esol-english-entry-level-3"),
    ("Работа", "theme"),
    ("x" * 80, "x" * 72),
])
def test_slugs_are_lowercase_ascii_with_hyphens(name, slug):
    assert services.slugify(name) == slug


def test_clashing_slugs_get_a_number(actor):
    first = services.create(actor, "Housing", "")
    second = services.create(actor, "Housing!", "")
    third = services.create(actor, "HOUSING?", "")
    assert (first.slug, second.slug, third.slug) == ("housing", "housing-2", "housing-3")


def test_reserved_slug_is_never_given(actor):
    assert services.create(actor, "Manage", "").slug == "manage-2"


def test_rename_keeps_the_slug(app, actor):
    theme = services.create(actor, "Debt", "Money worries.")
    services.update(actor, theme, "Debt and money", "Money worries and arrears.")
    db.session.commit()
    assert theme_row(app, theme.id)[:3] == ("Debt and money", "debt", "Money worries and arrears.")
    assert ("theme.renamed", "Debt -> Debt and money") in audit_actions(theme.id)
    assert ("theme.described", None) in audit_actions(theme.id)


def test_renaming_to_a_changed_case_of_its_own_name_is_allowed(actor):
    theme = services.create(actor, "digital skills", "")
    services.update(actor, theme, "Digital skills", "")
    assert theme.name == "Digital skills" and theme.slug == "digital-skills"


# Names and descriptions ------------------------------------------------------------------------


@pytest.mark.parametrize("name, message", [
    ("", "Enter a name for the theme"),
    ("  \u202e ", "Enter a name for the theme"),
    ("x", "Enter a name of 2 to 80 characters"),
    ("x" * 81, "Enter a name of 2 to 80 characters"),
])
def test_name_length_rules(actor, name, message):
    with pytest.raises(Invalid) as caught:
        services.create(actor, name, "")
    assert (caught.value.message, caught.value.field) == (message, "name")


def test_names_are_cleaned(actor):
    theme = services.create(actor, "  Job \u202eretention\t\n  here ", "")
    assert theme.name == "Job retention here"


def test_names_are_unique_whatever_their_case(actor):
    services.create(actor, "Mental health", "")
    with pytest.raises(Invalid) as caught:
        services.create(actor, "MENTAL HEALTH", "")
    assert caught.value.field == "name"
    assert caught.value.message == "There is already a theme called “Mental health”: choose another name"
    other = services.create(actor, "Wellbeing", "")
    with pytest.raises(Invalid):
        services.update(actor, other, "mental Health", "")
    assert other.name == "Wellbeing"


def test_a_duplicate_of_an_archived_theme_says_restore_it(actor):
    theme = services.create(actor, "Housing", "")
    services.archive(actor, theme)
    with pytest.raises(Invalid, match="which is archived: restore it"):
        services.create(actor, "housing", "")


def test_descriptions_up_to_1000_characters_in_plain_text(actor):
    theme = services.create(actor, "Housing", "  <b>Line one</b>\r\n\r\nLine two\u2066  ")
    assert theme.description == "<b>Line one</b>\n\nLine two"
    services.update(actor, theme, "Housing", "y" * 1000)
    with pytest.raises(Invalid) as caught:
        services.update(actor, theme, "Housing", "y" * 1001)
    assert (caught.value.message, caught.value.field) == ("Enter a description of 1,000 characters or fewer",
                                                          "description")


def test_advisers_cannot_change_themes(ctx, make_user):
    adviser = user(make_user(Role.ADVISER).id)
    with pytest.raises(Forbidden):
        services.create(adviser, "Housing", "")
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 0


# Reading ----------------------------------------------------------------------------------------


def test_active_themes_and_choices(ctx, make_theme):
    housing = make_theme("housing")
    debt = make_theme("Debt")
    make_theme("Archived one", archived=True)
    make_theme("Merged one", merged_into_id=debt)
    assert [theme.name for theme in services.active_themes()] == ["Debt", "housing"]
    assert services.choices() == [(debt, "Debt"), (housing, "housing")]
    assert len(services.all_themes()) == 4


def test_get_by_slug(ctx, make_theme):
    theme_id = make_theme("Housing", slug="housing")
    assert services.get_by_slug("housing").id == theme_id
    with pytest.raises(NotFound):
        services.get_by_slug("nothing-here")
    with pytest.raises(NotFound):
        services.get(999)


# Validating a post's themes ---------------------------------------------------------------------------


def test_themes_by_ids_accepts_one_to_five_active_themes(ctx, make_theme):
    ids = [make_theme(f"Theme {letter}") for letter in "EDCBA"]
    assert [theme.name for theme in services.themes_by_ids(ids)] == [f"Theme {letter}" for letter in "ABCDE"]
    assert [theme.id for theme in services.themes_by_ids([str(ids[0]), ids[0]])] == [ids[0]]


def test_themes_by_ids_refuses_what_a_post_cannot_have(ctx, make_theme):
    ids = [make_theme(f"Theme {number}") for number in range(6)]
    archived = make_theme("Old theme", archived=True)
    merged = make_theme("Merged theme", archived=True, merged_into_id=ids[0])
    cases = [
        ([], "Choose at least one theme"),
        (ids, "Choose no more than 5 themes"),
        ([ids[0], 99999], "Choose themes from the list: one of them does not exist"),
        (["nonsense"], "Choose themes from the list"),
        ([ids[0], archived], "The theme “Old theme” is archived: choose another theme"),
        ([merged], "The theme “Merged theme” has been merged into “Theme 0”: choose that one instead"),
    ]
    for given, message in cases:
        with pytest.raises(Invalid) as caught:
            services.themes_by_ids(given)
        assert (caught.value.message, caught.value.field) == (message, "themes"), given
    with pytest.raises(Invalid) as caught:
        services.themes_by_ids([], field="theme_ids")
    assert caught.value.field == "theme_ids"


# Archive and restore ------------------------------------------------------------------------------


def test_archive_and_restore(actor):
    theme = services.create(actor, "Housing", "")
    services.archive(actor, theme, "Nobody uses it")
    assert theme.archived and services.active_themes() == []
    with pytest.raises(Invalid, match="already archived"):
        services.archive(actor, theme)
    services.restore(actor, theme)
    assert not theme.archived and services.active_themes() == [theme]
    with pytest.raises(Invalid, match="is not archived"):
        services.restore(actor, theme)
    assert audit_actions(theme.id) == [
        ("theme.created", None), ("theme.archived", "Nobody uses it"), ("theme.restored", None),
    ]


def test_archive_reason_is_limited(actor):
    theme = services.create(actor, "Housing", "")
    with pytest.raises(Invalid) as caught:
        services.archive(actor, theme, "r" * 401)
    assert caught.value.field == "reason" and not theme.archived


# Merge ------------------------------------------------------------------------------------------


def test_merge_moves_every_post_once(app, ctx, actor, make_theme, make_post):
    source_id, target_id, other_id = make_theme("Debt"), make_theme("Money"), make_theme("Housing")
    only_source = make_post(themes=[source_id])
    both = make_post(themes=[source_id, target_id])
    with_other = make_post(themes=[source_id, other_id])
    only_target = make_post(themes=[target_id])
    untouched = make_post(themes=[other_id])
    earlier = make_theme("Arrears", archived=True, merged_into_id=source_id)
    source, target = services.get(source_id), services.get(target_id)

    moved = services.merge(actor, source, target, "Same thing")
    db.session.commit()

    assert moved == 3
    assert tags(app) == {
        (only_source, target_id), (both, target_id), (with_other, target_id), (with_other, other_id),
        (only_target, target_id), (untouched, other_id),
    }
    assert theme_row(app, source_id)[3:] == (True, target_id)
    assert theme_row(app, earlier)[4] == target_id  # an older merge now leads straight to the target
    assert theme_row(app, target_id)[3:] == (False, None)
    assert audit_actions(source_id)[-1] == ("theme.merged", f"into theme {target_id}: Same thing")


def test_merge_runs_a_fixed_number_of_statements(app, ctx, actor, make_theme, make_post, count_queries):
    source_id, target_id = make_theme("Debt"), make_theme("Money")
    for number in range(30):
        make_post(themes=[source_id, *([target_id] if number % 2 else [])])
    source, target = services.get(source_id), services.get(target_id)
    with count_queries() as statements:
        services.merge(actor, source, target)
        db.session.flush()
    assert len(statements) <= 8, statements
    db.session.commit()
    assert {theme for _post, theme in tags(app)} == {target_id}
    assert len(tags(app)) == 30


def test_merge_refuses_itself_archived_targets_and_merged_sources(ctx, actor, make_theme, make_post):
    source_id = make_theme("Debt")
    archived_id = make_theme("Old", archived=True)
    target_id = make_theme("Money")
    post_id = make_post(themes=[source_id])
    source = services.get(source_id)
    with pytest.raises(Invalid) as caught:
        services.merge(actor, source, source)
    assert (caught.value.field, caught.value.message) == (
        "target_id", "Choose a different theme: a theme cannot be merged into itself")
    with pytest.raises(Invalid) as caught:
        services.merge(actor, source, services.get(archived_id))
    assert caught.value.field == "target_id" and "“Old” is archived" in caught.value.message
    assert not source.archived and source.merged_into_id is None
    services.merge(actor, source, services.get(target_id))
    with pytest.raises(Invalid, match="already been merged"):
        services.merge(actor, source, services.get(target_id))
    with pytest.raises(Invalid, match="cannot be restored"):
        services.restore(actor, source)
    with pytest.raises(Invalid, match="already archived"):
        services.archive(actor, source)
    assert post_id


def test_merging_an_archived_theme_is_allowed(ctx, actor, make_theme, make_post):
    source_id, target_id = make_theme("Old", archived=True), make_theme("New")
    make_post(themes=[source_id])
    assert services.merge(actor, services.get(source_id), services.get(target_id)) == 1


def test_a_merged_themes_name_blocks_reuse_with_a_clear_message(ctx, actor, make_theme):
    source = services.create(actor, "Debt", "")
    target = services.create(actor, "Money and debt", "")
    services.merge(actor, source, target)
    with pytest.raises(Invalid, match="merged into another theme: rename that one first"):
        services.update(actor, target, "Debt", "")


# Audit --------------------------------------------------------------------------------------------


def test_every_change_is_audited_with_its_actor(ctx, actor, make_theme):
    theme = services.create(actor, "Housing", "")
    services.update(actor, theme, "Housing", "")  # nothing changed: nothing to record
    services.update(actor, theme, "Housing and homelessness", "Where to live.")
    services.archive(actor, theme)
    services.restore(actor, theme)
    services.merge(actor, theme, services.create(actor, "Shelter", ""))
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.target_id == theme.id)).all()
    assert [entry.action for entry in entries] == [
        "theme.created", "theme.renamed", "theme.described", "theme.archived", "theme.restored", "theme.merged",
    ]
    assert {(entry.actor_id, entry.target_type, entry.outcome) for entry in entries} == {
        (actor.id, "theme", "success")}

