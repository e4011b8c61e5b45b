"""Reporting cycles and what surrounds them: countries, organisations, mechanisms, cycles,
milestones, documents, lists of issues and replies, Council of Europe co-operation frameworks
and OHCHR field offices."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.parsing.common import ParagraphRef

LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
    ("zh", _("Chinese")),
]

SOURCE_HELP = _("Where this record comes from: a document symbol, a file name, a URL.")


class LocalName:
    """For reference lists that carry French and Russian names beside the English one."""

    # What a choice list reads of a record to show its name in any language.
    NAME_FIELDS = ("name", "name_fr", "name_ru")

    name: str
    name_fr: str
    name_ru: str

    @property
    def local_name(self) -> str:
        """The name in the language of the page, where it is known."""
        language = (get_language() or "en")[:2]
        if language not in ("fr", "ru"):
            return self.name
        return getattr(self, f"name_{language}") or self.name


class Country(LocalName, models.Model):
    code = models.CharField(_("ISO 3166 code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_fr = models.CharField(_("French name"), max_length=100, blank=True)
    name_ru = models.CharField(_("Russian name"), max_length=100, blank=True)
    aliases = models.JSONField(
        _("other names"),
        default=list,
        blank=True,
        help_text=_("Other spellings met in imported files, e.g. “Turkey” for Türkiye."),
    )
    un_member = models.BooleanField(_("UN member State"), default=True)
    region = models.CharField(_("UN regional group"), max_length=60, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.local_name


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        NHRI = "nhri", _("National human rights institution / ombudsman")
        GOVERNMENT = "government", _("Government body")
        UN = "un", _("UN body or agency")
        COE = "coe", _("Council of Europe")
        EU = "eu", _("European Union")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.ForeignKey(
        Country, models.PROTECT, null=True, blank=True, verbose_name=_("country")
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Mechanism(LocalName, models.Model):
    class Kind(models.TextChoices):
        TREATY_BODY = "treaty_body", _("Treaty body")
        UPR = "upr", _("Universal Periodic Review")
        SPECIAL_PROCEDURE = "special_procedure", _("Special procedure")
        COE = "coe", _("Council of Europe body")
        OHCHR_OFFICE = "ohchr_office", _("OHCHR field office")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    name_ru = models.CharField(_("Russian name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="mechanisms", verbose_name=_("organisation")
    )
    treaty = models.CharField(_("treaty"), max_length=300, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("mechanism")
        verbose_name_plural = _("mechanisms")

    def __str__(self) -> str:
        return f"{self.code} — {self.local_name}"


class ReportingCycleQuerySet(models.QuerySet):
    def with_milestones(self) -> ReportingCycleQuerySet:
        """The cycles with their milestones and how far each has got (`with_progress()`), so that
        `next_deadline`, `current_stage` and `timeline` ask nothing more."""
        return self.prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.with_progress())
        )


class ReportingCycle(models.Model):
    class Procedure(models.TextChoices):
        STANDARD = "standard", _("Standard")
        SIMPLIFIED = "simplified", _("Simplified (list of issues prior to reporting)")

    country = models.ForeignKey(Country, models.PROTECT, verbose_name=_("country"))
    mechanism = models.ForeignKey(Mechanism, models.PROTECT, verbose_name=_("mechanism"))
    label = models.CharField(
        _("label"), max_length=40, help_text=_("The report numbers, e.g. “5-6”, or the UPR cycle.")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    procedure = models.CharField(
        _("procedure"), max_length=20, choices=Procedure.choices, default=Procedure.STANDARD
    )
    is_current = models.BooleanField(
        _("current cycle"),
        default=True,
        help_text=_("The latest cycle of this mechanism for this country; marking one current "
                    "marks the others past."),
    )
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    objects = ReportingCycleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "mechanism__code", "-is_current", "label"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "mechanism", "label"], name="cycle_unique_label"
            ),
            models.UniqueConstraint(
                fields=["country", "mechanism"],
                condition=Q(is_current=True),
                name="cycle_one_current_per_mechanism",
                violation_error_message=_(
                    "This country already has a current cycle for this mechanism."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mechanism.code} {self.country} {self.label}"

    def get_absolute_url(self) -> str:
        return reverse("tracker:cycle", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            if self.is_current:
                ReportingCycle.objects.filter(
                    country_id=self.country_id, mechanism_id=self.mechanism_id, is_current=True
                ).exclude(pk=self.pk).update(is_current=False)
            super().save(*args, **kwargs)

    @property
    def next_deadline(self) -> Milestone | None:
        """The earliest milestone still pending (it may already be overdue).

        Read from `milestones.all()` so that lists which load the cycles `with_milestones()` ask
        nothing more.
        """
        pending = [m for m in self.milestones.all() if m.is_pending]
        return min(pending, key=lambda m: m.planned_date, default=None)

    @property
    def timeline(self) -> list[Milestone]:
        """The milestones in the order of the steps of a cycle."""
        return sorted(self.milestones.all(), key=lambda m: m.step)

    @property
    def current_stage(self) -> Milestone | None:
        """The furthest step reached: the done milestone latest in the cycle's order of steps."""
        done = [m for m in self.milestones.all() if m.is_done]
        return max(done, key=lambda m: (m.step, m.date_reached or datetime.date.min), default=None)


def _rank(field: str) -> Case:
    """The place in a cycle's order of steps of the milestone kind in `field`."""
    return Case(
        *(When(**{field: kind}, then=Value(rank)) for rank, kind in enumerate(Milestone.Kind.values)),
        output_field=IntegerField(),
    )


def _document_rank(end: int) -> Case:
    """The place of the first (`end=0`) or last (`end=1`) milestone kind a document dates."""
    return Case(
        *(
            When(kind=kind, then=Value(Milestone.Kind.values.index(kinds[end])))
            for kind, kinds in Milestone.DATED_BY.items()
        ),
        output_field=IntegerField(),
    )


class MilestoneQuerySet(models.QuerySet):
    def with_progress(self) -> MilestoneQuerySet:
        """Each milestone with `reached` and `reached_on`: the one home of the rule that says when
        a step is behind the cycle. A step is reached when it has its actual date, when a document
        of the cycle dates it (the replies date “Replies due”) or when a later step is reached
        (the replies are in, the concluding observations adopted): an overtaken step is never
        overdue. `reached_on` is the actual date, else the date of the document that dates it.
        The list of issues overtakes nothing: under the simplified procedure it comes first."""
        if "reached" in self.query.annotations:
            return self
        later = ~Q(kind=Milestone.Kind.LIST_OF_ISSUES_ADOPTED) & Q(rank__gt=OuterRef("rank"))
        done_later = (
            Milestone.objects.filter(cycle=OuterRef("cycle"), actual_date__isnull=False)
            .alias(rank=_rank("kind"))
            .filter(later)
        )
        documents = Document.objects.filter(cycle=OuterRef("cycle")).alias(
            first=_document_rank(0), last=_document_rank(1)
        )
        dating = documents.filter(first__lte=OuterRef("rank"), last__gte=OuterRef("rank"))
        overtaking = documents.exclude(kind__in=Document.LIST_OF_ISSUES_KINDS).filter(
            last__gt=OuterRef("rank")
        )
        dated = dating.filter(date__isnull=False).order_by("date").values("date")[:1]
        return self.alias(rank=_rank("kind")).annotate(
            reached=ExpressionWrapper(
                Q(actual_date__isnull=False)
                | Exists(dating)
                | Exists(overtaking)
                | Exists(done_later),
                output_field=BooleanField(),
            ),
            reached_on=Coalesce("actual_date", Subquery(dated)),
        )

    def pending(self) -> MilestoneQuerySet:
        """Milestones with a planned date that no step or document of the cycle has reached."""
        return self.with_progress().filter(reached=False, planned_date__isnull=False)

    def overdue(self, today: datetime.date | None = None) -> MilestoneQuerySet:
        return self.pending().filter(planned_date__lt=today or timezone.localdate())

    def due_within(self, days: int, today: datetime.date | None = None) -> MilestoneQuerySet:
        today = today or timezone.localdate()
        return self.pending().filter(
            planned_date__gte=today, planned_date__lte=today + datetime.timedelta(days=days)
        )


class Milestone(models.Model):
    # The order of the choices is the order of the steps in a cycle.
    class Kind(models.TextChoices):
        REPORT_DUE = "report_due", _("Report due")
        REPORT_SUBMITTED = "report_submitted", _("Report submitted")
        LIST_OF_ISSUES_ADOPTED = "loi_adopted", _("List of issues adopted")
        REPLIES_DUE = "replies_due", _("Replies due")
        REPLIES_SUBMITTED = "replies_submitted", _("Replies submitted")
        DIALOGUE = "dialogue", _("Constructive dialogue")
        CONCLUDING_OBSERVATIONS_ADOPTED = "co_adopted", _("Concluding observations adopted")
        FOLLOW_UP_DUE = "follow_up_due", _("Follow-up due")
        FOLLOW_UP_SUBMITTED = "follow_up_submitted", _("Follow-up submitted")
        NEXT_REPORT_DUE = "next_report_due", _("Next report due")

    # The first and last step each kind of document reaches and dates: the replies date both
    # “Replies due” and “Replies submitted”.
    DATED_BY = {
        "state_report": (Kind.REPORT_DUE, Kind.REPORT_SUBMITTED),
        "list_of_issues": (Kind.LIST_OF_ISSUES_ADOPTED, Kind.LIST_OF_ISSUES_ADOPTED),
        "list_of_issues_prior": (Kind.LIST_OF_ISSUES_ADOPTED, Kind.LIST_OF_ISSUES_ADOPTED),
        "replies": (Kind.REPLIES_DUE, Kind.REPLIES_SUBMITTED),
        "concluding_observations": (
            Kind.CONCLUDING_OBSERVATIONS_ADOPTED, Kind.CONCLUDING_OBSERVATIONS_ADOPTED
        ),
        "follow_up_report": (Kind.FOLLOW_UP_DUE, Kind.FOLLOW_UP_SUBMITTED),
    }

    cycle = models.ForeignKey(
        ReportingCycle, models.CASCADE, related_name="milestones", verbose_name=_("cycle")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    planned_date = models.DateField(_("planned date"), null=True, blank=True)
    actual_date = models.DateField(_("actual date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["cycle", F("planned_date").asc(nulls_last=True), "actual_date"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "kind"], name="milestone_unique_kind"),
            models.CheckConstraint(
                condition=Q(planned_date__isnull=False) | Q(actual_date__isnull=False),
                name="milestone_has_a_date",
                violation_error_message=_("A milestone needs a planned or an actual date."),
            ),
        ]
        indexes = [
            # The deadlines page and the dashboard's overdue list: pending milestones by date.
            models.Index(fields=["actual_date", "planned_date"], name="milestone_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle}: {self.get_kind_display()}"

    @property
    def step(self) -> int:
        return self.Kind.values.index(self.kind)

    def _progress(self) -> None:
        """Read `reached` and `reached_on` for a milestone loaded without `with_progress()`."""
        if not hasattr(self, "reached"):
            progress = Milestone.objects.with_progress().filter(pk=self.pk)
            self.reached, self.reached_on = progress.values_list("reached", "reached_on").get()

    @property
    def is_done(self) -> bool:
        self._progress()
        return self.reached

    @property
    def date_reached(self) -> datetime.date | None:
        """The actual date, or the date of the document that reached the step; None when neither
        gives one."""
        self._progress()
        return self.reached_on

    @property
    def is_pending(self) -> bool:
        return self.planned_date is not None and not self.is_done

    @property
    def is_overdue(self) -> bool:
        return self.is_pending and self.planned_date < timezone.localdate()

    @property
    def days_left(self) -> int | None:
        if not self.is_pending:
            return None
        return (self.planned_date - timezone.localdate()).days

    @property
    def days_late(self) -> int:
        """How many days after its planned date a done milestone was reached; 0 when on time."""
        reached = self.date_reached
        if reached and self.planned_date and reached > self.planned_date:
            return (reached - self.planned_date).days
        return 0

    @property
    def days_overdue(self) -> int:
        """How many days past its planned date a pending milestone is; 0 when it is not overdue."""
        return -self.days_left if self.is_overdue else 0


class Document(models.Model):
    class Kind(models.TextChoices):
        STATE_REPORT = "state_report", _("State report")
        LIST_OF_ISSUES = "list_of_issues", _("List of issues")
        LIST_OF_ISSUES_PRIOR = "list_of_issues_prior", _("List of issues prior to reporting")
        REPLIES = "replies", _("Replies to the list of issues")
        CONCLUDING_OBSERVATIONS = "concluding_observations", _("Concluding observations")
        FOLLOW_UP_REPORT = "follow_up_report", _("Follow-up report")
        ALTERNATIVE_REPORT = "alternative_report", _("Alternative report")
        NHRI_REPORT = "nhri_report", _("NHRI report")
        UPR_REPORT = "upr_report", _("UPR Working Group report")
        COOPERATION_DOCUMENT = "cooperation_document", _("Co-operation document")
        OHCHR_DOCUMENT = "ohchr_document", _("OHCHR document")

    cycle = models.ForeignKey(
        ReportingCycle,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("cycle"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    symbol = models.CharField(
        _("symbol"), max_length=60, blank=True, help_text=_("e.g. CRC/C/KAZ/Q/5-6")
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    received = models.DateField(
        _("date received"),
        null=True,
        blank=True,
        help_text=_("When the UN received the document from the State, e.g. its replies."),
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    original_language = models.CharField(
        _("original language"), max_length=2, choices=LANGUAGES, blank=True
    )
    url = models.URLField(_("URL"), max_length=500, blank=True)
    word_limit = models.PositiveIntegerField(_("word limit"), null=True, blank=True)
    answers = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("answers"),
        help_text=_("For replies: the list of issues they answer."),
    )
    source_name = models.CharField(
        _("source file"), max_length=255, blank=True, help_text=SOURCE_HELP
    )
    source_text = models.TextField(
        _("source text"), blank=True, help_text=_("The text this document was imported from.")
    )
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    # The imported text is kept once, on the document; its history records the metadata.
    history = HistoricalRecords(excluded_fields=["source_text"])

    class Meta:
        ordering = ["cycle", "date", "symbol"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["symbol"],
                condition=~Q(symbol=""),
                name="document_unique_symbol",
                violation_error_message=_("A document with this symbol already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.symbol or self.title or f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("tracker:document", args=[self.pk])

    LIST_OF_ISSUES_KINDS = [Kind.LIST_OF_ISSUES, Kind.LIST_OF_ISSUES_PRIOR]

    @property
    def is_list_of_issues(self) -> bool:
        return self.kind in self.LIST_OF_ISSUES_KINDS

    @property
    def reply_word_limit(self) -> int | None:
        """For replies: the word limit they must keep to, their own or the one the list they
        answer sets (“10,700 words maximum”)."""
        if self.word_limit:
            return self.word_limit
        return self.answers.word_limit if self.answers_id else None

    @property
    def words_over_limit(self) -> int:
        limit = self.reply_word_limit
        return max(self.word_count - limit, 0) if limit else 0

    @cached_property
    def word_count(self) -> int:
        """The words of the imported text: for replies, the headings, paragraphs and tables (a
        figure counts as one word, as word processors count it); for a list, its paragraphs.
        Uses prefetched sections, paragraphs and tables when present."""
        if self.is_list_of_issues:
            return sum(count_words(paragraph.text) for paragraph in self.issue_paragraphs.all())
        models.prefetch_related_objects([self], "reply_sections__paragraphs", "reply_sections__tables")
        return sum(section.word_count for section in self.reply_sections.all())


    def questions_and_answers(self, show: str = "") -> QuestionsAndAnswers:
        """For a list of issues: its paragraphs, which of its questions the replies leave
        unanswered or answer only by an annex, and the reply sections that answer no paragraph.
        `show` (an `Answer` status) narrows the paragraphs shown to the questions of that status.
        Reads what `load_questions_and_answers()` loaded beforehand."""
        paragraphs = list(self.issue_paragraphs.all())
        # Flags go on the questions themselves; a parent paragraph only introduces its
        # sub-paragraphs.
        questions = [paragraph for paragraph in paragraphs if not paragraph.children.all()]
        Answer = ListOfIssuesParagraph.Answer
        replies = list(self.replies.all())
        return QuestionsAndAnswers(
            document=self,
            show=show if show in QuestionsAndAnswers.FILTERS else "",
            paragraphs=paragraphs,
            questions=questions,
            unanswered=[q for q in questions if q.answer_status == Answer.UNANSWERED],
            annex_only=[q for q in questions if q.answer_status == Answer.ANNEX_ONLY],
            replies=replies,
            unlinked_sections=sorted(
                (
                    section
                    for reply in replies
                    for section in reply.reply_sections.all()
                    if not section.issue_paragraphs.all()
                ),
                key=lambda section: (section.document_id, section.order),
            ),
        )


@dataclass
class QuestionsAndAnswers:
    """What the cycle page shows of one list of issues (`Document.questions_and_answers()`)."""

    # The statuses the page can narrow the questions to.
    FILTERS = ["unanswered", "annex_only"]

    document: Document
    show: str
    paragraphs: list[ListOfIssuesParagraph]
    questions: list[ListOfIssuesParagraph]
    unanswered: list[ListOfIssuesParagraph]
    annex_only: list[ListOfIssuesParagraph]
    replies: list[Document]
    unlinked_sections: list[ReplySection]

    @property
    def text_imported(self) -> bool:
        return any(paragraph.text for paragraph in self.paragraphs)

    @cached_property
    def parts(self) -> list[tuple[str, list[list[ListOfIssuesParagraph]]]]:
        """The paragraphs shown, by part of the list (“Part I”, or "" when the list has none) and
        numbered paragraph: each group is a numbered paragraph and its sub-paragraphs, in order.
        Narrowed by `show`, a group keeps the questions of that status only."""
        shown = {q.pk for q in (self.unanswered if self.show == "unanswered" else self.annex_only)}
        parts: list[tuple[str, list[list[ListOfIssuesParagraph]]]] = []
        for paragraph in self.paragraphs:
            if self.show and paragraph.pk not in shown:
                continue
            if not parts or parts[-1][0] != paragraph.part:
                parts.append((paragraph.part, []))
            groups = parts[-1][1]
            if not groups or groups[-1][0].number != paragraph.number:
                groups.append([])
            groups[-1].append(paragraph)
        return parts


def count_words(text: str) -> int:
    """Runs of characters between spaces; a figure written with spaces between its thousands
    (“1 398”, as French texts write them) counts as one word."""
    return len(re.findall(r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\S+", text))


def load_questions_and_answers(lists_of_issues: list[Document]) -> None:
    """Load the paragraphs of the lists of issues and the sections of their (prefetched) replies
    in a fixed number of queries for all the lists at once, and link each paragraph to its
    sub-paragraphs and to the sections that answer it, so that `answer_status`,
    `first_issue_paragraph` and `word_count` ask nothing more. `with_answers()` does the same for
    one list but loads each level of sub-paragraphs and its sections again."""
    sections = ReplySection.objects.prefetch_related("paragraphs", "tables", "issue_paragraphs")
    models.prefetch_related_objects(
        lists_of_issues,
        "issue_paragraphs",
        Prefetch("replies__reply_sections", queryset=sections),
    )
    paragraphs = {p.pk: p for document in lists_of_issues for p in document.issue_paragraphs.all()}
    children: dict[int, list[ListOfIssuesParagraph]] = {pk: [] for pk in paragraphs}
    for paragraph in paragraphs.values():  # in order of sort_key, as children are listed
        if paragraph.parent_id in children:
            children[paragraph.parent_id].append(paragraph)
    answered_by: dict[int, list[ReplySection]] = {pk: [] for pk in paragraphs}
    for document in lists_of_issues:
        for reply in document.replies.all():
            for section in reply.reply_sections.all():
                # The list's own instances, which carry the links made here.
                answered = [paragraphs.get(p.pk, p) for p in section.issue_paragraphs.all()]
                _set_prefetched(section, "issue_paragraphs", answered)
                for paragraph in answered:
                    if paragraph.pk in answered_by:
                        answered_by[paragraph.pk].append(section)
    for pk, paragraph in paragraphs.items():
        _set_prefetched(paragraph, "children", children[pk])
        answering = sorted(answered_by[pk], key=lambda s: (s.document_id, s.order))
        _set_prefetched(paragraph, "reply_sections", answering)


def _set_prefetched(instance: models.Model, name: str, objects: list) -> None:
    """Store `objects` as the prefetched value of the relation `name`, as prefetch_related
    does, for relations linked from rows already loaded rather than by another query."""
    # From the model's manager: a related manager costs more to build than the rest together.
    queryset = instance._meta.get_field(name).related_model._default_manager.all()
    queryset._result_cache, queryset._prefetch_done = objects, True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[name] = queryset


class ListOfIssuesParagraphQuerySet(models.QuerySet):
    def with_answers(self) -> ListOfIssuesParagraphQuerySet:
        """Each paragraph with the reply sections that answer it (their paragraphs, tables and the
        paragraphs they answer), and its sub-paragraphs with theirs, which decide whether a parent
        counts as answered: a fixed number of queries however long the list."""
        sections = ReplySection.objects.prefetch_related("paragraphs", "tables")
        return self.prefetch_related(
            Prefetch("reply_sections", queryset=sections.prefetch_related("issue_paragraphs")),
            Prefetch("children__reply_sections", queryset=sections),
            Prefetch("children__children__reply_sections", queryset=sections),
        )


class ListOfIssuesParagraph(models.Model):
    class Answer(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        PARTLY_ANSWERED = "partly_answered", _("Partly answered")
        ANNEX_ONLY = "annex_only", _("Only a pointer to an annex")
        UNANSWERED = "unanswered", _("No answer")

    document = models.ForeignKey(
        Document, models.CASCADE, related_name="issue_paragraphs", verbose_name=_("list of issues")
    )
    part = models.CharField(_("part"), max_length=60, blank=True)
    number = models.PositiveIntegerField(_("number"))
    letter = models.CharField(_("letter"), max_length=2, blank=True)
    roman = models.CharField(_("roman numeral"), max_length=6, blank=True)
    label = models.CharField(_("label"), max_length=30, editable=False)
    sort_key = models.PositiveIntegerField(editable=False, db_index=True)
    parent = models.ForeignKey(
        "self",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent paragraph"),
    )
    text = models.TextField(
        _("text"), blank=True, help_text=_("Empty until the list itself is imported.")
    )

    objects = ListOfIssuesParagraphQuerySet.as_manager()

    class Meta:
        ordering = ["document", "sort_key"]
        verbose_name = _("list-of-issues paragraph")
        verbose_name_plural = _("list-of-issues paragraphs")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number", "letter", "roman"],
                name="issue_paragraph_unique_number",
                violation_error_message=_("This list of issues already has this paragraph."),
            ),
            models.CheckConstraint(
                condition=Q(roman="") | ~Q(letter=""),
                name="issue_paragraph_roman_needs_letter",
                violation_error_message=_("A roman sub-paragraph needs a letter."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} § {self.label}"

    @property
    def ref(self) -> ParagraphRef:
        return ParagraphRef(self.number, self.letter, self.roman)

    @property
    def depth(self) -> int:
        """0 for a numbered paragraph, 1 for a lettered one, 2 for a roman one."""
        return 2 if self.roman else 1 if self.letter else 0

    @property
    def anchor(self) -> str:
        """The HTML id of the paragraph in the questions-and-answers view, e.g. “q-13-a-ii”."""
        return "-".join(part for part in ["q", str(self.number), self.letter, self.roman] if part)

    @cached_property
    def answer_status(self) -> str:
        """Whether the replies answer this paragraph. A reply section that only points to an annex
        does not count as an answer; a paragraph with sub-paragraphs is answered when all of them
        are, partly answered when some are. Uses prefetched data (`with_answers()`) when present."""
        sections = self.reply_sections.all()
        if any(not section.is_annex_pointer for section in sections):
            return self.Answer.ANSWERED
        # A roman sub-paragraph is the deepest level: it has no sub-paragraphs to ask about.
        statuses = set() if self.roman else {child.answer_status for child in self.children.all()}
        if not statuses or statuses == {self.Answer.UNANSWERED}:
            return self.Answer.ANNEX_ONLY if sections else self.Answer.UNANSWERED
        if len(statuses) == 1:
            return statuses.pop()
        return self.Answer.PARTLY_ANSWERED

    def get_answer_status_display(self) -> str:
        return self.Answer(self.answer_status).label

    @property
    def is_answered(self) -> bool:
        return self.answer_status == self.Answer.ANSWERED

    def save(self, *args, **kwargs) -> None:
        self.label = self.ref.label
        self.sort_key = paragraph_sort_key(self.ref)
        super().save(*args, **kwargs)


ROMANS = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii",
          "xiv", "xv", "xvi", "xvii", "xviii", "xix", "xx"]


def paragraph_sort_key(ref: ParagraphRef) -> int:
    """An integer that orders 2 < 2 (a) < 2 (a) (ii) < 2 (b) < 10, roman numerals numerically."""
    letter = ord(ref.letter) - ord("a") + 1 if ref.letter else 0
    roman = ROMANS.index(ref.roman) if ref.roman in ROMANS else 99
    return ref.number * 10_000 + letter * 100 + roman


# A reply that says no more than where to look: “Annexe 1.”, “Voir l’annexe II”, “See annex 2.”
ANNEX_POINTER = re.compile(
    r"(?:(?:voir|see|cf\.?)\s+(?:l['’]\s*|les\s+|the\s+)?)?annex(?:e|es)?"
    r"(?:\s*[0-9ivxlIVXL]+(?:\s*(?:,|et|and|à|to|-|–)\s*[0-9ivxlIVXL]+)*)?\s*\.?",
    re.IGNORECASE,
)


class ReplySection(models.Model):
    document = models.ForeignKey(
        Document, models.CASCADE, related_name="reply_sections", verbose_name=_("replies")
    )
    order = models.PositiveIntegerField(_("order"))
    heading = models.CharField(_("heading as printed"), max_length=500)
    text = models.TextField(
        _("unnumbered text"), blank=True, help_text=_("Text of the section outside numbered paragraphs.")
    )
    issue_paragraphs = models.ManyToManyField(
        ListOfIssuesParagraph,
        blank=True,
        related_name="reply_sections",
        verbose_name=_("answers list-of-issues paragraphs"),
    )

    class Meta:
        ordering = ["document", "order"]
        verbose_name = _("reply section")
        verbose_name_plural = _("reply sections")
        constraints = [
            models.UniqueConstraint(fields=["document", "order"], name="reply_section_unique_order"),
        ]

    def __str__(self) -> str:
        return self.heading

    @cached_property
    def is_annex_pointer(self) -> bool:
        """Whether the section says nothing but where an annex is (“Annexe 1.”): no table and no
        text beyond the pointer. Uses prefetched paragraphs and tables when present."""
        texts = [text.strip() for text in [self.text, *(p.text for p in self.paragraphs.all())]]
        texts = [text for text in texts if text]
        return (
            bool(texts)
            and not self.tables.all()
            and all(ANNEX_POINTER.fullmatch(text) for text in texts)
        )

    @property
    def word_count(self) -> int:
        """The words of its heading, text, paragraphs and tables (see `Document.word_count`)."""
        words = count_words(self.heading) + count_words(self.text)
        words += sum(count_words(paragraph.text) for paragraph in self.paragraphs.all())
        return words + sum(table.word_count for table in self.tables.all())

    @property
    def first_issue_paragraph(self) -> ListOfIssuesParagraph | None:
        """The first list-of-issues paragraph the section answers: the questions-and-answers view
        shows the section there in full and refers to it under the others."""
        return next(iter(self.issue_paragraphs.all()), None)


class ReplyParagraph(models.Model):
    section = models.ForeignKey(
        ReplySection, models.CASCADE, related_name="paragraphs", verbose_name=_("section")
    )
    # Kept beside the section so the database can hold paragraph numbers unique per document.
    document = models.ForeignKey(
        Document, models.CASCADE, related_name="reply_paragraphs", editable=False
    )
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["document", "number"]
        verbose_name = _("reply paragraph")
        verbose_name_plural = _("reply paragraphs")
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"],
                name="reply_paragraph_unique_number",
                violation_error_message=_("These replies already have a paragraph with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} ¶ {self.number}"

    def save(self, *args, **kwargs) -> None:
        self.document_id = self.section.document_id
        super().save(*args, **kwargs)

    @property
    def picker_label(self) -> str:
        """How the evidence picker names it: number, first words and section heading, in that
        order since a narrow picker shows only the beginning. Reads the section: select it with
        the paragraph."""
        heading = Truncator(self.section.heading).chars(60)
        return f"¶ {self.number} — {Truncator(self.text).words(12)} ({heading})"

    def relevance(self, words: list[str]) -> int:
        """How well the paragraph matches the words searched (see `search_words`): the number of
        its words, heading included, that begin with one of them; 0 unless every one is found."""
        found = search_words(f"{self.section.heading} {self.text}")
        counts = [sum(1 for w in found if w.startswith(word)) for word in words]
        return sum(counts) if counts and all(counts) else 0


def search_words(text: str) -> list[str]:
    """The words of a text as searches compare them: lower case, without accents (“Enfants” and
    “enfant” are alike, “éducation” and “education”), apostrophes splitting “l'enfant”."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.findall(r"\w+", plain)


class StatisticalTable(models.Model):
    section = models.ForeignKey(
        ReplySection, models.CASCADE, related_name="tables", verbose_name=_("section")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    caption = models.CharField(_("caption"), max_length=500, blank=True)
    columns = models.JSONField(_("column headers"), default=list, blank=True)
    rows = models.JSONField(
        _("rows"),
        default=list,
        blank=True,
        help_text=_('A list of {"label": …, "cells": [original text …], "values": [number or null …]}.'),
    )

    class Meta:
        ordering = ["section", "order"]
        verbose_name = _("statistical table")
        verbose_name_plural = _("statistical tables")

    def __str__(self) -> str:
        return self.caption or _("Table %(order)s") % {"order": self.order + 1}

    @property
    def word_count(self) -> int:
        """Caption, headers and row labels word by word; a figure in a cell counts as one word."""
        words = count_words(self.caption) + sum(count_words(column) for column in self.columns)
        for row in self.rows:
            words += count_words(row["label"]) + sum(1 for cell in row["cells"] if cell.strip())
        return words

    @property
    def header_row(self) -> list[str]:
        """The column headers, one per cell of a row plus one for the row labels' column."""
        width = max((len(row["cells"]) for row in self.rows), default=0) + 1
        columns = [str(column) for column in self.columns][-width:]
        return [""] * (width - len(columns)) + columns

    def trend(self) -> Trend | None:
        """The table read as figures over years, when it has them: years down the first column
        (a series per column) or across the header (a series per row); None for other tables."""
        width = max((len(row["values"]) for row in self.rows), default=0)
        headers = [str(column).strip() for column in self.columns[len(self.columns) - width:]]
        if len(headers) != width:
            headers = [""] * width
        labels = [row["label"].strip() for row in self.rows]
        if len(labels) >= 2 and all(YEAR.fullmatch(label) for label in labels):
            years = [int(label) for label in labels]
            series = [
                (headers[i], [(row["values"] + [None] * width)[i] for row in self.rows])
                for i in range(width)
            ]
        elif width >= 2 and all(YEAR.fullmatch(header) for header in headers):
            years = [int(header) for header in headers]
            series = [(row["label"], (row["values"] + [None] * width)[:width]) for row in self.rows]
        else:
            return None
        # A series with a single figure shows no trend.
        series = [
            (name, values) for name, values in series if sum(v is not None for v in values) >= 2
        ]
        if years != sorted(set(years)) or not series:
            return None
        return Trend(years, series)


YEAR = re.compile(r"(?:19|20)\d\d")


@dataclass
class Trend:
    """Figures over years: the years, then each series' name and values (None where missing)."""

    years: list[int]
    series: list[tuple[str, list[float | None]]]


class DatedPeriod(models.Model):
    """A start and an end date, the end never before the start."""

    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="%(class)s_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]


class CooperationFramework(DatedPeriod):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Under discussion")
        IN_FORCE = "in_force", _("In force")
        EXTENDED = "extended", _("Extended")
        COMPLETED = "completed", _("Completed")
        EXPIRED = "expired", _("Expired")

    organisation = models.ForeignKey(Organisation, models.PROTECT, verbose_name=_("organisation"))
    country = models.ForeignKey(Country, models.PROTECT, verbose_name=_("country"))
    title = models.CharField(_("title"), max_length=500)
    original_title = models.CharField(_("title in the original language"), max_length=500, blank=True)
    adopting_body = models.ForeignKey(
        Mechanism, models.PROTECT, verbose_name=_("adopting body")
    )
    meeting = models.CharField(_("meeting"), max_length=100, blank=True)
    adoption_date = models.DateField(_("adoption date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    summary = models.TextField(_("summary"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    class Meta(DatedPeriod.Meta):
        ordering = ["country__name", "-adoption_date"]
        verbose_name = _("co-operation framework")
        verbose_name_plural = _("co-operation frameworks")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("tracker:framework", args=[self.pk])

    @property
    def current_end_date(self) -> datetime.date | None:
        """The end as last extended."""
        last = self.extensions.order_by("date").last()
        return last.new_end_date if last else self.end_date

    @property
    def countries_covered(self) -> list[Country]:
        """The framework's country and those its programmes cover, by name."""
        countries = {self.country, *(c for p in self.programmes.all() for c in p.countries.all())}
        return sorted(countries, key=lambda country: country.name)

    def timeline(self) -> list[TimelineEvent]:
        """Adoption, period, extensions and programmes in date order, for one timeline. Reads
        `extensions.all()` and `programmes.all()`, so a view can prefetch them."""
        Event = TimelineEvent
        events = [
            Event(self.adoption_date, Event.Kind.ADOPTED, self),
            Event(self.start_date, Event.Kind.STARTS, self),
            Event(self.end_date, Event.Kind.ENDS, self),
        ]
        events += [Event(extension.date, Event.Kind.EXTENDED, extension)
                   for extension in self.extensions.all()]
        for programme in self.programmes.all():
            events += [Event(programme.start_date, Event.Kind.PROGRAMME_STARTS, programme),
                       Event(programme.end_date, Event.Kind.PROGRAMME_ENDS, programme)]
        order = list(Event.Kind)
        return sorted(
            (event for event in events if event.date), key=lambda e: (e.date, order.index(e.kind))
        )


@dataclass
class TimelineEvent:
    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("Adopted")
        STARTS = "starts", _("Period begins")
        PROGRAMME_STARTS = "programme_starts", _("Programme begins")
        EXTENDED = "extended", _("Extended")
        PROGRAMME_ENDS = "programme_ends", _("Programme ends")
        ENDS = "ends", _("Period ends as adopted")

    date: datetime.date | None
    kind: str
    subject: models.Model


class FrameworkExtension(models.Model):
    framework = models.ForeignKey(
        CooperationFramework, models.CASCADE, related_name="extensions", verbose_name=_("framework")
    )
    date = models.DateField(_("date"))
    meeting = models.CharField(_("meeting"), max_length=100, blank=True)
    new_end_date = models.DateField(_("new end date"))
    note = models.TextField(_("note"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    class Meta:
        ordering = ["framework", "date"]
        verbose_name = _("framework extension")
        verbose_name_plural = _("framework extensions")
        constraints = [
            models.CheckConstraint(
                condition=Q(new_end_date__gte=F("date")),
                name="extension_ends_after_decision",
                violation_error_message=_("An extension cannot end before it was decided."),
            ),
        ]

    def __str__(self) -> str:
        return _("Extended on %(date)s to %(end)s") % {"date": self.date, "end": self.new_end_date}


class Programme(DatedPeriod):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")

    framework = models.ForeignKey(
        CooperationFramework,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("framework"),
    )
    title = models.CharField(_("title"), max_length=500)
    original_title = models.CharField(_("title in the original language"), max_length=500, blank=True)
    partners = models.ManyToManyField(Organisation, blank=True, verbose_name=_("partners"))
    budget_amount = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. EUR"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, blank=True)
    countries = models.ManyToManyField(
        Country, blank=True, related_name="programmes", verbose_name=_("countries covered")
    )
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    class Meta(DatedPeriod.Meta):
        ordering = ["start_date", "title"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = DatedPeriod.Meta.constraints + [
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_amount__gte=0),
                name="programme_budget_not_negative",
                violation_error_message=_("A budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | ~Q(currency=""),
                name="programme_budget_has_currency",
                violation_error_message=_("A budget needs its currency."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def budget_display(self) -> str:
        """The budget as the active language writes it: “EUR 2,000,000”, “2 000 000 EUR”."""
        if self.budget_amount is None:
            return ""
        whole = self.budget_amount == self.budget_amount.to_integral_value()
        amount = formats.number_format(
            self.budget_amount, decimal_pos=0 if whole else 2, use_l10n=True, force_grouping=True
        )
        # Translators: a budget; in French the currency code follows the amount.
        return gettext("%(currency)s %(amount)s") % {"currency": self.currency, "amount": amount}


class FieldOffice(models.Model):
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="field_offices", verbose_name=_("organisation")
    )
    mechanism = models.ForeignKey(
        Mechanism,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("mechanism"),
        help_text=_("The mechanism its thematic priorities are recorded under."),
    )
    name = models.CharField(_("name"), max_length=200, unique=True)
    original_name = models.CharField(_("name in the original language"), max_length=300, blank=True)
    seat_city = models.CharField(_("seat"), max_length=100)
    seat_country = models.ForeignKey(
        Country, models.PROTECT, related_name="+", verbose_name=_("seat country")
    )
    year_founded = models.PositiveSmallIntegerField(_("year founded"), null=True, blank=True)
    countries = models.ManyToManyField(
        Country, related_name="field_offices", verbose_name=_("countries covered")
    )
    mandate_reference = models.TextField(_("mandate"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field office")
        verbose_name_plural = _("field offices")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tracker:office", args=[self.pk])


class FieldPresence(models.Model):
    office = models.ForeignKey(
        FieldOffice, models.CASCADE, related_name="presences", verbose_name=_("office")
    )
    city = models.CharField(_("city"), max_length=100)
    country = models.ForeignKey(Country, models.PROTECT, verbose_name=_("country"))

    class Meta:
        ordering = ["office", "country__name", "city"]
        verbose_name = _("field presence")
        verbose_name_plural = _("field presences")
        constraints = [
            models.UniqueConstraint(fields=["office", "city"], name="presence_unique_city"),
        ]

    def __str__(self) -> str:
        return f"{self.city} ({self.country})"


class ProgrammingCycle(models.Model):
    office = models.ForeignKey(
        FieldOffice, models.CASCADE, related_name="programming_cycles", verbose_name=_("office")
    )
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    class Meta:
        ordering = ["office", "start_year"]
        verbose_name = _("programming cycle")
        verbose_name_plural = _("programming cycles")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "start_year", "end_year"], name="programming_cycle_unique_period"
            ),
            models.CheckConstraint(
                condition=Q(end_year__gte=F("start_year")),
                name="programming_cycle_ends_after_start",
                violation_error_message=_("The last year cannot be before the first."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office} {self.period}"

    @property
    def period(self) -> str:
        return f"{self.start_year}-{self.end_year}"


class Achievement(models.Model):
    office = models.ForeignKey(
        FieldOffice, models.CASCADE, related_name="achievements", verbose_name=_("office")
    )
    cycle = models.ForeignKey(
        ProgrammingCycle,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="achievements",
        verbose_name=_("programming cycle"),
    )
    text = models.TextField(_("text"))
    order = models.PositiveIntegerField(_("order"), default=0)
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    class Meta:
        ordering = ["office", "order"]
        verbose_name = _("achievement")
        verbose_name_plural = _("achievements")

    def __str__(self) -> str:
        return self.text[:80]
