"""The pages the benchmark measures, and plain HTTP requests to find and check them."""

from __future__ import annotations

import html
import http.client
import re
from dataclasses import dataclass
from urllib.parse import quote_plus, urlsplit

from bench.loader import Built
from bench.sessions import USER_AGENT

#: Page 1,000 of the latest list is reached by following this many "older" links.
DEEP_PAGE = 1000
OLDER_LINK = re.compile(r'href="([^"]*[?&]older=[^"]+)"')


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    path: str
    group: str  # list, poll, post, search, similar, report, write: which target applies
    method: str = "GET"
    expected: int = 200
    #: Who asks: "adviser" (8 advisers) or "manager" (line managers with two-factor on).
    who: str = "adviser"


@dataclass
class Answer:
    status: int
    headers: dict
    body: str

    @property
    def statements(self) -> int | None:
        value = self.headers.get("x-statements")
        return int(value) if value is not None else None


#: A probe may wait behind requests a load test left queued in the server (slow searches).
PROBE_TIMEOUT = 900


def request(base: str, path: str, cookie: str, method: str = "GET", body: str = "") -> Answer:
    """One request, redirects not followed (a POST's 302 is its answer)."""
    where = urlsplit(base)
    connection = http.client.HTTPConnection(where.hostname, where.port, timeout=PROBE_TIMEOUT)
    headers = {"Cookie": cookie, "User-Agent": USER_AGENT}
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body.encode() if body else None, headers=headers)
    response = connection.getresponse()
    answer = Answer(response.status, {name.lower(): value for name, value in response.getheaders()},
                    response.read().decode("utf-8", "replace"))
    connection.close()
    return answer


def wait_until_idle(base: str) -> None:
    """Sync workers finish every request wrk left queued, even after wrk has gone: wait for them,
    so one page's backlog is not measured as the next page's latency."""
    request(base, "/healthz", "")


def follow_older(base: str, cookie: str, pages: int = DEEP_PAGE) -> tuple[str, int]:
    """The address of page `pages` of the latest list (or the last page, if fewer), by its links."""
    path, reached = "/posts", 1
    while reached < pages:
        answer = request(base, path, cookie)
        if answer.status != 200:
            raise RuntimeError(f"{path} answered {answer.status} while following the pages")
        found = OLDER_LINK.search(answer.body)
        if found is None:
            break
        path, reached = html.unescape(found.group(1)), reached + 1
    return path, reached


def reply_form(csrf_token: str, text: str) -> str:
    return f"csrf_token={quote_plus(csrf_token)}&body={quote_plus(text)}"


def similar_form(csrf_token: str, title: str) -> str:
    """The editor's side panel asks with the draft's title (issue 21), by POST with the token."""
    return f"csrf_token={quote_plus(csrf_token)}&title={quote_plus(title)}"


def similar_title(built: Built) -> str:
    """A draft title of the common word and the rare phrase: the common word matches most documents."""
    return f"{built.common_word} {built.rare_phrase}"


def all_pages(built: Built, deep_path: str, deep_reached: int) -> list[Page]:
    first, second = built.theme_slugs[0], built.theme_slugs[1]
    return [
        Page("latest", "Latest list, page 1", "/posts", "list"),
        Page("latest_deep", f"Latest list, page {deep_reached:,} (by 'older' links)", deep_path, "list"),
        Page("theme", "A theme page", f"/themes/{first}", "list"),
        Page("two_themes", "Two-theme filter", f"/posts?theme={first}&theme={second}", "list"),
        Page("post", f"Post with {built.scale['big_thread_replies']}+ replies", f"/posts/{built.big_thread_post_id}", "post"),
        Page("search_common", "Search: a common word", f"/search?q={quote_plus(built.common_word)}", "search"),
        Page("search_rare", "Search: a rare phrase", f"/search?q={quote_plus(chr(34) + built.rare_phrase + chr(34))}", "search"),
        Page("search_theme", "Search: two words in a theme",
             f"/search?q={quote_plus(built.common_word + ' ' + built.second_word)}&theme={first}", "search"),
        Page("home", "Home (with the next meeting)", "/", "list"),
        Page("bookmarks", "Your bookmarks", "/bookmarks", "list"),
        Page("notifications", "Your notifications", "/notifications", "list"),
        Page("circle", "A circle's page", f"/circles/{built.circle_id}", "list"),
        Page("meeting", "A circle's meeting page", f"/meetings/{built.meeting_id}", "list"),
        Page("run_state", "Run page state poll", f"/meetings/{built.meeting_id}/state", "poll"),
        Page("learning", "Your learning record (this year)", "/learning", "report"),
        Page("similar", "Similar cases while writing (POST)", "/similar", "similar", method="POST"),
        Page("reply", "Write: reply to a post (8 writers)", f"/posts/{built.write_post_id}/replies", "write",
             method="POST", expected=302),
        Page("insights", "Insights, last 12 months (managers)", "/insights?period=12", "report", who="manager"),
    ]


PAGE_KEYS = ("latest", "latest_deep", "theme", "two_themes", "post", "search_common", "search_rare", "search_theme",
             "home", "bookmarks", "notifications", "circle", "meeting",
             "run_state", "learning", "similar", "reply", "insights")
