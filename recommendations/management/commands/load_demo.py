"""Load the demo content: the reference lists, the three seed documents as real records and the
UPR Info export of the recommendations made to Kazakhstan at the UPR's seventh session.

Every fact below comes from the seed documents in fixtures/seeds/ or from the domain notes that
cite the UN documents; nothing is invented. Running the command twice changes nothing.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from recommendations.importing_files import FileImportResult, import_recommendation_file
from recommendations.models import Recommendation
from tracker.importing import import_replies_text, upsert
from tracker.models import (
    Achievement,
    CooperationFramework,
    Country,
    Document,
    FieldOffice,
    FieldPresence,
    FrameworkExtension,
    Mechanism,
    Milestone,
    Organisation,
    Programme,
    ProgrammingCycle,
    ReportingCycle,
)

SEEDS = settings.BASE_DIR / "fixtures" / "seeds"
REPLIES_SEED = SEEDS / "CRC_C_KAZ_RQ_5-6_fr.txt"
COE_SEED = SEEDS / "coe_kazakhstan_cooperation_note_fr.txt"
OHCHR_SEED = SEEDS / "ohchr_roca_page_fr.txt"
# The Kazakhstan rows of UPR Info's export of sessions 6 to 9, as exported (Windows-1252, CR line
# ends): 129 recommendations of session 7 (February 2010), 122 accepted and 7 noted.
UPR_SEED = SEEDS / "upr-info-kazakhstan-session-07.csv"

REFERENCE_FIXTURES = [
    "countries", "organisations", "mechanisms", "themes", "sdgs", "affected_groups",
]


def seed_source(path: Path, detail: str = "") -> str:
    return f"{path.relative_to(settings.BASE_DIR)}{f' — {detail}' if detail else ''}"


class Command(BaseCommand):
    help = "Load the reference lists and the demo reporting cycle, framework and field office."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--admin",
            action="store_true",
            help="Also create (or reset) the superuser “admin” with a new random password, and print it.",
        )

    def handle(self, *args, **options) -> None:
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
        with transaction.atomic():
            cycle = load_crc_kazakhstan()
            framework = load_coe_framework()
            office = load_ohchr_office()
        upr = load_upr_recommendations()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {cycle}, {cycle.documents.count()} documents; "
                f"{framework}; {office}; {upr.rows} UPR recommendations to Kazakhstan "
                f"({upr.created['recommendations']} new)."
            )
        )
        if options["admin"]:
            password = secrets.token_urlsafe(12)
            user, _ = User.objects.get_or_create(username="admin")
            user.is_staff = user.is_superuser = True
            user.set_password(password)
            user.save()
            self.stdout.write(f"Sign in at http://127.0.0.1:8000/admin/ as admin / {password}")


def load_upr_recommendations() -> FileImportResult:
    """Through the app's own importer, which creates the UPR cycle and changes nothing the
    second time (each row has a stable identifier)."""
    return import_recommendation_file(UPR_SEED, "upr-info", file_name=seed_source(UPR_SEED))


def load_crc_kazakhstan() -> ReportingCycle:
    kazakhstan = Country.objects.get(code="KAZ")
    crc = Mechanism.objects.get(code="CRC")
    cycle, *_ = upsert(
        ReportingCycle, country=kazakhstan,
        mechanism=crc,
        label="5-6",
        defaults={
            "title": "Combined fifth and sixth periodic reports of Kazakhstan",
            "procedure": ReportingCycle.Procedure.STANDARD,
            "is_current": True,
            "source": "CRC/C/KAZ/5-6, CRC/C/KAZ/Q/5-6, CRC/C/KAZ/RQ/5-6",
        },
    )
    upsert(
        Document, symbol="CRC/C/KAZ/5-6",
        defaults={
            "cycle": cycle,
            "kind": Document.Kind.STATE_REPORT,
            "title": "Combined fifth and sixth periodic reports submitted by Kazakhstan",
        },
    )
    list_of_issues, *_ = upsert(
        Document, symbol="CRC/C/KAZ/Q/5-6",
        defaults={
            "cycle": cycle,
            "kind": Document.Kind.LIST_OF_ISSUES,
            "title": "List of issues in relation to the combined fifth and sixth periodic "
            "reports of Kazakhstan",
            "date": datetime.date(2025, 11, 6),
            "word_limit": 10_700,
            "url": "https://docs.un.org/fr/CRC/C/KAZ/Q/5-6",
            "source_name": "CRC/C/KAZ/Q/5-6, paragraph 1 as cited in the replies",
        },
    )
    upsert(
        Milestone, cycle=cycle,
        kind=Milestone.Kind.LIST_OF_ISSUES_ADOPTED,
        defaults={"actual_date": list_of_issues.date, "source": "CRC/C/KAZ/Q/5-6"},
    )
    upsert(
        Milestone, cycle=cycle,
        kind=Milestone.Kind.REPLIES_DUE,
        defaults={
            "planned_date": datetime.date(2026, 2, 15),
            "note": "Written replies of 10,700 words maximum (list of issues, paragraph 1). "
            "The replies were issued as CRC/C/KAZ/RQ/5-6; the source does not give the date "
            "they were received.",
            "source": "CRC/C/KAZ/Q/5-6, paragraph 1",
        },
    )
    import_replies_text(
        REPLIES_SEED.read_text(encoding="utf-8"),
        cycle=cycle,
        source_name=seed_source(REPLIES_SEED),
    )
    return cycle


COE_TITLE = (
    "Neighbourhood Co-operation Priorities for Kazakhstan 2014-2015: co-operation activities "
    "relating to Council of Europe conventions in criminal matters"
)
COE_TITLE_FR = (
    "Priorités de coopération de voisinage avec le Kazakhstan pour 2014‑2015 : activités de "
    "coopération relatives aux conventions du Conseil de l'Europe en matière pénale"
)


def load_coe_framework() -> CooperationFramework:
    kazakhstan = Country.objects.get(code="KAZ")
    coe = Organisation.objects.get(acronym="CoE")
    eu = Organisation.objects.get(acronym="EU")
    committee_of_ministers = Mechanism.objects.get(code="CM-COE")
    source = seed_source(COE_SEED)
    framework, *_ = upsert(
        CooperationFramework, country=kazakhstan,
        title=COE_TITLE,
        defaults={
            "organisation": coe,
            "original_title": COE_TITLE_FR,
            "adopting_body": committee_of_ministers,
            "meeting": "1187bis",
            "adoption_date": datetime.date(2013, 12, 18),
            "start_date": datetime.date(2014, 1, 1),
            "end_date": datetime.date(2015, 12, 31),
            "status": CooperationFramework.Status.COMPLETED,
            "summary": "Drawn up with the Kazakh authorities as a strategic framework for "
            "co-operation in criminal matters, to bring the country's legislative and regulatory "
            "frameworks and practice closer to European standards. Implemented between 2014 and "
            "2018; a follow-up document is under discussion with the Kazakh authorities.",
            "source": source,
        },
    )
    upsert(
        FrameworkExtension, framework=framework,
        meeting="",
        new_end_date=datetime.date(2017, 12, 31),
        defaults={
            "date": datetime.date(2015, 12, 1),
            "note": "December 2015 (the source gives the month only): the Committee of Ministers "
            "examined a progress report and extended the document to the end of 2017.",
            "source": source,
        },
    )
    upsert(
        FrameworkExtension, framework=framework,
        meeting="1301",
        defaults={
            "date": datetime.date(2017, 11, 29),
            "new_end_date": datetime.date(2018, 7, 31),
            "note": "The Committee of Ministers instructed the Secretariat to continue the "
            "implementation and extended the document until July 2018 (the source gives the month "
            "only).",
            "source": source,
        },
    )
    judicial, *_ = upsert(
        Programme, framework=framework,
        title="Support to the Kazakh authorities in improving the quality and efficiency of the "
        "Kazakh judicial system",
        defaults={
            "original_title": "Soutien aux autorités kazakhes dans l’amélioration de la qualité et "
            "de l’efficacité du système judiciaire kazakh",
            "budget_amount": Decimal("2000000"),
            "currency": "EUR",
            "start_date": datetime.date(2014, 7, 1),
            "end_date": datetime.date(2018, 7, 31),
            "status": Programme.Status.COMPLETED,
            "source": seed_source(COE_SEED, "joint Council of Europe / European Union programme; "
                                  "began in the second half of 2014, ended July 2018"),
        },
    )
    education, *_ = upsert(
        Programme, framework=framework,
        title="Support to the policies of education for democratic citizenship and human rights "
        "education of Kazakhstan",
        defaults={
            "original_title": "Soutien aux politiques pédagogiques d’éducation à la citoyenneté "
            "démocratique et aux droits de l’homme du Kazakhstan",
            "status": "",
            "source": seed_source(COE_SEED, "joint country-specific programme, outside the "
                                  "framework's criminal-justice scope"),
        },
    )
    regional, *_ = upsert(
        Programme, framework=framework,
        title="Promoting constitutional justice, access to justice and electoral reform in the "
        "countries of Central Asia",
        defaults={
            "original_title": "Favoriser la justice constitutionnelle, l’accès à la justice et la "
            "réforme électorale dans les pays d’Asie centrale",
            "status": "",
            "source": seed_source(COE_SEED, "joint regional programme for Central Asia"),
        },
    )
    for programme in (judicial, education, regional):
        programme.partners.set([coe, eu])
        programme.countries.add(kazakhstan)
    upsert(
        Recommendation, framework=framework,
        reference="1",
        defaults={
            "mechanism": committee_of_ministers,
            "country": kazakhstan,
            "kind": Recommendation.Kind.COOPERATION_PRIORITY,
            "date": framework.adoption_date,
            "text": "Co-operation activities relating to Council of Europe conventions in "
            "criminal matters, to bring Kazakhstan's legislative and regulatory frameworks and "
            "practice closer to European standards.",
            "source": source,
        },
    )
    return framework


OHCHR_PRIORITIES = [
    "Widening democratic space.",
    "Strengthening national human rights institutions in line with the Paris Principles.",
    "Strengthening national mechanisms for reporting and follow-up.",
    "Promoting the use of and engagement with international human rights mechanisms.",
    "Strengthening national actors on non-discrimination and equality.",
    "Combating impunity and strengthening accountability and the rule of law.",
]

OHCHR_ACHIEVEMENTS = [
    "Expert support to national actors on international human rights standards in the drafting "
    "and adoption of human rights laws and policies.",
    "Greater engagement of the State and civil society with the UN human rights mechanisms: "
    "national and parallel reports, cooperation with special procedures including country "
    "visits, ratification of core UN human rights treaties not yet ratified, and continuous "
    "follow-up of the mechanisms' recommendations, including expert support to national "
    "strategies and action plans such as UPR action plans.",
    "“B” status accreditation of several national human rights institutions (Kazakhstan, "
    "Kyrgyzstan, Tajikistan) by the Global Alliance of National Human Rights Institutions "
    "(formerly ICC), and their regional network for collaboration and knowledge sharing.",
]


def load_ohchr_office() -> FieldOffice:
    country = {c.code: c for c in Country.objects.filter(code__in=["KAZ", "KGZ", "TJK", "TKM", "UZB"])}
    mechanism = Mechanism.objects.get(code="OHCHR-ROCA")
    source = seed_source(OHCHR_SEED)
    office, *_ = upsert(
        FieldOffice, name="OHCHR Regional Office for Central Asia",
        defaults={
            "organisation": Organisation.objects.get(acronym="OHCHR"),
            "mechanism": mechanism,
            "original_name": "Bureau régional pour l’Asie centrale du Haut-Commissariat des "
            "Nations Unies aux droits de l’homme (HCDH)",
            "seat_city": "Bishkek",
            "seat_country": country["KGZ"],
            "year_founded": 2008,
            "mandate_reference": "Mandate of the United Nations High Commissioner for Human "
            "Rights under General Assembly resolution 48/141 of 20 December 1993.",
            "source": source,
        },
    )
    office.countries.set(country.values())
    for city, code in [("Osh", "KGZ"), ("Dushanbe", "TJK"), ("Nur-Sultan", "KAZ"),
                       ("Tashkent", "UZB")]:
        upsert(
            FieldPresence, office=office, city=city, defaults={"country": country[code]}
        )
    programming_cycle, *_ = upsert(
        ProgrammingCycle, office=office, start_year=2018, end_year=2021, defaults={"source": source}
    )
    for number, text in enumerate(OHCHR_PRIORITIES, start=1):
        upsert(
            Recommendation, programming_cycle=programming_cycle,
            reference=str(number),
            defaults={
                "mechanism": mechanism,
                "country": None,
                "kind": Recommendation.Kind.THEMATIC_PRIORITY,
                "order": number,
                "text": text,
                "source": source,
            },
        )
    for order, text in enumerate(OHCHR_ACHIEVEMENTS, start=1):
        upsert(
            Achievement, office=office, order=order, defaults={"text": text, "source": source}
        )
    return office
