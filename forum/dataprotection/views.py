"""Export my data, erase an account (own, or someone's as an admin), and the retention setting."""

from __future__ import annotations

from flask import Blueprint, Response, abort, make_response, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from forum.accounts import policy as accounts_policy
from forum.accounts import two_factor
from forum.accounts import services as accounts
from forum.dataprotection import erasure, export, policy, retention
from forum.dataprotection.forms import ErasureForm, ExportForm, RetentionForm
from forum.errors import NotFound
from forum.forms import form_status, submitted
from forum.ratelimits import per_person
from forum.web import manager, member

bp = Blueprint("dataprotection", __name__)


# Export my data -------------------------------------------------------------------------------


@bp.route("/account/export", methods=["GET"])
@member
@login_required
def export_page():
    return render_template("dataprotection/export.html", form=ExportForm())


@bp.route("/account/export", methods=["POST"])
@member
@login_required
@per_person("EXPORT_LIMIT")
def export_data():
    if not policy.may_export(current_user):
        abort(404)
    form = ExportForm()

    def build() -> dict:
        data = export.build_export(current_user)
        export.record_export(current_user, form.file_format.data)
        return data

    def deliver(data: dict):
        if form.file_format.data == "html":
            return render_template("dataprotection/export_data.html", data=data, titles=export.titles())
        return Response(export.as_json(data), mimetype="application/json", headers={
            "Content-Disposition": 'attachment; filename="adviser-forum-my-data.json"'})

    if response := submitted(form, build, None, deliver):
        return response
    return render_template("dataprotection/export.html", form=form), 400


# Erase my account -----------------------------------------------------------------------------


@bp.route("/account/erase", methods=["GET", "POST"])
@member
@login_required
def erase_own_account():
    form = ErasureForm()

    def erased(_):
        logout_user()
        session.clear()
        # Shown here rather than after a redirect: deny by default keeps guests off every
        # other page, and this one is for the person who is no longer signed in.
        response = make_response(render_template("dataprotection/erased.html"))
        response.headers["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response

    if response := submitted(form, lambda: erasure.erase_self(current_user._get_current_object(), form.password.data,
                                                              form.code.data or ""), None, erased):
        return response
    return render_template("dataprotection/erase_own.html", form=form,
                           needs_code=two_factor.is_enabled(current_user)), form_status(form)


@bp.route("/people/<int:user_id>/erase", methods=["GET", "POST"])
@manager
@login_required
def erase_person(user_id: int):
    if not accounts_policy.may_manage_people(current_user) or not policy.may_erase_others(current_user):
        abort(403)
    try:
        person = accounts.get_user(user_id)
    except NotFound:
        abort(404)
    refusal = policy.erasure_refusal(current_user, person)
    form = ErasureForm()
    if refusal is None and (response := submitted(
            form, lambda: erasure.erase_other(current_user, person, form.password.data, form.code.data or ""),
            "The account has been erased. Their posts and replies now show “Former member”.", url_for("accounts.people"))):
        return response
    status = 403 if refusal and form.is_submitted() else form_status(form)
    return render_template("dataprotection/erase_person.html", person=person, form=form, refusal=refusal,
                           needs_code=two_factor.is_enabled(current_user)), status


# Retention ------------------------------------------------------------------------------------


def _require_admin() -> None:
    if not policy.may_erase_others(current_user):
        abort(403)


@bp.route("/admin/retention", methods=["GET", "POST"])
@manager
@login_required
def retention_setting():
    _require_admin()
    setting = retention.current_setting()
    form = RetentionForm(data={"enabled": setting.enabled, "months": str(setting.months)})
    if response := submitted(form, lambda: retention.change_setting(current_user, form.enabled.data, int(form.months.data)),
                             "The retention setting has been saved.", url_for("dataprotection.retention_setting")):
        return response
    preview = retention.apply(dry_run=True) if setting.enabled else None
    return render_template("dataprotection/retention.html", form=form, setting=setting, preview=preview), form_status(form)
