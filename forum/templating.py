"""Template filters and globals shared by every page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, has_request_context, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from forum import timeutil

NAVIGATION = "forum_navigation"
MANAGEMENT = "forum_management"


def _person_zone() -> str:
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return timeutil.DEFAULT_ZONE


#: Where a request keeps its person's dates (its environ lives as long as the request).
_DATES = "forum.person_dates"
#: An id no address holds otherwise: `link_pattern` makes one address with it, then splits it.
_PLACEHOLDER = 918273645


def person_dates() -> timeutil.ListDates:
    """Dates in the signed-in person's zone, the zone looked up once per request, not per date."""
    if not has_request_context():
        return timeutil.ListDates(_person_zone())
    found = request.environ.get(_DATES)
    if found is None:
        found = request.environ[_DATES] = timeutil.ListDates(_person_zone())
    return found


def link_pattern(endpoint: str, key: str, **values) -> Callable[[int], str]:
    """`url_for(endpoint, key=id, **values)` for the many ids of a list, with one url_for."""
    before, after = url_for(endpoint, **values, **{key: _PLACEHOLDER}).split(str(_PLACEHOLDER))
    return lambda value: f"{before}{value}{after}"


def list_dates() -> Callable:
    """`list_date` in this request's zone."""
    dates = person_dates()

    def list_date(moment) -> Markup:
        if moment is None:
            return Markup("")
        iso, full, short = dates(moment)
        # Only the full form can hold a character to escape (the zone's name): digits and
        # English month names otherwise.
        return Markup(f'<time datetime="{iso}" title="{escape(full)}">{short}</time>')
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
    app.jinja_env.globals["list_dates"] = list_dates
    add_navigation(app, "manage", lambda person: bool(management_pages(person)))
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.template_filter("datetime")
    def datetime_filter(moment):
        return person_dates().full(moment)

    @app.template_filter("date")
    def date_filter(moment):
        return timeutil.format_date(moment, person_dates().zone_name)

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
