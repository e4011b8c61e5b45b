"""The API's read-only endpoints: the reporting cycles with their documents, questions and
answers, the reference lists, co-operation frameworks, field offices and deadlines. Each reads
what the app's page of it reads, filtered by the page's own filters."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from tracker.api import serializers
from recommendations.deadlines import MergedDeadlines, follow_ups_due, pending_milestones
from recommendations.filters import DeadlineFilter
from tracker.filters import CycleFilter, FrameworkFilter, OfficeFilter
from tracker.models import (
    CooperationFramework,
    Country,
    Document,
    FieldOffice,
    ListOfIssuesParagraph,
    Mechanism,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    load_questions_and_answers,
)

class ListFilters:
    """The list's filters narrow the list, never the reading of one record by its id."""

    filter_backends = [DjangoFilterBackend]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset if self.detail else super().filter_queryset(queryset)


class ReadViewSet(ListFilters, viewsets.ReadOnlyModelViewSet):
    pass


class CountryViewSet(ReadViewSet):
    queryset = Country.objects.all()
    serializer_class = serializers.CountrySerializer
    filterset_fields = ["code", "region"]


class MechanismViewSet(ReadViewSet):
    queryset = Mechanism.objects.all()
    serializer_class = serializers.MechanismSerializer
    filterset_fields = ["code", "kind"]


class CycleViewSet(ReadViewSet):
    """Reporting cycles with their milestones, filtered as the cycles page is."""

    queryset = ReportingCycle.objects.select_related("country", "mechanism").prefetch_related(
        "milestones"
    )
    serializer_class = serializers.CycleSerializer
    filterset_class = CycleFilter

    @extend_schema(responses={200: serializers.QuestionsAndAnswersSerializer, },
                   filters=False)
    @action(detail=True, pagination_class=None, filterset_class=None)
    def questions(self, request: Request, pk: str) -> Response:
        """The cycle's lists of issues, each with its questions, their answer status and the
        sections of the replies that answer them (paragraphs and statistical tables), as the
        cycle's page shows them: a fixed number of queries however long the lists."""
        cycle = self.get_object()
        lists = list(
            cycle.documents.filter(kind__in=[Document.Kind.LIST_OF_ISSUES,
                                             Document.Kind.LIST_OF_ISSUES_PRIOR])
            .prefetch_related("replies").order_by("date", "pk")
        )
        load_questions_and_answers(lists)
        data = {
            "cycle": cycle,
            "lists_of_issues": [
                {
                    "document": document,
                    "questions": document.issue_paragraphs.all(),
                    "reply_sections": [
                        section for reply in document.replies.all()
                        for section in reply.reply_sections.all()
                    ],
                }
                for document in lists
            ],
        }
        context = self.get_serializer_context()
        return Response(serializers.QuestionsAndAnswersSerializer(data, context=context).data)


class DocumentViewSet(ReadViewSet):
    # The imported text can weigh megabytes: never read for the API, which does not show it.
    queryset = Document.objects.defer("source_text").order_by("pk")
    serializer_class = serializers.DocumentSerializer
    filterset_fields = ["cycle", "kind", "symbol", "language"]


class IssueParagraphViewSet(ReadViewSet):
    queryset = ListOfIssuesParagraph.objects.all()
    serializer_class = serializers.IssueParagraphSerializer
    filterset_fields = ["document"]


class ReplySectionViewSet(ReadViewSet):
    queryset = ReplySection.objects.prefetch_related("paragraphs", "tables", "issue_paragraphs")
    serializer_class = serializers.ReplySectionSerializer
    filterset_fields = ["document"]


class ReplyParagraphViewSet(ReadViewSet):
    queryset = ReplyParagraph.objects.all()
    serializer_class = serializers.ReplyParagraphSerializer
    filterset_fields = ["document", "section"]


class FrameworkViewSet(ReadViewSet):
    queryset = CooperationFramework.objects.all()
    serializer_class = serializers.FrameworkSerializer
    filterset_class = FrameworkFilter


class OfficeViewSet(ReadViewSet):
    queryset = FieldOffice.objects.prefetch_related(
        Prefetch("countries", Country.objects.only("pk"))
    )
    serializer_class = serializers.OfficeSerializer
    filterset_class = OfficeFilter


@extend_schema(responses={200: serializers.DeadlineSerializer(many=True)})
class DeadlineList(generics.ListAPIView):
    """Pending milestones and follow-up due dates, earliest first, filtered as the deadlines
    page is (the same parameters)."""

    serializer_class = serializers.DeadlineSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DeadlineFilter

    def get_queryset(self) -> QuerySet:
        return pending_milestones()

    def list(self, request: Request, *args, **kwargs) -> Response:
        milestones = self.filter_queryset(self.get_queryset())
        follow_ups = DjangoFilterBackend().filter_queryset(request, follow_ups_due(), self)
        deadlines = MergedDeadlines(milestones, follow_ups)
        page = self.paginate_queryset(deadlines)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

