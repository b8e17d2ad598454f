"""Writing, reading and discussing cases and stories."""

from __future__ import annotations

from flask import Blueprint, abort, flash, get_template_attribute, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import exists, select

from forum.accounts import guards
from forum.accounts.forms import ConfirmForm
from forum.accounts.models import User
from forum.cases import cards, display, guard, policy, redaction, services
from forum.circles import services as circle_services
from forum.cases.forms import CaseForm, FindingForm, RedactForm, ReplyForm, RevealForm, StoryForm
from forum.cases.models import Bookmark, OutcomeType, Post, PostKind, Status, post_themes
from forum.errors import Forbidden, NotFound
from forum.extensions import db
from forum.forms import form_status, submitted
from forum.ratelimits import per_person
from forum.themes import services as themes
from forum.themes.models import Theme
from forum.web import manager, member

bp = Blueprint("cases", __name__)

FORMS = {PostKind.CASE: CaseForm, PostKind.STORY: StoryForm}
NOUN = {PostKind.CASE: "case", PostKind.STORY: "story"}


def _post_or_404(post_id: int) -> Post:
    try:
        return services.get_visible_post(current_user, post_id)
    except NotFound:
        abort(404)


def _own_editable_post(post_id: int) -> Post:
    post = _post_or_404(post_id)
    if not policy.may_edit(current_user, post):
        abort(403)
    return post


# Writing -----------------------------------------------------------------------------------


def _form_for(kind: PostKind, post: Post | None = None):
    form_class = FORMS[kind]
    if post is not None and request.method == "GET":
        data = {name: getattr(post, f"{name}_md") for name in services.PARTS[kind]}
        data.update(title=post.title, theme_ids=[theme.id for theme in post.themes],
                    audience=f"circle-{post.circle_id}" if post.circle_id else "forum",
                    show_author="name" if post.show_author else "anonymous",
                    outcome_types=[kind.value for kind in post.outcome_types])
        form = form_class(data=data)
    else:
        circle = request.args.get("circle", type=int)
        form = form_class(audience=f"circle-{circle}") if request.method == "GET" and circle else form_class()
    form.theme_ids.choices = themes.choices()
    form.audience.choices = [("forum", "Everyone in the forum")] + [
        (f"circle-{circle.id}", f"Only members of {circle.name}") for circle in circle_services.circles_of(current_user)]
    return form


def _circle_choice(value: str | None) -> int | None:
    """"circle-7" -> 7; anything else is the whole forum (membership is checked by the service)."""
    if value and value.startswith("circle-") and value[7:].isdigit():
        return int(value[7:])
    return None


def _input(kind: PostKind, form) -> services.PostInput:
    outcomes = getattr(form, "outcome_types", None)
    return services.PostInput(
        kind=kind,
        title=form.title.data or "",
        parts={name: getattr(form, name).data or "" for name in services.PARTS[kind]},
        theme_ids=list(form.theme_ids.data or []),
        show_author=form.show_author.data != "anonymous",
        outcome_types=tuple(OutcomeType(value) for value in (outcomes.data if outcomes is not None else None) or []
                            if value in set(OutcomeType)),
        circle_id=_circle_choice(form.audience.data),
    )


FIELD_LABELS = {"title": "Title", "body": "Your reply"}


def _labels(form) -> dict[str, str]:
    return {**FIELD_LABELS, **{field.name: field.label.text for field in form}}


def _editor(kind: PostKind, form, post: Post | None = None, preview: dict | None = None,
            findings: list | None = None, status: int = 200):
    if findings is None and post is not None and post.id:
        findings = guard.live_findings("post", post.id)
    fields = {"title": form.title.data or "", **{name: form[name].data or "" for name in services.PARTS[kind]}}
    return render_template("cases/editor.html", form=form, kind=kind, noun=NOUN[kind], post=post,
                           parts=services.PARTS[kind], preview=preview, findings=findings or [],
                           fields=fields, labels=_labels(form)), status


def _refill(form, data: services.PostInput) -> None:
    """Show the author the text as the server changed it (a placeholder put in)."""
    form.title.data = data.title
    for name, text in data.parts.items():
        form[name].data = text


def _submit(kind: PostKind, post: Post | None, action: str):
    """Save (as a draft, for a preview, or to publish) and answer with the right page."""
    form = _form_for(kind, post)
    placeholder = request.form.get("use_placeholder", type=int)
    previewing = action == "preview" or placeholder is not None

    def save():
        data, choices = _input(kind, form), guard.choices_from(request.form)
        if placeholder is not None:
            data = services.with_placeholder(current_user, data, post, placeholder)
            _refill(form, data)
        if previewing:
            return data, *services.check(current_user, data, post, choices)
        return services.save(current_user, data, post, publish=action == "publish", choices=choices)

    def answer(done):
        if previewing:
            data, checked, findings = done
            return _editor(kind, form, checked, preview=services.rendered_parts(data), findings=findings)
        return redirect(url_for("cases.edit" if done.status == Status.DRAFT else "cases.show", post_id=done.id))

    # Held: the draft and its findings are kept (a published post stays as it was), and shown.
    if response := submitted(form, save, None if previewing else lambda saved: _saved(kind, saved, action), answer,
                             held=lambda review: _editor(kind, form, review.target, findings=review.findings, status=400)):
        return response
    return _editor(kind, form, post, status=400)


def _saved(kind: PostKind, post: Post, action: str) -> str:
    if post.status == Status.PENDING and not post.edited_at:
        return f"Your {NOUN[kind]} is waiting for a manager's approval: it will be published once approved."
    if post.status != Status.DRAFT:
        return f"Your {NOUN[kind]} is published." if action == "publish" and not post.edited_at else "Your changes are saved."
    return "Your draft is saved. You can come back to it from your home page."


def _kind(kind: str) -> PostKind:
    try:
        return PostKind(kind)
    except ValueError:
        abort(404)


@bp.route("/write/<kind>")
@member
def new(kind: str):
    post_kind = _kind(kind)
    return _editor(post_kind, _form_for(post_kind))


@bp.route("/write/<kind>/<any(draft, preview, publish):action>", methods=["POST"])
@member
@per_person("POST_LIMIT")
def create(kind: str, action: str):
    return _submit(_kind(kind), None, action)


@bp.route("/posts/<int:post_id>/edit")
@member
def edit(post_id: int):
    post = _own_editable_post(post_id)
    return _editor(post.kind, _form_for(post.kind, post), post)


@bp.route("/posts/<int:post_id>/<any(draft, preview, publish):action>", methods=["POST"])
@member
@per_person("POST_LIMIT")
def update(post_id: int, action: str):
    post = _own_editable_post(post_id)
    return _submit(post.kind, post, action)


# One finding acted on in place (forum.js); without JavaScript the forms above do it --------------


@bp.route("/findings/<int:finding_id>/replace", methods=["POST"])
@member
def replace_finding(finding_id: int):
    form = FindingForm()
    return _in_place(form, lambda: services.replace_finding(current_user, finding_id, form.text.data or ""))


@bp.route("/findings/<int:finding_id>/keep", methods=["POST"])
@member
def keep_finding(finding_id: int):
    form = FindingForm()
    return _in_place(form, lambda: services.keep_finding(current_user, finding_id, form.text.data or "",
                                                         form.reason.data or "", form.note.data or "", form.ack.data))


def _in_place(form, act):
    """Answer with the field as it is now, its box of findings and the page's summary; or the refusal."""
    if response := submitted(form, act, None, _checked):
        return response
    messages = form.form_errors + [message for field in form for message in field.errors]
    return jsonify(error=messages[0] if messages else "Something was missing. Please try again."), 400


def _checked(done: services.CheckedField):
    target = done.target
    if done.target_type == "reply":
        fields, labels, fix_url, keep_url = ["body"], FIELD_LABELS, url_for("cases.edit_reply", reply_id=target.id), None
    else:
        fields, labels = ["title", *services.PARTS[target.kind]], _part_labels(target.kind)
        fix_url = keep_url = url_for("cases.update", post_id=target.id, action="preview")
    others = [row for row in guard.live_findings(done.target_type, target.id, fields) if row.field != done.field]
    box = get_template_attribute("cases/_privacy.html", "box")
    summary = get_template_attribute("cases/_privacy.html", "summary")
    return jsonify(
        field=done.field, text=done.text, open=len(guard.unresolved(done.findings)),
        box=str(box(done.field, done.text, done.findings, labels.get(done.field, done.field), fix_url, keep_url)),
        summary=str(summary(others + done.findings, fields, labels)),
    )


@bp.route("/posts/<int:post_id>/delete", methods=["GET", "POST"])
@member
def delete(post_id: int):
    post = _post_or_404(post_id)
    if not policy.may_delete(current_user, post):
        guards.refuse(403)
    form = ConfirmForm()
    if response := submitted(form, lambda: services.delete_post(current_user, post), f"The {NOUN[post.kind]} has been deleted.",
                             url_for("pages.home")):
        return response
    return render_template("cases/delete.html", post=post, form=form, noun=NOUN[post.kind])


# Reading -----------------------------------------------------------------------------------


def _show(post: Post, reply_form=None, status: int = 200):
    # The person, not the proxy: a page of 100 replies asks about them hundreds of times.
    viewer = current_user._get_current_object()
    replies_page = services.replies_page(viewer, post, request.args.get("older"), request.args.get("newer"),
                                         request.args.get("reply", type=int))
    replies = replies_page.items
    unpublished = services.own_unpublished_replies(viewer, post)
    return render_template(
        "cases/post.html",
        post=post,
        noun=NOUN[post.kind],
        replies=replies,
        replies_page=replies_page,
        helpful=services.marked_helpful(viewer, post, replies),
        may_mark_helpful=_helpful_allowed(viewer, post, replies),
        bookmarked=services.is_bookmarked(viewer, post),
        reply_form=reply_form or ReplyForm(),
        labels=FIELD_LABELS,
        held_replies=[reply for reply in unpublished if reply.status == Status.DRAFT],
        hidden_replies=[reply for reply in unpublished if reply.status == Status.HIDDEN],
        post_redacted=post.author_id == viewer.id and bool(redaction.redacted_targets("post", [post.id])),
        redacted_replies=redaction.redacted_targets("reply", [reply.id for reply in replies if reply.author_id == viewer.id]),
        may_edit=policy.may_edit(viewer, post),
        may_delete=policy.may_delete(viewer, post),
        may_reply=policy.may_reply(viewer, post),
        may_see_history=policy.may_see_history(viewer, post.author_id),
        may_reveal=policy.may_reveal_author(viewer) and not post.show_author and post.author_id != viewer.id,
        own_replies={reply.id for reply in replies if policy.may_edit_reply(viewer, reply)},
        reply_histories=policy.with_visible_history(viewer, replies),
        shown_replies=display.shown_replies(replies, request.args.get("reply")),
        what_helped=services.what_helped(viewer, post),
        may_choose_what_helped=policy.may_mark_what_helped(viewer, post),
    ), status


def _helpful_allowed(viewer: User, post: Post, replies) -> set[tuple[str, int]]:
    """Which of these items the person may mark helpful (policy decides, the page shows)."""
    items = [("post", post)] + [("reply", reply) for reply in replies]
    return {(kind, item.id) for kind, item in items if policy.may_mark_helpful(viewer, item.author_id)}


@bp.route("/posts/<int:post_id>")
@member
def show(post_id: int):
    return _show(_post_or_404(post_id))


@bp.route("/posts/<int:post_id>/replies", methods=["POST"])
@member
@per_person("REPLY_LIMIT")
def add_reply(post_id: int):
    post = _post_or_404(post_id)
    form = ReplyForm()

    def check_first(review):
        # The reply waits, as a draft only its author sees.
        flash("Your reply is not posted yet: check the possible personal details marked in it.", "error")
        return redirect(url_for("cases.edit_reply", reply_id=review.target.id, _anchor="privacy-check"))

    if response := submitted(form, lambda: services.reply(current_user, post, form.body.data or "",
                                                          show_author=not form.anonymous.data,
                                                          choices=guard.choices_from(request.form)),
                             "Your reply is posted.", url_for("cases.show", post_id=post.id, _anchor="replies"),
                             held=check_first):
        return response
    return _show(post, reply_form=form, status=400)


@bp.route("/posts/<int:post_id>/helpful", methods=["POST"])
@member
def mark_post_helpful(post_id: int):
    post = _post_or_404(post_id)
    return _toggle_helpful("post", post, post.id)


@bp.route("/replies/<int:reply_id>/helpful", methods=["POST"])
@member
def mark_reply_helpful(reply_id: int):
    try:
        reply = services.get_visible_reply(current_user, reply_id)
    except NotFound:
        abort(404)
    return _toggle_helpful("reply", reply, reply.post_id)


def _toggle_helpful(target_type: str, target, post_id: int):
    toggle = services.unmark_helpful if request.form.get("undo") else services.mark_helpful
    anchor = f"reply-{target.id}" if target_type == "reply" else "helpful"
    done = "No longer marked as helpful." if request.form.get("undo") else "Marked as helpful."
    return submitted(None, lambda: toggle(current_user, target_type, target), done, category="here",
                     back=url_for("cases.show", post_id=post_id, reply=target.id if target_type == "reply" else None,
                                  _anchor=anchor), back_status=302)


@bp.route("/posts/<int:post_id>/what-helped", methods=["POST"])
@member
def mark_what_helped(post_id: int):
    """Mark a reply as "what helped" (`reply_id`), or remove the mark (`remove`)."""
    post = _post_or_404(post_id)
    removing = bool(request.form.get("remove"))
    reply_id = None if removing else request.form.get("reply_id", type=int)
    if not removing and reply_id is None:
        flash("Choose a reply to this case", "error")
        return redirect(url_for("cases.show", post_id=post.id, _anchor="replies"))
    return submitted(None, lambda: services.mark_what_helped(current_user, post, reply_id),
                     "The mark “What helped” is removed." if removing else "Marked as what helped: it is shown first under the case.",
                     back=url_for("cases.show", post_id=post.id, _anchor="what-helped" if not removing else "replies"),
                     back_status=302)


@bp.route("/posts/<int:post_id>/bookmark", methods=["POST"])
@member
def toggle_bookmark(post_id: int):
    post = _post_or_404(post_id)
    undo = request.form.get("undo")
    return submitted(None, lambda: (services.unbookmark if undo else services.bookmark)(current_user, post),
                     "Removed from your bookmarks." if undo else "Added to your bookmarks.",
                     back=url_for("cases.show", post_id=post.id))


# Lists -------------------------------------------------------------------------------------

VIEWS = {
    "latest": "Latest activity",
    "cases": "Cases",
    "stories": "Success stories",
    "unanswered": "Unanswered cases",
    "resolved": "Resolved cases",
}


def _listing(query):
    return cards.page(query, request.args.get("older"), request.args.get("newer"))


def _tagged(theme_id: int):
    """A correlated EXISTS: checked per candidate row while walking the newest posts, where
    `IN (SELECT ...)` builds every post of the theme first (42,500 at the benchmark's scale)."""
    return exists().where(post_themes.c.post_id == Post.id, post_themes.c.theme_id == theme_id)


def _filtered(view: str):
    query = cards.cards_query().where(policy.visible_post_clause(current_user))
    if view == "cases":
        query = query.where(Post.kind == PostKind.CASE)
    elif view == "stories":
        # A resolved case is a story too: challenges turned into learning.
        query = query.where((Post.kind == PostKind.STORY) | Post.resolved_at.is_not(None))
    elif view == "unanswered":
        query = query.where(Post.kind == PostKind.CASE, Post.reply_count == 0)
    elif view == "resolved":
        query = query.where(Post.kind == PostKind.CASE, Post.resolved_at.is_not(None))
    author_id = request.args.get("author", type=int)
    if author_id is not None:
        # Only posts that show their author may be listed under that author's name.
        query = query.where(Post.author_id == author_id)
        if author_id != current_user.id:
            query = query.where(Post.show_author.is_(True))
    slugs = [slug for slug in request.args.getlist("theme") if slug][:5]
    chosen = list(db.session.scalars(select(Theme).where(Theme.slug.in_(slugs), Theme.archived.is_(False)))) if slugs else []
    for theme in chosen:
        query = query.where(_tagged(theme.id))
    return query, chosen


@bp.route("/posts")
@member
def index():
    view = request.args.get("view", "latest")
    if view not in VIEWS:
        view = "latest"
    query, chosen = _filtered(view)
    page = _listing(query)
    author_id = request.args.get("author", type=int)
    author = db.session.get(User, author_id) if author_id else None
    return render_template("cases/list.html", page=page, view=view, views=VIEWS, chosen=chosen,
                           all_themes=themes.active_themes(), author=author)


@bp.route("/themes/<slug>")
@member
def theme(slug: str):
    found = db.session.scalar(select(Theme).where(Theme.slug == slug))
    if found is None:
        abort(404)
    if found.merged_into_id:
        target = db.session.get(Theme, found.merged_into_id)
        return redirect(url_for("cases.theme", slug=target.slug), 301)
    query = cards.cards_query().where(policy.visible_post_clause(current_user), _tagged(found.id))
    return render_template("cases/theme.html", theme=found, page=_listing(query))


@bp.route("/bookmarks")
@member
def bookmarks():
    query = (
        cards.cards_query()
        .join(Bookmark, (Bookmark.post_id == Post.id) & (Bookmark.user_id == current_user.id))
        .where(policy.visible_post_clause(current_user))
    )
    return render_template("cases/bookmarks.html", page=_listing(query))


# Replies: edit, delete; edit history; revealing an author ------------------------------------


def _own_reply(reply_id: int):
    try:
        found = services.get_visible_reply(current_user, reply_id)
    except NotFound:
        abort(404)
    if not policy.may_edit_reply(current_user, found):
        abort(403)
    return found


@bp.route("/replies/<int:reply_id>/edit", methods=["GET", "POST"])
@member
def edit_reply(reply_id: int):
    reply = _own_reply(reply_id)
    form = ReplyForm(body=reply.body_md) if request.method == "GET" else ReplyForm()
    findings = guard.live_findings("reply", reply.id)
    placeholder = request.form.get("use_placeholder", type=int)
    posting = reply.status == Status.DRAFT

    def page(findings, status: int = 200):
        return render_template("cases/edit_reply.html", reply=reply, form=form, findings=findings,
                               fields={"body": form.body.data or ""}, labels=FIELD_LABELS), status

    def save():
        body = form.body.data or ""
        if placeholder is None:
            return services.edit_reply(current_user, reply, body, guard.choices_from(request.form))
        form.body.data = services.reply_with_placeholder(current_user, reply, body, placeholder)
        return guard.live_findings("reply", reply.id)

    if placeholder is None:
        message = "Your reply is posted." if posting else "Your reply has been updated."
        then = url_for("cases.show", post_id=reply.post_id, reply=reply.id, _anchor=f"reply-{reply.id}")
    else:  # a placeholder put in: the text is shown again with its findings
        message, then = None, page
    if response := submitted(form, save, message, then, held=lambda review: page(review.findings, 400)):
        return response
    return page(findings, form_status(form))


@bp.route("/replies/<int:reply_id>/delete", methods=["GET", "POST"])
@member
def delete_reply(reply_id: int):
    reply = _own_reply(reply_id)
    form = ConfirmForm()
    if response := submitted(form, lambda: services.delete_reply(current_user, reply), "Your reply has been deleted.",
                             url_for("cases.show", post_id=reply.post_id, _anchor="replies")):
        return response
    return render_template("cases/delete_reply.html", reply=reply, form=form)


@bp.route("/posts/<int:post_id>/history")
@member
def post_history(post_id: int):
    post = _post_or_404(post_id)
    if not policy.may_see_history(current_user, post.author_id):
        guards.refuse(403)
    return render_template("cases/history.html", item=post, post=post, versions=services.history("post", post),
                           labels=_part_labels(post.kind))


@bp.route("/replies/<int:reply_id>/history")
@member
def reply_history(reply_id: int):
    try:
        reply = services.get_visible_reply(current_user, reply_id)
    except NotFound:
        abort(404)
    if not policy.may_see_history(current_user, reply.author_id):
        guards.refuse(403)
    return render_template("cases/history.html", item=reply, post=reply.post, versions=services.history("reply", reply),
                           labels={"body": "Reply"})


def _part_labels(kind: PostKind) -> dict[str, str]:
    form = FORMS[kind](meta={"csrf": False})
    return {"title": "Title", **{name: form[name].label.text for name in services.PARTS[kind]}}


@bp.route("/posts/<int:post_id>/reveal-author", methods=["GET", "POST"])
@manager
def reveal_author(post_id: int):
    post = _post_or_404(post_id)
    if not policy.may_reveal_author(current_user):
        guards.refuse(403)
    form = RevealForm()
    if response := submitted(form, lambda: services.reveal_author(current_user, post, form.reason.data or ""), None,
                             lambda author: render_template("cases/revealed.html", post=post, author=author)):
        return response
    return render_template("cases/reveal.html", post=post, form=form), form_status(form)


# Privacy review and redaction ------------------------------------------------------------------


@bp.route("/privacy-review")
@manager
def privacy_review():
    try:
        page, items = redaction.review_page(current_user, request.args.get("older"), request.args.get("newer"))
    except Forbidden:
        abort(403)
    return render_template("cases/privacy_review.html", page=page, items=items, labels=FIELD_LABELS)


@bp.route("/privacy-review/<int:finding_id>/redact", methods=["GET", "POST"])
@manager
def redact(finding_id: int):
    try:
        item = redaction.get_item(current_user, finding_id)
    except Forbidden:
        abort(403)
    except NotFound:
        abort(404)
    form = RedactForm(data={"start": item.finding.start, "end": item.finding.end}) if request.method == "GET" else RedactForm()
    if response := submitted(form, lambda: redaction.redact(current_user, item, form.start.data, form.end.data,
                                                            form.reason.data or ""),
                             "That part has been removed from the text, its history and search.",
                             url_for("cases.privacy_review")):
        return response
    return render_template("cases/redact.html", item=item, form=form, labels=FIELD_LABELS), form_status(form)
