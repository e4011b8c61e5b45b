import datetime

import pytest
from django.urls import reverse

from recommendations.models import FollowUpAssessment, Status
from tests.helpers import (
    make_assessment,
    make_cycle,
    make_organisation,
    make_recommendation,
    make_user,
)
from tracker.models import Document

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("aigerim")


@pytest.fixture
def staff():
    return make_user("admin", email="admin@example.org", is_staff=True, is_superuser=True)


def test_a_cycle_change_shows_who_and_what(client, staff):
    cycle = make_cycle(title="Fifth and sixth reports")
    cycle.title = "Combined fifth and sixth reports"
    cycle._history_user = staff  # what HistoryRequestMiddleware sets from the request
    cycle.save()
    client.force_login(staff)

    response = client.get(reverse("tracker:cycle-history", args=[cycle.pk]))

    assert response.status_code == 200
    [change, creation] = response.context["entries"]
    assert change.record.history_user == staff
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("title", "Fifth and sixth reports", "Combined fifth and sixth reports")
    ]
    page = response.content.decode()
    assert "admin" in page and "Combined fifth and sixth reports" in page


def test_the_request_s_user_is_recorded(client, staff):
    cycle = make_cycle()
    document = Document.objects.create(
        cycle=cycle, kind=Document.Kind.STATE_REPORT, symbol="CRC/C/KAZ/5-6"
    )

    # A change made through a request: the middleware names its user.
    client.force_login(staff)
    response = client.post(
        reverse("admin:tracker_document_change", args=[document.pk]),
        {"kind": Document.Kind.STATE_REPORT, "symbol": "CRC/C/KAZ/5-6", "title": "Report",
         "language": "en", "cycle": cycle.pk, "original_language": "", "url": "",
         "word_limit": "", "answers": "", "source_name": "", "date": ""},
    )
    assert response.status_code == 302

    response = client.get(reverse("tracker:document-history", args=[document.pk]))

    [change, _creation] = response.context["entries"]
    assert change.record.history_user == staff
    assert [(c.field, c.new) for c in change.changes] == [("title", "Report")]


def test_a_recommendation_change_and_its_submitted_entries_appear(client, editor):
    recommendation = make_recommendation(reference="23 (b)")
    recommendation.follow_up = True
    recommendation._history_user = editor
    recommendation.save()
    organisation = make_organisation("Coalition")
    make_assessment(recommendation, organisation, Status.IN_PROGRESS, summary="A bill is tabled.")
    make_assessment(recommendation, organisation, Status.NOT_STARTED, summary="Secret draft.",
                    review_state=FollowUpAssessment.ReviewState.DRAFT)
    client.force_login(editor)

    response = client.get(reverse("recommendations:history", args=[recommendation.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    change = next(e for e in response.context["entries"] if e.record.history_user == editor)
    assert [(c.field, c.old, c.new) for c in change.changes] == [
        ("selected for follow-up", "no", "yes")
    ]
    assert "A bill is tabled." in page
    # A draft stays its organisation's business.
    assert "Secret draft." not in page


@pytest.mark.parametrize(
    "name", ["tracker:cycle-history", "tracker:document-history", "recommendations:history"]
)
def test_history_pages_need_a_signed_in_user(client, name):
    assert client.get(reverse(name, args=[1])).status_code == 302


@pytest.mark.parametrize(
    "model", ["tracker/reportingcycle", "tracker/document", "recommendations/recommendation",
              "recommendations/followupassessment"]
)
def test_admin_history_pages_list_the_records(client, staff, model):
    recommendation = make_recommendation()
    objects = {
        "tracker/reportingcycle": recommendation.cycle,
        "tracker/document": Document.objects.create(kind=Document.Kind.STATE_REPORT, symbol="X/1"),
        "recommendations/recommendation": recommendation,
        "recommendations/followupassessment": make_assessment(
            recommendation, make_organisation(), Status.IMPLEMENTED
        ),
    }
    client.force_login(staff)

    response = client.get(f"/admin/{model}/{objects[model].pk}/history/")

    assert response.status_code == 200
    # SimpleHistoryAdmin's page, not Django's log-entry page: it lists the history records.
    assert list(response.context["page_obj"])


def test_an_empty_foreign_key_is_a_dash_and_times_are_local(client, editor, settings):
    settings.TIME_ZONE = "Asia/Almaty"
    recommendation = make_recommendation(reference="23 (b)")
    organisation = make_organisation("Coalition")
    entry = make_assessment(recommendation, organisation, Status.IN_PROGRESS,
                            review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    entry.reviewer = editor
    entry.reviewed_at = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.timezone.utc)
    entry.review_state = FollowUpAssessment.ReviewState.ACCEPTED
    entry.save()
    client.force_login(editor)

    response = client.get(reverse("recommendations:history", args=[recommendation.pk]))

    page = response.content.decode()
    assert "pk=None" not in page and "Deleted" not in page
    change = next(e for e in response.context["entries"] if e.record.reviewer_id)
    assert ("reviewer", "—", "aigerim") in [(c.field, c.old, c.new) for c in change.changes]
    # 20:30 UTC is 1:30 the next morning in Almaty (UTC+5), said with its zone.
    reviewed = next(c.new for c in change.changes if c.field == "reviewed at")
    assert reviewed == "2 March 2026, 01:30"
    assert "+05" in page or "ALMT" in page
