"""The recommendations endpoint: the list's filters by their names, every ordering of the list
paged by cursor without a row lost or repeated, a bounded number of queries whatever the page
size, the whole filtered set as JSON lines, and writes at the version read."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recommendations.models import Recommendation
from tests.api.helpers import token_client
from tests.helpers import days, make_cycle, make_recommendation, make_user, today
from tracker.api.records import SORTS


@pytest.fixture
def many(db) -> list[Recommendation]:
    """60 recommendations of two countries and mechanisms, some undated, some urgent."""
    cycles = [make_cycle("KAZ", "CRC", "1"), make_cycle("FRA", "CAT", "2")]
    return [
        make_recommendation(cycles[n % 2], reference=str(n % 7), order=n % 5,
                            date=None if n % 4 == 0 else today() - days(n % 9),
                            urgent=n % 3 == 0, position="noted" if n % 2 else "")
        for n in range(60)
    ]


def every_page(client, url: str) -> list[int]:
    ids = []
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    return ids


@pytest.mark.parametrize("sort", sorted(SORTS))
def test_every_ordering_pages_through_every_row_once_in_the_lists_order(many, sort):
    client = token_client(make_user())
    ids = every_page(client, f"/api/recommendations/?sort={sort}&page_size=7")
    ordering = [field.replace("pk", "id") for field in SORTS[sort]]
    expected = list(Recommendation.objects.current().order_by(*SORTS[sort]).values_list(
        "pk", flat=True))
    assert ids == expected, ordering


def test_the_lists_filters_work_by_their_names(many):
    client = token_client(make_user())
    body = client.get("/api/recommendations/?country=KAZ&urgent=true&page_size=100").json()
    expected = Recommendation.objects.filter(country__code="KAZ", urgent=True)
    assert {row["id"] for row in body["results"]} == set(expected.values_list("pk", flat=True))
    response = client.get("/api/recommendations/?country=NOWHERE")
    assert response.status_code == 400 and "country" in response.json()["fields"]


def record_queries(queries: CaptureQueriesContext) -> list[str]:
    """The queries of the records asked for: the rate limit's counter lives in the shared cache,
    which is the database's cache table by default and Redis or memcached where configured."""
    return [q["sql"] for q in queries.captured_queries
            if "tracker_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]


@pytest.mark.parametrize("size", [1, 50, 500])
def test_a_page_costs_at_most_ten_queries_whatever_its_size(many, size):
    client = token_client(make_user())
    client.get("/api/recommendations/")  # the token's last use written
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/api/recommendations/?page_size={size}&country=KAZ&sort=-date")
    assert response.status_code == 200
    assert len(record_queries(queries)) <= 10
    with CaptureQueriesContext(connection) as queries:
        client.get(f"/api/recommendations/{many[0].pk}/")
    assert len(record_queries(queries)) <= 10


def test_the_whole_filtered_set_streams_as_json_lines(many):
    response = token_client(make_user()).get("/api/recommendations/stream/?mechanism=CAT")
    assert response.streaming and response["Content-Type"] == "application/jsonl"
    rows = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert len(rows) == 30 and {row["mechanism"] for row in rows} == {many[1].mechanism_id}


def test_a_recommendation_carries_its_version_and_a_stale_change_gets_412(many, team):
    client = token_client(team["data_entry"])
    url = f"/api/recommendations/{many[0].pk}/"
    assert client.get(url).headers["ETag"] == '"1"'
    response = client.patch(url, {"urgent": True, "themes": []}, content_type="application/json",
                            headers={"If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    assert many[0].history.latest().history_user == team["data_entry"]
    response = client.patch(url, {"urgent": False}, content_type="application/json",
                            headers={"If-Match": '"1"'})
    assert response.status_code == 412 and response.json()["version"] == 2
    many[0].refresh_from_db()
    assert many[0].urgent


def test_a_database_rule_broken_is_a_field_error_not_a_server_error(many, team):
    response = token_client(team["data_entry"]).patch(
        f"/api/recommendations/{many[0].pk}/", {"action_category": 9, "follow_up_due": "2030-01-01"},
        content_type="application/json", headers={"If-Match": '"1"'},
    )
    assert response.status_code == 400
    assert response.json()["fields"]
