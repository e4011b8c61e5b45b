"""Deleting the synthetic data: exactly the records its marks name."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, models, transaction

from bench.scale.vocabulary import MARK, SYNTHETIC_WEBSITE
from recommendations.models import EvidenceFile, FollowUpAssessment, Recommendation, StatusTally
from tracker.models import (
    Document,
    ListOfIssuesParagraph,
    Milestone,
    Organisation,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    StatisticalTable,
)


def synthetic_data_exists() -> bool:
    return (
        Organisation.objects.filter(website__startswith=SYNTHETIC_WEBSITE).exists()
        or ReportingCycle.objects.filter(source__startswith=MARK).exists()
        or Recommendation.objects.filter(source__startswith=MARK).exists()
    )


def delete_synthetic_data(progress: Callable[[str], None]) -> None:
    """Delete every synthetic record, table by table, children first, one DELETE per table and
    one per many-to-many table. The ORM's delete() loads every row it cascades from, which at
    2,000,000 entries takes many minutes. Records entered by hand that point at synthetic ones
    through a nullable link let go of them; a protected link (a recommendation of a synthetic
    cycle entered by hand) makes the deletion fail at commit, and nothing is deleted. A model
    added later with a foreign key to one of these tables must be added to the list."""
    recommendations = Recommendation.objects.filter(source__startswith=MARK)
    assessments = FollowUpAssessment.objects.filter(recommendation__in=recommendations)
    documents = Document.objects.filter(source_name__startswith=MARK)
    sections = ReplySection.objects.filter(document__in=documents)
    cycles = ReportingCycle.objects.filter(source__startswith=MARK)
    with transaction.atomic():
        Recommendation.objects.filter(previous__in=recommendations).update(previous=None)
        Recommendation.objects.filter(position_document__in=documents).update(
            position_document=None
        )
        Document.objects.filter(answers__in=documents).update(answers=None)
        for queryset in [
            EvidenceFile.objects.filter(assessment__in=assessments),  # uploaded by hand
            assessments,
            recommendations,
            ReplyParagraph.objects.filter(document__in=documents),
            StatisticalTable.objects.filter(section__in=sections),
            sections,
            ListOfIssuesParagraph.objects.filter(document__in=documents),
            documents,
            Milestone.objects.filter(cycle__in=cycles),
            cycles,
            Organisation.objects.filter(website__startswith=SYNTHETIC_WEBSITE),
        ]:
            delete_links(queryset)
            deleted = delete_rows(queryset)
            progress(f"deleted {deleted:,} {queryset.model._meta.verbose_name_plural}")
        StatusTally.recount()  # the DELETEs above bypass the ORM that keeps it


def delete_links(queryset: models.QuerySet) -> None:
    """Delete the many-to-many rows of these records, both directions, one DELETE per table."""
    for relation in queryset.model._meta.get_fields():
        if not relation.many_to_many:
            continue
        if relation.auto_created:  # the reverse side, e.g. Measure.recommendations
            through, name = relation.through, relation.field.m2m_reverse_field_name()
        else:
            through, name = relation.remote_field.through, relation.m2m_field_name()
        through.objects.filter(**{f"{name}__in": queryset}).delete()


def delete_rows(queryset: models.QuerySet) -> int:
    """DELETE … WHERE pk IN (the queryset), without loading a row. Foreign keys are checked at
    commit (Django declares them deferrable), so a table may point at itself."""
    meta, quote = queryset.model._meta, connection.ops.quote_name
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN ({sql})", params
        )
        return cursor.rowcount
