"""The numbered paragraphs of a treaty-body document, their sub-paragraphs and the headings between.

Lists of issues and concluding observations are laid out alike: "1." to "n." run through the whole
document, "(a)", "(b)" … and "(i)", "(ii)" … divide a paragraph, and short unnumbered lines head
groups of paragraphs. Text extraction loses all of it but the characters, often even the space
after "1." or "(a)"; lay_out() finds it again. What the paragraphs mean is for the parser of each
kind of document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.parsing.common import ParagraphRef, ParseError, ParseWarning
from tracker.parsing.text import Line, reflow

# "12. Text", "12.Text", not "1.1 Text".
NUMBERED_RE = re.compile(r"^(?P<number>\d{1,4})\.(?!\d)\s*(?P<rest>.*)$")
# "(a) Specify", "(a)Specify", "a) Préciser", "(ii) …"; whether "(i)" is a letter is decided later.
MARKER_RE = re.compile(r"^\(?(?P<token>[a-z]|[ivx]{2,5})\)\s*(?P<rest>.*)$")
ROMANS = "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv".split()
# A skipped paragraph number is believed only this far ahead; further on it is a year or a figure.
MAX_SKIP = 3
# Where a paragraph or one of its items can end: ":" closes a lead-in, ";" an item, and trailing
# digits are a footnote mark ("… of the Convention.3").
SENTENCE_END_RE = re.compile(r"[.?!;:…][\"'’”»)]*\d{0,3}$")
CLAUSE_END_RE = re.compile(r"(?:[.?!;:…][\"'’”»)]*\d{0,3}|\b(?:and|or|et|ou|y|o|и|или))$")
# A label that PDF extraction left alone on its line, its text on the next: "67." / "The
# Committee …", "L." / "Follow-up and dissemination".
LONE_LABEL_RE = re.compile(r"^(?:\d{1,4}|[A-Z]|[IVX]{1,5})\.$")
# Numbered headings are short and number a handful of groups ("8. Follow-up and dissemination").
MAX_NUMBERED_HEADING = 30
MAX_NUMBERED_HEADING_LENGTH = 70  # "10. Dissemination of documentation"; a paragraph runs longer
# How many numbered lines are tried as the first paragraph of a text pasted from any point.
FIRST_CANDIDATES = 40
# "… the State party: (a) Indicate …; (b) Provide …; and (c) …" run into one paragraph's text.
RUN_IN_RE = re.compile(
    r"(?P<end>[:;.,])?(?:\s+(?:and|or|et|ou|y|o|и|или))?\s+\(?(?P<token>[a-z])\)\s+(?=\S)"
)


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


def ends_sentence(text: str) -> bool:
    return bool(SENTENCE_END_RE.search(text))


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


def preamble_warnings(passages: list[Passage]) -> list[ParseWarning]:
    """Warnings for the prose before the first paragraph; a heading there (no sentence end, such
    as "Questions retenues aux fins du suivi …") is no loss worth one."""
    return [
        ParseWarning(
            passage.line,
            f"text before the first numbered paragraph was left out: {snippet(passage.text)}",
        )
        for passage in passages
        if ends_sentence(passage.text)
    ]


def lay_out(body: list[Line], is_heading: Callable[[str], bool]) -> Layout:
    """Split body lines into numbered paragraphs, sub-paragraphs and headings."""
    body = join_lone_labels(body)
    reader = LayoutReader(is_heading, first_paragraph(body))
    for line in body:
        reader.read(line)
    return reader.finish()


def join_lone_labels(body: list[Line]) -> list[Line]:
    joined: list[Line] = []
    for line in body:
        previous = joined[-1] if joined else None
        if previous is not None and LONE_LABEL_RE.fullmatch(previous.text):
            joined[-1] = Line(previous.number, f"{previous.text} {line.text}", previous.indented)
        else:
            joined.append(line)
    return joined


def first_paragraph(body: list[Line]) -> int:
    """The number the paragraphs start from: 1 in a whole document, any number in an excerpt.

    It is the number that starts the longest run n, n + 1, n + 2 … of numbered lines, so that a
    numbered heading ("8. Follow-up and dissemination") or a year does not start the numbering.
    """
    numbers = [int(match["number"]) for line in body if (match := NUMBERED_RE.match(line.text))]
    best, best_run = 1, 0
    for index, start in enumerate(numbers[:FIRST_CANDIDATES]):
        run, expected = 1, start + 1
        for number in numbers[index + 1 :]:
            if number == expected:
                run, expected = run + 1, expected + 1
        # A run from 1 wins a tie: whole documents start there.
        if run > best_run or (run == best_run and start == 1):
            best, best_run = start, run
    return best


def split_run_in(text: str) -> tuple[str, list[tuple[str, str]]]:
    """A paragraph's lead-in and the lettered items run into its text, or (text, []) if none.

    The items must run (a), (b) … from a colon on, each later one after a clause end ("; and
    (c)"); a lone "(a)" is a reference ("article 37 (a)"), not an item.
    """
    cuts = []  # (where the previous part ends, where the item's text starts, letter)
    expected = "a"
    for match in RUN_IN_RE.finditer(text):
        opens_list = expected == "a" and match["end"] == ":"
        if match["token"] == expected and (opens_list or (expected != "a" and match["end"])):
            cuts.append((match.start() + len(match["end"] or ""), match.end(), expected))
            expected = chr(ord(expected) + 1)
    if len(cuts) < 2:
        return text, []
    lead = text[: cuts[0][0]].strip()
    items = []
    for (_, start, letter), following in zip(cuts, [*cuts[1:], (len(text), 0, "")]):
        items.append((letter, text[start : following[0]].strip()))
    return lead, items


class LayoutReader:
    """Reads body lines one at a time into a Layout.

    A line starting "7." opens paragraph 7 when 7 is the number expected next (a wrapped line
    may start "2020."), or a few numbers further on after a sentence end, with a warning.
    Lines after the last sentence end of a paragraph are a heading when a paragraph follows them
    ("Violence against children"); `is_heading` recognises headings that need no such proof.
    """

    def __init__(self, is_heading: Callable[[str], bool], first: int = 1) -> None:
        self.is_heading = is_heading
        self.started = False  # whether the first paragraph has been read
        self.layout = Layout(items=[], preamble=[], warnings=[])
        # Where text goes; None before paragraph 1 and after a heading.
        self.block: Block | None = None
        # Lines since the last sentence end: the end of a paragraph, or headings.
        self.loose: list[Line] = []
        self.loose_after_sentence = False
        self.after_heading = True  # the title counts as a heading
        self.previous = ""  # the last line read, to tell where a clause ends
        self.number, self.letter, self.roman = first - 1, "", ""

    def read(self, line: Line) -> None:
        at_boundary = not self.loose and (self.after_heading or ends_sentence(self.previous))
        numbered = NUMBERED_RE.match(line.text)
        marker = MARKER_RE.match(line.text)
        if at_boundary and self.is_heading(line.text):
            self.layout.items.append(Passage(line.number, line.text))
            self.block, self.after_heading = None, True
        elif numbered and self.accepts(int(numbered["number"]), numbered["rest"], at_boundary):
            self.start_paragraph(line, int(numbered["number"]), numbered["rest"])
        elif numbered and at_boundary and self.numbered_heading(int(numbered["number"]), line.text):
            self.layout.items.append(Passage(line.number, line.text))
            self.block, self.after_heading = None, True
        elif marker and (placed := self.place(marker["token"])):
            self.start_subparagraph(line, placed, marker["rest"])
        else:
            self.add_text(line)
        self.previous = line.text

    def finish(self) -> Layout:
        self.settle_loose()
        if not self.started:
            raise ParseError(
                "no numbered paragraphs found (lines such as “1. The State party …”): if the text "
                "was copied from a web page that dropped the numbers, import the PDF or Word file"
            )
        return self.layout

    def accepts(self, found: int, rest: str, at_boundary: bool) -> bool:
        expected = self.number + 1
        if found == expected:
            return True
        if not self.started:
            return False
        after_sentence = at_boundary or (self.loose_after_sentence and bool(self.loose))
        starts_like_paragraph = not rest or rest[0].isupper()
        return expected < found <= expected + MAX_SKIP and after_sentence and starts_like_paragraph

    def numbered_heading(self, found: int, text: str) -> bool:
        """ "8. Follow-up and dissemination": a short numbered line numbered below the paragraphs."""
        rest = NUMBERED_RE.match(text)["rest"]  # type: ignore[index]
        return (
            found <= min(self.number, MAX_NUMBERED_HEADING)
            and len(text) <= MAX_NUMBERED_HEADING_LENGTH
            and rest[:1].isupper()
            and not ends_sentence(text)
        )

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
        self.started = True
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
            if self.started:
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
