import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from recommendations.models import Recommendation
from tracker.models import (
    CooperationFramework, Document, FieldOffice, Milestone, ReplyParagraph, ReplySection, ReportingCycle,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def snapshot() -> dict:
    from django.apps import apps
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_the_crc_kazakhstan_cycle_holds_the_seed_facts(demo):
    cycle = ReportingCycle.objects.get(country__code="KAZ", mechanism__code="CRC", label="5-6")
    assert cycle.is_current
    list_of_issues = Document.objects.get(symbol="CRC/C/KAZ/Q/5-6")
    assert list_of_issues.date == datetime.date(2025, 11, 6)
    assert list_of_issues.word_limit == 10_700
    assert cycle.milestones.get(kind=Milestone.Kind.REPLIES_DUE).planned_date == datetime.date(2026, 2, 15)
    replies = Document.objects.get(symbol="CRC/C/KAZ/RQ/5-6")
    assert replies.answers == list_of_issues and replies.cycle == cycle
    assert ReplySection.objects.filter(document=replies).count() == 79
    assert ReplyParagraph.objects.filter(document=replies).count() == 274
    assert replies.source_name == "fixtures/seeds/CRC_C_KAZ_RQ_5-6_fr.txt"


def test_the_council_of_europe_framework_holds_its_adoption_extensions_and_programmes(demo):
    framework = CooperationFramework.objects.get(country__code="KAZ")
    assert framework.adopting_body.code == "CM-COE"
    assert (framework.meeting, framework.adoption_date) == ("1187bis", datetime.date(2013, 12, 18))
    assert [(e.date, e.meeting, e.new_end_date) for e in framework.extensions.all()] == [
        (datetime.date(2015, 12, 1), "", datetime.date(2017, 12, 31)),
        (datetime.date(2017, 11, 29), "1301", datetime.date(2018, 7, 31)),
    ]
    assert framework.current_end_date == datetime.date(2018, 7, 31)
    judicial = framework.programmes.get(budget_amount__isnull=False)
    assert (judicial.budget_amount, judicial.currency, judicial.status) == (Decimal("2000000"), "EUR", "completed")
    assert (judicial.start_date, judicial.end_date) == (datetime.date(2014, 7, 1), datetime.date(2018, 7, 31))
    assert {p.acronym for p in judicial.partners.all()} == {"CoE", "EU"}
    assert framework.programmes.count() == 3
    priority = framework.priorities.get()
    assert priority.kind == Recommendation.Kind.COOPERATION_PRIORITY
    assert "criminal matters" in priority.text
    assert framework.source.endswith("coe_kazakhstan_cooperation_note_fr.txt")


def test_the_ohchr_office_holds_its_seat_presences_countries_and_priorities(demo):
    office = FieldOffice.objects.get()
    assert (office.seat_city, office.seat_country.code, office.year_founded) == ("Bishkek", "KGZ", 2008)
    assert "48/141" in office.mandate_reference
    assert sorted(office.countries.values_list("code", flat=True)) == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert sorted((p.city, p.country.code) for p in office.presences.all()) == [
        ("Dushanbe", "TJK"), ("Nur-Sultan", "KAZ"), ("Osh", "KGZ"), ("Tashkent", "UZB")]
    cycle = office.programming_cycles.get()
    assert cycle.period == "2018-2021"
    priorities = list(cycle.priorities.order_by("order").values_list("text", flat=True))
    assert len(priorities) == 6
    assert priorities[1] == "Strengthening national human rights institutions in line with the Paris Principles."
    assert office.achievements.count() == 3
    assert "“B” status" in office.achievements.last().text


def test_the_upr_recommendations_to_kazakhstan_of_session_7_come_from_the_upr_info_export(demo):
    upr = Recommendation.objects.filter(country__code="KAZ", mechanism__code="UPR")
    assert upr.count() == 129
    assert upr.filter(position=Recommendation.Position.SUPPORTED).count() == 122
    assert upr.filter(position=Recommendation.Position.NOTED).count() == 7
    assert set(upr.values_list("upr_session", flat=True)) == {7}
    # Imported into one cycle, with who recommended it and the themes UPR Info gives.
    assert upr.values("cycle").distinct().count() == 1
    death_penalty = upr.get(text__startswith="Abolish the death penalty in all circumstances")
    assert [state.name for state in death_penalty.recommending_states.all()] == ["France"]
    assert "Death penalty" in [theme.name for theme in death_penalty.themes.all()]
    # The import's history names the seed file.
    record = death_penalty.history.earliest("history_date")
    assert "upr-info-kazakhstan-session-07.csv" in record.history_change_reason


def test_loading_the_demo_twice_changes_nothing(demo):
    before = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before


def test_the_admin_option_creates_a_superuser_and_prints_the_password(capsys):
    call_command("load_demo", "--admin")
    output = capsys.readouterr().out
    password = output.rsplit("admin / ", 1)[1].strip()
    user = User.objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
