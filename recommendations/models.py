"""Recommendations, their taxonomies, the measures that implement them and their follow-up."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import groupby

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models import (
    LocalName,
    SOURCE_HELP,
    CooperationFramework,
    Country,
    Document,
    ListOfIssuesParagraph,
    Mechanism,
    Membership,
    Organisation,
    ProgrammingCycle,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
)


class Theme(LocalName, models.Model):
    class Taxonomy(models.TextChoices):
        UHRI = "uhri", _("Universal Human Rights Index")
        CRC_CLUSTER = "crc-cluster", _("CRC cluster")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    taxonomy = models.CharField(_("taxonomy"), max_length=20, choices=Taxonomy.choices)
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children",
        verbose_name=_("category"),
    )

    class Meta:
        ordering = ["taxonomy", "code"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.local_name


class SustainableDevelopmentGoal(models.Model):
    code = models.CharField(_("code"), max_length=6, unique=True, help_text=_("“16” or “16.3”"))
    title = models.TextField(_("title"))
    goal = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="targets",
        verbose_name=_("goal"), help_text=_("Empty for a goal; the goal for a target."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Sustainable Development Goal or target")
        verbose_name_plural = _("Sustainable Development Goals and targets")

    def __str__(self) -> str:
        prefix = _("Target") if self.goal_id else _("Goal")
        return f"{prefix} {self.code}"


class AffectedGroup(LocalName, models.Model):
    code = models.CharField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("affected group")
        verbose_name_plural = _("affected groups")

    def __str__(self) -> str:
        return self.local_name


class Status(models.TextChoices):
    """What is known of a recommendation's implementation."""

    NO_INFORMATION = "no_information", _("No information")
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY_IMPLEMENTED = "partially_implemented", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOT_IMPLEMENTED = "not_implemented", _("Not implemented / regressed")


# A recommendation's overall status adds one value to an assessment's: accepted entries disagree.
DISPUTED = "disputed"
OVERALL_STATUS_CHOICES = Status.choices + [(DISPUTED, _("Disputed"))]


class Role:
    """The groups migration 0002_roles creates; what each may do is decided by the methods below
    (Recommendation.can_log, FollowUpAssessment.can_edit, …), never in views or templates."""

    NGO_STAFF = "NGO staff"
    REVIEWER = "Reviewer"
    DATA_ENTRY = "Data entry"
    VIEWER = "Viewer"


def has_role(user, *roles: str) -> bool:
    """Whether the signed-in user is in one of the roles; a superuser has every role."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=roles).exists()


def organisation_of(user) -> Organisation | None:
    """The organisation whose follow-up the user writes, or None without a membership."""
    if not user.is_authenticated:
        return None
    try:
        return user.membership.organisation
    except Membership.DoesNotExist:
        return None


# Full-text search reads every text both as French and as English, so words of either language
# find it. Migration 0004_search_indexes builds PostgreSQL's GIN indexes on this same expression.
SEARCH_CONFIGS = ("french", "english")


def search_vector(*fields: str) -> SearchVector:
    return reduce(operator.add, [SearchVector(*fields, config=config) for config in SEARCH_CONFIGS])


def search_query(text: str) -> SearchQuery:
    # websearch syntax accepts anything a person types ("quoted phrases", -excluded, or).
    return reduce(
        operator.or_,
        [SearchQuery(text, config=config, search_type="websearch") for config in SEARCH_CONFIGS],
    )


def text_search(queryset: models.QuerySet, fields: Sequence[str], text: str) -> models.QuerySet:
    """Rows whose `fields` hold the words of `text`.

    On PostgreSQL: full-text search (stemmed, indexed), best match first. Elsewhere (SQLite):
    rows where each word appears in one of the fields, in the queryset's own order.
    """
    words = text.split()
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        vector, query = search_vector(*fields), search_query(text)
        return (
            queryset.alias(search_document=vector)
            .filter(search_document=query)
            .annotate(search_rank=SearchRank(vector, query))
            .order_by("-search_rank", "pk")
        )
    matches = [
        reduce(operator.or_, [Q(**{f"{field}__icontains": word}) for field in fields])
        for word in words
    ]
    return queryset.filter(*matches)


class RecommendationQuerySet(models.QuerySet):
    def current(self) -> RecommendationQuerySet:
        """Recommendations of current cycles, and those that belong to no cycle (frameworks, offices)."""
        return self.filter(Q(cycle__isnull=True) | Q(cycle__is_current=True))

    def for_list(self) -> RecommendationQuerySet:
        return self.select_related("country", "mechanism", "cycle", "document")

    def for_detail(self) -> RecommendationQuerySet:
        """Everything the recommendation page shows, in a fixed number of queries."""
        return self.select_related(
            "country", "mechanism", "cycle", "document", "framework",
            "programming_cycle__office", "position_document", "previous__cycle",
        ).prefetch_related(
            "themes", "goals", "affected_groups", "recommending_states",
            models.Prefetch(
                "issue_paragraphs",
                ListOfIssuesParagraph.objects.select_related("document__cycle"),
            ),
            models.Prefetch(
                "reply_sections",
                ReplySection.objects.select_related("document__cycle")
                .prefetch_related("paragraphs"),
            ),
            models.Prefetch("measures", Measure.objects.select_related("responsible")),
        )

    def for_export(self) -> RecommendationQuerySet:
        """What a download writes for each row; the many-to-many values come in per chunk when
        the queryset is read with iterator(chunk_size=…)."""
        return self.select_related("country", "mechanism", "cycle", "document").prefetch_related(
            "themes", "goals", "affected_groups", "recommending_states"
        )

    def search(self, text: str) -> RecommendationQuerySet:
        return text_search(self, ["text"], text)

    def with_theme(self, theme: Theme) -> RecommendationQuerySet:
        """Recommendations filed under the theme or, for a category, under one of its themes."""
        through = Recommendation.themes.through.objects.filter(recommendation=OuterRef("pk"))
        return self.filter(Exists(through.filter(Q(theme=theme) | Q(theme__parent=theme))))

    def with_goal(self, goal: SustainableDevelopmentGoal) -> RecommendationQuerySet:
        """Recommendations tagged with the goal or target; a goal also matches its targets."""
        through = Recommendation.goals.through.objects.filter(recommendation=OuterRef("pk"))
        return self.filter(
            Exists(through.filter(
                Q(sustainabledevelopmentgoal=goal) | Q(sustainabledevelopmentgoal__goal=goal)
            ))
        )

    def with_affected_group(self, group: AffectedGroup) -> RecommendationQuerySet:
        through = Recommendation.affected_groups.through.objects.filter(
            recommendation=OuterRef("pk")
        )
        return self.filter(Exists(through.filter(affectedgroup=group)))

    def recommended_by(self, state: Country) -> RecommendationQuerySet:
        through = Recommendation.recommending_states.through.objects.filter(
            recommendation=OuterRef("pk")
        )
        return self.filter(Exists(through.filter(country=state)))

    def with_follow_up(self, logged: bool = True) -> RecommendationQuerySet:
        """Recommendations with (or, logged=False, without) any follow-up entry beyond drafts."""
        entries = Exists(FollowUpAssessment.objects.public().filter(recommendation=OuterRef("pk")))
        return self.filter(entries if logged else ~entries)

    def assessed_by(self, organisation: Organisation, status: str = "") -> RecommendationQuerySet:
        """Recommendations the organisation has followed up; with a status, those whose latest
        non-draft entry from that organisation gives it."""
        entries = FollowUpAssessment.objects.public().filter(organisation=organisation)
        if status:
            entries = entries.latest_per_organisation().filter(status=status)
        return self.filter(pk__in=entries.values("recommendation"))

    def status_counts(self) -> models.QuerySet:
        """Rows of (mechanism code, status, count), read from the maintained status column
        rather than the follow-up history."""
        return (
            self.order_by()
            .values("mechanism__code", "status")
            .annotate(count=Count("pk"))
            .order_by("mechanism__code", "status")
        )


class Recommendation(models.Model):
    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", _("Recommendation")
        COOPERATION_PRIORITY = "cooperation_priority", _("Co-operation priority")
        THEMATIC_PRIORITY = "thematic_priority", _("Thematic priority")
        COMMITMENT = "commitment", _("Commitment")

    class Position(models.TextChoices):
        SUPPORTED = "supported", _("Supported")
        SUPPORTED_IN_PART = "supported_in_part", _("Supported in part")
        NOTED = "noted", _("Noted")

    mechanism = models.ForeignKey(Mechanism, models.PROTECT, verbose_name=_("mechanism"))
    country = models.ForeignKey(
        Country, models.PROTECT, null=True, blank=True, related_name="recommendations",
        verbose_name=_("country"),
        help_text=_("Empty for a regional priority that concerns all the countries an office covers."),
    )
    cycle = models.ForeignKey(
        ReportingCycle, models.PROTECT, null=True, blank=True, related_name="recommendations",
        verbose_name=_("cycle"),
    )
    document = models.ForeignKey(
        Document, models.PROTECT, null=True, blank=True, related_name="recommendations",
        verbose_name=_("source document"),
    )
    framework = models.ForeignKey(
        CooperationFramework, models.CASCADE, null=True, blank=True,
        related_name="priorities", verbose_name=_("co-operation framework"),
    )
    programming_cycle = models.ForeignKey(
        ProgrammingCycle, models.CASCADE, null=True, blank=True,
        related_name="priorities", verbose_name=_("programming cycle"),
    )
    reference = models.CharField(
        _("paragraph"), max_length=30, blank=True, help_text=_("e.g. “23 (b)” or “140.7”")
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices,
                            default=Kind.RECOMMENDATION)
    date = models.DateField(_("date issued"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    goals = models.ManyToManyField(
        SustainableDevelopmentGoal, blank=True, verbose_name=_("Sustainable Development Goals")
    )
    affected_groups = models.ManyToManyField(
        AffectedGroup, blank=True, verbose_name=_("affected groups")
    )
    urgent = models.BooleanField(_("urgent measures"), default=False)
    follow_up = models.BooleanField(_("selected for follow-up"), default=False)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    upr_session = models.PositiveSmallIntegerField(_("UPR session"), null=True, blank=True)
    recommending_states = models.ManyToManyField(
        Country, blank=True, related_name="recommendations_made",
        verbose_name=_("recommending States"),
    )
    position = models.CharField(
        _("State's position"), max_length=20, choices=Position.choices, blank=True
    )
    position_document = models.ForeignKey(
        Document, models.SET_NULL, null=True, blank=True, related_name="positions",
        verbose_name=_("position given in"),
    )
    position_source = models.CharField(_("source of the position"), max_length=200, blank=True)
    action_category = models.PositiveSmallIntegerField(
        _("UPR Info action category"), null=True, blank=True,
        help_text=_("1 (minimal action) to 5 (specific action)"),
    )
    external_id = models.CharField(
        _("external identifier"), max_length=64, blank=True,
        help_text=_("e.g. the UHRI annotation id"),
    )
    previous = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="repeated_by",
        verbose_name=_("same recommendation in an earlier cycle"),
    )
    issue_paragraphs = models.ManyToManyField(
        ListOfIssuesParagraph, blank=True, related_name="recommendations",
        verbose_name=_("related list-of-issues paragraphs"),
    )
    reply_sections = models.ManyToManyField(
        ReplySection, blank=True, related_name="recommendations",
        verbose_name=_("related reply sections"),
    )
    # Kept in step with the accepted assessments by FollowUpAssessment.save() and delete(), so
    # lists can filter and count by status without reading the history.
    status = models.CharField(
        _("current status"), max_length=30, choices=OVERALL_STATUS_CHOICES,
        default=Status.NO_INFORMATION, editable=False,
    )
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["country__name", "mechanism__code", "order", "pk"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""),
                name="recommendation_unique_external_id",
                violation_error_message=_("A recommendation with this external identifier exists."),
            ),
            models.CheckConstraint(
                condition=Q(action_category__isnull=True)
                | Q(action_category__gte=1, action_category__lte=5),
                name="recommendation_action_category_1_to_5",
                violation_error_message=_("The action category runs from 1 to 5."),
            ),
            models.CheckConstraint(
                condition=Q(follow_up=True) | Q(follow_up_due__isnull=True),
                name="recommendation_follow_up_due_needs_selection",
                violation_error_message=_("Only a recommendation selected for follow-up has a "
                                          "follow-up due date."),
            ),
        ]
        indexes = [
            # The recommendations list's default filters: country and mechanism, by status.
            models.Index(fields=["country", "mechanism", "status"], name="rec_country_mech_idx"),
            # "Filter by current status" across all countries.
            models.Index(fields=["status"], name="rec_status_idx"),
            # Matching a UPR report and its thematic list on (session, State, number).
            models.Index(fields=["upr_session", "country", "reference"], name="rec_upr_ref_idx"),
        ]

    def __str__(self) -> str:
        parts = [self.mechanism.code, self.country.code if self.country else "", self.reference]
        return " ".join(part for part in parts if part)

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    @staticmethod
    def can_log(user) -> bool:
        """Whether the user may log follow-up: NGO staff (or a superuser) of an organisation."""
        return organisation_of(user) is not None and has_role(user, Role.NGO_STAFF)

    @staticmethod
    def can_bulk_log(user) -> bool:
        """Whether the user may log one status for many recommendations: NGO staff or reviewers
        of an organisation (an ombudsman office logs its own findings this way)."""
        return organisation_of(user) is not None and has_role(user, Role.NGO_STAFF, Role.REVIEWER)

    def current_assessments(self) -> models.QuerySet[FollowUpAssessment]:
        """Each organisation's latest submitted or reviewed entry, in one query."""
        return (
            self.assessments.exclude(review_state=FollowUpAssessment.ReviewState.DRAFT)
            .latest_per_organisation()
            .select_related("organisation")
        )

    def compute_status(self) -> str:
        """The status the accepted entries give: each organisation's latest accepted entry counts;
        if they disagree, the recommendation is disputed."""
        statuses = set(
            self.assessments.filter(review_state=FollowUpAssessment.ReviewState.ACCEPTED)
            .latest_per_organisation()
            .values_list("status", flat=True)
        )
        if not statuses:
            return Status.NO_INFORMATION
        if len(statuses) > 1:
            return DISPUTED
        return statuses.pop()

    def refresh_status(self) -> None:
        """Recompute the maintained status. Call it inside the transaction that changed an entry:
        the row lock makes two entries saved at once recompute one after the other."""
        # No ordering: the default one joins country, which PostgreSQL cannot lock (nullable side).
        list(Recommendation.objects.select_for_update().filter(pk=self.pk).order_by().values_list("pk"))
        self.status = self.compute_status()
        Recommendation.objects.filter(pk=self.pk).update(status=self.status)

    def public_history(self) -> list[tuple[Organisation, list[FollowUpAssessment]]]:
        """The entries beyond drafts, grouped by organisation (by name), newest first in each."""
        entries = (
            self.assessments.public()
            .select_related("organisation")
            .prefetch_related(
                models.Prefetch(
                    "evidence_paragraphs",
                    ReplyParagraph.objects.select_related("document__cycle"),
                ),
                "files",
            )
            .order_by("organisation__name", "-date", "-pk")
        )
        return [
            (organisation, list(group))
            for organisation, group in groupby(entries, key=lambda entry: entry.organisation)
        ]


@dataclass
class Change:
    """One field another editor changed, as a refused save reports it."""

    field: str
    old: str
    new: str
    editors: str


class FollowUpAssessmentQuerySet(models.QuerySet):
    def latest_per_organisation(self) -> FollowUpAssessmentQuerySet:
        """Keep, for each recommendation and organisation, only the latest entry of this queryset."""
        latest = (
            self.filter(recommendation=OuterRef("recommendation"), organisation=OuterRef("organisation"))
            .order_by("-date", "-pk")
            .values("pk")[:1]
        )
        return self.filter(pk=Subquery(latest))

    def accepted(self) -> FollowUpAssessmentQuerySet:
        return self.filter(review_state=FollowUpAssessment.ReviewState.ACCEPTED)

    def public(self) -> FollowUpAssessmentQuerySet:
        """Entries beyond drafts: submitted for review, accepted or disputed."""
        return self.exclude(review_state=FollowUpAssessment.ReviewState.DRAFT)

    def search(self, text: str) -> FollowUpAssessmentQuerySet:
        return text_search(self, ["summary", "evidence"], text)

    def submitted(self) -> FollowUpAssessmentQuerySet:
        """The review queue: entries waiting for a reviewer's decision."""
        return self.filter(review_state=FollowUpAssessment.ReviewState.SUBMITTED)

    def visible_to(self, user) -> FollowUpAssessmentQuerySet:
        """Entries beyond drafts, plus the drafts of the user's own organisation (all for a
        superuser)."""
        if user.is_superuser:
            return self
        organisation = organisation_of(user)
        if organisation is None:
            return self.public()
        return self.filter(
            ~Q(review_state=FollowUpAssessment.ReviewState.DRAFT) | Q(organisation=organisation)
        )

    def editable_by(self, user) -> FollowUpAssessmentQuerySet:
        """The entries FollowUpAssessment.can_edit allows the user to change, as a query."""
        unreviewed = self.filter(review_state__in=FollowUpAssessment.UNREVIEWED)
        if user.is_superuser:
            return unreviewed
        organisation = organisation_of(user)
        if organisation is None or not has_role(user, Role.NGO_STAFF):
            return self.none()
        return unreviewed.filter(organisation=organisation)

    def log_many(
        self, recommendations: Sequence[Recommendation], organisation: Organisation, author,
        submit: bool, **fields,
    ) -> list[FollowUpAssessment]:
        """One entry per recommendation, all or none: a failure on one rolls back the others.
        Saved one by one so that each records its history and updates its recommendation."""
        review_state = (
            FollowUpAssessment.ReviewState.SUBMITTED if submit
            else FollowUpAssessment.ReviewState.DRAFT
        )
        with transaction.atomic():
            return [
                self.create(
                    recommendation=recommendation, organisation=organisation, author=author,
                    review_state=review_state, **fields,
                )
                for recommendation in recommendations
            ]


class FollowUpAssessment(models.Model):
    """One dated entry in a recommendation's history. Entries are added, never overwritten."""

    class Grade(models.TextChoices):
        A = "A", _("A — largely satisfactory")
        B1 = "B1", _("B1 — substantive action taken, more needed")
        B2 = "B2", _("B2 — initial action taken, more needed")
        C1 = "C1", _("C1 — reply received, action not implemented")
        C2 = "C2", _("C2 — reply received, not relevant")
        D = "D", _("D — no cooperation / no reply")
        E = "E", _("E — measures contrary to the recommendation")

    class ReviewState(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        DISPUTED = "disputed", _("Disputed")

    # Until a reviewer decides, the organisation may still change its entry.
    UNREVIEWED = (ReviewState.DRAFT, ReviewState.SUBMITTED)

    recommendation = models.ForeignKey(
        Recommendation, models.CASCADE, related_name="assessments", verbose_name=_("recommendation")
    )
    organisation = models.ForeignKey(
        Organisation, models.PROTECT, related_name="assessments", verbose_name=_("organisation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
        related_name="assessments", verbose_name=_("author"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=30, choices=Status.choices)
    grade = models.CharField(_("treaty-body grade"), max_length=2, choices=Grade.choices, blank=True)
    summary = models.TextField(_("summary"))
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_links = models.TextField(
        _("evidence links"), blank=True, help_text=_("One URL per line.")
    )
    evidence_paragraphs = models.ManyToManyField(
        ReplyParagraph, blank=True, related_name="assessments",
        verbose_name=_("evidence reply paragraphs"),
    )
    review_state = models.CharField(
        _("review state"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
        related_name="reviews", verbose_name=_("reviewer"),
    )
    review_note = models.TextField(_("review note"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Raised by every save; a form posts the version it was shown, so a second editor's save is
    # refused instead of silently overwriting the first's.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = FollowUpAssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recommendation", "-date", "-pk"]
        get_latest_by = ["date", "pk"]
        verbose_name = _("follow-up assessment")
        verbose_name_plural = _("follow-up assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_state__in=["draft", "submitted"]) | Q(reviewed_at__isnull=False),
                name="assessment_review_has_a_date",
                violation_error_message=_("An accepted or disputed entry needs its review date."),
            ),
        ]
        indexes = [
            # latest_per_organisation(): the latest entry of each organisation for a recommendation.
            models.Index(fields=["recommendation", "organisation", "-date"], name="assessment_latest_idx"),
            # compute_status() on every save, and check_consistency: the latest accepted entry.
            models.Index(
                fields=["recommendation", "organisation", "-date", "-id"],
                condition=Q(review_state="accepted"),
                name="assessment_accepted_idx",
            ),
            # The review queue and the dashboard's latest entries.
            models.Index(fields=["review_state", "-date"], name="assessment_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation} — {self.organisation} {self.date}"

    @property
    def links(self) -> list[str]:
        return [line.strip() for line in self.evidence_links.splitlines() if line.strip()]

    @property
    def web_links(self) -> list[str]:
        """The evidence links a page may make clickable: only http(s), never javascript: or data:."""
        return [link for link in self.links if link.lower().startswith(("http://", "https://"))]

    @property
    def is_reviewed(self) -> bool:
        return self.review_state not in self.UNREVIEWED

    def can_read(self, user) -> bool:
        """Drafts stay within their organisation; other entries are as public as the app."""
        if self.review_state != self.ReviewState.DRAFT:
            return user.is_authenticated or settings.TRACKER_PUBLIC_READ
        organisation = organisation_of(user)
        return user.is_superuser or (
            organisation is not None and organisation.pk == self.organisation_id
        )

    def can_edit(self, user) -> bool:
        """NGO staff change their own organisation's entries until a reviewer has decided."""
        if self.is_reviewed or not user.is_authenticated:
            return False
        if user.is_superuser:
            return True
        organisation = organisation_of(user)
        return (
            organisation is not None and organisation.pk == self.organisation_id
            and has_role(user, Role.NGO_STAFF)
        )

    def can_submit(self, user) -> bool:
        return self.review_state == self.ReviewState.DRAFT and self.can_edit(user)

    def can_review(self, user) -> bool:
        return self.review_state == self.ReviewState.SUBMITTED and has_role(user, Role.REVIEWER)

    def save_if_unchanged(self, version: int) -> bool:
        """Save, unless someone saved the entry since the caller read it at `version`.

        The conditional UPDATE claims the next version (and locks the row until the transaction
        ends), so of two editors who loaded the same version only the first saves; the second
        gets False and nothing of theirs is written. The full save() then records the history and
        keeps the recommendation's status in step."""
        with transaction.atomic():
            claimed = FollowUpAssessment.objects.filter(pk=self.pk, version=version).update(
                version=F("version") + 1
            )
            if not claimed:
                return False
            self.version = version + 1
            self.save()
        return True

    def submit(self, version: int) -> bool:
        self.review_state = self.ReviewState.SUBMITTED
        return self.save_if_unchanged(version)

    def review(self, user, accepted: bool, note: str, version: int) -> bool:
        """Accept or dispute the entry as it was at `version` (the one the reviewer read)."""
        self.review_state = self.ReviewState.ACCEPTED if accepted else self.ReviewState.DISPUTED
        self.reviewer = user
        self.review_note = note
        self.reviewed_at = timezone.now()
        return self.save_if_unchanged(version)

    def changes_since(self, version: int) -> list[Change]:
        """What others changed after `version`, field by field, from the entry's history."""
        records = list(self.history.filter(version__gte=version).order_by("history_date"))
        if len(records) < 2:
            return []
        shown, latest = records[0], records[-1]
        editors = sorted({str(record.history_user) for record in records[1:] if record.history_user})
        ignored = {"version", "updated_at"}
        return [
            Change(
                field=self._meta.get_field(change.field).verbose_name,
                old=self._display(change.field, change.old),
                new=self._display(change.field, change.new),
                editors=", ".join(editors),
            )
            for change in latest.diff_against(shown).changes
            if change.field not in ignored
        ]

    def _display(self, field_name: str, value: object) -> str:
        field = self._meta.get_field(field_name)
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return "" if value is None else str(value)

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            # An entry moved to another recommendation leaves the old one's status to recompute.
            moved_from = (
                FollowUpAssessment.objects.filter(pk=self.pk)
                .exclude(recommendation_id=self.recommendation_id)
                .values_list("recommendation_id", flat=True)
                .first()
                if self.pk
                else None
            )
            super().save(*args, **kwargs)
            self.recommendation.refresh_status()
            if moved_from:
                Recommendation(pk=moved_from).refresh_status()

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self.recommendation.refresh_status()
        return result


class EvidenceFile(models.Model):
    """A document attached to a follow-up entry as evidence (a PDF, a Word or Excel file, an image).

    Stored under MEDIA_ROOT and served only to users allowed to read the entry."""

    assessment = models.ForeignKey(
        FollowUpAssessment, models.CASCADE, related_name="files", verbose_name=_("follow-up entry")
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["assessment", "uploaded_at"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name


class MeasureQuerySet(models.QuerySet):
    def late(self) -> MeasureQuerySet:
        return self.filter(target_date__lt=timezone.localdate()).exclude(
            status__in=[Measure.Status.COMPLETED, Measure.Status.CANCELLED]
        )


class Measure(models.Model):
    """What a government or another body plans or does to implement recommendations."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        DELAYED = "delayed", _("Delayed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    country = models.ForeignKey(Country, models.PROTECT, verbose_name=_("country"))
    responsible = models.ForeignKey(
        Organisation, models.PROTECT, null=True, blank=True, related_name="measures",
        verbose_name=_("responsible organisation"),
    )
    target_date = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PLANNED)
    recommendations = models.ManyToManyField(
        Recommendation, blank=True, related_name="measures", verbose_name=_("recommendations served")
    )
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:measure", args=[self.pk])

    @property
    def is_late(self) -> bool:
        return (
            self.target_date is not None
            and self.target_date < timezone.localdate()
            and self.status not in (self.Status.COMPLETED, self.Status.CANCELLED)
        )


class SavedSearch(models.Model):
    """A recommendations-list filter a user keeps under a name, to find it on the dashboard."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="saved_searches",
        verbose_name=_("user"),
    )
    name = models.CharField(
        _("name"), max_length=200, help_text=_("e.g. “CRC Kazakhstan — violence against children”")
    )
    query = models.CharField(
        _("filter"), max_length=2000, blank=True,
        help_text=_("The list's query string, e.g. “mechanism=CRC&country=KAZ”."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_search_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        url = reverse("recommendations:list")
        return f"{url}?{self.query}" if self.query else url


class ImportJobQuerySet(models.QuerySet):
    def to_announce(self, user: models.Model) -> ImportJobQuerySet:
        """The user's jobs that have ended and that no admin page has told them of yet."""
        return self.filter(
            user=user, announced=False, state__in=[ImportJob.State.DONE, ImportJob.State.FAILED]
        )


class ImportJob(models.Model):
    """A recommendation file too large to import while the browser waits: the admin queues it and
    the background worker imports it (recommendations.tasks), recording its progress here."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="import_jobs",
        verbose_name=_("user"),
    )
    file_name = models.CharField(_("file name"), max_length=255)
    stored_file = models.CharField(
        _("stored file"), max_length=255,
        help_text=_("The upload under MEDIA_ROOT, deleted when the job ends."),
    )
    # The import's options, as chosen on the import page.
    format = models.CharField(_("format"), max_length=20, blank=True)
    country = models.ForeignKey(
        Country, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("State under review"),
    )
    session = models.PositiveSmallIntegerField(_("UPR session"), null=True, blank=True)
    encoding = models.CharField(_("text encoding"), max_length=40, blank=True)
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        help_text=_("The language of the page the import was confirmed on: the result and the "
                    "e-mail are written in it."),
    )
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.QUEUED)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    summary = models.TextField(_("result"), blank=True)
    error = models.TextField(_("error"), blank=True)
    announced = models.BooleanField(
        _("announced"), default=False,
        help_text=_("Whether an admin page has told the user that the job ended."),
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [
            # The user's latest jobs: the admin's list of them, and its "your import finished".
            models.Index(fields=["user", "-created_at"], name="import_job_user_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def progress_file(self) -> str:
        """Where a running import's count of rows goes on SQLite (see tasks.progress_recorder).
        Never an upload's name: those end in at most five letters."""
        return f"{self.stored_file}.progress"

    @property
    def progress(self) -> int:
        """The rows read so far: while the job runs on SQLite, from its progress file."""
        from django.core.files.storage import default_storage

        if self.state == self.State.RUNNING:
            try:
                with default_storage.open(self.progress_file) as file:
                    return max(self.rows_read, int(file.read()))
            except (FileNotFoundError, ValueError):  # none yet, or being rewritten
                pass
        return self.rows_read

    @property
    def headline(self) -> str:
        """What a message says of the job's end: the summary without its indented details (each
        warning, each example), or the error."""
        if self.state == self.State.FAILED:
            return _("Your import of %(file)s failed: %(error)s") % {
                "file": self.file_name, "error": self.error,
            }
        lines = [line for line in self.summary.splitlines() if not line.startswith(" ")]
        return _("Your import of %(file)s finished: %(summary)s") % {
            "file": self.file_name, "summary": " ".join(lines),
        }

    def start(self) -> None:
        self.state = self.State.RUNNING
        self.started_at = timezone.now()
        self.save(update_fields=["state", "started_at"])

    def finish(self, format: str, rows: int, summary: str) -> None:
        self.state = self.State.DONE
        self.format, self.rows_read, self.summary = format, rows, summary
        self.finished_at = timezone.now()
        self.save(update_fields=["state", "format", "rows_read", "summary", "finished_at"])

    def fail(self, error: str) -> None:
        self.state = self.State.FAILED
        self.error = error
        self.finished_at = timezone.now()
        self.save(update_fields=["state", "error", "finished_at"])

    def notify(self) -> None:
        """E-mail the user that the job ended (their next page of the job list says it too)."""
        from django.core.mail import send_mail

        if not self.user.email:
            return
        if self.state == self.State.DONE:
            subject = _("Your import of %(file)s finished")
            body = self.summary
        else:
            subject = _("Your import of %(file)s failed")
            body = _("Nothing was imported.") + "\n\n" + self.error
        send_mail(subject % {"file": self.file_name}, body, None, [self.user.email])
