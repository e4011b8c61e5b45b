"""The recommendations list's filters: what the speed of every page of the list rests on
(OneQueryModelChoiceField, PlainSelect), asserted without timing anything."""

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from recommendations.filters import RecommendationFilter
from recommendations.models import (
    AffectedGroup, Recommendation, Status, SustainableDevelopmentGoal, Theme,
)
from tests.helpers import make_assessment, make_cycle, make_organisation, make_recommendation
from tracker.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def chosen() -> dict[str, str]:
    """A value for every filter that chooses a record, each one a real choice."""
    crc = make_cycle("KAZ", "CRC", "5-6")
    recommendation = make_recommendation(crc)
    recommendation.themes.add(Theme.objects.get(code="A13"))
    recommendation.recommending_states.add(Country.objects.get(code="FRA"))
    organisation = make_organisation()
    make_assessment(recommendation, organisation, Status.IN_PROGRESS)
    return {
        "country": "KAZ", "mechanism": "CRC", "cycle": str(crc.pk), "theme": "A13",
        "goal": SustainableDevelopmentGoal.objects.get(code="16.2").code,
        "affected_group": AffectedGroup.objects.order_by("pk").first().code,
        "organisation": str(organisation.pk), "recommending_state": "FRA",
    }


def queries_to_check_and_draw(data: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as queries:
        filterset = RecommendationFilter(data, queryset=Recommendation.objects.all())
        assert filterset.is_valid(), filterset.form.errors
        str(filterset.form)
    return len(queries)


def test_a_chosen_value_is_checked_against_the_choices_read_to_draw_the_select(chosen):
    # Django's ModelChoiceField asks the database once more for each value chosen: eight more
    # queries on a list filtered by everything, on every page of it.
    assert queries_to_check_and_draw(chosen) == queries_to_check_and_draw({"country": "KAZ"})


def test_the_options_are_drawn_without_a_template_each(chosen):
    # Django's Select renders a template per option: a fifth of a second for the list's
    # thousand options. PlainSelect joins them in Python; only the few options of the choice
    # filters (kind, status, yes/no…) go through the template.
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        html = str(RecommendationFilter(chosen, queryset=Recommendation.objects.all()).form)
    finally:
        template_rendered.disconnect(record)
    templated = rendered.count("django/forms/widgets/select_option.html")
    assert templated < SustainableDevelopmentGoal.objects.count() / 2
    assert '<option value="KAZ" selected>' in html
