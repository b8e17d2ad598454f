"""Insights: every figure of a known organisation, suppression, safe circles, access, bad input."""

from __future__ import annotations

import csv
import io
import re

from datetime import timedelta

from sqlalchemy import select

from forum.accounts.models import Role
from forum.extensions import db
from forum.timeutil import utcnow
from tests.conftest import client_for
from tests.insights.conftest import PLANTED

#: The page, for any amount of data: the session and sign-in (with the bell's count), whether the monthly summary has
#: anything left to recompute, the months' tokens, three queries of the summary (the themes section's; the filter's
#: theme's, which the cases and outcomes sections share; participation's), the circles' queries, the unanswered cases,
#: attendance and new members, two for "what helped" and routing, and two for the pulse.
STATEMENTS = 25
#: The same page when no month changed since this server last read them: the summary's rows are its own copies.
KEPT_STATEMENTS = STATEMENTS - 3
SECTIONS = ("themes", "cases", "outcomes", "circles", "participation")


def typed_date(html: str, name: str) -> tuple[str, ...]:
    """What the three boxes of a date field show (day, month, year)."""
    return tuple(re.search(rf'name="{name}-{part}"[^>]*value="([^"]*)"', html).group(1) for part in ("day", "month", "year"))

def rows_of(text: str) -> dict[tuple[str, str], list[str]]:
    """(table, figure) -> the row's values, from a section's CSV."""
    found = {}
    for row in csv.reader(io.StringIO(text)):
        if len(row) > 2 and row[0] != "Table":
            found[(row[0], row[1])] = row[2:]
    return found


def csvs(client, query: str = "period=3") -> dict[str, dict]:
    answers = {section: client.get(f"/insights/{section}.csv?{query}") for section in SECTIONS}
    assert all(answer.status_code == 200 for answer in answers.values())
    return {section: rows_of(answer.get_data(as_text=True)) for section, answer in answers.items()}


def test_every_figure_of_the_known_organisation(app, known):
    client = client_for(app, known["manager"])
    found = csvs(client)
    # period=3: two months before this one, then this one (the last column before the total).
    themes = found["themes"]
    assert themes[("Cases and stories per theme per month", "Housing")] == ["fewer than 5", "fewer than 5", "7", "7"]
    assert themes[("Cases and stories per theme per month", "Debt")] == ["fewer than 5"] * 4
    cases = found["cases"]
    assert cases[("Cases and answers per month", "Cases published")] == ["fewer than 5", "fewer than 5", "7", "8"]
    assert cases[("Cases and answers per month", "Share answered within 48 hours")][2] == "71%"
    assert cases[("Cases and answers per month", "Median hours to a first reply")][2] == "7.0"
    outcomes = found["outcomes"]
    assert outcomes[("Outcome updates by type per month", "Started work")] == ["fewer than 5", "fewer than 5", "5", "5"]
    assert outcomes[("Direct and indirect outcome updates per month", "Direct outcomes")][2] == "6"
    assert outcomes[("Direct and indirect outcome updates per month", "Indirect outcomes")][2] == "fewer than 5"
    shares = "Recorded and lasting outcomes"
    assert outcomes[(shares, "Cases with any recorded outcome (of the cases published in the period)")] == ["75%"]
    assert outcomes[(shares, "Cases where the person started work (in the period)")] == ["5"]
    assert outcomes[(shares, "Of those, still in work at 13 weeks")] == ["20%"]
    circles = found["circles"]
    assert circles[("Circle meetings per month", "Meetings held")][2] == "1"
    assert circles[("Circle meetings per month", "Median attendance rate (recorded attendance only)")][2] == "83%"
    assert circles[("Circle meetings per month", "Cases discussed")][2] == "fewer than 5"
    people = found["participation"]
    assert people[("People taking part per month", "People who posted")][2] == "7"
    assert people[("People taking part per month", "People who replied")][2] == "fewer than 5"
    assert people[("People taking part per month", "People who attended a circle meeting")][2] == "5"
    # The page shows the same numbers as its CSVs.
    html = client.get("/insights?period=3").get_data(as_text=True)
    assert "71%" in html and "83%" in html and "75%" in html and "7.0" in html


def test_a_theme_with_four_authors_is_fewer_than_5_everywhere(app, known):
    client = client_for(app, known["manager"])
    html = client.get("/insights?period=3&theme=debt").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert "Debt, " in svg and "fewer than 5" in svg
    assert re.search(r"<th scope=\"row\">Debt</th>(\s*<td[^>]*>fewer than 5</td>)+", html)
    text = client.get("/insights/themes.csv?period=3&theme=debt").get_data(as_text=True)
    assert rows_of(text)[("Cases and stories per theme per month", "Debt")] == ["fewer than 5"] * 4


def test_one_hidden_team_hides_another_so_the_total_reveals_nothing(app, known):
    # South wrote one Housing post this month: hidden; North's 6 are hidden with it, since
    # the whole organisation's 7 minus North's 6 would reveal South's 1.
    client = client_for(app, known["admin"])
    north = rows_of(client.get(f"/insights/themes.csv?period=3&team={known['north']}").get_data(as_text=True))
    south = rows_of(client.get(f"/insights/themes.csv?period=3&team={known['south']}").get_data(as_text=True))
    whole = rows_of(client.get("/insights/themes.csv?period=3").get_data(as_text=True))
    key = ("Cases and stories per theme per month", "Housing")
    assert whole[key][2] == "7"
    assert north[key][2] == "fewer than 5" and south[key][2] == "fewer than 5"


def test_a_small_team_cannot_be_chosen(app, known):
    client = client_for(app, known["admin"])
    answer = client.get(f"/insights?period=3&team={known['tiny']}")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Tiny has fewer than 5 active people" in html and "Whole organisation" in html


def test_the_unanswered_list_ignores_the_team_and_never_shows_circle_cases(app, known):
    client = client_for(app, known["admin"])
    for query in ("period=3", f"period=3&team={known['north']}"):
        html = client.get(f"/insights?{query}").get_data(as_text=True)
        assert f'href="/posts/{known["waiting"]}"' in html
        assert "Tiny" not in html.split("Cases with no reply after 7 days")[1].split("</section>")[0]


def test_nothing_said_in_a_circle_reaches_insights(app, known):
    for person in (known["manager"], known["admin"]):
        client = client_for(app, person)
        outputs = [client.get("/insights?period=3").get_data(as_text=True),
                   client.get("/insights?period=12").get_data(as_text=True)]
        outputs += [client.get(f"/insights/{section}.csv?period=3").get_data(as_text=True) for section in SECTIONS]
        for text in outputs:
            for planted in PLANTED:
                assert planted not in text


def test_advisers_and_facilitators_get_403_and_managers_set_up_two_factor_first(app, known, make_user):
    facilitator = known["b"][3]
    for person in (known["a"][0], facilitator):
        client = client_for(app, person)
        assert client.get("/insights").status_code == 403
        assert client.get("/insights/cases.csv").status_code == 403
    newcomer = make_user(Role.MANAGER, name="New.Manager", two_factor=False)
    client = client_for(app, newcomer)
    answer = client.get("/insights")
    assert answer.status_code == 302 and "/account/two-factor" in answer.headers["Location"]
    assert client.get("/insights/cases.csv").status_code == 302


def test_a_manager_chooses_their_own_team_or_the_organisation_only(app, known):
    client = client_for(app, known["manager"])
    assert client.get(f"/insights?team={known['north']}").status_code == 200
    answer = client.get(f"/insights?team={known['south']}")
    assert answer.status_code == 400 and "Choose a team from the list" in answer.get_data(as_text=True)


def test_bad_filters_are_explained_at_their_fields_and_kept(app, known):
    client = client_for(app, known["manager"])
    answer = client.get("/insights?period=custom&since=2026-05-10&until=2026-01-01&team=999&theme=no-such-theme")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert "<title>Error: Insights" in html
    for message in ("The end of the period must be the same as or after its start", "Choose a team from the list",
                    "Choose a theme from the list"):
        assert html.count(message) == 2  # in the summary and beside the field
    assert typed_date(html, "since") == ("10", "5", "2026") and typed_date(html, "until") == ("1", "1", "2026")
    assert client.get("/insights/cases.csv?period=custom&since=2026-05-10&until=2026-01-01").status_code == 400
    assert client.get("/insights?section=cases&period=nonsense").status_code == 400
    assert client.get("/insights?section=cases&period=3&csrf_token=x").status_code == 200
    assert client.get("/insights?since=not-a-date&period=custom").status_code == 400
    assert client.get("/insights/nothing.csv").status_code == 404
    missing = client.get("/insights?period=custom&since=2026-05-10")
    assert missing.status_code == 400 and "Enter both the start and the end of the period" in missing.get_data(as_text=True)


def test_custom_dates_snap_to_whole_months(app, known):
    client = client_for(app, known["manager"])
    text = client.get("/insights/cases.csv?period=custom&since=2026-01-17&until=2026-03-02").get_data(as_text=True)
    assert "January 2026 to March 2026" in text
    assert "Table,Figure,Jan 2026,Feb 2026,Mar 2026,Whole period" in text


def test_the_page_runs_a_fixed_number_of_statements(app, known, count_queries, make_user, make_post, make_theme):
    client = client_for(app, known["manager"])
    client.get("/insights?period=12")
    with count_queries() as unchanged:
        client.get("/insights?period=12")
    for i in range(6):
        make_post(f"More {i}", author=make_user(name=f"More{i}"), themes=[make_theme(f"Theme {i}")])
    # The posts changed this month's summary (and its token): this month is read again, the others are kept.
    with count_queries() as changed:
        client.get("/insights?period=12")
    with count_queries() as unchanged_again:
        client.get("/insights?period=12")
    assert len(unchanged) == len(unchanged_again) == KEPT_STATEMENTS, [s[:60] for s in unchanged]
    assert len(changed) == STATEMENTS, [s[:60] for s in changed]


def test_a_managers_home_shows_the_week_at_a_glance(app, known):
    html = client_for(app, known["manager"]).get("/").get_data(as_text=True)
    assert "This week at a glance" in html and "in the review queue" in html and 'href="/insights' in html
    assert "This week at a glance" not in client_for(app, known["a"][0]).get("/").get_data(as_text=True)


def test_the_pulse_shows_per_circle_and_organisation_wide_only_from_5_closed_answers(app, known, make_circle, make_meeting):
    import secrets

    from forum.meetings.models import MeetingStatus, PulseAnswer

    ten_days_ago = utcnow() - timedelta(days=10)
    answers = {"Fivefold circle": [(4, 2), (5, 3), (3, 4), (4, 2), (4, 4)], "Fourfold circle": [(1, 1), (2, 1), (1, 2), (2, 2)]}
    with app.app_context():
        for name, given in answers.items():
            meeting = make_meeting(make_circle(name), ten_days_ago, status=MeetingStatus.FINISHED,
                                   finished_at=ten_days_ago + timedelta(hours=1), started_at=ten_days_ago)
            db.session.add_all(PulseAnswer(id=secrets.token_hex(16), meeting_id=meeting, usefulness=useful, coping=coping)
                               for useful, coping in given)
        db.session.commit()
    pulse_rows = {figure: values for (table, figure), values in csvs(client_for(app, known["manager"]))["circles"].items()
                  if table.startswith("How the meetings felt")}
    assert pulse_rows["Usefulness (1 to 5): Fivefold circle"] == ["4.0 of 5"]
    assert pulse_rows["Usefulness (1 to 5): Fourfold circle"] == ["fewer than 5"]
    # "How are you doing" only for the whole organisation: 9 answers, (2+3+4+2+4+1+1+2+2) / 9.
    assert pulse_rows["How people are doing at work (1 to 5, whole organisation)"] == ["2.3 of 5"]
    assert not any("doing" in figure and "circle" in figure for figure in pulse_rows)


def test_what_helped_and_routing_figures_are_organisation_wide_and_need_5_authors(app, known, make_reply):
    from forum.cases.models import Post

    def mark(number: int, hours: int) -> None:
        with app.app_context():
            case = db.session.scalars(select(Post).where(Post.title.like("Housing case %")).order_by(Post.id)).all()[number]
            case.helped_reply_id = make_reply(case.id, "This worked.", author=known["b"][0],
                                              at=case.published_at + timedelta(hours=hours))
            db.session.commit()

    def helping() -> dict:
        return {figure: values for (table, figure), values in csvs(client_for(app, known["manager"]))["cases"].items()
                if table.startswith("Help for unanswered cases")}

    for number, hours in enumerate((10, 11, 12, 13)):
        mark(number, hours)
    assert helping()["Median hours to a reply marked “what helped”"] == ["fewer than 5"]  # 4 authors
    mark(4, 20)
    assert helping()["Median hours to a reply marked “what helped”"] == ["12.0"]  # 10, 11, 12, 13, 20 hours
