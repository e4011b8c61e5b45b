"""The front matter and headings of replies to a list of issues, in English, French, Spanish and
Russian: the title, the date received, a table of contents, and the headings that name the
list-of-issues paragraphs answered ("Réponse concernant le paragraphe 2 b) de la liste de points").
"""

from __future__ import annotations

import datetime
import re

from tracker.parsing.common import ParagraphRef, ParseError, ParseWarning
from tracker.parsing.documents import DATE, date_from
from tracker.parsing.paragraphs import NUMBERED_RE
from tracker.parsing.references import parse_references
from tracker.parsing.text import Line

_LIST_FR = (
    r"\s+de\s+la\s+liste\s+(?:de|des)\s+points(?:\s+à\s+traiter)?"
    r"(?:\s+établie\s+avant\s+la\s+soumission\s+du\s+rapport)?"
)
_LIST_EN = r"\s+of\s+the\s+list\s+of\s+issues(?:\s+prior\s+to\s+reporting)?"
_LIST_ES = (
    r"\s+de\s+la\s+lista\s+de\s+(?:cuestiones|preguntas)"
    r"(?:\s+previa\s+a\s+la\s+presentación\s+(?:de|del)\s+(?:los\s+)?informes?)?"
)
_LIST_RU = r"\s+перечня\s+вопросов(?:\s+до\s+представления\s+доклада)?"
# The section label some replies put before their headings: "A. Replies to …", "I. Réponse …".
_LABEL = r"(?:(?:[A-Z]|[IVXL]{1,6}|\d{1,2})\.\s*)?"


def _heading_pattern(start: str, tail: str, tail_required: bool) -> re.Pattern[str]:
    # The tail may end with the list's symbol: "… of the list of issues (CCPR/C/FRA/Q/6)".
    optional = "" if tail_required else "?"
    pattern = (
        rf"{_LABEL}{start}\s+(?P<refs>.+?)(?P<tail>{tail}(?:\s*\([^()]*\))?){optional}[\s.:]*"
    )
    return re.compile(pattern, re.IGNORECASE)


# For each language: how a reply heading starts, how it names the list, and the bare word of a
# heading that only names the paragraphs ("Paragraphe 3 de la liste de points").
_HEADING_WORDS = {
    "fr": (
        r"R[ée]ponses?\s+(?:concernant|relatives?\s+aux?|au|aux|à|sur)\s+"
        r"(?:(?:le|les|la)\s+|l['’]\s*)?(?:(?:questions?|points?)\s+(?:soulevée?s?\s+|posée?s?\s+)?"
        r"(?:au|aux|dans\s+les?)\s+)?(?:paragraphes?|questions?)",
        _LIST_FR,
        r"Paragraphes?",
    ),
    "en": (
        r"(?:Replies|Reply|Responses?|Answers?)\s+"
        r"(?:to|concerning|regarding|on|relating\s+to|in\s+response\s+to)\s+(?:the\s+)?"
        r"(?:(?:issues|questions)\s+raised\s+(?:in|under)\s+)?(?:paragraphs?|questions?|issues?)",
        _LIST_EN,
        r"Paragraphs?",
    ),
    "es": (
        r"Respuestas?\s+(?:a|al|a\s+los|a\s+las|relativas?\s+a(?:l|\s+los)?|sobre\s+(?:el|los))\s+"
        r"(?:(?:cuestiones|preguntas)\s+(?:planteadas|formuladas)\s+en\s+(?:el|los)\s+)?"
        r"(?:párrafos?|parrafos?|preguntas?|cuestión|cuestiones)",
        _LIST_ES,
        r"Párrafos?",
    ),
    "ru": (
        r"Ответы?\s+(?:на|по|к)\s+(?:вопрос\w*,?\s+(?:поднят\w+|изложенн\w+|содержащ\w+)\s+в\s+)?"
        r"(?:пункт\w*|вопрос\w*)",
        _LIST_RU,
        r"Пункт\w*",
    ),
}
_HEADINGS = [
    (language, pattern)
    for language, (start, tail, word) in _HEADING_WORDS.items()
    for pattern in (
        _heading_pattern(start, tail, tail_required=False),
        _heading_pattern(word, tail, tail_required=True),
    )
]
_TITLE = re.compile(
    r"(?:R[ée]ponses?|Replies|Responses?|Respuestas?|Ответы?)\b.*"
    r"\b(?:liste\s+de\s+points|list\s+of\s+issues|lista\s+de\s+(?:cuestiones|preguntas)"
    r"|перечень\s+вопросов)\b.*",
    re.IGNORECASE,
)


def heading(line: Line, warnings: list[ParseWarning]) -> tuple[str, list[ParagraphRef]] | None:
    """The language and references of a reply heading, or None for any other line."""
    if not line.text[:1].isupper():
        return None
    for language, pattern in _HEADINGS:
        match = pattern.fullmatch(line.text)
        if match is None:
            continue
        try:
            return language, parse_references(match["refs"])
        except ParseError as error:
            # Without "de la liste de points" the line may be a sentence that starts alike.
            if match["tail"] is None:
                return None
            warnings.append(ParseWarning(line.number, error.message))
            return language, []
    return None


_CONTENTS = re.compile(r"Contents|Table des matières|Sommaire|Índice|Содержание", re.IGNORECASE)
# "[19 October 2009]", "[Date received: 15 February 2026]", "[Date de réception : …]",
# "[Fecha de recepción: …]", "[Дата получения: …]".
_RECEIVED = re.compile(
    r"\[\s*(?:(?:Date\s+(?:received|de\s+réception)|Fecha\s+de\s+recepción|Дата\s+получения)"
    rf"\s*:\s*)?{DATE}(?:\s+года)?\s*\]",
    re.IGNORECASE,
)


def received(lines: list[Line]) -> datetime.date | None:
    match = _RECEIVED.search("\n".join(line.text for line in lines))
    return date_from(match) if match else None


def without_contents(lines: list[Line], headings: list) -> list:
    """The headings, less those of a table of contents before the replies.

    A contents entry is a heading with its paragraphs and page run in ("Reply to question 21–64"),
    and nothing under it but the next entry: such headings go until one has paragraph 1 under it.
    """
    contents = next((i for i, line in enumerate(lines) if _CONTENTS.fullmatch(line.text)), None)
    if contents is None or not headings or headings[0][0] < contents:
        return headings
    for order, (index, *_) in enumerate(headings):
        end = headings[order + 1][0] if order + 1 < len(headings) else len(lines)
        if any(NUMBERED_RE.match(line.text) for line in lines[index + 1 : end]):
            return headings[order:]
    return []


def read_preamble(lines: list[Line], warnings: list[ParseWarning]) -> str:
    """The title ("Réponses à la liste de points (…)"); warns of anything else before it."""
    title = ""
    stray = []
    for line in lines:
        if not title and _TITLE.fullmatch(line.text):
            title = line.text.rstrip("*").strip()
        else:
            stray.append(line)
    if stray:
        text = " ".join(line.text for line in stray)
        shown = text if len(text) <= 80 else text[:79] + "…"
        warnings.append(
            ParseWarning(stray[0].number, f"text before the first heading was ignored: «{shown}»")
        )
    return title
