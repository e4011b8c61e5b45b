"""Recommendations, their taxonomies, the measures that implement them and their follow-up."""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import groupby

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import IntegrityError, connections, models, transaction
from django.db.models import (
    BooleanField, Count, Exists, Expression, ExpressionWrapper, F, OuterRef, Q, Subquery, Value,
)
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
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
    Organisation,
    ProgrammingCycle,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    search_words,
)
from tracker.accounts.permissions import has_role, organisation_of
from tracker.accounts.roles import Role


class Theme(LocalName, models.Model):
    class Taxonomy(models.TextChoices):
        UHRI = "uhri", _("Universal Human Rights Index")
        CRC_CLUSTER = "crc-cluster", _("CRC cluster")
        OTHER = "other", _("Other")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_fr = models.CharField(_("French name"), max_length=200, blank=True)
    name_ru = models.CharField(_("Russian name"), max_length=200, blank=True)
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
    name_ru = models.CharField(_("Russian name"), max_length=200, blank=True)

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
# "Organisations disagree", never "disputed": that is a reviewer's decision on one entry.
OVERALL_STATUS_CHOICES = Status.choices + [(DISPUTED, _("Organisations disagree"))]


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
    """Rows whose `fields` hold the words of `text`, in the queryset's own order.

    On PostgreSQL: full-text search (stemmed), through the GIN index on the same expression;
    matches are not ranked, which would read every one of them to show the first few. Elsewhere
    (SQLite): rows where each word appears in one of the fields.
    """
    words = text.split()
    if not words:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return queryset.alias(search_document=search_vector(*fields)).filter(
            search_document=search_query(text)
        )
    matches = [
        reduce(operator.or_, [Q(**{f"{field}__icontains": word}) for field in fields])
        for word in words
    ]
    return queryset.filter(*matches)


# Ranking reads each candidate's text: the best of this many matches are shown first.
RANKED_CANDIDATES = 500


def ranked_search(queryset: models.QuerySet, fields: Sequence[str], text: str) -> models.QuerySet:
    """text_search's matches, the most relevant first: on PostgreSQL by ts_rank among the first
    RANKED_CANDIDATES matches the index gives; elsewhere those holding the words as one phrase
    first."""
    matches = text_search(queryset, fields, text)
    if connections[queryset.db].vendor == "postgresql":
        candidates = matches.order_by().values("pk")[:RANKED_CANDIDATES]
        return queryset.filter(pk__in=Subquery(candidates)).annotate(
            rank=SearchRank(search_vector(*fields), search_query(text))
        ).order_by("-rank", "-pk")
    phrase = reduce(operator.or_, [Q(**{f"{field}__icontains": text}) for field in fields])
    return matches.annotate(
        rank=models.Case(models.When(phrase, then=Value(1)), default=Value(0))
    ).order_by("-rank", "-pk")


class RecommendationQuerySet(models.QuerySet):
    def current(self) -> RecommendationQuerySet:
        """Recommendations of current cycles, and those that belong to no cycle (frameworks, offices)."""
        return self.filter(in_current_cycle=True)

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
            # Their paragraphs are read with the page's other reply paragraphs (see
            # Recommendation.follow_up_page).
            models.Prefetch(
                "reply_sections", ReplySection.objects.select_related("document__cycle")
            ),
            models.Prefetch("measures", Measure.objects.select_related("responsible")),
        )

    def for_export(self) -> RecommendationQuerySet:
        """What a download writes for each row, as plain values: at 100,000 rows, building model
        instances was most of an export's time. exports.py adds the many-to-many values."""
        return self.values(
            "pk", "reference", "text", "kind", "date", "status", "urgent", "follow_up",
            "follow_up_due", "position", "position_source", "upr_session", "external_id",
            "country__name", "mechanism__code", "cycle__label", "document__symbol",
            "document__date", "previous_id",
        )

    def search(self, text: str) -> RecommendationQuerySet:
        return text_search(self, ["text"], text)

    def status_counts_by_cycle(self, cycles) -> dict[int, dict[str, int]]:
        """Each cycle's recommendations by current status: the dashboard's status bars."""
        counts: dict[int, dict[str, int]] = {}
        rows = self.filter(cycle__in=cycles).order_by().values("cycle_id", "status")
        for row in rows.annotate(count=models.Count("pk")):
            counts.setdefault(row["cycle_id"], {})[row["status"]] = row["count"]
        return counts

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
        return self.filter(has_follow_up=logged)

    def assessed_by(self, organisation: Organisation, status: str = "") -> RecommendationQuerySet:
        """Recommendations the organisation has followed up; with a status, those whose latest
        non-draft entry from that organisation gives it."""
        entries = FollowUpAssessment.objects.public().filter(organisation=organisation)
        if status:
            entries = entries.latest_per_organisation().filter(status=status)
        return self.filter(pk__in=entries.values("recommendation"))

    def tally(self) -> Counter:
        """How many of these recommendations of current cycles each (mechanism id, status) has,
        as StatusTally counts them."""
        rows = (
            self.filter(in_current_cycle=True).order_by().values_list("mechanism_id", "status")
            .annotate(count=Count("pk"))
        )
        return Counter({(mechanism, status): count for mechanism, status, count in rows})

    def stale(self) -> RecommendationQuerySet:
        """Those whose stored copies (maintained_copies()) differ from their definitions."""
        expected = {f"expected_{name}": value for name, value in maintained_copies().items()}
        return self.alias(**expected).exclude(
            Q(*[(name, F(f"expected_{name}")) for name in maintained_copies()])
        )

    def tallied(self) -> Counter:
        """What StatusTally counts of these recommendations (tally()), their rows locked first:
        read it before a write that changes their mechanism, for refresh_maintained()."""
        return tally_of(list(self.select_for_update().order_by("pk").values_list("pk", flat=True)))

    def refresh_maintained(self, tallied: Counter | None = None) -> dict[int, dict[str, object]]:
        """Write these recommendations' maintained values from their definitions
        (overall_status() over FollowUpAssessmentQuerySet.counted(), maintained_copies()) and
        move StatusTally by what changed; return the values written, by id.

        The one path that writes them: Recommendation.save(), FollowUpAssessment.save() and
        delete(), the importers and the scale generator after their bulk writes, and the
        receivers at the end of this module call it explicitly. Call it in the transaction of
        the write: the rows are locked, so two writers refresh one recommendation in turn.
        `tallied` is what the tally counts of these rows: Counter() for rows just inserted,
        tallied() read before a write that changed their mechanism; by default their stored
        values."""
        with transaction.atomic(using=self.db):
            stored = dict(self.select_for_update().order_by("pk").values_list("pk", "status"))
            ids = list(stored)
            if tallied is None:
                tallied = tally_of(ids)
            for chunk in chunked(ids):
                Recommendation.objects.filter(pk__in=chunk).update(**maintained_copies())
            refresh_statuses(stored)
            change = tally_of(ids)
            change.subtract(tallied)
            StatusTally.add(change)
            written = {}
            for chunk in chunked(ids):
                rows = Recommendation.objects.filter(pk__in=chunk).order_by()
                written.update((row.pop("pk"), row) for row in rows.values("pk", *MAINTAINED))
        return written


@dataclass
class FollowUpPage:
    """The follow-up the recommendation page shows one visitor (Recommendation.follow_up_page)."""

    # [(organisation, its entries)]: by organisation (by name), newest first in each.
    history: list[tuple[Organisation, list[FollowUpAssessment]]]
    drafts: list[FollowUpAssessment]
    # The ids of the entries the visitor may edit.
    editable: set[int]
    # Every reply paragraph the page shows, each marked in_picker or not.
    reply_paragraphs: list[ReplyParagraph]
    # The words searched in the picker (tracker.models.search_words), none when not searching.
    search: list[str]

    @property
    def picker_choices(self) -> list[ReplyParagraph]:
        """The picker's paragraphs; when searching, those holding every word, best first (their
        order in the replies among equals)."""
        choices = [paragraph for paragraph in self.reply_paragraphs if paragraph.in_picker]
        if not self.search:
            return choices
        ranked = [(paragraph.relevance(self.search), paragraph) for paragraph in choices]
        return [p for rank, p in sorted(ranked, key=lambda pair: -pair[0]) if rank]

    @property
    def picker_texts(self) -> dict[int, str]:
        """The heading and text of each of the picker's paragraphs, which its live filter
        searches in the browser."""
        return {
            paragraph.pk: f"{paragraph.section.heading} {paragraph.text}"
            for paragraph in self.reply_paragraphs
            if paragraph.in_picker
        }


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
    # What the State itself said of the recommendation in its views (a UPR report's addendum).
    state_view = models.TextField(_("the State's own account"), blank=True)
    state_view_date = models.DateField(_("date of the State's account"), null=True, blank=True)
    state_view_source = models.CharField(
        _("source of the State's account"), max_length=200, blank=True
    )
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
    # The themes and groups as the imported files named them; SourceLabel maps each onto the taxonomy.
    source_labels = models.ManyToManyField(
        "SourceLabel", blank=True, related_name="recommendations",
        verbose_name=_("labels in the source"),
    )
    # The maintained values (MAINTAINED): defined by overall_status() and maintained_copies(),
    # written only by RecommendationQuerySet.refresh_maintained(), so that the lists filter, sort
    # and count with indexes of this table alone, without reading the history or joining.
    status = models.CharField(
        _("current status"), max_length=30, choices=OVERALL_STATUS_CHOICES,
        default=Status.NO_INFORMATION, editable=False,
    )
    has_follow_up = models.BooleanField(_("follow-up logged"), default=False, editable=False)
    in_current_cycle = models.BooleanField(_("in a current cycle"), default=True, editable=False)
    country_name = models.CharField(max_length=100, blank=True, editable=False)
    mechanism_code = models.CharField(max_length=20, editable=False)
    source = models.TextField(_("source"), blank=True, help_text=SOURCE_HELP)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Raised by save_if_unchanged(): the API's ETag and the admin's change form carry it, so a
    # second editor's save is refused instead of silently overwriting the first's.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = RecommendationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["has_follow_up", "in_current_cycle",
                                                 "country_name", "mechanism_code"])

    class Meta:
        # The copies, not country__name and mechanism__code: an ordering through joins cannot
        # be read from an index, and every list would sort all its rows for each page.
        ordering = ["country_name", "mechanism_code", "order", "pk"]
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
            # Matching a UPR report and its thematic list on (session, State, number).
            models.Index(fields=["upr_session", "country", "reference"], name="rec_upr_ref_idx"),
            # The lists' orderings (Meta.ordering, and RecommendationTable's sortable columns,
            # either way): a page reads its rows from the index, in order, and stops.
            models.Index(fields=["country_name", "mechanism_code", "order", "id"],
                         name="rec_list_order_idx"),
            models.Index(fields=["mechanism_code", "country_name", "order", "id"],
                         name="rec_mechanism_order_idx"),
            models.Index(fields=["order", "reference", "id"], name="rec_reference_order_idx"),
            # Also the lists filtered by status, or by whether follow-up was logged, in their
            # default order: SQLite would otherwise pick an index of the filter and sort.
            models.Index(fields=["status", "country_name", "mechanism_code", "order", "id"],
                         name="rec_status_idx"),
            models.Index(
                fields=["has_follow_up", "in_current_cycle", "country_name", "mechanism_code",
                        "order", "id"],
                name="rec_follow_up_logged_idx",
            ),
            # The dashboard's disputed recommendations, latest first.
            models.Index(fields=["date", "id"], condition=Q(status=DISPUTED),
                         name="rec_disputed_idx"),
            # The dashboard's status bars: status_counts_by_cycle() reads this index only.
            models.Index(fields=["cycle", "status"], name="rec_cycle_status_idx"),
            models.Index(fields=["kind", "id"], name="rec_kind_order_idx"),
            models.Index(fields=["date", "id"], name="rec_date_order_idx"),
            models.Index(fields=["position", "id"], name="rec_position_order_idx"),
            # The dashboard's "no follow-up logged yet", those selected for follow-up and
            # urgent ones first.
            models.Index(
                fields=["-follow_up", "-urgent", "-date", "-id"],
                condition=Q(in_current_cycle=True, has_follow_up=False),
                name="rec_without_follow_up_idx",
            ),
            # The deadlines page's coming follow-up reports:
            # filter(follow_up=True, follow_up_due__isnull=False).order_by("follow_up_due").
            models.Index(
                fields=["follow_up_due"],
                condition=Q(follow_up=True, follow_up_due__isnull=False),
                name="rec_follow_up_due_idx",
            ),
        ]

    def __str__(self) -> str:
        parts = [self.mechanism.code, self.country.code if self.country else "", self.reference]
        return " ".join(part for part in parts if part)

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    def save_if_unchanged(self, version: int) -> bool:
        return save_unless_changed(self, version)

    def save(self, *args, **kwargs) -> None:
        """Save the recommendation's own fields; its maintained values are refresh_maintained()'s
        to write (the instance's may be stale: an entry saved since it was read)."""
        with transaction.atomic():
            rows = Recommendation.objects.filter(pk=self.pk)
            stored = (
                rows.select_for_update().order_by().values_list("status", "has_follow_up").first()
            ) if self.pk else None
            tallied: Counter = Counter()
            if stored:
                # The history records the stored status, not the instance's.
                self.status, self.has_follow_up = stored
                tallied = rows.tally()
                own = kwargs.get("update_fields")
                if own is None:
                    own = [field.name for field in self._meta.concrete_fields
                           if not field.primary_key]
                kwargs["update_fields"] = [name for name in own if name not in MAINTAINED]
            super().save(*args, **kwargs)
            values = Recommendation.objects.filter(pk=self.pk).refresh_maintained(tallied)
            for name, value in values[self.pk].items():
                setattr(self, name, value)

    def current_assessments(self) -> models.QuerySet[FollowUpAssessment]:
        """Each organisation's latest submitted or reviewed entry, in one query."""
        return (
            self.assessments.exclude(review_state=FollowUpAssessment.ReviewState.DRAFT)
            .latest_per_organisation()
            .select_related("organisation")
        )

    def follow_up_page(
        self, user, picker: models.QuerySet[ReplyParagraph] | None, search: str = ""
    ) -> FollowUpPage:
        """What the recommendation page shows the user of its follow-up, with the reply
        paragraphs its entries cite (entry.cited_paragraphs), those of its prefetched reply
        sections (section.replies) and the picker's choices when the user may log (picker: the
        queryset of the paragraphs the log form accepts), ranked by the words of `search`.

        One query for the history, the drafts listed and the entries given an edit link, with
        the ids of the reply paragraphs each entry cites (one row per paragraph); then those of
        reply_paragraphs_shown."""
        entries: dict[int, FollowUpAssessment] = {}
        cited: dict[int, set[int]] = defaultdict(set)
        for row in self.assessments.for_recommendation_page(user):
            entries.setdefault(row.pk, row)
            if row.cited is not None:
                cited[row.pk].add(row.cited)
        draft = FollowUpAssessment.ReviewState.DRAFT
        history = [entry for entry in entries.values() if entry.review_state != draft]
        paragraphs = self.reply_paragraphs_shown(
            {pk for entry in history for pk in cited[entry.pk]}, picker
        )
        for entry in history:
            entry.cited_paragraphs = [p for p in paragraphs if p.pk in cited[entry.pk]]
        for section in self.reply_sections.all():
            section.replies = [p for p in paragraphs if p.section_id == section.pk]
        return FollowUpPage(
            # By organisation (by name), newest first in each, as the query orders them.
            history=[
                (organisation, list(group))
                for organisation, group in groupby(history, key=operator.attrgetter("organisation"))
            ],
            drafts=sorted(
                # Newest first, as FollowUpAssessment.Meta orders them.
                (entry for entry in entries.values() if entry.review_state == draft),
                key=operator.attrgetter("date", "pk"), reverse=True,
            ),
            editable={entry.pk for entry in entries.values() if entry.can_edit(user)},
            reply_paragraphs=paragraphs,
            search=search_words(search),
        )

    def reply_paragraphs_shown(
        self, cited: set[int], picker: models.QuerySet[ReplyParagraph] | None
    ) -> list[ReplyParagraph]:
        """The reply paragraphs the recommendation page shows, in their order: those of its reply
        sections, those its entries cite (ids), and the picker's choices (marked in_picker).

        One query. With the picker it reads the paragraphs of the cycle's replies, the picker's
        choices among them, which hold the others too unless some belong to another cycle's
        replies: only then does a second query read them all. (Asking for the cycle's paragraphs
        OR the others at once would read the whole table: no index serves an OR across a join.)"""
        sections = self.reply_sections.all()
        # Ids rather than the queryset, which would make a subquery of the prefetched sections.
        linked = Q(pk__in=cited) | Q(section__in=[section.pk for section in sections])
        paragraphs = ReplyParagraph.objects.select_related("document__cycle", "section")
        if picker is None or self.cycle_id is None:
            return list(paragraphs.filter(linked).annotate(in_picker=Value(False)))
        paragraphs = paragraphs.annotate(in_picker=Exists(picker.filter(pk=OuterRef("pk"))))
        in_cycle = list(paragraphs.filter(document__cycle=self.cycle_id))
        if cited <= {p.pk for p in in_cycle} and all(
            section.document.cycle_id == self.cycle_id for section in sections
        ):
            return in_cycle
        return list(paragraphs.filter(Q(document__cycle=self.cycle_id) | linked))

    def compute_status(self) -> str:
        """The status the recommendation's history gives (overall_status())."""
        return overall_status(self.assessments.counted().values_list("status", flat=True))


# The values kept on Recommendation for the lists, each defined once below; refresh_maintained()
# writes them from these definitions and check_consistency compares the stored ones with them.
MAINTAINED = ["status", "has_follow_up", "in_current_cycle", "country_name", "mechanism_code"]
CHUNK = 500  # ids per query, under SQLite's 999 parameters


def overall_status(statuses: Iterable[str]) -> str:
    """A recommendation's status from the statuses of the entries that count (each
    organisation's latest accepted one, FollowUpAssessmentQuerySet.counted()): the one they
    agree on; disputed if they disagree; no information without any."""
    distinct = set(statuses)
    if not distinct:
        return Status.NO_INFORMATION
    return distinct.pop() if len(distinct) == 1 else DISPUTED


def maintained_copies() -> dict[str, Expression]:
    """Each maintained value but the status, as an expression over the recommendation's row:
    whether any entry beyond drafts exists, whether the cycle is current (or there is none), the
    country's name ("" for a regional priority) and the mechanism's code."""
    return {
        "has_follow_up": Exists(
            FollowUpAssessment.objects.public().filter(recommendation=OuterRef("pk"))
        ),
        "in_current_cycle": ExpressionWrapper(
            Q(cycle__isnull=True)
            | Exists(ReportingCycle.objects.filter(pk=OuterRef("cycle_id"), is_current=True)),
            output_field=BooleanField(),
        ),
        "country_name": Coalesce(
            Subquery(Country.objects.filter(pk=OuterRef("country_id")).values("name")), Value("")
        ),
        "mechanism_code": Subquery(
            Mechanism.objects.filter(pk=OuterRef("mechanism_id")).values("code")
        ),
    }


def expected_statuses(ids: Sequence[int] | None = None) -> dict[int, str]:
    """The status overall_status() gives each recommendation that has entries that count (of
    those ids, or all); the others have no information."""
    entries = FollowUpAssessment.objects.counted()
    if ids is not None:
        entries = entries.filter(recommendation__in=ids)
    statuses: dict[int, list[str]] = defaultdict(list)
    for pk, status in entries.order_by().values_list("recommendation_id", "status").iterator(
        chunk_size=10_000
    ):
        statuses[pk].append(status)
    return {pk: overall_status(found) for pk, found in statuses.items()}


def refresh_statuses(stored: Mapping[int, str]) -> None:
    """Write the status of these recommendations (id: stored status) where their history gives
    another."""
    moves: dict[tuple[str, str], list[int]] = defaultdict(list)
    for chunk in chunked(list(stored)):
        expected = expected_statuses(chunk)
        for pk in chunk:
            status = expected.get(pk, Status.NO_INFORMATION)
            if status != stored[pk]:
                moves[(stored[pk], status)].append(pk)
    for (old, status), pks in moves.items():
        for chunk in chunked(pks):
            # Only where the status is still the one read (check_consistency --fix runs unlocked).
            Recommendation.objects.filter(pk__in=chunk, status=old).update(status=status)


def tally_of(ids: Sequence[int]) -> Counter:
    """RecommendationQuerySet.tally() of the recommendations with these ids."""
    counts: Counter = Counter()
    for chunk in chunked(ids):
        counts.update(Recommendation.objects.filter(pk__in=chunk).tally())
    return counts


def chunked(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


class StatusTally(models.Model):
    """How many recommendations of current cycles each mechanism has in each status: the
    dashboard's chart, read from a few rows instead of counting half a million. Defined by
    RecommendationQuerySet.tally(); moved in the same transaction by refresh_maintained() (and
    by a deletion, below); check_consistency compares it with tally()."""

    mechanism = models.ForeignKey(Mechanism, models.CASCADE, verbose_name=_("mechanism"))
    status = models.CharField(_("current status"), max_length=30, choices=OVERALL_STATUS_CHOICES)
    count = models.PositiveIntegerField(_("recommendations"), default=0)

    class Meta:
        ordering = ["mechanism__code", "status"]
        verbose_name = _("status tally")
        verbose_name_plural = _("status tallies")
        constraints = [
            models.UniqueConstraint(fields=["mechanism", "status"], name="status_tally_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.mechanism.code} {self.status}: {self.count}"

    @staticmethod
    def add(changes: dict[tuple[int, str], int]) -> None:
        """Add the changes, keyed (mechanism id, status), to the counts. In key order, so that
        two transactions never wait for each other's rows in opposite orders."""
        for (mechanism, status), change in sorted(changes.items()):
            if not change:
                continue
            rows = StatusTally.objects.filter(mechanism_id=mechanism, status=status)
            if rows.update(count=F("count") + change):
                continue
            # The first recommendation of a mechanism with this status. Two transactions may both
            # find no row: the second insert waits for the first, fails on the unique constraint
            # and only rolls back its savepoint, then adds to the row the first one created.
            # A missing row and a negative change mean the tally was already wrong
            # (check_consistency --fix counts again): the user's write must not fail for it.
            try:
                with transaction.atomic():
                    StatusTally.objects.create(
                        mechanism_id=mechanism, status=status, count=max(change, 0)
                    )
            except IntegrityError:
                rows.update(count=F("count") + change)

    @staticmethod
    def recount() -> None:
        """Count again from the recommendations (after writes that bypass the ORM)."""
        with transaction.atomic():
            StatusTally.objects.all().delete()
            StatusTally.objects.bulk_create(
                StatusTally(mechanism_id=mechanism, status=status, count=count)
                for (mechanism, status), count in Recommendation.objects.tally().items()
            )

    @staticmethod
    def counts() -> list[dict]:
        """Rows of (mechanism code, status, count), for the dashboard's chart."""
        return list(
            StatusTally.objects.filter(count__gt=0)
            .values("mechanism__code", "status", "count")
            .order_by("mechanism__code", "status")
        )


@dataclass
class Change:
    """One field another editor changed, as a refused save reports it."""

    field: str
    old: str
    new: str
    editors: str


def save_unless_changed(record: models.Model, version: int) -> bool:
    """Save the record (which has a `version` field) unless someone saved it since the caller
    read it at `version` (see FollowUpAssessment.save_if_unchanged)."""
    with transaction.atomic():
        claimed = type(record)._default_manager.filter(pk=record.pk, version=version).update(
            version=F("version") + 1
        )
        if not claimed:
            return False
        record.version = version + 1
        record.save()
    return True


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

    def counted(self) -> FollowUpAssessmentQuerySet:
        """The entries a recommendation's status is made of (overall_status()): each
        organisation's latest accepted one, by (date, id)."""
        return self.accepted().latest_per_organisation()

    def public(self) -> FollowUpAssessmentQuerySet:
        """Entries beyond drafts: submitted for review, accepted or disputed."""
        return self.exclude(review_state=FollowUpAssessment.ReviewState.DRAFT)

    def search(self, text: str) -> FollowUpAssessmentQuerySet:
        return text_search(self, ["summary", "evidence"], text)

    def submitted(self) -> FollowUpAssessmentQuerySet:
        """The review queue: entries waiting for a reviewer's decision."""
        return self.filter(review_state=FollowUpAssessment.ReviewState.SUBMITTED)

    def editable_by(self, user) -> FollowUpAssessmentQuerySet:
        """The entries FollowUpAssessment.can_edit allows the user to change, as a query."""
        unreviewed = self.filter(review_state__in=FollowUpAssessment.UNREVIEWED)
        if user.is_superuser:
            return unreviewed
        organisation = organisation_of(user)
        if organisation is None or not has_role(user, Role.NGO_STAFF):
            return self.none()
        return unreviewed.filter(organisation=organisation)

    def readable_by(self, user) -> FollowUpAssessmentQuerySet:
        """The entries FollowUpAssessment.can_read allows the user to read, as a query: those
        beyond drafts, and the drafts the user may edit."""
        if not (user.is_authenticated or settings.TRACKER_PUBLIC_READ):
            return self.none()
        return self.public() | self.editable_by(user)

    def reviewable_by(self, user) -> FollowUpAssessmentQuerySet:
        """The entries FollowUpAssessment.can_review allows the user to review, as a query:
        submitted, written neither by them nor by their organisation."""
        if not has_role(user, Role.REVIEWER):
            return self.none()
        entries = self.submitted().exclude(author=user)
        organisation = organisation_of(user)
        return entries.exclude(organisation=organisation) if organisation else entries

    def for_recommendation_page(self, user) -> FollowUpAssessmentQuerySet:
        """What the recommendation page lists, in one query: the entries beyond drafts and those
        the user may edit, by organisation (by name), newest first in each. One row per reply
        paragraph an entry cites as evidence, its id in `cited` (None for an entry citing none),
        so that the page reads those paragraphs with its other ones."""
        return (
            self.readable_by(user)
            .select_related("organisation")
            .prefetch_related("files")
            .annotate(cited=F("evidence_paragraphs"))
            .order_by("organisation__name", "-date", "-pk")
        )

    def log_many(
        self, recommendations: Sequence[Recommendation], author, submit: bool, **fields,
    ) -> list[FollowUpAssessment]:
        """One entry per recommendation (FollowUpAssessment.log()), all or none: a failure on one
        rolls back the others. Saved one by one so that each records its history and updates its
        recommendation."""
        entries = [
            FollowUpAssessment(recommendation=recommendation, **fields)
            for recommendation in recommendations
        ]
        with transaction.atomic():
            for entry in entries:
                entry.log(author, submit)
        return entries


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
            # counted(), by refresh_maintained() on every save and by check_consistency: the
            # latest accepted entry.
            models.Index(
                fields=["recommendation", "organisation", "-date", "-id"],
                condition=Q(review_state="accepted"),
                name="assessment_accepted_idx",
            ),
            # The review queue.
            models.Index(fields=["review_state", "-date"], name="assessment_review_idx"),
            # The list filtered by organisation (assessed_by()), read from the index alone.
            models.Index(fields=["organisation", "review_state", "recommendation"],
                         name="assessment_organisation_idx"),
            # The dashboard's latest entries, read newest first until five are not drafts.
            models.Index(fields=["-date", "-id"], name="assessment_latest_first_idx"),
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
        """Drafts are read by those who may edit them (NGO staff of their organisation), no one
        else: not other members of it, nor data entry, nor reviewers. Entries submitted for
        review are as public as reviewed ones, marked as awaiting review: the organisation
        publishes by submitting, a reviewer's decision only makes an entry count for the
        recommendation's status (README, "Who sees follow-up entries"). Attachments follow
        their entry."""
        if self.review_state == self.ReviewState.DRAFT:
            return self.can_edit(user)
        return user.is_authenticated or settings.TRACKER_PUBLIC_READ

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
        """Reviewers decide on submitted entries, never on one they or their organisation wrote
        (separation of duties), whatever their other roles."""
        if self.review_state != self.ReviewState.SUBMITTED or not has_role(user, Role.REVIEWER):
            return False
        organisation = organisation_of(user)
        return self.author_id != user.pk and (
            organisation is None or organisation.pk != self.organisation_id
        )

    def save_if_unchanged(self, version: int) -> bool:
        """Save, unless someone saved the entry since the caller read it at `version`.

        The conditional UPDATE claims the next version (and locks the row until the transaction
        ends), so of two editors who loaded the same version only the first saves; the second
        gets False and nothing of theirs is written. The full save() then records the history and
        keeps the recommendation's status in step."""
        return save_unless_changed(self, version)

    def log(self, author, submit: bool) -> None:
        """Save this new entry as the author's, for the author's organisation: a draft, or
        submitted for review."""
        self.author = author
        self.organisation = organisation_of(author)
        self.review_state = self.ReviewState.SUBMITTED if submit else self.ReviewState.DRAFT
        self.save()

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
            self.refresh_recommendation(moved_from)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            self.refresh_recommendation()
        return result

    def refresh_recommendation(self, moved_from: int | None = None) -> None:
        """Bring the recommendation's status and has_follow_up in step with this entry (and,
        for an entry moved, the one it left), on the instance too."""
        ids = [self.recommendation_id, *([moved_from] if moved_from else [])]
        values = Recommendation.objects.filter(pk__in=ids).refresh_maintained()
        for name, value in values[self.recommendation_id].items():
            setattr(self.recommendation, name, value)


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
    # Raised by save_if_unchanged(): the API's ETag and the admin's change form carry it, so a
    # second editor's save is refused instead of silently overwriting the first's.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["target_date", "title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("recommendations:measure", args=[self.pk])

    def save_if_unchanged(self, version: int) -> bool:
        return save_unless_changed(self, version)

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


class JobState(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class BackgroundJobQuerySet(models.QuerySet):
    def to_announce(self, user: models.Model) -> BackgroundJobQuerySet:
        """The user's jobs that have ended and that no page has told them of yet."""
        return self.filter(user=user, announced=False, state__in=[JobState.DONE, JobState.FAILED])

    def announce(self, request) -> None:
        """Say once, in a message on the user's page, that each of their jobs has ended: the
        worker that ends them cannot reach the user's pages (it e-mails them too)."""
        from django.contrib import messages

        jobs = list(self.to_announce(request.user))
        for job in jobs:
            level = messages.SUCCESS if job.state == JobState.DONE else messages.ERROR
            messages.add_message(request, level, job.headline, fail_silently=True)
        if jobs:
            self.filter(pk__in=[job.pk for job in jobs]).update(announced=True)


class BackgroundJob(models.Model):
    """What import and export jobs share: their states, their start and end, the e-mail that
    tells the user. Each kind keeps its own fields (user, state, error, timestamps, announced)."""

    State = JobState

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    def start(self) -> None:
        self.state = self.State.RUNNING
        self.started_at = timezone.now()
        self.save(update_fields=["state", "started_at"])

    def end(self, state: str, **fields: object) -> None:
        self.state = state
        self.finished_at = timezone.now()
        for name, value in fields.items():
            setattr(self, name, value)
        self.save(update_fields=["state", "finished_at", *fields])

    def fail(self, error: str) -> None:
        self.end(self.State.FAILED, error=error)

    def e_mail(self) -> tuple[str, str]:
        """The subject and body of the e-mail that says the job ended."""
        raise NotImplementedError

    def notify(self, page_url: str = "") -> None:
        """E-mail the user that the job ended (their next page of the job says it too), with the
        address of that page, which the request that queued the job knew (a worker does not)."""
        from django.core.mail import send_mail

        if self.user.email:
            subject, body = self.e_mail()
            send_mail(subject, f"{body}\n\n{page_url}" if page_url else body, None,
                      [self.user.email])


class ImportJob(BackgroundJob):
    """A recommendation file too large to import while the browser waits: the admin queues it and
    the background worker imports it (recommendations.tasks), recording its progress here."""

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
    state = models.CharField(
        _("state"), max_length=10, choices=JobState, default=JobState.QUEUED
    )
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

    objects = BackgroundJobQuerySet.as_manager()

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

    def finish(self, format: str, rows: int, summary: str) -> None:
        self.end(self.State.DONE, format=format, rows_read=rows, summary=summary)

    def e_mail(self) -> tuple[str, str]:
        if self.state == self.State.DONE:
            return _("Your import of %(file)s finished") % {"file": self.file_name}, self.summary
        return (
            _("Your import of %(file)s failed") % {"file": self.file_name},
            _("Nothing was imported.") + "\n\n" + self.error,
        )


class ExportJob(BackgroundJob):
    """A download of the recommendations list too large to write while the browser waits: the
    background worker writes the file (recommendations.tasks) under MEDIA_ROOT, which is never
    served as such: only its owner downloads it, through the job's page."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        UHRI = "uhri", _("CSV in the UHRI layout")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="export_jobs",
        verbose_name=_("user"),
    )
    format = models.CharField(_("format"), max_length=10, choices=Format)
    query = models.TextField(
        _("filter"), blank=True,
        help_text=_("The list's query string, e.g. “mechanism=CRC&country=KAZ”."),
    )
    language = models.CharField(
        _("language"), max_length=10, blank=True,
        help_text=_("The language of the list the export was asked from: the file, the page "
                    "and the e-mail are written in it."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=JobState, default=JobState.QUEUED
    )
    rows_written = models.PositiveIntegerField(_("rows written"), default=0)
    total_rows = models.PositiveIntegerField(_("rows to write"), null=True, blank=True)
    stored_file = models.CharField(
        _("stored file"), max_length=255, blank=True,
        help_text=_("The file under MEDIA_ROOT, deleted a day after it was written."),
    )
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    announced = models.BooleanField(
        _("announced"), default=False,
        help_text=_("Whether the job's page has told the user that the job ended."),
    )

    objects = BackgroundJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")

    def __str__(self) -> str:
        return f"{self.get_format_display()} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("recommendations:export-job", args=[self.pk])

    @property
    def headline(self) -> str:
        if self.state == self.State.FAILED:
            return _("Your export failed: %(error)s") % {"error": self.error}
        return _("Your export is ready: %(count)d rows.") % {"count": self.rows_written}

    def finish(self, rows: int, stored_file: str) -> None:
        self.end(self.State.DONE, rows_written=rows, stored_file=stored_file)

    def e_mail(self) -> tuple[str, str]:
        if self.state == self.State.DONE:
            return _("Your export is ready"), _(
                "Your export of %(count)d rows is ready. Download it from its page within a day: "
                "the file is then removed."
            ) % {"count": self.rows_written}
        return _("Your export failed"), self.error


# Following tracker's records. tracker cannot call this app (it depends on nothing of it), and
# its records change in its own admin, importers and ReportingCycle.save() (which makes the
# other cycles past with an UPDATE). Receiving Django's signals is the plain way for the app that
# depends on another to follow its changes; each receiver calls the one write path above, for
# the recommendations whose copies it left stale.
@receiver(post_save, sender=ReportingCycle)
def follow_cycle_currency(sender, instance: ReportingCycle, **kwargs) -> None:
    Recommendation.objects.filter(
        cycle__country_id=instance.country_id, cycle__mechanism_id=instance.mechanism_id
    ).stale().refresh_maintained()


@receiver(post_save, sender=Country)
def follow_country_name(sender, instance: Country, **kwargs) -> None:
    Recommendation.objects.filter(country=instance).stale().refresh_maintained()


@receiver(post_save, sender=Mechanism)
def follow_mechanism_code(sender, instance: Mechanism, **kwargs) -> None:
    Recommendation.objects.filter(mechanism=instance).stale().refresh_maintained()


# A deletion, including those that cascade from tracker's frameworks and programming cycles,
# which no method of this app sees.
@receiver(post_delete, sender=Recommendation)
def leave_the_tally(sender, instance: Recommendation, **kwargs) -> None:
    if instance.in_current_cycle:
        StatusTally.add({(instance.mechanism_id, instance.status): -1})


class SourceLabelQuerySet(models.QuerySet):
    def unmapped(self) -> SourceLabelQuerySet:
        """The labels data-entry staff have still to map onto a term of the taxonomy."""
        return self.filter(theme=None, group=None)


class SourceLabel(models.Model):
    """A theme or group of persons as an imported file names it ("Women's rights", "Roma,
    Gypsies, Sinti & Travellers"), and the term of the one taxonomy it stands for. Imports keep
    the label on the record and tag the record with the term; mapping a label once tags every
    record that carries it (recommendations.taxonomy builds the labels from the crosswalk)."""

    class Vocabulary(models.TextChoices):
        THEME = "theme", _("Theme")
        GROUP = "group", _("Group of persons")

    vocabulary = models.CharField(_("vocabulary"), max_length=10, choices=Vocabulary.choices)
    label = models.CharField(_("label"), max_length=300)
    key = models.CharField(_("normalised label"), max_length=300, editable=False)
    theme = models.ForeignKey(
        Theme, models.SET_NULL, null=True, blank=True, related_name="source_labels",
        verbose_name=_("theme"),
    )
    group = models.ForeignKey(
        AffectedGroup, models.SET_NULL, null=True, blank=True, related_name="source_labels",
        verbose_name=_("group of persons"),
    )
    created_at = models.DateTimeField(_("first met"), auto_now_add=True)

    objects = SourceLabelQuerySet.as_manager()

    class Meta:
        ordering = ["vocabulary", "label"]
        verbose_name = _("label in imported files")
        verbose_name_plural = _("labels in imported files")
        constraints = [
            models.UniqueConstraint(fields=["vocabulary", "key"], name="source_label_unique_key"),
            models.CheckConstraint(
                condition=Q(theme=None) | Q(group=None), name="source_label_one_term",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def term(self) -> Theme | AffectedGroup | None:
        return self.theme if self.vocabulary == self.Vocabulary.THEME else self.group

    def save(self, *args, **kwargs) -> None:
        from recommendations.taxonomy import label_key

        self.key = label_key(self.label)
        super().save(*args, **kwargs)
        self.tag_recommendations()

    def tag_recommendations(self) -> int:
        """Tag every recommendation carrying this label with its term; the number newly tagged."""
        term = self.term
        if term is None:
            return 0
        field = "themes" if self.vocabulary == self.Vocabulary.THEME else "affected_groups"
        through = getattr(Recommendation, field).through
        target = f"{Recommendation._meta.get_field(field).m2m_reverse_field_name()}_id"
        tagged = set(through.objects.filter(**{target: term.pk}).values_list(
            "recommendation_id", flat=True
        ))
        missing = [pk for pk in self.recommendations.values_list("pk", flat=True)
                   if pk not in tagged]
        through.objects.bulk_create(
            [through(recommendation_id=pk, **{target: term.pk}) for pk in missing],
            batch_size=1000,
        )
        return len(missing)
