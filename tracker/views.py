"""The reporting-cycle pages: cycles with their questions and answers, documents, deadlines,
Council of Europe co-operation frameworks and OHCHR field offices."""

from __future__ import annotations

from datetime import date

import icalendar
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_safe
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from tracker.deadlines import (
    Deadline,
    MergedDeadlines,
    calendar_token,
    countries_followed,
    deadlines,
    follow_ups_due,
    pending_milestones,
    read_calendar_token,
)
from tracker.filters import CycleFilter, DeadlineFilter, FrameworkFilter, OfficeFilter
from tracker.history import history_entries
from tracker.models import (
    Achievement,
    CooperationFramework,
    Country,
    Document,
    FieldOffice,
    FieldPresence,
    ListOfIssuesParagraph,
    Membership,
    Programme,
    ProgrammingCycle,
    ReportingCycle,
    load_questions_and_answers,
)
from tracker.tables import (
    BoundedLazyPaginator,
    CycleTable,
    DeadlineTable,
    FrameworkTable,
    MergedData,
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


class DeadlineListView(SingleTableMixin, FilterView):
    filterset_class = DeadlineFilter
    table_class = DeadlineTable
    template_name = "tracker/deadline_filter.html"
    paginator_class = BoundedLazyPaginator
    table_pagination = PAGINATION

    def get_queryset(self):
        return pending_milestones()

    def get_table_data(self) -> MergedData:
        # FilterView filtered the milestones into object_list; the same filters narrow the
        # follow-ups, and the page merges both.
        follow_ups = follow_ups_due()
        if self.filterset.is_bound:
            if self.filterset.is_valid():
                follow_ups = self.filterset.filter_queryset(follow_ups)
            else:
                follow_ups = follow_ups.none()
        return MergedData(MergedDeadlines(self.object_list, follow_ups))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_authenticated:
            # The signed-in user's subscription URLs: their own feed and one per country.
            context["calendar_url"] = self.request.build_absolute_uri(
                reverse("tracker:calendar-user", args=[calendar_token(user=user.pk)])
            )
            context["country_calendars"] = [
                (country, self.request.build_absolute_uri(
                    reverse("tracker:calendar-country", args=[calendar_token(country=country.code)])
                ))
                for country in countries_followed(user)
            ]
        return context


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


def _questions_and_answers(list_of_issues: Document) -> dict:
    """What the questions-and-answers view shows for one list of issues, loaded beforehand by
    `load_questions_and_answers()`."""
    paragraphs = list(list_of_issues.issue_paragraphs.all())
    # Flags go on the questions themselves; a parent paragraph only introduces its sub-paragraphs.
    questions = [paragraph for paragraph in paragraphs if not paragraph.children.all()]
    Answer = ListOfIssuesParagraph.Answer
    replies = list_of_issues.replies.all()
    return {
        "document": list_of_issues,
        "paragraphs": paragraphs,
        "text_imported": any(paragraph.text for paragraph in paragraphs),
        "questions": questions,
        "unanswered": [q for q in questions if q.answer_status == Answer.UNANSWERED],
        "annex_only": [q for q in questions if q.answer_status == Answer.ANNEX_ONLY],
        "replies": replies,
        "unlinked_sections": sorted(
            (
                section
                for reply in replies
                for section in reply.reply_sections.all()
                if not section.issue_paragraphs.all()
            ),
            key=lambda section: (section.document_id, section.order),
        ),
    }


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
            "lists_of_issues": [_questions_and_answers(document) for document in lists_of_issues],
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


# Calendar apps poll this UID to update an event rather than add it again.
CALENDAR_UID_DOMAIN = "reporting-cycle-tracker"


def _calendar_response(request: HttpRequest, name: str, found: list[Deadline]) -> HttpResponse:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Reporting cycle tracker//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    now = timezone.now()
    for deadline in found:
        url = request.build_absolute_uri(deadline.url)
        event = icalendar.Event()
        event.add("uid", f"{deadline.uid}@{CALENDAR_UID_DOMAIN}")
        event.add("dtstamp", now)
        # A date, not a date-time: an all-day event.
        event.add("dtstart", deadline.date)
        event.add("summary", deadline.summary)
        event.add("description", "\n\n".join(part for part in [deadline.description, url] if part))
        event.add("url", url)
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


# Calendar apps cannot sign in: the signed token is the credential, whatever TRACKER_PUBLIC_READ.
@require_safe
@login_not_required
def calendar_user(request: HttpRequest, token: str) -> HttpResponse:
    """The deadlines of a user's countries. No login: the signed token is the credential."""
    user = get_object_or_404(
        get_user_model(), pk=read_calendar_token(token, "user"), is_active=True
    )
    name = _("Deadlines for %(user)s") % {"user": user.get_username()}
    return _calendar_response(request, name, deadlines(countries_followed(user)))


@require_safe
@login_not_required
def calendar_country(request: HttpRequest, token: str) -> HttpResponse:
    """The deadlines of one country. No login: the signed token is the credential."""
    code = read_calendar_token(token, "country")
    if code is None:
        raise Http404
    country = get_object_or_404(Country, code=code)
    name = _("Deadlines: %(country)s") % {"country": country}
    return _calendar_response(
        request, name, deadlines(Country.objects.filter(pk=country.pk))
    )


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
