"""Full-text search over the posts and replies a person may read.

One interface, two engines, chosen from the database in use: SQLite FTS5 or PostgreSQL
`tsvector`. The index, table `search_documents`, is written only by the database triggers of
migrations 0003 and 0021; this module only reads it, and every result passes through the cases
policy.

One search is one SQL statement, built in three stages:
  1. hits: the visible, filtered matches, newest first, at most MAX_RANKED (+1 to know if capped),
     found by walking an index in date order and stopping there, so a word found in a million
     documents costs about what a word found in 2,001 does; each document carries its post's
     themes (migration 0026), so the walk skips matches outside a chosen theme at no cost;
  2. ranked: those ranked (title matches first, then relevance, then recency), one page cut out;
  3. excerpts: the page's matching text highlighted (the costly part, so only for the page).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape
from sqlalchemy import (
    ARRAY,
    DateTime,
    Integer,
    Text,
    case,
    column,
    func,
    literal,
    literal_column,
    null,
    or_,
    select,
    table,
    union_all,
)

from forum.cases.models import Post, PostKind, Reply
from forum.cases.policy import visible_post_clause, visible_reply_clause
from forum.extensions import db
from forum.search.query import START, STOP, in_text, marked, match_string, parse_query
from forum.timeutil import DEFAULT_ZONE, as_utc

__all__ = ["MAX_RANKED", "SearchPage", "SearchResult", "parse_query", "register", "search"]

#: A query matching more documents than this ranks only the newest ones, so common words stay fast.
MAX_RANKED = 2000
#: A phrase found in more documents than this carries no weight in SQLite's relevance (see _SQLite).
COMMON_MATCHES = 20_000
#: At most this many results per page.
MAX_LIMIT = 100
#: Common phrases kept per process, at most (then forgotten and learnt again).
MAX_KNOWN_COMMON = 10_000
#: SQLite keys: the date counted down, shifted past 2 * id (+ 1 for a reply), see migration 0021.
KEY_ID_PART = 2 ** 31
#: The narrow indexes the walk reads posts and replies from (migration 0027).
POST_SOURCES_INDEX = "ix_posts_search_sources"
REPLY_SOURCES_INDEX = "ix_replies_search_sources"

documents = table(
    "search_documents",
    column("rowid", Integer),  # SQLite's key
    column("id", Integer),  # PostgreSQL's key
    column("post_id", Integer),
    column("reply_id", Integer),
    column("title", Text),
    column("body", Text),
    column("tsv"),
    column("themes", Text),  # SQLite's: "t<theme id>" tokens
    column("theme_ids", ARRAY(Integer)),  # PostgreSQL's
    column("created_at", DateTime(timezone=True)),  # PostgreSQL's only
)


@dataclass(frozen=True)
class SearchResult:
    post_id: int
    #: The post's title as plain text, and as safe HTML with the matches marked.
    title: str
    title_html: Markup
    kind: PostKind
    #: Set when the match is a reply on the post rather than the post itself.
    reply_id: int | None
    #: A short piece of the matching text: safe HTML, matches in <mark>.
    excerpt: Markup
    #: When the post was published or the reply written (UTC).
    created_at: datetime
    #: The post has a published reply marked "what helped".
    what_helped: bool = False

    @property
    def is_reply(self) -> bool:
        return self.reply_id is not None


@dataclass(frozen=True)
class SearchPage:
    results: list[SearchResult]
    #: True when more than MAX_RANKED documents matched and only the newest were ranked.
    capped: bool = False
    #: Pass as `after` for the next page; None on the last page.
    next_after: int | None = None


def search(user, query_text: str | None, *, theme_ids=(), kind: PostKind | str | None = None,
           date_from: date | None = None, date_to: date | None = None, limit: int = 30,
           after: int | None = None) -> SearchPage:
    """One page of what `user` may read that matches `query_text`, best first.

    theme_ids: posts with any of these themes. kind: "case" or "story" (ValueError otherwise).
    date_from, date_to: whole days in the person's time zone, both included (a datetime is an
    exact instant: from included, to excluded); on posts' publication and replies' writing.
    after: how many results earlier pages showed (ranking is over at most MAX_RANKED
    documents, so an offset stays cheap).
    """
    phrases = parse_query(query_text)
    after = max(int(after or 0), 0)
    limit = min(max(int(limit), 1), MAX_LIMIT)
    cap = MAX_RANKED
    if not phrases or after >= cap:
        return SearchPage([])
    engine = (_SQLite if db.engine.dialect.name == "sqlite" else _PostgreSQL)(phrases, [int(theme) for theme in theme_ids])
    key, at = engine.key, engine.at

    # 1. The newest visible, filtered matches: a walk down an index already in date order that
    #    stops after cap + 1 (one more tells us the cap was reached), however many documents match.
    hits = _cte("hits", engine.covered(
                select(key.label("doc"), at.label("at"), *engine.walk_columns())
                .select_from(engine.with_sources())
                # The theme first: PostgreSQL tests it on each row before the costlier `@@`.
                .where(*engine.in_themes(), engine.matches(),
                       *_filters(user, engine.is_post(), at, kind, date_from, date_to))
                .order_by(*engine.newest_first())
                .limit(cap + 1)))
    newest = _cte("newest", select(hits).order_by(hits.c.at.desc(), hits.c.doc.desc()).limit(cap))
    # 2. Those ranked: title matches first, then relevance, then recency; one page cut out.
    found = engine.scored(newest, hits)
    ranked = _cte("ranked", select(found.c.doc, found.c.at, found.c.title_hit, found.c.score)
                  .order_by(found.c.title_hit.desc(), found.c.score, found.c.at.desc(), found.c.doc.desc())
                  .limit(limit + 1)
                  .offset(after))
    # 3. Excerpts for that page only: highlighting is the costly part.
    excerpts = _cte("excerpts", engine.excerpts(ranked))
    matched = select(func.count()).select_from(hits).scalar_subquery()
    rows = db.session.execute(
        select(excerpts.c.post_id, excerpts.c.reply_id, Post.title, Post.kind, ranked.c.at,
               excerpts.c.excerpt, excerpts.c.title_marked, matched.label("matched"),
               Post.what_helped_shown.label("what_helped"), *engine.findings())
        .join_from(ranked, excerpts, excerpts.c.doc == ranked.c.doc)
        .join(Post, Post.id == excerpts.c.post_id)
        .order_by(ranked.c.title_hit.desc(), ranked.c.score, ranked.c.at.desc(), ranked.c.doc.desc())
    ).all()
    if rows:
        engine.learn(rows[0])

    results = [
        SearchResult(
            post_id=row.post_id,
            title=row.title,
            # A reply's document has no title: show the post's, unmarked.
            title_html=marked(row.title_marked) if row.reply_id is None else escape(row.title),
            kind=PostKind(row.kind),
            reply_id=row.reply_id,
            excerpt=marked(row.excerpt),
            created_at=as_utc(row.at),
            what_helped=bool(row.what_helped),
        )
        for row in rows[:limit]
    ]
    return SearchPage(
        results,
        capped=bool(rows) and rows[0].matched > cap,
        next_after=after + limit if len(rows) > limit else None,
    )


def _cte(name: str, query):
    # Materialised, so each stage runs once as written rather than being merged into the next.
    return query.cte(name).prefix_with("MATERIALIZED")


def _filters(user, is_post, at, kind, date_from, date_to) -> list:
    # Visibility first, always: the index holds circle posts too, and the policy decides.
    clauses = [visible_post_clause(user), or_(is_post, visible_reply_clause(user))]
    if kind:
        clauses.append(Post.kind == PostKind(kind))
    zone = ZoneInfo(getattr(user, "timezone", None) or DEFAULT_ZONE)
    if date_from:
        clauses.append(at >= _instant(date_from, zone))
    if date_to:
        clauses.append(at < _instant(date_to, zone, next_day=True))
    return clauses


def _instant(day: date, zone: ZoneInfo, next_day: bool = False) -> datetime:
    """The start of a day in the person's zone (or a datetime as given), in UTC."""
    if isinstance(day, datetime):
        return as_utc(day)
    return datetime.combine(day + timedelta(days=next_day), time(), zone).astimezone(UTC)


class _SQLite:
    """FTS5: its aux functions (bm25, snippet, highlight) need the table in a MATCH query.

    Keys start with the document's date, newest smallest (migration 0021), and FTS5 hands
    matches back in key order for free: the walk is `ORDER BY rowid` with a limit. (FTS5 walks
    an AND of words forwards far faster than backwards, so newest is smallest.)"""

    key = documents.c.rowid
    at = func.coalesce(Reply.created_at, Post.published_at, Post.created_at)
    #: Phrases this process has seen counted as common: they stay common (documents are added far
    #: more often than deleted), so later searches weigh them at nothing without counting them
    #: again (3.5 ms a word at full scale; similar cases keep their words the same way).
    known_common: set[str] = set()
    fts = literal_column("search_documents")
    #: A key's last 31 bits are 2 * id, + 1 for a reply (migration 0021).
    _source = key.op("%")(KEY_ID_PART)
    #: bm25 weight of the title against the body.
    title_weight = 10.0

    def __init__(self, phrases: list[str], theme_ids: list[int]):
        self.phrases = phrases
        self.match = match_string(phrases)
        #: The words are looked for in the text only: a theme token is never a word's match.
        self.in_text = in_text(self.match)
        #: The phrases worth weighing: a phrase known to be common weighs nothing (see _phrase_score).
        self.weighed = [phrase for phrase in phrases if phrase not in _SQLite.known_common]
        themes = " OR ".join(f'"t{theme}"' for theme in theme_ids)
        self.walk_match = f"{self.in_text} AND themes : ({themes})" if themes else self.in_text

    def matches(self):
        return self.fts.op("MATCH")(self.walk_match)

    def in_themes(self):
        return ()  # in the MATCH: FTS5 skips other themes' documents as it walks

    def is_post(self):
        return self.key.op("%")(2) == 0

    def with_sources(self):
        """Each match with its reply and post, found from its key: reading the document's own
        post_id and reply_id would read its whole stored text."""
        reply_id = case((self.key.op("%")(2) == 1, self._source.op("/")(2)))
        post_id = func.coalesce(Reply.post_id, self._source.op("/")(2))
        return documents.outerjoin(Reply, Reply.id == reply_id).join(Post, Post.id == post_id)

    @staticmethod
    def covered(query):
        # Posts' and replies' status and dates sit after kilobytes of text in their rows (often on
        # overflow pages): the walk reads them from narrow indexes instead (migration 0027).
        return (query.with_hint(Post, f"INDEXED BY {POST_SOURCES_INDEX}", "sqlite")
                .with_hint(Reply, f"INDEXED BY {REPLY_SOURCES_INDEX}", "sqlite"))

    def newest_first(self):
        return (self.key.asc(),)

    def walk_columns(self):
        return ()

    def scored(self, newest, hits):
        """The newest matches with their relevance (lower is better) and whether every phrase is
        in the title. bm25 of several phrases is the sum of each phrase's bm25 (same length
        normalisation), so each phrase is scored apart and the parts summed by document."""
        highest = select(func.max(hits.c.doc)).scalar_subquery()
        parts = union_all(select(newest.c.doc, newest.c.at, literal(0.0).label("bm25")),
                          *(select(scores.c.doc, null(), scores.c.bm25)
                            for scores in (self._phrase_score(number, phrase, newest, highest)
                                           for number, phrase in enumerate(self.weighed)))).subquery("parts")
        summed = (select(parts.c.doc, func.max(parts.c.at).label("at"), func.sum(parts.c.bm25).label("score"))
                  .group_by(parts.c.doc).subquery("summed"))
        return select(summed, self._in_title(summed.c.doc, highest).label("title_hit")).subquery("scored")

    def _phrase_score(self, number: int, phrase: str, newest, highest):
        """One phrase's bm25 over the newest matches; nothing for a common phrase.

        bm25 first counts every document holding the phrase (its rarity): about 55 ms for a word
        in a million documents. A phrase in more than COMMON_MATCHES documents says little about
        relevance (bm25 gives one in half the documents no weight at all), so that count stops
        there and the phrase weighs nothing."""
        scored = f"search_phrase_{number}"
        uncommon = select(self._flags.c[f"uncommon_{number}"]).scalar_subquery()
        table = documents.alias(scored)
        return _cte(f"phrase_{number}", select(
                        table.c.rowid.label("doc"),
                        func.bm25(literal_column(f"{scored}.search_documents"), self.title_weight, 1.0).label("bm25"))
                    # The check sits in the key range (keys are never negative), which FTS5 reads
                    # before walking: a condition beside it would be tested row by row instead.
                    .where(literal_column(f"{scored}.search_documents").op("MATCH")(in_text(match_string([phrase]))),
                           table.c.rowid <= case((uncommon, highest), else_=-1),
                           literal_column(f"+{scored}.rowid").in_(select(newest.c.doc))))

    @cached_property
    def _flags(self):
        """One row: for each weighed phrase, whether fewer than COMMON_MATCHES documents hold it."""
        return _cte("search_flags", select(*(self._uncommon(number, phrase).label(f"uncommon_{number}")
                                             for number, phrase in enumerate(self.weighed))))

    @staticmethod
    def _uncommon(number: int, phrase: str):
        counted = f"search_count_{number}"
        holding = (select(literal(1)).select_from(documents.alias(counted))
                   .where(literal_column(f"{counted}.search_documents").op("MATCH")(in_text(match_string([phrase]))))
                   .limit(COMMON_MATCHES).subquery(f"holding_{number}"))
        return select(func.count()).select_from(holding).scalar_subquery() < COMMON_MATCHES

    def findings(self) -> list:
        # Whether each weighed phrase was found uncommon, on every result row (counted once).
        return [select(self._flags.c[f"uncommon_{number}"]).scalar_subquery().label(f"uncommon_{number}")
                for number in range(len(self.weighed))]

    def learn(self, row) -> None:
        if len(_SQLite.known_common) > MAX_KNOWN_COMMON:
            _SQLite.known_common.clear()
        _SQLite.known_common.update(phrase for number, phrase in enumerate(self.weighed)
                                    if not row._mapping[f"uncommon_{number}"])

    def _in_title(self, doc, highest):
        # Every phrase in the title: the same query limited to the title column, only over the
        # keys the walk covered (a range FTS5 seeks to), so a common title word costs no more.
        title = documents.alias("search_title")
        in_title = literal_column("search_title.search_documents").op("MATCH")(f"title : ({self.match})")
        return doc.in_(select(title.c.rowid).where(in_title, title.c.rowid <= highest))

    def excerpts(self, ranked):
        # The page's documents only: a key range FTS5 seeks to, then the page's keys. (The unary +
        # keeps FTS5 from seeking key by key, about 1 ms each for a common word.)
        highest = select(func.max(ranked.c.doc)).scalar_subquery()
        return (select(self.key.label("doc"), documents.c.post_id, documents.c.reply_id,
                       func.snippet(self.fts, 1, START, STOP, "…", 24).label("excerpt"),
                       func.highlight(self.fts, 0, START, STOP).label("title_marked"))
                .where(self.fts.op("MATCH")(self.in_text), self.key <= highest,
                       literal_column("+search_documents.rowid").in_(select(ranked.c.doc))))


class _PostgreSQL:
    """tsvector: the title is weight A, the body B (see migration 0003).

    The walk is `ORDER BY created_at DESC, id DESC` with a limit: for a common word the planner
    walks `ix_search_documents_created` backwards testing `@@` per row (migration 0021); for a
    rare one it takes the GIN index and sorts the few matches. Within themes, the walk reads the
    themes that index holds beside each key (an index-only scan, migration 0028) and fetches
    only the documents in them: a theme with 40% of the documents meant 60% of the rows read
    for nothing."""

    key = documents.c.id
    at = documents.c.created_at
    config = literal_column("'english'::regconfig")
    headline = f"StartSel={START}, StopSel={STOP}, MinWords=12, MaxWords=24, MaxFragments=1"

    def __init__(self, phrases: list[str], theme_ids: list[int]):
        # Our match string quotes every phrase, so websearch_to_tsquery sees no operators.
        self.query = func.websearch_to_tsquery(self.config, match_string(phrases))
        self.theme_ids = theme_ids
        self.walk = documents.alias("search_walk") if theme_ids else documents

    def matches(self):
        return documents.c.tsv.op("@@")(self.query)

    @staticmethod
    def is_post():
        return documents.c.reply_id.is_(None)

    @staticmethod
    def findings() -> list:
        return []

    def learn(self, _row) -> None:
        pass

    def with_sources(self):
        walked = documents if self.walk is documents else self.walk.join(documents, documents.c.id == self.walk.c.id)
        return walked.join(Post, Post.id == documents.c.post_id).outerjoin(Reply, Reply.id == documents.c.reply_id)

    @staticmethod
    def covered(query):
        return query  # the planner takes the narrow indexes of migration 0027 by itself (index-only scans)

    def in_themes(self):
        if not self.theme_ids:
            return ()
        return (self.walk.c.theme_ids.op("&&")(literal(self.theme_ids, ARRAY(Integer))),)

    def newest_first(self):
        return (self.walk.c.created_at.desc(), self.walk.c.id.desc())

    def walk_columns(self):
        # Ranked as the walk reads each kept row, rather than fetching 2,000 rows again.
        # Normalisation 1 keeps long bodies from winning by length; the title is the A lexemes.
        return (func.ts_filter(documents.c.tsv, literal_column("'{a}'")).op("@@")(self.query).label("in_title"),
                (-func.ts_rank(documents.c.tsv, self.query, 1)).label("rank"))

    def scored(self, newest, hits):
        return select(newest.c.doc, newest.c.at, newest.c.in_title.label("title_hit"),
                      newest.c.rank.label("score")).subquery("scored")

    def excerpts(self, ranked):
        return (select(self.key.label("doc"), documents.c.post_id, documents.c.reply_id,
                       func.ts_headline(self.config, documents.c.body, self.query, self.headline).label("excerpt"),
                       func.ts_headline(self.config, documents.c.title, self.query,
                                        f"HighlightAll=true, StartSel={START}, StopSel={STOP}").label("title_marked"))
                .join(ranked, ranked.c.doc == self.key))


def register(app) -> None:
    # Imported when the app is built: the search page's views import this package.
    from forum.search import views

    app.register_blueprint(views.bp)
