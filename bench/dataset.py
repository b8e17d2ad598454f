"""What the benchmark forum holds: sizes by scale, and the rows of posts and replies.

Rows are plain dicts in the shape the services would write (see tests/test_bench.py, which
compares a loaded post with one made through the services, row for row).
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bench.corpus import Corpus
from forum.cases.models import OutcomeType, PostKind, Status

TWO_YEARS = timedelta(days=730)


@dataclass(frozen=True)
class Scale:
    posts: int = 100_000
    replies: int = 1_000_000
    users: int = 500
    themes: int = 20
    circles: int = 30
    #: Threads with this many replies or more (the post page with 500 replies).
    big_threads: int = 5
    big_thread_replies: int = 520
    #: The text: bodies in the pool and words in the vocabulary.
    bodies: int = 3000
    vocabulary: int = 24_000

    @property
    def label(self) -> str:
        return f"{self.posts}p-{self.replies}r-{self.users}u"


FULL = Scale()


def scaled(factor: float) -> Scale:
    """Posts and replies grow with the forum; people, themes, circles and the big threads do not."""
    return replace(FULL, posts=max(int(FULL.posts * factor), 50), replies=max(int(FULL.replies * factor), 600))


@dataclass(frozen=True)
class PostSpec:
    """One post as an author would publish it, with its replies."""

    kind: PostKind
    title: str
    parts: dict  # part name -> corpus Body
    author_id: int
    theme_ids: tuple[int, ...]
    published_at: datetime
    show_author: bool = True
    circle_id: int | None = None
    outcome_type: OutcomeType | None = None


@dataclass(frozen=True)
class ReplySpec:
    author_id: int
    body: object  # corpus Body
    created_at: datetime
    show_author: bool = True


PART_NAMES = ("situation", "tried", "ask", "what_worked", "outcome_text", "outcome_update")
# (A story's outcome types are rows of `story_outcomes`, which the benchmark does not fill.)


def post_row(post_id: int, spec: PostSpec, replies: list[ReplySpec]) -> dict:
    """The `posts` row the services would leave after publishing and these replies."""
    row = {"id": post_id, "kind": spec.kind, "title": spec.title.strip(), "author_id": spec.author_id,
           "show_author": spec.show_author, "circle_id": spec.circle_id, "status": Status.PUBLISHED,
           "locked": False,
           "resolved_at": None, "edited_at": None, "helpful_count": 0,
           "created_at": spec.published_at, "published_at": spec.published_at,
           "last_activity_at": max([spec.published_at] + [reply.created_at for reply in replies]),
           "reply_count": len(replies)}
    for name in PART_NAMES:
        body = spec.parts.get(name)
        row[f"{name}_md"] = body.markdown if body else ""
        row[f"{name}_html"] = body.html if body else ""
    return row


def reply_row(reply_id: int, post_id: int, spec: ReplySpec) -> dict:
    return {"id": reply_id, "post_id": post_id, "author_id": spec.author_id, "show_author": spec.show_author,
            "body_md": spec.body.markdown, "body_html": spec.body.html, "status": Status.PUBLISHED,
            "created_at": spec.created_at, "edited_at": None, "helpful_count": 0}


class Generator:
    """Deterministic posts and replies for a scale and seed, over two years up to `now`."""

    def __init__(self, corpus: Corpus, scale: Scale, seed: int, now: datetime, user_ids: list[int],
                 theme_ids: list[int], circle_members: dict[int, list[int]]):
        self.corpus, self.scale, self.now = corpus, scale, now
        self.rng = random.Random(seed * 7919 + 1)
        self.user_ids, self.theme_ids, self.circle_members = user_ids, theme_ids, circle_members
        # Some people write far more than others; some themes are far more common.
        self.author_weights = list(itertools.accumulate(1 / rank for rank in range(1, len(user_ids) + 1)))
        self.theme_weights = list(itertools.accumulate(1 / rank for rank in range(1, len(theme_ids) + 1)))

    def _author(self) -> int:
        return self.rng.choices(self.user_ids, cum_weights=self.author_weights)[0]

    def _themes(self) -> tuple[int, ...]:
        chosen = self.rng.choices(self.theme_ids, cum_weights=self.theme_weights, k=self.rng.choice((1, 1, 2, 2, 3)))
        return tuple(sorted(set(chosen)))

    def post(self, forum_wide: bool = False) -> PostSpec:
        rng, corpus = self.rng, self.corpus
        kind = PostKind.CASE if rng.random() < 0.7 else PostKind.STORY
        circle_id, author = None, self._author()
        if not forum_wide and self.circle_members and rng.random() < 0.03:
            circle_id = rng.choice(sorted(self.circle_members))
            author = rng.choice(self.circle_members[circle_id])
        if kind == PostKind.CASE:
            parts = {"situation": rng.choice(corpus.bodies), "tried": rng.choice(corpus.bodies),
                     "ask": rng.choice(corpus.lines)}
        else:
            parts = {"situation": rng.choice(corpus.bodies), "what_worked": rng.choice(corpus.bodies),
                     "outcome_text": rng.choice(corpus.lines)}
        return PostSpec(kind=kind, title=rng.choice(corpus.titles), parts=parts, author_id=author,
                        theme_ids=self._themes(), published_at=self.now - TWO_YEARS * rng.random(),
                        show_author=rng.random() < 0.9, circle_id=circle_id,
                        outcome_type=rng.choice(list(OutcomeType)) if kind == PostKind.STORY else None)

    def reply(self, post: PostSpec) -> ReplySpec:
        # Most replies come soon after the post; a few much later.
        span = (self.now - post.published_at) * self.rng.random() ** 4
        return ReplySpec(author_id=self._author(), body=self.rng.choice(self.corpus.bodies),
                         created_at=post.published_at + span + timedelta(seconds=1),
                         show_author=self.rng.random() < 0.95)

    def thread(self, post: PostSpec, replies: int) -> list[ReplySpec]:
        return sorted((self.reply(post) for _ in range(replies)), key=lambda reply: reply.created_at)

    def reply_counts(self, posts: int) -> list[int]:
        """Replies per post: a few big threads, then a long tail; about one post in five has none."""
        scale, rng = self.scale, self.rng
        counts = [0] * posts
        for index in range(scale.big_threads):
            counts[index] = scale.big_thread_replies + index
        left = max(scale.replies - sum(counts), 0)
        weights = [0.0] * scale.big_threads + [rng.paretovariate(1.6) if rng.random() < 0.8 else 0.0
                                               for _ in range(posts - scale.big_threads)]
        cumulative = list(itertools.accumulate(weights))
        total = cumulative[-1]
        for _ in range(left):
            counts[min(bisect.bisect_right(cumulative, rng.random() * total), posts - 1)] += 1
        return counts
