"""The admins' page "Mail that could not be delivered", with a Retry button per email."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_login import current_user

from forum.errors import Forbidden
from forum.forms import submitted
from forum.outbox import services
from forum.outbox.forms import RetryForm
from forum.web import manager

bp = Blueprint("outbox", __name__, url_prefix="/admin/mail")


@bp.route("")
@manager
def undelivered():
    try:
        rows = services.undelivered(current_user)
    except Forbidden:
        abort(403)
    return render_template("outbox/undelivered.html", rows=rows, waiting=services.waiting_count())


@bp.route("/<int:mail_id>/retry", methods=["POST"])
@manager
def retry(mail_id: int):
    back = url_for("outbox.undelivered")
    return submitted(RetryForm(), lambda: services.retry(current_user, mail_id),
                     "The email will be sent again. If it fails for 48 hours more, it comes back here.",
                     back, back=back) or abort(400)
