"""Synthetic recommendations, their follow-up history and their texts."""

from __future__ import annotations

import datetime
import itertools
import re
from collections import Counter
from collections.abc import Iterator

from django.db import reset_queries

from bench.scale.cycles import CycleGenerator
from bench.scale.vocabulary import (
    ACTIONS,
    ACTORS,
    ASSESSMENTS,
    CLAUSES,
    CLAUSES_FR,
    FOLLOW_ONS,
    FOLLOW_ONS_FR,
    FRENCH_SPEAKING,
    GRADES,
    GROUPS,
    GROUPS_FR,
    INSTITUTIONS,
    INSTRUMENTS,
    Kind,
    MORNING,
    OPENINGS,
    OPENINGS_FR,
    ORGANISATIONS_PER_RECOMMENDATION,
    POOL,
    POSITIONS,
    PROGRESSION,
    REPLIES,
    REPLIES_FR,
    REVIEW_STATES,
    Review,
    SERVICES,
    SERVICES_FR,
    TODAY,
    TOPICS,
    TOPICS_FR,
)
from bench.scale.writer import Entry, Generated, Source, days
from recommendations.models import (
    AffectedGroup,
    FollowUpAssessment,
    Recommendation,
    Status,
    SustainableDevelopmentGoal,
    Theme,
)
from tracker.models import Country, Mechanism


class Generator(CycleGenerator):
    def run(self) -> dict[str, int]:
        self.create_organisations()
        sources = self.create_cycles()
        self.create_lists_of_issues()
        self.create_recommendations(sources)
        return dict(self.counts)

    # Recommendations and their follow-up ------------------------------------------------------

    def create_recommendations(self, sources: list[Source]) -> None:
        """Recommendations spread over the sources by weight and their assessments spread over
        the recommendations (a quarter with none, a few with long histories), inserted a batch
        at a time, then given their maintained values by the app's own refresh_maintained()."""
        rng = self.rng
        total = self.recommendation_count
        per_source = [0] * len(sources)
        for index in rng.choices(range(len(sources)), [s.weight for s in sources], k=total):
            per_source[index] += 1
        weights = [0.0 if rng.random() < 0.25 else min(60.0, rng.paretovariate(1.3))
                   for _ in range(total)]
        per_recommendation = [0] * total
        if self.assessment_count:
            for index in rng.choices(range(total), weights, k=self.assessment_count):
                per_recommendation[index] += 1
        self.prepare_vocabulary()
        batch: list[Generated] = []
        made = 0
        for source, count in zip(sources, per_source):
            for order, reference in zip(range(1, count + 1), self.references(source.family)):
                assessments = per_recommendation[made]
                batch.append(self.recommendation(source, reference, order, assessments))
                made += 1
                if len(batch) == self.batch_size:
                    self.insert(batch)
                    batch = []
        self.insert(batch)

    def prepare_vocabulary(self) -> None:
        """Taxonomy ids, and pools of filled-in sentences to draw texts from."""
        rng = self.rng
        self.themes = list(Theme.objects.filter(parent__isnull=False).values_list("pk", flat=True))
        self.crc_clusters = list(
            Theme.objects.filter(taxonomy=Theme.Taxonomy.CRC_CLUSTER).values_list("pk", flat=True)
        )
        self.goals = dict(SustainableDevelopmentGoal.objects.values_list("pk", "goal_id"))
        self.targets = [pk for pk, goal in self.goals.items() if goal]
        self.group_ids = dict(AffectedGroup.objects.values_list("code", "pk"))
        self.all_groups = sorted(self.group_ids.values())
        self.clauses = {
            french: [self.fill(rng.choice(CLAUSES_FR if french else CLAUSES), french)
                     for _ in range(POOL)]
            for french in (False, True)
        }
        self.follow_ons = {
            french: [
                self.fill(rng.choice(FOLLOW_ONS_FR if french else FOLLOW_ONS), french,
                          c=rng.choice(self.clauses[french]))
                for _ in range(POOL)
            ]
            for french in (False, True)
        }
        self.summary_heads = [f"{actor} {action.format(t=topic)}"
                              for actor in ACTORS for action in ACTIONS for topic in TOPICS]
        self.summary_tails = [sentence.format(g=group)
                              for sentence in ASSESSMENTS for group in GROUPS]

    def references(self, family: str) -> Iterator[str]:
        """Paragraph references as each kind of document numbers its recommendations: “140.7” in
        a UPR report; “23”, “24 (a)”, “24 (b)” in concluding observations; “3” for priorities."""
        if family == "priority":
            yield from map(str, itertools.count(1))
        elif family == "upr":
            paragraph = self.rng.choice((96, 116, 128, 140, 158))
            yield from (f"{paragraph}.{number}" for number in itertools.count(1))
        else:
            for paragraph in itertools.count(self.rng.randint(6, 14)):
                letters = self.rng.choice((0, 0, 0, 2, 3, 4, 5))
                if not letters:
                    yield str(paragraph)
                yield from (f"{paragraph} ({letter})" for letter in "abcde"[:letters])

    def recommendation(self, source: Source, reference: str, order: int,
                       assessment_count: int) -> Generated:
        rng = self.rng
        body = source.treaty_body
        kind = Recommendation.Kind.RECOMMENDATION
        if source.family == "priority":
            kind = (Recommendation.Kind.COOPERATION_PRIORITY
                    if source.mechanism.kind == Mechanism.Kind.COE
                    else Recommendation.Kind.THEMATIC_PRIORITY)
        follow_up = bool(body and body.follow_up and rng.random() < 0.06)
        states = []
        if source.family == "upr":
            count = rng.choice((1, 1, 1, 1, 1, 1, 1, 2, 2, 3))
            states = [s for s in rng.sample(self.countries, count + 1) if s != source.country]
            states = states[:count]
        french_speaking = source.country and source.country.code in FRENCH_SPEAKING
        french = rng.random() < (0.5 if french_speaking else 0.08)
        recommendation = Recommendation(
            mechanism=source.mechanism, country=source.country, cycle=source.cycle,
            document=source.document, reference=reference, order=order, kind=kind,
            text=self.recommendation_text(source.family, french, states), date=source.date,
            urgent=source.family == "treaty" and rng.random() < 0.06, follow_up=follow_up,
            follow_up_due=source.date + days(365 * rng.choice((1, 2))) if follow_up else None,
            upr_session=source.upr_session, source=self.source,
        )
        if source.family == "upr":
            recommendation.position = rng.choice(POSITIONS)
            recommendation.action_category = rng.randint(1, 5)
        history = self.history(recommendation, assessment_count)
        themes = rng.sample(self.themes, rng.randint(1, 3))
        if body and body.prefix == "CRC/C" and self.crc_clusters:
            themes.append(rng.choice(self.crc_clusters))
        usual = [self.group_ids[code] for code in (body.groups if body else ())
                 if code in self.group_ids]
        groups = rng.sample(usual, min(len(usual), rng.randint(0, 2)))
        groups += rng.sample(self.all_groups, rng.randint(0, 1))
        targets = rng.sample(self.targets, rng.choice((0, 0, 1, 1, 1, 1, 2, 2, 2, 3)))
        return recommendation, history, {
            "themes": themes,
            "goals": sorted(set(targets) | {self.goals[target] for target in targets}),
            "affected_groups": sorted(set(groups)),
            "recommending_states": [state.pk for state in states],
        }

    def history(self, recommendation: Recommendation, count: int) -> list[Entry]:
        """Entries from one to four organisations (mostly the country's own), dated from the
        recommendation to TODAY, following a common trajectory with some disagreement."""
        if not count:
            return []
        rng = self.rng
        local = self.local_organisations.get(recommendation.country_id, [])
        organisations = []
        for _ in range(rng.choice(ORGANISATIONS_PER_RECOMMENDATION)):
            pool = local if local and rng.random() < 0.7 else self.international_organisations
            organisation = rng.choice(pool)
            if organisation not in organisations:
                organisations.append(organisation)
        issued, span = recommendation.date, (TODAY - recommendation.date).days
        dates = sorted(issued + days(rng.randint(0, span)) for _ in range(count))
        start, pace = rng.choice((0, 0, 0, 0, 0, 1, 1, 1, 2, 2)), rng.randint(300, 2_500)
        graded = recommendation.follow_up or rng.random() < 0.03
        entries = []
        for position, date in enumerate(dates):
            level = min(3, start + (date - issued).days // pace)
            roll = rng.random()
            if roll < 0.05:
                status = Status.NOT_IMPLEMENTED
            elif roll < 0.08:
                status = Status.NO_INFORMATION
            elif roll < 0.25:  # an organisation that sees it one step ahead or behind
                status = PROGRESSION[max(0, min(3, level + rng.choice((-1, 1))))]
            else:
                status = PROGRESSION[level]
            review_state = rng.choice(REVIEW_STATES)
            reviewed_at = None
            if review_state in (Review.ACCEPTED, Review.DISPUTED):
                reviewed = datetime.datetime.combine(date, MORNING)
                reviewed_at = min(reviewed + datetime.timedelta(minutes=rng.randrange(30 * 1440)),
                                  datetime.datetime.combine(TODAY, MORNING))
            organisation = (organisations[position] if position < len(organisations)
                            else rng.choice(organisations))
            entries.append(Entry(
                organisation, date, status, review_state, reviewed_at,
                rng.choice(GRADES) if graded and rng.random() < 0.6 else "",
                f"{rng.choice(self.summary_heads)} in {date.year}. "
                f"{rng.choice(self.summary_tails)}",
                f"Law No. {rng.randint(1, 600)}-{date:%y} of {date:%d %B %Y}."
                if rng.random() < 0.4 else "",
                f"https://example.org/evidence/{rng.randint(1, 10**6)}"
                if rng.random() < 0.25 else "",
                "The evidence cited does not support this status."
                if review_state == Review.DISPUTED else "",
            ))
        return entries

    def insert(self, batch: list[Generated]) -> None:
        if not batch:
            return
        self.bulk_create(Recommendation, [recommendation for recommendation, _, _ in batch])
        self.insert_rows(FollowUpAssessment, ["recommendation_id", *Entry._fields], [
            (recommendation.pk, *entry) for recommendation, history, _ in batch for entry in history
        ])
        for name in ("themes", "goals", "affected_groups", "recommending_states"):
            self.link(getattr(Recommendation, name), [
                (recommendation.pk, pk) for recommendation, _, links in batch for pk in links[name]
            ])
        Recommendation.objects.filter(
            pk__in=[recommendation.pk for recommendation, _, _ in batch]
        ).refresh_maintained(Counter())
        # With DEBUG on, Django keeps the SQL of the last 9,000 queries: hundreds of megabytes of
        # INSERT statements at this size.
        reset_queries()
        self.progress(
            f"{self.counts['recommendations']:,}/{self.recommendation_count:,} recommendations, "
            f"{self.counts['follow-up assessments']:,}/{self.assessment_count:,} assessments"
        )

    # Texts ------------------------------------------------------------------------------------

    def fill(self, pattern: str, french: bool = False, **words: str) -> str:
        rng = self.rng
        text = pattern.format(
            t=rng.choice(TOPICS_FR if french else TOPICS),
            v=rng.choice(SERVICES_FR if french else SERVICES),
            g=rng.choice(GROUPS_FR if french else GROUPS),
            i=rng.choice(INSTITUTIONS), n=rng.choice(INSTRUMENTS),
            s=f"{rng.randint(1, 17)}.{rng.randint(1, 9)}", **words,
        )
        return elide(text) if french else text

    def recommendation_text(self, family: str, french: bool, states: list[Country]) -> str:
        """200 to 800 characters, to a length drawn at random. A UPR recommendation is one
        sentence of clauses ending with the recommending States; the others open with their body
        and add sentences (each shorter than 300 characters)."""
        rng = self.rng
        clause = rng.choice(self.clauses[french])
        wanted = rng.randint(200, 800)
        if family == "upr":
            text, end = clause[0].upper() + clause[1:], f" ({', '.join(s.name for s in states)})."
            while len(text) + len(end) < wanted:
                clause = rng.choice(self.clauses[french])
                if len(text) + len(clause) + len(end) > 798:
                    break
                text = f"{text}; {clause}"
            return text + end
        text = (OPENINGS_FR if french else OPENINGS)[family].format(c=clause)
        text = elide(text) if french else text  # the pooled sentences are elided already
        while len(text) < wanted:
            sentence = rng.choice(self.follow_ons[french])
            if len(text) + 1 + len(sentence) > 800:
                break
            if sentence not in text:
                text = f"{text} {sentence}"
        return text

    def reply_text(self, french: bool) -> str:
        rng = self.rng
        year = rng.randint(2015, 2025)
        text = " ".join(
            rng.choice(REPLIES_FR if french else REPLIES).format(
                t=rng.choice(TOPICS_FR if french else TOPICS),
                g=rng.choice(GROUPS_FR if french else GROUPS), i=rng.choice(INSTITUTIONS),
                y=year, z=year + 2, n=rng.randint(20, 9_000), p=rng.randint(3, 40),
            )
            for _ in range(rng.randint(1, 4))
        )
        return elide(text) if french else text


def elide(text: str) -> str:
    """The contractions French makes where the vocabulary's pieces meet: “de adopter” is written
    “d’adopter”, “à les enfants” “aux enfants”, “relatifs à le travail” “relatifs au travail”."""
    for words, contraction in [("à les", "aux"), ("de les", "des"), ("à le", "au"),
                               ("de le", "du")]:
        text = re.sub(rf"\b{words}\b", contraction, text)
    return re.sub(r"\b(de|que) ([aeéèiouy])", lambda m: f"{m[1][0]}’{m[2]}", text)
