"""Hostile text in every field the pages show, typed in or imported, is shown escaped: no page
runs a script from the data or links to a javascript: address."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from recommendations.models import FollowUpAssessment, Measure, Role, SavedSearch
from tests.helpers import (
    days,
    make_assessment,
    make_organisation,
    make_recommendation,
    make_user,
    today,
)
from tracker.accounts.tokens import calendar_token
from tracker.importing import import_list_of_issues_text, import_replies_text
from tracker.models import (
    CooperationFramework,
    Country,
    FieldOffice,
    ListOfIssuesParagraph,
    Mechanism,
    Milestone,
    ReplyParagraph,
    StatisticalTable,
)

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
IMAGE = '"><img src=x onerror=alert(1)>'
PAYLOAD = SCRIPT + IMAGE
JAVASCRIPT = "javascript:alert(1)"
REPLIES = (settings.BASE_DIR / "fixtures" / "seeds" / "CRC_C_KAZ_RQ_5-6_fr.txt").read_text(encoding="utf-8")
LIST_OF_ISSUES = (Path(__file__).parent / "tracker" / "documents" / "loi_crc_en.txt").read_text(
    encoding="utf-8"
)


def hostile(name: str) -> str:
    return f"{PAYLOAD} {name}"


@pytest.fixture
def data(client) -> dict:
    """Every kind of record the pages show, each text field holding the payload; the documents
    imported through the real importers with the payload inside their text."""
    list_of_issues = import_list_of_issues_text(LIST_OF_ISSUES.replace(
        "The comprehensive policy document", hostile("The comprehensive policy document"), 1
    )).document
    replies = import_replies_text(
        REPLIES.replace("Le document stratégique clef", hostile("Le document stratégique clef"), 1)
        .replace("Pour des infractions particulièrement graves", hostile("infractions graves"), 1)
    ).document
    # The importers kept the payload: otherwise this test could not fail.
    assert ListOfIssuesParagraph.objects.filter(text__contains=PAYLOAD).exists()
    assert ReplyParagraph.objects.filter(text__contains=PAYLOAD).exists()
    assert any(PAYLOAD in str(table.rows) for table in StatisticalTable.objects.all())

    cycle = replies.cycle
    cycle.title, cycle.notes, cycle.source = hostile("title"), hostile("notes"), hostile("source")
    cycle.save()
    list_of_issues.title = hostile("list title")
    list_of_issues.save()
    Milestone.objects.update_or_create(
        cycle=cycle, kind=Milestone.Kind.NEXT_REPORT_DUE,
        defaults={"planned_date": today() + days(5), "actual_date": None,
                  "note": hostile("milestone\r\nURL:" + JAVASCRIPT)},
    )
    Country.objects.filter(code="KAZ").update(name_fr=hostile("Kazakhstan"))
    Mechanism.objects.filter(code="CRC").update(name_fr=hostile("Comité"))

    organisation = make_organisation(hostile("NGO"), acronym="<b>X</b>")
    user = make_user(organisation=organisation, role=Role.REVIEWER, is_superuser=True,
                     is_staff=True)
    recommendation = make_recommendation(
        cycle, reference=hostile("1")[:30], text=hostile("recommendation"),
        source=hostile("source"), position_source=hostile("position")[:200], follow_up=True,
        follow_up_due=today() + days(3), document=list_of_issues,
    )
    links = "\n".join([JAVASCRIPT, "JavaScript:alert(2)", "data:text/html,<script>alert(3)</script>",
                       f"https://example.org/{IMAGE}"])
    accepted = make_assessment(
        recommendation, organisation, "implemented", summary=hostile("summary"),
        evidence=hostile("evidence"), evidence_links=links, review_note=hostile("review note"),
    )
    # Another organisation's, as nobody reviews their own organisation's entries.
    submitted = make_assessment(
        recommendation, make_organisation(hostile("other NGO")), "partially_implemented",
        review_state=FollowUpAssessment.ReviewState.SUBMITTED, summary=hostile("submitted"),
        evidence_links=links,
    )
    measure = Measure.objects.create(
        title=hostile("measure"), description=hostile("description"), source=hostile("source"),
        country=cycle.country, responsible=organisation,
    )
    measure.recommendations.add(recommendation)
    framework = CooperationFramework.objects.create(
        organisation=organisation, country=cycle.country, title=hostile("framework"),
        original_title=hostile("original"), adopting_body=cycle.mechanism,
        meeting=hostile("m")[:100], status=CooperationFramework.Status.IN_FORCE,
        summary=hostile("summary"), source=hostile("source"),
    )
    office = FieldOffice.objects.create(
        organisation=organisation, name=hostile("office"), original_name=hostile("original"),
        seat_city=hostile("city")[:100], seat_country=cycle.country,
        mandate_reference=hostile("mandate"), source=hostile("source"),
    )
    office.countries.add(cycle.country)
    search = SavedSearch.objects.create(user=user, name=hostile("search"), query="country=KAZ")
    client.force_login(user)
    return {
        "cycle": cycle, "list_of_issues": list_of_issues, "replies": replies,
        "recommendation": recommendation, "accepted": accepted, "submitted": submitted,
        "measure": measure, "framework": framework, "office": office, "search": search,
        "organisation": organisation, "user": user,
    }


def pages(data: dict) -> list[str]:
    cycle, recommendation = data["cycle"], data["recommendation"]
    admin_pages = [
        reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
        for obj in (cycle, data["list_of_issues"], data["replies"], recommendation,
                    data["accepted"], data["measure"], data["framework"], data["office"],
                    data["organisation"], cycle.country)
    ]
    return [
        reverse("recommendations:dashboard"),
        reverse("recommendations:list"),
        reverse("recommendations:list") + "?q=recommendation",
        reverse("recommendations:detail", args=[recommendation.pk]),
        reverse("recommendations:history", args=[recommendation.pk]),
        reverse("recommendations:search") + "?q=payload+script+alert+document+summary",
        reverse("recommendations:review-queue"),
        reverse("recommendations:review", args=[data["submitted"].pk]),
        reverse("recommendations:edit", args=[data["submitted"].pk]),
        reverse("recommendations:measures"),
        reverse("recommendations:measure", args=[data["measure"].pk]),
        reverse("recommendations:cycle-report", args=[cycle.pk]),
        reverse("tracker:cycles"),
        reverse("tracker:cycle", args=[cycle.pk]),
        reverse("tracker:cycle-history", args=[cycle.pk]),
        reverse("tracker:document", args=[data["list_of_issues"].pk]),
        reverse("tracker:document", args=[data["replies"].pk]),
        reverse("tracker:document-history", args=[data["replies"].pk]),
        reverse("recommendations:deadlines"),
        reverse("tracker:frameworks"),
        reverse("tracker:framework", args=[data["framework"].pk]),
        reverse("tracker:offices"),
        reverse("tracker:office", args=[data["office"].pk]),
        *admin_pages,
    ]


def assert_escaped(content: str, url: str) -> None:
    assert SCRIPT not in content, url
    assert "<img src=x onerror" not in content, url
    assert 'href="javascript:' not in content.lower(), url
    assert 'href="data:' not in content.lower(), url


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_shows_hostile_text_escaped(client, data, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    shown = 0
    for url in pages(data):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert_escaped(content, url)
        shown += "&lt;script&gt;" in content
    # The payload was on the pages, escaped: not left out altogether.
    assert shown >= len(pages(data)) - 3
    translation.activate("en")


def test_the_recommendation_page_links_only_web_addresses(client, data):
    content = client.get(reverse("recommendations:detail", args=[data["recommendation"].pk])).content.decode()

    assert 'href="https://example.org/&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in content
    assert JAVASCRIPT in content  # shown as text, not as a link


def test_the_calendar_feed_keeps_hostile_text_inside_its_fields(client, data):
    feed = client.get(
        reverse("recommendations:calendar-country", args=[calendar_token(country="KAZ")])
    ).content.decode()

    assert "alert(1)" in feed
    properties = [line for line in feed.split("\r\n") if line and not line.startswith(" ")]
    # A line break in a note cannot start a property of its own: the feed has only its own.
    assert {line.split(":")[0].split(";")[0] for line in properties} <= {
        "BEGIN", "END", "PRODID", "VERSION", "X-WR-CALNAME", "UID", "DTSTAMP", "DTSTART",
        "SUMMARY", "DESCRIPTION", "URL",
    }
    assert all(line.startswith("URL:http") for line in properties if line.startswith("URL"))
