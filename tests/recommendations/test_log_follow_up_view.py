import datetime

import pytest

from recommendations.models import FollowUpAssessment, Role, Status
from tests.helpers import make_assessment, make_organisation, make_recommendation, make_user
from tracker.models import Document, ReplyParagraph, ReplySection

pytestmark = pytest.mark.django_db


@pytest.fixture
def coalition():
    return make_organisation("Coalition for children")


@pytest.fixture
def staff(client, coalition):
    user = make_user("aliya", organisation=coalition, role=Role.NGO_STAFF)
    client.force_login(user)
    return user


def entry(**fields) -> dict:
    data = {"status": Status.IN_PROGRESS, "grade": "", "date": "2025-06-01",
            "summary": "A draft strategy was published.", "evidence": "",
            "evidence_links": "", "draft": ""}
    data.update(fields)
    return data


def test_the_page_shows_the_form_to_ngo_staff(client, staff):
    recommendation = make_recommendation()
    response = client.get(f"/recommendations/{recommendation.pk}/")
    assert "Log follow-up" in response.content.decode()
    assert 'name="submit"' in response.content.decode()


def test_the_page_shows_no_form_to_a_viewer(client):
    client.force_login(make_user(organisation=make_organisation(), role=Role.VIEWER))
    response = client.get(f"/recommendations/{make_recommendation().pk}/")
    assert "Log follow-up" not in response.content.decode()


def test_it_saves_a_draft_of_the_users_organisation(client, staff, coalition):
    recommendation = make_recommendation()
    response = client.post(f"/recommendations/{recommendation.pk}/follow-up/", entry(
        evidence_links="https://example.org/a\n\n  https://example.org/b  ",
    ))
    assert response.status_code == 302
    assessment = FollowUpAssessment.objects.get()
    assert (assessment.organisation, assessment.author) == (coalition, staff)
    assert assessment.review_state == FollowUpAssessment.ReviewState.DRAFT
    assert assessment.evidence_links == "https://example.org/a\nhttps://example.org/b"
    # A draft is the organisation's own: the public history does not show it yet.
    recommendation.refresh_from_db()
    assert recommendation.status == Status.NO_INFORMATION


def test_it_submits(client, staff):
    recommendation = make_recommendation()
    data = entry()
    del data["draft"]
    client.post(f"/recommendations/{recommendation.pk}/follow-up/", {**data, "submit": ""})
    assert FollowUpAssessment.objects.get().review_state == FollowUpAssessment.ReviewState.SUBMITTED


def test_it_refuses_a_link_that_is_not_a_web_address(client, staff):
    recommendation = make_recommendation()
    response = client.post(f"/recommendations/{recommendation.pk}/follow-up/",
                           entry(evidence_links="javascript:alert(1)"))
    assert response.status_code == 400
    assert "is not a web address" in response.content.decode()
    assert not FollowUpAssessment.objects.exists()


def test_it_offers_only_the_reply_paragraphs_of_the_cycle_filtered_by_words(client, staff):
    recommendation = make_recommendation()
    replies = Document.objects.create(cycle=recommendation.cycle, kind=Document.Kind.REPLIES,
                                      symbol="CRC/C/KAZ/RQ/5-6")
    section = ReplySection.objects.create(document=replies, heading="Violence", order=1)
    violence = ReplyParagraph.objects.create(document=replies, section=section, number=1,
                                             text="A strategy against violence.")
    budget = ReplyParagraph.objects.create(document=replies, section=section, number=2,
                                           text="The budget for children.")
    elsewhere = make_recommendation()
    other = Document.objects.create(cycle=elsewhere.cycle, kind=Document.Kind.REPLIES,
                                    symbol="CRC/C/KAZ/RQ/7")
    foreign = ReplyParagraph.objects.create(
        document=other, section=ReplySection.objects.create(document=other, heading="x", order=1),
        number=1, text="Another cycle's violence.",
    )

    page = client.get(f"/recommendations/{recommendation.pk}/?paragraphs=violence").content.decode()
    assert f'value="{violence.pk}"' in page
    assert f'value="{budget.pk}"' not in page and f'value="{foreign.pk}"' not in page

    client.post(f"/recommendations/{recommendation.pk}/follow-up/",
                entry(evidence_paragraphs=[violence.pk, budget.pk]))
    assert set(FollowUpAssessment.objects.get().evidence_paragraphs.all()) == {violence, budget}
    response = client.post(f"/recommendations/{recommendation.pk}/follow-up/",
                           entry(evidence_paragraphs=[foreign.pk]))
    assert response.status_code == 400


def test_the_organisation_edits_its_submitted_entry(client, staff, coalition):
    assessment = make_assessment(make_recommendation(), coalition, Status.NOT_STARTED,
                                 review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    page = client.get(f"/follow-up/{assessment.pk}/edit/")
    assert page.status_code == 200 and "edit-conflict" not in page.content.decode()
    response = client.post(f"/follow-up/{assessment.pk}/edit/",
                           entry(summary="Corrected.", version=assessment.version))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.summary, assessment.version) == ("Corrected.", 2)
    assert assessment.history.first().history_user == staff


def test_a_draft_is_submitted_from_the_recommendation_page(client, staff, coalition):
    assessment = make_assessment(make_recommendation(), coalition, Status.NOT_STARTED,
                                 review_state=FollowUpAssessment.ReviewState.DRAFT)
    page = client.get(assessment.recommendation.get_absolute_url()).content.decode()
    assert "Drafts of your organisation" in page
    client.post(f"/follow-up/{assessment.pk}/submit/", {"version": assessment.version})
    assessment.refresh_from_db()
    assert assessment.review_state == FollowUpAssessment.ReviewState.SUBMITTED


@pytest.mark.parametrize("review_state", ["accepted", "disputed"])
def test_a_reviewed_entry_cannot_be_changed(client, staff, coalition, review_state):
    assessment = make_assessment(make_recommendation(), coalition, Status.NOT_STARTED,
                                 review_state=review_state)
    assert client.get(f"/follow-up/{assessment.pk}/edit/").status_code == 403
    response = client.post(f"/follow-up/{assessment.pk}/edit/",
                           entry(summary="Rewritten.", version=assessment.version))
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.summary != "Rewritten."


def test_another_organisations_entry_cannot_be_changed(client, staff):
    assessment = make_assessment(make_recommendation(), make_organisation(), Status.NOT_STARTED,
                                 review_state=FollowUpAssessment.ReviewState.DRAFT,
                                 date=datetime.date(2025, 1, 1))
    assert client.post(f"/follow-up/{assessment.pk}/edit/",
                       entry(version=assessment.version)).status_code == 403
    assert client.post(f"/follow-up/{assessment.pk}/submit/").status_code == 403
