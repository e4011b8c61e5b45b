"""Shared vocabulary of the document parsers: paragraph references, warnings and errors."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import BinaryIO

import charset_normalizer


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


NUL_MESSAGE = (
    "a NUL byte (\\0) stands here, which no text holds: the file is damaged or not a text export"
)
# Spreadsheets save CSV in the platform's legacy code page unless told otherwise: Windows-125x
# (Western, Central European, Cyrillic) or, on the Mac, Mac OS Roman.
LEGACY_ENCODINGS = ["cp1252", "cp1250", "cp1251", "mac_roman"]
_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
_CHUNK = 1 << 20
_SAMPLE_LIMIT = 1 << 18


def _legacy_fallback(encoding: str):
    def handler(error: UnicodeDecodeError) -> tuple[str, int]:
        return error.object[error.start : error.end].decode(encoding), error.end

    return handler


# "utf-8" with errors="utf-8-else-cp1251": the UTF-8 rows of a file saved in cp1251 read right.
for _encoding in LEGACY_ENCODINGS:
    codecs.register_error(f"utf-8-else-{_encoding}", _legacy_fallback(_encoding))


def decode_text(data: bytes, name: str, encoding: str | None = None, errors: str = "strict") -> str:
    """The text of an uploaded or read file: the project's one decoder.

    A byte-order mark says the encoding (UTF-8, UTF-16, UTF-32); otherwise it is `encoding`, or
    UTF-8 when none is given (detect_decoding() finds a CSV export's). A NUL byte is refused.
    """
    if not data.strip():
        raise ParseError(f"{name or 'the file'} is empty.")
    bom = next((value for mark, value in _BOMS if data.startswith(mark)), None)
    encoding = bom or encoding or "utf-8"
    try:
        text = data.decode(encoding, errors)
    except LookupError:
        raise ParseError(f"unknown text encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        expected = "UTF-8" if encoding == "utf-8" else encoding
        raise ParseError(
            f"{name or 'the file'} is not {expected} text "
            f"(byte 0x{data[error.start]:02x} cannot be read): save it as UTF-8 and try again.",
            line,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ParseError(f"{name}: {NUL_MESSAGE}" if name else NUL_MESSAGE, line)
    return text


def detect_encoding(stream: BinaryIO) -> str:
    return detect_decoding(stream)[0]


def detect_decoding(stream: BinaryIO) -> tuple[str, str]:
    """The encoding of a text file and the errors handler to decode it with, read in chunks so a
    large file is not held in memory; the stream is rewound to where it was.

    A byte-order mark decides. Otherwise only lines holding non-ASCII bytes tell encodings
    apart, so those are what charset-normalizer sees; on a mostly-English file the whole text
    would drown them. A file whose non-ASCII lines are partly UTF-8 (a row pasted from another
    file) is read as UTF-8 with the rest in the detected code page.
    """
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    if bom := next((value for mark, value in _BOMS if head.startswith(mark)), None):
        return bom, "strict"
    sample = bytearray()
    utf8_lines = other_lines = 0
    first_chunk = pending = b""
    while chunk := stream.read(_CHUNK):
        first_chunk = first_chunk or chunk
        lines = (pending + chunk).splitlines(keepends=True)
        pending = lines.pop()
        for line in lines:
            utf8_lines, other_lines = _sample_line(line, sample, utf8_lines, other_lines)
    utf8_lines, other_lines = _sample_line(pending, sample, utf8_lines, other_lines)
    stream.seek(start)

    if not other_lines:
        return "utf-8-sig", "strict"  # also drops the byte-order mark Excel puts in front
    # Bare CR line endings are written only by classic Mac OS programs and Excel for Mac's
    # "CSV" format, and both write Mac OS Roman.
    if b"\r" in first_chunk and b"\n" not in first_chunk:
        legacy = "mac_roman"
    else:
        legacy = _legacy_encoding(bytes(sample))
    return ("utf-8", f"utf-8-else-{legacy}") if utf8_lines else (legacy, "strict")


def _legacy_encoding(sample: bytes) -> str:
    matches = charset_normalizer.from_bytes(sample, cp_isolation=LEGACY_ENCODINGS)
    best = matches.best()
    if best is None:
        raise ParseError("the file's text encoding could not be detected: choose it explicitly")
    # Code pages that differ only in letters the sample barely uses ("São" in Windows-1252,
    # "Săo" in Windows-1250) score the same: take the most widely used, listed first.
    tied = [m.encoding for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    return min(tied, key=LEGACY_ENCODINGS.index)


def _sample_line(line: bytes, sample: bytearray, utf8: int, other: int) -> tuple[int, int]:
    """Keep a non-ASCII line for detection, and count it as UTF-8 or not."""
    if line.isascii():
        return utf8, other
    try:
        line.decode("utf-8")
    except UnicodeDecodeError:
        if len(sample) < _SAMPLE_LIMIT:
            sample.extend(line)
        return utf8, other + 1
    return utf8 + 1, other
