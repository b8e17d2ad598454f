"""Similar cases and stories: while someone writes, and under a published case.

What the database already has, in one statement: the full-text index (the search module's
`search_documents`, kept by triggers) matched against the new text's most informative words,
and shared themes, ranked together. Only posts the person may read (`cases.policy`), never
hidden or deleted ones. The results' theme names come in the same statement, joined by a
separator no name can hold: one statement in all, whatever the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sqlalchemy import Float, Integer, String, bindparam, case, cast, exists, func, literal, literal_column, or_, select, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by

from forum import database
from forum.cases.models import Post, PostKind, Reply, Status, post_themes
from forum.cases.policy import visible_post_clause
from forum.extensions import db
from forum.outcomes.models import OutcomeUpdate
from forum.search import documents
from forum.search.query import in_text
from forum.themes.models import Theme

#: At most this many similar posts are shown.
LIMIT = 5
#: Longer than a title may be: nothing is looked for (no error, no list).
MAX_TITLE = 150
#: How much of the first part is read for words.
MAX_TEXT = 2000
#: The words looked for, at most.
MAX_WORDS = 8
#: Text matches ranked among at most this many of the newest (so common words stay fast): the
#: newest cases are the likeliest to help, and 300 cost twice the time of 100 at full scale.
TEXT_POOL = 100
#: A word in more documents than this is not looked for (see _SQLite).
COMMON_MATCHES = 20_000
#: Common words kept per process, at most (then forgotten and learnt again).
MAX_KNOWN_COMMON = 10_000
LARGEST_KEY = 2 ** 63 - 1
#: Best text matches and newest posts sharing a theme that are ranked together.
TEXT_CANDIDATES = 30
THEME_CANDIDATES = 100
#: What the best text match is worth against one shared theme.
TEXT_WEIGHT = 3.0
#: Joins a result's theme names in one column (the unit separator: no name holds it).
NAME_SEPARATOR = "\x1f"

_WORD = re.compile(r"[^\W_]+")
#: Words that say nothing about a case: common English, and the forum's everyday words.
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its just me more most my no nor not now of off on once
only or other our out over own same she should so some such than that the their them then there these
they this those through to too under until up very was we were what when where which while who whom why
will with would you your yours client clients customer customers jobseeker jobseekers adviser advisers
help helping case cases story stories want wants need needs get got said says new one two really
""".split())


@dataclass(frozen=True)
class SimilarPost:
    id: int
    title: str
    kind: PostKind
    themes: list[str]
    has_outcome: bool
    what_helped: bool


def informative_words(title: str, text: str = "") -> list[str]:
    """The words to look for: the title's, then the longest of the text's; no stop words,
    no numbers, nothing shorter than three letters, each once."""
    def words(source: str) -> list[str]:
        found = (word.lower() for word in _WORD.findall(source))
        return [word for word in found if len(word) >= 3 and not word.isdigit() and word not in STOP_WORDS]

    chosen: list[str] = []
    for word in words(title) + sorted(words(text[:MAX_TEXT]), key=len, reverse=True):
        if word not in chosen:
            chosen.append(word)
    return chosen[:MAX_WORDS]


def similar(user, title: str, theme_ids=(), text: str = "", exclude_post_id: int | None = None,
            limit: int = LIMIT) -> list[SimilarPost]:
    """Up to `limit` published cases and stories `user` may read, most similar first.

    An empty title, or one longer than a title may be, finds nothing (and asks nothing)."""
    title = title or ""
    if not title.strip() or len(title) > MAX_TITLE:
        return []
    words = informative_words(title, text or "")
    theme_ids = sorted({int(theme) for theme in theme_ids or () if str(theme).isdigit()})[:10]
    if not words and not theme_ids:
        return []
    engine = _SQLite if db.engine.dialect.name == "sqlite" else _PostgreSQL
    words = engine.worth_looking_for(words)
    if not words and not theme_ids:
        return []
    parameters = {"similar_person": user.id, "similar_theme_ids": theme_ids or [-1], "similar_exclude": exclude_post_id,
                  **(engine.parameters(words) if words else {})}
    statement = _statement(engine, len(words), bool(theme_ids), exclude_post_id is not None, max(1, min(int(limit), 20)))
    rows = database.rows(statement, parameters).all()
    if rows:
        engine.learn(words, rows[0])
    return [SimilarPost(row.id, row.title, PostKind(row.kind), engine.names(row.theme_names), bool(row.has_outcome),
                        bool(row.what_helped)) for row in rows]


@cache
def _statement(engine, word_count: int, by_themes: bool, excluding: bool, limit: int):
    """The ranking statement for one shape of question, built once per process: the person,
    words, themes and post left out are its parameters (building it cost a millisecond or two
    a request)."""
    visible = [visible_post_clause(None, person=bindparam("similar_person", type_=Integer))]
    if excluding:
        visible.append(Post.id != bindparam("similar_exclude", type_=Integer))
    theme_ids = bindparam("similar_theme_ids", expanding=True, type_=Integer)
    parts = []
    if word_count:
        # The newest TEXT_POOL matching posts, walked in the index's own key order with nothing
        # else joined, so the cost stops growing with the number of matches; then visibility.
        pool = engine.pool(word_count)
        ranked = (select(pool.c.post_id, func.row_number().over(order_by=(pool.c.score, pool.c.post_id.desc()))
                         .label("text_rank"))
                  .join(Post, Post.id == pool.c.post_id)
                  .where(*visible)
                  .order_by(pool.c.score, pool.c.post_id.desc())
                  .limit(TEXT_CANDIDATES)
                  .subquery("similar_text"))
        points = (literal(TEXT_WEIGHT) * (TEXT_CANDIDATES + 1 - ranked.c.text_rank)) / TEXT_CANDIDATES
        parts.append(select(ranked.c.post_id, cast(points, Float).label("text_points")))
    if by_themes:
        newest = (select(Post.id.label("post_id"), cast(literal(0.0), Float).label("text_points"))
                  .where(*visible, exists().where(post_themes.c.post_id == Post.id, post_themes.c.theme_id.in_(theme_ids)))
                  .order_by(Post.last_activity_at.desc(), Post.id.desc())
                  .limit(THEME_CANDIDATES))
        parts.append(select(newest.subquery("similar_themes")))
    candidates = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("similar_candidates")
    by_post = (select(candidates.c.post_id, func.max(candidates.c.text_points).label("text_points"))
               .group_by(candidates.c.post_id).subquery("similar_by_post"))
    shared = (select(func.count()).select_from(post_themes)
              .where(post_themes.c.post_id == by_post.c.post_id, post_themes.c.theme_id.in_(theme_ids))
              .scalar_subquery())
    score = (by_post.c.text_points + shared).label("score")
    has_outcome = or_(Post.kind == PostKind.STORY, Post.resolved_at.is_not(None),
                      exists().where(OutcomeUpdate.post_id == Post.id, OutcomeUpdate.published_at.is_not(None)))
    helped = exists().where(Reply.id == Post.helped_reply_id, Reply.status == Status.PUBLISHED)
    names = (select(engine.joined(Theme.name)).select_from(post_themes).join(Theme, Theme.id == post_themes.c.theme_id)
             .where(post_themes.c.post_id == Post.id).scalar_subquery())
    return (select(Post.id, Post.title, Post.kind, case((has_outcome, True), else_=False).label("has_outcome"),
                   case((helped, True), else_=False).label("what_helped"), names.label("theme_names"), score,
                   *engine.findings(word_count))
            .join_from(by_post, Post, Post.id == by_post.c.post_id)
            .order_by(score.desc(), Post.last_activity_at.desc(), Post.id.desc())
            .limit(limit))


def similar_to_post(user, post: Post, limit: int = LIMIT) -> list[SimilarPost]:
    """"Similar cases" under a published post, for its readers."""
    return similar(user, post.title, [theme.id for theme in post.themes], post.situation_md or "",
                   exclude_post_id=post.id, limit=limit)


class _SQLite:
    """FTS5: each word walked apart, newest first, its bm25 summed per post; lower is better.

    bm25 first counts every document holding a word (its rarity): about 55 ms for a word in a
    million documents. A word in more than COMMON_MATCHES documents says nothing about which
    cases are alike, so it is not looked for at all, like a stop word; the count that tells
    stops there. (bm25 of several words is the sum of each word's bm25.)

    The statement is built once per number of words (`cache`), the words given as parameters:
    building it took a millisecond a request."""

    @staticmethod
    def joined(column):
        return func.group_concat(column, literal_column("char(31)"))

    @staticmethod
    def names(joined: str | None) -> list[str]:
        # Sorted here: SQLite 3.40's group_concat takes no ORDER BY. Python's order of strings
        # is SQLite's BINARY collation, which ORDER BY name would use.
        return sorted(joined.split(NAME_SEPARATOR)) if joined else []

    #: Words this process has seen counted as common: they stay common (documents are added far
    #: more than deleted), so later questions leave them out, like stop words, without counting
    #: them again (1.6 ms a word at full scale, half the statement's time).
    known_common: set[str] = set()

    @staticmethod
    def parameters(words: list[str]) -> dict[str, str]:
        return {f"similar_word_{number}": in_text(f'"{word}"') for number, word in enumerate(words)}

    @staticmethod
    def worth_looking_for(words: list[str]) -> list[str]:
        return [word for word in words if word not in _SQLite.known_common]

    @staticmethod
    def findings(count: int) -> list:
        # Whether each word was found uncommon, on every result row (the flags are counted once).
        if not count:
            return []
        flags = _SQLite._flags(count)
        return [select(flags.c[f"uncommon_{number}"]).scalar_subquery().label(f"uncommon_{number}")
                for number in range(count)]

    @staticmethod
    def learn(words: list[str], row) -> None:
        if len(_SQLite.known_common) > MAX_KNOWN_COMMON:
            _SQLite.known_common.clear()
        _SQLite.known_common.update(word for number, word in enumerate(words) if not row._mapping[f"uncommon_{number}"])

    @staticmethod
    @cache
    def pool(count: int):
        walks = [_SQLite._walk(number, _SQLite._flags(count)) for number in range(count)]
        found = union_all(*walks).subquery("similar_found")
        return (select(found.c.post_id, func.sum(found.c.score).label("score"))
                .group_by(found.c.post_id)
                .cte("similar_pool").prefix_with("MATERIALIZED"))

    @staticmethod
    @cache
    def _flags(count: int):
        """One row: for each word, whether fewer than COMMON_MATCHES documents hold it."""
        return select(*(_SQLite._uncommon(number).label(f"uncommon_{number}") for number in range(count))
                      ).cte("similar_flags").prefix_with("MATERIALIZED")

    @staticmethod
    def _uncommon(number: int):
        counted = f"similar_count_{number}"
        word = bindparam(f"similar_word_{number}", type_=String)
        holding = (select(literal(1)).select_from(documents.alias(counted))
                   .where(literal_column(f"{counted}.search_documents").op("MATCH")(word))
                   .limit(COMMON_MATCHES).subquery(f"similar_holding_{number}"))
        return select(func.count()).select_from(holding).scalar_subquery() < COMMON_MATCHES

    @staticmethod
    def _walk(number: int, flags):
        walked = f"similar_walk_{number}"
        word = bindparam(f"similar_word_{number}", type_=String)
        uncommon = select(flags.c[f"uncommon_{number}"]).scalar_subquery()
        table = documents.alias(walked)
        # Keys start with the date counted down (migration 0021): the smallest is the newest.
        # Posts' documents have even keys; reading the unindexed reply_id would fetch every
        # matching row's stored text instead. A common word's walk is an empty key range,
        # which FTS5 reads before walking (a condition beside it would be tested row by row).
        walk = (select(table.c.post_id.label("post_id"),
                       func.bm25(literal_column(f"{walked}.search_documents"), 10.0, 1.0).label("score"))
                .where(literal_column(f"{walked}.search_documents").op("MATCH")(word),
                       table.c.rowid <= case((uncommon, literal(LARGEST_KEY)), else_=-1),
                       table.c.rowid % 2 == 0)
                .order_by(table.c.rowid.asc())
                .limit(TEXT_POOL))
        return select(walk.subquery(f"similar_newest_{number}"))


class _PostgreSQL:
    """tsvector: any of the words; ts_rank, negated so that lower is better here too. Built
    once (`cache`), the words given as a parameter."""

    config = literal_column("'english'::regconfig")
    query = func.websearch_to_tsquery(config, bindparam("similar_words", type_=String))

    @staticmethod
    def joined(column):
        # Ordered in the aggregate, by the database's collation, as ORDER BY name would be.
        return func.string_agg(column, aggregate_order_by(literal_column("chr(31)"), column))

    @staticmethod
    def names(joined: str | None) -> list[str]:
        return joined.split(NAME_SEPARATOR) if joined else []

    @staticmethod
    def worth_looking_for(words: list[str]) -> list[str]:
        return words

    @staticmethod
    def findings(_count: int) -> list:
        return []

    @staticmethod
    def learn(_words: list[str], _row) -> None:
        pass

    @staticmethod
    def parameters(words: list[str]) -> dict[str, str]:
        # Letters and digits only, joined by "or": websearch_to_tsquery sees no other operator.
        return {"similar_words": " or ".join(words)}

    @staticmethod
    @cache
    def pool(_count: int):
        # Keys are 2 * post id and 2 * reply id + 1 (migration 0003): replies, ten times as
        # many, fill the keys above the newest post's, so the walk starts there, walking the
        # primary key backwards. (ts_rank has no rarity count, so common words cost nothing more.)
        query = _PostgreSQL.query
        return (select(documents.c.post_id.label("post_id"), (-func.ts_rank(documents.c.tsv, query, 1)).label("score"))
                .where(documents.c.tsv.op("@@")(query), documents.c.id <= 2 * select(func.max(Post.id)).scalar_subquery(),
                       documents.c.reply_id.is_(None))
                .order_by(documents.c.id.desc())
                .limit(TEXT_POOL)
                .cte("similar_pool").prefix_with("MATERIALIZED"))


__all__ = ["LIMIT", "MAX_TITLE", "SimilarPost", "informative_words", "similar", "similar_to_post"]
