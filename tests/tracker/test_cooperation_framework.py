import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tracker.models import CooperationFramework, Country, FrameworkExtension, Mechanism, Organisation, Programme

pytestmark = pytest.mark.django_db


def make_framework(**fields) -> CooperationFramework:
    fields = {
        "organisation": Organisation.objects.get(acronym="CoE"),
        "country": Country.objects.get(code="KAZ"),
        "adopting_body": Mechanism.objects.get(code="CM-COE"),
        "title": "Neighbourhood Co-operation Priorities",
        "status": CooperationFramework.Status.IN_FORCE,
        "start_date": datetime.date(2014, 1, 1),
        "end_date": datetime.date(2015, 12, 31),
    } | fields
    return CooperationFramework.objects.create(**fields)


def test_a_framework_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        make_framework(start_date=datetime.date(2016, 1, 1))


def test_the_date_range_message_is_clear():
    framework = CooperationFramework(
        organisation=Organisation.objects.get(acronym="CoE"), country=Country.objects.get(code="KAZ"),
        adopting_body=Mechanism.objects.get(code="CM-COE"), title="T", status="in_force",
        start_date=datetime.date(2016, 1, 1), end_date=datetime.date(2015, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        framework.full_clean()
    assert "The end date cannot be before the start date." in str(error.value)


def test_the_current_end_is_the_last_extension():
    framework = make_framework()
    assert framework.current_end_date == datetime.date(2015, 12, 31)
    FrameworkExtension.objects.create(framework=framework, date=datetime.date(2017, 11, 29),
                                      new_end_date=datetime.date(2018, 7, 31))
    FrameworkExtension.objects.create(framework=framework, date=datetime.date(2015, 12, 1),
                                      new_end_date=datetime.date(2017, 12, 31))
    assert framework.current_end_date == datetime.date(2018, 7, 31)


@pytest.mark.parametrize("amount, currency", [(Decimal("-1"), "EUR"), (Decimal("100"), "")])
def test_a_programme_budget_cannot_be_negative_nor_lack_a_currency(amount, currency):
    with pytest.raises(IntegrityError):
        Programme.objects.create(framework=make_framework(), title="P", status="ongoing",
                                 budget_amount=amount, currency=currency)
