"""Links never come from what a client forges: absolute URLs from ROGRAPH_PUBLIC_URL (or an
allowed Host), X-Forwarded-* only from trusted proxy hops; only http(s) values become links;
paths that look off-site stay on this site."""

from __future__ import annotations

import re

import pytest
import requests

from conftest import ProjectCopy, start_server

pytestmark = pytest.mark.live

FORGED = "evil.example"
PAGE_PATHS = [
    "/",
    "/place/valga",
    "/.well-known/void",
    "/dataset",
    "/query",
    "/browse?class=https%3A%2F%2Fw3id.org%2Frograph%2Fontology%23Municipality",
]


def _everything(response: requests.Response) -> str:
    return response.text + " ".join(f"{k}: {v}" for k, v in response.headers.items())


@pytest.mark.parametrize("path", PAGE_PATHS + ["/sparql"])
def test_a_forged_host_never_goes_into_links_when_no_public_url_is_set(live_server, path):
    for accept in ("text/html", "text/turtle"):
        answer = requests.get(
            live_server.url + path,
            headers={"Host": FORGED, "Accept": accept, "X-Forwarded-Host": FORGED, "X-Forwarded-Proto": "https"},
            timeout=30,
        )
        assert answer.status_code in (200, 406), (path, accept, answer.status_code)
        assert FORGED not in _everything(answer), (path, accept)
        assert "https://127.0.0.1" not in _everything(answer), (path, accept)


def test_the_public_url_is_used_everywhere_when_set(tmp_path):
    public = "https://data.example.org/rograph/"
    with start_server(tmp_path, args=("--public-url", public)) as server:
        home = requests.get(server.url + "/", headers={"Host": FORGED}, timeout=30)
        assert public + "sparql" in home.text and FORGED not in _everything(home)
        described = requests.get(server.sparql, headers={"Host": FORGED, "Accept": "text/turtle"}, timeout=30)
        assert described.status_code == 200
        assert f"<{public}sparql>" in described.text and FORGED not in described.text
        void = requests.get(
            server.url + "/.well-known/void", headers={"Host": FORGED, "Accept": "text/html"}, timeout=30
        )
        assert public in void.text and FORGED not in _everything(void)


def test_allowed_hosts_get_absolute_links_and_forwarded_headers_need_a_trusted_hop(tmp_path):
    with start_server(tmp_path, env={"ROGRAPH_ALLOWED_HOSTS": "data.example.net"}) as server:
        page = requests.get(
            server.url + "/place/valga",
            headers={"Host": "data.example.net", "X-Forwarded-Proto": "https", "X-Forwarded-Host": FORGED},
            timeout=30,
        )
        assert page.headers["Content-Location"] == "http://data.example.net/place/valga.html"
        assert FORGED not in _everything(page)
        other = requests.get(server.url + "/place/valga", headers={"Host": "other.example.net"}, timeout=30)
        assert other.headers["Content-Location"] == "/place/valga.html"
    with start_server(tmp_path, env={"ROGRAPH_ALLOWED_HOSTS": "data.example.net", "ROGRAPH_PROXY_HOPS": "1"}) as server:
        proxied = requests.get(
            server.url + "/place/valga",
            headers={"Host": "proxy.internal", "X-Forwarded-Proto": "https", "X-Forwarded-Host": "data.example.net"},
            timeout=30,
        )
        assert proxied.headers["Content-Location"] == "https://data.example.net/place/valga.html"


def test_only_http_values_become_links(tmp_path):
    project = ProjectCopy(tmp_path / "project")
    project.add_to_data(
        "<https://w3id.org/rograph/organisation/valga-city-government> "
        "<http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(1)> , <data:text/html,x> , <https://example.org/fine> ."
    )
    with start_server(tmp_path, project_dir=project.root, args=("--no-validate",)) as server:
        page = requests.get(
            server.url + "/organisation/valga-city-government", headers={"Accept": "text/html"}, timeout=30
        ).text
        hrefs = re.findall(r'href="([^"]*)"', page)
        assert "https://example.org/fine" in hrefs
        assert "javascript:alert(1)" in page  # shown, as text
        assert not [h for h in hrefs if not h.startswith(("http://", "https://", "/", "?", "#"))], hrefs
        listing = requests.get(server.url + "/browse", params={"class": "javascript:alert(1)"}, timeout=30).text
        assert not [h for h in re.findall(r'href="([^"]*)"', listing) if h.lower().startswith(("javascript:", "data:"))]


@pytest.mark.parametrize(
    "path", ["/%5Cevil.example", "/%5C%5Cevil.example/x", "//evil.example/", "/%2F%2Fevil.example"]
)
def test_paths_that_look_off_site_give_only_on_site_links(live_server, path):
    page = requests.get(live_server.url + path, headers={"Accept": "text/html"}, timeout=30, allow_redirects=False)
    for href in re.findall(r'href="([^"]*)"', page.text):
        if href.startswith(("http://", "https://")):
            assert "evil.example" not in href
            continue
        assert not href.startswith(("//", "/\\", "\\")), href
        assert "evil.example" not in href.split("?")[0], href
