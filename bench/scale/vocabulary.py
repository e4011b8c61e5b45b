"""The synthetic data's fixed date, its marks, and the vocabulary and proportions it is drawn
from (bench.scale.generator)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from recommendations.models import FollowUpAssessment, Recommendation, Status
from tracker.models import Mechanism, Milestone

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
