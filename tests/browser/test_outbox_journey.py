"""Journey: an email that could not be delivered for 48 hours; the admin follows "Mail not
delivered" in the navigation, reads the error and retries it; the worker then delivers it
to a real SMTP server. Every page passes axe, at 1280 and 390 px."""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from forum import mail
from forum.accounts.models import Role
from forum.extensions import db
from forum.outbox import services
from forum.timeutil import utcnow
from tests.browser.helpers import sign_in
from tests.mailserver import SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def app_config(smtp):
    return smtp.config()


@pytest.mark.parametrize("width", [1280, 390])
def test_an_admin_retries_mail_that_could_not_be_delivered(page, live_server, make_user, smtp, check_accessibility, width):
    app = live_server.app
    page.set_viewport_size({"width": width, "height": 900})
    admin = make_user(Role.ADMIN, name="Ada.Admin", email="ada@example.org")
    with app.test_request_context(method="POST"):
        mail.send("sam.someone@example.org", "You are invited to the adviser forum", "Text", "<p>Html</p>", kind="invitation")
        db.session.commit()
    smtp.stop()
    with app.app_context():
        services.deliver_due(now=utcnow() + timedelta(hours=49))
    smtp.start()

    sign_in(page, live_server, admin)
    manage = page.get_by_role("link", name=re.compile("^Manage"))
    if width < 800:  # on a phone the navigation is behind the Menu button (decided by width, not by a race)
        page.locator("summary.site-menu__toggle").click()
    manage.click()
    page.get_by_role("link", name=re.compile("Mail not delivered")).click()
    expect(page).to_have_title("Mail that could not be delivered – Adviser forum")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mail that could not be delivered")
    expect(page.get_by_role("cell", name="sam.someone@example.org", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("ConnectionRefusedError"))).to_be_visible()
    if os.environ.get("FORUM_SCREENSHOTS"):
        page.screenshot(path=f"/tmp/outbox-undelivered-{width}.png", full_page=True)
    check_accessibility(page)

    page.get_by_role("button", name=re.compile("Retry")).click()
    expect(page.get_by_role("status")).to_contain_text("The email will be sent again")
    expect(page.get_by_text("Every email has been delivered or is still being tried")).to_be_visible()
    expect(page.get_by_text("1 email waiting to be sent.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Mail not delivered"))).to_have_count(0)
    check_accessibility(page)

    with app.app_context():
        assert services.deliver_due().sent == 1
    assert [message["To"] for message in smtp.messages] == ["sam.someone@example.org"]
