"""Expand the list-of-issues references a reply heading names ("1 et 2 a)", "18 (a) to (f)")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tracker.parsing.common import ParagraphRef, ParseError

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<number>\d+)
    | \(?(?P<item>[a-z]{1,6})\)      # French "a)", English "(a)"; "ii)" / "(ii)" one level down
    | (?P<and>,|;|&|\bet\b|\band\b|\by\b|(?<!\w)и(?!\w))
    # "a" is "à" typed without its accent, and the Spanish "to"; "по" and "до" the Russian.
    | (?P<range>\bà\b|\ba\b|\bau\b|\bto\b|\bthrough\b|[-–—]|(?<!\w)(?:по|до)(?!\w))
    | (?P<noise>\bparagraph(?:e|s|es)?\b|\bsubparagraphs?\b|\balinéas?\b|\bpárrafos?\b
       |\bapartados?\b|\bquestions?\b|\bpreguntas?\b|(?<!\w)(?:пункт|подпункт|вопрос)\w*)
    """,
    re.VERBOSE | re.IGNORECASE,
)
_ROMAN = re.compile(r"(x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
# A heading never covers this many paragraphs; a longer range is a misread number.
_MAX_RANGE = 100


def parse_references(text: str) -> list[ParagraphRef]:
    """The paragraphs `text` names, in the heading's order, ranges expanded, without duplicates.

    A letter written right after a paragraph number refines it ("2 a)" is 2 (a)); one written
    after "et"/"and"/"à"/"to" is a sibling of the previous item ("19 d) et e)").
    """
    refs: list[ParagraphRef] = []
    joiner = ""  # "and" or "range" while the next item is awaited
    after_range = False
    for kind, value in _tokens(text):
        if kind in ("and", "range"):
            if not refs or joiner:
                raise _error(text, f"misplaced {value!r}")
            joiner = kind
            continue
        if refs and not joiner:
            if after_range:
                raise _error(text, f"{value}) cannot follow a range")
            refs[-1] = _refine(refs[-1], kind, value, text)
            continue
        ref = _sibling(refs[-1] if refs else None, kind, value, text)
        if joiner == "range":
            refs.extend(_expand(refs.pop(), ref, text))
        else:
            refs.append(ref)
        after_range = joiner == "range"
        joiner = ""
    if not refs or joiner:
        raise _error(text, "incomplete")
    return list(dict.fromkeys(refs))


# Russian replies may letter sub-paragraphs in Cyrillic: "2 а)" is 2 (a).
_CYRILLIC_LETTERS = str.maketrans("абвгдежзик", "abcdefghij")


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    text = re.sub(r"(?<!\w)([а-к])\)", lambda m: m[1].translate(_CYRILLIC_LETTERS) + ")", text)
    text = text.strip().rstrip(".:")
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _error(text, f"unexpected {text[position:]!r}")
        position = match.end()
        kind = match.lastgroup or ""
        if kind not in ("space", "noise"):
            yield kind, match.group(kind).lower()


def _refine(previous: ParagraphRef, kind: str, value: str, text: str) -> ParagraphRef:
    if kind == "number":
        raise _error(text, f"'et'/'and' missing before {value}")
    if not previous.letter:
        return ParagraphRef(previous.number, _letter(value, text))
    if not previous.roman:
        return ParagraphRef(previous.number, previous.letter, _roman(value, text))
    raise _error(text, f"too many levels at {value})")


def _sibling(previous: ParagraphRef | None, kind: str, value: str, text: str) -> ParagraphRef:
    if kind == "number":
        return ParagraphRef(int(value))
    if previous is None or not previous.letter:
        raise _error(text, f"{value}) has no paragraph number")
    if previous.roman and _ROMAN.fullmatch(value):
        return ParagraphRef(previous.number, previous.letter, value)
    return ParagraphRef(previous.number, _letter(value, text))


def _expand(first: ParagraphRef, last: ParagraphRef, text: str) -> list[ParagraphRef]:
    # `last` is a sibling of `first`, so only their level can differ ("2 a) à 3").
    if (bool(first.letter), bool(first.roman)) != (bool(last.letter), bool(last.roman)):
        raise _error(text, f"cannot expand the range {first.label} to {last.label}")
    if first.roman:
        numbers = range(_roman_value(first.roman), _roman_value(last.roman) + 1)
        refs = [ParagraphRef(first.number, first.letter, _to_roman(n)) for n in numbers]
    elif first.letter:
        letters = range(ord(first.letter), ord(last.letter) + 1)
        refs = [ParagraphRef(first.number, chr(n)) for n in letters]
    else:
        refs = [ParagraphRef(n) for n in range(first.number, last.number + 1)]
    if not 2 <= len(refs) <= _MAX_RANGE:
        raise _error(text, f"{first.label} to {last.label} is not a range")
    return refs


def _letter(value: str, text: str) -> str:
    if len(value) != 1:
        raise _error(text, f"{value}) is not a letter")
    return value


def _roman(value: str, text: str) -> str:
    if not _ROMAN.fullmatch(value):
        raise _error(text, f"{value}) is not a roman numeral")
    return value


def _error(text: str, detail: str) -> ParseError:
    return ParseError(f"cannot read the paragraph reference {text!r}: {detail}")


def _roman_value(roman: str) -> int:
    values = [_ROMAN_VALUES[c] for c in roman]
    # A smaller numeral before a larger one is subtracted (iv, ix).
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _to_roman(number: int) -> str:
    tens, units = divmod(number, 10)
    return "x" * tens + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][units]
