"""What organisers read: results with server-drawn charts, filters, who has not answered,
the CSV export, the printable report and ratings compared across events."""

import csv
import io
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import AuditEntry, EventKind, RegistrationStatus, Sector, SurveyLink
from app.services import surveys
from app.services.surveys import reports
from tests.conftest import local
from tests.feedback_data import answers, links, participant, past_event, survey_for


def answer(survey, registration, **choices):
    link = links(survey)[registration.id]
    surveys.submit(link, MultiDict(answers(survey, **choices)))


@pytest.fixture
def organiser_client(client, auth, organiser):
    auth.login(organiser)
    return client


@pytest.fixture
def small_groups_shown(app):
    """Results of groups of any size, to test filtering itself (by default a group needs 5)."""
    app.config["FEEDBACK_MIN_GROUP"] = 1
    yield
    app.config["FEEDBACK_MIN_GROUP"] = 5


@pytest.fixture
def held(make_event, organiser):
    """A named survey: four invited, three answered, one confirmed who did not come."""
    event = past_event(make_event, organiser, title="Inspirationsdag i Linköping")
    survey = survey_for(event, anonymous=False)
    karin = participant(event, "Karin Lind", municipality="Linköping")
    asa = participant(event, "Åsa Öberg", sector=Sector.ADULT_EDUCATION, municipality="Norrköping")
    per = participant(event, "Per Persson", sector=Sector.PUBLIC_EMPLOYMENT_SERVICE, municipality="Linköping")
    participant(event, "Tyra Tyst", municipality="Motala")
    participant(event, "Bo Borta", status=RegistrationStatus.CONFIRMED, municipality="Motala")
    surveys.send_due_survey_mail()
    answer(survey, karin, overall="5", usefulness="4", valuable='=HYPERLINK("http://evil")', validation="Ja")
    answer(
        survey,
        asa,
        overall="4",
        usefulness="4",
        valuable="Nätverket",
        validation="Kanske",
        future=("Workshoppar", "Webbinarier"),
    )
    answer(
        survey, per, overall="3", usefulness="2", valuable="", better="Mer tid för frågor", validation="Ja", future=()
    )
    return event, survey


def test_results_show_the_response_rate_averages_charts_and_free_texts(organiser_client, held):
    event, survey = held
    response = organiser_client.get(f"/manage/events/{event.id}/feedback")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "3 av 4 inbjudna har svarat" in page and "75" in page
    overall = survey.questions[0]
    assert f'data-average="{overall.id}">4,0<' in page
    # Charts are SVG drawn on the server, named and described for screen readers.
    charts = re.findall(r'<svg class="bar-chart" role="img" aria-labelledby="([^"]+)"', page)
    assert len(charts) == 4  # two ratings, two choice questions
    assert f'<title id="chart-{overall.id}-title">Vilket helhetsbetyg ger du evenemanget?</title>' in page
    assert "1 – Mycket dåligt: 0 (0" in page and "5 – Mycket bra: 1 (33" in page
    assert "Ja: 2 (67" in page and "Kanske: 1 (33" in page
    # Multiple choice: the share of those who answered the question (two did).
    assert "Workshoppar: 2 (100" in page and "Webbinarier: 1 (50" in page
    assert "<table" in page and "Visa som tabell" in page  # the values also as a table
    assert "Nätverket" in page and "Mer tid för frågor" in page
    assert "=HYPERLINK(&#34;http://evil&#34;)" in page or "=HYPERLINK(&quot;http://evil&quot;)" in page
    # The CSP allows neither inline styles nor inline scripts.
    assert "style=" not in page and not re.search(r"<script(?![^>]*\bsrc=)", page)


def test_a_filtered_group_smaller_than_five_shows_only_its_size(organiser_client, held):
    event, _ = held
    page = organiser_client.get(f"/manage/events/{event.id}/feedback", query_string={"sector": "adult_education"})
    text = page.get_data(as_text=True)
    assert "1 svar matchar filtren." in text and "data-withheld" in text
    assert "Nätverket" not in text and "data-average" not in text
    csv_download = organiser_client.get(f"/manage/events/{event.id}/feedback.csv?sector=adult_education")
    assert csv_download.status_code == 302


def test_named_results_filter_by_sector_and_municipality(organiser_client, held, small_groups_shown):
    event, survey = held
    url = f"/manage/events/{event.id}/feedback"
    page = organiser_client.get(url, query_string={"sector": "adult_education"}).get_data(as_text=True)
    assert "1 svar matchar filtren." in page and "Nätverket" in page and "Mer tid för frågor" not in page
    page = organiser_client.get(url, query_string={"municipality": "Linköping"}).get_data(as_text=True)
    assert "2 svar matchar filtren." in page and f'data-average="{survey.questions[0].id}">4,0<' in page
    assert '<option value="Motala"' not in page  # only municipalities of respondents are offered
    page = organiser_client.get(url, query_string={"sector": "pirates", "municipality": "Atlantis"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Okänd sektor; visar alla." in text and "Okänd kommun; visar alla." in text
    assert "3 av 4 inbjudna har svarat" in text
    blank = organiser_client.get(url, query_string={"sector": " ", "municipality": " "})  # Optional() lets it by
    assert blank.status_code == 200 and "3 av 4 inbjudna har svarat" in blank.get_data(as_text=True)


def test_the_non_responders_are_listed_for_a_named_survey(organiser_client, held):
    event, _ = held
    page = organiser_client.get(f"/manage/events/{event.id}/feedback/pending").get_data(as_text=True)
    assert "Tyra Tyst" in page
    assert "Karin Lind" not in page and "Bo Borta" not in page  # answered; not invited
    assert "1 person har inte svarat" in page


def test_the_csv_has_every_answer_for_excel_and_is_logged(organiser_client, held, organiser, small_groups_shown):
    event, survey = held
    response = organiser_client.get(f"/manage/events/{event.id}/feedback.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.data
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:6] == ["Namn", "E-postadress", "Organisation", "Sektor", "Kommun", "Svarade"]
    assert rows[0][6] == "Vilket helhetsbetyg ger du evenemanget?"
    assert [row[0] for row in rows[1:]] == ["Karin Lind", "Per Persson", "Åsa Öberg"]
    karin, per, asa = rows[1:]
    assert karin[6:9] == ["5", "4", '\'=HYPERLINK("http://evil")']  # a formula stays text
    assert karin[10] == "Ja" and asa[11] == "Workshoppar, Webbinarier" and per[9] == "Mer tid för frågor"
    assert asa[3] == "Vuxenutbildning"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "feedback.exported")).one()
    assert entry.actor_id == organiser.id and entry.event_id == event.id

    filtered = organiser_client.get(f"/manage/events/{event.id}/feedback.csv?sector=adult_education")
    assert len(list(csv.reader(io.StringIO(filtered.data.decode("utf-8-sig")), delimiter=";"))) == 2
    log = organiser_client.get(f"/manage/events/{event.id}/log").get_data(as_text=True)
    assert "Laddade ner utvärderingens svar (CSV)" in log


def test_an_anonymous_survey_reveals_nobody_on_any_organiser_page(organiser_client, make_event, organiser):
    event = past_event(make_event, organiser)
    survey = survey_for(event, anonymous=True)
    karin = participant(event, "Karin Lind", municipality="Linköping")
    participant(event, "Tyra Tyst", municipality="Motala")
    surveys.send_due_survey_mail()
    token = links(survey)[karin.id].token
    organiser_client.post(f"/s/{token}", data=answers(survey, valuable="Mitt hemliga svar"))
    organiser_client.delete_cookie("survey_key", path=f"/s/{token}")

    base = f"/manage/events/{event.id}"
    results = organiser_client.get(f"{base}/feedback?sector=municipality&municipality=Linköping")
    page = results.get_data(as_text=True)
    assert "1 av 2 inbjudna har svarat" in page
    assert "Karin Lind" not in page and 'name="sector"' not in page and "matchar filtren" not in page
    # One answer: her words would point to her, so they wait for five.
    assert "Mitt hemliga svar" not in page and "när 5 personer har svarat" in page
    pending = organiser_client.get(f"{base}/feedback/pending").get_data(as_text=True)
    assert "Tyra Tyst" not in pending and "vilka som har svarat visas inte" in pending
    assert organiser_client.get(f"{base}/feedback.csv?sector=municipality").status_code == 302
    report = organiser_client.get(f"{base}/report").get_data(as_text=True)
    assert "Karin Lind" not in report and "Mitt hemliga svar" not in report
    # The personal link, which an organiser can read on the sent mail page, shows no answers.
    page = organiser_client.get(f"/s/{token}").get_data(as_text=True)
    assert "Mitt hemliga svar" not in page and "Du har redan svarat" in page


def test_the_printable_report_has_participants_attendance_and_feedback(organiser_client, held):
    event, survey = held
    page = organiser_client.get(f"/manage/events/{event.id}/report").get_data(as_text=True)
    assert "Rapport: Inspirationsdag i Linköping" in page
    assert "<strong data-registered>5</strong> anmälda" in page
    assert "<strong data-attended>4</strong> närvarade" in page
    sectors = page[page.index("Per sektor") : page.index("Per kommun")]
    assert "<td>Kommun</td><td>3</td><td>2</td>" in sectors
    assert "<td>Vuxenutbildning</td><td>1</td><td>1</td>" in sectors
    municipalities = page[page.index("Per kommun") : page.index('id="feedback"')]
    assert municipalities.index("Linköping") < municipalities.index("Norrköping")
    assert "<td>Motala</td><td>2</td><td>1</td>" in municipalities
    assert "3 av 4 inbjudna har svarat" in page and 'role="img"' in page
    assert "style=" not in page


def test_the_report_works_without_a_survey_and_without_check_in(organiser_client, make_event, organiser):
    event = past_event(make_event, organiser)
    participant(event, status=RegistrationStatus.CONFIRMED, municipality="")
    page = organiser_client.get(f"/manage/events/{event.id}/report").get_data(as_text=True)
    assert "Ingen incheckning registrerades" in page and "Evenemanget har ingen utvärderingsenkät." in page
    assert "<td>Inte angiven</td><td>1</td>" in page


def rated(make_event, organiser, ratings, **fields):
    event = make_event(organisers=[organiser] if organiser else [], **fields)
    survey = survey_for(event, anonymous=False)
    for rating in ratings:
        registration = participant(event)
        link = SurveyLink(survey=survey, registration=registration)
        db.session.add(link)
        db.session.commit()
        surveys.submit(link, MultiDict(answers(survey, overall=str(rating))), now=event.ends_at)
    return event


def test_ratings_are_compared_by_kind_and_region_year_by_year(organiser_client, make_event, organiser, make_user):
    linkoping = rated(make_event, organiser, [5, 4, 4], starts_at=local(2019, 1, 31, 9), region_code="05")
    rated(
        make_event,
        organiser,
        [3, 4],
        starts_at=local(2019, 2, 12, 9),
        region_code="07",
        kind=EventKind.REGIONAL_CONFERENCE,
    )
    rated(make_event, organiser, [2], starts_at=local(2020, 3, 1, 9), region_code=None, kind=EventKind.WORKSHOP)
    rated(make_event, make_user(), [1, 1], starts_at=local(2019, 5, 1, 9), region_code="05")  # someone else's

    comparison = reports.comparison(organiser)
    assert [(r.year, r.label, round(r.average, 2), r.count) for r in comparison.by_kind] == [
        (2019, "Inspirationsdag", 4.33, 3),
        (2019, "Regional konferens", 3.5, 2),
        (2020, "Workshop", 2.0, 1),
    ]
    assert [(r.year, r.label, r.count) for r in comparison.by_region] == [
        (2019, "Kronoberg", 2),
        (2019, "Östergötland", 3),
        (2020, "Nationellt", 1),
    ]
    page = organiser_client.get("/manage/feedback").get_data(as_text=True)
    assert "2019 · Inspirationsdag: 4,3 (3)" in page and "2020 · Nationellt: 2,0 (1)" in page
    assert linkoping.title in page and page.count('role="img"') == 2 and "style=" not in page

    by_event = reports.average_rating_by_event([linkoping.id])
    assert list(by_event) == [linkoping.id] and by_event[linkoping.id][1] == 3
    by_region = reports.average_rating_by_region()
    ostergotland = linkoping.region_id
    assert by_region[ostergotland] == (pytest.approx(15 / 5), 5)  # all events, whoever manages them
    assert by_region[None] == (2.0, 1)
    assert reports.average_rating_by_event([]) == {}


def test_an_admin_compares_every_event(client, auth, admin, make_event, make_user):
    rated(make_event, make_user(), [4], starts_at=local(2019, 5, 1, 9))
    auth.login(admin)
    assert "2019 · Inspirationsdag: 4,0 (1)" in client.get("/manage/feedback").get_data(as_text=True)


def test_the_results_page_makes_the_same_queries_however_many_answer(
    organiser_client, held, count_queries, small_groups_shown
):
    event, survey = held
    event_id = event.id
    urls = [
        f"/manage/events/{event_id}/{path}"
        for path in (
            "feedback",
            "feedback?municipality=Linköping",
            "feedback/pending",
            "report",
        )
    ]

    def measure(url):
        db.session.expunge_all()
        with count_queries() as statements:
            assert organiser_client.get(url).status_code == 200
        return len(statements)

    few = {url: measure(url) for url in urls}
    event = db.session.get(type(event), event_id)
    survey = surveys.survey_of(event)
    for n in range(20):
        person = participant(event, municipality="Linköping" if n % 2 else "Åtvidaberg")
        link = SurveyLink(survey=survey, registration=person)
        db.session.add(link)
        db.session.commit()
        if n % 3:
            surveys.submit(link, MultiDict(answers(survey, overall=str(n % 5 + 1), better=f"Tanke {n}")))
    assert {url: measure(url) for url in urls} == few


def test_the_comparison_makes_the_same_queries_however_many_events(
    organiser_client, make_event, organiser, count_queries
):
    rated(make_event, organiser, [4], starts_at=local(2019, 1, 31, 9))

    def measure():
        db.session.expunge_all()
        with count_queries() as statements:
            assert organiser_client.get("/manage/feedback").status_code == 200
        return len(statements)

    organiser_id = organiser.id
    few = measure()
    organiser = db.session.get(type(organiser), organiser_id)
    for year in (2019, 2020, 2021):
        for code in ("05", "07", None):
            rated(make_event, organiser, [3, 5], starts_at=local(year, 4, 1, 9), region_code=code)
    assert measure() == few


SURVEY_URLS = [
    ("get", "/manage/events/{id}/feedback"),
    ("post", "/manage/events/{id}/feedback/create"),
    ("get", "/manage/events/{id}/feedback/settings"),
    ("post", "/manage/events/{id}/feedback/settings"),
    ("get", "/manage/events/{id}/feedback/questions"),
    ("get", "/manage/events/{id}/feedback/questions/new"),
    ("post", "/manage/events/{id}/feedback/questions/new"),
    ("get", "/manage/events/{id}/feedback/questions/{q}/edit"),
    ("post", "/manage/events/{id}/feedback/questions/{q}/edit"),
    ("post", "/manage/events/{id}/feedback/questions/{q}/up"),
    ("post", "/manage/events/{id}/feedback/questions/{q}/delete"),
    ("get", "/manage/events/{id}/feedback/pending"),
    ("get", "/manage/events/{id}/feedback.csv"),
    ("get", "/manage/events/{id}/report"),
]


@pytest.mark.parametrize("method, url", SURVEY_URLS + [("get", "/manage/feedback")])
def test_feedback_pages_need_a_login(client, make_event, method, url):
    event = past_event(make_event)
    survey = survey_for(event)
    response = getattr(client, method)(url.format(id=event.id, q=survey.questions[0].id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("method, url", SURVEY_URLS)
def test_other_organisers_get_403_and_change_nothing(client, auth, make_event, organiser, make_user, method, url):
    event = past_event(make_event, organiser)
    survey = survey_for(event)
    question_count = len(survey.questions)
    auth.login(make_user())
    response = getattr(client, method)(
        url.format(id=event.id, q=survey.questions[0].id), data={"kind": "free_text", "text_sv": "Hack"}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert len(survey.questions) == question_count and survey.questions[0].text_sv != "Hack"
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action != "survey.created")) is None


def test_the_event_page_and_dashboard_link_to_feedback(organiser_client, make_event, organiser):
    event = past_event(make_event, organiser)
    page = organiser_client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert f"/manage/events/{event.id}/feedback" in page and f"/manage/events/{event.id}/report" in page
    assert "/manage/feedback" in organiser_client.get("/manage/").get_data(as_text=True)


def test_a_survey_that_has_not_opened_shows_no_rate_yet(organiser_client, make_event, organiser):
    event = make_event(organisers=[organiser], starts_at=local(2099, 1, 1, 9))
    survey_for(event)
    page = organiser_client.get(f"/manage/events/{event.id}/feedback").get_data(as_text=True)
    assert "Ingen har bjudits in att svara än." in page and "Inte öppen än" in page
