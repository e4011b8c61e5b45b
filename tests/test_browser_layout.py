"""Every main page at five screen widths in Debian's Chromium: no sideways scrolling, no serious
or critical axe violation, the header's menu opened and its links reached with the keyboard.
One server and one browser; each page is visited once per width. The screenshots go to
test-output/screenshots/layout/ for people to look at."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.helpers import make_user
from tests.test_browser import SCREENSHOTS, demo, page  # noqa: F401 (fixtures the test takes)
from tests.test_browser_csp import sign_in_as
from tracker.models import ReportingCycle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 768, 1280, 1440, 1920]
# Below this width the header's links are folded into the menu button.
MENU_BELOW = 1200


def serious_violations(page: Page) -> list[str]:
    return [
        f"{v['impact']} {v['id']}: {v['help']} — "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def reach_with_tab(page: Page, name: str, presses: int = 40) -> None:
    """Tab from the top of the page until the link named `name` has the focus."""
    page.locator("body").focus()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} not reached with Tab")


def test_the_pages_fit_every_width_and_pass_axe(live_server, demo, page):  # noqa: F811
    sign_in_as(page, live_server, make_user("admin", is_staff=True, is_superuser=True))
    cycle = ReportingCycle.objects.get(mechanism__code="CRC", country__code="KAZ", is_current=True)
    pages = {
        "dashboard": "/",
        "recommendations": "/recommendations/?current=0",
        "recommendation": demo.get_absolute_url(),
        "cycle": cycle.get_absolute_url(),
        "deadlines": "/deadlines/",
        "search": "/search/?q=children",
        "admin-import": "/admin/recommendations/recommendation/import/",
    }
    folder = SCREENSHOTS / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            response = page.goto(live_server.url + url)
            assert response is not None and response.ok, f"{url}: {response and response.status}"
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{name} at {width} px is {scroll_width} px wide")
            problems += [f"{name} at {width} px: {v}" for v in serious_violations(page)]
            page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
            if name == "dashboard":
                check_the_menu(page, width)
    assert not problems, "\n".join(problems)


def check_the_menu(page: Page, width: int) -> None:
    """The header's links: behind the menu button on a narrow screen, opened with the keyboard;
    each reached with Tab."""
    menu = page.get_by_role("button", name="Menu")
    links = page.get_by_role("navigation", name="Main")
    if width < MENU_BELOW:
        expect(menu).to_be_visible()
        expect(links.get_by_role("link", name="Deadlines")).to_be_hidden()
        menu.focus()
        page.keyboard.press("Enter")
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(links.get_by_role("link", name="Deadlines")).to_be_visible()
    else:
        expect(menu).to_be_hidden()
    reach_with_tab(page, "Deadlines")
    reach_with_tab(page, "Data entry")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
