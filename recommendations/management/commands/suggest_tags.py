import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recommendations.models import Recommendation
from recommendations.suggestions import (
    ACCEPT_THRESHOLD, NothingToLearnFrom, accept_best, build_index, save_index, stored_index, suggestions_for,
)
from tracker.models import Document

NOTHING = ("Nothing to learn from yet: no recommendation in the database has a theme, an SDG or "
           "a group of persons. Import a tagged list (an OHCHR thematic list, a UHRI export) or tag "
           "some recommendations by hand first.")


class Command(BaseCommand):
    help = ("Suggest themes, SDG goals and targets and groups of persons for a document's "
            "recommendations, learned from the recommendations already tagged.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--document", help="The document's symbol, e.g. A/HRC/43/15.")
        parser.add_argument("--json", action="store_true", dest="as_json", help="Print the suggestions as JSON.")
        parser.add_argument("--apply", action="store_true",
                            help="Accept the suggestions scoring at least --threshold.")
        parser.add_argument("--threshold", type=float, default=ACCEPT_THRESHOLD)
        parser.add_argument("--limit", type=int, default=5, help="Suggestions per vocabulary.")
        parser.add_argument("--rebuild", action="store_true",
                            help="Rebuild the index from the tagged recommendations first.")

    def handle(self, *args, document: str | None, as_json: bool, apply: bool, threshold: float,
               limit: int, rebuild: bool, **options) -> None:
        index = None if rebuild else stored_index()
        try:
            if index is None:
                index = build_index()
                save_index(index)
        except NothingToLearnFrom:
            raise CommandError(NOTHING) from None
        if not document:
            if not rebuild:
                raise CommandError("Give --document SYMBOL (or --rebuild alone).")
            self.stdout.write(f"Index rebuilt from {index.count} tagged recommendations.")
            return
        if not Document.objects.filter(symbol=document).exists():
            raise CommandError(f"There is no document {document!r}.")
        recommendations = list(
            Recommendation.objects.filter(document__symbol=document).order_by("order", "pk")
        )
        if not recommendations:
            raise CommandError(f"The document {document!r} has no recommendations.")
        if apply:
            with transaction.atomic():
                added = accept_best(recommendations, threshold, index)
            self.stdout.write(f"{added} tags added to {len(recommendations)} recommendations.")
            return
        found = suggestions_for(recommendations, index, limit)
        rows = [
            {"reference": recommendation.reference} | {
                key: [suggestion.as_json() for suggestion in suggestions]
                for key, suggestions in found[recommendation.pk].items()
            }
            for recommendation in recommendations
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            self.stdout.write(row["reference"] or "-")
            for key in ("themes", "goals", "targets", "groups"):
                names = "; ".join(f"{item['name'][:60]} ({item['score']:.2f})" for item in row[key])
                self.stdout.write(f"  {key}: {names}")

