"""Every page, as each kind of person sees it: nothing wider than a 320 px screen, no
accessibility violation at 390 px (axe), and no error in the browser's console at 320 px (a
script error, a refused inline script or style, a file that failed to load). One URL per page (endpoint) per role: a guest, an
adviser, a circle's facilitator, a line manager and an admin (for the admin's own pages).

With FORUM_SCREENSHOTS=1 (never in CI) it also saves a screenshot of each page at 1280 and
390 px into `screenshots/` (git-ignored), for people to look at.

A new page fails `test_every_page_is_visited` until it is added to a role's list below (or to
NOT_PAGES, with the reason it is not a page)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from forum.accounts import services as accounts
from forum.accounts.models import Role, User
from forum.cases.models import Decision, PrivacyFinding
from forum.extensions import db
from forum.learning.models import Goal, GoalTheme, Reflection, Share
from forum.meetings.models import Attendance, MeetingStatus, Presence
from forum.moderation import services as moderation
from forum.timeutil import utcnow
from tests.browser.helpers import sign_in

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

#: Endpoints that answer with something other than a page a person reads.
NOT_PAGES = {
    "static": "files",
    "web.health": "a health check for the load balancer",
    "meetings.feed": "a calendar feed (text/calendar)",
    "meetings.meeting_ics": "a calendar file",
    "moderation.audit_csv": "a CSV download",
    "insights.section_csv": "a CSV download (tests/insights)",
    "running.state": "JSON for the live meeting's polling",
    "accounts.mention_suggestions": "JSON for the @mention autocomplete (tests/browser/test_names_and_dates_journey.py)",
    "notifications.unsubscribe": "a one-click unsubscribe link with a signed token (its page is tested in notifications)",
    "security.change_email": "asks for a fresh confirmation first (security.confirm_identity is visited)",
    "security.replace_recovery_codes": "asks for a fresh confirmation first",
    "security.turn_off_two_factor": "asks for a fresh confirmation first",
    "security.sign_in_code": "the second step of signing in, seen by every manager's sign-in here",
    "accounts.confirm_logout": "visited as a guest would reach it, after signing out",
    "learning.download_pdf": "a PDF download (its contents are tested in tests/learning)",
    "learning.download_csv": "a CSV download",
}


def _overflow(page) -> str | None:
    """What sticks out past the right edge of the viewport, or None."""
    return page.evaluate("""() => {
        const root = document.documentElement;
        if (root.scrollWidth <= root.clientWidth) return null;
        const wide = [...document.querySelectorAll('body *')].filter(
            el => el.getBoundingClientRect().right > root.clientWidth + 0.5);
        const names = wide.slice(-3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
        return `scrollWidth ${root.scrollWidth} > ${root.clientWidth}: ` + names.join(', ');
    }""")


@pytest.fixture
def world(app, make_user, make_team, make_theme, make_post, make_reply, make_circle, make_meeting):
    """A small organisation with something on every page, built with the test kit."""
    team = make_team("Northgate Employment Support")
    adviser = make_user(name="Alex.Adviser", team_id=team)
    facilitator = make_user(name="Frankie.Facilitator", team_id=team)
    other = make_user(name="Bailey.Adviser", team_id=team)
    manager = make_user(Role.MANAGER, name="Morgan.Manager", team_id=team)
    admin = make_user(Role.ADMIN, name="Ada.Admin")
    housing = make_theme("Housing", "Rent, arrears and moving home.")
    make_theme("Debt and money")
    own = make_post("Client worried about losing benefits when starting work", author=adviser, themes=[housing],
                    situation="A client is about to start a part-time job.", ask="What did you say about the taper?")
    theirs = make_post("A long title that keeps going: supporting a client back to work after a long illness",
                       author=other, themes=[housing], situation="Six months off work.", ask="Where to start?")
    anonymous = make_post("Someone asked about a sanction", author=other, anonymous=True, situation="A sanction.")
    own_reply = make_reply(theirs, "We used a better-off calculation together.", author=adviser)
    their_reply = make_reply(own, "Try the benefit calculator with them.", author=other)
    circle = make_circle("Tuesday case circle", facilitator=facilitator, members=[adviser, other])
    meeting = make_meeting(circle, utcnow() + timedelta(days=2))
    past = make_meeting(circle, utcnow() - timedelta(days=5), status=MeetingStatus.FINISHED)
    earlier = make_meeting(circle, utcnow() - timedelta(days=12), status=MeetingStatus.FINISHED)
    with app.app_context():
        # The adviser came (so the summary asks the pulse); Bailey missed both (drifting, for the facilitator).
        for meeting_id in (past, earlier):
            db.session.add(Attendance(meeting_id=meeting_id, user_id=adviser.id, status=Presence.PRESENT))
            db.session.add(Attendance(meeting_id=meeting_id, user_id=other.id, status=Presence.ABSENT))
        def user(person):
            return db.session.get(User, person.id)
        flag = moderation.flag(user(adviser), "post", anonymous, "inaccurate", "The dates do not add up")
        db.session.flush()
        item = moderation.open_item_for(moderation.load_target("post", anonymous))
        db.session.add(PrivacyFinding(target_type="post", target_id=theirs, field="situation", kind="place",
                                      severity="warn", start=0, end=3, reason="A place", fingerprint="f" * 64,
                                      decision=Decision.CLEARED, decided_at=utcnow(), clear_reason="not_real"))
        _, invite_token = accounts.invite(user(manager), accounts.InvitationInput("new.adviser@example.org",
                                                                                    Role.ADVISER, team))
        _, reset_token = accounts.request_password_reset(other.email)
        finding = db.session.scalar(db.select(PrivacyFinding.id).where(PrivacyFinding.target_id == theirs))
        # The adviser's learning record: present at the past meeting (above), a reflection on it, a goal, a share.
        reflection = Reflection(author_id=adviser.id, meeting_id=past, took="Silence gives people room to think.",
                                will_try="Counting to five before I speak.")
        shared = Share(owner_id=adviser.id, manager_id=manager.id, period_start=utcnow().date().replace(month=1, day=1),
                       period_end=utcnow().date().replace(month=12, day=31), sections="totals,goals",
                       content='{"name": "Alex.Adviser", "period": "this year", "sections": ["totals", "goals"], '
                               '"totals": [["Circle meetings attended", "1"]], "goals": [{"text": "Listen more", '
                               '"themes": ["Housing"], "activity": "1 post and 0 replies in these themes", "done": ""}]}')
        db.session.add_all([reflection, shared, Goal(owner_id=adviser.id, text="Listen more", themes=[GoalTheme(theme_id=housing)])])
        db.session.commit()
        flag, item, reflection, shared = flag.id, item.id, reflection.id, shared.id
    return {
        "guest": (None, ["/login", "/reset", f"/reset/{reset_token}", f"/invite/{invite_token}", "/logout"]),
        "adviser": (adviser, [
            "/", "/posts", f"/posts/{theirs}", f"/posts/{own}/edit", f"/posts/{own}/history", f"/posts/{own}/delete",
            f"/replies/{own_reply}/edit", f"/replies/{own_reply}/delete", f"/replies/{own_reply}/history",
            f"/posts/{theirs}/flag", "/write/case", "/bookmarks", "/themes", "/themes/housing", "/search",
            "/search?q=client", "/circles", f"/circles/{circle}", f"/circles/{circle}/leave",
            f"/meetings/{meeting}", f"/meetings/{past}/summary", "/notifications", "/following", "/account",
            "/account/calendar", "/account/confirm", "/account/export", "/account/erase", "/account/notifications",
            "/account/two-factor", f"/posts/{own}/outcomes/new", "/notes-from-facilitators", "/account/help", "/welcome/stories",
            "/learning", f"/learning/reflections/new?post={theirs}", f"/learning/reflections/{reflection}",
            f"/learning/reflections/{reflection}/delete", "/learning/goals/new", "/learning/share",
        ]),
        "facilitator": (facilitator, [
            "/", f"/circles/{circle}", f"/circles/{circle}/edit", f"/circles/{circle}/archive",
            f"/circles/{circle}/meetings/new", f"/circles/{circle}/protocol", f"/circles/{circle}/schedule",
            f"/meetings/{meeting}", f"/meetings/{meeting}/move", f"/meetings/{meeting}/cancel",
            f"/meetings/{meeting}/run", f"/meetings/{meeting}/start", f"/meetings/{meeting}/end", "/circles/new", f"/replies/{their_reply}/flag",
            "/privacy-review", f"/circles/{circle}/members/{other.id}/note", f"/meetings/{past}/summary",
        ]),
        "manager": (manager, [
            "/", "/manage", "/moderation/queue", f"/moderation/items/{item}", "/moderation/audit",
            "/moderation/people", f"/moderation/people/{adviser.id}", f"/moderation/flaggers/{adviser.id}", "/invitations", "/privacy-review",
            f"/privacy-review/{finding}/redact", f"/posts/{anonymous}/reveal-author", "/themes/manage",
            f"/themes/manage/{housing}", f"/themes/manage/{housing}/archive", f"/themes/manage/{housing}/merge",
            "/insights", "/insights?period=3&theme=housing",
            "/learning/shared", f"/learning/shared/{shared}",
        ]),
        "admin": (admin, [
            "/manage", "/people", f"/people/{adviser.id}", f"/people/{adviser.id}/deactivate",
            f"/people/{adviser.id}/two-factor/reset", f"/people/{adviser.id}/erase", "/moderation/settings",
            "/admin/retention", "/admin/mail", "/manage/pulse-support",
        ]),
    }


def _endpoint(app, path: str) -> str:
    adapter = app.url_map.bind("localhost")
    return adapter.match(path.split("?")[0], method="GET")[0]


def test_every_page_is_visited(app, world):
    visited = {_endpoint(app, path) for _, paths in world.values() for path in paths}
    pages = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert pages - visited - set(NOT_PAGES) == set()


def test_every_page_fits_a_phone(app, world, browser, live_server):
    axe = Axe()
    screenshots = os.environ.get("FORUM_SCREENSHOTS") == "1"
    problems = []
    started = time.monotonic()
    for role, (person, paths) in world.items():
        context = browser.new_context(viewport={"width": 320, "height": 800})
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: message.type == "error" and console.append(message.text))
        page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))
        if person is not None:
            sign_in(page, live_server, person)
        for path in paths:
            page.set_viewport_size({"width": 320, "height": 800})
            console.clear()
            response = page.goto(live_server.url + path)
            if response.status >= 400:
                problems.append(f"{role} {path}: {response.status}")
                continue
            page.wait_for_load_state("load")
            if overflow := _overflow(page):
                problems.append(f"{role} {path} at 320 px: {overflow}")
            if console:
                problems.append(f"{role} {path}: console errors: " + " | ".join(console))
            page.set_viewport_size({"width": 390, "height": 844})
            results = axe.run(page)
            if results.violations_count:
                problems.append(f"{role} {path} at 390 px:\n{results.generate_report()}")
            if screenshots:
                name = f"{role}{path.replace('/', '_').replace('?', '_') or '_'}"
                SCREENSHOTS.mkdir(exist_ok=True)
                page.screenshot(path=SCREENSHOTS / f"{name}-390.png", full_page=True)
                page.set_viewport_size({"width": 1280, "height": 800})
                page.screenshot(path=SCREENSHOTS / f"{name}-1280.png", full_page=True)
        context.close()
    print(f"every page: {sum(len(paths) for _, paths in world.values())} pages in {time.monotonic() - started:.1f} s")
    assert not problems, "\n".join(problems)


def test_the_header_fits_a_phone_and_opens_its_menu(page, live_server, make_user, make_team):
    manager = make_user(Role.MANAGER, name="Morgan.Manager", team_id=make_team())
    page.set_viewport_size({"width": 390, "height": 844})
    failures, console_errors = [], []
    page.on("response", lambda response: response.status >= 400 and failures.append(response.url))
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    sign_in(page, live_server, manager)
    page.wait_for_load_state("networkidle")
    assert failures == [] and console_errors == []  # the favicon and the manifest are there
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 120, header
    main_nav = page.get_by_role("navigation", name="Main")
    assert not main_nav.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert main_nav.get_by_role("link", name="Manage").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    if os.environ.get("FORUM_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "menu-open-390.png")
    page.get_by_role("link", name="Search", exact=True).click()
    assert page.get_by_role("heading", name="Search", level=1).is_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    # Waits for the wide layout: on a busy machine the resize may not have applied yet.
    expect(main_nav.get_by_role("link", name="Posts")).to_be_visible()
    expect(page.get_by_role("search", name="Site")).to_be_visible()
