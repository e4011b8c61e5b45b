"""The API's interactive documentation in a real browser, under the project's strict
Content-Security-Policy: Swagger UI loads from the app's own static files, draws every endpoint
from the schema and calls the API, with nothing blocked."""

import pytest
from playwright.sync_api import Page, expect

from tests.helpers import make_user
from tests.test_browser import page  # noqa: F401 (the fixture the test takes)
from tests.test_browser_csp import sign_in_as, violations  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_documentation_works_under_the_csp(live_server, reference_data, page: Page,
                                               violations):
    sign_in_as(page, live_server, make_user("reader"))
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    response = page.goto(f"{live_server.url}/api/docs/")
    assert response is not None and response.ok
    expect(page.get_by_text("/api/recommendations/", exact=True).first).to_be_visible()
    page.get_by_text("/api/mechanisms/", exact=True).first.click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    live = page.locator(".live-responses-table tbody .response-col_status").first
    expect(live).to_have_text("200")
    expect(page.locator(".live-responses-table .microlight").first).to_contain_text("CEDAW")
    assert violations == []
    assert all(url.startswith(live_server.url) for url in requests), "only the app is asked"


def test_a_token_is_made_on_the_account_page_under_the_csp(live_server, reference_data,
                                                           page: Page, violations):
    sign_in_as(page, live_server, make_user("holder"))
    page.goto(f"{live_server.url}/accounts/password/change/")
    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("Office dashboard")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("rct_")
    expect(page.get_by_role("cell", name="Office dashboard")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Token “Office dashboard” revoked.")).to_be_visible()
    assert violations == []
