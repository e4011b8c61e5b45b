"""The Content-Security-Policy in a real browser: every main page, the admin's change list
actions, change form and autocomplete, and the account pages load in Chromium without the policy
blocking anything (an inline script, style or handler left in a template would be blocked)."""

import re

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import ConsoleMessage, Page, expect

from recommendations.models import FollowUpAssessment, Measure
from tests.helpers import make_user
from tests.test_browser import demo, page  # noqa: F401 (fixtures the tests below take)
from tracker.models import CooperationFramework, Document, FieldOffice, Milestone, ReportingCycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Chromium fires `securitypolicyviolation` at the document for each thing the policy blocks;
# this listener, added before any page script runs, passes it on to the console.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI} `
                + `at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def violations(page: Page) -> list[str]:
    found: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        # The listener's reports and Chromium's own messages about the policy.
        if "CSP violation" in message.text or "Content Security Policy" in message.text:
            found.append(f"{page.url}: {message.text}")

    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", collect)
    return found


def sign_in_as(page: Page, live_server, user) -> None:
    """Hands the browser a signed-in session, as signing in (tested elsewhere) would."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([
        {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}
    ])


def visit(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    # Scripts loaded with defer and styles applied: whatever the policy blocks is reported by now.
    page.wait_for_load_state("load")


def test_the_main_pages_load_without_a_policy_violation(live_server, demo, page, violations):
    visit(page, f"{live_server.url}/accounts/login/")

    sign_in_as(page, live_server, make_user("admin", is_staff=True, is_superuser=True))
    cycle = demo.cycle
    # The State's replies to a list of issues with a word limit: they show a word-count bar.
    replies = Document.objects.filter(
        answers__word_limit__isnull=False, reply_sections__isnull=False
    ).first()
    urls = [
        "/", "/recommendations/?mechanism=CRC", demo.get_absolute_url(),
        f"/recommendations/{demo.pk}/history/", "/search/?q=violence", "/measures/",
        Measure.objects.first().get_absolute_url(), "/cycles/", cycle.get_absolute_url(),
        f"/cycles/{cycle.pk}/history/", f"/cycles/{cycle.pk}/alternative-report/",
        replies.get_absolute_url(), "/deadlines/", "/frameworks/",
        CooperationFramework.objects.first().get_absolute_url(), "/offices/",
        FieldOffice.objects.first().get_absolute_url(), "/follow-up/review/",
        f"/follow-up/{FollowUpAssessment.objects.get(summary__startswith='Nothing').pk}/review/",
        "/accounts/password/change/", "/accounts/2fa/",
    ]
    for url in urls:
        visit(page, live_server.url + url)
    # The word count of the replies: a bar drawn without a style attribute.
    visit(page, live_server.url + replies.get_absolute_url())
    expect(page.locator("progress.word-count-bar").first).to_be_visible()

    assert not violations, "\n".join(violations)


def test_the_admin_works_under_the_policy(live_server, demo, page, violations):
    sign_in_as(page, live_server, make_user("admin", is_staff=True, is_superuser=True))
    cycle = ReportingCycle.objects.get(mechanism__code="CRC", country__code="KAZ", is_current=True)
    milestone = Milestone.objects.filter(cycle=cycle, actual_date__isnull=True).first()
    visit(page, f"{live_server.url}/admin/")

    # A change list action: tick a row, choose the action, run it.
    visit(page, f"{live_server.url}/admin/tracker/milestone/?cycle__id__exact={cycle.pk}")
    page.locator(f"input[name='_selected_action'][value='{milestone.pk}']").check()
    expect(page.locator(".action-counter")).to_contain_text("1 of")
    page.locator("select[name='action']").select_option("mark_done_today")
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist")).to_contain_text("1 milestone marked done.")

    # A change form with an autocomplete (select2, from the admin's own static files).
    visit(page, f"{live_server.url}/admin/tracker/milestone/{milestone.pk}/change/")
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Kazakhstan")
    option = page.locator(".select2-results__option", has_text=re.compile("Kazakhstan")).first
    expect(option).to_be_visible()
    option.click()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # The date widgets' calendar and the "today" shortcut, both added by admin scripts.
    visit(page, f"{live_server.url}/admin/tracker/milestone/add/")
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()

    assert not violations, "\n".join(violations)
