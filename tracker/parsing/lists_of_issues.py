"""Parse a treaty body's list of issues (or list of issues prior to reporting), English or French.

The input is what data-entry staff paste or extract from the published PDF: a UN header block,
running headers and footers, lone page and footnote numbers, lines wrapped anywhere, and often no
space after "1." or "(a)". The first half of this module reads any treaty-body document laid out in
numbered paragraphs (concluding_observations.py uses it too); the second half gives a list of
issues its meaning: parts, sub-paragraphs, the word limit and the deadline for the replies.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.parsing.common import ParagraphRef, ParseError, ParseWarning

# ---------------------------------------------------------------------------
# Reading a treaty-body document
# ---------------------------------------------------------------------------

LIST_OF_ISSUES = "a list of issues"
CONCLUDING_OBSERVATIONS = "concluding observations"
REPLIES = "replies to a list of issues"

# The first line shaped like one of these titles says what a document is. Replies come first:
# their title names the list they answer ("Réponses à la liste de points (CRC/C/KAZ/Q/5-6)").
TITLES = {
    REPLIES: re.compile(r"^(?:R[ée]ponses?\s+(?:à|aux?|concernant)\s|Repl(?:y|ies)\s.*\bto\b)"),
    CONCLUDING_OBSERVATIONS: re.compile(r"^(?:Concluding observations|Observations finales)\b"),
    LIST_OF_ISSUES: re.compile(r"^(?:List of issues|Liste (?:de|des) points)\b"),
}
# Failing a title, the document's own symbol says it: CRC/C/KAZ/Q/5-6, CCPR/C/KAZ/QPR/3 …
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
}  # fmt: skip
# "6 November 2025", "6 novembre 2025", "1er mars 2031"; a string to embed in longer patterns.
DATE = rf"\b(?P<day>\d{{1,2}})(?:er)?\s+(?P<month>{'|'.join(MONTHS)})\s+(?P<year>\d{{4}})\b"
DATE_RE = re.compile(DATE, re.IGNORECASE)

COMMITTEE_RE = re.compile(r"^(?:Committee|Human Rights Committee|Comité)\b")
# A title wrapped after one of these words goes on on the next line.
TITLE_GOES_ON_RE = re.compile(r"(?:\b(?:of|the|and|de|du|des|la|le|et|valant)|\b[ld]['’])$")
STATE_EN_RE = re.compile(r"\breports?\s+of\s+(?:the\s+)?(?P<state>.+)$")
STATE_FR_RE = re.compile(
    r"\brapports?(?:\s+p[ée]riodiques?|\s+initial)?\s+"
    r"(?:du|des|de\s+la|de\s+l['’]|d['’]|de)\s*(?P<state>.+)$"
)

# Page furniture: lone page or footnote numbers, the job number ("GE.25-17845 (E) 101125",
# "3 GE.25-17845"), the barcode and recycling line of page 1, rules above footnotes.
FURNITURE_RES = [
    re.compile(r"^\d{1,3}$"),
    re.compile(r"^(?:\d{1,3}\s+)?GE\.\d{2}-\d{4,6}(?:\s*\([A-Z]\))?(?:\s+\d{1,6})*$"),
    re.compile(r"^\*\d{5,}\*$"),
    re.compile(r"^(?:Please recycle|Merci de recycler)\b"),
    re.compile(r"^[_–—-]{3,}$"),
]
# "* Adopted by the pre-sessional working group at its … session (6–10 October 2025)."
STAR_FOOTNOTE_RE = re.compile(r"^\*\s*[^\W\d_]")

NUMBERED_RE = re.compile(r"^(?P<number>\d{1,4})\.(?!\d)\s*(?P<rest>.*)$")
# "(a) Specify", "(a)Specify", "a) Préciser", "(ii) …"; whether "(i)" is a letter is decided later.
MARKER_RE = re.compile(r"^\(?(?P<token>[a-z]|[ivx]{2,5})\)\s*(?P<rest>.*)$")
ROMANS = "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv".split()
# A skipped paragraph number is believed only this far ahead; further on it is a year or a figure.
MAX_SKIP = 3
# Where a paragraph or one of its items can end: ":" closes a lead-in, ";" an item, and trailing
# digits are a footnote mark ("… of the Convention.3").
SENTENCE_END_RE = re.compile(r"[.?!;:…][\"'’”»)]*\d{0,3}$")
CLAUSE_END_RE = re.compile(r"(?:[.?!;:…][\"'’”»)]*\d{0,3}|\b(?:and|or|et|ou))$")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based in the submitted text
    text: str


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


@dataclass
class Block:
    """A numbered paragraph or one of its sub-paragraphs, as laid out in the text."""

    ref: ParagraphRef
    line: int
    pieces: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return reflow(self.pieces)


@dataclass
class Passage:
    """Text between paragraphs: a heading line, or prose that belongs to no numbered paragraph."""

    line: int
    text: str


@dataclass
class Layout:
    items: list[Block | Passage]  # paragraphs and headings in document order
    preamble: list[Passage]  # prose between the title and the first paragraph
    warnings: list[ParseWarning]


def find_date(text: str) -> datetime.date | None:
    match = DATE_RE.search(text)
    return date_from(match) if match else None


def date_from(match: re.Match[str]) -> datetime.date | None:
    month = MONTHS[match["month"].lower()]
    try:
        return datetime.date(int(match["year"]), month, int(match["day"]))
    except ValueError:  # "31 juin" in a badly extracted text
        return None


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END_RE.search(text))


def reflow(pieces: list[str]) -> str:
    text = ""
    for piece in filter(None, pieces):
        if not text:
            text = piece
        elif text.endswith("-") and text[-2:-1].isalpha() and piece[0].islower():
            text += piece  # a compound split at its hyphen: "child-" / "friendly"
        else:
            text += " " + piece
    return text


def split_lines(text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = []
    for number, raw in enumerate(text.split("\n"), start=1):
        # split() also takes the no-break and narrow no-break spaces of French typography.
        cleaned = " ".join(raw.replace("\u00ad", "").split())
        if cleaned:
            lines.append(Line(number, cleaned))
    return lines


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


def header_date(header: list[Line]) -> datetime.date | None:
    # The document's date follows "Distr.: General"; session dates come later in the block.
    texts = [line.text for line in header]
    start = next((i for i, text in enumerate(texts) if text.startswith("Distr")), 0)
    return find_date("\n".join(texts[start:]))


def detect_language(text: str) -> str:
    french = len(re.findall(r"\b(?:le|la|les|des|du|et|est|pour|dans|une)\b", text, re.IGNORECASE))
    english = len(re.findall(r"\b(?:the|of|and|is|for|in|with|to)\b", text, re.IGNORECASE))
    return "fr" if french > english else "en"


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
    match = STATE_EN_RE.search(title) or STATE_FR_RE.search(title)
    if not match:
        return ""
    # Older titles go on: "… of Gabon as adopted by the Committee at its forty-ninth session (…)".
    return re.split(r",|\s+(?:as\s+)?adopted\b|\s+\(", match["state"])[0].strip()


def drop_furniture(lines: list[Line], symbol: str) -> list[Line]:
    running_header = re.compile(rf"^(?:\d{{1,3}}\s+)?{re.escape(symbol)}(?:\s+\d{{1,3}})?$")
    kept = []
    wrapped_footnote = False  # "* Adopted … session (6–10" / "October 2025)."
    for line in lines:
        text = line.text
        if wrapped_footnote or STAR_FOOTNOTE_RE.match(text):
            wrapped_footnote = not wrapped_footnote and text.count("(") > text.count(")")
            continue
        if any(pattern.match(text) for pattern in FURNITURE_RES):
            continue
        if symbol and running_header.match(text):
            continue
        kept.append(line)
    return kept


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
        # Without a title, the header ends where paragraph 1 begins.
        end = next((i for i, line in enumerate(lines) if re.match(r"1\.(?!\d)", line.text)), 0)
        header, title = lines[:end], ""
    else:
        end = title_end(lines, start)
        header = lines[:start]
        title = " ".join(line.text for line in lines[start:end])

    symbol = find_symbol(lines[:end], kind)
    return Document(
        symbol=symbol,
        date=header_date(header),
        committee=next((line.text for line in header if COMMITTEE_RE.match(line.text)), ""),
        state=state_from_title(title),
        language=detect_language(text),
        title=title,
        body=drop_furniture(lines[end:], symbol),
        warnings=warnings,
    )


def next_subparagraph(token: str, letter: str, roman: str) -> tuple[str, str, bool] | None:
    """Place a sub-paragraph marker after (letter, roman): (letter, roman, in sequence) or None.

    "(i)" is the ninth letter after "(h)", and otherwise opens a list of roman numerals.
    """
    next_letter = chr(ord(letter) + 1) if letter else "a"
    next_roman = ROMANS[ROMANS.index(roman) + 1] if roman in ROMANS[:-1] else "i"
    if roman and token == next_roman:
        return letter, token, True
    if token == next_letter:
        return token, "", True
    if not roman and token == "i":
        return letter, "i", True
    if token in ROMANS and (roman or len(token) > 1):
        return letter, token, False
    if len(token) == 1:
        return token, "", False
    return None


def snippet(text: str) -> str:
    return "“" + (text if len(text) <= 60 else text[:57] + "…") + "”"


def preamble_warning(passage: Passage) -> ParseWarning:
    message = f"text before the first numbered paragraph was left out: {snippet(passage.text)}"
    return ParseWarning(passage.line, message)


def lay_out(body: list[Line], is_heading: Callable[[str], bool]) -> Layout:
    """Split body lines into numbered paragraphs, sub-paragraphs and headings."""
    reader = LayoutReader(is_heading)
    for line in body:
        reader.read(line)
    return reader.finish()


class LayoutReader:
    """Reads body lines one at a time into a Layout.

    A line starting "7." opens paragraph 7 when 7 is the number expected next (a wrapped line
    may start "2020."), or a few numbers further on after a sentence end, with a warning.
    Lines after the last sentence end of a paragraph are a heading when a paragraph follows them
    ("Violence against children"); `is_heading` recognises headings that need no such proof.
    """

    def __init__(self, is_heading: Callable[[str], bool]) -> None:
        self.is_heading = is_heading
        self.layout = Layout(items=[], preamble=[], warnings=[])
        # Where text goes; None before paragraph 1 and after a heading.
        self.block: Block | None = None
        # Lines since the last sentence end: the end of a paragraph, or headings.
        self.loose: list[Line] = []
        self.loose_after_sentence = False
        self.after_heading = True  # the title counts as a heading
        self.previous = ""  # the last line read, to tell where a clause ends
        self.number, self.letter, self.roman = 0, "", ""

    def read(self, line: Line) -> None:
        at_boundary = not self.loose and (self.after_heading or ends_sentence(self.previous))
        numbered = NUMBERED_RE.match(line.text)
        marker = MARKER_RE.match(line.text)
        if at_boundary and self.is_heading(line.text):
            self.layout.items.append(Passage(line.number, line.text))
            self.block, self.after_heading = None, True
        elif numbered and self.accepts(int(numbered["number"]), numbered["rest"], at_boundary):
            self.start_paragraph(line, int(numbered["number"]), numbered["rest"])
        elif marker and (placed := self.place(marker["token"])):
            self.start_subparagraph(line, placed, marker["rest"])
        else:
            self.add_text(line)
        self.previous = line.text

    def finish(self) -> Layout:
        self.settle_loose()
        if not self.number:
            raise ParseError("no numbered paragraphs found (lines such as “1. The State party …”)")
        return self.layout

    def accepts(self, found: int, rest: str, at_boundary: bool) -> bool:
        expected = self.number + 1
        if found == expected:
            return True
        after_sentence = at_boundary or (self.loose_after_sentence and bool(self.loose))
        starts_like_paragraph = not rest or rest[0].isupper()
        return expected < found <= expected + MAX_SKIP and after_sentence and starts_like_paragraph

    def place(self, token: str) -> tuple[str, str, bool] | None:
        """Where a sub-paragraph marker goes, if it can start one here (see next_subparagraph)."""
        if self.block is None or not CLAUSE_END_RE.search(self.previous):
            return None  # "… article 37" / "(b) of the Convention" is text
        return next_subparagraph(token, self.letter, self.roman)

    def start_paragraph(self, line: Line, found: int, rest: str) -> None:
        if found != self.number + 1:
            message = skip_message(self.number + 1, found)
            self.layout.warnings.append(ParseWarning(line.number, message))
        self.settle_loose()
        self.number, self.letter, self.roman = found, "", ""
        self.block = Block(ParagraphRef(found), line.number, [rest])
        self.layout.items.append(self.block)
        self.after_heading = False

    def start_subparagraph(self, line: Line, placed: tuple[str, str, bool], rest: str) -> None:
        assert self.block is not None  # place() said so
        self.keep_text(self.loose)
        self.loose.clear()
        self.letter, self.roman, in_sequence = placed
        ref = ParagraphRef(self.number, self.letter, self.roman)
        if not in_sequence:
            message = f"sub-paragraph {ref.label} is out of sequence after {self.block.ref.label}"
            self.layout.warnings.append(ParseWarning(line.number, message))
        self.block = Block(ref, line.number, [rest])
        self.layout.items.append(self.block)

    def add_text(self, line: Line) -> None:
        if not self.loose:
            self.loose_after_sentence = self.after_heading or ends_sentence(self.previous)
        self.loose.append(line)
        if ends_sentence(line.text):
            self.keep_text(self.loose)
            self.loose.clear()
        self.after_heading = False

    def keep_text(self, lines: list[Line]) -> None:
        if self.block is not None:
            self.block.pieces.extend(line.text for line in lines)
        elif lines:
            passage = Passage(lines[0].number, " ".join(line.text for line in lines))
            if self.number:
                text = snippet(passage.text)
                message = f"text outside any numbered paragraph was left out: {text}"
                self.layout.warnings.append(ParseWarning(passage.line, message))
            else:
                self.layout.preamble.append(passage)

    def settle_loose(self) -> None:
        """The lines before a new paragraph: headings, or the end of the last paragraph."""
        items = self.layout.items
        last = items[-1] if items else None
        short = len(self.loose) <= 4 and all(len(line.text) <= 150 for line in self.loose)
        # A lower-case line may only continue a heading: "… 34, 37 (a)" / "and 39)".
        starts_well = bool(self.loose) and (
            isinstance(last, Passage) or not self.loose[0].text[0].islower()
        )
        if self.loose_after_sentence and short and starts_well:
            for line in self.loose:
                if isinstance(last, Passage) and heading_goes_on(last.text, line.text):
                    last.text += " " + line.text
                else:
                    last = Passage(line.number, line.text)
                    items.append(last)
        else:
            self.keep_text(self.loose)
        self.loose.clear()


def heading_goes_on(heading: str, text: str) -> bool:
    """Whether `text` continues a heading wrapped over two lines: "… 34, 37 (a)" / "and 39)"."""
    return text[0].islower() or text[0] == "(" or heading.count("(") > heading.count(")")


def skip_message(expected: int, found: int) -> str:
    missing = ", ".join(str(n) for n in range(expected, found))
    return f"paragraph numbering jumps to {found}: no paragraph {missing}"


# ---------------------------------------------------------------------------
# Lists of issues
# ---------------------------------------------------------------------------

PART_RE = re.compile(
    r"^(?:Part\s*(?P<numeral>IV|V|I{1,3})"
    r"|(?P<ordinal>Première|Deuxième|Troisième|Quatrième)\s+partie)$",
    re.IGNORECASE,
)
PRIOR_TO_REPORTING_RE = re.compile(
    r"prior to (?:reporting|(?:the\s+)?submission)|avant (?:la )?(?:soumission|présentation)",
    re.IGNORECASE,
)
# "10,700 words", "10 700 mots" (the space may have been a no-break or narrow no-break space).
WORD_LIMIT_RE = re.compile(
    r"\b(?P<words>\d{1,3}(?:[ ,.]\d{3})+|\d+)\s+(?:words|mots)\b", re.IGNORECASE
)
DEADLINE_RE = re.compile(
    r"\b(?:by|before|not later than|avant le|d['’]ici (?:au|le)|au plus tard le)\s+(?:the\s+)?"
    + DATE,
    re.IGNORECASE,
)


@dataclass
class ListOfIssuesParagraph:
    """A numbered paragraph or sub-paragraph; a parent's text is its own lead-in only."""

    ref: ParagraphRef
    part: str  # "Part I", "Première partie", or "" in a list without parts
    text: str
    line: int


@dataclass
class ParsedListOfIssues:
    symbol: str
    date: datetime.date | None
    committee: str
    state: str
    language: str  # "en" or "fr"
    prior_to_reporting: bool
    word_limit: int | None
    replies_due: datetime.date | None
    paragraphs: list[ListOfIssuesParagraph]
    warnings: list[ParseWarning]


def part_name(match: re.Match[str]) -> str:
    if match["numeral"]:
        return f"Part {match['numeral'].upper()}"
    return f"{match['ordinal'].capitalize()} partie"


def parse_list_of_issues(text: str) -> ParsedListOfIssues:
    document = read_document(text, LIST_OF_ISSUES)
    layout = lay_out(document.body, lambda line: bool(PART_RE.match(line)))
    warnings = document.warnings + layout.warnings

    part = ""
    paragraphs = []
    for item in layout.items:
        if isinstance(item, Block):
            paragraphs.append(ListOfIssuesParagraph(item.ref, part, item.text, item.line))
        elif match := PART_RE.match(item.text):
            part = part_name(match)

    # Paragraph 1 asks for the replies; some lists say so in unnumbered text before it instead.
    instructions = [p.text for p in layout.preamble if WORD_LIMIT_RE.search(p.text)]
    instructions += [p.text for p in paragraphs if p.ref.number == 1]
    limit = WORD_LIMIT_RE.search(" ".join(instructions))
    deadline = DEADLINE_RE.search(" ".join(instructions))

    for passage in layout.preamble:
        if not WORD_LIMIT_RE.search(passage.text):
            warnings.append(preamble_warning(passage))
    warnings.sort(key=lambda warning: warning.line)

    return ParsedListOfIssues(
        symbol=document.symbol,
        date=document.date,
        committee=document.committee,
        state=document.state,
        language=document.language,
        prior_to_reporting=(
            "/QPR/" in document.symbol or bool(PRIOR_TO_REPORTING_RE.search(document.title))
        ),
        word_limit=int(re.sub(r"\D", "", limit["words"])) if limit else None,
        replies_due=date_from(deadline) if deadline else None,
        paragraphs=paragraphs,
        warnings=warnings,
    )
