"""Garbage in any query parameter of any filtered page gives a page (the form's errors, or a 404
for a page number past the end), never a server error."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.urls import reverse

from recommendations.filters import MeasureFilter, RecommendationFilter, ReviewQueueFilter
from recommendations.models import Measure, Role
from tests.helpers import days, make_assessment, make_milestone, make_organisation, make_recommendation, make_user, today
from recommendations.filters import DeadlineFilter
from tracker.accounts.tokens import calendar_token
from tracker.filters import CycleFilter, FrameworkFilter, OfficeFilter
from tracker.models import Document, Milestone

pytestmark = pytest.mark.django_db

# Each already percent-encoded, as a browser or a script would send it.
BAD_VALUES = {
    "nul": "%00",
    "word": "abc",
    "negative": "-1",
    "huge": "99999999999999999999",
    "overflowing-float": "1e309",
    "impossible-date": "2024-13-45",
    "markup": quote('<script>alert("x")</script>'),
    "long": "x" * 5000,
    "invalid-utf8": "%ff%fe%C3",
    "surrogate": "%ED%A0%80",
    "empty": "",
    "nonexistent": "nonexistent",
}
TABLE_PARAMETERS = ["page", "per_page", "sort"]


def parameters(filterset_class) -> list[str]:
    return [*filterset_class.base_filters, *TABLE_PARAMETERS]


@pytest.fixture
def pages(client) -> dict[str, list[str]]:
    """Every page that reads its query string, with the parameters it reads."""
    organisation = make_organisation()
    user = make_user(organisation=organisation, role=Role.REVIEWER, is_superuser=True)
    recommendation = make_recommendation(follow_up=True, follow_up_due=today() + days(10))
    make_assessment(recommendation, organisation, "implemented", review_state="submitted")
    make_milestone(recommendation.cycle, Milestone.Kind.REPLIES_DUE, planned_date=today())
    document = Document.objects.create(
        cycle=recommendation.cycle, kind=Document.Kind.LIST_OF_ISSUES, symbol="CRC/C/KAZ/Q/5-6"
    )
    measure = Measure.objects.create(title="A law", country=recommendation.country)
    measure.recommendations.add(recommendation)
    client.force_login(user)
    cycle = recommendation.cycle.pk
    common = ["q", "page", "paragraphs"]
    return {
        reverse("recommendations:dashboard"): common,
        reverse("recommendations:list"): parameters(RecommendationFilter),
        reverse("recommendations:export-csv"): parameters(RecommendationFilter),
        reverse("recommendations:export-xlsx"): parameters(RecommendationFilter),
        reverse("recommendations:export-uhri"): parameters(RecommendationFilter),
        reverse("recommendations:review-queue"): parameters(ReviewQueueFilter),
        reverse("recommendations:measures"): parameters(MeasureFilter),
        reverse("recommendations:measure", args=[measure.pk]): common,
        reverse("recommendations:search"): common,
        reverse("recommendations:detail", args=[recommendation.pk]): common,
        reverse("recommendations:history", args=[recommendation.pk]): common,
        reverse("recommendations:cycle-report", args=[cycle]): common,
        reverse("tracker:cycles"): parameters(CycleFilter),
        reverse("tracker:cycle", args=[cycle]): common,
        reverse("tracker:cycle-history", args=[cycle]): common,
        reverse("tracker:document", args=[document.pk]): common,
        reverse("tracker:document-history", args=[document.pk]): common,
        reverse("recommendations:deadlines"): parameters(DeadlineFilter),
        reverse("tracker:frameworks"): parameters(FrameworkFilter),
        reverse("tracker:offices"): parameters(OfficeFilter),
        reverse("recommendations:calendar-user", args=[calendar_token(user=user.pk)]): common,
        reverse("recommendations:calendar-country", args=[calendar_token(country="KAZ")]): common,
    }


def assert_answers(client, url: str, query: str) -> None:
    response = client.get(f"{url}?{query}")
    if response.status_code == 302:  # an export sends invalid filters back to the list
        response = client.get(response.url)
    if response.status_code == 400:
        # Django refuses to redirect to an address longer than 16,384 characters: an export with
        # filters that long cannot send them back to the list, and says why on the error page.
        assert len(query) > 16_384, f"{url}?{query[:200]}: 400"
        assert "The tracker could not handle this request" in response.content.decode()
        return
    assert response.status_code in (200, 404), f"{url}?{query[:200]}: {response.status_code}"


# One parameter at a time, the values that reach different code (the database, number and date
# parsing, decoding); every value also goes into all parameters at once below.
ONE_AT_A_TIME = ["nul", "huge", "impossible-date", "invalid-utf8", "long", "nonexistent"]


@pytest.mark.parametrize("value", [BAD_VALUES[name] for name in ONE_AT_A_TIME], ids=ONE_AT_A_TIME)
def test_no_garbage_parameter_makes_a_server_error(client, pages, value):
    for url, names in pages.items():
        for name in names:
            assert_answers(client, url, f"{name}={value}")


def test_repeated_and_all_at_once_parameters_make_no_server_error(client, pages):
    for url, names in pages.items():
        assert_answers(client, url, "&".join(f"{name}=1&{name}=abc" for name in names))
        for value in BAD_VALUES.values():
            assert_answers(client, url, "&".join(f"{name}={value}" for name in names))


@pytest.mark.parametrize("url", ["/recommendations/", "/cycles/", "/follow-up/review/"])
def test_a_page_number_too_large_for_the_database_shows_a_page(client, pages, url):
    response = client.get(url, {"page": "99999999999999999999", "per_page": "99999999999999999999"})

    assert response.status_code in (200, 404)


def test_an_impossible_date_is_shown_as_a_form_error(client, pages):
    response = client.get(reverse("recommendations:list"), {"date_from": "2024-13-45"})

    assert response.status_code == 200
    assert "Enter a valid date." in response.content.decode()


def test_a_due_date_window_too_large_for_a_calendar_is_a_form_error(client, pages):
    response = client.get(reverse("recommendations:deadlines"), {"within": "99999999999999999999"})

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to" in response.content.decode()
