"""Journey, by keyboard only: a case with a street name, a postcode district and a name typed in
lower case. After a preview each finding is shown at its field; the district is replaced in
place (no reload, and the title's unsaved change stays), the street kept with a reason, the
name edited; then the case is published. Without JavaScript, "Replace" comes back to the field.
"""

from __future__ import annotations

import os
import re

from playwright.sync_api import expect

from tests.browser.helpers import sign_in

SITUATION = "A father of two lives on Mill Lane and wants warehouse work near home."
TRIED = "I met with tomasz twice about his CV and shift patterns."
ASK = "He has just moved to BD3: which employers there offer school-hours shifts?"


def tab_to(page, locator, presses: int = 80) -> None:
    """Press Tab until `locator` has the focus: it must be reachable by keyboard, in order."""
    handle = locator.element_handle()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            return
    raise AssertionError(f"{locator} is not reachable with Tab")


def type_into(page, locator, text: str) -> None:
    tab_to(page, locator)
    page.keyboard.type(text)


def screenshot(page, name: str) -> None:
    if os.environ.get("FORUM_SCREENSHOTS"):
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=f"/tmp/privacy-at-fields-{name}-{width}.png", full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})


def write_case(page, live_server) -> None:
    page.goto(live_server.url + "/write/case")
    type_into(page, page.get_by_label("Title"), "Nights at the depot")
    type_into(page, page.get_by_label("The situation"), SITUATION)
    type_into(page, page.get_by_label("What I have tried"), TRIED)
    type_into(page, page.get_by_label("What I would like help with"), ASK)
    tab_to(page, page.get_by_label("Housing"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Preview"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()


def test_findings_at_their_fields_by_keyboard(page, live_server, adviser, make_theme, check_accessibility):
    check = check_accessibility
    make_theme("Housing")
    sign_in(page, live_server, adviser)
    write_case(page, live_server)

    # Each finding at its field: a box above the field, the words marked in a copy of the text.
    summary = page.locator("#privacy-check")
    for field, words, label in (("situation", "Mill Lane", "possible street name"),
                                ("tried", "tomasz", "possible name"),
                                ("ask", "BD3", "possible postcode district")):
        box = page.locator(f"[data-privacy-box={field}]")
        expect(box.locator("mark", has_text=words)).to_be_visible()
        expect(box).to_contain_text(label.capitalize())
        expect(summary.locator(f"a[href='#privacy-{field}']")).to_contain_text(label)
        above = box.evaluate("(box, name) => !!(box.compareDocumentPosition(document.getElementsByName(name)[0])"
                             " & Node.DOCUMENT_POSITION_FOLLOWING)", field)
        assert above, f"the box of {field} is not above its field"
    check(page)
    page.set_viewport_size({"width": 390, "height": 900})
    check(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "findings")

    # The summary's link leads to the field's box.
    tab_to(page, summary.get_by_role("link", name="In “What I would like help with”"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#privacy-ask$"))

    # A change to the title that is not saved yet, then the district replaced in place.
    page.evaluate("window.notReloaded = true")
    title = page.get_by_label("Title")
    tab_to(page, title)
    page.keyboard.press("End")
    page.keyboard.type(" for a father of two")
    tab_to(page, page.get_by_role("button", name="Replace with “the local area”"))
    page.keyboard.press("Enter")
    ask = page.get_by_label("What I would like help with", exact=True)
    expect(ask).to_have_value("He has just moved to the local area: which employers there offer school-hours shifts?")
    expect(page.locator("[data-privacy-box=ask]")).to_have_count(0)
    expect(page.locator("#privacy-check a[href='#privacy-ask']")).to_have_count(0)
    expect(title).to_have_value("Nights at the depot for a father of two")
    assert page.evaluate("window.notReloaded === true"), "the page reloaded"
    check(page)

    # The street kept, with a reason.
    reason = page.get_by_label("Or keep it, because (possible street name, 1 in “The situation”)")
    tab_to(page, page.get_by_role("button", name="Keep it (possible street name, 1 in “The situation”)"))
    page.keyboard.press("Enter")  # no reason yet: said beside the choice
    expect(page.locator("[data-privacy-box=situation] .field-error")).to_contain_text("Choose why this is not a personal detail")
    expect(reason).to_be_focused()
    page.keyboard.press("ArrowDown")  # "Fictional or changed name"
    expect(reason).to_have_value("fictional")
    tab_to(page, page.get_by_role("button", name="Keep it (possible street name, 1 in “The situation”)"))
    page.keyboard.press("Enter")
    expect(page.locator("[data-privacy-box=situation]")).to_contain_text("Kept: fictional or changed name")
    assert page.evaluate("window.notReloaded === true"), "the page reloaded"
    check(page)
    screenshot(page, "after-keep")

    # The name edited: "Edit the text" selects the words in the field.
    tab_to(page, page.get_by_role("link", name="Edit the text (possible name, 1 in “What I have tried”)"))
    page.keyboard.press("Enter")
    tried = page.get_by_label("What I have tried", exact=True)
    expect(tried).to_be_focused()
    assert page.evaluate("() => { const f = document.activeElement; return f.value.slice(f.selectionStart, f.selectionEnd); }") == "tomasz"
    page.keyboard.type("him")
    expect(tried).to_have_value("I met with him twice about his CV and shift patterns.")

    tab_to(page, page.get_by_role("button", name="Publish case"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your case is published")
    expect(page.get_by_role("heading", level=1)).to_have_text("Nights at the depot for a father of two")
    expect(page.locator("article")).to_contain_text("lives on Mill Lane")  # kept, with its reason
    expect(page.locator("article")).to_contain_text("moved to the local area")
    expect(page.locator("article")).not_to_contain_text("tomasz")
    check(page)


def test_without_javascript_replace_comes_back_to_the_field(browser, live_server, adviser, make_theme):
    # (No axe here: it runs inside the page, which needs JavaScript; the journey above checks the same page.)
    make_theme("Housing")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, adviser)
    page.goto(live_server.url + "/write/case")
    page.get_by_label("Title").fill("Nights at the depot")
    page.get_by_label("The situation").fill(SITUATION)
    page.get_by_label("What I have tried").fill(TRIED)
    page.get_by_label("What I would like help with").fill(ASK)
    page.get_by_label("Housing").check()
    page.get_by_role("button", name="Preview").click()
    page.get_by_label("Title").fill("Nights at the depot, changed")
    page.get_by_role("button", name="Replace with “the local area”").click()
    expect(page).to_have_url(re.compile(r"#privacy-ask$"))
    expect(page.get_by_label("What I would like help with", exact=True)).to_have_value(
        "He has just moved to the local area: which employers there offer school-hours shifts?")
    expect(page.get_by_label("Title")).to_have_value("Nights at the depot, changed")
    expect(page.locator("[data-privacy-box=situation] mark", has_text="Mill Lane")).to_be_visible()
    # Keeping the street: choose a reason and "Keep it", back at the field too.
    page.get_by_label("Or keep it, because (possible street name, 1 in “The situation”)").select_option("fictional")
    page.get_by_role("button", name="Keep it (possible street name, 1 in “The situation”)").click()
    expect(page).to_have_url(re.compile(r"#privacy-situation$"))
    expect(page.locator("[data-privacy-box=situation]")).to_contain_text("Kept: fictional or changed name")
    context.close()


def test_a_reply_s_finding_is_replaced_in_place(page, live_server, adviser, make_post, check_accessibility):
    post_id = make_post(title="Interview nerves")
    sign_in(page, live_server, adviser)
    page.goto(f"{live_server.url}/posts/{post_id}")
    page.get_by_label("Your reply").fill("I met with tomasz about this last week: mock interviews helped.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Finish your reply")
    box = page.locator("[data-privacy-box=body]")
    expect(box.locator("mark", has_text="tomasz")).to_be_visible()
    check_accessibility(page)
    page.evaluate("window.notReloaded = true")
    box.get_by_role("button", name="Replace with “Participant A”").click()
    expect(page.get_by_label("Your reply", exact=True)).to_have_value(
        "I met with Participant A about this last week: mock interviews helped.")
    expect(box).to_have_count(0)
    assert page.evaluate("window.notReloaded === true"), "the page reloaded"
    check_accessibility(page)
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_role("status")).to_contain_text("Your reply is posted")
