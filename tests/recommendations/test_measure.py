import pytest

from recommendations.models import Measure
from tests.helpers import days, today
from tracker.models import Country

pytestmark = pytest.mark.django_db


def make_measure(**fields) -> Measure:
    return Measure.objects.create(title="National action plan", country=Country.objects.get(code="KAZ"), **fields)


def test_a_measure_past_its_target_and_not_finished_is_late():
    late = make_measure(target_date=today() - days(1), status=Measure.Status.IN_PROGRESS)
    done = make_measure(target_date=today() - days(1), status=Measure.Status.COMPLETED)
    future = make_measure(target_date=today() + days(1))
    assert late.is_late and not done.is_late and not future.is_late
    assert list(Measure.objects.late()) == [late]
