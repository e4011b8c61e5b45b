"""Shared vocabulary of the document parsers: paragraph references, warnings and errors."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class ParagraphRef:
    """A list-of-issues paragraph such as 13 (a) (ii): number, optional letter, optional roman numeral.

    Letters and roman numerals are stored lower-case without brackets ("a", "ii").
    """

    number: int
    letter: str = ""
    roman: str = ""

    @property
    def label(self) -> str:
        parts = [str(self.number)]
        if self.letter:
            parts.append(f"({self.letter})")
        if self.roman:
            parts.append(f"({self.roman})")
        return " ".join(parts)

    @property
    def parent(self) -> ParagraphRef | None:
        if self.roman:
            return ParagraphRef(self.number, self.letter)
        if self.letter:
            return ParagraphRef(self.number)
        return None

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class ParseWarning:
    """Something the parser could not place; `line` is 1-based in the submitted text."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class ParseError(ValueError):
    """The text cannot be imported at all (empty, wrong kind of document, …)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


def decode_text(data: bytes, name: str) -> str:
    """The text of an uploaded or read file, which must be UTF-8 (a byte-order mark is allowed)."""
    if not data.strip():
        raise ParseError(f"{name} is empty.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ParseError(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} cannot be read): "
            "save it as UTF-8 and try again.",
            line,
        ) from None
