"""The dashboard, the recommendations list (each filter, each sort, a deep page) and the search
page ask the same number of queries, at most 15, on generated data of two sizes (issue 7)."""

import pytest
from django.urls import reverse

from recommendations.models import FollowUpAssessment, Recommendation, Role
from tests.helpers import generate_scale_data, make_organisation, make_user, query_counts

pytestmark = pytest.mark.django_db

# (recommendations, follow-up entries): three times as many the second time.
SIZES = [(1_000, 3_000), (3_000, 9_000)]
MAX_QUERIES = 15
SORTS = ["reference", "status", "country", "mechanism", "kind", "date", "-date", "position"]


def pages() -> dict[str, str]:
    """Each page the benchmark times, by name, with values taken from the generated data."""
    listed = reverse("recommendations:list")
    upr = Recommendation.objects.filter(mechanism__code="UPR").select_related("country")
    sample = upr.exclude(recommending_states=None).exclude(goals=None).order_by("pk").first()
    country = sample.country.code
    urls = {
        "dashboard": reverse("recommendations:dashboard"),
        "list": listed,
        "list, all cycles": f"{listed}?current=0",
        "country": f"{listed}?country={country}",
        "mechanism": f"{listed}?mechanism=UPR",
        "cycle": f"{listed}?cycle={sample.cycle_id}",
        "kind": f"{listed}?kind=recommendation",
        "theme": f"{listed}?theme={sample.themes.first().code}",
        "goal": f"{listed}?goal={sample.goals.first().code}",
        "affected group": f"{listed}?affected_group=children",
        "status": f"{listed}?status=in_progress",
        "organisation": f"{listed}?organisation={FollowUpAssessment.objects.first().organisation_id}",
        "urgent": f"{listed}?urgent=true",
        "follow-up logged": f"{listed}?has_follow_up=true",
        "no follow-up logged": f"{listed}?has_follow_up=false",
        "position": f"{listed}?position=supported",
        "recommending State": f"{listed}?recommending_state={sample.recommending_states.first().code}",
        "issued from": f"{listed}?date_from=2020-01-01",
        "three filters": f"{listed}?country={country}&mechanism=UPR&status=no_information",
        "text": f"{listed}?q=juvenile+justice",
        "deep page": f"{listed}?current=0&page=30",
        "search": f"{reverse('recommendations:search')}?q=juvenile+justice",
    }
    urls.update({f"sorted by {column}": f"{listed}?sort={column}" for column in SORTS})
    return urls


def page_query_counts(client) -> dict[str, int]:
    return query_counts(client, pages())


def test_the_pages_ask_the_same_few_queries_whatever_the_size(client, monkeypatch):
    # The session's last-seen time is saved every few minutes, whichever page it falls on.
    monkeypatch.setattr("tracker.middleware.LAST_SEEN_RESOLUTION", 10**9)
    # Signed in as NGO staff: the list adds its selection column and bulk-log form.
    client.force_login(make_user(organisation=make_organisation(), role=Role.NGO_STAFF))
    counts = []
    for recommendations, assessments in SIZES:
        generate_scale_data(recommendations=recommendations,
                            assessments=assessments, flush=True, verbosity=0)
        counts.append(page_query_counts(client))
    assert counts[0] == counts[1]
    assert max(counts[0].values()) <= MAX_QUERIES, counts[0]
