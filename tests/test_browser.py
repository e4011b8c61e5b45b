"""The recommendations pages in a real browser: Debian's Chromium driven by Playwright, with axe
checking each page visited. Screenshots go to test-output/screenshots/ for people to look at."""

import datetime
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from playwright.sync_api import Page, expect, sync_playwright

from recommendations.models import FollowUpAssessment, Measure, Recommendation, Role, Status, Theme
from tests.helpers import PASSWORD, make_assessment, make_organisation, make_user, totp_code
from tracker.models import Document, Organisation, ReplySection, ReportingCycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = settings.BASE_DIR / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--headless", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]


@pytest.fixture
def demo(reference_data):
    """The demo data, plus concluding observations with follow-up to filter and open."""
    call_command("load_demo", verbosity=0)
    cycle = ReportingCycle.objects.get(mechanism__code="CRC", country__code="KAZ", is_current=True)
    observations = Document.objects.create(
        cycle=cycle, kind=Document.Kind.CONCLUDING_OBSERVATIONS, symbol="CRC/C/KAZ/CO/4",
        date=datetime.date(2015, 10, 30),
    )
    texts = {
        "27 (a)": "Adopt a comprehensive strategy to prevent and combat all forms of violence "
                  "against children.",
        "27 (b)": "Establish a national database on all cases of violence against children.",
        "33": "Use the Child Well-being Index to plan the budget allocated to children.",
    }
    for order, (reference, text) in enumerate(texts.items()):
        Recommendation.objects.create(
            cycle=cycle, country=cycle.country, mechanism=cycle.mechanism, document=observations,
            reference=reference, order=order, text=text, date=observations.date,
            urgent=reference == "27 (a)",
        )
    strategy = Recommendation.objects.get(document=observations, reference="27 (a)")
    strategy.themes.add(Theme.objects.get(code="A13"))
    strategy.reply_sections.add(ReplySection.objects.filter(document__symbol="CRC/C/KAZ/RQ/5-6").first())
    coalition = make_organisation("Coalition of NGOs for children's rights")
    ombudsman = make_organisation("Commissioner for Children's Rights", kind="nhri")
    make_assessment(strategy, coalition, Status.NOT_STARTED, date=datetime.date(2024, 3, 1),
                    summary="No strategy adopted yet.")
    make_assessment(strategy, coalition, Status.IN_PROGRESS, date=datetime.date(2025, 6, 1), grade="B2",
                    summary="A draft strategy was published for consultation.",
                    evidence_links="https://example.org/draft-strategy",
                    review_note="Confirmed with the ministry.")
    make_assessment(strategy, ombudsman, Status.NOT_STARTED, date=datetime.date(2025, 7, 1),
                    summary="Nothing has started in practice.",
                    review_state=FollowUpAssessment.ReviewState.SUBMITTED)
    measure = Measure.objects.create(
        title="National action plan against violence towards children", country=cycle.country,
        responsible=ombudsman, target_date=datetime.date(2025, 12, 31),
        status=Measure.Status.IN_PROGRESS,
    )
    measure.recommendations.add(strategy)
    return strategy


@pytest.fixture
def page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread, and Django refuses database
    # access inside a running loop unless told it is safe (only for these tests: the variable
    # must not reach other tests' subprocesses, where `check --deploy` rejects it).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page
        browser.close()


def check(page: Page, name: str) -> Path:
    """Save a screenshot of the page and fail on serious or critical accessibility violations."""
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    violations = [
        violation for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not violations, f"{name}: " + "\n".join(
        f"{v['impact']} {v['id']}: {v['help']} — "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )
    return path


def test_a_visitor_filters_opens_a_recommendation_and_reads_it_in_french(live_server, demo, page):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    # The demo's replies are loaded: their due date is met, not overdue.
    expect(page.locator(".overdue")).to_have_count(0)
    expect(page.locator("svg.status-chart-svg")).to_be_visible()
    check(page, "dashboard")

    page.get_by_role("link", name="Recommendations", exact=True).first.click()
    page.get_by_label("Mechanism").select_option(label="CRC — Committee on the Rights of the Child")
    page.get_by_label("Kind").select_option(label="Recommendation")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"mechanism=CRC.*kind=recommendation"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(3)
    expect(page.get_by_label("Current cycles only")).to_be_checked()
    check(page, "recommendations-filtered")

    page.get_by_role("link", name=demo.text[:40], exact=False).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recommendation 27 (a)")
    expect(page.get_by_role("heading", name="Coalition of NGOs for children's rights")).to_be_visible()
    expect(page.locator(".timeline-entry")).to_have_count(3)
    check(page, "recommendation")

    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Go").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # Dates follow the language: the month is French.
    expect(page.locator("main")).to_contain_text("octobre 2015")
    check(page, "recommendation-fr")


def test_search_and_measures_pages_are_accessible(live_server, demo, page):
    page.goto(live_server.url)
    page.get_by_label("Search questions, replies, recommendations and follow-up").fill(
        "Indice du bien-être des enfants"
    )
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()
    expect(page.locator("mark").first).to_be_visible()
    check(page, "search")

    page.goto(f"{live_server.url}/measures/")
    expect(page.locator("table")).to_contain_text("late")
    check(page, "measures")

    # The same list on a phone: the filters come first, the table scrolls sideways.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/recommendations/?mechanism=CRC")
    check(page, "recommendations-phone")


def sign_in(page: Page, live_server, username: str, mfa: bool = False) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username or e-mail address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if mfa:  # the code the user's authenticator app (make_user's TOTP_SECRET) shows
        expect(page.get_by_role("heading", name="Two-factor authentication")).to_be_visible()
        page.get_by_label("Code").fill(totp_code())
        page.get_by_role("button", name="Sign in").click()


def test_ngo_staff_log_a_status_a_reviewer_accepts_it_and_the_dashboard_follows(
    live_server, demo, page, settings
):
    # As deployed by default: nothing is readable without signing in.
    settings.TRACKER_PUBLIC_READ = False
    # The flush between transactional tests removed the groups migration 0002_roles made; the
    # app reads roles by group name only.
    for role in (Role.NGO_STAFF, Role.REVIEWER):
        Group.objects.get_or_create(name=role)
    coalition = Organisation.objects.get(name="Coalition of NGOs for children's rights")
    make_user("aliya", organisation=coalition, role=Role.NGO_STAFF)
    make_user("ombudsman", organisation=make_organisation("Ombudsman office", kind="nhri"),
              role=Role.REVIEWER)
    recommendation = Recommendation.objects.get(reference="27 (b)", document__symbol="CRC/C/KAZ/CO/4")
    implemented_before = Recommendation.objects.current().filter(
        mechanism__code="CRC", status=Status.IMPLEMENTED
    ).count()

    page.goto(f"{live_server.url}/recommendations/{recommendation.pk}/")
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    check(page, "login")
    page.get_by_label("Username or e-mail address").fill("aliya")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recommendation 27 (b)")
    expect(page.get_by_role("banner")).to_contain_text("Coalition of NGOs for children's rights")

    form = page.locator("form.log-form")
    form.get_by_label("Status").select_option(label="Implemented")
    form.get_by_label("Summary").fill("The national database of cases opened in 2025.")
    form.get_by_label("Evidence links").fill("https://example.org/database")
    form.get_by_label("Evidence (optional)", exact=True).fill("Order No. 12 of the Ministry of Interior.")
    check(page, "log-follow-up")
    form.get_by_role("button", name="Submit", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("submitted for review")
    expect(page.locator(".timeline-entry", has_text="national database")).to_contain_text("Submitted")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, "ombudsman", mfa=True)
    page.goto(f"{live_server.url}/follow-up/review/")
    check(page, "review-queue")
    page.get_by_role("link", name=re.compile(r"Review the entry of Coalition.*27 \(b\)")).click()
    expect(page.locator("main")).to_contain_text("Order No. 12")
    page.get_by_label("Accept").check()
    page.get_by_label("Note").fill("Confirmed with the ministry's registry.")
    check(page, "review")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("status")).to_contain_text("Entry accepted.")

    page.goto(f"{live_server.url}/recommendations/{recommendation.pk}/")
    expect(page.locator(".timeline-entry", has_text="national database")).to_contain_text(
        "Confirmed with the ministry's registry."
    )
    page.goto(live_server.url)
    # The dashboard's status counts follow: one more CRC recommendation implemented.
    implemented = page.locator(".status-table a[href*='mechanism=CRC'][href*='status=implemented']")
    expect(implemented).to_have_text(str(implemented_before + 1))
    check(page, "dashboard-after-review")
