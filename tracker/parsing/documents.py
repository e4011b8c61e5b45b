"""What a treaty-body document says about itself: its kind, symbol, date, committee and State.

read_document() checks a text is the kind of document expected, reads its UN header block and
title, and hands back the body lines, page furniture removed, for the parser of that kind.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from tracker.parsing.common import ParseError, ParseWarning
from tracker.parsing.text import Line, drop_furniture, split_lines

LIST_OF_ISSUES = "a list of issues"
CONCLUDING_OBSERVATIONS = "concluding observations"
REPLIES = "replies to a list of issues"

# The first line shaped like one of these titles says what a document is. Replies come first:
# their title names the list they answer ("Réponses à la liste de points (CRC/C/KAZ/Q/5-6)").
# Titles in English, French, Spanish and Russian, the languages the committees publish in.
TITLES = {
    REPLIES: re.compile(
        r"^(?:R[ée]ponses?\s+(?:à|aux?|concernant|du|de|des)\s|Repl(?:y|ies)\s.*\bto\b"
        r"|Respuestas?\s.*\ba\s+la\s+lista\b|Ответы?\s.*\bперечень\b)"
    ),
    CONCLUDING_OBSERVATIONS: re.compile(
        r"^(?:Concluding observations|Observations finales|Observaciones finales"
        r"|Заключительные замечания)\b"
    ),
    LIST_OF_ISSUES: re.compile(
        r"^(?:List of issues|Liste (?:de|des) points|Lista de (?:cuestiones|preguntas)"
        r"|Перечень вопросов)\b"
    ),
}
# Failing a title, the document's own symbol says it: CRC/C/KAZ/Q/5-6, CCPR/C/KAZ/QPR/3 …
# SYMBOL_RE takes any UN symbol, not only what symbols.TREATY_SYMBOL knows: the header may carry
# another series first (A/HRC/…), and a symbol may go on past the report numbers (…/Add.1).
SYMBOL_KINDS = {
    "Q": LIST_OF_ISSUES,
    "QPR": LIST_OF_ISSUES,
    "CO": CONCLUDING_OBSERVATIONS,
    "RQ": REPLIES,
}
SYMBOL_RE = re.compile(r"\b[A-Z][A-Z0-9.]*(?:/[A-Za-z0-9.\-]+){2,}")

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12,
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
    "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}  # fmt: skip
# "6 November 2025", "6 novembre 2025", "1er mars 2031", "1 de marzo de 2031",
# "1 марта 2031 года"; a string to embed in longer patterns.
DATE = (
    rf"\b(?P<day>\d{{1,2}})(?:er|º|°)?\s+(?:de\s+)?(?P<month>{'|'.join(MONTHS)})"
    r"\s+(?:de\s+)?(?P<year>\d{4})\b"
)
DATE_RE = re.compile(DATE, re.IGNORECASE)

COMMITTEE_RE = re.compile(r"^(?:Committee|Human Rights Committee|Comité|Комитет)\b")
# A title wrapped after one of these words goes on on the next line.
TITLE_GOES_ON_RE = re.compile(
    r"(?:\b(?:of|the|and|de|du|des|la|le|et|valant|del|los|y|и)|\b[ld]['’])$"
)
# The State comes after "report(s) of", "rapport du", "informe(s) … del"; a French title may
# name it before the reports it combines: "rapport du Kazakhstan valant cinquième et sixième
# rapports périodiques". A Russian title ends with it, in the genitive: "… докладами Казахстана".
STATE_RES = [
    re.compile(r"\breports?\s+of\s+(?:the\s+)?(?P<state>.+)$"),
    re.compile(
        r"\brapports?(?:\s+p[ée]riodiques?|\s+initial)?\s+"
        r"(?:du|des|de\s+la|de\s+l['’]|d['’]|de)\s*(?P<state>[^\W\d_].+)$"
    ),
    re.compile(r"\binformes?\b.*\s(?:del|de\s+la|de\s+los|de\s+las|de)\s+(?P<state>[A-ZÁÉÍÓÚÑ].+)$"),
    re.compile(r"\bдоклад\w*\s+(?P<state>[А-ЯЁ].+)$"),
]
# Where the State's name ends: "… of Gabon as adopted by …", "… du Kazakhstan valant …".
STATE_END_RE = re.compile(
    r",|\s+(?:as\s+)?adopted\b|\s+\(|\s+(?:valant|soumis|présentés?|combinados|adoptées?)\b"
)

# "* Adopted by the pre-sessional working group at its … session (6–10 October 2025)."
TITLE_FOOTNOTE_RE = re.compile(r"^\*\s*[^\W\d_]")
# The recycling line of page 1 and the rule above the title's footnote.
PAGE_ONE_FOOT_RE = re.compile(
    r"^(?:Please recycle|Merci de recycler)\b|^[_–—-]{3,}$"
    # Older documents head every page "page 17" under their symbol.
    r"|^(?:page|página|стр\.)\s+\d{1,3}$",
    re.IGNORECASE,
)


@dataclass
class Document:
    """The header of a treaty-body document and the lines of its body, page furniture removed."""

    symbol: str
    date: datetime.date | None
    committee: str
    state: str
    language: str
    title: str
    body: list[Line]
    warnings: list[ParseWarning]


def read_document(text: str, kind: str) -> Document:
    """Check the text is a document of `kind`, read its header and return its body lines."""
    if not text.strip():
        raise ParseError("the text is empty")
    lines = split_lines(text)
    found = document_kind(lines)
    if found and found != kind:
        raise ParseError(f"looks like {found}, not {kind}")

    warnings = []
    start = next((i for i, line in enumerate(lines) if TITLES[kind].match(line.text)), None)
    if start is None:
        warnings.append(ParseWarning(lines[0].number, "no title found, so the State is not known"))
        # Without a title, the header ends where the first paragraph begins: an excerpt may
        # start at any paragraph ("67.").
        end = next((i for i, line in enumerate(lines) if re.match(r"\d{1,4}\.(?!\d)", line.text)), 0)
        header, title = lines[:end], ""
        # Headings between the header block and the first paragraph belong to the body.
        end = 1 + max((i for i, line in enumerate(header) if is_header_line(line.text)), default=-1)
        state = ""
    else:
        end = title_end(lines, start)
        header = lines[:start]
        title = " ".join(line.text for line in lines[start:end])
        state = state_from_title(title)
        if not state:
            state, end = state_under_title(lines, end)

    # An excerpt may have no header, but its pages' running headers still name it.
    symbol = find_symbol(lines[:end], kind) or find_symbol(running_headers(lines), kind)
    return Document(
        symbol=symbol,
        date=header_date(header),
        committee=next((line.text for line in header if COMMITTEE_RE.match(line.text)), ""),
        state=state,
        language=detect_language(text),
        title=title,
        body=drop_furniture(drop_page_one_foot(lines[end:]), symbol),
        warnings=warnings,
    )


def document_kind(lines: list[Line]) -> str | None:
    for line in lines:
        for kind, title_re in TITLES.items():
            if title_re.match(line.text):
                return kind
    for line in lines[:20]:
        if match := SYMBOL_RE.search(line.text):
            parts = set(match[0].split("/"))
            return next((kind for code, kind in SYMBOL_KINDS.items() if code in parts), None)
    return None


def find_symbol(lines: list[Line], kind: str) -> str:
    for line in lines:
        for match in SYMBOL_RE.finditer(line.text):
            symbol = match[0].rstrip(".")
            if any(SYMBOL_KINDS.get(part) == kind for part in symbol.split("/")):
                return symbol
    return ""


# The lines of a UN header block: "United Nations", the symbol, "Distr.: General", the date,
# the languages, the committee and its session.
HEADER_LINE_RE = re.compile(
    r"(?:United Nations|Nations Unies|Naciones Unidas|Организация Объединенных Наций"
    r"|Distr\b.*|Original\b.*|(?:English|French|Spanish|Russian|Anglais|Français|Espagnol|Russe"
    r"|Español|Inglés|Francés|Ruso)\b.*|(?:page|página)\s+\d+)",
    re.IGNORECASE,
)
# "Uzbekistán", "KAZAKHSTAN", "Bosnia and Herzegovina": a State's name alone on its line.
STATE_LINE_RE = re.compile(r"[^\W\d_][^\W\d_'’ -]*(?:[ -](?:and|et|y|и|of|de|the|[^\W\d_]+))*")


def is_header_line(text: str) -> bool:
    return bool(
        HEADER_LINE_RE.fullmatch(text)
        or COMMITTEE_RE.match(text)
        or running_headers([Line(0, text, False)])
        or DATE_RE.fullmatch(text)
    )


def running_headers(lines: list[Line]) -> list[Line]:
    """Lines that are a symbol alone, or a symbol and a page number ("CRC/C/RWA/CO/3-4 19")."""
    return [
        line
        for line in lines
        if (match := SYMBOL_RE.match(line.text)) and not line.text[match.end() :].strip(" .0123456789")
    ]


def find_date(text: str) -> datetime.date | None:
    match = DATE_RE.search(text)
    return date_from(match) if match else None


def date_from(match: re.Match[str]) -> datetime.date | None:
    month = MONTHS[match["month"].lower()]
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:  # "31 juin" in a badly extracted text
        return None


def header_date(header: list[Line]) -> datetime.date | None:
    # The document's date follows "Distr.: General"; session dates come later in the block.
    texts = [line.text for line in header]
    start = next((i for i, text in enumerate(texts) if text.startswith("Distr")), 0)
    return find_date("\n".join(texts[start:]))


LANGUAGE_WORDS = {
    "en": re.compile(r"\b(?:the|of|and|is|for|in|with|to)\b", re.IGNORECASE),
    "fr": re.compile(r"\b(?:le|la|les|des|du|et|est|pour|dans|une)\b", re.IGNORECASE),
    "es": re.compile(r"\b(?:el|los|las|del|por|para|una|como)\b", re.IGNORECASE),
}


def detect_language(text: str) -> str:
    """"en", "fr", "es" or "ru", by the commonest small words (or, for Russian, the alphabet)."""
    if len(re.findall(r"[а-яё]", text, re.IGNORECASE)) > len(re.findall(r"[a-z]", text)):
        return "ru"
    counts = {code: len(words.findall(text)) for code, words in LANGUAGE_WORDS.items()}
    # Ties go to English, then French, as before Spanish was read.
    return max(counts, key=lambda code: (counts[code], -list(counts).index(code)))


def title_end(lines: list[Line], start: int) -> int:
    """Index after the title starting at `start`, which may wrap over up to three lines."""
    title = lines[start].text
    end = start + 1
    while end < len(lines) and end - start < 3 and "*" not in title:
        following = lines[end].text
        if not (
            following[0].islower() or following.endswith("*") or TITLE_GOES_ON_RE.search(title)
        ):
            break
        title += " " + following
        end += 1
    return end


def state_from_title(title: str) -> str:
    title = title.replace("*", "").strip()
    match = next((found for pattern in STATE_RES if (found := pattern.search(title))), None)
    if not match:
        return ""
    # Older titles go on: "… of Gabon as adopted by the Committee at its forty-ninth session (…)".
    return STATE_END_RE.split(match["state"])[0].strip()


def state_under_title(lines: list[Line], end: int) -> tuple[str, int]:
    """The State named on a line of its own under an older title, and where the body starts.

    ("Concluding observations of the Human Rights Committee" / "Consideration of reports
    submitted by States parties under article 40 of the Covenant" / "Uzbekistán").
    """
    for index in range(end, min(end + 3, len(lines))):
        candidate = lines[index].text
        if re.match(r"\d{1,4}\.", candidate):
            break
        if STATE_LINE_RE.fullmatch(candidate) and len(candidate.split()) <= 5:
            return candidate, index + 1
    return "", end


def drop_page_one_foot(lines: list[Line]) -> list[Line]:
    """`lines` without the foot of page 1: the title's footnote, its rule, "Please recycle"."""
    kept = []
    wrapped_footnote = False  # "* Adopted … session (6–10" / "October 2025)."
    for line in lines:
        text = line.text
        if wrapped_footnote or TITLE_FOOTNOTE_RE.match(text):
            wrapped_footnote = not wrapped_footnote and text.count("(") > text.count(")")
        elif not PAGE_ONE_FOOT_RE.match(text):
            kept.append(line)
    return kept
