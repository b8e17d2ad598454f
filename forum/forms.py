"""Helpers shared by every module's views for WTForms, and `submitted`: the one way a view
makes a change from a form or a button (validate, call the service, answer its refusal,
commit, say so, go on)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, flash, redirect
from flask_wtf import FlaskForm

from forum.errors import DomainError, Forbidden, Held, Invalid, NotFound
from forum.extensions import db


def add_error(form: FlaskForm, error: DomainError) -> None:
    """Show a service's error (and any others it carries) beside its field, or at the top of the form."""
    for each in [error, *getattr(error, "also", [])]:
        field = _field(form, each)
        if field is not None:
            field.errors = [*field.errors, each.message]
        else:
            form.form_errors.append(each.message)


def _field(form: FlaskForm | None, error: DomainError):
    return getattr(form, error.field, None) if form is not None and error.field else None


def form_status(form: FlaskForm) -> int:
    """The status of a page that shows a form: 400 when it comes back with errors."""
    return 400 if form.errors else 200


def submitted(form: FlaskForm | None, call: Callable[[], Any], success: str | Callable[[Any], str | None] | None = None,
              then: str | Callable[[Any], Any] | None = None, *, back: str | None = None, back_status: int = 303,
              held: Callable[[Held], Any] | None = None, category: str = "success"):
    """Make one change from a form (or from a bare button: `form=None`, refusals go to `back`);
    the response once there is one, else None: then the view shows its page again, with
    `form_status(form)`.

    - The form is validated first: invalid (or not sent), None.
    - `call()` runs the service. Forbidden answers 403, NotFound 404 (the services decide).
    - Invalid: nothing is saved; the message goes beside its field or at the top of the form
      (None); with `back`, one that names no field of the form is flashed instead and the
      answer sends the person back there (303, or `back_status`: 302 where a page always
      answered so).
    - Held (the privacy guard's NeedsPrivacyReview): what it kept is committed (a draft and
      its findings), the message goes on the form, and the answer is `held(error)` (or None).
    - Otherwise commit, flash `success` (a text, or a function of the call's result; None:
      no message) and go to `then`: a URL, or a function of the result that gives the
      response (a page or a redirect); by default `back`. An email the change causes is
      written (`forum.mail.send`) inside `call`, so that it commits with the change. `category`
      "here" shows the message beside what was changed instead of in a banner at the top.
    """
    if form is not None and not form.validate_on_submit():
        return None
    try:
        result = call()
    except Forbidden:
        abort(403)
    except NotFound:
        abort(404)
    except Held as error:
        db.session.commit()
        if form is not None:
            add_error(form, error)
        return held(error) if held is not None else None
    except Invalid as error:
        db.session.rollback()
        if back is not None and _field(form, error) is None:
            flash(error.message, "error")
            return redirect(back, back_status)
        if form is None:
            raise  # a bare button without `back` has no page to show its refusal on
        add_error(form, error)
        return None
    db.session.commit()
    message = success(result) if callable(success) else success
    if message:
        flash(message, category)
    return then(result) if callable(then) else redirect(then or back)
