"""Template filters and globals shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request, url_for
from flask_login import current_user
from markupsafe import Markup

from forum import timeutil

NAVIGATION = "forum_navigation"
MANAGEMENT = "forum_management"


def _person_zone() -> str:
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return timeutil.DEFAULT_ZONE


#: Where a request keeps its person's date formatter (its environ lives as long as the request).
_LIST_DATES = "forum.list_dates"


def list_dates() -> Callable:
    """`list_date` for this request: the person's zone looked up once per request, not per date."""
    if not has_request_context():
        return _list_date_in(timeutil.ListDates(_person_zone()))
    found = request.environ.get(_LIST_DATES)
    if found is None:
        found = request.environ[_LIST_DATES] = _list_date_in(timeutil.ListDates(_person_zone()))
    return found


def _list_date_in(dates: timeutil.ListDates) -> Callable:
    def list_date(moment) -> Markup:
        if moment is None:
            return Markup("")
        iso, full, short = dates(moment)
        # Nothing to escape: digits, English day and month names, and the zone's label,
        # escaped once by ListDates.
        return Markup(f'<time datetime="{iso}" title="{full}">{short}</time>')
    return list_date


def add_navigation(app: Flask, name: str, answer: Callable) -> None:
    """Let the navigation offer `nav.<name>`: `answer(person)` decides, in the module that owns
    it (its policy or a count), so no root module needs to know the domains."""
    app.extensions.setdefault(NAVIGATION, {})[name] = answer


@dataclass(frozen=True)
class ManagementPage:
    """One page under "Manage": where it is, what it is for, who may use it (`answer(person)`,
    from the owning module's policy), and optionally how many things wait there."""

    endpoint: str
    title: str
    description: str
    answer: Callable
    count: Callable | None = None
    #: The endpoints (or blueprint prefixes ending in ".") that count as this page for the navigation.
    section: tuple[str, ...] = ()


def add_management_page(app: Flask, endpoint: str, title: str, description: str, answer: Callable,
                        count: Callable | None = None, section: tuple[str, ...] = ()) -> None:
    """List a management page under the navigation's one "Manage" entry (and on its page)."""
    app.extensions.setdefault(MANAGEMENT, []).append(
        ManagementPage(endpoint, title, description, answer, count, (endpoint, *section)))


def management_pages(person) -> list[ManagementPage]:
    """The management pages this person may use, in the order the modules registered them."""
    return [page for page in current_app.extensions.get(MANAGEMENT, []) if page.answer(person)]


def in_management(endpoint: str | None) -> bool:
    """Whether a page belongs under "Manage" (so the navigation marks that entry as current)."""
    if not endpoint:
        return False
    return endpoint == "pages.manage" or any(
        endpoint == known or (known.endswith(".") and endpoint.startswith(known))
        for page in current_app.extensions.get(MANAGEMENT, []) for known in page.section)


class Navigation:
    """Each answer is worked out only when a page's navigation asks (emails never do), once."""

    def __init__(self, answers: dict[str, Callable]):
        self._answers = answers
        self._known: dict[str, object] = {}

    def __getattr__(self, name: str):
        if name not in self._answers:
            raise AttributeError(name)
        if name not in self._known:
            self._known[name] = self._answers[name](current_user)
        return self._known[name]


def field_attributes(field, css_class: str, **extra) -> dict:
    """HTML attributes tying a field to its hint and error, for screen readers."""
    described = [f"{field.id}-hint"] if field.description else []
    if field.errors:
        described.append(f"{field.id}-error")
    attributes = {key: value for key, value in extra.items() if value is not None}
    attributes["class_"] = css_class + (f" {css_class}--error" if field.errors else "")
    if described:
        attributes["aria-describedby"] = " ".join(described)
    if field.errors:
        attributes["aria-invalid"] = "true"
    return attributes


def list_date(moment) -> Markup:
    """A date in a list: '4 Dec' (or '4 Dec 2025'), the full date and time in its title and
    `<time datetime>`."""
    return list_dates()(moment)


def page_url(**key) -> str:
    """This list's address with a new page key, keeping its filters."""
    args = {name: values for name, values in request.args.lists() if name not in ("older", "newer", "after")}
    return url_for(request.endpoint, **(request.view_args or {}), **args, **key)


def register(app: Flask) -> None:
    app.jinja_env.globals["field_attributes"] = field_attributes
    app.jinja_env.globals["page_url"] = page_url
    app.jinja_env.globals["in_management"] = in_management
    app.jinja_env.globals["list_date"] = list_date
    add_navigation(app, "manage", lambda person: bool(management_pages(person)))
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.template_filter("datetime")
    def datetime_filter(moment):
        return timeutil.format_datetime(moment, _person_zone())

    @app.template_filter("date")
    def date_filter(moment):
        return timeutil.format_date(moment, _person_zone())

    @app.template_filter("ago")
    def ago_filter(moment):
        return timeutil.time_ago(moment)

    @app.template_filter("iso")
    def iso_filter(moment):
        return timeutil.as_utc(moment).isoformat() if moment else ""

    @app.context_processor
    def navigation():
        """What the navigation may offer: decided by each module's policy, not the template."""
        if not getattr(current_user, "is_authenticated", False):
            return {"nav": {}}
        return {"nav": Navigation(app.extensions.get(NAVIGATION, {}))}
