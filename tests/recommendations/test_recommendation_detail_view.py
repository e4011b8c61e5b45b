import datetime
import html
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from recommendations.models import (
    AffectedGroup,
    FollowUpAssessment,
    Measure,
    Recommendation,
    Role,
    Status,
    SustainableDevelopmentGoal,
    Theme,
)
from tests.helpers import (
    days, make_assessment, make_cycle, make_organisation, make_recommendation, make_user, today,
)
from tracker.models import Country, Document, ReplyParagraph, ReplySection

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


@pytest.fixture
def recommendation(demo):
    """A concluding observation of the demo CRC cycle, linked to the demo questions and replies."""
    replies = Document.objects.get(symbol="CRC/C/KAZ/RQ/5-6")
    cycle = replies.cycle
    observations = Document.objects.create(
        cycle=cycle, kind=Document.Kind.CONCLUDING_OBSERVATIONS, symbol="CRC/C/KAZ/CO/4"
    )
    recommendation = make_recommendation(
        cycle, document=observations, reference="27 (a)", urgent=True,
        text="Adopt a comprehensive strategy to prevent violence against children.",
    )
    recommendation.themes.add(Theme.objects.get(code="A13"))
    recommendation.goals.add(SustainableDevelopmentGoal.objects.get(code="16.2"))
    recommendation.affected_groups.add(AffectedGroup.objects.get(code="girls"))
    section = ReplySection.objects.filter(document=replies).order_by("order").first()
    recommendation.reply_sections.add(section)
    recommendation.issue_paragraphs.add(*section.issue_paragraphs.all())
    return recommendation


def page(client, recommendation: Recommendation) -> str:
    response = client.get(f"/recommendations/{recommendation.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_the_text_and_where_it_comes_from(client, recommendation):
    content = page(client, recommendation)
    assert "Adopt a comprehensive strategy to prevent violence against children." in content
    assert "Committee on the Rights of the Child" in content
    assert f'<a href="{recommendation.document.get_absolute_url()}">CRC/C/KAZ/CO/4</a>, paragraph 27 (a)' in content
    assert f'href="{recommendation.cycle.get_absolute_url()}"' in content
    assert "Reservations" in content and "Target 16.2" in content and "Girls" in content
    assert "Urgent measures" in content


def test_it_links_the_related_questions_and_replies_to_the_cycle_page(client, recommendation):
    content = page(client, recommendation)
    cycle_url = recommendation.cycle.get_absolute_url()
    section = recommendation.reply_sections.get()
    assert f'href="{cycle_url}#section-{section.pk}"' in content
    for paragraph in recommendation.issue_paragraphs.all():
        assert f'href="{cycle_url}#{paragraph.anchor}"' in content
    # The section's reply paragraphs are there to read.
    assert section.paragraphs.first().text[:40] in content


def test_it_shows_upr_details(client):
    upr = make_recommendation(
        make_cycle("KAZ", "UPR", "2"), reference="115.1", upr_session=20,
        position=Recommendation.Position.NOTED, position_source="A/HRC/28/10/Add.1, para. 5",
    )
    upr.recommending_states.add(Country.objects.get(code="FRA"))
    content = page(client, upr)
    assert "Universal Periodic Review" in content
    assert "France" in content and "Noted" in content and "A/HRC/28/10/Add.1, para. 5" in content


def test_it_links_the_same_recommendation_in_the_previous_cycle(client):
    earlier = make_recommendation(make_cycle("KAZ", "CRC", "3-4", is_current=False), reference="60")
    later = make_recommendation(make_cycle("KAZ", "CRC", "5-6"), previous=earlier)
    content = page(client, later)
    assert f'<a href="{earlier.get_absolute_url()}">Paragraph 60 of cycle 3-4</a>' in content


def test_it_lists_the_measures_serving_it_and_marks_late_ones(client):
    recommendation = make_recommendation()
    measure = Measure.objects.create(
        title="National action plan", country=Country.objects.get(code="KAZ"),
        target_date=today() - days(10), status=Measure.Status.IN_PROGRESS,
    )
    measure.recommendations.add(recommendation)
    content = page(client, recommendation)
    assert f'<a href="{measure.get_absolute_url()}">National action plan</a>' in content
    assert '<span class="overdue">late</span>' in content


def test_the_history_is_a_timeline_per_organisation_without_drafts(client):
    recommendation = make_recommendation()
    coalition = make_organisation("Coalition for children")
    ombudsman = make_organisation("Commissioner", kind="nhri")
    make_assessment(recommendation, coalition, Status.NOT_STARTED, date=today() - days(400),
                    summary="Nothing yet.")
    latest = make_assessment(
        recommendation, coalition, Status.IN_PROGRESS, date=today() - days(30), grade="B2",
        summary="A draft strategy was published.", evidence="Government decree.",
        evidence_links="https://example.org/decree\njavascript:alert(1)",
        review_note="Confirmed with the ministry.",
    )
    make_assessment(recommendation, ombudsman, Status.NOT_IMPLEMENTED, summary="Not started in practice.",
                    review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    make_assessment(recommendation, ombudsman, Status.IMPLEMENTED, summary="SECRET DRAFT",
                    review_state=FollowUpAssessment.ReviewState.DRAFT, date=today() + days(1))

    response = client.get(recommendation.get_absolute_url())
    history = response.context["history"]
    assert [(organisation.name, [entry.summary for entry in entries]) for organisation, entries in history] == [
        ("Coalition for children", ["A draft strategy was published.", "Nothing yet."]),
        ("Commissioner", ["Not started in practice."]),
    ]
    content = response.content.decode()
    assert "SECRET DRAFT" not in content
    entry = content[content.index(f'id="assessment-{latest.pk}"'):]
    assert "In progress" in entry and "B2 — initial action taken, more needed" in entry
    assert "Accepted" in entry and "Confirmed with the ministry." in entry
    assert '<a href="https://example.org/decree" rel="noopener noreferrer">' in entry
    # A link that is not http(s) is shown as text, never made clickable.
    assert 'href="javascript:' not in content
    assert "Submitted" in content


def test_an_evidence_reply_paragraph_links_to_the_cycle_page(client, recommendation):
    paragraph = ReplyParagraph.objects.get(document__symbol="CRC/C/KAZ/RQ/5-6", number=47)
    entry = make_assessment(recommendation, make_organisation(), Status.IN_PROGRESS)
    entry.evidence_paragraphs.add(paragraph)
    content = page(client, recommendation)
    assert f'href="{recommendation.cycle.get_absolute_url()}#reply-{paragraph.document_id}-47"' in content


def test_an_unknown_recommendation_is_not_found(client):
    assert client.get("/recommendations/999999/").status_code == 404


@pytest.mark.parametrize("size", [1, 12])
def test_the_number_of_queries_does_not_grow_with_the_history(client, size, django_assert_max_num_queries):
    recommendation = make_recommendation()
    recommendation.themes.add(*Theme.objects.all()[:size])
    for number in range(size):
        organisation = make_organisation()
        for age in (300, 30):
            make_assessment(recommendation, organisation, Status.IN_PROGRESS, date=today() - days(age + number))
        Measure.objects.create(title=f"Measure {number}", country=recommendation.country,
                               target_date=datetime.date(2020, 1, 1)).recommendations.add(recommendation)
    with django_assert_max_num_queries(12):
        content = page(client, recommendation)
    assert len(re.findall(r'class="timeline-entry"', content)) == 2 * size


def test_it_links_its_history_for_signed_in_users_only(client):
    recommendation = make_recommendation()
    history = reverse("recommendations:history", args=[recommendation.pk])
    assert f'href="{history}"' not in page(client, recommendation)
    client.force_login(make_user())
    assert f'href="{history}"' in page(client, recommendation)
    assert client.get(history).status_code == 200


def test_the_log_form_lists_the_cycles_reply_paragraphs_beside_those_of_another_cycle_shown(
    client, recommendation,
):
    """The page reads its reply paragraphs in one query when they are all of the cycle's
    replies; those of another cycle's replies, cited or linked, are shown as well."""
    coalition = make_organisation("Coalition for children")
    client.force_login(make_user(organisation=coalition, role=Role.NGO_STAFF))
    other_cycle = make_recommendation().cycle
    other = Document.objects.create(cycle=other_cycle, kind=Document.Kind.REPLIES,
                                    symbol="CRC/C/KAZ/RQ/7")
    foreign_section = ReplySection.objects.create(document=other, heading="Budget", order=1)
    foreign = ReplyParagraph.objects.create(document=other, section=foreign_section, number=3,
                                            text="Another cycle's budget.")
    own = ReplyParagraph.objects.get(document__symbol="CRC/C/KAZ/RQ/5-6", number=47)
    entry = make_assessment(recommendation, coalition, Status.IN_PROGRESS)
    entry.evidence_paragraphs.add(own)

    def picker(page: str) -> set[str]:
        select = page[page.index('name="evidence_paragraphs"'):]
        return set(re.findall(r'<option value="(\d+)"', select[:select.index("</select>")]))

    page = first = client.get(recommendation.get_absolute_url()).content.decode()
    cycle_paragraphs = ReplyParagraph.objects.filter(document__cycle=recommendation.cycle)
    assert picker(page) == {str(p.pk) for p in cycle_paragraphs}
    assert f"#reply-{own.document_id}-47" in page and "Another cycle" not in page

    entry.evidence_paragraphs.add(foreign)
    recommendation.reply_sections.add(foreign_section)
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert picker(page) == picker(first)  # still only the cycle's own
    assert f"#reply-{own.document_id}-47" in page
    assert f'href="{other_cycle.get_absolute_url()}#reply-{other.pk}-3"' in page
    assert "<li value=\"3\">Another cycle&#x27;s budget.</li>" in page
    # Narrowed by words, the picker keeps to those holding them.
    page = client.get(recommendation.get_absolute_url(), {"paragraphs": "zzz-none"}).content
    assert picker(page.decode()) == set()


def test_drafts_and_edit_links_follow_who_may_edit(client):
    recommendation = make_recommendation()
    coalition, commissioner = make_organisation("Coalition"), make_organisation("Commissioner")
    draft = FollowUpAssessment.ReviewState.DRAFT
    older = make_assessment(recommendation, coalition, Status.NOT_STARTED, review_state=draft,
                            date=today() - days(9), summary="Older draft")
    newer = make_assessment(recommendation, commissioner, Status.IN_PROGRESS, review_state=draft,
                            date=today(), summary="Newer draft")
    waiting = make_assessment(recommendation, coalition, Status.IN_PROGRESS,
                              review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    accepted = make_assessment(recommendation, coalition, Status.IN_PROGRESS)

    def edit_links(page: str) -> set[int]:
        return {int(pk) for pk in re.findall(r'href="/follow-up/(\d+)/edit/"', page)}

    client.force_login(make_user(organisation=coalition, role=Role.NGO_STAFF))
    content = page(client, recommendation)
    assert "Older draft" in content and "Newer draft" not in content
    assert edit_links(content) == {older.pk, waiting.pk}

    client.force_login(make_user(is_superuser=True))
    content = page(client, recommendation)
    # Every organisation's drafts, newest first.
    assert content.index("Newer draft") < content.index("Older draft")
    assert edit_links(content) == {older.pk, newer.pk, waiting.pk}
    assert accepted.pk not in edit_links(content)

    client.force_login(make_user(organisation=coalition, role=Role.REVIEWER))
    content = page(client, recommendation)
    assert "Drafts of your organisation" not in content and edit_links(content) == set()


def picker_options(page: str) -> list[tuple[str, str]]:
    select = page[page.index('name="evidence_paragraphs"'):]
    select = select[:select.index("</select>")]
    return re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)


def test_the_picker_finds_the_french_replies_about_children_best_first(client, recommendation):
    client.force_login(make_user(organisation=make_organisation("Coalition"), role=Role.NGO_STAFF))

    options = picker_options(client.get(recommendation.get_absolute_url(),
                                        {"paragraphs": "enfant"}).content.decode())

    paragraphs = ReplyParagraph.objects.select_related("section").in_bulk(
        [int(pk) for pk, _label in options]
    )
    found = [paragraphs[int(pk)] for pk, _label in options]
    # “enfant” finds “enfants”, “l'enfant” and “Enfant” alike, in most of the Kazakh replies.
    assert len(found) > 40
    assert all("enfant" in f"{p.section.heading} {p.text}".lower() for p in found)
    ranks = [p.relevance(["enfant"]) for p in found]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]
    # Named by number, section heading and first words rather than the bare symbol.
    best, label = found[0], html.unescape(options[0][1])
    assert label.startswith(f"¶ {best.number} — {' '.join(best.text.split()[:3])}")
    assert f"({best.section.heading[:30]}" in label


def test_the_picker_s_live_filter_reads_every_paragraph_s_whole_text(client, recommendation):
    client.force_login(make_user(organisation=make_organisation("Coalition"), role=Role.NGO_STAFF))
    content = client.get(recommendation.get_absolute_url()).content.decode()
    block = content[content.index('<script id="id_evidence_paragraphs-texts"'):]
    texts = json.loads(block[block.index(">") + 1:block.index("</script>")])
    paragraph = ReplyParagraph.objects.select_related("section").get(
        document__symbol="CRC/C/KAZ/RQ/5-6", number=47
    )
    assert texts[str(paragraph.pk)] == f"{paragraph.section.heading} {paragraph.text}"
    assert len(texts) == 274


def test_the_related_questions_and_replies_sit_beside_the_text(client, recommendation):
    content = page(client, recommendation)
    text = content.index('<blockquote class="recommendation-text')
    aside = content.index('<aside class="col-lg-5 related-questions"')
    assert text < aside < content.index('id="about-heading"')
