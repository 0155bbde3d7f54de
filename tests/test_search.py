"""``/search?q=`` on the real server: labels, alternative labels and descriptions in every
language, any inflection, no diacritics needed; results grouped by class with source counts."""

from __future__ import annotations

import re

import pytest
import requests

pytestmark = pytest.mark.live


def search(server, query: str, **params) -> requests.Response:
    return requests.get(server.url + "/search", params={"q": query, **params}, timeout=30)


def groups(html: str) -> dict[str, list[str]]:
    """Class heading → result labels, in page order."""
    found = {}
    for section in re.findall(r'<section class="search-group">(.*?)</section>', html, re.S):
        heading = re.sub(r"<[^>]+>", "", re.search(r"<h2>(.*?)</h2>", section, re.S)[1]).rsplit("(", 1)[0].strip()
        found[heading] = re.findall(r'<li><a href="[^"]*">([^<]*)</a>', section)
    return found


def test_inflected_names_in_any_language(live_server):
    for query in ("Valga", "Valgā", "valgast", "VALGAS"):
        answer = search(live_server, query)
        assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/html")
        found = groups(answer.text)
        assert found["town or city"][0] == "Valga", (query, found)
        assert "Valga Rural Municipality Government" in found["municipality"]
        assert "Roma residents of Valga" in found["population group"]


def test_results_grouped_by_class_with_source_counts(live_server):
    answer = search(live_server, "Kultūras ministrija")
    found = groups(answer.text)
    # The two ministries of culture first; other ministries match "ministrija" alone.
    assert set(found["ministry"][:2]) == {
        "Ministry of Culture of the Republic of Latvia",
        "Ministry of Culture of the Republic of Estonia",
    }
    item = re.search(
        r'<li><a href="[^"]*/organisation/latvia-ministry-of-culture">[^<]*</a>(.*?)</li>', answer.text, re.S
    )[1]
    assert "sources: 2" in item  # the graphs of 000 and of the English project page describe it
    # The name that matched is shown when it is not the label shown.
    assert 'lang="lv">Latvijas Republikas Kultūras ministrija' in item


def test_descriptions_and_the_readers_language(live_server):
    found = groups(search(live_server, "sociālajā jomā", lang="lv").text)
    assert "Vienošanās par sadarbību romu integrācijai Valgā un Valkā" in found["vienošanās"]
    found = groups(search(live_server, "Valga", lang="et").text)
    assert found["linn"][0] == "Valga"


def test_nothing_found_and_odd_input(live_server):
    answer = search(live_server, "zzzzqqq")
    assert answer.status_code == 200 and "0 found" in answer.text and 'class="search-group"' not in answer.text
    assert search(live_server, "").status_code == 200
    hostile = search(live_server, '<script>alert(1)</script>"')
    assert hostile.status_code == 200 and "<script>alert" not in hostile.text
    assert search(live_server, "Valga " * 500).status_code == 200  # longer than the 200 characters searched
