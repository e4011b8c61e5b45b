"""Generate realistic synthetic data at scale, for the benchmark and the query-count tests.

Every UN member State, every mechanism: several reporting cycles per State and mechanism with
milestones and documents, lists of issues and replies with their paragraphs for some cycles,
recommendations with themes, goals, groups and texts of realistic length, and a follow-up history
from many organisations. The same --seed gives the same data: every date is relative to the fixed
TODAY below, never to the clock (only the created/updated timestamps are the time of the run).

Every synthetic record is marked — its `source` (`source_name` for documents) starts with MARK,
an organisation's website with SYNTHETIC_WEBSITE — so that --flush and --remove delete exactly
those. Nothing else is changed: a (country, mechanism) that already has cycles (the demo's CRC
cycle of Kazakhstan) gets no synthetic cycles, and no symbol or organisation name is reused.
Load the demo before generating, not after: load_demo would adopt clashing synthetic records.
"""

from __future__ import annotations

import datetime
import itertools
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, reset_queries, transaction
from django.utils import timezone

from recommendations.management.commands.load_demo import REFERENCE_FIXTURES
from recommendations.models import (
    DISPUTED,
    AffectedGroup,
    EvidenceFile,
    FollowUpAssessment,
    Recommendation,
    Status,
    StatusTally,
    SustainableDevelopmentGoal,
    Theme,
)
from tracker.models import (
    Country,
    Document,
    ListOfIssuesParagraph,
    Mechanism,
    Milestone,
    Organisation,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    StatisticalTable,
    paragraph_sort_key,
)
from tracker.parsing.common import ParagraphRef

TODAY = datetime.date(2026, 11, 24)
MORNING = datetime.time(8, tzinfo=datetime.UTC)
MARK = "generate_scale_data"
# Organisations have no source field: their website, on a reserved domain, marks them.
SYNTHETIC_WEBSITE = "https://synthetic.example/"

Kind = Milestone.Kind
Review = FollowUpAssessment.ReviewState
PROGRESSION = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.PARTIALLY_IMPLEMENTED,
               Status.IMPLEMENTED]
# Weighted draws as lists to pick from: rng.choices() rebuilds its weights on every call.
REVIEW_STATES = ([Review.DRAFT] * 8 + [Review.SUBMITTED] * 12 + [Review.ACCEPTED] * 73
                 + [Review.DISPUTED] * 7)
ORGANISATIONS_PER_RECOMMENDATION = [1] * 9 + [2] * 7 + [3] * 3 + [4]
POSITIONS = ([Recommendation.Position.SUPPORTED] * 14 + [Recommendation.Position.SUPPORTED_IN_PART]
             + [Recommendation.Position.NOTED] * 5)
GRADES = FollowUpAssessment.Grade.values
FRENCH_SPEAKING = {"BEL", "BEN", "BFA", "BDI", "CMR", "CAF", "TCD", "COM", "COG", "COD", "CIV",
                   "DJI", "FRA", "GAB", "GIN", "HTI", "LUX", "MDG", "MLI", "MCO", "MAR", "NER",
                   "RWA", "SEN", "CHE", "TGO", "TUN"}


@dataclass(frozen=True)
class TreatyBody:
    prefix: str  # of the symbols: CRC/C/KAZ/CO/5-6
    participation: float  # share of States that report to it
    follow_up: bool  # selects a few recommendations for a follow-up procedure
    weight: float  # recommendations per concluding observations, relatively
    groups: tuple[str, ...] = ()  # the affected groups it mostly speaks of


TREATY_BODIES = {
    "CCPR": TreatyBody("CCPR/C", 0.90, True, 1.0),
    "CESCR": TreatyBody("E/C.12", 0.88, False, 1.0, ("persons-living-in-poverty",)),
    "CERD": TreatyBody("CERD/C", 0.95, True, 0.8, ("minorities", "indigenous-peoples")),
    "CEDAW": TreatyBody("CEDAW/C", 0.97, True, 1.0, ("women", "girls", "rural-women")),
    "CAT": TreatyBody("CAT/C", 0.88, True, 0.8, ("persons-deprived-of-their-liberty",)),
    "CRC": TreatyBody("CRC/C", 1.0, False, 1.2, ("children", "girls", "youth")),
    "CMW": TreatyBody("CMW/C", 0.30, False, 0.6, ("migrants",)),
    "CRPD": TreatyBody("CRPD/C", 0.90, False, 0.8, ("persons-with-disabilities",)),
    "CED": TreatyBody("CED/C", 0.40, True, 0.5, ("disappeared-persons",)),
}
# Label, first session, number of sessions and date of the first session of each UPR cycle.
UPR_CYCLES = [
    ("1st cycle", 1, 12, datetime.date(2008, 4, 7)),
    ("2nd cycle", 13, 14, datetime.date(2012, 5, 21)),
    ("3rd cycle", 27, 14, datetime.date(2017, 5, 1)),
    ("4th cycle", 41, 14, datetime.date(2022, 11, 6)),
]
# Visiting treaty bodies' report symbols: CAT/OP/KAZ/1.
VISIT_PREFIXES = {"SPT": "CAT/OP"}
# The bodies that set priorities outside reporting cycles, and the States they concern
# (None: a regional priority).
PRIORITY_COUNTRIES = {
    Mechanism.Kind.COE: ["KAZ", "KGZ", "MAR", "TUN", "JOR"],
    Mechanism.Kind.OHCHR_OFFICE: ["KAZ", "KGZ", "TJK", "TKM", "UZB", None],
}

# The vocabulary texts are built from: {t} a topic, {v} a service, {g} a group, {i} an
# institution, {n} an instrument, {s} an SDG target, {c} a clause.
TOPICS = [
    "domestic violence", "torture and ill-treatment", "child labour", "juvenile justice",
    "birth registration", "freedom of expression", "freedom of peaceful assembly",
    "trafficking in persons", "inclusive education", "access to health care",
    "corporal punishment", "child, early and forced marriage", "discrimination on all grounds",
    "conditions of detention", "violence against women", "hate speech", "social protection",
    "access to justice", "the right to adequate housing", "sexual and reproductive health",
    "deinstitutionalization", "statelessness", "enforced disappearance", "labour migration",
    "the independence of the judiciary", "pretrial detention", "online sexual exploitation",
]
SERVICES = [
    "education", "health care", "justice", "legal aid", "social protection", "birth registration",
    "adequate housing", "safe drinking water and sanitation", "mental health services",
]
GROUPS = [
    "children", "women and girls", "persons with disabilities", "migrant workers",
    "refugees and asylum-seekers", "ethnic minorities", "indigenous peoples", "older persons",
    "persons deprived of their liberty", "human rights defenders", "journalists",
    "children in street situations", "rural women", "stateless persons",
    "lesbian, gay, bisexual, transgender and intersex persons", "persons living in poverty",
]
INSTITUTIONS = [
    "the national human rights institution", "the Commissioner for Children's Rights",
    "the national preventive mechanism", "the juvenile justice system",
    "the child protection system", "the Ombudsperson's office", "the judiciary",
    "the National Commission for Women", "the labour inspectorate", "the police",
]
INSTRUMENTS = [
    "the Optional Protocol to the Convention against Torture",
    "the International Convention for the Protection of All Persons from Enforced Disappearance",
    "the Optional Protocol to the Convention on the Rights of the Child on a communications "
    "procedure",
    "ILO Domestic Workers Convention, 2011 (No. 189)",
    "the Second Optional Protocol to the International Covenant on Civil and Political Rights",
    "the 1961 Convention on the Reduction of Statelessness",
    "the Rome Statute of the International Criminal Court",
]
CLAUSES = [
    "adopt comprehensive legislation on {t} that is in line with international standards",
    "strengthen {i} and provide it with adequate human, technical and financial resources",
    "ensure that {g} have effective access to {v} without discrimination",
    "establish an independent mechanism to receive and investigate complaints concerning {t}",
    "investigate promptly all allegations of {t}, prosecute perpetrators and provide victims "
    "with remedies",
    "ratify {n}",
    "raise awareness among {g}, parents, teachers and officials of {t}",
    "collect data on {t}, disaggregated by age, sex, disability, ethnic origin and location",
    "guarantee the independence of {i} in law and in practice",
    "review its legislation on {t} to bring it into full conformity with the Convention",
    "develop a national action plan on {t} with the participation of {g} and civil society",
    "provide systematic training on {t} to judges, prosecutors, police and social workers",
]
FOLLOW_ONS = [
    "The Committee also recommends that the State party {c}.",
    "It further urges the State party to {c}.",
    "The State party should, in addition, {c}.",
    "Measures should be taken to {c}, as a matter of priority.",
    "The Committee draws the attention of the State party to target {s} of the Sustainable "
    "Development Goals.",
    "The State party should include information on {t} in its next periodic report.",
    "Particular attention should be paid to {g}.",
]
OPENINGS = {
    "treaty": "The Committee recommends that the State party {c}.",
    "visit": "The Special Rapporteur recommends that the Government {c}.",
    "priority": "Support the authorities to {c}.",
}
# French, as the replies of French-speaking States and some concluding observations are.
TOPICS_FR = [
    "la violence domestique", "la torture et les mauvais traitements", "le travail des enfants",
    "la justice pour mineurs", "l’enregistrement des naissances", "la liberté d’expression",
    "la traite des personnes", "l’éducation inclusive", "l’accès aux soins de santé",
    "les châtiments corporels", "le mariage d’enfants", "les conditions de détention",
    "la protection sociale", "l’accès à la justice", "l’apatridie",
]
SERVICES_FR = [
    "l’éducation", "les soins de santé", "la justice", "l’aide juridictionnelle",
    "la protection sociale", "un logement convenable", "l’eau potable et l’assainissement",
]
GROUPS_FR = [
    "les enfants", "les femmes et les filles", "les personnes handicapées",
    "les travailleurs migrants", "les réfugiés et demandeurs d’asile", "les minorités",
    "les personnes âgées", "les personnes privées de liberté",
    "les défenseurs des droits de l’homme", "les enfants en situation de rue",
]
CLAUSES_FR = [
    "adopter une législation complète sur {t}, conforme aux normes internationales",
    "veiller à ce que {g} aient effectivement accès à {v} sans discrimination",
    "enquêter sans délai sur toutes les allégations concernant {t} et poursuivre les auteurs",
    "recueillir des données sur {t}, ventilées par âge, sexe, handicap et origine",
    "élaborer un plan d’action national sur {t} avec la participation de {g}",
    "dispenser une formation systématique sur {t} aux juges, aux procureurs et à la police",
    "allouer des ressources humaines, techniques et financières suffisantes aux programmes "
    "relatifs à {t}",
]
FOLLOW_ONS_FR = [
    "Le Comité recommande également à l’État partie de {c}.",
    "Il l’engage en outre à {c}.",
    "Une attention particulière devrait être accordée à {g}.",
    "L’État partie devrait fournir des informations sur {t} dans son prochain rapport périodique.",
]
OPENINGS_FR = {
    "treaty": "Le Comité recommande à l’État partie de {c}.",
    "visit": "Le Rapporteur spécial recommande au Gouvernement de {c}.",
    "priority": "Appuyer les autorités pour {c}.",
}
ACTORS = ["The Parliament", "The Government", "The Ministry of Justice", "The Supreme Court",
          "The Ministry of Education", "The Ministry of Labour and Social Protection",
          "The Prosecutor General's Office", "The Ombudsperson", "Local authorities"]
ACTIONS = ["adopted amendments on {t}", "approved a national action plan on {t}",
           "published statistics on {t}", "announced a reform of {t}",
           "opened consultations with civil society on {t}", "set up a working group on {t}",
           "allocated a budget line for {t}", "issued guidelines on {t}"]
ASSESSMENTS = ["No measurable change for {g} has been observed yet.",
               "Implementation is uneven across regions.",
               "Civil society was not consulted.",
               "The measure covers {g} only partly.",
               "Monitoring data confirm progress for {g}.",
               "The budget allocated is insufficient.",
               "The regulations needed to apply the law are still pending."]
QUESTIONS = [
    "Please provide information on the measures taken to address {t}, in particular for {g}.",
    "Please indicate the steps taken to strengthen {i} and its mandate.",
    "Please provide data, disaggregated by age, sex and location, on {t} for the past three "
    "years.",
    "Please explain how the State party ensures that {g} have access to {v}.",
    "Please describe the results of the national strategy on {t}.",
]
REPLIES = [
    "In {y}, the Government adopted a programme on {t} covering {g}.",
    "The law of {y} strengthened the mandate of {i}; its implementation is monitored annually.",
    "Training on {t} was provided to {n} officials between {y} and {z}.",
    "Complaints concerning {t} are examined by {i}; {n} complaints were received in {y}.",
    "Funding for {t} increased by {p} per cent in {y}.",
]
REPLIES_FR = [
    "En {y}, le Gouvernement a adopté un programme sur {t} en faveur de {g}.",
    "La loi de {y} a renforcé le mandat du Commissaire aux droits de l’homme; sa mise en œuvre "
    "fait l’objet d’un suivi annuel.",
    "Une formation sur {t} a été dispensée à {n} agents entre {y} et {z}.",
    "En {y}, {n} plaintes concernant {t} ont été examinées.",
]
NHRI_NAMES = ["National Human Rights Commission of {c}", "Ombudsman of {c}",
              "Human Rights Defender of {c}", "Commissioner for Human Rights of {c}"]
NGO_NAMES = ["{c} Coalition for the Rights of the Child", "{c} Helsinki Committee",
             "Women's Rights Centre of {c}", "{c} Association of Persons with Disabilities",
             "Legal Aid Society of {c}", "{c} Bureau for Human Rights and the Rule of Law",
             "Migrant Support Network of {c}", "Institute for Democracy and Human Rights of {c}"]
INTERNATIONAL_NAMES = ["International Alliance against {t}", "Global Network on {t}",
                       "Watch on {t}", "Coalition on {t}"]
# Texts are drawn from pools of this many filled-in sentences: filling 2,000,000 of them one by
# one costs minutes, and a few sentences drawn from thousands still make each text its own.
POOL = 3_000


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


class Entry(NamedTuple):
    """A follow-up assessment as inserted: the columns of FollowUpAssessment, in this order."""

    organisation_id: int
    date: datetime.date
    status: str
    review_state: str
    reviewed_at: datetime.datetime | None
    grade: str
    summary: str
    evidence: str
    evidence_links: str
    review_note: str


@dataclass
class Source:
    """What recommendations are issued in: concluding observations, a UPR Working Group report,
    a visit report, or the priorities a body sets outside reporting cycles."""

    family: str  # "treaty", "upr", "visit" or "priority"
    mechanism: Mechanism
    country: Country | None
    date: datetime.date
    weight: float
    cycle: ReportingCycle | None = None
    document: Document | None = None
    upr_session: int | None = None
    treaty_body: TreatyBody | None = None


Generated = tuple[Recommendation, list[Entry], dict[str, list[int]]]


class Command(BaseCommand):
    help = ("Generate synthetic cycles, documents, recommendations and follow-up entries at a "
            "chosen size; the same --seed gives the same data.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--recommendations", type=int, default=500_000,
                            help="How many recommendations (default: 500,000).")
        parser.add_argument("--assessments", type=int, default=2_000_000,
                            help="How many follow-up entries in all (default: 2,000,000).")
        parser.add_argument("--organisations", type=int, default=300,
                            help="How many NGOs and NHRIs write them (default: 300).")
        parser.add_argument("--seed", type=int, default=1,
                            help="The same seed on the same database gives the same data.")
        parser.add_argument("--batch-size", type=int, default=5_000,
                            help="Recommendations generated and inserted per round.")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--flush", action="store_true",
                           help="Delete the synthetic data generated earlier, then generate.")
        group.add_argument("--remove", action="store_true",
                           help="Delete the synthetic data generated earlier; generate nothing.")

    def handle(self, *args, recommendations: int, assessments: int, organisations: int,
               seed: int, batch_size: int, flush: bool, remove: bool, **options) -> None:
        if min(recommendations, assessments, batch_size - 1, organisations - 1) < 0:
            raise CommandError("Sizes cannot be negative; --organisations and --batch-size "
                               "must be at least 1.")
        if assessments and not recommendations:
            raise CommandError("Assessments need recommendations to assess.")
        started = time.monotonic()

        def progress(message: str) -> None:
            if options["verbosity"] >= 1:
                self.stderr.write(f"[{time.monotonic() - started:7.1f} s] {message}",
                                  style_func=str)

        if remove:
            delete_synthetic_data(progress)
            self.stdout.write(self.style.SUCCESS("Synthetic data removed."))
            return
        if not flush and synthetic_data_exists():
            raise CommandError("Synthetic data is already present: pass --flush to replace it, "
                               "or --remove to delete it.")
        if not Country.objects.exists():
            call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
        # One transaction: a run that fails leaves the database as it was, earlier data included.
        with transaction.atomic():
            if flush:
                delete_synthetic_data(progress)
            generator = Generator(seed, recommendations, assessments, organisations, batch_size,
                                  progress)
            counts = generator.run()
        progress("analysing the tables")
        # Fresh statistics, so that the planner (and the benchmark) sees the data as a maintained
        # database would, rather than whenever autovacuum (PostgreSQL) gets round to it, or never
        # (SQLite).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(
            f"Generated (seed {seed}) in {time.monotonic() - started:.1f} s: {summary}."
        ))


def synthetic_data_exists() -> bool:
    return (
        Organisation.objects.filter(website__startswith=SYNTHETIC_WEBSITE).exists()
        or ReportingCycle.objects.filter(source__startswith=MARK).exists()
        or Recommendation.objects.filter(source__startswith=MARK).exists()
    )


def delete_synthetic_data(progress: Callable[[str], None]) -> None:
    """Delete every synthetic record, table by table, children first, one DELETE per table and
    one per many-to-many table. The ORM's delete() loads every row it cascades from, which at
    2,000,000 entries takes many minutes. Records entered by hand that point at synthetic ones
    through a nullable link let go of them; a protected link (a recommendation of a synthetic
    cycle entered by hand) makes the deletion fail at commit, and nothing is deleted. A model
    added later with a foreign key to one of these tables must be added to the list."""
    recommendations = Recommendation.objects.filter(source__startswith=MARK)
    assessments = FollowUpAssessment.objects.filter(recommendation__in=recommendations)
    documents = Document.objects.filter(source_name__startswith=MARK)
    sections = ReplySection.objects.filter(document__in=documents)
    cycles = ReportingCycle.objects.filter(source__startswith=MARK)
    with transaction.atomic():
        Recommendation.objects.filter(previous__in=recommendations).update(previous=None)
        Recommendation.objects.filter(position_document__in=documents).update(
            position_document=None
        )
        Document.objects.filter(answers__in=documents).update(answers=None)
        for queryset in [
            EvidenceFile.objects.filter(assessment__in=assessments),  # uploaded by hand
            assessments,
            recommendations,
            ReplyParagraph.objects.filter(document__in=documents),
            StatisticalTable.objects.filter(section__in=sections),
            sections,
            ListOfIssuesParagraph.objects.filter(document__in=documents),
            documents,
            Milestone.objects.filter(cycle__in=cycles),
            cycles,
            Organisation.objects.filter(website__startswith=SYNTHETIC_WEBSITE),
        ]:
            delete_links(queryset)
            deleted = delete_rows(queryset)
            progress(f"deleted {deleted:,} {queryset.model._meta.verbose_name_plural}")
        StatusTally.recount()  # the DELETEs above bypass the ORM that keeps it


def delete_links(queryset: models.QuerySet) -> None:
    """Delete the many-to-many rows of these records, both directions, one DELETE per table."""
    for relation in queryset.model._meta.get_fields():
        if not relation.many_to_many:
            continue
        if relation.auto_created:  # the reverse side, e.g. Measure.recommendations
            through, name = relation.through, relation.field.m2m_reverse_field_name()
        else:
            through, name = relation.remote_field.through, relation.m2m_field_name()
        through.objects.filter(**{f"{name}__in": queryset}).delete()


def delete_rows(queryset: models.QuerySet) -> int:
    """DELETE … WHERE pk IN (the queryset), without loading a row. Foreign keys are checked at
    commit (Django declares them deferrable), so a table may point at itself."""
    meta, quote = queryset.model._meta, connection.ops.quote_name
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({sql})", params
        )
        return cursor.rowcount


class Generator:
    def __init__(self, seed: int, recommendations: int, assessments: int, organisations: int,
                 batch_size: int, progress: Callable[[str], None]) -> None:
        self.rng = random.Random(seed)
        self.recommendation_count = recommendations
        self.assessment_count = assessments
        self.organisation_count = organisations
        self.batch_size = batch_size
        self.progress = progress
        self.counts: dict[str, int] = defaultdict(int)
        self.source = f"{MARK} --seed {seed}"
        self.countries = list(Country.objects.filter(un_member=True).order_by("code"))
        self.country_by_code = {country.code: country for country in Country.objects.all()}

    def run(self) -> dict[str, int]:
        self.create_organisations()
        sources = self.create_cycles()
        self.create_lists_of_issues()
        self.create_recommendations(sources)
        return dict(self.counts)

    def bulk_create(self, model: type[models.Model], objs: list) -> None:
        model.objects.bulk_create(objs, batch_size=self.batch_size)
        self.counts[str(model._meta.verbose_name_plural)] += len(objs)

    def insert_rows(self, model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
        """Insert plain tuples: COPY on PostgreSQL, executemany elsewhere. For millions of
        assessments and links, bulk_create's model instance and SQL text per row cost several
        times the insert itself. The model's other columns take their defaults, the auto_now
        ones the time of the run."""
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        now = timezone.now()
        others = [name for name in fields if name not in columns]
        defaults = tuple(
            fields[name].get_db_prep_save(
                now if getattr(fields[name], "auto_now", False)
                or getattr(fields[name], "auto_now_add", False) else fields[name].get_default(),
                connection,
            )
            for name in others
        )
        quote = connection.ops.quote_name
        names = ", ".join(quote(fields[name].column) for name in columns + others)
        table = f"{quote(model._meta.db_table)} ({names})"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {table} FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row + defaults)
            else:
                # Dates go through the backend's adapter (SQLite stores them as text).
                ops = connection.ops
                adapters = [
                    ops.adapt_datetimefield_value if isinstance(fields[name], models.DateTimeField)
                    else ops.adapt_datefield_value if isinstance(fields[name], models.DateField)
                    else None
                    for name in columns
                ]
                if any(adapters):
                    rows = [
                        tuple(v if adapt is None or v is None else adapt(v)
                              for v, adapt in zip(row, adapters))
                        for row in rows
                    ]
                placeholders = ", ".join(["%s"] * (len(columns) + len(others)))
                cursor.executemany(f"INSERT INTO {table} VALUES ({placeholders})",
                                   [row + defaults for row in rows])
        self.counts[str(model._meta.verbose_name_plural)] += len(rows)

    def link(self, descriptor, pairs: list[tuple[int, int]]) -> None:
        """Insert many-to-many rows straight into the through table."""
        relation = descriptor.field
        self.insert_rows(descriptor.through, [f"{relation.m2m_field_name()}_id",
                                              f"{relation.m2m_reverse_field_name()}_id"], pairs)

    # Organisations ----------------------------------------------------------------------------

    def create_organisations(self) -> None:
        """NHRIs and NGOs across the countries, and international NGOs."""
        rng = self.rng
        taken = set(Organisation.objects.values_list("name", flat=True))
        organisations = []
        for number in range(self.organisation_count):
            country = rng.choice(self.countries)
            roll = rng.random()
            if roll < 0.35:
                kind, pattern = Organisation.Kind.NHRI, rng.choice(NHRI_NAMES)
            elif roll < 0.85:
                kind, pattern = Organisation.Kind.NGO, rng.choice(NGO_NAMES)
            else:
                kind, pattern = Organisation.Kind.NGO, rng.choice(INTERNATIONAL_NAMES)
                country = None
            name = pattern.format(c=country.name if country else "", t=rng.choice(TOPICS))
            if name in taken:
                name = f"{name} ({number})"
            taken.add(name)
            organisations.append(Organisation(
                name=name, kind=kind, country=country, website=f"{SYNTHETIC_WEBSITE}{number}",
                acronym="".join(word[0] for word in name.split() if word[0].isupper())[:10],
            ))
        self.bulk_create(Organisation, organisations)
        self.local_organisations: dict[int, list[int]] = defaultdict(list)
        self.international_organisations: list[int] = []
        for organisation in organisations:
            if organisation.country_id:
                self.local_organisations[organisation.country_id].append(organisation.pk)
            else:
                self.international_organisations.append(organisation.pk)
        if not self.international_organisations:
            self.international_organisations = [o.pk for o in organisations]
        self.progress(f"{len(organisations):,} organisations")

    # Cycles, milestones and documents ---------------------------------------------------------

    def create_cycles(self) -> list[Source]:
        """Cycles with their milestones and documents; returns the sources of recommendations."""
        taken_pairs = set(ReportingCycle.objects.values_list("country_id", "mechanism_id"))
        self.taken_symbols = set(
            Document.objects.exclude(symbol="").values_list("symbol", flat=True)
        )
        self.cycles: list[ReportingCycle] = []
        self.milestones: list[tuple[ReportingCycle, str, datetime.date, datetime.date | None]] = []
        self.documents: list[Document] = []
        self.replies: list[Document] = []  # inserted after the lists of issues they answer
        sources: list[Source] = []
        for mechanism in Mechanism.objects.order_by("code"):
            if mechanism.kind in PRIORITY_COUNTRIES:
                sources += self.priorities(mechanism)
                continue
            body = TREATY_BODIES.get(mechanism.code)
            for index, country in enumerate(self.countries):
                if (country.pk, mechanism.pk) in taken_pairs:
                    continue
                if mechanism.kind == Mechanism.Kind.UPR:
                    sources += self.upr_cycles(mechanism, country, index)
                elif body:
                    sources += self.report_cycles(mechanism, country, body)
                else:
                    sources += self.visits(mechanism, country, index)
        self.bulk_create(ReportingCycle, self.cycles)
        self.insert_rows(Milestone, ["cycle_id", "kind", "planned_date", "actual_date", "source"],
                         [(cycle.pk, *dates, self.source) for cycle, *dates in self.milestones])
        self.bulk_create(Document, self.documents)
        self.bulk_create(Document, self.replies)
        self.progress(f"{len(self.cycles):,} cycles, {len(self.milestones):,} milestones, "
                      f"{len(self.documents) + len(self.replies):,} documents")
        return sources

    def cycle(self, mechanism: Mechanism, country: Country, label: str, **fields) -> ReportingCycle:
        cycle = ReportingCycle(mechanism=mechanism, country=country, label=label,
                               source=self.source, **fields)
        self.cycles.append(cycle)
        return cycle

    def document(self, cycle: ReportingCycle, kind: str, symbol: str, date: datetime.date,
                 title: str, **fields) -> Document | None:
        if symbol in self.taken_symbols:
            return None
        self.taken_symbols.add(symbol)
        document = Document(cycle=cycle, kind=kind, symbol=symbol, date=date, title=title,
                            source_name=self.source, **fields)
        (self.replies if kind == Document.Kind.REPLIES else self.documents).append(document)
        return document

    def timeline(self, cycle: ReportingCycle,
                 steps: list[tuple[str, datetime.date, datetime.date]]) -> dict[str, datetime.date]:
        """Milestones from (kind, planned, actual) steps in their order: the first step not done
        by TODAY and all later ones stay pending with their planned date (some overdue, some
        upcoming). Returns the actual dates of the steps done."""
        done: dict[str, datetime.date] = {}
        pending = False
        for kind, planned, actual in steps:
            pending = pending or actual > TODAY
            self.milestones.append((cycle, kind, planned, None if pending else actual))
            if not pending:
                done[kind] = actual
        return done

    def report_cycles(self, mechanism: Mechanism, country: Country,
                      body: TreatyBody) -> list[Source]:
        """A treaty body's periodic reporting: report, list of issues and replies (or, in the
        simplified procedure, the list first), dialogue, concluding observations, follow-up, next
        report; a new cycle begins when the next report falls due."""
        rng = self.rng
        if rng.random() > body.participation:
            return []
        sources = []
        due = datetime.date(2007, 1, 1) + days(rng.randint(0, 5 * 365))
        delay = rng.randint(-30, 700)
        number = rng.randint(1, 3)
        prefix = f"{body.prefix}/{country.code}"
        language = "fr" if country.code in FRENCH_SPEAKING else "en"
        while True:
            combined = rng.random() < 0.4
            label = f"{number}-{number + 1}" if combined else str(number)
            number += 2 if combined else 1
            simplified = due.year >= 2016 and rng.random() < 0.4
            submitted = due + days(delay)
            steps = []
            if simplified:
                adopted = due - days(rng.randint(300, 420))
                steps.append((Kind.LIST_OF_ISSUES_ADOPTED, adopted, adopted))
            steps += [(Kind.REPORT_DUE, due, submitted), (Kind.REPORT_SUBMITTED, due, submitted)]
            last = submitted
            if not simplified:
                adopted = submitted + days(rng.randint(240, 540))
                replies_due = adopted + days(rng.randint(90, 150))
                last = replies_due + days(rng.randint(-20, 120))
                steps += [(Kind.LIST_OF_ISSUES_ADOPTED, adopted, adopted),
                          (Kind.REPLIES_DUE, replies_due, last),
                          (Kind.REPLIES_SUBMITTED, replies_due, last)]
            dialogue = last + days(rng.randint(90, 300))
            concluded = dialogue + days(rng.randint(10, 30))
            steps += [(Kind.DIALOGUE, dialogue, dialogue),
                      (Kind.CONCLUDING_OBSERVATIONS_ADOPTED, concluded, concluded)]
            if body.follow_up:
                follow_up_due = concluded + days(365 * rng.choice((1, 2)))
                followed_up = follow_up_due + days(rng.randint(-30, 400))
                steps += [(Kind.FOLLOW_UP_DUE, follow_up_due, followed_up),
                          (Kind.FOLLOW_UP_SUBMITTED, follow_up_due, followed_up)]
            next_due = concluded + days(365 * rng.choice((4, 5)))
            delay = rng.randint(-30, 900)
            steps.append((Kind.NEXT_REPORT_DUE, next_due, next_due + days(delay)))
            reports = f"{'combined periodic reports' if combined else 'periodic report'} {label}"
            cycle = self.cycle(
                mechanism, country, label, is_current=next_due > TODAY,
                title=f"{reports.capitalize()} of {country.name}",
                procedure=ReportingCycle.Procedure.SIMPLIFIED if simplified
                else ReportingCycle.Procedure.STANDARD,
            )
            done = self.timeline(cycle, steps)
            if Kind.REPORT_SUBMITTED in done:
                self.document(cycle, Document.Kind.STATE_REPORT, f"{prefix}/{label}",
                              done[Kind.REPORT_SUBMITTED], cycle.title, language=language)
            if Kind.LIST_OF_ISSUES_ADOPTED in done:
                kind = (Document.Kind.LIST_OF_ISSUES_PRIOR if simplified
                        else Document.Kind.LIST_OF_ISSUES)
                issues = self.document(
                    cycle, kind, f"{prefix}/{'QPR' if simplified else 'Q'}/{label}",
                    done[Kind.LIST_OF_ISSUES_ADOPTED], f"List of issues — {cycle.title}",
                    word_limit=10_700,
                )
                if Kind.REPLIES_SUBMITTED in done:
                    self.document(cycle, Document.Kind.REPLIES, f"{prefix}/RQ/{label}",
                                  done[Kind.REPLIES_SUBMITTED], f"Replies — {cycle.title}",
                                  answers=issues, language=language, original_language=language)
            if Kind.CONCLUDING_OBSERVATIONS_ADOPTED in done:
                date = done[Kind.CONCLUDING_OBSERVATIONS_ADOPTED]
                observations = self.document(
                    cycle, Document.Kind.CONCLUDING_OBSERVATIONS, f"{prefix}/CO/{label}", date,
                    f"Concluding observations on the {reports} of {country.name}",
                )
                sources.append(Source("treaty", mechanism, country, date, body.weight, cycle,
                                      observations, treaty_body=body))
            if Kind.FOLLOW_UP_SUBMITTED in done:
                self.document(cycle, Document.Kind.FOLLOW_UP_REPORT, f"{prefix}/FCO/{label}",
                              done[Kind.FOLLOW_UP_SUBMITTED], f"Follow-up report — {cycle.title}")
            if cycle.is_current:
                return sources
            due = next_due

    def upr_cycles(self, mechanism: Mechanism, country: Country, index: int) -> list[Source]:
        """Four UPR cycles, each State reviewed once per cycle at a session set by its place in
        the list; the Working Group report follows the review, the Council adopts it later."""
        rng = self.rng
        sources = []
        for number, (label, first, sessions, start) in enumerate(UPR_CYCLES):
            last_cycle = number == len(UPR_CYCLES) - 1
            slot, rank = index % sessions, index // sessions
            spacing = 130 if last_cycle else (UPR_CYCLES[number + 1][3] - start).days // sessions
            session = first + slot
            review = start + days(slot * spacing + rng.randint(0, 9))
            due = review - days(84)
            submitted = due + days(rng.randint(-10, 60))
            reported = review + days(rng.randint(8, 14))
            adopted = reported + days(rng.randint(100, 140))
            next_review = review + days(4 * 365 + 180) if last_cycle else (
                UPR_CYCLES[number + 1][3] + days(slot * spacing))
            next_due = next_review - days(84)
            cycle = self.cycle(mechanism, country, label, is_current=last_cycle,
                               title=f"Universal Periodic Review of {country.name}, {label}")
            done = self.timeline(cycle, [
                (Kind.REPORT_DUE, due, submitted), (Kind.REPORT_SUBMITTED, due, submitted),
                (Kind.DIALOGUE, review, review),
                (Kind.CONCLUDING_OBSERVATIONS_ADOPTED, adopted, adopted),
                (Kind.NEXT_REPORT_DUE, next_due, next_due + days(rng.randint(-10, 60))),
            ])
            if Kind.REPORT_SUBMITTED in done:
                self.document(cycle, Document.Kind.STATE_REPORT,
                              f"A/HRC/WG.6/{session}/{country.code}/1", submitted,
                              f"National report submitted by {country.name}")
            if Kind.DIALOGUE in done and reported <= TODAY:
                council = session + 7 + session // 20  # the Council session that adopts it
                report = self.document(
                    cycle, Document.Kind.UPR_REPORT, f"A/HRC/{council}/{10 + rank}", reported,
                    f"Report of the Working Group on the Universal Periodic Review: {country.name}",
                )
                sources.append(Source("upr", mechanism, country, reported, 2.5, cycle, report,
                                      upr_session=session))
        return sources

    def visits(self, mechanism: Mechanism, country: Country, index: int) -> list[Source]:
        """Country visits (special procedures, the SPT), each a cycle with its report."""
        rng = self.rng
        if rng.random() > 0.55:
            return []
        sources = []
        year, number = rng.randint(2009, 2016), 0
        while year <= TODAY.year:
            number += 1
            visit = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            next_year = year + rng.randint(3, 7)
            cycle = self.cycle(mechanism, country, f"visit {year}",
                               is_current=next_year > TODAY.year,
                               title=f"Visit to {country.name}, {year}")
            reported = visit + days(rng.randint(150, 300))
            if reported <= TODAY:
                if mechanism.kind == Mechanism.Kind.TREATY_BODY:
                    prefix = VISIT_PREFIXES.get(mechanism.code, mechanism.code)
                    symbol = f"{prefix}/{country.code}/{number}"
                else:
                    council = 8 + (reported - datetime.date(2008, 6, 2)).days // 122
                    symbol = f"A/HRC/{council}/{60 + index % 40}/Add.{1 + index // 40}"
                report = self.document(cycle, Document.Kind.OHCHR_DOCUMENT, symbol, reported,
                                       f"Report on the visit to {country.name}")
                sources.append(Source("visit", mechanism, country, reported, 0.4, cycle, report))
            year = next_year
        return sources

    def priorities(self, mechanism: Mechanism) -> list[Source]:
        """Priorities adopted outside reporting cycles, for the States a body works with."""
        sources = []
        for code in PRIORITY_COUNTRIES[mechanism.kind]:
            country = self.country_by_code.get(code) if code else None
            if code and not country:
                continue
            for year in sorted(self.rng.sample(range(2010, TODAY.year + 1), 3)):
                sources.append(Source("priority", mechanism, country,
                                      datetime.date(year, self.rng.randint(1, 12), 1), 0.3))
        return sources

    # Lists of issues and replies --------------------------------------------------------------

    def create_lists_of_issues(self) -> None:
        """Paragraphs, reply sections and reply paragraphs for a share of the replies, as many as
        the size asks for: one list per 400 recommendations, at least three."""
        rng = self.rng
        questions = [self.fill(rng.choice(QUESTIONS)) for _ in range(POOL // 5)]
        answers = {french: [self.reply_text(french) for _ in range(POOL)]
                   for french in (False, True)}
        eligible = [reply for reply in self.replies if reply.answers_id]
        chosen = rng.sample(eligible, min(len(eligible), max(3, self.recommendation_count // 400)))
        levels: list[list[ListOfIssuesParagraph]] = [[], [], []]
        sections: list[tuple[ReplySection, list[ListOfIssuesParagraph]]] = []
        paragraphs: list[tuple[ReplySection, int, str]] = []
        tables: list[StatisticalTable] = []
        for reply in chosen:
            french, issues, count = reply.language == "fr", reply.answers, rng.randint(18, 32)
            numbered = []
            for number in range(1, count + 1):
                part = ("Part I" if number <= count - 4
                        else "Part II" if number <= count - 2 else "Part III")
                letters = "abcdef"[:rng.randint(2, 6)] if rng.random() < 0.55 else ""
                text = "Please provide information on:" if letters else rng.choice(questions)
                paragraph = self.issue_paragraph(issues, part, None, text, number)
                levels[0].append(paragraph)
                leaves = [] if letters else [paragraph]
                for letter in letters:
                    child = self.issue_paragraph(issues, part, paragraph, rng.choice(questions),
                                                 number, letter)
                    levels[1].append(child)
                    leaves.append(child)
                    if rng.random() < 0.12:
                        for roman in ("i", "ii", "iii")[:rng.randint(2, 3)]:
                            levels[2].append(self.issue_paragraph(
                                issues, part, child, rng.choice(questions), number, letter, roman))
                numbered.append((leaves, part))
            order, reply_number = itertools.count(1), itertools.count(1)
            for leaves, part in numbered:
                if rng.random() < 0.08:
                    continue  # left unanswered
                together = len(leaves) == 1 or rng.random() < 0.6
                for answered in [leaves] if together else [[leaf] for leaf in leaves]:
                    section = ReplySection(document=reply, order=next(order),
                                           heading=self.heading(answered, french))
                    sections.append((section, answered))
                    if rng.random() < 0.05:  # only a pointer to an annex
                        paragraphs.append((section, next(reply_number),
                                           "Annexe 1." if french else "See annex 1."))
                        continue
                    for _ in range(rng.randint(1, 4)):
                        text = rng.choice(answers[french])
                        paragraphs.append((section, next(reply_number), text))
                    if part == "Part III":
                        tables.append(self.table(section))
        for level in levels:  # parents first, for their ids
            self.bulk_create(ListOfIssuesParagraph, level)
        self.bulk_create(ReplySection, [section for section, _ in sections])
        # ReplyParagraph.save() copies the section's document; these rows carry it themselves.
        self.insert_rows(ReplyParagraph, ["section_id", "document_id", "number", "text"], [
            (section.pk, section.document_id, number, text) for section, number, text in paragraphs
        ])
        self.bulk_create(StatisticalTable, tables)
        self.link(ReplySection.issue_paragraphs, [
            (section.pk, paragraph.pk) for section, answered in sections for paragraph in answered
        ])
        self.progress(f"{len(chosen):,} lists of issues with replies: "
                      f"{sum(map(len, levels)):,} paragraphs, {len(sections):,} sections, "
                      f"{len(paragraphs):,} reply paragraphs")

    def issue_paragraph(self, document: Document, part: str, parent: ListOfIssuesParagraph | None,
                        text: str, number: int, letter: str = "",
                        roman: str = "") -> ListOfIssuesParagraph:
        # bulk_create skips save(), which sets the label and the sort key: set them here.
        ref = ParagraphRef(number, letter, roman)
        return ListOfIssuesParagraph(
            document=document, part=part, parent=parent, number=number, letter=letter, roman=roman,
            label=ref.label, sort_key=paragraph_sort_key(ref), text=text,
        )

    def heading(self, answered: list[ListOfIssuesParagraph], french: bool) -> str:
        """As the replies print it: “Reply to paragraph 18 (a) to (f) of the list of issues”."""
        first, last = answered[0], answered[-1]
        if french:
            label = f"{first.number} {first.letter})" if first.letter else str(first.number)
            if last is not first:
                label += f" à {last.letter})"
            return f"Réponse concernant le paragraphe {label} de la liste de points"
        label = first.label + (f" to ({last.letter})" if last is not first else "")
        return f"Reply to paragraph {label} of the list of issues"

    def table(self, section: ReplySection) -> StatisticalTable:
        """Figures over the four years before the replies, as Part III asks for."""
        rng = self.rng
        year = section.document.date.year
        years = [str(y) for y in range(year - 4, year)]
        rows = []
        for label in ("Boys", "Girls", "Total"):
            values = [rng.randint(50, 5_000) for _ in years]
            cells = [f"{value:,}".replace(",", " ") for value in values]
            rows.append({"label": label, "cells": cells, "values": values})
        return StatisticalTable(section=section, caption=f"Cases of {rng.choice(TOPICS)}",
                                columns=["", *years], rows=rows)

    # Recommendations and their follow-up ------------------------------------------------------

    def create_recommendations(self, sources: list[Source]) -> None:
        """Recommendations spread over the sources by weight and their assessments spread over
        the recommendations (a quarter with none, a few with long histories), inserted a batch
        at a time. Each status is computed from the entries generated with it, as bulk inserts
        skip FollowUpAssessment.save()."""
        rng = self.rng
        total = self.recommendation_count
        per_source = [0] * len(sources)
        for index in rng.choices(range(len(sources)), [s.weight for s in sources], k=total):
            per_source[index] += 1
        weights = [0.0 if rng.random() < 0.25 else min(60.0, rng.paretovariate(1.3))
                   for _ in range(total)]
        per_recommendation = [0] * total
        if self.assessment_count:
            for index in rng.choices(range(total), weights, k=self.assessment_count):
                per_recommendation[index] += 1
        self.prepare_vocabulary()
        batch: list[Generated] = []
        made = 0
        for source, count in zip(sources, per_source):
            for order, reference in zip(range(1, count + 1), self.references(source.family)):
                assessments = per_recommendation[made]
                batch.append(self.recommendation(source, reference, order, assessments))
                made += 1
                if len(batch) == self.batch_size:
                    self.insert(batch)
                    batch = []
        self.insert(batch)

    def prepare_vocabulary(self) -> None:
        """Taxonomy ids, and pools of filled-in sentences to draw texts from."""
        rng = self.rng
        self.themes = list(Theme.objects.filter(parent__isnull=False).values_list("pk", flat=True))
        self.crc_clusters = list(
            Theme.objects.filter(taxonomy=Theme.Taxonomy.CRC_CLUSTER).values_list("pk", flat=True)
        )
        self.goals = dict(SustainableDevelopmentGoal.objects.values_list("pk", "goal_id"))
        self.targets = [pk for pk, goal in self.goals.items() if goal]
        self.group_ids = dict(AffectedGroup.objects.values_list("code", "pk"))
        self.all_groups = sorted(self.group_ids.values())
        self.clauses = {
            french: [self.fill(rng.choice(CLAUSES_FR if french else CLAUSES), french)
                     for _ in range(POOL)]
            for french in (False, True)
        }
        self.follow_ons = {
            french: [
                self.fill(rng.choice(FOLLOW_ONS_FR if french else FOLLOW_ONS), french,
                          c=rng.choice(self.clauses[french]))
                for _ in range(POOL)
            ]
            for french in (False, True)
        }
        self.summary_heads = [f"{actor} {action.format(t=topic)}"
                              for actor in ACTORS for action in ACTIONS for topic in TOPICS]
        self.summary_tails = [sentence.format(g=group)
                              for sentence in ASSESSMENTS for group in GROUPS]

    def references(self, family: str) -> Iterator[str]:
        """Paragraph references as each kind of document numbers its recommendations: “140.7” in
        a UPR report; “23”, “24 (a)”, “24 (b)” in concluding observations; “3” for priorities."""
        if family == "priority":
            yield from map(str, itertools.count(1))
        elif family == "upr":
            paragraph = self.rng.choice((96, 116, 128, 140, 158))
            yield from (f"{paragraph}.{number}" for number in itertools.count(1))
        else:
            for paragraph in itertools.count(self.rng.randint(6, 14)):
                letters = self.rng.choice((0, 0, 0, 2, 3, 4, 5))
                if not letters:
                    yield str(paragraph)
                yield from (f"{paragraph} ({letter})" for letter in "abcde"[:letters])

    def recommendation(self, source: Source, reference: str, order: int,
                       assessment_count: int) -> Generated:
        rng = self.rng
        body = source.treaty_body
        kind = Recommendation.Kind.RECOMMENDATION
        if source.family == "priority":
            kind = (Recommendation.Kind.COOPERATION_PRIORITY
                    if source.mechanism.kind == Mechanism.Kind.COE
                    else Recommendation.Kind.THEMATIC_PRIORITY)
        follow_up = bool(body and body.follow_up and rng.random() < 0.06)
        states = []
        if source.family == "upr":
            count = rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3))
            states = [s for s in rng.sample(self.countries, count + 1) if s != source.country]
            states = states[:count]
        french_speaking = source.country and source.country.code in FRENCH_SPEAKING
        french = rng.random() < (0.5 if french_speaking else 0.08)
        recommendation = Recommendation(
            mechanism=source.mechanism, country=source.country, cycle=source.cycle,
            document=source.document, reference=reference, order=order, kind=kind,
            text=self.recommendation_text(source.family, french, states), date=source.date,
            urgent=source.family == "treaty" and rng.random() < 0.06, follow_up=follow_up,
            follow_up_due=source.date + days(365 * rng.choice((1, 2))) if follow_up else None,
            upr_session=source.upr_session, source=self.source,
        )
        if source.family == "upr":
            recommendation.position = rng.choice(POSITIONS)
            recommendation.action_category = rng.randint(1, 5)
        history = self.history(recommendation, assessment_count)
        # What FollowUpAssessment.save() would maintain; bulk_create() fills the other copies.
        recommendation.status = overall_status(history)
        recommendation.has_follow_up = any(entry.review_state != Review.DRAFT for entry in history)
        themes = rng.sample(self.themes, rng.randint(1, 3))
        if body and body.prefix == "CRC/C" and self.crc_clusters:
            themes.append(rng.choice(self.crc_clusters))
        usual = [self.group_ids[code] for code in (body.groups if body else ())
                 if code in self.group_ids]
        groups = rng.sample(usual, min(len(usual), rng.randint(0, 2)))
        groups += rng.sample(self.all_groups, rng.randint(0, 1))
        targets = rng.sample(self.targets, rng.choice((0, 0, 1, 1, 1, 1, 2, 2, 2, 3)))
        return recommendation, history, {
            "themes": themes,
            "goals": sorted(set(targets) | {self.goals[target] for target in targets}),
            "affected_groups": sorted(set(groups)),
            "recommending_states": [state.pk for state in states],
        }

    def history(self, recommendation: Recommendation, count: int) -> list[Entry]:
        """Entries from one to four organisations (mostly the country's own), dated from the
        recommendation to TODAY, following a common trajectory with some disagreement."""
        if not count:
            return []
        rng = self.rng
        local = self.local_organisations.get(recommendation.country_id, [])
        organisations = []
        for _ in range(rng.choice(ORGANISATIONS_PER_RECOMMENDATION)):
            pool = local if local and rng.random() < 0.7 else self.international_organisations
            organisation = rng.choice(pool)
            if organisation not in organisations:
                organisations.append(organisation)
        issued, span = recommendation.date, (TODAY - recommendation.date).days
        dates = sorted(issued + days(rng.randint(0, span)) for _ in range(count))
        start, pace = rng.choice((0, 0, 0, 0, 0, 1, 1, 1, 2, 2)), rng.randint(300, 2_500)
        graded = recommendation.follow_up or rng.random() < 0.03
        entries = []
        for position, date in enumerate(dates):
            level = min(3, start + (date - issued).days // pace)
            roll = rng.random()
            if roll < 0.05:
                status = Status.NOT_IMPLEMENTED
            elif roll < 0.08:
                status = Status.NO_INFORMATION
            elif roll < 0.25:  # an organisation that sees it one step ahead or behind
                status = PROGRESSION[max(0, min(3, level + rng.choice((-1, 1))))]
            else:
                status = PROGRESSION[level]
            review_state = rng.choice(REVIEW_STATES)
            reviewed_at = None
            if review_state in (Review.ACCEPTED, Review.DISPUTED):
                reviewed = datetime.datetime.combine(date, MORNING)
                reviewed_at = min(reviewed + datetime.timedelta(minutes=rng.randrange(30 * 1440)),
                                  datetime.datetime.combine(TODAY, MORNING))
            organisation = (organisations[position] if position < len(organisations)
                            else rng.choice(organisations))
            entries.append(Entry(
                organisation, date, status, review_state, reviewed_at,
                rng.choice(GRADES) if graded and rng.random() < 0.6 else "",
                f"{rng.choice(self.summary_heads)} in {date.year}. "
                f"{rng.choice(self.summary_tails)}",
                f"Law No. {rng.randint(1, 600)}-{date:%y} of {date:%d %B %Y}."
                if rng.random() < 0.4 else "",
                f"https://example.org/evidence/{rng.randint(1, 10**6)}"
                if rng.random() < 0.25 else "",
                "The evidence cited does not support this status."
                if review_state == Review.DISPUTED else "",
            ))
        return entries

    def insert(self, batch: list[Generated]) -> None:
        if not batch:
            return
        self.bulk_create(Recommendation, [recommendation for recommendation, _, _ in batch])
        self.insert_rows(FollowUpAssessment, ["recommendation_id", *Entry._fields], [
            (recommendation.pk, *entry) for recommendation, history, _ in batch for entry in history
        ])
        for name in ("themes", "goals", "affected_groups", "recommending_states"):
            self.link(getattr(Recommendation, name), [
                (recommendation.pk, pk) for recommendation, _, links in batch for pk in links[name]
            ])
        # With DEBUG on, Django keeps the SQL of the last 9,000 queries: hundreds of megabytes of
        # INSERT statements at this size.
        reset_queries()
        self.progress(
            f"{self.counts['recommendations']:,}/{self.recommendation_count:,} recommendations, "
            f"{self.counts['follow-up assessments']:,}/{self.assessment_count:,} assessments"
        )

    # Texts ------------------------------------------------------------------------------------

    def fill(self, pattern: str, french: bool = False, **words: str) -> str:
        rng = self.rng
        text = pattern.format(
            t=rng.choice(TOPICS_FR if french else TOPICS),
            v=rng.choice(SERVICES_FR if french else SERVICES),
            g=rng.choice(GROUPS_FR if french else GROUPS),
            i=rng.choice(INSTITUTIONS), n=rng.choice(INSTRUMENTS),
            s=f"{rng.randint(1, 17)}.{rng.randint(1, 9)}", **words,
        )
        return elide(text) if french else text

    def recommendation_text(self, family: str, french: bool, states: list[Country]) -> str:
        """200 to 800 characters, to a length drawn at random. A UPR recommendation is one
        sentence of clauses ending with the recommending States; the others open with their body
        and add sentences (each shorter than 300 characters)."""
        rng = self.rng
        clause = rng.choice(self.clauses[french])
        wanted = rng.randint(200, 800)
        if family == "upr":
            text, end = clause[0].upper() + clause[1:], f" ({', '.join(s.name for s in states)})."
            while len(text) + len(end) < wanted:
                clause = rng.choice(self.clauses[french])
                if len(text) + len(clause) + len(end) > 798:
                    break
                text = f"{text}; {clause}"
            return text + end
        text = (OPENINGS_FR if french else OPENINGS)[family].format(c=clause)
        text = elide(text) if french else text  # the pooled sentences are elided already
        while len(text) < wanted:
            sentence = rng.choice(self.follow_ons[french])
            if len(text) + 1 + len(sentence) > 800:
                break
            if sentence not in text:
                text = f"{text} {sentence}"
        return text

    def reply_text(self, french: bool) -> str:
        rng = self.rng
        year = rng.randint(2015, 2025)
        text = " ".join(
            rng.choice(REPLIES_FR if french else REPLIES).format(
                t=rng.choice(TOPICS_FR if french else TOPICS),
                g=rng.choice(GROUPS_FR if french else GROUPS), i=rng.choice(INSTITUTIONS),
                y=year, z=year + 2, n=rng.randint(20, 9_000), p=rng.randint(3, 40),
            )
            for _ in range(rng.randint(1, 4))
        )
        return elide(text) if french else text


def elide(text: str) -> str:
    """The contractions French makes where the vocabulary's pieces meet: “de adopter” is written
    “d’adopter”, “à les enfants” “aux enfants”, “relatifs à le travail” “relatifs au travail”."""
    for words, contraction in [("à les", "aux"), ("de les", "des"), ("à le", "au"),
                               ("de le", "du")]:
        text = re.sub(rf"\b{words}\b", contraction, text)
    return re.sub(r"\b(de|que) ([aeéèiouy])", lambda m: f"{m[1][0]}’{m[2]}", text)


def overall_status(history: list[Entry]) -> str:
    """What Recommendation.compute_status() gives for these entries, inserted in this order (so
    their ids rise in it): each organisation's latest accepted entry by (date, id) counts."""
    latest: dict[int, tuple[datetime.date, int, str]] = {}
    for position, entry in enumerate(history):
        if entry.review_state != Review.ACCEPTED:
            continue
        current = latest.get(entry.organisation_id)
        if current is None or (entry.date, position) > current[:2]:
            latest[entry.organisation_id] = (entry.date, position, entry.status)
    statuses = {status for _, _, status in latest.values()}
    if not statuses:
        return Status.NO_INFORMATION
    return statuses.pop() if len(statuses) == 1 else DISPUTED
