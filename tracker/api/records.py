"""Recommendations, measures and imports through the API. Reading: the recommendations list's
own filters (RecommendationFilter, the same parameter names) and orderings (`sort`, as the
list's column headers), by cursor; or the whole filtered set streamed as JSON lines. Writing:
data-entry staff, with the admin's model permissions, each change at the version read
(If-Match); imports queued as the admin's large imports are."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from recommendations.filters import MeasureFilter, RecommendationFilter
from recommendations.forms import RecommendationFileImportForm
from recommendations.models import ImportJob, Measure, Recommendation
from recommendations.tables import RecommendationTable
from recommendations.tasks import queue_import
from tracker.api import serializers as shown
from tracker.api.authentication import ReadOrWrite
from tracker.api.pagination import CursorPagination, PagePagination
from tracker.api.views import ListFilters
from tracker.api.versions import IF_MATCH, stale, version_read, with_etag

# `sort`: the list's sortable columns, "-" for descending; each ordering has its index.
SORTS = {
    f"{prefix}{name}": [str(field) for field in (order.opposite if prefix else order)]
    for name, column in RecommendationTable.base_columns.items()
    if (order := column.order_by) and column.orderable is not False
    for prefix in ("", "-")
}
DEFAULT_SORT = "country"
SORT = OpenApiParameter(
    "sort", str, enum=sorted(SORTS), default=DEFAULT_SORT,
    description="The order, as the list's column headers sort it; \"-\" for descending.",
)


class ModelRules(serializers.ModelSerializer):
    """Checks the model's own rules (field choices, UniqueConstraint, CheckConstraint) as the
    admin's form does, so that a breach is a 400 naming the field, never a database error."""

    def validate(self, attrs: dict) -> dict:
        # A copy: the record itself changes only when it is saved.
        record = copy.copy(self.instance) if self.instance else self.Meta.model()
        many = {field.name for field in self.Meta.model._meta.many_to_many}
        for name, value in attrs.items():
            if name not in many:
                setattr(record, name, value)
        try:
            record.full_clean(exclude=list(many))
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from None
        return attrs


class RecommendationInput(ModelRules):
    class Meta:
        model = Recommendation
        fields = [
            "mechanism", "country", "cycle", "document", "framework", "programming_cycle",
            "reference", "order", "text", "kind", "date", "urgent", "follow_up", "follow_up_due",
            "upr_session", "position", "position_document", "position_source",
            "action_category", "external_id", "previous", "themes", "goals", "affected_groups",
            "recommending_states", "issue_paragraphs", "reply_sections", "source",
        ]


class MeasureInput(ModelRules):
    class Meta:
        model = Measure
        fields = ["title", "description", "country", "responsible", "target_date", "status",
                  "recommendations", "source"]


class VersionedWrites:
    """Create with the model's add permission, change with its change permission (the admin's,
    which data-entry staff hold) at the version in If-Match."""

    input_class: type[serializers.ModelSerializer]

    def require(self, action: str) -> None:
        opts = self.input_class.Meta.model._meta
        if not self.request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
            raise PermissionDenied

    def shown(self, record, code: int = status.HTTP_200_OK) -> Response:
        record = self.get_queryset().get(pk=record.pk)
        return with_etag(Response(self.get_serializer(record).data, status=code), record)

    def create(self, request: Request) -> Response:
        self.require("add")
        writing = self.input_class(data=request.data)
        writing.is_valid(raise_exception=True)
        with transaction.atomic():
            record = writing.save()
        return self.shown(record, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        self.require("change")
        record = self.get_object()
        version = version_read(request)
        writing = self.input_class(record, data=request.data, partial=partial)
        writing.is_valid(raise_exception=True)
        many = {f.name for f in record._meta.many_to_many}
        with transaction.atomic():
            for name, value in writing.validated_data.items():
                if name not in many:
                    setattr(record, name, value)
            saved = record.save_if_unchanged(version)
            for name, value in writing.validated_data.items():
                if saved and name in many:
                    getattr(record, name).set(value)
        return self.shown(record) if saved else stale(record)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        record = self.get_object()
        return with_etag(Response(self.get_serializer(record).data), record)


def writes(input_class, read_class) -> dict:
    return {
        "create": extend_schema(request=input_class, responses={201: read_class}),
        "update": extend_schema(request=input_class, parameters=[IF_MATCH],
                                responses={200: read_class}),
        "partial_update": extend_schema(request=input_class, parameters=[IF_MATCH],
                                        responses={200: read_class}),
    }


class WriteViewSet(ListFilters, VersionedWrites, mixins.ListModelMixin,
                   mixins.RetrieveModelMixin, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                   viewsets.GenericViewSet):
    pass


@extend_schema_view(
    list=extend_schema(parameters=[SORT]),
    **writes(RecommendationInput, shown.RecommendationDetailSerializer),
)
class RecommendationViewSet(WriteViewSet):
    """Recommendations, filtered as the recommendations list is (current cycles only unless
    `current=0`) and paged by cursor."""

    filterset_class = RecommendationFilter
    pagination_class = CursorPagination
    input_class = RecommendationInput

    def get_queryset(self) -> QuerySet[Recommendation]:
        if self.action == "list" or self.action == "stream":
            return Recommendation.objects.all()
        return Recommendation.objects.prefetch_related(
            "themes", "goals", "affected_groups", "recommending_states", "issue_paragraphs",
            "reply_sections", "measures",
        )

    def get_serializer_class(self) -> type:
        if self.action in ("list", "stream"):
            return shown.RecommendationSerializer
        return shown.RecommendationDetailSerializer

    def get_ordering(self) -> list[str]:
        sort = self.request.query_params.get("sort", DEFAULT_SORT)
        if sort not in SORTS:
            raise ValidationError({"sort": [_("One of: %(sorts)s.") % {
                "sorts": ", ".join(sorted(SORTS))
            }]})
        return SORTS[sort]

    @extend_schema(
        parameters=[SORT],
        responses={(200, "application/jsonl"): OpenApiResponse(
            shown.RecommendationSerializer,
            description="One recommendation a line, as the list gives them, the whole set.",
        )},
    )
    @action(detail=False, pagination_class=None)
    def stream(self, request: Request) -> StreamingHttpResponse:
        """The whole filtered set as JSON lines (one recommendation a line), read in chunks: a
        set of any size is sent without being held in memory."""
        queryset = self.filter_queryset(self.get_queryset()).order_by(*self.get_ordering())
        serializer = self.get_serializer()

        def lines() -> Iterator[str]:
            for recommendation in queryset.iterator(chunk_size=2000):
                yield json.dumps(serializer.to_representation(recommendation),
                                 cls=DjangoJSONEncoder, ensure_ascii=False) + "\n"

        return StreamingHttpResponse(lines(), content_type="application/jsonl")


@extend_schema_view(
    **writes(MeasureInput, shown.MeasureSerializer)
)
class MeasureViewSet(WriteViewSet):
    """Measures, filtered as the measures list is."""

    queryset = Measure.objects.prefetch_related("recommendations").order_by("pk")
    serializer_class = shown.MeasureSerializer
    filterset_class = MeasureFilter
    pagination_class = PagePagination
    input_class = MeasureInput


class ImportJobSerializer(serializers.ModelSerializer):
    url = shown.identity("import")
    progress = serializers.IntegerField(read_only=True, help_text="Rows read so far.")

    class Meta:
        model = ImportJob
        fields = ["id", "url", "file_name", "format", "country", "session", "encoding", "state",
                  "progress", "created_at", "started_at", "finished_at", "summary", "error"]


class ImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="The file, as the admin's import page takes it.")
    format = serializers.CharField(required=False, allow_blank=True)
    country = serializers.CharField(required=False, allow_blank=True, help_text="ISO code.")
    session = serializers.IntegerField(required=False, allow_null=True)
    encoding = serializers.CharField(required=False, allow_blank=True)


@extend_schema_view(
    create=extend_schema(request={"multipart/form-data": ImportInput},
                         responses={202: ImportJobSerializer}),
)
class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """Imports of recommendation files (those who may add recommendations), run by the
    background worker; each job says how far it has got. The caller's own jobs (all with the
    "view import job" permission), as in the admin."""

    serializer_class = ImportJobSerializer
    pagination_class = PagePagination
    # Jobs are their users': never read anonymously, even with public read on.
    permission_classes = [ReadOrWrite, permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[ImportJob]:
        jobs = ImportJob.objects.order_by("-created_at", "-pk")
        if self.request.user.has_perm("recommendations.view_importjob"):
            return jobs
        return jobs.filter(user=self.request.user.pk)

    def create(self, request: Request) -> Response:
        """Queue a file's import, checked as the admin's import page checks it."""
        if not request.user.has_perm("recommendations.add_recommendation"):
            raise PermissionDenied
        checked = ImportInput(data=request.data)
        checked.is_valid(raise_exception=True)
        form = RecommendationFileImportForm(
            {name: value for name, value in checked.validated_data.items() if name != "file"},
            {"file": checked.validated_data["file"]},
        )
        if not form.is_valid():
            raise ValidationError(form.errors)
        data = form.cleaned_data
        stored = form.store_upload()
        job = queue_import(request.user, stored, data, request.build_absolute_uri)
        return Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)

