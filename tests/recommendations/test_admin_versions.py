"""Two data-entry users (or reviewers' administrators) editing the same record in the admin: the
second save is refused with what the first changed, the form keeps the second's values at the
current version, and nothing of the first's is lost (issue 15, item 7)."""

from __future__ import annotations

import pytest
from django.test import Client

from recommendations.models import FollowUpAssessment, Measure, Role
from tests.helpers import make_assessment, make_organisation, make_recommendation, make_user


def editor(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_of(response) -> dict:
    """The change form's values as its page shows them, ready to post again."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = str(management[name].value())
    return data


@pytest.fixture
def superusers(db):
    return editor(make_user(is_superuser=True, is_staff=True)), editor(
        make_user(is_superuser=True, is_staff=True)
    )


def edit_twice(superusers, url: str, field: str, first: str, second: str):
    one, two = superusers
    form_one, form_two = form_of(one.get(url)), form_of(two.get(url))
    assert one.post(url, {**form_one, field: first}).status_code == 302
    response = two.post(url, {**form_two, field: second})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "Someone saved this record after you opened it" in str(form.non_field_errors())
    assert form[field].value() == second  # the second editor's text is kept
    return response, form


def test_a_stale_recommendation_save_is_refused(superusers):
    recommendation = make_recommendation(text="Adopt a law.")
    url = f"/admin/recommendations/recommendation/{recommendation.pk}/change/"
    _response, form = edit_twice(superusers, url, "text", "First editor's text.", "Second's.")
    recommendation.refresh_from_db()
    assert recommendation.text == "First editor's text." and recommendation.version == 2
    assert form["read_version"].value() == "2"  # saving again is a deliberate choice
    one, two = superusers
    assert two.post(url, {**form.data.dict(), "text": "Second's."}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.text == "Second's." and recommendation.version == 3


def test_a_stale_follow_up_save_is_refused_naming_the_change(superusers):
    entry = make_assessment(make_recommendation(), make_organisation(), "in_progress",
                            FollowUpAssessment.ReviewState.SUBMITTED, summary="First draft.")
    url = f"/admin/recommendations/followupassessment/{entry.pk}/change/"
    _response, form = edit_twice(superusers, url, "summary", "Corrected.", "Overwritten.")
    assert "Corrected." in str(form.non_field_errors())
    entry.refresh_from_db()
    assert entry.summary == "Corrected." and entry.version == 2


def test_a_stale_measure_save_is_refused(superusers):
    recommendation = make_recommendation()
    measure = Measure.objects.create(title="A new law", country=recommendation.country)
    url = f"/admin/recommendations/measure/{measure.pk}/change/"
    edit_twice(superusers, url, "title", "A new law on juvenile justice", "Another title")
    measure.refresh_from_db()
    assert measure.title == "A new law on juvenile justice" and measure.version == 2


def test_an_admin_save_raises_the_version_the_app_checks(db):
    data_entry = editor(make_user(role=Role.DATA_ENTRY, is_staff=True))
    recommendation = make_recommendation()
    url = f"/admin/recommendations/recommendation/{recommendation.pk}/change/"
    data = form_of(data_entry.get(url))
    assert data_entry.post(url, {**data, "urgent": "on"}).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.urgent and recommendation.version == 2
