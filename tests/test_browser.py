"""A real browser (Debian's headless Chromium, driven by Playwright) uses the site as a
researcher would: home page, an example from the gallery, the rows, an IRI's page, another
language. Screenshots go to test-artifacts/ for a person to look at."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import requests

from conftest import PROJECT_DIR, syntax_error_position
from rograph.web.ui_text import TEXT

pytestmark = [pytest.mark.live, pytest.mark.browser]

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
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(("http://127.0.0.1", "data:")) else None
        ),
    )
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
    expected = (
        (PROJECT_DIR / "queries" / "expected" / "figures-with-sources.csv").read_text(encoding="utf-8").splitlines()
    )
    assert rows.count() == len(expected) - 1
    assert "about 160 Roma living in Valga" in page.locator("table.results").inner_text()
    assert "SELECT ?figure" in page.locator(".cm-content").inner_text()  # the editor holds the query
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
    page.locator(".cm-content").click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(
        "SELECT ?post ?start WHERE { ?post a rg:RomaMediatorPost ; dcterms:temporal/dcat:startDate ?start }"
    )
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("table.results tbody tr")
    assert page.locator("table.results tbody tr").count() == 2
    assert "March 2020" in page.locator("table.results").inner_text()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("SELECT * WHERE { ?s ?p }")
    page.keyboard.press("Control+Enter")
    alert = page.locator("#answer").get_by_role("alert")
    # The "}" where the object is missing is column 24 (Oxigraph points past the end, at 25).
    assert syntax_error_position(live_server, 1, 24) in alert.inner_text()
    page.screenshot(path=str(ARTIFACTS / "query-error.png"), full_page=True)


def test_pages_work_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/query?example=mediator-posts")
    expected = (PROJECT_DIR / "queries" / "expected" / "mediator-posts.csv").read_text(encoding="utf-8").splitlines()
    assert page.locator("table.results tbody tr").count() == len(expected) - 1
    page.get_by_role("button", name="Run").click()
    page.wait_for_selector("table.results tbody tr")
    page.goto(live_server.url + "/meeting/valga-expert-meeting-2020-02-06")
    assert page.locator("svg.neighbourhood a").count() >= 5
    context.close()


def test_the_search_box_of_every_page_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="lv-LV")
    page = context.new_page()
    for path in ("/", "/query", "/ontology", "/place/valga", "/dataset"):
        page.goto(live_server.url + path)
        assert page.locator("header form[role=search] input[name=q]").count() == 1, path
    page.goto(live_server.url + "/organisation/valga-city-government")
    page.locator("header form[role=search] input[name=q]").fill("Valgā")
    page.locator("header form[role=search] button").click()
    page.wait_for_url("**/search?q=*")
    assert page.locator("h1").inner_text() == "Meklēt"
    first = page.locator("section.search-group").first
    assert first.locator("h2 a").inner_text() == "pilsēta"
    assert first.locator("ul.search-results li a").first.inner_text() == "Valga"
    page.screenshot(path=str(ARTIFACTS / "search-lv.png"), full_page=True)
    first.locator("ul.search-results li a").first.click()
    page.wait_for_url("**/place/valga*")
    context.close()


# ------------------------------------------------------------------ languages, layout, phones

#: One page of each kind a reader meets.
PAGE_KINDS = {
    "home": "/",
    "query": "/query",
    "query-answer": "/query?example=figures-with-sources",
    "query-error": "/query?query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%7D",
    "ontology": "/ontology",
    "shapes": "/shapes",
    "dataset": "/dataset",
    "browse": "/browse?class=" + "https%3A%2F%2Fw3id.org%2Frograph%2Fontology%23Agreement",
    "meeting": "/meeting/valga-expert-meeting-2020-02-06",
    "organisation": "/organisation/valka-education-culture-sport-youth-department",
    "agreement": "/agreement/valga-valka-cooperation-for-roma-integration",
    "place": "/place/valga",
    "figure": "/figure/valga-roma-residents-2020",
    "source": "/source/lv-moc-valga-expert-meeting-2020",
    "graph": "/graph/lv-moc-valga-expert-meeting-2020",
    "concept": "/concept/poverty",
    "not-found": "/organisation/no-such-body",
    "search": "/search?q=Valga",
    "sources-differ": "/claim/valga-meeting-2020-02-06",
}
#: Pages whose every word a reader of Estonian must be able to read in Estonian.
ESTONIAN_PAGES = (
    "home",
    "meeting",
    "organisation",
    "agreement",
    "figure",
    "place",
    "source",
    "concept",
    "search",
    "sources-differ",
)
#: English words that are not Estonian ones: any of them on an Estonian page is English left over.
ENGLISH_WORDS = (
    "the",
    "of",
    "and",
    "with",
    "from",
    "for",
    "which",
    "meeting",
    "agreement",
    "representatives",
    "source",
    "sources",
    "page",
    "statements",
    "linked",
    "summary",
    "conclusions",
    "ministry",
    "project",
)


def _english_texts(live_server) -> set[str]:
    """Every English text the site can show (labels, descriptions, the pages' own words) that
    differs from the Estonian text of the same thing."""
    query = """SELECT ?en ?et WHERE { ?x ?p ?en FILTER(LANG(?en) = "en")
        VALUES ?p { <http://www.w3.org/2000/01/rdf-schema#label> <http://www.w3.org/2004/02/skos/core#prefLabel>
                    <http://purl.org/dc/terms/description> }
        OPTIONAL { ?x ?p ?et FILTER(LANG(?et) = "et") } }"""
    rows = requests.get(
        live_server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30
    ).json()["results"]["bindings"]
    texts = {row["en"]["value"] for row in rows if row.get("et", {}).get("value") != row["en"]["value"]}
    texts |= {text for key, text in TEXT["en"].items() if TEXT["et"][key] != text and "{" not in text}
    # A name Estonian writes the same way ("Valka" in "Valka vald") is not English.
    estonian = "\n".join({row["et"]["value"] for row in rows if "et" in row} | set(TEXT["et"].values()))
    return {
        text for text in texts if len(text) > 3 and not re.search(r"(?<!\w)" + re.escape(text) + r"(?!\w)", estonian)
    }


#: What the curators write in English only, for now (their notes): a page shows it marked
#: ``data-untranslated``, each text in it with the mark of its language.
NOTES = "[data-untranslated]"
#: The words of the page a reader reads: not IRIs and prefixed names (code), not format
#: names, not the curators' notes.
VISIBLE_TEXT = (
    """() => { const main = document.querySelector('main').cloneNode(true);
    main.querySelectorAll('code, script, .formats, """
    + NOTES
    + """').forEach(e => e.remove()); return main.innerText; }"""
)


def test_a_reader_who_switches_to_estonian_sees_no_english(live_server, page):
    english = _english_texts(live_server)
    assert len(english) > 100
    page.goto(live_server.url + "/")
    page.locator('nav.languages a[data-lang="et"]').click()
    page.wait_for_url("**lang=et")
    for kind in ESTONIAN_PAGES:
        if kind != "home":
            page.goto(live_server.url + PAGE_KINDS[kind] + ("&" if "?" in PAGE_KINDS[kind] else "?") + "lang=et")
        assert page.locator("html").get_attribute("lang") == "et"
        text = page.evaluate(VISIBLE_TEXT)
        header = page.locator("header.site").inner_text()
        found = sorted(
            t for t in english if re.search(r"(?<![\w/.-])" + re.escape(t) + r"(?![\w/.-])", text + "\n" + header)
        )
        assert not found, (kind, found[:10])
        # A word inside a file path ("shared/sources/README.md") is a name, not English prose.
        words = sorted({w for w in ENGLISH_WORDS if re.search(rf"(?<![\w/.-]){w}(?![\w/.-])", text, re.IGNORECASE)})
        assert not words, (kind, words)
        # Latvian may show where it is the source's own wording (a Latvian document's title), marked.
        assert page.locator(f"main [lang]:not([lang=et]):not([lang=lv]):not({NOTES} *)").count() == 0, kind
        assert {m.lower() for m in page.locator(f"main abbr.fallback:not({NOTES} *)").all_inner_texts()} <= {"lv"}, kind
        assert page.locator(f"{NOTES} span[lang=en]").count() == page.locator(f"{NOTES} abbr.fallback").count(), kind
        if kind == "figure":
            assert (
                page.locator(f'{NOTES}[data-property="http://www.w3.org/2004/02/skos/core#note"] abbr.fallback').count()
                >= 1
            )
    page.goto(live_server.url + PAGE_KINDS["meeting"] + "?lang=et")
    page.screenshot(path=str(ARTIFACTS / "entity-et-1280.png"), full_page=True)


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="lv-LV", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["lv", "en", "et"])
def test_no_page_scrolls_sideways_on_a_390_px_phone(live_server, phone, lang):
    for kind, path in PAGE_KINDS.items():
        phone.goto(live_server.url + path + ("&" if "?" in path else "?") + f"lang={lang}")
        width = phone.evaluate(
            "() => [document.documentElement.scrollWidth, document.body.scrollWidth, window.innerWidth]"
        )
        assert max(width[:2]) <= width[2] == 390, (kind, lang, width)
        if lang == "lv":
            phone.screenshot(path=str(ARTIFACTS / f"390-{kind}.png"), full_page=True)


def test_prefixed_names_never_break_and_the_contents_list_every_term(live_server, phone):
    phone.goto(live_server.url + "/ontology")
    broken = phone.evaluate("""() => [...document.querySelectorAll('code.name')]
        .filter(e => e.getClientRects().length > 1 || e.getBoundingClientRect().height > 2 * parseFloat(getComputedStyle(e).lineHeight || 20))
        .map(e => e.textContent)""")
    assert not broken
    anchors = phone.evaluate("() => [...document.querySelectorAll('nav.contents a')].map(a => a.getAttribute('href'))")
    sections = phone.evaluate("() => [...document.querySelectorAll('section.term')].map(s => '#' + s.id)")
    assert len(sections) > 30 and set(sections) <= set(anchors)


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("kind", ["meeting", "organisation", "place", "agreement"])
def test_the_neighbourhood_picture_has_no_overlapping_or_clipped_labels(live_server, page, kind, width):
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(live_server.url + PAGE_KINDS[kind])
    boxes = page.evaluate("""() => { const svg = [...document.querySelectorAll('svg.neighbourhood')].find(s => s.getBoundingClientRect().width > 0);
        const frame = svg.getBoundingClientRect();
        return { frame: [frame.left, frame.top, frame.right, frame.bottom],
                 texts: [...svg.querySelectorAll('text')].map(t => { const r = t.getBoundingClientRect();
                     return [r.left, r.top, r.right, r.bottom, t.textContent]; }) }; }""")
    left, top, right, bottom = boxes["frame"]
    texts = boxes["texts"]
    assert len(texts) >= 3  # the entity, and a neighbour with its relation
    for box in texts:
        assert box[0] >= left and box[2] <= right and box[1] >= top and box[3] <= bottom, ("clipped", box)
    for i, a in enumerate(texts):
        for b in texts[i + 1 :]:
            overlap = min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5
            assert not overlap, ("overlap", a[4], b[4])
    assert min(box[3] - box[1] for box in texts) >= 9, "labels a reader can read (at least 9 px high)"
    page.locator("svg.neighbourhood:visible").screenshot(path=str(ARTIFACTS / f"neighbourhood-{kind}-{width}.png"))


def test_screenshots_of_every_page_kind_at_1280_px(live_server, page):
    for kind, path in PAGE_KINDS.items():
        page.goto(live_server.url + path)
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280, kind
        page.screenshot(path=str(ARTIFACTS / f"1280-{kind}.png"), full_page=True)
