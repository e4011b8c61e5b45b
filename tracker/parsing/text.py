"""The text of a UN document as pasted or extracted from its PDF: lines, page furniture, reflow.

All the parsers start here: the text comes as numbered lines with their whitespace collapsed, the
running headers, job numbers, page numbers and barcodes that PDF extraction leaves among them are
dropped, and the lines a paragraph was wrapped over are joined back into one text.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    number: int  # 1-based in the submitted text
    text: str  # whitespace collapsed
    indented: bool  # the PDF indents headings, captions and sub-items, not wrapped lines


_LIGATURES = str.maketrans(
    {"ﬁ": "fi", "ﬂ": "fl", "ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "\u2010": "-", "\u2011": "-"}
)


def split_lines(text: str, *, repair: bool = False) -> list[Line]:
    """The lines of `text` that are not blank, numbered as an editor shows them.

    `repair` also undoes what PDF extraction does to words: a byte-order mark, decomposed accents,
    ligatures ("ﬁ"), non-breaking hyphens, and a soft hyphen that broke a word at the end of a
    line. Only the replies parser asks for it: the others have always read the text as it comes,
    and repairing it would change their parses wherever such characters occur.
    """
    if repair:
        text = unicodedata.normalize("NFC", text.removeprefix("\ufeff"))
    lines = []
    # Only real line breaks count, so that warnings name the line an editor shows.
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        cleaned = raw
        if repair:
            cleaned = cleaned.rstrip()
            if cleaned.endswith("\u00ad"):
                cleaned = cleaned[:-1] + "-"
            cleaned = cleaned.translate(_LIGATURES)
        # A soft hyphen is otherwise invisible. split() also takes the no-break and narrow
        # no-break spaces of French typography.
        cleaned = " ".join(cleaned.replace("\u00ad", "").split())
        if cleaned:
            lines.append(Line(number, cleaned, indented=raw[:1] in (" ", "\t", "\u00a0")))
    return lines


# "GE.25-17845 (E) 101125": the job number at the foot of every page, with its dates.
JOB_NUMBER = r"GE\.\d{2}-\d{4,6}(?: ?\([A-Z]\))?(?: \d{1,6})*"


def drop_furniture(
    lines: list[Line],
    symbol: str,
    *,
    page_number: str = r"\d{1,3}",
    lone_number: str = r"\d{1,3}",
    barcode: str = r"\*\d{5,}\*",
) -> list[Line]:
    """`lines` without page furniture: the running header (the document's `symbol`) and the job
    number, either with the page number beside it ("3 GE.25-17845", "CRC/C/KAZ/Q/5-6 3"), a page
    or footnote number alone on its line, and the barcode of page 1 ("*2517845*").

    The defaults are those of lists of issues and concluding observations; replies.py passes its
    own.
    """
    running_header = rf"{re.escape(symbol)}(?: {page_number})?|" if symbol else ""
    furniture = re.compile(
        rf"(?:{page_number} )?(?:{running_header}{JOB_NUMBER})|{lone_number}|{barcode}"
    )
    return [line for line in lines if not furniture.fullmatch(line.text)]


def reflow(pieces: list[str]) -> str:
    """Join the lines a paragraph was wrapped over.

    Lists of issues and concluding observations are read as typeset without hyphenation: a hyphen
    ending a line belongs to a compound split there ("child-" / "friendly") and stays.
    """
    text = ""
    for piece in filter(None, pieces):
        if not text:
            text = piece
        elif text.endswith("-") and text[-2:-1].isalpha() and piece[0].islower():
            text += piece
        else:
            text += " " + piece
    return text


_BULLET = re.compile(r"[•◦▪‣●\uf0b7]")
_COMPOUND = re.compile(r"\w+(?:-\w+)+")
_LAST_WORD = re.compile(r"\w+$")
_WORD = re.compile(r"\w+")


def compounds(lines: list[Line]) -> set[str]:
    """Hyphenated pairs printed within a line ("bien-être"): their hyphen stays at a line break."""
    pairs: set[str] = set()
    for line in lines:
        for match in _COMPOUND.finditer(line.text):
            parts = match[0].lower().split("-")
            pairs.update(f"{left}-{right}" for left, right in itertools.pairwise(parts))
    return pairs


def reflow_hyphenated(pieces: list[str], compounds: set[str]) -> str:
    """Join the lines of a hyphenated text, such as replies; bullet items keep a line of their own.

    A hyphen ending a line breaks a word ("néces-" / "saires") unless a capital or a figure stands
    beside it ("Nour-" / "Soultan", "2026-" / "2030") or the document prints the pair joined
    within a line too (`compounds`, "bien-être").
    """
    text = ""
    for piece in filter(None, pieces):
        if not text:
            text = piece
        elif _BULLET.match(piece):
            text += "\n" + piece
        elif text.endswith("-") and text[-2:-1].isalnum() and piece[0].isalnum():
            text = _join_broken_word(text, piece, compounds)
        else:
            text += " " + piece
    return text


def _join_broken_word(text: str, piece: str, compounds: set[str]) -> str:
    # The caller checked that letters or digits stand on both sides of the hyphen.
    left = _LAST_WORD.search(text[:-1].rpartition(" ")[2])[0]  # type: ignore[index]
    right = _WORD.match(piece)[0]  # type: ignore[index]
    pair = f"{left}-{right}".lower()
    keep = not piece[0].islower() or text[-2].isdigit() or pair in compounds
    return (text if keep else text[:-1]) + piece
