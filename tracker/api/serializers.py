"""What the API shows of each record: its fields, its id, a link to itself (`url`), the ids of
the records it links to with a link (`…_url`) beside the main ones, and the address of the page
a person would open (`page`)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from django.urls import reverse
from rest_framework import serializers

from recommendations.models import EvidenceFile, FollowUpAssessment, Measure, Recommendation
from tracker.models import (
    CooperationFramework,
    Country,
    Document,
    FieldOffice,
    ListOfIssuesParagraph,
    Mechanism,
    Milestone,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    StatisticalTable,
)


def link(view_name: str, source: str | None = None) -> serializers.HyperlinkedRelatedField:
    """A link to a related record's API address (null when there is none)."""
    return serializers.HyperlinkedRelatedField(
        view_name=f"api:{view_name}-detail", source=source, read_only=True, allow_null=True
    )


def absolute(context: dict, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.URI)
class PageField(serializers.Field):
    """The address of the record's page in the app (get_absolute_url), made absolute."""

    def __init__(self, **kwargs) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, record) -> str:
        return absolute(self.context, record.get_absolute_url())


def identity(view_name: str) -> serializers.HyperlinkedIdentityField:
    """The record's own API address."""
    return serializers.HyperlinkedIdentityField(view_name=f"api:{view_name}-detail")


class CountrySerializer(serializers.ModelSerializer):
    url = identity("country")

    class Meta:
        model = Country
        fields = ["id", "url", "code", "name", "name_fr", "name_ru", "aliases", "un_member", "region"]


class MechanismSerializer(serializers.ModelSerializer):
    url = identity("mechanism")

    class Meta:
        model = Mechanism
        fields = ["id", "url", "code", "name", "name_fr", "name_ru", "kind", "organisation", "treaty"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "kind", "planned_date", "actual_date", "note", "source"]


class CycleSerializer(serializers.ModelSerializer):
    url = identity("cycle")
    page = PageField()
    country_url = link("country", "country")
    mechanism_url = link("mechanism", "mechanism")
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = ReportingCycle
        fields = ["id", "url", "page", "country", "country_url", "mechanism", "mechanism_url",
                  "label", "title", "procedure", "is_current", "notes", "source", "milestones"]


class DocumentSerializer(serializers.ModelSerializer):
    url = identity("document")
    page = PageField()
    cycle_url = link("cycle", "cycle")
    # The document's own address on the web (its `url` field), beside the API's `url`.
    address = serializers.URLField(source="url", read_only=True)

    class Meta:
        model = Document
        fields = ["id", "url", "page", "cycle", "cycle_url", "kind", "symbol", "title", "date",
                  "language", "original_language", "address", "word_limit", "answers",
                  "source_name", "imported_at"]


class IssueParagraphSerializer(serializers.ModelSerializer):
    url = identity("issue-paragraph")
    document_url = link("document", "document")

    class Meta:
        model = ListOfIssuesParagraph
        fields = ["id", "url", "document", "document_url", "part", "number", "letter", "roman",
                  "label", "parent", "text"]


class StatisticalTableSerializer(serializers.ModelSerializer):
    class Meta:
        model = StatisticalTable
        fields = ["id", "order", "caption", "columns", "rows"]


class ReplyParagraphSerializer(serializers.ModelSerializer):
    url = identity("reply-paragraph")
    section_url = link("reply-section", "section")

    class Meta:
        model = ReplyParagraph
        fields = ["id", "url", "document", "section", "section_url", "number", "text"]


class NestedReplyParagraphSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReplyParagraph
        fields = ["id", "number", "text"]


class ReplySectionSerializer(serializers.ModelSerializer):
    """A section with its paragraphs and statistical tables, and the questions it answers."""

    url = identity("reply-section")
    document_url = link("document", "document")
    paragraphs = NestedReplyParagraphSerializer(many=True, read_only=True)
    tables = StatisticalTableSerializer(many=True, read_only=True)

    class Meta:
        model = ReplySection
        fields = ["id", "url", "document", "document_url", "order", "heading", "text",
                  "issue_paragraphs", "paragraphs", "tables"]


class QuestionSerializer(serializers.ModelSerializer):
    """A list-of-issues paragraph with the reply sections that answer it (by id; the sections are
    given whole beside the questions)."""

    answer_status = serializers.CharField(read_only=True)
    reply_sections = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ListOfIssuesParagraph
        fields = ["id", "label", "part", "number", "letter", "roman", "parent", "text",
                  "answer_status", "reply_sections"]


class ListOfIssuesSerializer(serializers.Serializer):
    document = DocumentSerializer()
    questions = QuestionSerializer(many=True)
    reply_sections = ReplySectionSerializer(many=True)


class QuestionsAndAnswersSerializer(serializers.Serializer):
    """A cycle's lists of issues, each with its questions and the sections of the replies."""

    cycle = CycleSerializer()
    lists_of_issues = ListOfIssuesSerializer(many=True)


class RecommendationSerializer(serializers.ModelSerializer):
    """A row of the recommendations list (its many-to-many links are on the detail)."""

    url = identity("recommendation")
    page = PageField()
    country_url = link("country", "country")
    mechanism_url = link("mechanism", "mechanism")
    cycle_url = link("cycle", "cycle")
    document_url = link("document", "document")

    class Meta:
        model = Recommendation
        fields = [
            "id", "url", "page", "version", "mechanism", "mechanism_url", "country",
            "country_url", "cycle", "cycle_url", "document", "document_url", "framework",
            "programming_cycle", "reference", "order", "text", "kind", "date", "urgent",
            "follow_up", "follow_up_due", "upr_session", "position", "position_document",
            "position_source", "action_category", "external_id", "previous", "status",
            "has_follow_up", "in_current_cycle", "source", "created_at", "updated_at",
        ]


class RecommendationDetailSerializer(RecommendationSerializer):
    class Meta(RecommendationSerializer.Meta):
        fields = RecommendationSerializer.Meta.fields + [
            "themes", "goals", "affected_groups", "recommending_states", "issue_paragraphs",
            "reply_sections", "measures",
        ]


class EvidenceFileSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceFile
        fields = ["id", "name", "content_type", "size", "uploaded_at", "download"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, evidence: EvidenceFile) -> str:
        return absolute(self.context, reverse("recommendations:evidence-file", args=[evidence.pk]))


class FollowUpSerializer(serializers.ModelSerializer):
    url = identity("follow-up")
    recommendation_url = link("recommendation", "recommendation")
    links = serializers.ListField(child=serializers.CharField(), read_only=True)
    files = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = FollowUpAssessment
        fields = [
            "id", "url", "version", "recommendation", "recommendation_url", "organisation",
            "date", "status", "grade", "summary", "evidence", "evidence_links", "links",
            "evidence_paragraphs", "files", "review_state", "review_note", "reviewed_at",
            "created_at", "updated_at",
        ]


class MeasureSerializer(serializers.ModelSerializer):
    url = identity("measure")
    page = PageField()
    country_url = link("country", "country")
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Measure
        fields = ["id", "url", "page", "version", "title", "description", "country",
                  "country_url", "responsible", "target_date", "status", "is_late",
                  "recommendations", "source"]


class FrameworkSerializer(serializers.ModelSerializer):
    url = identity("framework")
    page = PageField()
    country_url = link("country", "country")

    class Meta:
        model = CooperationFramework
        fields = ["id", "url", "page", "organisation", "country", "country_url", "title",
                  "original_title", "adopting_body", "meeting", "adoption_date", "start_date",
                  "end_date", "status", "summary", "source"]


class OfficeSerializer(serializers.ModelSerializer):
    url = identity("office")
    page = PageField()

    class Meta:
        model = FieldOffice
        fields = ["id", "url", "page", "organisation", "mechanism", "name", "original_name",
                  "seat_city", "seat_country", "year_founded", "countries", "mandate_reference"]


class DeadlineSerializer(serializers.Serializer):
    """A cycle's pending milestone or a recommendation's follow-up due date."""

    uid = serializers.CharField()
    date = serializers.DateField()
    kind = serializers.CharField()
    country = serializers.CharField(source="country.code", allow_null=True, default=None)
    mechanism = serializers.CharField(source="mechanism.code")
    summary = serializers.CharField()
    description = serializers.CharField()
    days_left = serializers.IntegerField()
    page = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, deadline) -> str:
        return absolute(self.context, deadline.url)
