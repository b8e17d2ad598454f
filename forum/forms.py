"""Helpers shared by every module's views for WTForms."""

from __future__ import annotations

from flask import abort, flash
from flask_wtf import FlaskForm

from forum.errors import DomainError, Forbidden, Invalid, NotFound
from forum.extensions import db


def add_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's error beside its field, or at the top of the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def submitted(form: FlaskForm, call, success) -> bool:
    """Validate the form, run the service call, commit and say so: True once done (then the
    view redirects). A refusal's message goes beside its field and nothing is saved;
    Forbidden answers 403 and NotFound 404 (the services decide which)."""
    if not form.validate_on_submit():
        return False
    try:
        call()
    except Forbidden:
        abort(403)
    except NotFound:
        abort(404)
    except Invalid as error:
        db.session.rollback()
        add_error(form, error)
        return False
    db.session.commit()
    flash(success() if callable(success) else success, "success")
    return True
