"""Two people of one organisation edit the same entry: the second save is refused, and told what
the first changed; nothing is silently overwritten."""

import pytest
from django.test import Client

from recommendations.models import FollowUpAssessment, Role, Status
from tests.helpers import make_assessment, make_organisation, make_recommendation, make_user

pytestmark = pytest.mark.django_db


def form(assessment: FollowUpAssessment, **changes) -> dict:
    data = {"status": assessment.status, "grade": assessment.grade,
            "date": assessment.date.isoformat(), "summary": assessment.summary,
            "evidence": assessment.evidence, "evidence_links": assessment.evidence_links,
            "version": assessment.version, "save": ""}
    data.update(changes)
    return data


def test_the_second_save_from_the_same_version_is_refused():
    coalition = make_organisation("Coalition")
    entry = make_assessment(make_recommendation(), coalition, Status.NOT_STARTED,
                            review_state=FollowUpAssessment.ReviewState.DRAFT,
                            summary="Nothing yet.")
    aliya, bolat = Client(), Client()
    aliya.force_login(make_user("aliya", organisation=coalition, role=Role.NGO_STAFF))
    bolat.force_login(make_user("bolat", organisation=coalition, role=Role.NGO_STAFF))
    # Both open the edit page at version 1.
    assert 'name="version" value="1"' in aliya.get(f"/follow-up/{entry.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in bolat.get(f"/follow-up/{entry.pk}/edit/").content.decode()

    first = aliya.post(f"/follow-up/{entry.pk}/edit/",
                       form(entry, summary="A draft law was tabled.", status=Status.IN_PROGRESS))
    assert first.status_code == 302
    second = bolat.post(f"/follow-up/{entry.pk}/edit/", form(entry, summary="Bolat's text."))

    assert second.status_code == 409
    page = second.content.decode()
    # The refusal names who changed what, old and new.
    assert "aliya" in page
    assert "Nothing yet." in page and "A draft law was tabled." in page
    assert "In progress" in page
    # Bolat's text is kept in the form, now at the current version.
    assert "Bolat&#x27;s text." in page and 'name="version" value="2"' in page
    entry.refresh_from_db()
    assert (entry.summary, entry.version) == ("A draft law was tabled.", 2)

    # Saving again is then a deliberate choice, and goes through.
    third = bolat.post(f"/follow-up/{entry.pk}/edit/", form(entry, summary="Bolat's text."))
    assert third.status_code == 302
    entry.refresh_from_db()
    assert (entry.summary, entry.version) == ("Bolat's text.", 3)


def test_save_if_unchanged_refuses_a_stale_version():
    entry = make_assessment(make_recommendation(), make_organisation(), Status.NOT_STARTED,
                            review_state=FollowUpAssessment.ReviewState.DRAFT)
    stale = FollowUpAssessment.objects.get(pk=entry.pk)
    entry.summary = "First."
    assert entry.save_if_unchanged(1)
    stale.summary = "Second."
    assert not stale.save_if_unchanged(1)
    assert FollowUpAssessment.objects.get(pk=entry.pk).summary == "First."
    assert [change.field for change in stale.changes_since(1)] == ["summary"]
