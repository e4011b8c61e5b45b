"""Synthetic organisations, reporting cycles with their milestones and documents, and lists
of issues with their replies."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict

from bench.scale.vocabulary import (
    FRENCH_SPEAKING,
    INTERNATIONAL_NAMES,
    Kind,
    NGO_NAMES,
    NHRI_NAMES,
    POOL,
    PRIORITY_COUNTRIES,
    QUESTIONS,
    REPLIES,
    Review,
    SYNTHETIC_WEBSITE,
    TODAY,
    TOPICS,
    TREATY_BODIES,
    TreatyBody,
    UPR_CYCLES,
    VISIT_PREFIXES,
)
from bench.scale.writer import Source, Writer, days
from tracker.models import (
    Country,
    Document,
    ListOfIssuesParagraph,
    Mechanism,
    Milestone,
    Organisation,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
    StatisticalTable,
    paragraph_sort_key,
)
from tracker.parsing.common import ParagraphRef


class CycleGenerator(Writer):
    # Organisations ----------------------------------------------------------------------------

    def create_organisations(self) -> None:
        """NHRIs and NGOs across the countries, and international NGOs."""
        rng = self.rng
        taken = set(Organisation.objects.values_list("name", flat=True))
        organisations = []
        for number in range(self.organisation_count):
            country = rng.choice(self.countries)
            roll = rng.random()
            if roll < 0.35:
                kind, pattern = Organisation.Kind.NHRI, rng.choice(NHRI_NAMES)
            elif roll < 0.85:
                kind, pattern = Organisation.Kind.NGO, rng.choice(NGO_NAMES)
            else:
                kind, pattern = Organisation.Kind.NGO, rng.choice(INTERNATIONAL_NAMES)
                country = None
            name = pattern.format(c=country.name if country else "", t=rng.choice(TOPICS))
            if name in taken:
                name = f"{name} ({number})"
            taken.add(name)
            organisations.append(Organisation(
                name=name, kind=kind, country=country, website=f"{SYNTHETIC_WEBSITE}{number}",
                acronym="".join(word[0] for word in name.split() if word[0].isupper())[:10],
            ))
        self.bulk_create(Organisation, organisations)
        self.local_organisations: dict[int, list[int]] = defaultdict(list)
        self.international_organisations: list[int] = []
        for organisation in organisations:
            if organisation.country_id:
                self.local_organisations[organisation.country_id].append(organisation.pk)
            else:
                self.international_organisations.append(organisation.pk)
        if not self.international_organisations:
            self.international_organisations = [o.pk for o in organisations]
        self.progress(f"{len(organisations):,} organisations")

    # Cycles, milestones and documents ---------------------------------------------------------

    def create_cycles(self) -> list[Source]:
        """Cycles with their milestones and documents; returns the sources of recommendations."""
        taken_pairs = set(ReportingCycle.objects.values_list("country_id", "mechanism_id"))
        self.taken_symbols = set(
            Document.objects.exclude(symbol="").values_list("symbol", flat=True)
        )
        self.cycles: list[ReportingCycle] = []
        self.milestones: list[tuple[ReportingCycle, str, datetime.date, datetime.date | None]] = []
        self.documents: list[Document] = []
        self.replies: list[Document] = []  # inserted after the lists of issues they answer
        sources: list[Source] = []
        for mechanism in Mechanism.objects.order_by("code"):
            if mechanism.kind in PRIORITY_COUNTRIES:
                sources += self.priorities(mechanism)
                continue
            body = TREATY_BODIES.get(mechanism.code)
            for index, country in enumerate(self.countries):
                if (country.pk, mechanism.pk) in taken_pairs:
                    continue
                if mechanism.kind == Mechanism.Kind.UPR:
                    sources += self.upr_cycles(mechanism, country, index)
                elif body:
                    sources += self.report_cycles(mechanism, country, body)
                else:
                    sources += self.visits(mechanism, country, index)
        self.bulk_create(ReportingCycle, self.cycles)
        self.insert_rows(Milestone, ["cycle_id", "kind", "planned_date", "actual_date", "source"],
                         [(cycle.pk, *dates, self.source) for cycle, *dates in self.milestones])
        self.bulk_create(Document, self.documents)
        self.bulk_create(Document, self.replies)
        self.progress(f"{len(self.cycles):,} cycles, {len(self.milestones):,} milestones, "
                      f"{len(self.documents) + len(self.replies):,} documents")
        return sources

    def cycle(self, mechanism: Mechanism, country: Country, label: str, **fields) -> ReportingCycle:
        cycle = ReportingCycle(mechanism=mechanism, country=country, label=label,
                               source=self.source, **fields)
        self.cycles.append(cycle)
        return cycle

    def document(self, cycle: ReportingCycle, kind: str, symbol: str, date: datetime.date,
                 title: str, **fields) -> Document | None:
        if symbol in self.taken_symbols:
            return None
        self.taken_symbols.add(symbol)
        document = Document(cycle=cycle, kind=kind, symbol=symbol, date=date, title=title,
                            source_name=self.source, **fields)
        (self.replies if kind == Document.Kind.REPLIES else self.documents).append(document)
        return document

    def timeline(self, cycle: ReportingCycle,
                 steps: list[tuple[str, datetime.date, datetime.date]]) -> dict[str, datetime.date]:
        """Milestones from (kind, planned, actual) steps in their order: the first step not done
        by TODAY and all later ones stay pending with their planned date (some overdue, some
        upcoming). Returns the actual dates of the steps done."""
        done: dict[str, datetime.date] = {}
        pending = False
        for kind, planned, actual in steps:
            pending = pending or actual > TODAY
            self.milestones.append((cycle, kind, planned, None if pending else actual))
            if not pending:
                done[kind] = actual
        return done

    def report_cycles(self, mechanism: Mechanism, country: Country,
                      body: TreatyBody) -> list[Source]:
        """A treaty body's periodic reporting: report, list of issues and replies (or, in the
        simplified procedure, the list first), dialogue, concluding observations, follow-up, next
        report; a new cycle begins when the next report falls due."""
        rng = self.rng
        if rng.random() > body.participation:
            return []
        sources = []
        due = datetime.date(2007, 1, 1) + days(rng.randint(0, 5 * 365))
        delay = rng.randint(-30, 700)
        number = rng.randint(1, 3)
        prefix = f"{body.prefix}/{country.code}"
        language = "fr" if country.code in FRENCH_SPEAKING else "en"
        while True:
            combined = rng.random() < 0.4
            label = f"{number}-{number + 1}" if combined else str(number)
            number += 2 if combined else 1
            simplified = due.year >= 2016 and rng.random() < 0.4
            submitted = due + days(delay)
            steps = []
            if simplified:
                adopted = due - days(rng.randint(300, 420))
                steps.append((Kind.LIST_OF_ISSUES_ADOPTED, adopted, adopted))
            steps += [(Kind.REPORT_DUE, due, submitted), (Kind.REPORT_SUBMITTED, due, submitted)]
            last = submitted
            if not simplified:
                adopted = submitted + days(rng.randint(240, 540))
                replies_due = adopted + days(rng.randint(90, 150))
                last = replies_due + days(rng.randint(-20, 120))
                steps += [(Kind.LIST_OF_ISSUES_ADOPTED, adopted, adopted),
                          (Kind.REPLIES_DUE, replies_due, last),
                          (Kind.REPLIES_SUBMITTED, replies_due, last)]
            dialogue = last + days(rng.randint(90, 300))
            concluded = dialogue + days(rng.randint(10, 30))
            steps += [(Kind.DIALOGUE, dialogue, dialogue),
                      (Kind.CONCLUDING_OBSERVATIONS_ADOPTED, concluded, concluded)]
            if body.follow_up:
                follow_up_due = concluded + days(365 * rng.choice((1, 2)))
                followed_up = follow_up_due + days(rng.randint(-30, 400))
                steps += [(Kind.FOLLOW_UP_DUE, follow_up_due, followed_up),
                          (Kind.FOLLOW_UP_SUBMITTED, follow_up_due, followed_up)]
            next_due = concluded + days(365 * rng.choice((4, 5)))
            delay = rng.randint(-30, 900)
            steps.append((Kind.NEXT_REPORT_DUE, next_due, next_due + days(delay)))
            reports = f"{'combined periodic reports' if combined else 'periodic report'} {label}"
            cycle = self.cycle(
                mechanism, country, label, is_current=next_due > TODAY,
                title=f"{reports.capitalize()} of {country.name}",
                procedure=ReportingCycle.Procedure.SIMPLIFIED if simplified
                else ReportingCycle.Procedure.STANDARD,
            )
            done = self.timeline(cycle, steps)
            if Kind.REPORT_SUBMITTED in done:
                self.document(cycle, Document.Kind.STATE_REPORT, f"{prefix}/{label}",
                              done[Kind.REPORT_SUBMITTED], cycle.title, language=language)
            if Kind.LIST_OF_ISSUES_ADOPTED in done:
                kind = (Document.Kind.LIST_OF_ISSUES_PRIOR if simplified
                        else Document.Kind.LIST_OF_ISSUES)
                issues = self.document(
                    cycle, kind, f"{prefix}/{'QPR' if simplified else 'Q'}/{label}",
                    done[Kind.LIST_OF_ISSUES_ADOPTED], f"List of issues — {cycle.title}",
                    word_limit=10_700,
                )
                if Kind.REPLIES_SUBMITTED in done:
                    self.document(cycle, Document.Kind.REPLIES, f"{prefix}/RQ/{label}",
                                  done[Kind.REPLIES_SUBMITTED], f"Replies — {cycle.title}",
                                  answers=issues, language=language, original_language=language)
            if Kind.CONCLUDING_OBSERVATIONS_ADOPTED in done:
                date = done[Kind.CONCLUDING_OBSERVATIONS_ADOPTED]
                observations = self.document(
                    cycle, Document.Kind.CONCLUDING_OBSERVATIONS, f"{prefix}/CO/{label}", date,
                    f"Concluding observations on the {reports} of {country.name}",
                )
                sources.append(Source("treaty", mechanism, country, date, body.weight, cycle,
                                      observations, treaty_body=body))
            if Kind.FOLLOW_UP_SUBMITTED in done:
                self.document(cycle, Document.Kind.FOLLOW_UP_REPORT, f"{prefix}/FCO/{label}",
                              done[Kind.FOLLOW_UP_SUBMITTED], f"Follow-up report — {cycle.title}")
            if cycle.is_current:
                return sources
            due = next_due

    def upr_cycles(self, mechanism: Mechanism, country: Country, index: int) -> list[Source]:
        """Four UPR cycles, each State reviewed once per cycle at a session set by its place in
        the list; the Working Group report follows the review, the Council adopts it later."""
        rng = self.rng
        sources = []
        for number, (label, first, sessions, start) in enumerate(UPR_CYCLES):
            last_cycle = number == len(UPR_CYCLES) - 1
            slot, rank = index % sessions, index // sessions
            spacing = 130 if last_cycle else (UPR_CYCLES[number + 1][3] - start).days // sessions
            session = first + slot
            review = start + days(slot * spacing + rng.randint(0, 9))
            due = review - days(84)
            submitted = due + days(rng.randint(-10, 60))
            reported = review + days(rng.randint(8, 14))
            adopted = reported + days(rng.randint(100, 140))
            next_review = review + days(4 * 365 + 180) if last_cycle else (
                UPR_CYCLES[number + 1][3] + days(slot * spacing))
            next_due = next_review - days(84)
            cycle = self.cycle(mechanism, country, label, is_current=last_cycle,
                               title=f"Universal Periodic Review of {country.name}, {label}")
            done = self.timeline(cycle, [
                (Kind.REPORT_DUE, due, submitted), (Kind.REPORT_SUBMITTED, due, submitted),
                (Kind.DIALOGUE, review, review),
                (Kind.CONCLUDING_OBSERVATIONS_ADOPTED, adopted, adopted),
                (Kind.NEXT_REPORT_DUE, next_due, next_due + days(rng.randint(-10, 60))),
            ])
            if Kind.REPORT_SUBMITTED in done:
                self.document(cycle, Document.Kind.STATE_REPORT,
                              f"A/HRC/WG.6/{session}/{country.code}/1", submitted,
                              f"National report submitted by {country.name}")
            if Kind.DIALOGUE in done and reported <= TODAY:
                council = session + 7 + session // 20  # the Council session that adopts it
                report = self.document(
                    cycle, Document.Kind.UPR_REPORT, f"A/HRC/{council}/{10 + rank}", reported,
                    f"Report of the Working Group on the Universal Periodic Review: {country.name}",
                )
                sources.append(Source("upr", mechanism, country, reported, 2.5, cycle, report,
                                      upr_session=session))
        return sources

    def visits(self, mechanism: Mechanism, country: Country, index: int) -> list[Source]:
        """Country visits (special procedures, the SPT), each a cycle with its report."""
        rng = self.rng
        if rng.random() > 0.55:
            return []
        sources = []
        year, number = rng.randint(2009, 2016), 0
        while year <= TODAY.year:
            number += 1
            visit = datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))
            next_year = year + rng.randint(3, 7)
            cycle = self.cycle(mechanism, country, f"visit {year}",
                               is_current=next_year > TODAY.year,
                               title=f"Visit to {country.name}, {year}")
            reported = visit + days(rng.randint(150, 300))
            if reported <= TODAY:
                if mechanism.kind == Mechanism.Kind.TREATY_BODY:
                    prefix = VISIT_PREFIXES.get(mechanism.code, mechanism.code)
                    symbol = f"{prefix}/{country.code}/{number}"
                else:
                    council = 8 + (reported - datetime.date(2008, 6, 2)).days // 122
                    symbol = f"A/HRC/{council}/{60 + index % 40}/Add.{1 + index // 40}"
                report = self.document(cycle, Document.Kind.OHCHR_DOCUMENT, symbol, reported,
                                       f"Report on the visit to {country.name}")
                sources.append(Source("visit", mechanism, country, reported, 0.4, cycle, report))
            year = next_year
        return sources

    def priorities(self, mechanism: Mechanism) -> list[Source]:
        """Priorities adopted outside reporting cycles, for the States a body works with."""
        sources = []
        for code in PRIORITY_COUNTRIES[mechanism.kind]:
            country = self.country_by_code.get(code) if code else None
            if code and not country:
                continue
            for year in sorted(self.rng.sample(range(2010, TODAY.year + 1), 3)):
                sources.append(Source("priority", mechanism, country,
                                      datetime.date(year, self.rng.randint(1, 12), 1), 0.3))
        return sources

    # Lists of issues and replies --------------------------------------------------------------

    def create_lists_of_issues(self) -> None:
        """Paragraphs, reply sections and reply paragraphs for a share of the replies, as many as
        the size asks for: one list per 400 recommendations, at least three."""
        rng = self.rng
        questions = [self.fill(rng.choice(QUESTIONS)) for _ in range(POOL // 5)]
        answers = {french: [self.reply_text(french) for _ in range(POOL)]
                   for french in (False, True)}
        eligible = [reply for reply in self.replies if reply.answers_id]
        chosen = rng.sample(eligible, min(len(eligible), max(3, self.recommendation_count // 400)))
        levels: list[list[ListOfIssuesParagraph]] = [[], [], []]
        sections: list[tuple[ReplySection, list[ListOfIssuesParagraph]]] = []
        paragraphs: list[tuple[ReplySection, int, str]] = []
        tables: list[StatisticalTable] = []
        for reply in chosen:
            french, issues, count = reply.language == "fr", reply.answers, rng.randint(18, 32)
            numbered = []
            for number in range(1, count + 1):
                part = ("Part I" if number <= count - 4
                        else "Part II" if number <= count - 2 else "Part III")
                letters = "abcdef"[:rng.randint(2, 6)] if rng.random() < 0.55 else ""
                text = "Please provide information on:" if letters else rng.choice(questions)
                paragraph = self.issue_paragraph(issues, part, None, text, number)
                levels[0].append(paragraph)
                leaves = [] if letters else [paragraph]
                for letter in letters:
                    child = self.issue_paragraph(issues, part, paragraph, rng.choice(questions),
                                                 number, letter)
                    levels[1].append(child)
                    leaves.append(child)
                    if rng.random() < 0.12:
                        for roman in ("i", "ii", "iii")[:rng.randint(2, 3)]:
                            levels[2].append(self.issue_paragraph(
                                issues, part, child, rng.choice(questions), number, letter, roman))
                numbered.append((leaves, part))
            order, reply_number = itertools.count(1), itertools.count(1)
            for leaves, part in numbered:
                if rng.random() < 0.08:
                    continue  # left unanswered
                together = len(leaves) == 1 or rng.random() < 0.6
                for answered in [leaves] if together else [[leaf] for leaf in leaves]:
                    section = ReplySection(document=reply, order=next(order),
                                           heading=self.heading(answered, french))
                    sections.append((section, answered))
                    if rng.random() < 0.05:  # only a pointer to an annex
                        paragraphs.append((section, next(reply_number),
                                           "Annexe 1." if french else "See annex 1."))
                        continue
                    for _ in range(rng.randint(1, 4)):
                        text = rng.choice(answers[french])
                        paragraphs.append((section, next(reply_number), text))
                    if part == "Part III":
                        tables.append(self.table(section))
        for level in levels:  # parents first, for their ids
            self.bulk_create(ListOfIssuesParagraph, level)
        self.bulk_create(ReplySection, [section for section, _ in sections])
        # ReplyParagraph.save() copies the section's document; these rows carry it themselves.
        self.insert_rows(ReplyParagraph, ["section_id", "document_id", "number", "text"], [
            (section.pk, section.document_id, number, text) for section, number, text in paragraphs
        ])
        self.bulk_create(StatisticalTable, tables)
        self.link(ReplySection.issue_paragraphs, [
            (section.pk, paragraph.pk) for section, answered in sections for paragraph in answered
        ])
        self.progress(f"{len(chosen):,} lists of issues with replies: "
                      f"{sum(map(len, levels)):,} paragraphs, {len(sections):,} sections, "
                      f"{len(paragraphs):,} reply paragraphs")

    def issue_paragraph(self, document: Document, part: str, parent: ListOfIssuesParagraph | None,
                        text: str, number: int, letter: str = "",
                        roman: str = "") -> ListOfIssuesParagraph:
        # bulk_create skips save(), which sets the label and the sort key: set them here.
        ref = ParagraphRef(number, letter, roman)
        return ListOfIssuesParagraph(
            document=document, part=part, parent=parent, number=number, letter=letter, roman=roman,
            label=ref.label, sort_key=paragraph_sort_key(ref), text=text,
        )

    def heading(self, answered: list[ListOfIssuesParagraph], french: bool) -> str:
        """As the replies print it: “Reply to paragraph 18 (a) to (f) of the list of issues”."""
        first, last = answered[0], answered[-1]
        if french:
            label = f"{first.number} {first.letter})" if first.letter else str(first.number)
            if last is not first:
                label += f" à {last.letter})"
            return f"Réponse concernant le paragraphe {label} de la liste de points"
        label = first.label + (f" to ({last.letter})" if last is not first else "")
        return f"Reply to paragraph {label} of the list of issues"

    def table(self, section: ReplySection) -> StatisticalTable:
        """Figures over the four years before the replies, as Part III asks for."""
        rng = self.rng
        year = section.document.date.year
        years = [str(y) for y in range(year - 4, year)]
        rows = []
        for label in ("Boys", "Girls", "Total"):
            values = [rng.randint(50, 5_000) for _ in years]
            cells = [f"{value:,}".replace(",", " ") for value in values]
            rows.append({"label": label, "cells": cells, "values": values})
        return StatisticalTable(section=section, caption=f"Cases of {rng.choice(TOPICS)}",
                                columns=["", *years], rows=rows)
