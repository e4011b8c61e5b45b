"""Zip bombs against the recommendation import: each one built here, then imported in a fresh
process (the path the admin's preview and the command take, `import_recommendation_file`), its
time and peak memory recorded. Prints one JSON object; the figures are in the README.

    DATABASE_URL=… python -m bench.bombs
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

MB = 1 << 20
# name: (suffix, the parts and how many megabytes of filler each holds after its opening)
BOMBS = {
    "xlsx, 3 GB of whitespace": (
        ".xlsx", {"xl/worksheets/sheet1.xml": (b"<worksheet><sheetData>", b" ", 3072)}
    ),
    "xlsx, one 1.5 GB string": (".xlsx", {"xl/sharedStrings.xml": (b"<sst><si><t>", b"a", 1536)}),
    "docx, 1.5 GB of text": (
        ".docx", {"word/document.xml": (b"<w:document><w:body><w:p><w:r><w:t>", b"x", 1536)}
    ),
}


def build(path: Path, parts: dict) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, (opening, filler, megabytes) in parts.items():
            with archive.open(name, "w", force_zip64=True) as part:
                part.write(opening)
                block = filler * MB
                for _ in range(megabytes):
                    part.write(block)


def import_one(path: str) -> None:
    """In the child process: import the file and print what happened."""
    import django

    django.setup()
    from recommendations.importing_files import import_recommendation_file
    from tracker.parsing.common import ParseError

    started = time.monotonic()
    try:
        import_recommendation_file(path, dry_run=True)
        outcome = "imported"
    except ParseError as error:
        outcome = str(error)
    print(json.dumps({
        "seconds": round(time.monotonic() - started, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "outcome": outcome[:160],
    }))


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as directory:
        for name, (suffix, parts) in BOMBS.items():
            path = Path(directory) / f"bomb{suffix}"
            build(path, parts)
            child = subprocess.run(
                [sys.executable, "-m", "bench.bombs", "--import", str(path)],
                capture_output=True, text=True, check=True,
            )
            results[name] = {"file_mb": round(path.stat().st_size / MB, 1),
                             **json.loads(child.stdout.splitlines()[-1])}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--import"]:
        import os

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
        import_one(sys.argv[2])
    else:
        main()
