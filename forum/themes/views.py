"""Theme pages and their management by managers and admins.

The page of one theme with its posts (/themes/<slug>) belongs to the cases module, which
knows who may see which post; here we only link to it.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user, login_required

from forum.errors import Invalid, NotFound
from forum.forms import form_status, submitted
from forum.themes import policy, services
from forum.themes.forms import ArchiveForm, MergeForm, ThemeForm
from forum.themes.models import Theme
from forum.web import manager, member

bp = Blueprint("themes", __name__)


def theme_path(theme: Theme) -> str:
    """The address of a theme's page, served by the cases module."""
    return f"/themes/{theme.slug}"


@bp.app_template_filter("theme_path")
def _theme_path_filter(theme: Theme) -> str:
    return theme_path(theme)


@bp.route("/themes")
@member
@login_required
def index():
    return render_template(
        "themes/index.html",
        themes=services.active_themes(),
        may_manage=policy.may_manage_themes(current_user),
    )


# Management (line managers and admins) ------------------------------------------------


def _require_manager() -> None:
    if not policy.may_manage_themes(current_user):
        abort(403)


def _managed_theme(theme_id: int) -> Theme:
    _require_manager()
    try:
        return services.get(theme_id)
    except NotFound:
        abort(404)


@bp.route("/themes/manage", methods=["GET", "POST"])
@manager
@login_required
def manage():
    _require_manager()
    form = ThemeForm()
    if response := submitted(form, lambda: services.create(current_user, form.name.data, form.description.data),
                             lambda theme: f"The theme “{theme.name}” has been created. Advisers can tag posts with it now.",
                             url_for("themes.manage")):
        return response
    themes = services.all_themes()
    return render_template(
        "themes/manage.html", form=form, themes=themes, names={theme.id: theme.name for theme in themes}
    ), form_status(form)


@bp.route("/themes/manage/<int:theme_id>", methods=["GET", "POST"])
@manager
@login_required
def edit(theme_id: int):
    theme = _managed_theme(theme_id)
    form = ThemeForm(obj=theme) if request.method == "GET" else ThemeForm()
    if response := submitted(form, lambda: services.update(current_user, theme, form.name.data, form.description.data),
                             lambda _: f"The theme “{theme.name}” has been saved.",
                             url_for("themes.edit", theme_id=theme.id)):
        return response
    merged_into = services.get(theme.merged_into_id) if theme.merged_into_id else None
    return render_template(
        "themes/edit.html", theme=theme, form=form, merged_into=merged_into
    ), form_status(form)


@bp.route("/themes/manage/<int:theme_id>/archive", methods=["GET", "POST"])
@manager
@login_required
def archive(theme_id: int):
    theme = _managed_theme(theme_id)
    form = ArchiveForm()
    if response := submitted(form, lambda: services.archive(current_user, theme, form.reason.data),
                             f"The theme “{theme.name}” has been archived. Advisers can no longer tag posts with it.",
                             back=url_for("themes.edit", theme_id=theme.id), back_status=302):
        return response
    return render_template("themes/archive.html", theme=theme, form=form), form_status(form)


@bp.route("/themes/manage/<int:theme_id>/restore", methods=["POST"])
@manager
@login_required
def restore(theme_id: int):
    theme = _managed_theme(theme_id)
    return submitted(None, lambda: services.restore(current_user, theme),
                     f"The theme “{theme.name}” has been restored. Advisers can tag posts with it again.",
                     back=url_for("themes.edit", theme_id=theme.id), back_status=302)


def _merge_form(source: Theme, **kwargs) -> MergeForm:
    form = MergeForm(**kwargs)
    form.target_id.choices = [("", "Choose a theme")] + [
        (str(theme_id), name) for theme_id, name in services.choices() if theme_id != source.id
    ]
    return form


@bp.route("/themes/manage/<int:theme_id>/merge", methods=["GET", "POST"])
@manager
@login_required
def merge(theme_id: int):
    source = _managed_theme(theme_id)
    form = _merge_form(source)

    def merge_into():
        try:
            target = services.get(form.target_id.data)
        except NotFound:
            raise Invalid("Choose a theme from the list", field="target_id") from None
        return target, services.merge(current_user, source, target, form.reason.data)

    if response := submitted(form, merge_into, lambda done: f"“{source.name}” has been merged into “{done[0].name}”: "
                                                            f"{_posts(done[1])} moved.", url_for("themes.manage")):
        return response
    merged_into = services.get(source.merged_into_id) if source.merged_into_id else None
    return render_template(
        "themes/merge.html",
        theme=source,
        form=form,
        merged_into=merged_into,
        tagged=services.tagged_post_count(source),
        has_targets=len(form.target_id.choices) > 1,
    ), form_status(form)


def _posts(count: int) -> str:
    return "1 post" if count == 1 else f"{count:,} posts"
