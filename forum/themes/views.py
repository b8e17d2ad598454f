"""Theme pages and their management by managers and admins.

The page of one theme with its posts (/themes/<slug>) belongs to the cases module, which
knows who may see which post; here we only link to it.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.errors import Forbidden, Invalid, NotFound
from forum.extensions import db
from forum.forms import add_error
from forum.themes import policy, services
from forum.themes.forms import ArchiveForm, MergeForm, ThemeForm
from forum.themes.models import Theme

bp = Blueprint("themes", __name__)


def theme_path(theme: Theme) -> str:
    """The address of a theme's page, served by the cases module."""
    return f"/themes/{theme.slug}"


@bp.app_template_filter("theme_path")
def _theme_path_filter(theme: Theme) -> str:
    return theme_path(theme)


@bp.route("/themes")
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


def _status_code(form) -> int:
    return 400 if form.errors else 200


@bp.route("/themes/manage", methods=["GET", "POST"])
@login_required
def manage():
    _require_manager()
    form = ThemeForm()
    if form.validate_on_submit():
        try:
            theme = services.create(current_user, form.name.data, form.description.data)
        except Forbidden:
            abort(403)
        except Invalid as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"The theme “{theme.name}” has been created. Advisers can tag posts with it now.", "success")
            return redirect(url_for("themes.manage"))
    themes = services.all_themes()
    return render_template(
        "themes/manage.html", form=form, themes=themes, names={theme.id: theme.name for theme in themes}
    ), _status_code(form)


@bp.route("/themes/manage/<int:theme_id>", methods=["GET", "POST"])
@login_required
def edit(theme_id: int):
    theme = _managed_theme(theme_id)
    form = ThemeForm(obj=theme) if request.method == "GET" else ThemeForm()
    if form.validate_on_submit():
        try:
            services.update(current_user, theme, form.name.data, form.description.data)
        except Forbidden:
            abort(403)
        except Invalid as error:
            db.session.rollback()
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"The theme “{theme.name}” has been saved.", "success")
            return redirect(url_for("themes.edit", theme_id=theme.id))
    merged_into = services.get(theme.merged_into_id) if theme.merged_into_id else None
    return render_template(
        "themes/edit.html", theme=theme, form=form, merged_into=merged_into
    ), _status_code(form)


@bp.route("/themes/manage/<int:theme_id>/archive", methods=["GET", "POST"])
@login_required
def archive(theme_id: int):
    theme = _managed_theme(theme_id)
    form = ArchiveForm()
    if form.validate_on_submit():
        try:
            services.archive(current_user, theme, form.reason.data)
        except Forbidden:
            abort(403)
        except Invalid as error:
            db.session.rollback()
            if error.field is None:
                flash(error.message, "error")
                return redirect(url_for("themes.edit", theme_id=theme.id))
            add_error(form, error)
        else:
            db.session.commit()
            flash(f"The theme “{theme.name}” has been archived. Advisers can no longer tag posts with it.",
                  "success")
            return redirect(url_for("themes.edit", theme_id=theme.id))
    return render_template("themes/archive.html", theme=theme, form=form), _status_code(form)


@bp.route("/themes/manage/<int:theme_id>/restore", methods=["POST"])
@login_required
def restore(theme_id: int):
    theme = _managed_theme(theme_id)
    try:
        services.restore(current_user, theme)
    except Forbidden:
        abort(403)
    except Invalid as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("themes.edit", theme_id=theme.id))
    db.session.commit()
    flash(f"The theme “{theme.name}” has been restored. Advisers can tag posts with it again.", "success")
    return redirect(url_for("themes.edit", theme_id=theme.id))


def _merge_form(source: Theme, **kwargs) -> MergeForm:
    form = MergeForm(**kwargs)
    form.target_id.choices = [("", "Choose a theme")] + [
        (str(theme_id), name) for theme_id, name in services.choices() if theme_id != source.id
    ]
    return form


@bp.route("/themes/manage/<int:theme_id>/merge", methods=["GET", "POST"])
@login_required
def merge(theme_id: int):
    source = _managed_theme(theme_id)
    form = _merge_form(source)
    if form.validate_on_submit():
        try:
            target = services.get(form.target_id.data)
        except NotFound:
            add_error(form, Invalid("Choose a theme from the list", field="target_id"))
        else:
            try:
                moved = services.merge(current_user, source, target, form.reason.data)
            except Forbidden:
                abort(403)
            except Invalid as error:
                db.session.rollback()
                add_error(form, error)
            else:
                db.session.commit()
                flash(f"“{source.name}” has been merged into “{target.name}”: {_posts(moved)} moved.",
                      "success")
                return redirect(url_for("themes.manage"))
    merged_into = services.get(source.merged_into_id) if source.merged_into_id else None
    return render_template(
        "themes/merge.html",
        theme=source,
        form=form,
        merged_into=merged_into,
        tagged=services.tagged_post_count(source),
        has_targets=len(form.target_id.choices) > 1,
    ), _status_code(form)


def _posts(count: int) -> str:
    return "1 post" if count == 1 else f"{count:,} posts"
