"""Import the State's views on a UPR Working Group report (its addendum, A/HRC/NN/NN/Add.1).

The addendum adds to the recommendations the report's import created: each one's position, its
source ("A/HRC/28/15/Add.1 - Para. 3") and what the State wrote of it, dated with the addendum.
Every number is checked against the report: a number the report does not have, a recommendation
given two positions, or one the addendum leaves without any is a warning naming it; nothing is
guessed.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from recommendations.importing_files import PREVIEW_ROWS, FileImportResult
from recommendations.models import Recommendation
from recommendations.parsing import RecommendationRecord
from recommendations.parsing.upr_views import Number, StateViews
from tracker.importing import run_import
from tracker.models import Document
from tracker.parsing.common import ParseError, ParseWarning

_FIELDS = [
    "position", "position_source", "position_document", "state_view", "state_view_date",
    "state_view_source", "updated_at",
]


def import_state_views(
    views: StateViews, *, file_name: str, dry_run: bool = False,
    user: AbstractBaseUser | None = None,
) -> FileImportResult:
    return run_import(_import, views, file_name, user, dry_run=dry_run)


def _import(views: StateViews, file_name: str, user: AbstractBaseUser | None) -> FileImportResult:
    result = FileImportResult(
        format="upr-views", file_name=file_name, parsed=[], warnings=list(views.warnings)
    )
    report = Document.objects.filter(symbol=views.report_symbol).first()
    recommendations = {
        r.reference: r for r in Recommendation.objects.filter(document=report).order_by("order")
    } if report else {}
    if not recommendations:
        raise ParseError(_(
            "the Working Group report %(symbol)s has not been imported: import the report first, "
            "then its addendum"
        ) % {"symbol": views.report_symbol})
    answered = _answered_paragraph(recommendations.values(), report)
    positions: dict[str, list] = defaultdict(list)
    for given in views.positions:
        if reference := _reference(given.number, answered, recommendations, given.line, result,
                                     views.report_symbol):
            positions[reference].append(given)
    explanations: dict[str, list[str]] = defaultdict(list)
    for explanation in views.explanations:
        for number in explanation.numbers:
            if reference := _reference(number, answered, recommendations, explanation.line, result,
                                         views.report_symbol):
                explanations[reference].append(explanation.text)

    addendum, created = Document.objects.get_or_create(
        symbol=views.symbol,
        defaults={"kind": Document.Kind.UPR_REPORT, "cycle": report.cycle, "date": views.date,
                  "title": f"{report.title}, addendum", "source_name": file_name[:255]},
    )
    if created:
        result.created[str(Document._meta.verbose_name_plural)] += 1
    result.document = addendum
    changed = []
    for reference, recommendation in recommendations.items():
        values = _values(reference, recommendation, positions, explanations, views, addendum,
                         answered, result)
        result.rows += bool(values)
        if len(result.parsed) < PREVIEW_ROWS and values.get("position"):
            result.parsed.append(RecommendationRecord(
                row=positions[reference][0].line, state_under_review=views.state,
                text=recommendation.text, reference=reference, position=values["position"],
                position_source=values["position_source"],
            ))
        result.positions[values.get("position", recommendation.position)] += 1
        if any(getattr(recommendation, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(recommendation, name, value)
            recommendation.updated_at = timezone.now()
            changed.append(recommendation)
    Recommendation.objects.bulk_update(changed, _FIELDS, batch_size=500)
    result.updated["recommendations"] = len(changed)
    result.unchanged["recommendations"] = len(recommendations) - len(changed)
    _write_history(changed, file_name, user)
    result.warnings.sort(key=lambda warning: warning.line)
    return result


def _answered_paragraph(recommendations, report: Document) -> int | None:
    """The report's paragraph whose recommendations the addendum answers: the one paragraph
    (115, or 122 beside a 121 the report's own text supports) left without positions by the
    report, which bare numbers ("3", "150 – 152") refer to."""
    paragraphs = defaultdict(set)
    for recommendation in recommendations:
        major = recommendation.reference.partition(".")[0]
        paragraphs[major].add(recommendation.position_document_id == report.pk)
    open_paragraphs = [int(major) for major, given in paragraphs.items() if False in given]
    return open_paragraphs[0] if len(open_paragraphs) == 1 else None


def _reference(
    number: Number, answered: int | None, recommendations: dict, line: int,
    result: FileImportResult, symbol: str,
) -> str | None:
    paragraph = number.paragraph or answered
    reference = f"{paragraph}.{number.number}" if paragraph else ""
    if reference in recommendations:
        return reference
    message = (
        _("recommendation %(number)s is not in the report %(symbol)s; left out")
        if paragraph
        else _("recommendation %(number)s: the report has several paragraphs of recommendations "
               "and the addendum does not say which one; left out")
    )
    shown = reference or number
    result.warnings.append(ParseWarning(line, message % {"number": shown, "symbol": symbol}))
    return None


def _values(
    reference: str, recommendation: Recommendation, positions: dict, explanations: dict,
    views: StateViews, addendum: Document, answered: int | None, result: FileImportResult,
) -> dict[str, object]:
    given = positions.get(reference, [])
    values: dict[str, object] = {}
    if len({item.position for item in given}) > 1:
        lines = ", ".join(str(item.line) for item in given)
        result.warnings.append(ParseWarning(given[1].line, _(
            "recommendation %(reference)s is given two positions (lines %(lines)s); it was given "
            "none") % {"reference": reference, "lines": lines}))
    elif given:
        values = {"position": given[0].position, "position_source": given[0].source,
                  "position_document_id": addendum.pk}
    elif recommendation.position_document_id != recommendation.document_id and (
        answered is None or reference.startswith(f"{answered}.")
    ):
        result.warnings.append(ParseWarning(1, _(
            "recommendation %(reference)s of the report is given no position by the addendum"
        ) % {"reference": reference}))
    if reference in explanations:
        values |= {"state_view": "\n\n".join(explanations[reference]),
                   "state_view_date": views.date, "state_view_source": views.symbol}
    return values


def _write_history(changed: list[Recommendation], file_name: str, user) -> None:
    reason_field = Recommendation.history.model._meta.get_field("history_change_reason")
    reason = Truncator(
        _("Imported from %(file)s") % {"file": file_name}
    ).chars(reason_field.max_length)
    Recommendation.history.bulk_history_create(
        changed, update=True, default_user=user, default_change_reason=reason, batch_size=500
    )
