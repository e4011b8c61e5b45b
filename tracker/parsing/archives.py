"""Limits on what an Office file (.xlsx, .docx: a zip of XML parts) may unpack to, checked before
any parser opens it, so that a small file holding gigabytes (a "zip bomb") is refused in seconds
without taking the server's memory.

The sizes a zip declares can lie, so every part is inflated here in chunks and counted, stopping
at the first limit passed; nothing is kept in memory but one chunk. Nothing here imports Django.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

from .common import ParseError

_CHUNK = 1 << 20
_CELL = re.compile(rb"<c[ >/]")


@dataclass(frozen=True)
class ArchiveLimits:
    # The defaults let through the whole UHRI export (about 270,000 rows of some 30 cells).
    uncompressed_bytes: int = 1 << 30
    entries: int = 10_000
    cells: int = 20_000_000
    # One cell's or paragraph's text; Excel keeps at most 32,767 characters in a cell.
    string_bytes: int = 1 << 20


def check_archive(stream: BinaryIO, name: str, limits: ArchiveLimits | None = None) -> None:
    """Raise ParseError if the zip in `stream` passes a limit; the stream is rewound."""
    limits = limits or ArchiveLimits()
    start = stream.tell()
    try:
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
            if len(entries) > limits.entries:
                raise _refusal(
                    name, f"it holds {len(entries):,} parts (at most {limits.entries:,})"
                )
            declared = sum(entry.file_size for entry in entries)
            if declared > limits.uncompressed_bytes:
                raise _refusal(name, _unpacks_to(declared, limits))
            total = cells = 0
            for entry in entries:
                with archive.open(entry) as part:
                    counted = _count_part(part, name, limits, total, entry.filename)
                total += counted[0]
                cells += counted[1]
                if cells > limits.cells:
                    raise _refusal(name, f"it holds more than {limits.cells:,} cells")
    except ParseError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError, OSError):
        raise ParseError(
            f"{name} is a damaged Office file that cannot be read (its zip is incomplete): save "
            "it again from Word or Excel, or download it again."
        ) from None
    except NotImplementedError:  # a compression method Office never uses
        raise ParseError(f"{name} is not a file Word or Excel wrote.") from None
    finally:
        stream.seek(start)


def _count_part(
    part: BinaryIO, name: str, limits: ArchiveLimits, total: int, part_name: str
) -> tuple[int, int]:
    """The inflated size and the number of spreadsheet cells of one part."""
    size = cells = run = 0
    is_sheet = part_name.startswith("xl/worksheets/")
    tail = b""
    while chunk := part.read(_CHUNK):
        size += len(chunk)
        if total + size > limits.uncompressed_bytes:
            raise _refusal(name, _unpacks_to(total + size, limits, more=True))
        if is_sheet:
            cells += len(_CELL.findall(tail + chunk))
            tail = chunk[-2:]  # too short to hold a whole match: none is counted twice
        # The longest text between two tags: the run of bytes without a "<".
        first = chunk.find(b"<")
        if first == -1:
            run += len(chunk)
        else:
            run += first
            if run > limits.string_bytes:
                break
            run = len(chunk) - chunk.rfind(b"<") - 1
            if limits.string_bytes < _CHUNK and re.search(
                rb"[^<]{%d,}" % (limits.string_bytes + 1), chunk
            ):
                run = limits.string_bytes + 1
        if run > limits.string_bytes:
            break
    if run > limits.string_bytes:
        raise _refusal(name, f"one of its texts is longer than {limits.string_bytes:,} bytes")
    return size, cells


def _unpacks_to(size: int, limits: ArchiveLimits, more: bool = False) -> str:
    return (
        f"it unpacks to {'more than ' if more else ''}{_size(size)} "
        f"(at most {_size(limits.uncompressed_bytes)})"
    )


def _size(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MB" if size >= 1 << 20 else f"{size:,} bytes"


def _refusal(name: str, reason: str) -> ParseError:
    return ParseError(
        f"{name} was refused before reading: {reason}. A real export or document is far smaller; "
        "check the file, or ask an administrator to raise the limit."
    )
