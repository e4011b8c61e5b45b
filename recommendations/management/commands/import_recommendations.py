"""Import a file of recommendations: a UHRI or UPR Info export, an OHCHR UPR thematic list, a
UPR Working Group report or its addendum with the State's views. The whole file is imported in
one transaction, or nothing is."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.utils.translation import gettext as _

from recommendations.importing_files import FORMATS, describe_error, import_recommendation_file
from tracker.models import Country
from tracker.parsing.common import ParseError

WARNINGS_SHOWN = 20


class Progress:
    """One line on stderr, rewritten after each batch: rows read and the rate."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.start = time.monotonic()
        self.shown = False

    def __call__(self, rows: int) -> None:
        rate = rows / max(time.monotonic() - self.start, 0.001)
        line = _("%(rows)s rows read, %(rate)s rows/s") % {
            "rows": f"{rows:,}", "rate": f"{rate:,.0f}",
        }
        self.stream.write(
            "\r" + line,
            style_func=str,  # not the error style stderr has by default
            ending="",
        )
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("", style_func=str)


class Command(BaseCommand):
    # Help texts are plain strings: argparse needs str, and commands run untranslated.
    help = (
        "Import recommendations from a UHRI or UPR Info export, an OHCHR UPR thematic list "
        "(.docx), a UPR Working Group report or its addendum with the State's views (PDF, "
        ".docx or text)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--format", choices=sorted(FORMATS),
            help="The file's format; detected from the file when not given.",
        )
        parser.add_argument(
            "--country", metavar="CODE",
            help="ISO code of the State under review, for a thematic list or report that does "
                 "not name it.",
        )
        parser.add_argument(
            "--encoding",
            help="The text encoding of a CSV or text file, e.g. cp1252; detected when not given.",
        )
        parser.add_argument(
            "--session", type=int,
            help="The UPR session, for a thematic list or report that does not say.",
        )
        parser.add_argument(
            "--dry-run", action="store_true",
            help="Read and check the file and report what would change; save nothing.",
        )

    def handle(
        self, *args, path: Path, format: str | None, country: str | None, encoding: str | None,
        session: int | None, dry_run: bool, verbosity: int, **options,
    ) -> None:
        state = None
        if country:
            state = Country.objects.filter(code__iexact=country).first()
            if state is None:
                raise CommandError(
                    _("There is no country with the code %(code)r.") % {"code": country}
                )
        progress = Progress(self.stderr) if verbosity >= 1 else None
        try:
            result = import_recommendation_file(
                path, format, file_name=path.name, country=state, encoding=encoding,
                session=session, dry_run=dry_run, progress=progress,
            )
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s.") % {"path": path, "error": error.strerror}
            ) from None
        except ParseError as error:
            raise CommandError(describe_error(error, path.name, format)) from None
        finally:
            if progress:
                progress.finish()
        if verbosity >= 1:
            shown = None if verbosity >= 2 else WARNINGS_SHOWN
            self.stdout.write(self.style.SUCCESS(result.summary(max_warnings=shown)))
