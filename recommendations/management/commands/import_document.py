from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from recommendations.importing import DOCUMENT_IMPORTERS, import_document_file
from tracker.models import ReportingCycle
from tracker.parsing.common import ParseError


class Command(BaseCommand):
    help = (
        "Import a UN document (replies, list of issues, concluding observations) from its PDF, "
        "Word (.docx) or text file."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--kind", required=True, choices=sorted(DOCUMENT_IMPORTERS))
        parser.add_argument("--cycle", type=int, help="Id of the reporting cycle, when the symbol does not tell it.")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report, save nothing.")

    def handle(self, *args, path: Path, kind: str, cycle: int | None, dry_run: bool, **options) -> None:
        reporting_cycle = None
        if cycle is not None:
            try:
                reporting_cycle = ReportingCycle.objects.get(pk=cycle)
            except ReportingCycle.DoesNotExist:
                raise CommandError(f"There is no reporting cycle with id {cycle}.") from None
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        try:
            result = import_document_file(
                data, path.name, kind, cycle=reporting_cycle, dry_run=dry_run
            )
        except ParseError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(result.summary())
