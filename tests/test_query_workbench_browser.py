"""The query page's editor in a real browser (Debian's Chromium through Playwright), on both
back ends: completion from the graph, errors marked in place, the answer in view after Run,
result views, history, a timeout shown in the page, and no sideways scrolling on a phone.
Screenshots at 1280 and 390 px go to test-artifacts/."""

from __future__ import annotations

import pytest
import requests

from conftest import start_backed_server, syntax_error_position
from test_browser import ARTIFACTS, browser, page  # noqa: F401  (the shared browser fixtures)

pytestmark = [pytest.mark.live, pytest.mark.browser]

VALGA = "https://w3id.org/rograph/organisation/valga-city-government"
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def editor_text(page) -> str:
    """What the form will send: the editor keeps the form's textarea in step with it."""
    return page.locator("#query").input_value()


def clear_editor(page) -> None:
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")


def complete(page, typed: str, option: str) -> None:
    """Type ``typed``, wait for ``option`` among the completions, and accept it."""
    page.keyboard.type(typed, delay=20)
    choice = page.locator(".cm-tooltip-autocomplete li", has_text=option).first
    choice.wait_for()
    choice.click()


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    return box is not None and 0 <= box["y"] < viewport["height"] - 40


def test_writing_a_query_with_completion_running_it_and_following_an_iri(live_server, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/query?lang=lv")
    page.wait_for_selector(".cm-editor")
    clear_editor(page)

    complete(page, "PREFIX sch", "schema:")  # a prefix, declared with its namespace
    assert editor_text(page) == "PREFIX schema: <https://schema.org/>"
    page.keyboard.type(" SELECT DISTINCT ?meeting ?date WHERE { ?meeting a ", delay=10)
    complete(page, "ekspertu sa", "rg:ExpertMeeting")  # a class, by its Latvian label
    page.keyboard.type(" ; ", delay=10)
    complete(page, "schema:sta", "schema:startDate")  # a property, by its prefixed name
    page.keyboard.type(" ?date ; ?role ", delay=10)
    complete(page, "Valgas pils", "Valgas pilsētas pašvaldība")  # an entity, by its Latvian label
    # The editor closed the brace it opened.
    assert editor_text(page).endswith(f"?meeting a rg:ExpertMeeting ; schema:startDate ?date ; ?role <{VALGA}>}}")

    # A mistake is marked in place as you type, and the mark goes when it is mended.
    page.keyboard.type(" ?stray", delay=10)
    page.keyboard.press("Escape")
    page.wait_for_selector(".cm-lintRange-error")
    for _ in " ?stray":
        page.keyboard.press("Backspace")
    page.wait_for_selector(".cm-lintRange-error", state="detached")

    page.get_by_role("button", name="Izpildīt").click()
    page.wait_for_selector("#answer[data-rows]")
    assert in_view(page, "#answer .answer-summary"), "the answer is not in view after Run"
    assert page.locator("#answer table.results tbody tr").count() == 1
    assert "1 rinda" in page.locator("#answer .answer-summary").inner_text()
    page.locator('#answer [data-view="timeline"]').click()
    assert page.locator("#answer svg.timeline").is_visible()
    assert page.locator("#answer svg.timeline circle.event").count() == 1
    page.screenshot(path=str(ARTIFACTS / "query-workbench-1280.png"))

    # The history keeps the query in this browser.
    page.reload()
    page.wait_for_selector(".cm-editor")
    assert page.locator("#history li").first.inner_text().startswith("PREFIX schema:")

    page.locator('#answer [data-view="table"]').click()
    page.locator("#answer table.results a", has_text="Ekspertu sanāksme").first.click()
    page.wait_for_url("**/meeting/valga-expert-meeting-2020-02-06**")


def test_a_syntax_error_on_line_one_is_reported_and_marked_at_line_one(live_server, page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/query?lang=en")
    page.wait_for_selector(".cm-editor")
    clear_editor(page)
    page.keyboard.type("SELECT * WHERE { ?s rg:location }", delay=5)
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Enter")
    alert = page.locator("#answer [role=alert]")
    alert.wait_for()
    # Virtuoso names the line without a column (its documented deviation, docs/remote-store.md).
    assert syntax_error_position(live_server, 1, 33) in alert.inner_text()
    if live_server.backend == "virtuoso":
        assert "column" not in alert.inner_text()
    assert in_view(page, "#answer [role=alert]")
    marked = page.locator(".cm-line").first.locator(".cm-lintRange-error")
    assert marked.count() >= 1
    page.screenshot(path=str(ARTIFACTS / "query-error-1280.png"))


def test_sorting_the_table_by_a_column(live_server, page):
    page.goto(
        live_server.url
        + "/query?lang=en&query="
        + "SELECT%20%3Fclass%20(COUNT(%3Fs)%20AS%20%3Fn)%20WHERE%20%7B%20%3Fs%20a%20%3Fclass%20%7D%20GROUP%20BY%20%3Fclass%20LIMIT%2015"
    )
    header = page.locator("#answer table.results th", has_text="n")
    header.click()
    counts = [int(text) for text in page.locator("#answer table.results tbody td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts) and len(set(counts)) > 1
    header.click()
    counts = [int(text) for text in page.locator("#answer table.results tbody td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    page.locator('#answer [data-view="bar"]').click()
    assert page.locator("#answer svg.bar-chart rect.bar").count() == len(counts)


def test_no_sideways_scrolling_on_a_phone(live_server, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(live_server.url + "/query?lang=lv&example=figures-with-sources")
    phone.wait_for_selector(".cm-editor")
    phone.wait_for_selector("#answer table.results tbody tr")
    widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1] == 390, f"the page is {widths[0]} px wide at 390 px"
    phone.screenshot(path=str(ARTIFACTS / "query-workbench-390.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("backend", ["embedded", "oxigraph"])
def test_a_timeout_is_shown_in_the_page_with_the_query_kept(backend, browser, tmp_path):  # noqa: F811
    with start_backed_server(backend, tmp_path, env={"ROGRAPH_QUERY_TIMEOUT": "2"}, store_timeout_s=5) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-GB")
        page = context.new_page()
        page.goto(server.url + "/query?lang=en")
        page.wait_for_selector(".cm-editor")
        clear_editor(page)
        page.keyboard.type(PATHOLOGICAL, delay=2)
        page.keyboard.press("Escape")
        page.get_by_role("button", name="Run").click()
        running = page.locator("#running")
        running.wait_for(state="visible")
        assert "s" in running.inner_text()  # the elapsed time, counting
        alert = page.locator("#answer[data-timeout] [role=alert]")
        alert.wait_for(timeout=15000)
        assert "LIMIT" in alert.inner_text() and "2 seconds" in alert.inner_text()
        assert not running.is_visible()
        assert editor_text(page) == PATHOLOGICAL
        assert in_view(page, "#answer [role=alert]")
        page.screenshot(path=str(ARTIFACTS / f"query-timeout-{backend}.png"))
        context.close()


def test_without_javascript_run_lands_on_the_answer(live_server, browser):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800}, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/query?lang=en")
    page.locator("#query").fill("SELECT * WHERE {\n  ?s rg:location\n}")
    page.get_by_role("button", name="Run").click()
    alert = page.locator("#answer [role=alert]")
    alert.wait_for()
    assert syntax_error_position(live_server, 3, 1) in alert.inner_text() and in_view(page, "#answer [role=alert]")
    if live_server.backend == "virtuoso":
        assert "column" not in alert.inner_text()
    assert page.locator("#query").input_value() == "SELECT * WHERE {\n  ?s rg:location\n}"
    posts_query = "SELECT ?post WHERE { ?post a rg:RomaMediatorPost }"
    posts = len(
        requests.get(live_server.sparql, params={"query": posts_query, "format": "json"}, timeout=60).json()["results"][
            "bindings"
        ]
    )
    page.locator("#query").fill(posts_query)
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector(f"#answer[data-rows='{posts}']")
    assert in_view(page, "#answer .answer-summary")
    context.close()
