"""What other modules' pages show of this one, through template globals (so `cases`,
`accounts` and `pages` import nothing of it): similar posts beside the editor's preview and
under a case, and the offer to help on the account page and a profile."""

from __future__ import annotations

from flask import Flask
from flask_login import current_user

from forum.knowledge import services, similar


def similar_to_draft(form, post=None):
    """The preview's list (without JavaScript): the draft's title, first part and themes."""
    situation = form["situation"].data if "situation" in form else ""
    return similar.similar(current_user, form.title.data or "", form.theme_ids.data or [], situation or "",
                           exclude_post_id=post.id if post is not None and post.id else None)


def register(app: Flask) -> None:
    app.jinja_env.globals.update(
        similar_cases=lambda post: similar.similar_to_post(current_user, post),
        similar_to_draft=similar_to_draft,
        helper_offer=lambda owner_id: services.profile_offer(current_user, owner_id),
        own_helper_offer=lambda: services.offer_of(current_user.id),
    )
