"""Turn parsed lists of issues and replies into records.

Each import is one transaction: it either writes everything or nothing. Re-importing the same
text updates in place and duplicates nothing; a corrected text updates what changed and removes
what the new text no longer has. `dry_run=True` does the whole import and rolls it back, so a
preview reports exactly what a confirmed import would do.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from tracker.models import (
    Country,
    Document,
    ListOfIssuesParagraph,
    Mechanism,
    Milestone,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    StatisticalTable,
)
from tracker.parsing.common import ParagraphRef, ParseError, ParseWarning
from tracker.parsing.lists_of_issues import ParsedListOfIssues, parse_list_of_issues
from tracker.parsing.replies import ParsedReplies, parse_replies
from tracker.parsing.symbols import parse_treaty_symbol


# A summary shows this many warnings of each kind; the count says how many there are.
WARNINGS_SHOWN = 3
# What differs between warnings of one kind: quoted text, numbers and paragraph letters.
_WARNING_DETAIL = re.compile(r"“[^”]*”|«[^»]*»|'[^']*'|\d+(?:\s*\([a-z]{1,5}\))*")


def warning_kind(message: str) -> str:
    """ "paragraph numbering jumps to 12: no paragraph 11" → "paragraph numbering jumps to …: no
    paragraph …", so that warnings of one kind make one line of a summary."""
    return _WARNING_DETAIL.sub("…", message)


@dataclass
class ImportResult:
    document: Document
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    warnings: list[ParseWarning] = field(default_factory=list)
    dry_run: bool = False
    # What the parser read, for the admin's preview.
    parsed: object = None

    def warning_groups(self) -> list[tuple[str, list[ParseWarning]]]:
        """The warnings by kind, in the order each kind first appears."""
        groups: dict[str, list[ParseWarning]] = {}
        for warning in self.warnings:
            groups.setdefault(warning_kind(warning.message), []).append(warning)
        return list(groups.items())

    def totals(self) -> str:
        """One line: what was created, updated and removed, and how many warnings."""
        def describe(counter: Counter) -> str:
            return ", ".join(f"{count} {name}" for name, count in counter.items() if count) or "nothing"

        return (
            f"{self.document}: created {describe(self.created)}; updated {describe(self.updated)}; "
            f"removed {describe(self.deleted)}; {len(self.warnings)} warnings."
        )

    def summary(self) -> str:
        lines = [self.totals()]
        for kind, warnings in self.warning_groups():
            lines.append(f"  {len(warnings)} × {kind}")
            lines += [f"    {warning}" for warning in warnings[:WARNINGS_SHOWN]]
            if len(warnings) > WARNINGS_SHOWN:
                lines.append(f"    … and {len(warnings) - WARNINGS_SHOWN} more")
        if self.dry_run:
            lines.append("Dry run: nothing was saved.")
        return "\n".join(lines)


def upsert(model: type[models.Model], defaults: dict | None = None, **lookup) -> tuple[models.Model, bool, bool]:
    """Like `update_or_create`, but it saves only the values that differ, so importing the same
    data again writes nothing and adds no history record. Returns (object, created, changed)."""
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        return model.objects.create(**lookup, **defaults), True, False
    changed = [name for name, value in defaults.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, defaults[name])
    if changed:
        obj.save(update_fields=changed)
    return obj, False, bool(changed)


def stamp_import(document: Document, created: bool, changed: bool, result: ImportResult) -> None:
    if created or changed:
        # The save that created or changed the document is its history record; the time stamp
        # needs none of its own.
        document.imported_at = timezone.now()
        Document.objects.filter(pk=document.pk).update(imported_at=document.imported_at)
    if created:
        result.created["documents"] += 1
    elif changed:
        result.updated["documents"] += 1


class Rollback(Exception):
    """Raised inside a dry run's transaction to undo it."""


def run_import(function, *args, dry_run: bool = False, **kwargs) -> ImportResult:
    """Run one importer in a transaction; on a dry run, roll it back and still return its result."""
    try:
        with transaction.atomic():
            result = function(*args, **kwargs)
            result.dry_run = dry_run
            if dry_run:
                raise Rollback
    except Rollback:
        pass
    return result


def find_cycle(symbol: str, cycle: ReportingCycle | None) -> ReportingCycle:
    """The cycle named by the caller, or the one a treaty-body symbol names (created if new)."""
    if cycle is not None:
        return cycle
    info = parse_treaty_symbol(symbol)
    if info is None:
        raise ParseError(f"Cannot tell the reporting cycle from the symbol {symbol!r}: choose a cycle.")
    try:
        country = Country.objects.get(code=info.country)
        mechanism = Mechanism.objects.get(code=info.mechanism)
    except (Country.DoesNotExist, Mechanism.DoesNotExist):
        raise ParseError(
            f"The symbol {symbol!r} names a country or committee the tracker does not know "
            f"({info.country}, {info.mechanism}): load the reference data or choose a cycle."
        ) from None
    found, _ = ReportingCycle.objects.get_or_create(
        country=country, mechanism=mechanism, label=info.label
    )
    return found


def issue_paragraph(
    document: Document, ref: ParagraphRef, known: dict[ParagraphRef, ListOfIssuesParagraph],
    result: ImportResult,
) -> ListOfIssuesParagraph:
    """The list's paragraph for `ref`, created (with its parents) if the list has no such one yet."""
    if ref in known:
        return known[ref]
    parent = issue_paragraph(document, ref.parent, known, result) if ref.parent else None
    paragraph = ListOfIssuesParagraph.objects.create(
        document=document, number=ref.number, letter=ref.letter, roman=ref.roman, parent=parent
    )
    known[ref] = paragraph
    result.created["list-of-issues paragraphs"] += 1
    return paragraph


def import_replies(
    parsed: ParsedReplies,
    *,
    cycle: ReportingCycle | None = None,
    source_name: str = "",
    source_text: str = "",
) -> ImportResult:
    if not parsed.symbol and cycle is None:
        raise ParseError("The replies do not name their symbol (e.g. CRC/C/KAZ/RQ/5-6): choose a cycle.")
    list_symbol = parsed.answers_symbol
    cycle = find_cycle(parsed.symbol or list_symbol, cycle)

    list_of_issues = None
    if list_symbol:
        list_of_issues, _ = Document.objects.get_or_create(
            symbol=list_symbol, defaults={"cycle": cycle, "kind": Document.Kind.LIST_OF_ISSUES}
        )
    else:
        list_of_issues = cycle.documents.filter(
            kind__in=[Document.Kind.LIST_OF_ISSUES, Document.Kind.LIST_OF_ISSUES_PRIOR]
        ).first()

    lookup = {"symbol": parsed.symbol} if parsed.symbol else {"cycle": cycle, "kind": Document.Kind.REPLIES}
    document, created, changed = upsert(
        Document,
        **lookup,
        defaults={
            "cycle": cycle,
            "kind": Document.Kind.REPLIES,
            "title": parsed.title[:500],
            "date": parsed.date,
            "received": parsed.received,
            "language": parsed.language,
            "answers": list_of_issues,
            "source_name": source_name,
            "source_text": source_text,
        },
    )
    result = ImportResult(document, warnings=list(parsed.warnings), parsed=parsed)
    stamp_import(document, created, changed, result)

    known: dict[ParagraphRef, ListOfIssuesParagraph] = {}
    list_was_imported = False
    if list_of_issues:
        for paragraph in list_of_issues.issue_paragraphs.all():
            known[paragraph.ref] = paragraph
            list_was_imported = list_was_imported or bool(paragraph.text)

    existing_sections = {s.order: s for s in document.reply_sections.all()}
    existing_paragraphs = {p.number: p for p in document.reply_paragraphs.all()}
    for parsed_section in parsed.sections:
        section = existing_sections.pop(parsed_section.order, None)
        heading = parsed_section.heading[:500]
        if section is None:
            section = ReplySection(document=document, order=parsed_section.order)
            result.created["sections"] += 1
        elif (section.heading, section.text) != (heading, parsed_section.text):
            result.updated["sections"] += 1
        if section.pk is None or (section.heading, section.text) != (heading, parsed_section.text):
            section.heading = heading
            section.text = parsed_section.text
            section.save()

        links = []
        for ref in parsed_section.references:
            if list_of_issues is None:
                continue
            if ref not in known and list_was_imported:
                result.warnings.append(ParseWarning(
                    parsed_section.line,
                    f"the heading names paragraph {ref.label}, which {list_of_issues} does not have",
                ))
                continue
            links.append(issue_paragraph(list_of_issues, ref, known, result))
        section.issue_paragraphs.set(links)

        for parsed_paragraph in parsed_section.paragraphs:
            paragraph = existing_paragraphs.pop(parsed_paragraph.number, None)
            if paragraph is None:
                paragraph = ReplyParagraph(number=parsed_paragraph.number)
                result.created["paragraphs"] += 1
            elif (paragraph.section_id, paragraph.text) != (section.pk, parsed_paragraph.text):
                result.updated["paragraphs"] += 1
            else:
                continue
            paragraph.section = section
            paragraph.text = parsed_paragraph.text
            paragraph.save()

        existing_tables = {t.order: t for t in section.tables.all()}
        for order, parsed_table in enumerate(parsed_section.tables):
            rows = [
                {"label": row.label, "cells": row.cells,
                 "values": [None if value is None else float(value) for value in row.values]}
                for row in parsed_table.rows
            ]
            table = existing_tables.pop(order, None)
            values = (parsed_table.caption[:500], parsed_table.columns, rows)
            if table is None:
                table = StatisticalTable(section=section, order=order)
                result.created["tables"] += 1
            elif (table.caption, table.columns, table.rows) != values:
                result.updated["tables"] += 1
            else:
                continue
            table.caption, table.columns, table.rows = values
            table.save()
        for table in existing_tables.values():
            table.delete()
            result.deleted["tables"] += 1

    if parsed.received or parsed.date:
        upsert(
            Milestone, cycle=cycle, kind=Milestone.Kind.REPLIES_SUBMITTED,
            defaults={"actual_date": parsed.received or parsed.date, "source": str(document)},
        )
    # What the corrected text no longer has goes; paragraphs first, as they hang on sections.
    for paragraph in existing_paragraphs.values():
        paragraph.delete()
        result.deleted["paragraphs"] += 1
    for section in existing_sections.values():
        section.delete()
        result.deleted["sections"] += 1
    return result


def import_replies_text(text: str, *, dry_run: bool = False, **kwargs) -> ImportResult:
    return run_import(import_replies, parse_replies(text), source_text=text, dry_run=dry_run, **kwargs)


def import_list_of_issues(
    parsed: ParsedListOfIssues,
    *,
    cycle: ReportingCycle | None = None,
    source_name: str = "",
    source_text: str = "",
) -> ImportResult:
    if not parsed.symbol and cycle is None:
        raise ParseError("The list of issues does not name its symbol (e.g. CRC/C/KAZ/Q/5-6): choose a cycle.")
    cycle = find_cycle(parsed.symbol, cycle)
    kind = Document.Kind.LIST_OF_ISSUES_PRIOR if parsed.prior_to_reporting else Document.Kind.LIST_OF_ISSUES
    lookup = {"symbol": parsed.symbol} if parsed.symbol else {"cycle": cycle, "kind": kind}
    document, created, changed = upsert(
        Document,
        **lookup,
        defaults={
            "cycle": cycle,
            "kind": kind,
            "title": f"List of issues — {parsed.committee}, {parsed.state}".strip(" —,")[:500],
            "date": parsed.date,
            "language": parsed.language,
            "word_limit": parsed.word_limit,
            "source_name": source_name,
            "source_text": source_text,
        },
    )
    if parsed.prior_to_reporting and cycle.procedure != ReportingCycle.Procedure.SIMPLIFIED:
        cycle.procedure = ReportingCycle.Procedure.SIMPLIFIED
        cycle.save(update_fields=["procedure"])
    result = ImportResult(document, warnings=list(parsed.warnings), parsed=parsed)
    stamp_import(document, created, changed, result)

    known = {p.ref: p for p in document.issue_paragraphs.all()}
    seen = set()
    for parsed_paragraph in parsed.paragraphs:
        ref = parsed_paragraph.ref
        seen.add(ref)
        paragraph = issue_paragraph(document, ref, known, result)
        if (paragraph.text, paragraph.part) != (parsed_paragraph.text, parsed_paragraph.part):
            if paragraph.text:
                result.updated["list-of-issues paragraphs"] += 1
            paragraph.text = parsed_paragraph.text
            paragraph.part = parsed_paragraph.part
            paragraph.save()
    for ref, paragraph in known.items():
        if ref not in seen and paragraph.reply_sections.exists():
            result.warnings.append(ParseWarning(
                1, f"the replies answer paragraph {ref.label}, which this list does not have"
            ))

    if document.date:
        upsert(
            Milestone, cycle=cycle, kind=Milestone.Kind.LIST_OF_ISSUES_ADOPTED,
            defaults={"actual_date": document.date, "source": parsed.symbol},
        )
    if parsed.replies_due:
        upsert(
            Milestone, cycle=cycle, kind=Milestone.Kind.REPLIES_DUE,
            defaults={"planned_date": parsed.replies_due, "source": f"{parsed.symbol}, paragraph 1"},
        )
    return result


def import_list_of_issues_text(text: str, *, dry_run: bool = False, **kwargs) -> ImportResult:
    return run_import(
        import_list_of_issues, parse_list_of_issues(text), source_text=text, dry_run=dry_run, **kwargs
    )
