"""Parse a treaty body's concluding observations, English or French.

Reading the text (header, page furniture, numbered paragraphs and sub-paragraphs) is shared with
lists of issues; this module gives the paragraphs their meaning: the headings they sit under,
which ones recommend, which need urgent measures or are picked for the follow-up procedure, and
when the next report is due.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from tracker.parsing.common import ParseWarning
from tracker.parsing.documents import CONCLUDING_OBSERVATIONS, find_date, read_document
from tracker.parsing.paragraphs import (
    ROMANS,
    Block,
    Passage,
    ends_sentence,
    lay_out,
    preamble_warnings,
)

# "III. Main areas of concern and recommendations", "A.General measures of implementation (…)".
# Older CRC observations number their groups too: "8. Follow-up and dissemination".
HEADING_RE = re.compile(r"^(?P<label>[IVX]{1,4}|[A-Z]|\d{1,2})\.\s*(?P<title>[^\W\d_].*)$")

# The Committee recommends, urges, encourages or requests something, wherever the verb stands in
# the paragraph ("Recalling its previous recommendations, the Committee urges …"). CCPR and CAT
# put their recommendations as "The State party should …", which counts too.
VERBS = (
    r"recommends|urges|encourages|requests|calls\s+(?:up)?on|invites"
    r"|reiterates\s+its(?:\s+previous)?\s+recommendations?"
    r"|recommande|prie\s+instamment|prie|engage|demande|encourage|exhorte|invite"
    r"|réitère\s+sa\s+recommandation"
    r"|recomienda|insta|alienta|pide|exhorta|solicita|invita|reitera\s+su\s+recomendación"
    r"|рекомендует|призывает|просит|предлагает"
)
# What a recommending verb is followed by, so that a noun ("requests for asylum") is no verb.
VERB_OBJECT = (
    r"(?:that|the|its|all|to|State|Governments?|l['’]|à|aux?|que|al|a|las?|los?|el|y|и"
    r"|государств\w*|правительств\w*|принять|обеспечить|вновь|в)\b"
)
# The Committee recommends, urges, encourages or requests something, wherever the verb stands in
# the sentence ("Recalling its previous recommendations, the Committee urges …", "The Committee
# welcomes … and recommends that …"). CCPR and CAT put their recommendations as "The State
# party should …", which counts too.
RECOMMENDS_RE = re.compile(
    rf"\b(?:Committee|Comité|Комитет|it|il)\b[^.;]*?\b(?:{VERBS})"
    r"(?:\s+(?:instamment|vivement|également|aussi|encore|strongly|also|further|encarecidamente"
    rf"|también|настоятельно|также))?\s+{VERB_OBJECT}"
    r"|\bState party should\b|\bÉtat partie devrait\b|\bEstado parte debe(?:ría)?\b"
    r"|\bгосударству-участнику\s+следует",
    re.IGNORECASE,
)
# The paragraphs about the procedure itself, not about rights: they recommend nothing to be
# followed up, though they use the same verbs ("further recommends that the third and fourth
# periodic reports … be made widely available"). By their heading, or failing it their words.
PROCEDURAL_HEADINGS = {
    "dissemination": r"^(?:[\w.]+\s+)?(?:[\w-]+\s+(?:and|et|y|и)\s+)?"
    r"(?:dissemination|diffusion|difusión|распространение)"
    r"(?:\s+(?:of|de(?:\s+la)?)\s+(?:documentation|the\s+(?:report|concluding\s+observations)))?$",
    "follow-up": r"^(?:[\w.]+\s+)?(?:follow-up|suivi|seguimiento|последующие меры)"
    r"(?:\s+(?:and|et|y|и)\s+\w+)?$",
    "next report": r"next (?:periodic )?report|prochain rapport|próximo informe|следующ\w+ доклад"
    r"|periodicity|périodicité|periodicidad",
    "technical assistance": r"technical assistance|assistance technique|asistencia técnica"
    r"|техническ\w+ помощ",
    "ratification": r"^(?:[\w.]+\s+)?(?:ratification|ratificación|ратификация)\b",
}
PROCEDURAL_TEXTS = {
    "dissemination": r"made widely available|widely disseminat|largement diffusé|amplia difusión"
    r"|ampliamente disponibles?|широко распростран",
    "follow-up": r"present (?:concluding observations|recommendations) (?:are|be) fully implemented"
    r"|full implementation of the present recommendations|présentes (?:recommandations"
    r"|observations finales) soient pleinement"
    r"|(?:within|dans un délai d['’e]|en un plazo de|в течение)\s*\S+\s+"
    r"(?:months?|years?|mois|ans?|mes(?:es)?|años?|месяц\w*|год\w*|лет)\b"
    r".*\b(?:information|informations|renseignements|información|информаци)",
    "next report": r"(?:submit|soumettre|présenter|present(?:ar|e)|представить)\s+(?:its|a|an|the|son|sa"
    r"|le|su|sus|свой)\s+(?:\S+\s+){0,7}?(?:periodic\s+)?(?:reports?|rapports?|informes?|доклад)\b"
    r"|\bcore document\b|document de base|documento básico|базов\w+ документ",
    "ratification": r"ratify(?:ing)? the (?:\S+\s+){0,6}?instruments? to which it is not yet"
    r"|instruments? .*auxquels il n['’]est pas encore partie|aún no es parte",
}
PROCEDURAL_HEADING_RES = {kind: re.compile(p, re.IGNORECASE) for kind, p in PROCEDURAL_HEADINGS.items()}
PROCEDURAL_TEXT_RES = {kind: re.compile(p, re.IGNORECASE) for kind, p in PROCEDURAL_TEXTS.items()}
URGENT_RE = re.compile(r"urgent measures|mesures urgentes", re.IGNORECASE)
# "non-discrimination (para. 17)", "(paras. 28 and 29)", "(par. 28 et 29)".
URGENT_REFERENCE_RE = re.compile(r"\((?:paras?|par)\.\s*([^)]*)\)")
PERIOD = (
    r"(?:within|dans un délai d['’e]|en un plazo de|dentro de(?: un plazo de)?|в течение)\s*"
    r"(?P<count>\S+)\s+(?P<unit>months?|years?|mois|ans?|mes(?:es)?|años?|месяц\w*|год\w*|лет)"
)
FOLLOW_UP_RE = re.compile(
    r"follow-up procedure|procédure de suivi|procedimiento de seguimiento"
    r"|процедур\w+ последующ|\brule 75\b|\barticle 75\b|information on (?:the )?follow-up"
    rf"|\b{PERIOD}(?!\w)",
    re.IGNORECASE,
)
FOLLOW_UP_PERIOD_RE = re.compile(rf"\b{PERIOD}(?!\w)", re.IGNORECASE)
NUMBER_LIST = r"\d+(?:\s*(?:,|and|et|y|и|to|à|[-–])\s*\d+)*"
# "… the recommendations made in paragraphs 12, 25 and 38 above", "(see paras. 11 (c) … above)".
FOLLOW_UP_PARAGRAPHS_RE = re.compile(
    r"\b(?:recommendations|recommandations|recomendaciones|рекомендаци\w*)\b.*?"
    rf"\b(?:paragraphs?|paragraphes?|paras?\.|par\.|párrafos?|пункт\w*)\s*({NUMBER_LIST})",
    re.IGNORECASE,
)
COUNTS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "twelve": 12, "eighteen": 18,
    "twenty-four": 24, "un": 1, "deux": 2, "trois": 3, "quatre": 4, "douze": 12,
    "dix-huit": 18, "vingt-quatre": 24, "uno": 1, "dos": 2, "tres": 3, "doce": 12,
    "dieciocho": 18, "veinticuatro": 24, "одного": 1, "двух": 2, "трех": 3, "трёх": 3,
}  # fmt: skip
# "invites the State party to submit its seventh periodic report by 1 March 2031",
# "à soumettre son rapport valant septième et huitième rapports périodiques le 1er mars 2031".
NEXT_REPORT_RE = re.compile(
    r"\b(?:submit|due date of|constitute|soumettre|présenter|constituera|present(?:ar|e)"
    r"|представить)\s+(?:its|the|a|an|son|sa|le|su|sus|свой|свои)\s+"
    r"(?P<ordinals>(?:\S+\s+){0,6}?)(?:(?:periodic\s+)?reports?\b|rapports?\s+périodiques?"
    r"|informes?\s+periódicos?|(?:следующий\s+)?периодическ\w+\s+доклад\w*)",
    re.IGNORECASE,
)
ORDINALS_EN = [
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
    "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
    "eighteenth", "nineteenth", "twentieth",
]  # fmt: skip
ORDINALS_FR = [
    "premier", "deuxième", "troisième", "quatrième", "cinquième", "sixième", "septième",
    "huitième", "neuvième", "dixième", "onzième", "douzième", "treizième", "quatorzième",
    "quinzième", "seizième", "dix-septième", "dix-huitième", "dix-neuvième", "vingtième",
]  # fmt: skip
ORDINALS_ES = [
    "primer", "segundo", "tercer", "cuarto", "quinto", "sexto", "séptimo", "octavo", "noveno",
    "décimo", "undécimo", "duodécimo",
]  # fmt: skip
ORDINALS = {
    word: number
    for words in (ORDINALS_EN, ORDINALS_FR, ORDINALS_ES)
    for number, word in enumerate(words, start=1)
}


@dataclass
class ConcludingObservation:
    """One numbered paragraph; `text` is its lead-in, its lettered sub-paragraphs come apart."""

    number: int
    text: str
    line: int
    section: str  # roman-numbered heading, "IV. Main areas of concern and recommendations"
    heading: str  # nearest lettered heading or theme under it, "Violence against children"
    is_recommendation: bool = False
    # "dissemination", "follow-up", "next report", "technical assistance", "ratification":
    # a paragraph about the procedure, never a recommendation; "" for any other.
    procedural: str = ""
    urgent: bool = False
    follow_up: bool = False
    subparagraphs: list[tuple[str, str]] = field(default_factory=list)  # [("a", "Ensure …"), …]

    @property
    def reference(self) -> str:
        return str(self.number)

    @property
    def full_text(self) -> str:
        return " ".join([self.text, *(text for _, text in self.subparagraphs)])


@dataclass
class ParsedConcludingObservations:
    symbol: str
    date: datetime.date | None
    committee: str
    state: str
    language: str  # "en" or "fr"
    observations: list[ConcludingObservation]
    urgent_paragraphs: list[int]
    follow_up_paragraphs: list[int]
    follow_up_months: int | None
    follow_up_by: datetime.date | None  # "… is requested to provide, by 2 November 2027, …"
    next_report_due: datetime.date | None
    next_report_label: str  # "7", or "7-8" for combined reports; "" when not numbered
    warnings: list[ParseWarning]

    @property
    def recommendations(self) -> list[ConcludingObservation]:
        return [observation for observation in self.observations if observation.is_recommendation]


@dataclass
class Headings:
    """The headings in force while reading down the document."""

    section: str = ""
    letter: str = ""  # label of the last lettered heading, to tell "I." after "H." from section I
    heading: str = ""

    def add(self, text: str) -> None:
        match = HEADING_RE.match(text)
        if match is None:
            self.heading = text  # a theme such as "Non-discrimination"
            return
        label = match["label"]
        if label.isdigit():  # "9. Next report": a group under the current section
            self.heading = text
            return
        next_letter = chr(ord(self.letter) + 1) if self.letter else "A"
        if label.lower() in ROMANS and label != next_letter:
            self.section, self.letter, self.heading = f"{label}. {match['title']}", "", ""
        else:
            self.letter, self.heading = label, f"{label}. {match['title']}"


def is_heading(text: str) -> bool:
    match = HEADING_RE.match(text)
    # A numbered heading is told from a paragraph by its number (paragraphs.LayoutReader).
    return (
        match is not None
        and not match["label"].isdigit()
        and match["title"][0].isupper()
        and not ends_sentence(text)
    )


def numbers_in(text: str) -> list[int]:
    """ "12, 25 and 38" → [12, 25, 38]; "39–41" → [39, 40, 41]."""
    numbers: list[int] = []
    for match in re.finditer(r"(\d+)(?:\s*(?:to|à|[-–])\s*(\d+))?", text):
        first = int(match[1])
        numbers.extend(range(first, int(match[2] or first) + 1))
    return numbers


def follow_up_period(text: str) -> int | None:
    match = FOLLOW_UP_PERIOD_RE.search(text)
    if not match:
        return None
    count = match["count"].lower()
    number = int(count) if count.isdigit() else COUNTS.get(count)
    if number is None:
        return None
    in_years = match["unit"].lower().startswith(("year", "an", "añ", "год", "лет"))
    return number * 12 if in_years else number


def report_label(ordinals: str) -> str:
    """ "combined seventh and eighth" → "7-8"; "septième" → "7"."""
    numbers = []
    for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", ordinals.lower()):
        if word in ORDINALS:
            numbers.append(ORDINALS[word])
        elif word.startswith(("twenty-", "vingt-")) and word.split("-", 1)[1] in ORDINALS:
            numbers.append(20 + ORDINALS[word.split("-", 1)[1]])
    if not numbers:
        return ""
    return str(numbers[0]) if len(numbers) == 1 else f"{numbers[0]}-{numbers[-1]}"


def parse_concluding_observations(text: str) -> ParsedConcludingObservations:
    document = read_document(text, CONCLUDING_OBSERVATIONS)
    layout = lay_out(document.body, is_heading)
    warnings = document.warnings + layout.warnings
    warnings += preamble_warnings(layout.preamble)
    observations = observations_from(layout.items)

    numbers = {observation.number for observation in observations}
    urgent: list[int] = []
    follow_up: list[int] = []
    follow_up_months = None
    follow_up_by = None
    for observation in observations:
        full_text = observation.full_text
        observation.procedural = procedure_of(observation)
        if not urgent and URGENT_RE.search(full_text):
            urgent = [
                number
                for match in URGENT_REFERENCE_RE.finditer(full_text)
                for number in numbers_in(match[1])
            ]
            warnings += missing_paragraphs(urgent, numbers, observation, "urgent measures")
        if not follow_up and (follow_up := follow_up_paragraphs(full_text)):
            follow_up_months, follow_up_by = follow_up_period(full_text), find_date(full_text)
            observation.procedural = "follow-up"
            warnings += missing_paragraphs(follow_up, numbers, observation, "follow-up")
    for observation in observations:
        observation.is_recommendation = not observation.procedural and bool(
            RECOMMENDS_RE.search(observation.full_text)
        )
        observation.urgent = observation.number in urgent
        observation.follow_up = observation.number in follow_up
    warnings.sort(key=lambda warning: warning.line)

    next_report_due, next_report_label = next_report(observations)
    return ParsedConcludingObservations(
        symbol=document.symbol,
        date=document.date,
        committee=document.committee,
        state=document.state,
        language=document.language,
        observations=observations,
        urgent_paragraphs=urgent,
        follow_up_paragraphs=follow_up,
        follow_up_months=follow_up_months,
        follow_up_by=follow_up_by,
        next_report_due=next_report_due,
        next_report_label=next_report_label,
        warnings=warnings,
    )


def follow_up_paragraphs(text: str) -> list[int]:
    """The paragraphs a follow-up request names, or [] if `text` is no such request."""
    if not FOLLOW_UP_RE.search(text):
        return []
    # Subjects in brackets go first: "paragraphs 12 (state of emergency), 28 (…) and 40".
    match = FOLLOW_UP_PARAGRAPHS_RE.search(re.sub(r"\s*\([^()\d]*\)", "", text))
    return numbers_in(match[1]) if match else []


def procedure_of(observation: ConcludingObservation) -> str:
    """What part of the procedure a paragraph is about, by its heading or its words; or ""."""
    for kind, pattern in PROCEDURAL_HEADING_RES.items():
        if pattern.search(observation.heading) or pattern.search(observation.section):
            return kind
    for kind, pattern in PROCEDURAL_TEXT_RES.items():
        if pattern.search(observation.full_text):
            return kind
    return ""


def observations_from(items: list[Block | Passage]) -> list[ConcludingObservation]:
    """Numbered paragraphs under their headings, each with its lettered sub-paragraphs."""
    headings = Headings()
    observations: list[ConcludingObservation] = []
    for item in items:
        if isinstance(item, Passage):
            headings.add(item.text)
        elif not item.ref.letter and not item.ref.roman:
            observation = ConcludingObservation(
                item.ref.number, item.text, item.line, headings.section, headings.heading
            )
            observations.append(observation)
        elif item.ref.roman:
            # Roman items stay inside the lettered sub-paragraph (or paragraph) they detail.
            observation = observations[-1]
            addition = f"({item.ref.roman}) {item.text}"
            if observation.subparagraphs:
                letter, lead = observation.subparagraphs[-1]
                observation.subparagraphs[-1] = (letter, f"{lead} {addition}")
            else:
                observation.text = f"{observation.text} {addition}"
        else:
            observations[-1].subparagraphs.append((item.ref.letter, item.text))
    return observations


def next_report(observations: list[ConcludingObservation]) -> tuple[datetime.date | None, str]:
    """Due date and number of the next report, from the last paragraph that asks for it."""
    for observation in reversed(observations):
        if match := NEXT_REPORT_RE.search(observation.full_text):
            due = find_date(observation.full_text[match.end() :])
            return due, report_label(match["ordinals"])
    return None, ""


def missing_paragraphs(
    named: list[int], numbers: set[int], observation: ConcludingObservation, what: str
) -> list[ParseWarning]:
    return [
        ParseWarning(
            observation.line,
            f"the {what} paragraph names paragraph {number}, which the document does not have",
        )
        for number in named
        if number not in numbers
    ]
