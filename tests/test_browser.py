"""A real browser (Debian's headless Chromium, driven by Playwright) uses the site as a
researcher would: home page, an example from the gallery, the rows, an IRI's page, another
language. Screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import PROJECT_DIR

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = PROJECT_DIR / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("ROGRAPH_REQUIRE_BROWSER"):
            pytest.fail(f"no Chromium at {CHROMIUM}, and ROGRAPH_REQUIRE_BROWSER is set (as .ci/run does)")
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    outside = []
    page.on("request", lambda request: outside.append(request.url) if not request.url.startswith(("http://127.0.0.1", "data:")) else None)
    yield page
    context.close()
    assert not outside, f"the page loaded something from outside: {outside}"


def test_from_the_home_page_through_an_example_to_an_entity_in_another_language(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "rograph"
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)

    page.get_by_role("link", name="Query", exact=True).first.click()
    page.locator('a[data-example="figures-with-sources"]').click()
    page.wait_for_selector("table.results tbody tr")
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 2
    assert "about 160 Roma living in Valga" in page.locator("table.results").inner_text()
    assert page.locator("#highlighted .tok-keyword").first.inner_text() == "SELECT"  # the editor highlights
    page.screenshot(path=str(ARTIFACTS / "query-example.png"), full_page=True)

    page.get_by_role("link", name="about 160 Roma living in Valga").click()
    page.wait_for_url("**/figure/valga-roma-residents-2020")
    assert page.locator("h1").inner_text() == "about 160 Roma living in Valga"
    assert "about 160" in page.locator("table.statements:not(.incoming)").inner_text()
    page.screenshot(path=str(ARTIFACTS / "entity-en.png"), full_page=True)

    page.locator('nav.languages a[data-lang="lv"]').click()
    page.wait_for_url("**lang=lv")
    assert page.locator("h1").inner_text() == "ap 160 romu Valgā"
    assert page.locator("html").get_attribute("lang") == "lv"
    page.screenshot(path=str(ARTIFACTS / "entity-lv.png"), full_page=True)


def test_ctrl_enter_runs_the_query_in_the_editor_and_errors_show_where(live_server, page):
    page.goto(live_server.url + "/query")
    editor = page.locator("#query")
    editor.fill("SELECT ?post ?start WHERE { ?post a rg:RomaMediatorPost ; dcterms:temporal/dcat:startDate ?start }")
    editor.press("Control+Enter")
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results tbody tr").count() == 2
    assert "March 2020" in page.locator("table.results").inner_text()
    page.locator("#query").fill("SELECT * WHERE { ?s ?p }")
    page.locator("#query").press("Control+Enter")
    alert = page.get_by_role("alert")
    assert "line 1, column 25" in alert.inner_text()
    page.screenshot(path=str(ARTIFACTS / "query-error.png"), full_page=True)


def test_pages_work_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/query?example=mediator-posts")
    assert page.locator("table.results tbody tr").count() == 2
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector("table.results tbody tr")
    page.goto(live_server.url + "/meeting/valga-expert-meeting-2020-02-06")
    assert page.locator("svg.neighbourhood a").count() >= 5
    context.close()
