"""The reporting-cycle pages: cycles with their questions and answers, documents, Council of
Europe co-operation frameworks and OHCHR field offices."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from tracker.accounts.models import Membership
from tracker.filters import CycleFilter, FrameworkFilter, OfficeFilter
from tracker.history import history_entries
from tracker.models import (
    Achievement,
    CooperationFramework,
    Document,
    FieldOffice,
    FieldPresence,
    Programme,
    ProgrammingCycle,
    ReportingCycle,
    load_questions_and_answers,
)
from tracker.tables import (
    BoundedLazyPaginator,
    CycleTable,
    FrameworkTable,
    OfficeTable,
)

# Lists are paged without a COUNT(*) of the whole filtered set.
PAGINATION = {"per_page": 50}


class CycleListView(SingleTableMixin, FilterView):
    model = ReportingCycle
    filterset_class = CycleFilter
    table_class = CycleTable
    template_name = "tracker/cycle_filter.html"
    paginator_class = BoundedLazyPaginator
    table_pagination = PAGINATION

    def get_queryset(self):
        # The stage and next deadline columns read the prefetched milestones.
        return (
            super()
            .get_queryset()
            .select_related("country", "mechanism")
            .with_milestones()
        )


class FrameworkListView(SingleTableMixin, FilterView):
    model = CooperationFramework
    filterset_class = FrameworkFilter
    table_class = FrameworkTable
    template_name = "tracker/framework_filter.html"
    paginator_class = BoundedLazyPaginator
    table_pagination = PAGINATION

    def get_queryset(self):
        return super().get_queryset().select_related("country", "adopting_body")


class OfficeListView(SingleTableMixin, FilterView):
    model = FieldOffice
    filterset_class = OfficeFilter
    table_class = OfficeTable
    template_name = "tracker/office_filter.html"
    paginator_class = BoundedLazyPaginator
    table_pagination = PAGINATION

    def get_queryset(self):
        return super().get_queryset().select_related("seat_country").prefetch_related("countries")


@require_safe
def cycle(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(
        ReportingCycle.objects.select_related("country", "mechanism").with_milestones(),
        pk=pk,
    )
    # In the order of the steps of a cycle: report, list of issues, replies, observations…
    documents = sorted(
        cycle.documents.prefetch_related("replies"),
        key=lambda document: (Document.Kind.values.index(document.kind), document.date or date.min),
    )
    lists_of_issues = [document for document in documents if document.is_list_of_issues]
    load_questions_and_answers(lists_of_issues)
    return render(
        request,
        "tracker/cycle_detail.html",
        {
            "cycle": cycle,
            "documents": documents,
            "lists_of_issues": [
                document.questions_and_answers(show=request.GET.get("show", ""))
                for document in lists_of_issues
            ],
        },
    )


# History pages name who changed what: for signed-in users only, whatever the public pages show.
@require_safe
@login_required
def cycle_history(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = get_object_or_404(ReportingCycle.objects.select_related("country", "mechanism"), pk=pk)
    return render(
        request,
        "tracker/history.html",
        {
            "subject": cycle,
            "entries": history_entries(cycle.history.select_related("history_user")),
            "parents": [(reverse("tracker:cycles"), _("Reporting cycles"))],
        },
    )


@require_safe
@login_required
def document_history(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("cycle__country", "cycle__mechanism"), pk=pk
    )
    parents = [(reverse("tracker:cycles"), _("Reporting cycles"))]
    if document.cycle:
        parents.append((document.cycle.get_absolute_url(), str(document.cycle)))
    return render(
        request,
        "tracker/history.html",
        {
            "subject": document,
            "entries": history_entries(document.history.select_related("history_user")),
            "parents": parents,
        },
    )


@require_safe
def document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(
        Document.objects.select_related("cycle__country", "cycle__mechanism", "answers"), pk=pk
    )
    return render(
        request,
        "tracker/document_detail.html",
        {
            "document": document,
            "sections": document.reply_sections.prefetch_related(
                "paragraphs", "tables", "issue_paragraphs"
            ),
            "paragraphs": document.issue_paragraphs.with_answers()
            if document.is_list_of_issues
            else [],
            "replies": document.replies.all(),
        },
    )


@require_safe
def framework(request: HttpRequest, pk: int) -> HttpResponse:
    programmes = Programme.objects.prefetch_related("partners", "countries")
    framework = get_object_or_404(
        CooperationFramework.objects.select_related(
            "organisation", "country", "adopting_body"
        ).prefetch_related("extensions", Prefetch("programmes", queryset=programmes), "priorities"),
        pk=pk,
    )
    return render(request, "tracker/framework_detail.html", {"framework": framework})


@require_safe
def office(request: HttpRequest, pk: int) -> HttpResponse:
    office = get_object_or_404(
        FieldOffice.objects.select_related("organisation", "seat_country").prefetch_related(
            "countries",
            Prefetch("presences", queryset=FieldPresence.objects.select_related("country")),
            Prefetch(
                "programming_cycles",
                queryset=ProgrammingCycle.objects.prefetch_related("priorities"),
            ),
            Prefetch("achievements", queryset=Achievement.objects.select_related("cycle")),
        ),
        pk=pk,
    )
    return render(request, "tracker/office_detail.html", {"office": office})


# Open to anonymous visitors, so that the sign-in page can be read in French.
@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also keeps a signed-in member's choice: the e-mails sent
    to them are written in it."""
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and language in dict(
        settings.LANGUAGES
    ):
        Membership.objects.filter(user=request.user).update(language=language)
    return i18n.set_language(request)
