import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.models import (
    DISPUTED,
    AffectedGroup,
    FollowUpAssessment,
    Recommendation,
    Status,
    SustainableDevelopmentGoal,
    Theme,
)
from tests.helpers import days, make_assessment, make_cycle, make_organisation, make_recommendation, today
from tracker.models import Country
from tracker.tables import EXACT_COUNT_LIMIT

pytestmark = pytest.mark.django_db

URL = reverse("recommendations:list")


def listed(response) -> set[str]:
    """The recommendations on the page, by reference."""
    assert response.status_code == 200
    return {row.record.reference for row in response.context["table"].paginated_rows}


@pytest.fixture
def crc():
    return make_cycle("KAZ", "CRC", "5-6")


def test_it_hides_past_cycles_unless_asked(client, crc):
    make_recommendation(crc, reference="current")
    make_recommendation(make_cycle("KAZ", "CRC", "3-4", is_current=False), reference="past")
    assert listed(client.get(URL)) == {"current"}
    # Unticking "current cycles only" sends only the hidden "0".
    assert listed(client.get(URL, {"current": "0"})) == {"current", "past"}
    # Ticked, the form sends "0" then "1".
    assert listed(client.get(f"{URL}?current=0&current=1")) == {"current"}


def test_the_demo_priorities_belong_to_no_cycle_and_are_listed(client):
    call_command("load_demo", verbosity=0)
    references = listed(client.get(URL, {"mechanism": "OHCHR-ROCA"}))
    assert references == {"1", "2", "3", "4", "5", "6"}
    assert listed(client.get(URL, {"kind": "cooperation_priority"})) == {"1"}


def test_it_filters_by_country(client, crc):
    make_recommendation(crc, reference="kaz")
    make_recommendation(make_cycle("KGZ", "CRC", "5-6"), reference="kgz")
    assert listed(client.get(URL, {"country": "KGZ"})) == {"kgz"}


def test_the_filter_form_keeps_the_chosen_country_selected(client, crc):
    make_recommendation(crc)
    make_recommendation(make_cycle("KGZ", "CRC", "5-6"))
    html = client.get(URL, {"country": "KGZ"}).content.decode()
    assert '<option value="KGZ" selected>Kyrgyzstan</option>' in html
    assert '<option value="KAZ">Kazakhstan</option>' in html
    # Only the countries that have recommendations are offered.
    assert 'value="FRA"' not in html


def test_the_goal_options_show_the_code_and_a_shortened_title(client, crc):
    html = client.get(URL).content.decode()
    title = SustainableDevelopmentGoal.objects.get(code="16.3").title
    assert len(title) > 70
    assert f'<option value="16.3">16.3 {title[:69]}…</option>' in html


def test_the_date_issued_is_shown_with_the_month_in_the_page_language(client, crc):
    make_recommendation(crc, date=datetime.date(2013, 12, 18))
    assert "18 Dec 2013" in client.get(URL).content.decode()
    # The French abbreviation the press uses: "déc.", never "Déc" (nor "Jui", juin or juillet).
    assert "18 déc. 2013" in client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    make_recommendation(crc, date=datetime.date(2028, 7, 12))
    assert "12 juil. 2028" in client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()


def test_it_filters_by_mechanism(client, crc):
    make_recommendation(crc, reference="crc")
    make_recommendation(make_cycle("KAZ", "CEDAW", "5"), reference="cedaw")
    assert listed(client.get(URL, {"mechanism": "CEDAW"})) == {"cedaw"}


def test_a_chosen_cycle_is_listed_even_when_past(client, crc):
    past = make_cycle("KAZ", "CRC", "3-4", is_current=False)
    make_recommendation(crc, reference="current")
    make_recommendation(past, reference="past")
    # Without a country only current cycles are offered; the country brings its past ones.
    assert listed(client.get(URL, {"country": "KAZ", "cycle": past.pk})) == {"past"}
    assert listed(client.get(URL, {"cycle": crc.pk})) == {"current"}


def test_it_filters_by_kind(client, crc):
    make_recommendation(crc, reference="rec")
    make_recommendation(crc, reference="priority", kind=Recommendation.Kind.THEMATIC_PRIORITY)
    assert listed(client.get(URL, {"kind": "thematic_priority"})) == {"priority"}


def test_a_theme_category_matches_its_themes(client, crc):
    category = Theme.objects.get(code="A2")
    make_recommendation(crc, reference="follow-up").themes.add(Theme.objects.get(code="A23"))
    make_recommendation(crc, reference="reservations").themes.add(Theme.objects.get(code="A13"))
    assert listed(client.get(URL, {"theme": category.code})) == {"follow-up"}
    assert listed(client.get(URL, {"theme": "A13"})) == {"reservations"}


def test_a_goal_matches_its_targets(client, crc):
    make_recommendation(crc, reference="target").goals.add(
        SustainableDevelopmentGoal.objects.get(code="16.2")
    )
    make_recommendation(crc, reference="goal").goals.add(SustainableDevelopmentGoal.objects.get(code="16"))
    make_recommendation(crc, reference="other").goals.add(SustainableDevelopmentGoal.objects.get(code="4"))
    assert listed(client.get(URL, {"goal": "16"})) == {"target", "goal"}
    assert listed(client.get(URL, {"goal": "16.2"})) == {"target"}


def test_it_filters_by_affected_group(client, crc):
    make_recommendation(crc, reference="girls").affected_groups.add(AffectedGroup.objects.get(code="girls"))
    make_recommendation(crc, reference="other")
    assert listed(client.get(URL, {"affected_group": "girls"})) == {"girls"}


def test_it_filters_by_current_status(client, crc):
    disputed = make_recommendation(crc, reference="disputed")
    make_assessment(disputed, make_organisation(), Status.IMPLEMENTED)
    make_assessment(disputed, make_organisation(), Status.NOT_STARTED)
    make_assessment(make_recommendation(crc, reference="done"), make_organisation(), Status.IMPLEMENTED)
    make_recommendation(crc, reference="silent")
    assert listed(client.get(URL, {"status": DISPUTED})) == {"disputed"}
    assert listed(client.get(URL, {"status": Status.IMPLEMENTED})) == {"done"}
    assert listed(client.get(URL, {"status": Status.NO_INFORMATION})) == {"silent"}


def test_status_by_organisation_reads_its_latest_entry_beyond_drafts(client, crc):
    ngo, other = make_organisation(), make_organisation()
    moved_on = make_recommendation(crc, reference="moved-on")
    make_assessment(moved_on, ngo, Status.NOT_STARTED, date=today() - days(60))
    make_assessment(moved_on, ngo, Status.IN_PROGRESS, date=today() - days(10),
                    review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    still = make_recommendation(crc, reference="still")
    make_assessment(still, ngo, Status.NOT_STARTED, date=today() - days(60))
    # A later draft is nobody's view yet.
    make_assessment(still, ngo, Status.IMPLEMENTED, review_state=FollowUpAssessment.ReviewState.DRAFT)
    make_assessment(make_recommendation(crc, reference="other"), other, Status.NOT_STARTED)

    not_started = {"organisation": ngo.pk, "organisation_status": Status.NOT_STARTED}
    assert listed(client.get(URL, not_started)) == {"still"}
    assert listed(client.get(URL, {"organisation": ngo.pk})) == {"moved-on", "still"}


def test_a_status_by_organisation_without_the_organisation_is_a_form_error(client, crc):
    make_recommendation(crc)
    response = client.get(URL, {"organisation_status": Status.NOT_STARTED})
    assert listed(response) == set()
    assert "organisation" in response.context["filter"].form.errors


@pytest.mark.parametrize("name", ["urgent", "follow_up"])
def test_it_filters_by_flags(client, crc, name):
    make_recommendation(crc, reference="flagged", **{name: True})
    make_recommendation(crc, reference="plain")
    assert listed(client.get(URL, {name: "true"})) == {"flagged"}
    assert listed(client.get(URL, {name: "false"})) == {"plain"}


def test_it_filters_by_whether_follow_up_was_logged(client, crc):
    make_assessment(make_recommendation(crc, reference="logged"), make_organisation(), Status.IN_PROGRESS)
    drafted = make_recommendation(crc, reference="drafted")
    make_assessment(drafted, make_organisation(), Status.IN_PROGRESS,
                    review_state=FollowUpAssessment.ReviewState.DRAFT)
    assert listed(client.get(URL, {"has_follow_up": "false"})) == {"drafted"}
    assert listed(client.get(URL, {"has_follow_up": "true"})) == {"logged"}


def test_it_filters_upr_recommendations_by_position_and_recommending_state(client):
    upr = make_cycle("KAZ", "UPR", "3")
    from_france = make_recommendation(upr, reference="140.1", position=Recommendation.Position.SUPPORTED)
    from_france.recommending_states.add(Country.objects.get(code="FRA"))
    make_recommendation(upr, reference="140.2", position=Recommendation.Position.NOTED)
    assert listed(client.get(URL, {"position": "noted"})) == {"140.2"}
    assert listed(client.get(URL, {"recommending_state": "FRA"})) == {"140.1"}


def test_it_filters_by_words_of_the_text(client, crc):
    make_recommendation(crc, reference="violence", text="Prevent violence against children in schools.")
    make_recommendation(crc, reference="budget", text="Allocate a budget to children's services.")
    assert listed(client.get(URL, {"q": "violence children"})) == {"violence"}
    assert listed(client.get(URL, {"q": "children"})) == {"violence", "budget"}


def test_it_filters_by_date_issued(client, crc):
    make_recommendation(crc, reference="2015", date=datetime.date(2015, 10, 30))
    make_recommendation(crc, reference="2025", date=datetime.date(2025, 6, 1))
    assert listed(client.get(URL, {"date_from": "2020-01-01"})) == {"2025"}
    assert listed(client.get(URL, {"date_to": "2020-01-01"})) == {"2015"}


def test_malformed_filters_show_the_form_errors_not_a_server_error(client, crc):
    make_recommendation(crc)
    response = client.get(URL, {
        "date_from": "30/02/2020", "country": "XXX", "cycle": "abc", "goal": "99.99",
        "urgent": "maybe", "per_page": "1000000", "page": "-3", "sort": "nonsense",
        "q": "x" * 500,
    })
    assert response.status_code == 200
    errors = response.context["filter"].form.errors
    assert {"date_from", "country", "cycle", "goal", "q"} <= set(errors)
    assert "Some filters are not valid" in response.content.decode()


def test_the_page_size_is_chosen_among_25_50_and_100(client, crc):
    Recommendation.objects.bulk_create(
        Recommendation(cycle=crc, country=crc.country, mechanism=crc.mechanism, reference=str(n),
                       order=n, text="Text.")
        for n in range(60)
    )
    assert len(listed(client.get(URL))) == 25
    assert len(listed(client.get(URL, {"per_page": 50}))) == 50
    # Any other size falls back to the default rather than letting a URL ask for everything.
    assert len(listed(client.get(URL, {"per_page": 100000}))) == 25
    assert listed(client.get(URL, {"per_page": 50, "page": 2})) == {str(n) for n in range(50, 60)}


def test_it_sorts_by_a_column(client, crc):
    make_recommendation(crc, reference="old", date=datetime.date(2010, 1, 1))
    make_recommendation(crc, reference="new", date=datetime.date(2020, 1, 1))
    rows = client.get(URL, {"sort": "-date"}).context["table"].paginated_rows
    assert [row.record.reference for row in rows] == ["new", "old"]


def test_the_unfiltered_list_is_paged_without_counting_the_rows(client, crc):
    for _ in range(30):
        make_recommendation(crc)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.context["table"].page.has_next()
    # LazyPaginator reads one row past the page; the count shown stops at EXACT_COUNT_LIMIT + 1.
    counts = [query["sql"] for query in queries if "COUNT(" in query["sql"]]
    assert len(counts) == 1 and f"LIMIT {EXACT_COUNT_LIMIT + 1}" in counts[0], counts
    assert "30 matching rows" in response.content.decode()


def test_the_count_of_matching_rows_follows_the_filters(client, crc):
    make_recommendation(crc, text="Adopt a law on juvenile justice.")
    make_recommendation(crc, text="Ratify the Optional Protocol.")
    assert "1 matching row<" in client.get(URL, {"q": "juvenile"}).content.decode()
    assert "2 matching rows" in client.get(URL).content.decode()


def test_beyond_the_limit_the_count_is_an_estimate(client, crc, monkeypatch):
    monkeypatch.setattr("tracker.tables.EXACT_COUNT_LIMIT", 3)
    for _ in range(5):
        make_recommendation(crc)
    content = client.get(URL).content.decode()
    if connection.vendor == "postgresql":  # the planner's estimate, however rough
        assert re.search(r"About [\d,]+ matching rows", content)
    else:  # SQLite gives no estimate
        assert "More than 3 matching rows" in content


@pytest.mark.parametrize("count", [3, 40])
def test_the_number_of_queries_does_not_grow_with_the_rows(client, crc, count, django_assert_max_num_queries):
    organisation = make_organisation()
    theme = Theme.objects.get(code="A13")
    for _ in range(count):
        recommendation = make_recommendation(crc, urgent=True)
        recommendation.themes.add(theme)
        make_assessment(recommendation, organisation, Status.IN_PROGRESS)
    filters = {"country": "KAZ", "mechanism": "CRC", "theme": "A13", "q": "law", "per_page": 100}
    with django_assert_max_num_queries(15):
        assert len(listed(client.get(URL, filters))) == count
