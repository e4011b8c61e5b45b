from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from recommendations.admin_versions import VersionedAdmin
from recommendations.forms import (
    DocumentImportForm,
    RecommendationFileImportForm,
    remove_stale_uploads,
)
from recommendations.importing import import_document_text
from recommendations.importing_files import (
    FORMATS,
    describe_error,
    import_recommendation_file,
)
from recommendations.models import (
    AffectedGroup,
    EvidenceFile,
    ExportJob,
    FollowUpAssessment,
    ImportJob,
    Measure,
    Recommendation,
    SourceLabel,
    SustainableDevelopmentGoal,
    Theme,
)
from recommendations.suggestions import (
    ACCEPT_THRESHOLD, NothingToLearnFrom, accept_best, stored_index, suggestions_for,
)
from recommendations.tasks import queue_import
from tracker.admin import CooperationFrameworkAdmin, DocumentAdmin, ProgrammingCycleAdmin
from tracker.models import CooperationFramework, Document, ProgrammingCycle
from tracker.parsing.common import ParseError


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "taxonomy", "parent"]
    list_filter = ["taxonomy"]
    search_fields = ["code", "name", "name_fr", "name_ru"]
    autocomplete_fields = ["parent"]


@admin.register(SustainableDevelopmentGoal)
class SustainableDevelopmentGoalAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "goal"]
    list_filter = [("goal", admin.EmptyFieldListFilter)]
    search_fields = ["code", "title"]
    autocomplete_fields = ["goal"]


@admin.register(AffectedGroup)
class AffectedGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "name_fr", "name_ru", "code"]


class MeasureInline(admin.TabularInline):
    model = Measure.recommendations.through
    extra = 0
    autocomplete_fields = ["measure"]
    verbose_name = _("measure serving this recommendation")
    verbose_name_plural = _("measures serving this recommendation")


class AssessmentInline(admin.StackedInline):
    model = FollowUpAssessment
    extra = 0
    fields = [
        ("organisation", "author", "date"),
        ("status", "grade", "review_state"),
        "summary",
        "evidence",
        "evidence_links",
        "evidence_paragraphs",
        ("reviewer", "reviewed_at"),
        "review_note",
    ]
    autocomplete_fields = ["organisation", "author", "reviewer", "evidence_paragraphs"]
    # Decisions are made on the entry's review page or its own admin page, by whom may review it.
    readonly_fields = ["review_state", "reviewer", "reviewed_at", "review_note"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FollowUpAssessment]:
        # Drafts only for those who may edit them (FollowUpAssessment.can_read).
        return super().get_queryset(request).readable_by(request.user)


# SimpleHistoryAdmin: the "History" button lists who changed what, from django-simple-history.
@admin.register(Recommendation)
class RecommendationAdmin(VersionedAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "short_text", "kind", "status", "position", "urgent", "follow_up"]
    list_filter = [
        "kind", "status", "mechanism", "position", "urgent", "follow_up",
        ("cycle__is_current", admin.BooleanFieldListFilter),
    ]
    list_select_related = ["country", "mechanism"]
    search_fields = ["text", "reference", "external_id", "country__name", "mechanism__code"]
    autocomplete_fields = [
        "mechanism", "country", "cycle", "document", "framework", "programming_cycle",
        "themes", "goals", "affected_groups", "recommending_states", "position_document",
        "previous", "issue_paragraphs", "reply_sections",
    ]
    readonly_fields = ["status", "created_at", "updated_at"]
    date_hierarchy = "date"
    inlines = [MeasureInline, AssessmentInline]
    actions = ["select_for_follow_up"]
    change_list_template = "admin/recommendations/recommendation/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view),
                 name="recommendations_recommendation_import"),
        ] + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        """Upload a file, preview what importing it would do, confirm. In between the file waits
        in MEDIA_ROOT/imports/, so the confirmation imports exactly the file previewed; a file
        larger than TRACKER_BACKGROUND_IMPORT_BYTES is then imported by the background worker."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RecommendationFileImportForm(request.POST or None, request.FILES or None)
        result = error = confirm_form = None
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            confirmed = "confirm" in request.POST
            stored = form.store_upload()
            large = default_storage.size(stored) > settings.TRACKER_BACKGROUND_IMPORT_BYTES
            if confirmed and large:
                # Too large to import while the browser waits: the worker imports it.
                job = queue_import(request.user, stored, data, request.build_absolute_uri)
                self.message_user(request, _(
                    "The file is being imported in the background. This page shows how far it "
                    "has got; you will also get an e-mail when it is done."
                ), messages.INFO)
                return redirect("admin:recommendations_importjob_change", job.pk)
            try:
                with default_storage.open(stored) as source:
                    result = import_recommendation_file(
                        source, data["format"] or None, file_name=data["file_name"],
                        country=data["country"], encoding=data["encoding"] or None,
                        session=data["session"], dry_run=not confirmed, user=request.user,
                    )
            except ParseError as parse_error:
                error = describe_error(parse_error, data["file_name"], data["format"])
            finally:
                if confirmed:
                    default_storage.delete(stored)
            if result and confirmed:
                self.message_user(request, result.summary(max_warnings=0), messages.SUCCESS)
                return redirect("admin:recommendations_recommendation_changelist")
            remove_stale_uploads()
            # A new preview (say, with another encoding) reuses the stored file; the
            # confirmation also fixes the format that was detected.
            form = RecommendationFileImportForm(initial=data)
            if result:
                confirm_form = RecommendationFileImportForm(
                    initial={**data, "format": result.format}
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import recommendations"),
            "form": form,
            "error": error,
            "result": result,
            "confirm_form": confirm_form,
        }
        return TemplateResponse(
            request, "admin/recommendations/recommendation/import.html", context
        )

    @admin.display(description=_("text"))
    def short_text(self, recommendation: Recommendation) -> str:
        return recommendation.text[:100]

    @admin.action(description=_("Select for the follow-up procedure"))
    def select_for_follow_up(self, request: HttpRequest, queryset: QuerySet[Recommendation]) -> None:
        count = queryset.update(follow_up=True)
        self.message_user(
            request,
            ngettext("%(count)d recommendation selected for follow-up.",
                     "%(count)d recommendations selected for follow-up.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Background imports, read only. Whoever may import recommendations sees their own jobs (and
    all jobs with the "view import job" permission). The pages refresh themselves while a job is
    unfinished, and tell the user when one of theirs has ended."""

    list_display = ["file_name", "user", "state", "progress", "created_at", "finished_at"]
    list_filter = ["state"]
    list_select_related = ["user"]
    search_fields = ["file_name"]
    fields = [
        "file_name", "format_label", "country", "session", "encoding", "user",
        "state", "progress", "created_at", "started_at", "finished_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ImportJob]:
        jobs = super().get_queryset(request)
        if request.user.has_perm("recommendations.view_importjob"):
            return jobs
        return jobs.filter(user=request.user)

    def has_view_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return super().has_view_permission(request, obj) or request.user.has_perm(
            "recommendations.add_recommendation"
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs come from the recommendations' import page

    def has_change_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ImportJob | None = None) -> bool:
        return False  # the worker would lose the job it runs

    def changelist_view(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> HttpResponse:
        self._announce_finished_jobs(request)
        unfinished = self.get_queryset(request).filter(
            state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]
        ).exists()
        return super().changelist_view(request, {**(extra_context or {}), "refresh": unfinished})

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        self._announce_finished_jobs(request)
        return super().change_view(request, object_id, form_url, extra_context)

    def _announce_finished_jobs(self, request: HttpRequest) -> None:
        ImportJob.objects.announce(request)

    @admin.display(description=_("format"))
    def format_label(self, job: ImportJob) -> str:
        return str(FORMATS.get(job.format, job.format))

    @admin.display(description=_("rows read"))
    def progress(self, job: ImportJob) -> int:
        return job.progress


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Background exports, read only: users follow their own on the job's page in the app."""

    list_display = ["format", "user", "state", "rows_written", "created_at", "finished_at"]
    list_filter = ["state", "format"]
    list_select_related = ["user"]
    fields = [
        "format", "query", "language", "user", "state", "rows_written", "total_rows",
        "created_at", "started_at", "finished_at", "error",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs come from the recommendations list's export links

    def has_change_permission(self, request: HttpRequest, obj: ExportJob | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ExportJob | None = None) -> bool:
        return False  # the worker would lose the job it runs


# SimpleHistoryAdmin: the "History" button lists who changed what, from django-simple-history.
class EvidenceFileInline(admin.TabularInline):
    """The entry's attachments, listed only: uploads go through the follow-up form, which checks
    their type and size."""

    model = EvidenceFile
    extra = 0
    fields = ["name", "content_type", "size", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(FollowUpAssessment)
class FollowUpAssessmentAdmin(VersionedAdmin, SimpleHistoryAdmin):
    inlines = [EvidenceFileInline]
    list_display = ["recommendation", "organisation", "date", "status", "grade", "review_state"]
    list_filter = ["review_state", "status", "grade", "organisation"]
    list_select_related = ["recommendation__country", "recommendation__mechanism", "organisation"]
    search_fields = ["summary", "evidence", "recommendation__text", "organisation__name"]
    autocomplete_fields = ["recommendation", "organisation", "author", "reviewer", "evidence_paragraphs"]
    date_hierarchy = "date"
    actions = ["accept"]
    review_fields = ["review_state", "reviewer", "reviewed_at", "review_note"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[FollowUpAssessment]:
        # Drafts only for those who may edit them (FollowUpAssessment.can_read).
        return super().get_queryset(request).readable_by(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: FollowUpAssessment | None = None):
        # The review is the decision of whom FollowUpAssessment.can_review allows.
        if obj is not None and not obj.can_review(request.user):
            return [*super().get_readonly_fields(request, obj), *self.review_fields]
        return super().get_readonly_fields(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[FollowUpAssessment]) -> None:
        # QuerySet.delete() would skip FollowUpAssessment.delete(), which keeps statuses right.
        with transaction.atomic():
            for assessment in queryset:
                assessment.delete()

    @admin.action(description=_("Accept selected submitted entries"))
    def accept(self, request: HttpRequest, queryset: QuerySet[FollowUpAssessment]) -> None:
        submitted = queryset.reviewable_by(request.user)
        count = 0
        with transaction.atomic():
            # review() at the version read here: an entry edited since is left for a second look.
            for assessment in submitted:
                count += assessment.review(request.user, True, "", assessment.version)
        self.message_user(
            request,
            ngettext("%(count)d entry accepted.", "%(count)d entries accepted.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class RecommendationInMeasureInline(admin.TabularInline):
    model = Measure.recommendations.through
    extra = 0
    autocomplete_fields = ["recommendation"]
    verbose_name = _("recommendation served")
    verbose_name_plural = _("recommendations served")


@admin.register(Measure)
class MeasureAdmin(VersionedAdmin):
    list_display = ["title", "country", "responsible", "target_date", "status"]
    list_filter = ["status", "country"]
    list_select_related = ["country", "responsible"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["country", "responsible"]
    date_hierarchy = "target_date"
    exclude = ["recommendations"]
    inlines = [RecommendationInMeasureInline]


class PriorityInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ["reference", "order", "text", "kind", "mechanism", "country", "themes"]
    autocomplete_fields = ["mechanism", "country", "themes"]


class CooperationPriorityInline(PriorityInline):
    fk_name = "framework"
    verbose_name = _("priority area")
    verbose_name_plural = _("priority areas")


class ThematicPriorityInline(PriorityInline):
    fk_name = "programming_cycle"
    verbose_name = _("thematic priority")
    verbose_name_plural = _("thematic priorities")


# Three of tracker's models hold what only this app knows (priorities are recommendations; a
# document's text may create them): tracker defines their admin classes and leaves them
# unregistered, and this app, which builds on tracker, registers them with its additions.


@admin.register(CooperationFramework)
class CooperationFrameworkWithPrioritiesAdmin(CooperationFrameworkAdmin):
    inlines = CooperationFrameworkAdmin.inlines + [CooperationPriorityInline]


@admin.register(ProgrammingCycle)
class ProgrammingCycleWithPrioritiesAdmin(ProgrammingCycleAdmin):
    inlines = [ThematicPriorityInline]


@admin.register(Document)
class DocumentWithImportAdmin(DocumentAdmin):
    """Documents, with the "Import from text" page (concluding observations create recommendations,
    so the page lives in this app)."""

    change_list_template = "admin/tracker/document/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="tracker_document_import"),
        ] + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        result = None
        form = DocumentImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            confirmed = "confirm" in request.POST
            try:
                result = import_document_text(
                    form.cleaned_data["text"],
                    form.cleaned_data["kind"],
                    cycle=form.cleaned_data["cycle"],
                    source_name=form.cleaned_data["source_name"],
                    dry_run=not confirmed,
                )
            except ParseError as error:
                form.add_error(None, str(error))
            else:
                if confirmed:
                    self.message_user(request, result.summary(), messages.SUCCESS)
                    return redirect(reverse("admin:tracker_document_change", args=[result.document.pk]))
                # The preview keeps the text in the form, so "Confirm" imports exactly what was shown.
                form = DocumentImportForm(initial={
                    "kind": form.cleaned_data["kind"],
                    "cycle": form.cleaned_data["cycle"],
                    "text": form.cleaned_data["text"],
                    "source_name": form.cleaned_data["source_name"],
                })
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a document from text"),
            "form": form,
            "result": result,
        }
        return TemplateResponse(request, "admin/tracker/document/import.html", context)


# Issue 18: the labels imported files give, mapped once onto the taxonomy, and suggested tags.


@admin.register(SourceLabel)
class SourceLabelAdmin(admin.ModelAdmin):
    """Data-entry staff map each label no crosswalk entry maps, once: saving tags every record
    that carries it (SourceLabel.save)."""

    list_display = ["label", "vocabulary", "theme", "group", "created_at"]
    list_filter = ["vocabulary", ("theme", admin.EmptyFieldListFilter),
                   ("group", admin.EmptyFieldListFilter)]
    search_fields = ["label"]
    autocomplete_fields = ["theme", "group"]
    readonly_fields = ["created_at"]
    fields = ["vocabulary", "label", "theme", "group", "created_at"]


@admin.action(description=_("Accept the surest suggested tags"))
def accept_suggested_tags(modeladmin, request: HttpRequest, queryset: QuerySet) -> None:
    try:
        with transaction.atomic():
            added = accept_best(list(queryset[:1000]), ACCEPT_THRESHOLD)
    except NothingToLearnFrom:
        modeladmin.message_user(request, _("Nothing to learn from yet: no recommendation is "
                                           "tagged."), messages.ERROR)
        return
    modeladmin.message_user(request, ngettext("%(count)d tag added.", "%(count)d tags added.",
                                              added) % {"count": added})


@admin.display(description=_("suggested tags"))
def suggested_tags(recommendation: Recommendation) -> str:
    if recommendation.pk is None:
        return ""
    try:
        found = suggestions_for([recommendation], stored_index(), limit=3)[recommendation.pk]
    except NothingToLearnFrom:
        return str(_("Nothing to learn from yet, or the index is still being built."))
    return "; ".join(f"{suggestion.code} {suggestion.name[:60]} ({suggestion.score:.2f})"
                     for suggestions in found.values() for suggestion in suggestions)


RecommendationAdmin.actions = [*RecommendationAdmin.actions, accept_suggested_tags]
RecommendationAdmin.readonly_fields = [*RecommendationAdmin.readonly_fields, suggested_tags]
