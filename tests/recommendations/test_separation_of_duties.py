"""Separation of duties, asked of FollowUpAssessment.can_review, can_read and their query forms
(reviewable_by, readable_by), so that the pages, the review queue and the admin agree: nobody
reviews an entry they or their organisation wrote; drafts are read only by those who may edit
them, data entry included; an attachment is exactly as visible as its entry."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from recommendations.models import EvidenceFile, FollowUpAssessment, Status
from tests.helpers import make_assessment, make_organisation, make_recommendation, make_user
from tracker.accounts.roles import Role

pytestmark = pytest.mark.django_db

Review = FollowUpAssessment.ReviewState


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def ombudsman():
    return make_organisation("Ombudsman", kind="nhri")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def reviewer_of(organisation, **fields):
    # Staff, so that the admin is theirs to open too (the Reviewer group may change entries).
    return make_user(organisation=organisation, role=Role.REVIEWER, is_staff=True, **fields)


def submitted_by(author, organisation) -> FollowUpAssessment:
    return make_assessment(make_recommendation(), organisation, Status.IMPLEMENTED,
                           review_state=Review.SUBMITTED, author=author)


def accept_on_the_page(client, entry):
    return client.post(f"/follow-up/{entry.pk}/review/",
                       {"decision": "accept", "note": "", "version": entry.version})


def accept_in_the_admin(client, entry):
    return client.post("/admin/recommendations/followupassessment/",
                       {"action": "accept", "_selected_action": [entry.pk]})


def review_state(entry) -> str:
    return FollowUpAssessment.objects.get(pk=entry.pk).review_state


def test_a_reviewer_may_not_review_an_entry_they_wrote(ombudsman):
    # An ombudsman office logs its own findings through the bulk form and reviews others'.
    reviewer = reviewer_of(ombudsman)
    reviewer.groups.add(*reviewer.groups.model.objects.filter(name=Role.NGO_STAFF))
    entry = submitted_by(reviewer, make_organisation("Coalition"))
    client = signed_in(reviewer)

    assert not entry.can_review(reviewer)
    assert accept_on_the_page(client, entry).status_code == 403
    accept_in_the_admin(client, entry)
    assert review_state(entry) == Review.SUBMITTED
    assert entry not in client.get("/follow-up/review/").context["table"].data


def test_a_reviewer_may_not_review_an_entry_of_their_own_organisation(ombudsman):
    colleague = make_user(organisation=ombudsman, role=Role.NGO_STAFF)
    reviewer = reviewer_of(ombudsman)
    entry = submitted_by(colleague, ombudsman)
    client = signed_in(reviewer)

    assert accept_on_the_page(client, entry).status_code == 403
    accept_in_the_admin(client, entry)
    assert review_state(entry) == Review.SUBMITTED
    assert entry not in client.get("/follow-up/review/").context["table"].data
    # On the entry's admin page, the review fields are read-only for them.
    page = client.get(f"/admin/recommendations/followupassessment/{entry.pk}/change/")
    assert page.status_code == 200
    assert "review_state" not in page.context["adminform"].form.fields


def test_a_superuser_of_the_organisation_may_not_review_its_entry_either(ombudsman):
    superuser = make_user(organisation=ombudsman, is_superuser=True, is_staff=True)
    entry = submitted_by(None, ombudsman)
    assert not entry.can_review(superuser)
    assert accept_on_the_page(signed_in(superuser), entry).status_code == 403


def test_a_reviewer_of_another_organisation_reviews_it_on_the_page_and_in_the_admin(ombudsman):
    coalition = make_organisation("Coalition")
    author = make_user(organisation=coalition, role=Role.NGO_STAFF)
    first, second = submitted_by(author, coalition), submitted_by(author, coalition)
    client = signed_in(reviewer_of(ombudsman))

    assert {first, second} <= set(client.get("/follow-up/review/").context["table"].data)
    assert accept_on_the_page(client, first).status_code == 302
    accept_in_the_admin(client, second)
    assert (review_state(first), review_state(second)) == (Review.ACCEPTED, Review.ACCEPTED)
    page = client.get(f"/admin/recommendations/followupassessment/{second.pk}/change/")
    assert page.status_code == 200


@pytest.fixture
def drafts():
    coalition = make_organisation("Coalition")
    recommendation = make_recommendation()
    draft = make_assessment(recommendation, coalition, Status.IN_PROGRESS,
                            review_state=Review.DRAFT, summary="A draft nobody else reads.")
    submitted = make_assessment(recommendation, coalition, Status.IN_PROGRESS,
                                review_state=Review.SUBMITTED, summary="Awaiting review.")
    return recommendation, coalition, draft, submitted


def test_data_entry_sees_no_drafts_in_the_admin(drafts):
    recommendation, coalition, draft, submitted = drafts
    data_entry = make_user(organisation=coalition, role=Role.DATA_ENTRY, is_staff=True)
    client = signed_in(data_entry)

    listing = client.get("/admin/recommendations/followupassessment/")
    assert list(listing.context["cl"].result_list) == [submitted]
    # The draft's change page is not there for them (the admin sends them back to its index).
    change = client.get(f"/admin/recommendations/followupassessment/{draft.pk}/change/")
    assert change.status_code == 302
    # Nor is it in the recommendation page's inline.
    page = client.get(f"/admin/recommendations/recommendation/{recommendation.pk}/change/")
    assert page.status_code == 200
    assert "Awaiting review." in page.content.decode()
    assert "A draft nobody else reads." not in page.content.decode()


def test_the_organisations_staff_see_its_drafts_in_the_admin(drafts):
    recommendation, coalition, draft, submitted = drafts
    staff = make_user(organisation=coalition, role=Role.NGO_STAFF, is_staff=True)
    staff.user_permissions.add(*staff.groups.get().permissions.all())
    listing = signed_in(staff).get("/admin/recommendations/followupassessment/")
    assert set(listing.context["cl"].result_list) == {draft, submitted}


def attach(entry) -> EvidenceFile:
    return EvidenceFile.objects.create(
        assessment=entry, file=ContentFile(b"%PDF-1.4", name="a.pdf"), name="a.pdf",
        content_type="application/pdf", size=8,
    )


@pytest.mark.parametrize("reader,draft_file,submitted_file", [
    ("the organisation's NGO staff", 200, 200),
    ("a viewer of the organisation", 403, 200),
    ("data entry of the organisation", 403, 200),
    ("another organisation's NGO staff", 403, 200),
    ("a reviewer", 403, 200),
])
def test_an_attachment_is_exactly_as_visible_as_its_entry(drafts, reader, draft_file,
                                                          submitted_file):
    recommendation, coalition, draft, submitted = drafts
    user = {
        "the organisation's NGO staff": lambda: make_user(organisation=coalition,
                                                          role=Role.NGO_STAFF),
        "a viewer of the organisation": lambda: make_user(organisation=coalition,
                                                          role=Role.VIEWER),
        "data entry of the organisation": lambda: make_user(organisation=coalition,
                                                            role=Role.DATA_ENTRY),
        "another organisation's NGO staff": lambda: make_user(organisation=make_organisation(),
                                                              role=Role.NGO_STAFF),
        "a reviewer": lambda: make_user(organisation=make_organisation(kind="nhri"),
                                        role=Role.REVIEWER),
    }[reader]()
    client = signed_in(user)

    assert client.get(f"/follow-up/files/{attach(draft).pk}/").status_code == draft_file
    assert client.get(f"/follow-up/files/{attach(submitted).pk}/").status_code == submitted_file
    # The same answer as the recommendation page's list of entries.
    shown = set(FollowUpAssessment.objects.readable_by(user))
    assert (draft in shown, submitted in shown) == (draft_file == 200, submitted_file == 200)
    assert draft.can_read(user) == (draft in shown)
