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


def test_reference_names_are_russian_on_a_russian_page():
    with translation.override("ru"):
        assert str(Country.objects.get(code="KAZ")) == "Казахстан"
        assert str(Mechanism.objects.get(code="CRC")) == "CRC — Комитет по правам ребёнка"
        assert str(AffectedGroup.objects.get(name="Stateless persons")) == "Лица без гражданства"


def test_a_name_without_a_translation_stays_english():
    # The reference lists are translated whole; a group an import adds has its English name only.
    group = AffectedGroup.objects.create(name="Seasonal workers")
    for language in ("fr", "ru"):
        with translation.override(language):
            assert str(group) == "Seasonal workers"
