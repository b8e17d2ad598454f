"""The monthly summary (`forum/insights/summary.py`, migration 0022) gives exactly the figures
of the grouped queries it replaced (`tests/insights/reference.py`, kept as they were), on a
varied organisation, for every period, team and theme; writes keep it current without the
command; `flask insights refresh` is idempotent; the migration fills it for existing data."""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, insert, select, update

from forum.accounts.models import Role, User
from forum.cases.models import OutcomeType, Post, PostKind, Reply, Status
from forum.extensions import db
from forum.insights import filters, services
from forum.insights.filters import Filter
from forum.insights.models import DirtyMark, MonthlyFigure
from forum.insights.periods import Period, add_months, month_start
from forum.outcomes.models import OutcomeUpdate, OutcomeUpdateType
from forum.themes import services as themes_services
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.insights import reference
from tests.insights.test_insights import csvs


@pytest.fixture
def varied(app, make_user, make_team, make_theme, make_post, make_reply, make_outcome, make_circle):
    """Two years and more of posts, replies and outcomes over teams of 7, 6, 5 and 3 people and
    two people in no team, five themes (one with 4 authors only, one archived), circle posts,
    hidden posts and replies, drafts, answers by the author themself, and outcomes that start
    work more than once, last 13 or 26 weeks, or are not published yet. Derandomised."""
    rng = random.Random(17)
    now = utcnow()
    teams = {name: make_team(name) for name in ("North", "South", "East", "Tiny")}
    people = [make_user(team_id=teams[team], name=f"{team}{i}")
              for team, size in (("North", 7), ("South", 6), ("East", 5), ("Tiny", 3)) for i in range(size)]
    people += [make_user(name=f"Loner{i}") for i in range(2)]
    manager = make_user(Role.MANAGER, team_id=teams["North"], name="The.Manager")
    admin = make_user(Role.ADMIN, name="The.Admin")
    themes = [make_theme(name) for name in ("Housing", "Debt", "Childcare", "Transport")]
    themes.append(make_theme("Old ways", archived=True))
    few = people[:4]  # the only authors under "Transport"
    circle = make_circle("Thursday circle", facilitator=people[8], members=people[9:14])
    posts = []
    for number in range(90):
        at = now - timedelta(days=rng.uniform(0, 790), minutes=5)
        theme_ids = rng.sample(themes[:4], rng.choice((0, 1, 1, 2, 3)))
        author = rng.choice(few if themes[3] in theme_ids else people)
        kind = PostKind.CASE if rng.random() < 0.7 else PostKind.STORY
        status = rng.choice([Status.PUBLISHED] * 8 + [Status.HIDDEN, Status.DRAFT])
        if rng.random() < 0.08:
            theme_ids.append(themes[4])
        post = make_post(f"Post {number}", author=author, kind=kind, status=status, themes=theme_ids, at=at,
                         circle_id=circle if rng.random() < 0.1 else None, anonymous=rng.random() < 0.2)
        posts.append((post, author, at, kind))
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            later = at + timedelta(hours=rng.choice((0.2, 0.6, 3, 47.9, 48.1, 60, 300, 2000)))
            if later < now:
                replier = author if rng.random() < 0.15 else rng.choice(people)
                make_reply(post, "An answer.", author=replier, at=later,
                           status=Status.HIDDEN if rng.random() < 0.1 else Status.PUBLISHED)
    cases = [(post, at) for post, _, at, kind in posts if kind == PostKind.CASE]
    for post, at in rng.sample(cases, 30):
        first = at.date() + timedelta(days=rng.randint(0, 60))
        if first > now.date():
            continue
        make_outcome(post, [rng.choice([OutcomeType.STARTED_WORK] * 3 + [OutcomeType.MORE_CONFIDENT,
                                                                         OutcomeType.BARRIER_REMOVED])], first,
                     barrier="debt")
        for kind, weeks in ((OutcomeType.IN_WORK_13_WEEKS, 13), (OutcomeType.IN_WORK_26_WEEKS, 26),
                            (OutcomeType.STARTED_WORK, 40)):
            later = first + timedelta(weeks=weeks)
            if rng.random() < 0.5 and later <= now.date():
                make_outcome(post, [kind, OutcomeType.MORE_CONFIDENT] if rng.random() < 0.3 else [kind], later)
    with app.app_context():
        # Two barriers in one update, and an update still waiting for its privacy check.
        post = cases[0][0]
        db.session.add(OutcomeUpdate(post_id=post, occurred_on=now.date(), published_at=utcnow(), types=[
            OutcomeUpdateType(outcome_type=OutcomeType.BARRIER_REMOVED, barrier="debt"),
            OutcomeUpdateType(outcome_type=OutcomeType.BARRIER_REMOVED, barrier="housing")]))
        db.session.add(OutcomeUpdate(post_id=cases[1][0], occurred_on=now.date(), published_at=None, types=[
            OutcomeUpdateType(outcome_type=OutcomeType.STARTED_WORK)]))
        db.session.commit()
    return {"manager": manager, "admin": admin, "teams": teams, "people": people, "themes": themes, "posts": posts}


def _filters(app) -> list[Filter]:
    """Every team one can choose, every theme and none, over 3, 12 and 24 months (a custom period)."""
    with app.app_context():
        org = filters.organisation()
        themes = filters.themes()
        now = utcnow()
        today = now.date()
        periods = [Period.last(3, today), Period.last(12, today),
                   Period.between(add_months(month_start(today), -23), today)]
        chosen = []
        for period in periods:
            for team_id in [None, *org.selectable]:
                for theme in [None, *themes]:
                    chosen.append(Filter(period, team_id, "team", theme.id if theme else None, "theme", None, now))
        return chosen


def _same_ids(section):
    """The section with its charts' element ids (numbered per chart drawn) made alike."""
    return replace(section, charts=[re.sub(r"chart-\d+", "chart-N", str(chart)) for chart in section.charts])


def assert_same_as_grouped_queries(app) -> int:
    with app.app_context():
        org = filters.organisation()
        themes = filters.themes()
        assert db.session.scalar(select(DirtyMark.id).limit(1)) is None, "every write recomputed its marks"
    compared = 0
    for chosen in _filters(app):
        with app.app_context():
            themes = filters.themes()
            expected = reference.sections(chosen, org, themes)
            found = services.sections(chosen, org, themes)
        for mine, theirs in zip(found, expected, strict=True):
            assert _same_ids(mine) == _same_ids(theirs), (chosen, mine.key)
        compared += 1
    return compared


def test_the_summary_gives_the_grouped_queries_figures(app, varied):
    with app.app_context():
        assert db.session.scalar(select(MonthlyFigure.month).limit(1)) is not None
        org = filters.organisation()
        # The organisation is varied enough to test: teams to choose, and one too small.
        assert len(org.selectable) == 3 and len(org.teams) == 4
    assert assert_same_as_grouped_queries(app) == 3 * 4 * 6


def test_writes_keep_the_summary_current_without_the_command(app, varied, make_post, make_reply, make_outcome,
                                                             make_theme):
    people, themes, posts = varied["people"], varied["themes"], varied["posts"]
    now = utcnow()
    case = make_post("A new case", author=people[0], themes=[themes[0]], at=now - timedelta(hours=5))
    make_reply(case, "A quick answer.", author=people[10], at=now - timedelta(hours=4))
    make_outcome(case, [OutcomeType.STARTED_WORK], now.date())
    with app.app_context():
        published = [post for post, *_ in posts
                     if db.session.get(Post, post).status == Status.PUBLISHED and db.session.get(Post, post).kind == "case"]
        # Hidden by a moderator, brought back, moved between themes (ORM)...
        db.session.get(Post, published[0]).status = Status.HIDDEN
        db.session.get(Post, published[1]).published_at = now - timedelta(days=40)
        # ...someone changes team, another leaves every team...
        db.session.get(User, people[1].id).team_id = varied["teams"]["South"]
        db.session.get(User, people[20].id).team_id = None
        db.session.commit()
        # ...a reply is hidden and another deleted, an outcome is re-dated (Core statements)...
        first_replies = db.session.scalars(select(Reply.id).order_by(Reply.id).limit(3)).all()
        db.session.execute(update(Reply).where(Reply.id == first_replies[0]).values(status=Status.HIDDEN))
        db.session.execute(delete(Reply).where(Reply.id == first_replies[1]))
        outcome = db.session.scalars(select(OutcomeUpdate.id).order_by(OutcomeUpdate.id).limit(1)).one()
        db.session.execute(update(OutcomeUpdate).where(OutcomeUpdate.id == outcome).values(occurred_on=date.today()))
        db.session.execute(delete(OutcomeUpdateType).where(
            OutcomeUpdateType.update_id == db.session.scalars(select(OutcomeUpdate.id).order_by(OutcomeUpdate.id.desc())
                                                              .limit(1)).one()))
        db.session.commit()
        # ...a theme is merged into another (set-based), and a post is deleted with its replies.
        admin = db.session.get(User, varied["admin"].id)
        themes_services.merge(admin, themes_services.get(themes[1]), themes_services.get(themes[2]))
        db.session.execute(delete(Post).where(Post.id == published[2]))
        db.session.commit()
    assert assert_same_as_grouped_queries(app) >= 3 * 4 * 5


def test_a_new_case_reply_and_outcome_show_at_once(app, known, make_post, make_reply, make_outcome):
    """Seven cases this month (6 in North, 1 circle case), 6 of the 8 of the period with an
    outcome: one more case, answered and with an outcome, shows at once."""
    client = client_for(app, known["manager"])
    found = csvs(client)
    assert found["cases"][("Cases and answers per month", "Cases published")] == ["fewer than 5", "fewer than 5", "7", "8"]
    shares = "Recorded and lasting outcomes"
    recorded = (shares, "Cases with any recorded outcome (of the cases published in the period)")
    assert found["outcomes"][recorded] == ["75%"]
    now = utcnow()
    case = make_post("Another housing case", author=known["a"][1], at=now - timedelta(minutes=30))
    make_reply(case, "An answer.", author=known["b"][0], at=now - timedelta(minutes=20))
    make_outcome(case, [OutcomeType.MORE_CONFIDENT], now.date())
    found = csvs(client)
    assert found["cases"][("Cases and answers per month", "Cases published")] == ["fewer than 5", "fewer than 5", "8", "9"]
    assert found["outcomes"][recorded] == ["78%"]  # 7 of 9


def test_a_write_outside_the_apps_session_shows_on_the_next_page(app, known):
    client = client_for(app, known["manager"])
    published = ("Cases and answers per month", "Cases published")
    assert csvs(client)["cases"][published][2] == "7"
    with app.app_context():
        now = utcnow()
        with db.engine.begin() as connection:  # not the session: its hook never runs
            connection.execute(insert(Post.__table__).values(
                kind="case", title="Raw case", author_id=known["a"][2].id, status="published", show_author=True,
                created_at=now, published_at=now, last_activity_at=now, reply_count=0, helpful_count=0, locked=False))
        assert db.session.scalar(select(DirtyMark.id).limit(1)) is not None
        db.session.remove()
    assert csvs(client)["cases"][published][2] == "8"
    with app.app_context():
        assert db.session.scalar(select(DirtyMark.id).limit(1)) is None


def _summary_rows(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(select(MonthlyFigure.month, MonthlyFigure.figure, MonthlyFigure.variant,
                                         MonthlyFigure.team_id, MonthlyFigure.theme_id, MonthlyFigure.value,
                                         MonthlyFigure.people, MonthlyFigure.detail)
                                  .order_by(MonthlyFigure.month, MonthlyFigure.figure, MonthlyFigure.variant,
                                            MonthlyFigure.team_id, MonthlyFigure.theme_id)).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_the_refresh_command_rebuilds_the_same_rows_and_is_idempotent(app, varied):
    kept = _summary_rows(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["insights", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Rebuilt" in result.output
    assert _summary_rows(app) == kept
    assert runner.invoke(args=["insights", "refresh"]).exit_code == 0
    assert _summary_rows(app) == kept
    with app.app_context():
        db.session.execute(delete(MonthlyFigure))
        db.session.commit()
    assert runner.invoke(args=["insights", "refresh"]).exit_code == 0
    assert _summary_rows(app) == kept
    with app.app_context():
        db.session.execute(delete(MonthlyFigure).where(MonthlyFigure.month >= utcnow().strftime("%Y-%m")))
        db.session.commit()
    result = runner.invoke(args=["insights", "refresh", "--months", "2"])
    assert result.exit_code == 0 and "Rebuilt 2 months" in result.output, result.output
    assert _summary_rows(app) == kept
    assert runner.invoke(args=["insights", "refresh", "--months", "0"]).exit_code != 0


def test_the_migration_fills_the_summary_for_existing_data(app, varied):
    kept = _summary_rows(app)
    assert kept
    with app.app_context():
        db.session.remove()
        downgrade(revision="0020")
        try:
            from sqlalchemy import inspect

            assert "insights_monthly" not in inspect(db.engine).get_table_names()
        finally:
            upgrade()
        db.session.remove()
    assert _summary_rows(app) == kept
    assert assert_same_as_grouped_queries(app) == 3 * 4 * 6


def test_a_published_reply_recomputes_a_case_only_when_it_is_the_first_answer(app, varied, make_user, make_post,
                                                                            monkeypatch):
    """Replies are written as drafts and then published (an update): only the case's first
    published answer by someone else moves its figures, so only that one recomputes the case's
    month; the others recompute who replied. The figures stay those of the grouped queries."""
    from forum.cases import services as cases
    from forum.insights import summary

    recomputed = []
    real = summary.recompute
    monkeypatch.setattr(summary, "recompute", lambda session, units: real(session, _kept(units, recomputed)))
    author, first, second = make_user(name="Case.Writer"), make_user(name="First.Answer"), make_user(name="Second.Answer")
    case = make_post("A case waiting for answers", author=author)

    def answer(person, text):
        recomputed.clear()
        with app.app_context():
            cases.reply(db.session.get(User, person.id), db.session.get(Post, case), text)
            db.session.commit()
        return {part for _month, part, _team in recomputed}

    assert answer(first, "Here is what we did.") == {"posts", "replies"}
    assert answer(second, "And we did this too.") == {"replies"}
    assert answer(author, "Thank you both.") == {"replies"}
    assert_same_as_grouped_queries(app)


def _kept(units, seen: list) -> list:
    units = list(units)
    seen.extend(units)
    return units


def test_a_recomputed_month_gets_a_new_token_and_the_page_reads_it_again(app, known, count_queries):
    # Servers keep a month's summary rows while its token is unchanged (services._figures).
    from forum.insights import summary

    client = client_for(app, known["manager"])
    published = ("Cases and answers per month", "Cases published")
    assert csvs(client)["cases"][published][2] == "7"
    month = utcnow().strftime("%Y-%m")
    with app.app_context():
        before = summary.versions(db.session, [month]).get(month)
        # A figure changed behind the summary's back is not seen while the token stands...
        db.session.execute(update(MonthlyFigure).where(MonthlyFigure.month == month, MonthlyFigure.figure == "cases")
                           .values(value=MonthlyFigure.value + 100))
        db.session.commit()
    assert csvs(client)["cases"][published][2] == "7"
    with app.app_context():
        summary.recompute(db.session, [(month, "posts", None)])
        db.session.commit()
        after = summary.versions(db.session, [month]).get(month)
    # ...and a recompute (which every write that marks the month runs) moves the token.
    assert after and after != before
    assert csvs(client)["cases"][published][2] == "7"
    with app.app_context():
        db.session.execute(update(MonthlyFigure).where(MonthlyFigure.month == month, MonthlyFigure.figure == "cases")
                           .values(value=MonthlyFigure.value + 100))
        summary._new_versions(db.session, {month})
        db.session.commit()
    assert csvs(client)["cases"][published][2] != "7"
