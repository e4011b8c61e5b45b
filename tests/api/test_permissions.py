"""The API's permission matrix: each role against each kind of endpoint, reading and writing,
through a personal token, as the pages decide (the model's can_… methods and model
permissions); anonymous callers only read, and only with public read on."""

from __future__ import annotations

import pytest
from django.test import Client

from recommendations.models import FollowUpAssessment
from tests.api.helpers import token_client
from tracker.accounts.models import AuditEvent

LISTS = [
    "/api/countries/", "/api/mechanisms/", "/api/cycles/", "/api/documents/",
    "/api/issue-paragraphs/", "/api/reply-sections/", "/api/reply-paragraphs/",
    "/api/recommendations/", "/api/recommendations/stream/", "/api/follow-up/",
    "/api/measures/", "/api/frameworks/", "/api/offices/", "/api/deadlines/", "/api/imports/",
]
ROLES = ["viewer", "ngo", "other_ngo", "reviewer", "data_entry", "superuser"]


@pytest.mark.parametrize("url", LISTS)
def test_every_list_refuses_anonymous_callers_unless_public_read_is_on(settings, team, url):
    settings.TRACKER_PUBLIC_READ = False
    response = Client().get(url)
    assert response.status_code == 401
    assert response.json()["detail"]
    settings.TRACKER_PUBLIC_READ = True
    assert Client().get(url).status_code == (401 if url == "/api/imports/" else 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", LISTS)
def test_every_role_reads_every_list(settings, team, role, url):
    settings.TRACKER_PUBLIC_READ = False
    assert token_client(team[role]).get(url).status_code == 200


def test_imports_list_only_the_callers_own_jobs_without_the_view_permission(team):
    from recommendations.models import ImportJob

    ImportJob.objects.create(user=team["data_entry"], file_name="a.csv", stored_file="x")
    assert len(token_client(team["data_entry"]).get("/api/imports/").json()["results"]) == 1
    assert token_client(team["ngo"]).get("/api/imports/").json()["results"] == []


# Who reads the first NGO's draft: those who may edit it (its staff) and the superuser; nobody
# else, its own viewer included (as on the pages), for whom it does not exist.
@pytest.mark.parametrize("role, status", [
    ("viewer", 404), ("ngo", 200), ("other_ngo", 404), ("reviewer", 404), ("data_entry", 404),
    ("superuser", 200),
])
def test_a_draft_is_read_only_by_those_who_may_edit_it(team, role, status):
    client = token_client(team[role])
    assert client.get(f"/api/follow-up/{team['draft'].pk}/").status_code == status
    listed = {row["id"] for row in client.get("/api/follow-up/").json()["results"]}
    assert (team["draft"].pk in listed) == (status == 200)
    assert team["submitted"].pk in listed


def test_anonymous_readers_never_see_a_draft(team):
    listed = {row["id"] for row in Client().get("/api/follow-up/").json()["results"]}
    assert listed == {team["submitted"].pk}


@pytest.mark.parametrize("role, status", [
    ("viewer", 403), ("ngo", 201), ("other_ngo", 201), ("reviewer", 403), ("data_entry", 403),
    ("superuser", 201),
])
def test_only_ngo_staff_of_an_organisation_log_follow_up(team, role, status):
    response = token_client(team[role]).post("/api/follow-up/", {
        "recommendation": team["recommendation"].pk, "status": "in_progress",
        "summary": "A bill was tabled.",
    }, content_type="application/json")
    assert response.status_code == status, response.content


@pytest.mark.parametrize("role, status", [
    ("viewer", 404), ("ngo", 200), ("other_ngo", 404), ("reviewer", 404), ("data_entry", 404),
    ("superuser", 200),
])
def test_only_the_organisations_staff_edit_and_submit_its_draft(team, role, status):
    draft = team["draft"]
    client = token_client(team[role])
    response = client.patch(f"/api/follow-up/{draft.pk}/", {"summary": "Changed."},
                            content_type="application/json", headers={"If-Match": '"1"'})
    assert response.status_code == status, response.content
    version = response.headers.get("ETag", '"1"')
    response = client.post(f"/api/follow-up/{draft.pk}/submit/", headers={"If-Match": version})
    assert response.status_code == status


# Nobody reviews an entry of their own organisation: the superuser here is a member of the first
# NGO, whose entry this is.
@pytest.mark.parametrize("role, status", [
    ("viewer", 403), ("ngo", 403), ("other_ngo", 403), ("reviewer", 200), ("data_entry", 403),
    ("superuser", 403),
])
def test_only_reviewers_of_another_organisation_review_a_submitted_entry(team, role, status):
    response = token_client(team[role]).post(
        f"/api/follow-up/{team['submitted'].pk}/review/", {"decision": "accept"},
        content_type="application/json", headers={"If-Match": '"1"'},
    )
    assert response.status_code == status, response.content
    team["submitted"].refresh_from_db()
    accepted = team["submitted"].review_state == FollowUpAssessment.ReviewState.ACCEPTED
    assert accepted == (status == 200)


@pytest.mark.parametrize("role, status", [
    ("viewer", 403), ("ngo", 403), ("other_ngo", 403), ("reviewer", 403), ("data_entry", 201),
    ("superuser", 201),
])
def test_only_data_entry_creates_recommendations_and_measures(team, role, status):
    client = token_client(team[role])
    recommendation = team["recommendation"]
    response = client.post("/api/recommendations/", {
        "mechanism": recommendation.mechanism_id, "country": recommendation.country_id,
        "text": "Adopt a law.", "reference": "99",
    }, content_type="application/json")
    assert response.status_code == status, response.content
    response = client.post("/api/measures/", {
        "title": "A new law", "country": recommendation.country_id,
        "recommendations": [recommendation.pk],
    }, content_type="application/json")
    assert response.status_code == status, response.content


@pytest.mark.parametrize("role, status", [
    ("viewer", 403), ("ngo", 403), ("reviewer", 403), ("data_entry", 200), ("superuser", 200),
])
def test_only_data_entry_changes_recommendations(team, role, status):
    response = token_client(team[role]).patch(
        f"/api/recommendations/{team['recommendation'].pk}/", {"urgent": True},
        content_type="application/json", headers={"If-Match": '"1"'},
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize("role", ROLES)
def test_a_read_only_token_writes_nothing(team, role):
    client = token_client(team[role], can_write=False)
    response = client.post("/api/follow-up/", {
        "recommendation": team["recommendation"].pk, "status": "in_progress", "summary": "x",
    }, content_type="application/json")
    assert response.status_code == 403
    assert response.json() == {"detail": "This token is read-only."}
    assert client.get("/api/recommendations/").status_code == 200


def test_anonymous_callers_write_nothing_even_with_public_read(team):
    response = Client().post("/api/follow-up/", {"recommendation": team["recommendation"].pk},
                             content_type="application/json")
    assert response.status_code == 401


def test_a_refusal_is_written_to_the_audit_log(team):
    token_client(team["viewer"]).post(f"/api/follow-up/{team['submitted'].pk}/review/",
                                      {"decision": "accept"}, content_type="application/json",
                                      headers={"If-Match": '"1"'})
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.PERMISSION_REFUSED)
    assert event.user == team["viewer"]
    assert f"/api/follow-up/{team['submitted'].pk}/review/" in event.detail
