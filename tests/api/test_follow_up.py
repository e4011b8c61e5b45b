"""Follow-up through the API as on the pages: logged, edited at the version read (a stale
If-Match gets 412 and the current version, and changes nothing), submitted, reviewed; each
change in the entry's history under the token's user."""

from __future__ import annotations

from recommendations.models import FollowUpAssessment
from tests.api.helpers import token_client

JSON = "application/json"


def test_a_follow_up_is_logged_edited_submitted_and_accepted(team):
    ngo = token_client(team["ngo"])
    response = ngo.post("/api/follow-up/", {
        "recommendation": team["recommendation"].pk, "status": "in_progress",
        "summary": "A bill was tabled.", "evidence_links": "https://example.org/bill",
    }, content_type=JSON)
    assert response.status_code == 201
    entry = response.json()
    assert entry["review_state"] == "draft" and entry["links"] == ["https://example.org/bill"]
    assert response.headers["ETag"] == '"1"'
    url = entry["url"]
    response = ngo.patch(url, {"summary": "The bill passed its first reading."},
                         content_type=JSON, headers={"If-Match": '"1"'})
    assert response.status_code == 200 and response.headers["ETag"] == '"2"'
    assert response.json()["status"] == "in_progress"  # a PATCH keeps the other fields
    response = ngo.post(f"{url}submit/", headers={"If-Match": '"2"'})
    assert response.json()["review_state"] == "submitted"
    reviewer = token_client(team["reviewer"])
    response = reviewer.post(f"{url}review/", {"decision": "accept"}, content_type=JSON,
                             headers={"If-Match": response.headers["ETag"]})
    assert response.status_code == 200 and response.json()["review_state"] == "accepted"
    saved = FollowUpAssessment.objects.get(pk=entry["id"])
    assert saved.reviewer == team["reviewer"] and saved.author == team["ngo"]
    users = [record.history_user for record in saved.history.order_by("history_date")]
    assert users[:3] == [team["ngo"]] * 3 and users[-1] == team["reviewer"]
    team["recommendation"].refresh_from_db()
    assert team["recommendation"].status == "in_progress"


def test_a_stale_version_gets_412_with_the_current_one_and_changes_nothing(team):
    draft = team["draft"]
    first, second = token_client(team["ngo"]), token_client(team["ngo"])
    assert first.patch(f"/api/follow-up/{draft.pk}/", {"summary": "First."}, content_type=JSON,
                       headers={"If-Match": '"1"'}).status_code == 200
    response = second.patch(f"/api/follow-up/{draft.pk}/", {"summary": "Second."},
                            content_type=JSON, headers={"If-Match": '"1"'})
    assert response.status_code == 412
    assert response.json()["version"] == 2 and response.headers["ETag"] == '"2"'
    draft.refresh_from_db()
    assert draft.summary == "First."


def test_a_write_without_if_match_is_refused_with_428(team):
    response = token_client(team["ngo"]).patch(
        f"/api/follow-up/{team['draft'].pk}/", {"summary": "x"}, content_type=JSON
    )
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]


def test_invalid_input_is_named_field_by_field_in_the_callers_language(team):
    response = token_client(team["ngo"]).post(
        "/api/follow-up/", {"recommendation": team["recommendation"].pk, "status": "done",
                            "summary": "", "evidence_links": "javascript:alert(1)"},
        content_type=JSON, headers={"Accept-Language": "fr"},
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"status", "summary"}
    assert "choix valide" in fields["status"][0]
    response = token_client(team["ngo"]).post(
        "/api/follow-up/", {"recommendation": team["recommendation"].pk, "status": "implemented",
                            "summary": "Done", "evidence_links": "javascript:alert(1)"},
        content_type=JSON,
    )
    assert response.json()["fields"]["evidence_links"] == [
        "“javascript:alert(1)” is not a web address (http:// or https://)."
    ]


def test_a_dispute_needs_a_note_as_on_the_review_page(team):
    response = token_client(team["reviewer"]).post(
        f"/api/follow-up/{team['submitted'].pk}/review/", {"decision": "dispute"},
        content_type=JSON, headers={"If-Match": '"1"'},
    )
    assert response.status_code == 400
    assert response.json()["fields"] == {"__all__": ["Say why the entry is disputed."]}
