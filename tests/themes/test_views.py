"""Theme pages: the list everyone sees, and the management pages for managers and admins."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.audit import AuditEntry
from forum.extensions import db
from forum.themes.models import Theme
from tests.conftest import post
from tests.themes.conftest import tags, theme_row


def theme_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Theme))


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.get_data(as_text=True), re.DOTALL).group(1)


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "theme")
                                       .order_by(AuditEntry.id)))


# The list of themes --------------------------------------------------------------------------


def test_everyone_signed_in_sees_the_active_themes(client, adviser, signed_in, make_theme):
    make_theme("Housing", description="Somewhere to live.\n\nAnd keep.", slug="housing")
    make_theme("Old theme", archived=True)
    signed_in(adviser)
    response = client.get("/themes")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and title(response) == "Themes – Adviser forum"
    assert '<a href="/themes/housing">Housing</a>' in page
    assert "<p>Somewhere to live.</p>" in page and "<p>And keep.</p>" in page
    assert "Old theme" not in page
    assert "Manage themes" not in page


def test_managers_are_offered_the_management_page(client, manager, signed_in, make_theme):
    make_theme("Housing")
    signed_in(manager)
    assert 'href="/themes/manage"' in client.get("/themes").get_data(as_text=True)


def test_empty_list_says_what_to_do_next(client, adviser, manager, signed_in):
    signed_in(adviser)
    assert "Ask your line manager to add some" in client.get("/themes").get_data(as_text=True)
    post(client, "/logout", page="/account")
    signed_in(manager)
    assert "Create the first theme" in client.get("/themes").get_data(as_text=True)
    assert "Create the first one with the form above" in client.get("/themes/manage").get_data(as_text=True)


def test_names_and_descriptions_are_escaped(app, client, manager, signed_in, make_theme):
    source = make_theme("<svg onload=alert(1)>", description="<script>alert(2)</script>", slug="svg")
    make_theme("Target")
    signed_in(manager)
    for url in ["/themes", "/themes/manage", f"/themes/manage/{source}", f"/themes/manage/{source}/archive",
                f"/themes/manage/{source}/merge"]:
        page = client.get(url).get_data(as_text=True)
        assert "<svg" not in page and "<script>alert" not in page, url
        assert "&lt;svg onload=alert(1)&gt;" in page, url


# Creating ------------------------------------------------------------------------------------


def test_manager_creates_a_theme(app, client, manager, signed_in):
    signed_in(manager)
    response = post(client, "/themes/manage", {"name": "Debt and money", "description": "Money worries.",
                                               "slug": "chosen", "archived": "y"}, page="/themes/manage")
    assert response.status_code == 302 and response.headers["Location"] == "/themes/manage"
    page = client.get("/themes/manage").get_data(as_text=True)
    assert "The theme “Debt and money” has been created" in page
    assert "/themes/debt-and-money" in page
    with app.app_context():
        theme = db.session.scalar(select(Theme))
        # Extra fields (slug, archived) are ignored.
        assert (theme.name, theme.slug, theme.description, theme.archived) == (
            "Debt and money", "debt-and-money", "Money worries.", False)
    assert audit_actions(app) == ["theme.created"]


BAD_THEMES = [
    ({"name": "", "description": "Kept text"}, "Enter a name for the theme"),
    ({"name": "   ", "description": "Kept text"}, "Enter a name for the theme"),
    ({"name": "x", "description": "Kept text"}, "Enter a name of 2 to 80 characters"),
    ({"name": "n" * 81, "description": "Kept text"}, "Enter a name of 80 characters or fewer"),
    ({"name": "A fine name", "description": "d" * 1001}, "Enter a description of 1,000 characters or fewer"),
    ({"name": "HOUSING", "description": "Kept text"}, "There is already a theme called “Housing”: choose another name"),
]


@pytest.mark.parametrize("data, message", BAD_THEMES, ids=lambda value: str(value)[:30])
def test_bad_input_when_creating_keeps_what_was_typed(app, client, manager, signed_in, make_theme, data, message):
    make_theme("Housing")
    signed_in(manager)
    response = post(client, "/themes/manage", data, page="/themes/manage")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert title(response) == "Error: Manage themes – Adviser forum"
    assert "There is a problem" in page and message in page
    assert 'aria-invalid="true"' in page
    assert f'value="{data["name"]}"' in page
    assert data["description"] in page
    assert theme_count(app) == 1 and audit_actions(app) == []


def test_a_description_of_1000_characters_with_line_breaks_fits(app, client, manager, signed_in):
    signed_in(manager)
    text = ("a" * 98 + "\r\n") * 10  # 1,000 characters once each line break counts as one
    response = post(client, "/themes/manage", {"name": "Long one", "description": text}, page="/themes/manage")
    assert response.status_code == 302


# Editing -------------------------------------------------------------------------------------


def test_manager_renames_a_theme_and_its_address_stays(app, client, manager, signed_in, make_theme):
    theme = make_theme("Debt", slug="debt")
    signed_in(manager)
    page = client.get(f"/themes/manage/{theme}").get_data(as_text=True)
    assert 'value="Debt"' in page and "Save theme" in page
    response = post(client, f"/themes/manage/{theme}", {"name": "Debt and money", "description": "Arrears."},
                    page=f"/themes/manage/{theme}")
    assert response.status_code == 302 and response.headers["Location"] == f"/themes/manage/{theme}"
    assert "The theme “Debt and money” has been saved" in client.get(f"/themes/manage/{theme}").get_data(as_text=True)
    assert theme_row(app, theme)[:3] == ("Debt and money", "debt", "Arrears.")
    assert audit_actions(app) == ["theme.renamed", "theme.described"]


@pytest.mark.parametrize("data, message", BAD_THEMES, ids=lambda value: str(value)[:30])
def test_bad_input_when_editing_changes_nothing(app, client, manager, signed_in, make_theme, data, message):
    make_theme("Housing")
    theme = make_theme("Debt", description="As it was.", slug="debt")
    signed_in(manager)
    response = post(client, f"/themes/manage/{theme}", data, page=f"/themes/manage/{theme}")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert title(response) == "Error: Edit theme: Debt – Adviser forum"
    assert message in page and f'value="{data["name"]}"' in page and data["description"] in page
    assert theme_row(app, theme) == ("Debt", "debt", "As it was.", False, None)
    assert audit_actions(app) == []


# Archive and restore ---------------------------------------------------------------------------


def test_archive_asks_first_then_restore(app, client, manager, signed_in, make_theme):
    theme = make_theme("Housing")
    signed_in(manager)
    confirm = client.get(f"/themes/manage/{theme}/archive")
    text = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and title(confirm) == "Archive Housing – Adviser forum"
    assert "Posts that already have it keep it" in text and "Archive theme" in text
    assert theme_row(app, theme)[3] is False  # GET changed nothing

    response = post(client, f"/themes/manage/{theme}/archive", {"reason": "Nobody uses it"},
                    page=f"/themes/manage/{theme}/archive")
    assert response.status_code == 302
    page = client.get(f"/themes/manage/{theme}").get_data(as_text=True)
    assert "has been archived" in page and "Restore theme" in page
    assert theme_row(app, theme)[3] is True
    assert "Housing" not in client.get("/themes").get_data(as_text=True)

    again = post(client, f"/themes/manage/{theme}/archive", page=f"/themes/manage/{theme}/archive")
    assert again.status_code == 302
    assert "already archived" in client.get(f"/themes/manage/{theme}").get_data(as_text=True)

    post(client, f"/themes/manage/{theme}/restore", page=f"/themes/manage/{theme}")
    assert "has been restored" in client.get(f"/themes/manage/{theme}").get_data(as_text=True)
    assert theme_row(app, theme)[3] is False
    with app.app_context():
        reasons = dict(db.session.execute(select(AuditEntry.action, AuditEntry.reason)
                                          .where(AuditEntry.target_type == "theme")).all())
    assert reasons == {"theme.archived": "Nobody uses it", "theme.restored": None}


def test_archive_with_a_reason_too_long_changes_nothing(app, client, manager, signed_in, make_theme):
    theme = make_theme("Housing")
    signed_in(manager)
    response = post(client, f"/themes/manage/{theme}/archive", {"reason": "because " * 60},
                    page=f"/themes/manage/{theme}/archive")
    assert response.status_code == 400 and title(response).startswith("Error: Archive Housing")
    page = response.get_data(as_text=True)
    assert "Enter a reason of 400 characters or fewer" in page and "because because" in page
    assert theme_row(app, theme)[3] is False and audit_actions(app) == []


def test_restoring_an_active_theme_says_so(app, client, manager, signed_in, make_theme):
    theme = make_theme("Housing")
    signed_in(manager)
    post(client, f"/themes/manage/{theme}/restore", page=f"/themes/manage/{theme}")
    assert "is not archived" in client.get(f"/themes/manage/{theme}").get_data(as_text=True)
    assert audit_actions(app) == []


# Merge -----------------------------------------------------------------------------------------


def test_merge_asks_first_then_moves_every_post(app, client, manager, signed_in, make_theme, make_post):
    source, target = make_theme("Debt"), make_theme("Money")
    make_theme("Archived", archived=True)
    first, both = make_post(themes=[source]), make_post(themes=[source, target])
    signed_in(manager)
    confirm = client.get(f"/themes/manage/{source}/merge")
    page = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and title(confirm) == "Merge Debt into another theme – Adviser forum"
    assert "the 2 posts tagged “Debt”" in page and "cannot be undone" in page
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    assert options == ["Choose a theme", "Money"]  # not itself, not archived ones
    assert tags(app) == {(first, source), (both, source), (both, target)}  # GET changed nothing

    response = post(client, f"/themes/manage/{source}/merge", {"target_id": str(target), "reason": "Same"},
                    page=f"/themes/manage/{source}/merge")
    assert response.status_code == 302 and response.headers["Location"] == "/themes/manage"
    manage = client.get("/themes/manage").get_data(as_text=True)
    assert "“Debt” has been merged into “Money”: 2 posts moved" in manage
    assert "Merged into “Money”" in manage
    assert tags(app) == {(first, target), (both, target)}
    assert theme_row(app, source)[3:] == (True, target)
    assert audit_actions(app) == ["theme.merged"]
    # Once merged, the page says so and offers no form.
    merged = client.get(f"/themes/manage/{source}/merge").get_data(as_text=True)
    assert "has already been merged into “Money”" in merged and "Merge themes" not in merged


@pytest.mark.parametrize("choice, message", [
    ("", "Choose the theme to merge into"),
    ("self", "Choose a different theme: a theme cannot be merged into itself"),
    ("archived", "“Old” is archived: choose an active theme, or restore that one first"),
    ("999999", "Choose a theme from the list"),
    ("nonsense", "Choose a theme from the list"),
])
def test_bad_merge_changes_nothing(app, client, manager, signed_in, make_theme, make_post, choice, message):
    source, archived = make_theme("Debt"), make_theme("Old", archived=True)
    make_theme("Money")
    post_id = make_post(themes=[source])
    signed_in(manager)
    target = {"self": str(source), "archived": str(archived)}.get(choice, choice)
    response = post(client, f"/themes/manage/{source}/merge", {"target_id": target, "reason": "Typed reason"},
                    page=f"/themes/manage/{source}/merge")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and title(response).startswith("Error: Merge Debt")
    assert message in page and "Typed reason" in page
    assert tags(app) == {(post_id, source)}
    assert theme_row(app, source)[3:] == (False, None) and theme_row(app, archived)[3:] == (True, None)
    assert audit_actions(app) == []


def test_merge_with_nothing_to_merge_into_says_what_to_do(client, manager, signed_in, make_theme):
    theme = make_theme("Lonely")
    signed_in(manager)
    page = client.get(f"/themes/manage/{theme}/merge").get_data(as_text=True)
    assert "There is no other active theme" in page and "Create a theme" in page


# Access ----------------------------------------------------------------------------------------

MANAGE_ACTIONS = [
    ("get", "/themes/manage", None),
    ("post", "/themes/manage", {"name": "Brand new", "description": ""}),
    ("get", "/themes/manage/{theme}", None),
    ("post", "/themes/manage/{theme}", {"name": "Renamed", "description": ""}),
    ("get", "/themes/manage/{theme}/archive", None),
    ("post", "/themes/manage/{theme}/archive", {}),
    ("post", "/themes/manage/{archived}/restore", {}),
    ("get", "/themes/manage/{theme}/merge", None),
    ("post", "/themes/manage/{theme}/merge", {"target_id": "{other}"}),
]


@pytest.mark.parametrize("role, allowed", [("adviser", False), ("manager", True), ("admin", True)])
@pytest.mark.parametrize("action", MANAGE_ACTIONS, ids=lambda action: f"{action[0]} {action[1]}")
def test_only_managers_and_admins_manage_themes(app, client, make_user, make_team, signed_in, make_theme,
                                                role, allowed, action):
    ids = {"theme": make_theme("Housing"), "other": make_theme("Shelter"),
           "archived": make_theme("Old", archived=True)}
    before = [theme_row(app, theme_id) for theme_id in ids.values()]
    signed_in(make_user(role, team_id=make_team()))
    method, path, data = action
    url = path.format(**ids)
    if method == "get":
        response = client.get(url)
    else:
        response = post(client, url, {key: value.format(**ids) for key, value in data.items()})
    if allowed:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == 403
        assert [theme_row(app, theme_id) for theme_id in ids.values()] == before
        # Nothing was done to a theme; the refusal itself is recorded (SECURITY item 28).
        assert theme_count(app) == 3 and set(audit_actions(app)) <= {"access.refused"}


@pytest.mark.parametrize("path", ["/themes", "/themes/manage", "/themes/manage/1", "/themes/manage/1/archive",
                                  "/themes/manage/1/merge"])
def test_guests_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_guests_cannot_post_either(app, client, make_theme):
    theme = make_theme("Housing")
    response = post(client, f"/themes/manage/{theme}/archive")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    assert theme_row(app, theme)[3] is False


@pytest.mark.parametrize("method, path", [
    ("get", "/themes/manage/{theme}/restore"),
    ("post", "/themes"),
    ("delete", "/themes/manage/{theme}"),
    ("put", "/themes/manage/{theme}/merge"),
])
def test_wrong_methods_are_refused(client, manager, signed_in, make_theme, method, path):
    theme = make_theme("Housing", archived=True)
    signed_in(manager)
    response = getattr(client, method)(path.format(theme=theme))
    assert response.status_code == 405


@pytest.mark.parametrize("method, path", [
    ("get", "/themes/manage/999999"),
    ("post", "/themes/manage/999999"),
    ("get", "/themes/manage/999999/archive"),
    ("post", "/themes/manage/999999/archive"),
    ("post", "/themes/manage/999999/restore"),
    ("get", "/themes/manage/999999/merge"),
    ("post", "/themes/manage/999999/merge"),
])
def test_unknown_themes_are_not_found(client, manager, signed_in, method, path):
    signed_in(manager)
    response = client.get(path) if method == "get" else post(client, path, {"name": "Anything"})
    assert response.status_code == 404


def test_a_post_without_a_csrf_token_is_refused(app, client, manager, signed_in, make_theme):
    theme = make_theme("Housing")
    signed_in(manager)
    assert client.post(f"/themes/manage/{theme}/archive", data={}).status_code == 400
    assert client.post("/themes/manage", data={"name": "Sneaky"}).status_code == 400
    assert theme_row(app, theme)[3] is False and theme_count(app) == 1
