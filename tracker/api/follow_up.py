"""Follow-up entries through the API, with the pages' rules: the entries a user may read
(FollowUpAssessment.objects.readable_by, can_read), logged and edited through the page's own form
(AssessmentForm: the same validation, evidence paragraphs and files), submitted and reviewed by
the model's methods, every change at the version the caller read (If-Match)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from recommendations.forms import AssessmentForm, ReviewForm
from recommendations.models import EvidenceFile, FollowUpAssessment, Recommendation, Status
from tracker.accounts import permissions
from tracker.api.pagination import CursorPagination
from tracker.api.serializers import FollowUpSerializer
from tracker.api.views import ListFilters
from tracker.api.versions import IF_MATCH, stale, version_read, with_etag


class FollowUpInput(serializers.Serializer):
    """What the follow-up form of the entry's page takes (attachments as `files`, in a
    multipart body)."""

    status = serializers.ChoiceField(Status.choices)
    grade = serializers.ChoiceField(FollowUpAssessment.Grade.choices, required=False,
                                    allow_blank=True)
    date = serializers.DateField(required=False, help_text="Today when left out.")
    summary = serializers.CharField()
    evidence = serializers.CharField(required=False, allow_blank=True)
    evidence_links = serializers.CharField(required=False, allow_blank=True,
                                           help_text="One web address per line.")
    evidence_paragraphs = serializers.ListField(
        child=serializers.IntegerField(), required=False,
        help_text="Ids of paragraphs of the replies of the recommendation's cycle.",
    )
    files = serializers.ListField(child=serializers.FileField(), required=False)
    submit = serializers.BooleanField(
        default=False, help_text="Submit for review at once rather than keep a draft."
    )


class NewFollowUpInput(FollowUpInput):
    recommendation = serializers.PrimaryKeyRelatedField(queryset=Recommendation.objects.all())


class PartialFollowUpInput(FollowUpInput):
    status = serializers.ChoiceField(Status.choices, required=False)
    summary = serializers.CharField(required=False)


class ReviewInput(serializers.Serializer):
    decision = serializers.ChoiceField(["accept", "dispute"])
    note = serializers.CharField(required=False, allow_blank=True,
                                 help_text="Required to dispute: why.")


def checked(inputs: type[serializers.Serializer], request: Request) -> dict:
    serializer = inputs(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def form_data(values: dict, entry: FollowUpAssessment | None = None) -> dict:
    """The form's fields from the request's values; a PATCH keeps the entry's other values."""
    data = {"date": timezone.localdate()}
    if entry is not None:
        data.update(model_to_dict(entry, AssessmentForm.Meta.fields))
        data["evidence_paragraphs"] = [p.pk for p in data["evidence_paragraphs"]]
    data.update({name: values[name] for name in AssessmentForm.Meta.fields if name in values})
    return data


def valid_form(form: AssessmentForm) -> AssessmentForm:
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form


WRITE = {"responses": {200: FollowUpSerializer}}


@extend_schema_view(
    create=extend_schema(request=NewFollowUpInput, responses={201: FollowUpSerializer}),
    update=extend_schema(request=FollowUpInput, parameters=[IF_MATCH], **WRITE),
    partial_update=extend_schema(request=PartialFollowUpInput, parameters=[IF_MATCH], **WRITE),
)
class FollowUpViewSet(ListFilters, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    """Follow-up entries: every entry beyond drafts, and the drafts of the caller's own
    organisation, newest first."""

    serializer_class = FollowUpSerializer
    pagination_class = CursorPagination
    filterset_fields = ["recommendation", "organisation", "review_state", "status"]

    def get_queryset(self) -> QuerySet[FollowUpAssessment]:
        return FollowUpAssessment.objects.readable_by(self.request.user).prefetch_related(
            Prefetch("files", EvidenceFile.objects.order_by("uploaded_at")), "evidence_paragraphs"
        )

    def get_ordering(self) -> list[str]:
        return ["-date", "-pk"]

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        entry = self.get_object()
        return with_etag(Response(self.get_serializer(entry).data), entry)

    def entry(self, ask: str) -> FollowUpAssessment:
        """The entry, if the caller may read it and `ask` it (can_edit, can_submit, can_review)."""
        entry = get_object_or_404(
            FollowUpAssessment.objects.select_related("recommendation", "organisation"),
            pk=self.kwargs["pk"],
        )
        if not entry.can_read(self.request.user):
            raise Http404
        if not getattr(entry, ask)(self.request.user):
            raise PermissionDenied
        return entry

    def answer(self, entry: FollowUpAssessment, code: int = status.HTTP_200_OK) -> Response:
        entry = self.get_queryset().get(pk=entry.pk)
        return with_etag(Response(self.get_serializer(entry).data, status=code), entry)

    def create(self, request: Request) -> Response:
        """Log a follow-up entry (NGO staff of an organisation), as the recommendation page
        does: a draft, or submitted for review with `submit`."""
        if not permissions.can_log(request.user):
            raise PermissionDenied
        values = checked(NewFollowUpInput, request)
        form = valid_form(AssessmentForm(form_data(values), request.FILES,
                                         recommendation=values["recommendation"]))
        entry = form.log(request.user, submit=values["submit"])
        return self.answer(entry, status.HTTP_201_CREATED)

    def update(self, request: Request, pk: str, partial: bool = False) -> Response:
        """Change an entry not reviewed yet (NGO staff of its organisation), at the version
        read."""
        entry = self.entry("can_edit")
        version = version_read(request)
        values = checked(PartialFollowUpInput if partial else FollowUpInput, request)
        form = valid_form(AssessmentForm(
            {**form_data(values, entry if partial else None), "version": version},
            request.FILES, instance=entry, recommendation=entry.recommendation,
        ))
        if not form.save_edit(submit=values["submit"]):
            return stale(entry)
        return self.answer(entry)

    def partial_update(self, request: Request, pk: str) -> Response:
        return self.update(request, pk, partial=True)

    @extend_schema(request=None, parameters=[IF_MATCH], **WRITE)
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """Submit a draft for review (NGO staff of its organisation)."""
        entry = self.entry("can_submit")
        if not entry.submit(version_read(request)):
            return stale(entry)
        return self.answer(entry)

    @extend_schema(request=ReviewInput, parameters=[IF_MATCH], **WRITE)
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """Accept or dispute a submitted entry (reviewers), as the review page does."""
        entry = self.entry("can_review")
        version = version_read(request)
        form = ReviewForm({**checked(ReviewInput, request), "version": version})
        if not form.is_valid():
            raise ValidationError(form.errors)
        accepted = form.cleaned_data["decision"] == "accept"
        if not entry.review(request.user, accepted, form.cleaned_data["note"], version):
            return stale(entry)
        return self.answer(entry)

