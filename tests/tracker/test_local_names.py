import pytest
from django.utils import translation

from recommendations.models import AffectedGroup
from tracker.models import Country, Mechanism

pytestmark = pytest.mark.django_db


def test_reference_names_follow_the_page_language():
    ivory_coast = Country.objects.get(code="CIV")
    crc = Mechanism.objects.get(code="CRC")
    with translation.override("fr"):
        assert str(ivory_coast) == ivory_coast.name_fr == "Côte d’Ivoire"
        assert str(crc) == f"CRC — {crc.name_fr}"
    with translation.override("en"):
        assert str(ivory_coast) == "Côte d'Ivoire"
        assert str(crc) == "CRC — Committee on the Rights of the Child"


def test_a_name_without_a_french_form_stays_english():
    group = AffectedGroup.objects.filter(name_fr="").first()
    with translation.override("fr"):
        assert str(group) == group.name
