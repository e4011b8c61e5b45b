from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from tracker.models import (
    Achievement,
    Country,
    Document,
    FieldOffice,
    FieldPresence,
    FrameworkExtension,
    ListOfIssuesParagraph,
    Mechanism,
    Milestone,
    Organisation,
    Programme,
    ProgrammingCycle,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    StatisticalTable,
)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "un_member"]
    list_filter = ["un_member", "region"]
    search_fields = ["name", "name_fr", "name_ru", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "country"]
    list_filter = ["kind"]
    search_fields = ["name", "acronym"]
    autocomplete_fields = ["country"]


@admin.register(Mechanism)
class MechanismAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "organisation"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "name_fr", "name_ru"]
    autocomplete_fields = ["organisation"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 1
    fields = ["kind", "planned_date", "actual_date", "note"]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    fields = ["kind", "symbol", "title", "date", "language"]
    show_change_link = True


# SimpleHistoryAdmin: the "History" button lists who changed what, from django-simple-history.
@admin.register(ReportingCycle)
class ReportingCycleAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "country", "mechanism", "label", "procedure", "is_current"]
    list_filter = ["is_current", "procedure", "mechanism"]
    list_select_related = ["country", "mechanism"]
    search_fields = ["country__name", "mechanism__code", "label", "title"]
    autocomplete_fields = ["country", "mechanism"]
    inlines = [MilestoneInline, DocumentInline]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["cycle", "kind", "planned_date", "actual_date", "is_overdue"]
    list_filter = ["kind", "cycle__mechanism"]
    list_select_related = ["cycle__country", "cycle__mechanism"]
    search_fields = ["cycle__country__name", "cycle__mechanism__code", "note"]
    autocomplete_fields = ["cycle"]
    date_hierarchy = "planned_date"
    actions = ["mark_done_today"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Milestone]:
        # The overdue column asks how far each cycle has got.
        return super().get_queryset(request).with_progress()

    @admin.display(boolean=True, description=_("overdue"))
    def is_overdue(self, milestone: Milestone) -> bool:
        return milestone.is_overdue

    @admin.action(description=_("Mark selected milestones done today"))
    def mark_done_today(self, request: HttpRequest, queryset: QuerySet[Milestone]) -> None:
        count = queryset.filter(actual_date__isnull=True).update(actual_date=timezone.localdate())
        self.message_user(
            request,
            ngettext("%(count)d milestone marked done.", "%(count)d milestones marked done.", count)
            % {"count": count},
            messages.SUCCESS,
        )


class ListOfIssuesParagraphInline(admin.TabularInline):
    model = ListOfIssuesParagraph
    extra = 0
    fields = ["part", "number", "letter", "roman", "text"]
    fk_name = "document"


class ReplySectionInline(admin.TabularInline):
    model = ReplySection
    extra = 0
    fields = ["order", "heading"]
    show_change_link = True


# SimpleHistoryAdmin: the "History" button lists who changed what, from django-simple-history.
# Registered by recommendations.admin, with the import of a document's text, which creates
# recommendations: dependencies run from recommendations to tracker, never back.
class DocumentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "cycle", "date", "language"]
    list_filter = ["kind", "language", "cycle__mechanism"]
    list_select_related = ["cycle__country", "cycle__mechanism"]
    search_fields = ["symbol", "title"]
    autocomplete_fields = ["cycle", "answers"]
    date_hierarchy = "date"
    readonly_fields = ["imported_at"]

    def get_inlines(self, request: HttpRequest, obj: Document | None):
        # A list of issues is entered paragraph by paragraph, replies section by section.
        if obj and obj.kind in (Document.Kind.LIST_OF_ISSUES, Document.Kind.LIST_OF_ISSUES_PRIOR):
            return [ListOfIssuesParagraphInline]
        if obj and obj.kind == Document.Kind.REPLIES:
            return [ReplySectionInline]
        return []


@admin.register(ListOfIssuesParagraph)
class ListOfIssuesParagraphAdmin(admin.ModelAdmin):
    list_display = ["document", "label", "part", "text"]
    list_filter = ["document"]
    list_select_related = ["document"]
    search_fields = ["document__symbol", "label", "text"]
    autocomplete_fields = ["document", "parent"]


class ReplyParagraphInline(admin.StackedInline):
    model = ReplyParagraph
    extra = 0
    fields = ["number", "text"]


class StatisticalTableInline(admin.StackedInline):
    model = StatisticalTable
    extra = 0
    fields = ["order", "caption", "columns", "rows"]


@admin.register(ReplySection)
class ReplySectionAdmin(admin.ModelAdmin):
    list_display = ["heading", "document", "order"]
    list_filter = ["document"]
    list_select_related = ["document"]
    search_fields = ["heading", "document__symbol", "text"]
    autocomplete_fields = ["document", "issue_paragraphs"]
    inlines = [ReplyParagraphInline, StatisticalTableInline]


@admin.register(ReplyParagraph)
class ReplyParagraphAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section"]
    list_select_related = ["document", "section"]
    list_filter = ["document"]
    search_fields = ["document__symbol", "=number", "text"]
    autocomplete_fields = ["section"]


@admin.register(StatisticalTable)
class StatisticalTableAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section"]
    list_select_related = ["section"]
    search_fields = ["caption", "section__heading"]
    autocomplete_fields = ["section"]


class FrameworkExtensionInline(admin.TabularInline):
    model = FrameworkExtension
    extra = 0
    fields = ["date", "meeting", "new_end_date", "note"]


class ProgrammeInline(admin.StackedInline):
    model = Programme
    extra = 0
    fields = [
        "title", "original_title", "partners", "budget_amount", "currency",
        "start_date", "end_date", "status", "countries",
    ]
    autocomplete_fields = ["partners", "countries"]


# Registered by recommendations.admin, with the framework's priority areas, which are
# recommendations: dependencies run from recommendations to tracker, never back.
class CooperationFrameworkAdmin(admin.ModelAdmin):
    list_display = ["title", "country", "adopting_body", "adoption_date", "status"]
    list_filter = ["status", "organisation"]
    list_select_related = ["country", "adopting_body"]
    search_fields = ["title", "original_title", "country__name"]
    autocomplete_fields = ["organisation", "country", "adopting_body"]
    date_hierarchy = "adoption_date"
    inlines = [FrameworkExtensionInline, ProgrammeInline]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "framework", "budget_amount", "currency", "start_date", "end_date", "status"]
    list_filter = ["status", "currency"]
    search_fields = ["title", "original_title"]
    autocomplete_fields = ["framework", "partners", "countries"]
    date_hierarchy = "start_date"


class FieldPresenceInline(admin.TabularInline):
    model = FieldPresence
    extra = 0
    autocomplete_fields = ["country"]


class ProgrammingCycleInline(admin.TabularInline):
    model = ProgrammingCycle
    extra = 0
    fields = ["start_year", "end_year"]
    show_change_link = True


class AchievementInline(admin.StackedInline):
    model = Achievement
    extra = 0
    fields = ["order", "cycle", "text"]


@admin.register(FieldOffice)
class FieldOfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "seat_city", "seat_country", "year_founded"]
    search_fields = ["name", "original_name", "seat_city"]
    autocomplete_fields = ["organisation", "mechanism", "seat_country", "countries"]
    inlines = [FieldPresenceInline, ProgrammingCycleInline, AchievementInline]


# Registered by recommendations.admin, with the cycle's thematic priorities, which are
# recommendations: dependencies run from recommendations to tracker, never back.
class ProgrammingCycleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "office", "start_year", "end_year"]
    list_select_related = ["office"]
    search_fields = ["office__name"]
    autocomplete_fields = ["office"]


@admin.register(FrameworkExtension)
class FrameworkExtensionAdmin(admin.ModelAdmin):
    list_display = ["framework", "date", "meeting", "new_end_date"]
    list_select_related = ["framework"]
    search_fields = ["framework__title", "meeting", "note"]
    autocomplete_fields = ["framework"]
    date_hierarchy = "date"


@admin.register(FieldPresence)
class FieldPresenceAdmin(admin.ModelAdmin):
    list_display = ["city", "country", "office"]
    list_select_related = ["country", "office"]
    search_fields = ["city", "country__name", "office__name"]
    autocomplete_fields = ["office", "country"]


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "office", "cycle"]
    list_select_related = ["office", "cycle"]
    list_filter = ["office"]
    search_fields = ["text"]
    autocomplete_fields = ["office", "cycle"]
