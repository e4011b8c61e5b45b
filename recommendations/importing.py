"""Import documents whose paragraphs become recommendations, and dispatch every document import.

Concluding observations live here rather than in tracker/importing.py because they create
`Recommendation`s, and recommendations build on tracker, not the other way round.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable


from recommendations.models import Recommendation, Theme
from tracker.importing import (
    ImportResult,
    find_cycle,
    import_list_of_issues_text,
    import_replies_text,
    run_import,
    stamp_import,
    upsert,
)
from tracker.models import Document, Milestone, ReportingCycle
from tracker.parsing.common import ParseError, ParseWarning
from tracker.parsing.extraction import document_text
from tracker.parsing.concluding_observations import (
    ParsedConcludingObservations,
    parse_concluding_observations,
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def import_concluding_observations(
    parsed: ParsedConcludingObservations,
    *,
    cycle: ReportingCycle | None = None,
    source_name: str = "",
    source_text: str = "",
) -> ImportResult:
    if not parsed.symbol and cycle is None:
        raise ParseError("The concluding observations do not name their symbol (e.g. CRC/C/KAZ/CO/5-6): "
                         "choose a cycle.")
    if not parsed.recommendations:
        raise ParseError("No paragraph recommends, urges, encourages or requests anything: "
                         "is this really a set of concluding observations?")
    cycle = find_cycle(parsed.symbol, cycle)
    lookup = {"symbol": parsed.symbol} if parsed.symbol else {
        "cycle": cycle, "kind": Document.Kind.CONCLUDING_OBSERVATIONS}
    document, created, changed = upsert(
        Document,
        **lookup,
        defaults={
            "cycle": cycle,
            "kind": Document.Kind.CONCLUDING_OBSERVATIONS,
            "title": f"Concluding observations — {parsed.committee}, {parsed.state}".strip(" —,")[:500],
            "date": parsed.date,
            "language": parsed.language,
            "source_name": source_name,
            "source_text": source_text,
        },
    )
    result = ImportResult(document, warnings=list(parsed.warnings), parsed=parsed)
    stamp_import(document, created, changed, result)

    themes = {theme.name.casefold(): theme for theme in Theme.objects.all()}
    # A date the paragraph gives ("by 2 November 2027", as CCPR writes) or a period from adoption.
    follow_up_due = parsed.follow_up_by or (
        add_months(parsed.date, parsed.follow_up_months)
        if parsed.date and parsed.follow_up_months else None
    )
    existing = {r.reference: r for r in document.recommendations.all()}
    for order, observation in enumerate(parsed.recommendations, start=1):
        text = "\n".join(
            [observation.text] + [f"({letter}) {body}" for letter, body in observation.subparagraphs]
        )
        fields = {
            "order": order,
            "text": text,
            "urgent": observation.urgent,
            "follow_up": observation.follow_up,
            "follow_up_due": follow_up_due if observation.follow_up else None,
            "date": parsed.date,
            "source": f"{document}, paragraph {observation.reference}",
        }
        recommendation = existing.pop(observation.reference, None)
        if recommendation is None:
            recommendation = Recommendation.objects.create(
                document=document, cycle=cycle, country=cycle.country, mechanism=cycle.mechanism,
                reference=observation.reference, **fields,
            )
            result.created["recommendations"] += 1
        elif any(getattr(recommendation, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(recommendation, name, value)
            recommendation.save()
            result.updated["recommendations"] += 1
        theme = themes.get(observation.heading.casefold())
        if theme:
            recommendation.themes.add(theme)
    for recommendation in existing.values():
        # A recommendation with a follow-up history is never dropped silently.
        if recommendation.assessments.exists():
            result.warnings.append(ParseWarning(1, f"paragraph {recommendation.reference} is no longer "
                                                   "a recommendation but has follow-up entries; kept"))
            continue
        recommendation.delete()
        result.deleted["recommendations"] += 1

    if parsed.date:
        upsert(
            Milestone, cycle=cycle, kind=Milestone.Kind.CONCLUDING_OBSERVATIONS_ADOPTED,
            defaults={"actual_date": parsed.date, "source": str(document)},
        )
    if follow_up_due:
        upsert(
            Milestone, cycle=cycle, kind=Milestone.Kind.FOLLOW_UP_DUE,
            defaults={"planned_date": follow_up_due, "source": str(document)},
        )
    if parsed.next_report_due:
        upsert(
            Milestone, cycle=cycle, kind=Milestone.Kind.NEXT_REPORT_DUE,
            defaults={"planned_date": parsed.next_report_due, "source": str(document)},
        )
    return result


def import_concluding_observations_text(text: str, *, dry_run: bool = False, **kwargs) -> ImportResult:
    return run_import(
        import_concluding_observations, parse_concluding_observations(text),
        source_text=text, dry_run=dry_run, **kwargs,
    )


# The kinds of document a user can import from text, by the name the command and the admin use.
DOCUMENT_IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "replies": import_replies_text,
    "list-of-issues": import_list_of_issues_text,
    "concluding-observations": import_concluding_observations_text,
}


# The importer's name for each kind a parser may say a text really is (documents.py's words).
KIND_NAMES = {
    "replies to a list of issues": "replies",
    "a list of issues": "list-of-issues",
    "concluding observations": "concluding-observations",
}


def import_document_text(
    text: str, kind: str, *, cycle: ReportingCycle | None = None, source_name: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Import a document's text as `kind`; a ParseError names the file and says what to do."""
    try:
        return DOCUMENT_IMPORTERS[kind](text, cycle=cycle, source_name=source_name, dry_run=dry_run)
    except ParseError as error:
        message = error.message
        found = next((name for words, name in KIND_NAMES.items() if f"like {words}," in message), "")
        if found:
            message += f": choose the kind “{found}” for this file, or import the {kind} file"
        if source_name:
            message = f"{source_name}: {message}"
        raise ParseError(message + ("" if message.endswith((".", "?")) else "."), error.line) from None


def import_document_file(
    data: bytes, name: str, kind: str, *, cycle: ReportingCycle | None = None,
    dry_run: bool = False,
) -> ImportResult:
    """Import a PDF, Word (.docx) or text file, its format told by its content."""
    return import_document_text(
        document_text(data, name), kind, cycle=cycle, source_name=name, dry_run=dry_run
    )
