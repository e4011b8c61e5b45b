"""The alternative-report draft of a cycle: for each question of its lists of issues and each of its
recommendations, the State's reply and the organisations' accepted follow-up, as the skeleton of
the shadow report an NGO coalition sends the committee. Read once, written as Word or HTML."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from docx import Document as WordDocument

from recommendations.models import FollowUpAssessment, Recommendation
from tracker.models import (
    Document,
    ListOfIssuesParagraph,
    ReplyParagraph,
    ReplySection,
    ReportingCycle,
)

# A reply section's text is quoted only as far as the drafter needs to find it.
EXCERPT_WORDS = 60


def excerpt(text: str) -> str:
    return Truncator(" ".join(text.split())).words(EXCERPT_WORDS)


@dataclass
class Reply:
    """A reply section, by its heading, paragraph numbers and the start of its text."""

    heading: str
    document: str
    numbers: list[int]
    excerpt: str

    @classmethod
    def of(cls, section: ReplySection) -> Reply:
        paragraphs = list(section.paragraphs.all())
        text = " ".join([section.text, *(paragraph.text for paragraph in paragraphs)])
        return cls(
            heading=section.heading,
            document=str(section.document),
            numbers=[paragraph.number for paragraph in paragraphs],
            excerpt=excerpt(text),
        )


@dataclass
class Question:
    label: str
    text: str
    replies: list[Reply]


@dataclass
class Item:
    """A recommendation with the State's reply and each organisation's latest accepted entry."""

    recommendation: Recommendation
    replies: list[Reply]
    assessments: list[FollowUpAssessment]


@dataclass
class AlternativeReport:
    cycle: ReportingCycle
    questions: list[tuple[Document, list[Question]]]
    items: list[Item]


def _sections() -> Prefetch:
    return Prefetch(
        "reply_sections",
        ReplySection.objects.select_related("document").prefetch_related("paragraphs"),
    )


def build_report(cycle: ReportingCycle) -> AlternativeReport:
    """Everything the draft shows, in a fixed number of queries however long the cycle."""
    lists = cycle.documents.filter(
        kind__in=[Document.Kind.LIST_OF_ISSUES, Document.Kind.LIST_OF_ISSUES_PRIOR]
    ).order_by("date", "pk")
    questions = [
        (
            document,
            [
                Question(paragraph.label, paragraph.text,
                         [Reply.of(section) for section in paragraph.reply_sections.all()])
                for paragraph in ListOfIssuesParagraph.objects.filter(document=document)
                .prefetch_related(_sections())
            ],
        )
        for document in lists
    ]
    accepted = (
        FollowUpAssessment.objects.filter(recommendation__cycle=cycle)
        .accepted()
        .latest_per_organisation()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("evidence_paragraphs", ReplyParagraph.objects.select_related("document"))
        )
        .order_by("organisation__name")
    )
    by_recommendation: dict[int, list[FollowUpAssessment]] = {}
    for assessment in accepted:
        by_recommendation.setdefault(assessment.recommendation_id, []).append(assessment)
    recommendations = cycle.recommendations.select_related("country", "mechanism").prefetch_related(
        _sections()
    )
    items = [
        Item(
            recommendation,
            [Reply.of(section) for section in recommendation.reply_sections.all()],
            by_recommendation.get(recommendation.pk, []),
        )
        for recommendation in recommendations
    ]
    return AlternativeReport(cycle, questions, items)


def _reply_line(reply: Reply) -> str:
    numbers = ", ".join(str(number) for number in reply.numbers)
    where = f"{reply.document}, ¶ {numbers}" if numbers else reply.document
    return f"{reply.heading} ({where}): {reply.excerpt}"


def _assessment_line(assessment: FollowUpAssessment) -> str:
    parts = [str(assessment.organisation), assessment.get_status_display()]
    if assessment.grade:
        parts.append(_("grade %(grade)s") % {"grade": assessment.grade})
    parts.append(date_format(assessment.date))
    return " · ".join(parts)


def write_docx(report: AlternativeReport) -> bytes:
    """The draft as a Word document the coalition edits: headings, paragraphs and lists only, so
    it takes the styles of whatever template they paste it into."""
    word = WordDocument()
    word.add_heading(_("Alternative report draft: %(cycle)s") % {"cycle": report.cycle}, level=0)
    word.add_paragraph(
        _("Draft prepared from the reporting-cycle tracker: the State's replies and the accepted "
          "follow-up of each organisation. Edit before sending.")
    )
    for document, questions in report.questions:
        word.add_heading(_("List of issues %(document)s") % {"document": document}, level=1)
        for question in questions:
            word.add_heading(_("Paragraph %(label)s") % {"label": question.label}, level=2)
            if question.text:
                word.add_paragraph(question.text)
            word.add_paragraph(_("The State's reply"), style="Heading 3")
            for reply in question.replies:
                word.add_paragraph(_reply_line(reply), style="List Bullet")
            if not question.replies:
                word.add_paragraph(_("No reply section answers this paragraph."))
    word.add_heading(_("Recommendations"), level=1)
    for item in report.items:
        _write_item(word, item)
    if not report.items:
        word.add_paragraph(_("No recommendation recorded for this cycle."))
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def _write_item(word: WordDocument, item: Item) -> None:
    recommendation = item.recommendation
    reference = recommendation.reference or str(recommendation)
    word.add_heading(_("Recommendation %(reference)s") % {"reference": reference}, level=2)
    word.add_paragraph(recommendation.text)
    word.add_paragraph(_("The State's reply"), style="Heading 3")
    for reply in item.replies:
        word.add_paragraph(_reply_line(reply), style="List Bullet")
    if not item.replies:
        word.add_paragraph(_("No reply section is linked to this recommendation."))
    word.add_paragraph(_("Accepted follow-up"), style="Heading 3")
    for assessment in item.assessments:
        word.add_paragraph(_assessment_line(assessment), style="Heading 4")
        word.add_paragraph(assessment.summary)
        if assessment.evidence:
            word.add_paragraph(assessment.evidence)
        for link in assessment.links:
            word.add_paragraph(link, style="List Bullet")
        for paragraph in assessment.evidence_paragraphs.all():
            word.add_paragraph(
                f"{paragraph.document}, ¶ {paragraph.number}: {excerpt(paragraph.text)}",
                style="List Bullet",
            )
    if not item.assessments:
        word.add_paragraph(_("No accepted follow-up yet."))
