"""The text of a document as people download it: a PDF, a Word .docx or a plain-text file.

The parsers work on text; this module sits in front of them. A PDF is read through pdfminer.six,
whose character boxes (position and font size) let the page furniture be told from the body by
layout rather than by the strings of one document:

- running headers and footers are the lines at the top or foot of a page whose text (its figures
  masked) and font size come back on other pages, a lone page number there, and the UN's job
  number ("GE.15-04261 (E)") at a page foot;
- footnotes are the lines in a smaller font than the body at the foot of a page, footnote markers
  the characters set smaller and raised above their line;
- a line ending in a hyphen runs on into the next; the hyphen is dropped only where it broke a
  word that the document prints unbroken elsewhere, so a range ("122.62-" / "66") or a compound
  ("Inter-" / "American") keeps it.

Nothing here imports Django.
"""

from __future__ import annotations

import io
import re
import statistics
import zipfile
from collections import Counter
from dataclasses import dataclass

from .common import ParseError, decode_text

_LIGATURES = str.maketrans({"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl"})
# Glyphs of symbol fonts (the barcode of page 1) come out in the private use area.
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# "GE.25-17845 (E) 101125": the job number at the foot of UN pages, with its dates.
_JOB_NUMBER = re.compile(r"(?:\d{1,3} )?GE\.\d{2}-\d{4,6}(?: ?\([A-Z]\))?(?: \d{1,6})*(?: \d{1,3})?")
_LONE_NUMBER = re.compile(r"\d{1,3}")
_FIGURES = re.compile(r"\d+")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97–2003 .doc (and .xls)
# Lines nearer the top or foot of a page than this many lines are candidates for furniture.
_MARGIN_LINES = 2


def document_text(data: bytes, name: str) -> str:
    """The text of the file `name` whose content is `data`, whatever its format.

    The format comes from the content, not the name: "%PDF" starts a PDF, a zip holding
    word/document.xml is a Word document, anything else is decoded as text.
    """
    if data.lstrip()[:5].startswith(b"%PDF"):
        return pdf_text(data, name)
    if data.startswith(_OLE_MAGIC):
        raise ParseError(
            f"{name} is a Word 97–2003 (.doc) file, which cannot be read: open it in Word or "
            "LibreOffice, save it as .docx (or PDF) and import that file."
        )
    if data.startswith(b"PK\x03\x04"):
        return docx_text(data, name)
    return decode_text(data, name)


# --- PDF ------------------------------------------------------------------------------------


@dataclass
class _Line:
    """The pieces of text sharing one baseline on a page, left to right."""

    top: float
    bottom: float
    left: float
    size: float  # the font size most of its characters are set in
    text: str


def pdf_text(data: bytes, name: str) -> str:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    try:
        pages = _pdf_pages(data)
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ParseError(
            f"{name} is an encrypted PDF that needs a password: open it, save or print it to a "
            "PDF without a password and import that file."
        ) from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError):
        raise ParseError(
            f"{name} is a damaged PDF that cannot be read: download it again from the UN "
            "document system, or import the Word version."
        ) from None
    if not any(line.text for page in pages for line in page):
        raise ParseError(
            f"{name} has no text layer (a scanned image of the pages): import the UN's own PDF "
            "or Word version of the document, or run it through text recognition (OCR) first."
        )
    body_size = _body_size(pages)
    pages = [_drop_footnotes(page, body_size) for page in _drop_furniture(pages, body_size)]
    return _join_hyphenated(_indented_lines(pages, body_size))


def _pdf_pages(data: bytes) -> list[list[_Line]]:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLineHorizontal

    pages = []
    for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
        pieces = [
            line
            for box in page
            if isinstance(box, LTTextContainer)
            for line in box
            if isinstance(line, LTTextLineHorizontal)
        ]
        pages.append(_baselines(pieces))
    return pages


def _baselines(pieces: list) -> list[_Line]:
    """Group the pieces of text pdfminer finds into lines, top to bottom then left to right.

    pdfminer splits a line where a gap widens ("115.25" / "Place a …") and orders its boxes by
    their own logic; grouping by baseline restores the reading order of a one-column page.
    """
    from pdfminer.layout import LTChar

    pieces = [(piece, _size(piece, LTChar)) for piece in pieces]
    pieces = [(piece, size) for piece, size in pieces if size]
    pieces.sort(key=lambda item: (-round(item[0].y0), item[0].x0))
    lines: list[list[tuple[object, float]]] = []
    for piece, size in pieces:
        line = next((line for line in lines if _same_baseline(line, piece)), None)
        if line is None:
            lines.append([(piece, size)])
        else:
            line.append((piece, size))
    result = []
    for line in lines:
        size = max(size for _, size in line)
        # A piece set smaller and raised above the line is a footnote marker.
        kept = [p for p, s in line if not (s < 0.8 * size and p.y0 > line[0][0].y0 + 1)]
        kept.sort(key=lambda piece: piece.x0)
        text = " ".join(_piece_text(piece, size, LTChar) for piece in kept)
        result.append(
            _Line(
                top=max(p.y1 for p in kept),
                bottom=min(p.y0 for p in kept),
                left=kept[0].x0,
                size=size,
                text=" ".join(_PRIVATE_USE.sub("", text.translate(_LIGATURES)).split()),
            )
        )
    result.sort(key=lambda line: -line.top)
    return result


def _same_baseline(line: list, piece) -> bool:
    first = line[0][0]
    return abs(first.y0 - piece.y0) < 2 or (
        # A raised marker starts inside the line's height.
        piece.y0 > first.y0 and piece.y1 <= first.y1 + 3 and piece.x0 >= first.x0
    )


def _size(piece, char_type) -> float:
    sizes = Counter(round(char.size, 1) for char in piece if isinstance(char, char_type))
    return sizes.most_common(1)[0][0] if sizes else 0.0


def _piece_text(piece, size: float, char_type) -> str:
    """The piece's text without the characters set smaller and raised: footnote markers."""
    baseline = statistics.median(c.y0 for c in piece if isinstance(c, char_type))
    text = []
    for char in piece:
        if isinstance(char, char_type) and char.size < 0.8 * size and char.y0 > baseline + 1:
            continue
        text.append(char.get_text())
    return "".join(text)


def _body_size(pages: list[list[_Line]]) -> float:
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0]


def _furniture_key(line: _Line, at_top: bool) -> tuple[bool, float, int, str]:
    return at_top, line.size, round(line.bottom / 3), _FIGURES.sub("#", line.text)


def _drop_furniture(pages: list[list[_Line]], body_size: float) -> list[list[_Line]]:
    """Each page without its running header and footer.

    A line among the first or last few of a page, set apart from the body by more than a line's
    spacing, is furniture when a line like it (the same place, font size and text, its figures
    masked) stands there on another page too, or when it is a page number; a UN job number
    there always is.
    """
    candidates = [_margin_lines(page, body_size) for page in pages]
    seen: Counter[tuple[bool, float, int, str]] = Counter()
    for lines in candidates:
        seen.update({_furniture_key(line, at_top) for line, at_top in lines})
    repeated = {key for key, count in seen.items() if count > 1}
    result = []
    for page, lines in zip(pages, candidates):
        furniture = {
            id(line)
            for line, at_top in lines
            if not line.text
            or _furniture_key(line, at_top) in repeated
            or _LONE_NUMBER.fullmatch(line.text)
            or _JOB_NUMBER.fullmatch(line.text)
        }
        furniture |= {
            id(line)
            for line in page[:_MARGIN_LINES] + page[-_MARGIN_LINES:]
            if not line.text or _JOB_NUMBER.fullmatch(line.text)
        }
        result.append([line for line in page if id(line) not in furniture])
    return result


def _margin_lines(page: list[_Line], body_size: float) -> list[tuple[_Line, bool]]:
    """The lines at the top and foot of the page that stand apart from the body: (line, at_top)."""
    lines = []
    for index, line in enumerate(page[:_MARGIN_LINES]):
        below = page[index + 1] if index + 1 < len(page) else None
        if below is None or line.bottom - below.top > body_size:
            lines.extend((above, True) for above in page[: index + 1])
    for index in range(max(len(page) - _MARGIN_LINES, 0), len(page)):
        above = page[index - 1] if index else None
        if above is None or above.bottom - page[index].top > body_size:
            lines.extend((below, False) for below in page[index:])
    return list({id(line): (line, at_top) for line, at_top in lines}.values())


def _drop_footnotes(page: list[_Line], body_size: float) -> list[_Line]:
    """The page without the lines set smaller than the body at its foot."""
    end = len(page)
    while end and page[end - 1].size < body_size - 0.4:
        end -= 1
    # A page of small print only (a table, an annex) keeps it all.
    return page[:end] if end else page


def _indented_lines(pages: list[list[_Line]], body_size: float) -> list[str]:
    """The lines of all pages; one set right of the page's usual left edge starts with a space,
    as text pasted from a PDF shows headings, captions and sub-items."""
    margins = Counter(round(line.left) for page in pages for line in page if line.size == body_size)
    margin = min(margins.most_common(2))[0] if margins else 0
    return [
        (" " if line.left > margin + 20 else "") + line.text
        for page in pages
        for line in page
        if line.text
    ]


_BROKEN = re.compile(r"(\w+)[-\u2010\u2011\u00ad\u2013]$")
_FIRST_WORD = re.compile(r"\w+")


def _join_hyphenated(lines: list[str]) -> str:
    """The lines, those ending in a hyphen joined to the next one.

    The hyphen is dropped only where both halves are lower-case letters and the document prints
    the joined word elsewhere but never the hyphenated pair ("imple-" / "mentation").
    """
    words = Counter(_FIRST_WORD.findall(" ".join(lines).lower()))
    joined: list[str] = []
    for line in lines:
        start = line.lstrip()
        if joined and (broken := _BROKEN.search(joined[-1])) and start[:1].isalnum():
            right = _FIRST_WORD.match(start)
            left = broken[1]
            word_break = (
                right is not None
                and left[-1:].islower()
                and start[:1].islower()
                and words[(left + right[0]).lower()] > 0
            )
            joined[-1] = (joined[-1][:-1] if word_break else joined[-1]) + start
        else:
            joined.append(line)
    return "\n".join(joined) + "\n"


# --- Word -----------------------------------------------------------------------------------


def docx_text(data: bytes, name: str) -> str:
    """The paragraphs of a Word document in order, tables cell by cell, with the numbers Word
    prints for automatically numbered paragraphs ("1.", "(a)")."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if "word/document.xml" not in archive.namelist():
                raise ParseError(
                    f"{name} is a zip file but not a Word document: import a PDF, a Word .docx "
                    "or a text file."
                )
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as error:
        if isinstance(error, ParseError):
            raise
        raise ParseError(
            f"{name} is a damaged Word document that cannot be read: open it in Word and save "
            "it again, or import the PDF version."
        ) from None
    numbering = _Numbering(document)
    lines = [
        numbering.label(paragraph) + " ".join(paragraph.text.split())
        for paragraph in _paragraphs(document)
    ]
    text = "\n".join(line for line in lines if line.strip())
    if not text:
        raise ParseError(f"{name} is a Word document without text.")
    return text + "\n"


def _paragraphs(document):
    """The body's paragraphs in order, those of table cells included."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for element in document.element.body.iter(qn("w:p")):
        yield Paragraph(element, document)


class _Numbering:
    """The labels Word draws before automatically numbered paragraphs ("1.", "(a)", "•")."""

    _FORMATS = {
        "decimal": str,
        "lowerLetter": lambda n: chr(96 + (n - 1) % 26 + 1),
        "upperLetter": lambda n: chr(64 + (n - 1) % 26 + 1),
        "lowerRoman": lambda n: _roman(n).lower(),
        "upperRoman": lambda n: _roman(n),
        "bullet": lambda n: "•",
    }

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, str], tuple[str, str, int]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.iter(qn("w:abstractNum")):
            abstract_id = abstract.get(qn("w:abstractNumId"))
            for level in abstract.iter(qn("w:lvl")):
                fmt, text, start = (level.find(qn(tag)) for tag in ("w:numFmt", "w:lvlText", "w:start"))
                self.levels[(abstract_id, level.get(qn("w:ilvl")))] = (
                    fmt.get(qn("w:val")) if fmt is not None else "decimal",
                    text.get(qn("w:val")) if text is not None else "",
                    int(start.get(qn("w:val"))) if start is not None else 1,
                )
        for num in root.iter(qn("w:num")):
            abstract = num.find(qn("w:abstractNumId"))
            if abstract is not None:
                self.abstract_of[num.get(qn("w:numId"))] = abstract.get(qn("w:val"))

    def label(self, paragraph) -> str:
        num_id, level = self._numbering_of(paragraph)
        abstract = self.abstract_of.get(num_id or "")
        if abstract is None or not paragraph.text.strip():
            return ""
        counters = self.counters.setdefault(abstract, {})
        level_number = int(level)
        for deeper in [key for key in counters if key > level_number]:
            del counters[deeper]
        start = self.levels.get((abstract, level), ("decimal", "", 1))[2]
        counters[level_number] = counters.get(level_number, start - 1) + 1
        fmt, text, _ = self.levels.get((abstract, level), ("decimal", f"%{level_number + 1}.", 1))

        def number(match: re.Match[str]) -> str:
            index = int(match[1]) - 1
            level_fmt = self.levels.get((abstract, str(index)), ("decimal", "", 1))[0]
            value = counters.get(index, self.levels.get((abstract, str(index)), ("", "", 1))[2])
            return self._FORMATS.get(level_fmt, str)(value)

        label = re.sub(r"%(\d)", number, text)
        return f"{label} " if label else ""

    def _numbering_of(self, paragraph) -> tuple[str | None, str]:
        qn = self.qn
        for holder in (paragraph._p.pPr, _style_paragraph_properties(paragraph)):
            num_pr = holder.find(qn("w:numPr")) if holder is not None else None
            if num_pr is not None:
                num_id = num_pr.find(qn("w:numId"))
                level = num_pr.find(qn("w:ilvl"))
                return (
                    num_id.get(qn("w:val")) if num_id is not None else None,
                    level.get(qn("w:val")) if level is not None else "0",
                )
        return None, "0"


def _style_paragraph_properties(paragraph):
    style = paragraph.style
    while style is not None:
        properties = style.element.pPr
        if properties is not None and properties.numPr is not None:
            return properties
        style = style.base_style
    return None


def _roman(number: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    result = ""
    for value, numeral in numerals:
        while number >= value:
            result += numeral
            number -= value
    return result
