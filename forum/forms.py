"""Helpers shared by every module's views for WTForms, and `submitted`: the one way a view
makes a change from a form or a button (validate, call the service, answer its refusal,
commit, say so, go on)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import abort, flash, redirect
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import Field, widgets
from wtforms.utils import unset_value

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


DATE_PARTS = ("day", "month", "year")


class DayMonthYearField(Field):
    """A date people type in three boxes, day, month and year, as the GOV.UK Design System asks
    for it; render it with the `date_input(field, hint=...)` macro in macros.html.

        until = DayMonthYearField("Suspended until", validators=[Optional()])
        start = DayMonthYearField("Date of the first meeting",
                                  validators=[InputRequired("Enter the date of the first meeting")])

    - It reads `<name>-day`, `<name>-month` and `<name>-year` from the form data (a POST's, or
      `request.args` for a GET form), and `field.data` is a `datetime.date`, or None when all
      three are empty. A link may also carry the whole date as `<name>=2026-03-10`.
    - `Optional()` and `InputRequired(message)` work as usual: they look at whether anything
      was typed in any of the three boxes.
    - Part of a date, or a date that does not exist, is an error at the field: "Date must
      include a month", "Enter a real date", "Year must include 4 numbers". `noun` names the
      date in those messages ("Date" by default; for example "The end date").
    - What was typed stays in the boxes (`field.parts`); `field.parts_in_error` names the boxes
      the error is about, so the macro marks those.
    - Set the range rules (not in the future, after the start...) in a validator or the service.
    """

    def __init__(self, label=None, validators=None, noun: str = "Date", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.noun = noun
        self.parts = {part: "" for part in DATE_PARTS}
        self.parts_in_error: set[str] = set()

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        if data is unset_value:
            try:
                data = self.default()
            except TypeError:
                data = self.default
        self.object_data = data
        self.data = data if isinstance(data, date) else None
        if self.data is not None:
            self.parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}
        if formdata is None:
            return
        names = [f"{self.name}-{part}" for part in DATE_PARTS]
        if not any(name in formdata for name in names):
            if self.name in formdata:
                self._whole(formdata.get(self.name, "").strip())
            return  # not sent: the default (or the object's date) stays
        self.parts = {part: (formdata.get(name) or "").strip()[:10] for part, name in zip(DATE_PARTS, names)}
        typed = " ".join(self.parts.values()).strip()
        self.raw_data = [typed]
        self.data = None
        if typed:
            try:
                self.data = self._date()
            except ValueError as error:
                self.process_errors.append(error.args[0])

    def _whole(self, value: str) -> None:
        """A date carried whole, as 2026-03-10 (a link, or an older address)."""
        self.raw_data = [value]
        self.data = None
        if not value:
            return
        try:
            self.data = date.fromisoformat(value)
        except ValueError:
            self.parts_in_error = set(DATE_PARTS)
            self.process_errors.append("Enter a real date")
            return
        self.parts = {"day": str(self.data.day), "month": str(self.data.month), "year": str(self.data.year)}

    def _date(self) -> date:
        missing = [part for part in DATE_PARTS if not self.parts[part]]
        if missing:
            self.parts_in_error = set(missing)
            words = missing[0] if len(missing) == 1 else f"{missing[0]} and {missing[1]}"
            raise ValueError(f"{self.noun} must include a {words}")
        if not all(self.parts[part].isdigit() for part in DATE_PARTS):
            self.parts_in_error = {part for part in DATE_PARTS if not self.parts[part].isdigit()}
            raise ValueError("Enter a real date")
        if len(self.parts["year"]) != 4:
            self.parts_in_error = {"year"}
            raise ValueError("Year must include 4 numbers")
        try:
            return date(int(self.parts["year"]), int(self.parts["month"]), int(self.parts["day"]))
        except ValueError:
            self.parts_in_error = set(DATE_PARTS)
            raise ValueError("Enter a real date") from None

    def _value(self) -> str:
        return self.data.isoformat() if self.data else ""


class LongSelect(widgets.Select):
    """A select of many plain options (the 100 cases a meeting's nomination offers): each option
    written as `widgets.Select` writes it, without its general attribute machinery (sorting
    and formatting every attribute), which cost several milliseconds a page (issue 19)."""

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw or isinstance(choice.value, bool) or choice.value is None:
            return super().render_option(choice, **kwargs)
        selected = "selected " if choice.selected else ""
        return Markup(f'<option {selected}value="{escape(choice.value)}">{escape(choice.label or choice.value)}</option>')
