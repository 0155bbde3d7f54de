"""A link checker for a running rograph site, as a crawler or a careful visitor would use it.

From the home page, in each UI language, it follows every ``href`` and ``src`` of every HTML
page, every URL in a ``Link`` header, and in every RDF document every dump, download and
endpoint the dataset description names (``void:dataDump``, ``dcat:downloadURL``…). Published
IRIs (``https://w3id.org/rograph/…``) are looked up on the server, as the IRI's redirect
would. Each answer must be 2xx (or 304) and its body must parse as the media type it declares:
HTML (html5 parser, strict), every RDF format (rdflib), every SPARQL results format (rdflib),
SVG, CSS (tinycss2), JavaScript (``node --check``), JSON, gzip of any of them. A fragment
(``#x``) must name an element of the page. Links off the site are listed, never fetched.

What is fetched once: a document is asked for once per (address, UI language, Accept), where
``?lang=L`` in an address is the same request as the address without it in language L (the
parameter only overrides Accept-Language, pages.reader_language), and a document that is not
HTML is the same in every language. A ``Link`` header's target is asked for with the media type
the header declares (as a client choosing that alternate does), and must answer it. Every
distinct link is checked; the crawl's request cap only stops a runaway (an unbounded family of
addresses), and says so as a finding.

Languages: the crawl fetches the pages in its languages. A link to a page in another language
(the language switcher) is not fetched but counted in ``Crawl.other_languages``: checking it is
the crawl of that language (tests/test_as_a_user.py crawls every language on one site).
"""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urldefrag, urljoin, urlsplit, urlunsplit

import html5rdf
import rdflib
import requests
import tinycss2
from rdflib.query import Result

BASE = "https://w3id.org/rograph/"
LANGUAGES = ("en", "lv", "et")
#: The Accept headers of a browser following a link, and of a client that states no preference.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CLIENT = "*/*"

NO_SUCH_ID = "no element with this id on the page"
#: First path segments of the site's own pages (the rest are documents about the data's IRIs).
SITE_PAGES = {"", "ontology", "shapes", "dataset", "query", "browse", "sparql", "graph", "static", "dumps"}

RDF_FORMATS = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/n-quads": "nquads",
    "application/trig": "trig",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "text/n3": "n3",
    "text/rdf+n3": "n3",
}
RESULT_FORMATS = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: What a gzipped dump holds, by the name before ``.gz``.
RDF_EXTENSIONS = {"nq": "nquads", "trig": "trig", "ttl": "turtle", "jsonld": "json-ld", "nt": "nt", "rdf": "xml"}
#: RDF properties whose values are links a client follows.
LINK_PROPERTIES = {
    "http://rdfs.org/ns/void#dataDump",
    "http://rdfs.org/ns/void#sparqlEndpoint",
    "http://rdfs.org/ns/void#rootResource",
    "http://rdfs.org/ns/void#exampleResource",
    "http://rdfs.org/ns/void#uriLookupEndpoint",
    "http://www.w3.org/ns/dcat#downloadURL",
    "http://www.w3.org/ns/dcat#accessURL",
    "http://www.w3.org/ns/dcat#endpointURL",
}


@dataclass(frozen=True)
class Finding:
    url: str
    referrer: str
    problem: str

    def __str__(self) -> str:
        return f"{self.url} (linked from {self.referrer}): {self.problem}"


@dataclass
class Crawl:
    findings: list[Finding] = field(default_factory=list)
    fetched: int = 0
    media_types: dict[str, int] = field(default_factory=dict)
    off_site: set[str] = field(default_factory=set)
    #: Pages in a UI language outside the crawl's, linked but not fetched.
    other_languages: set[tuple[str, str]] = field(default_factory=set)


class LinkChecker:
    #: A bound on requests far above the site's distinct documents (about 5,400 in three
    #: languages with the seven sources of today, measured), so that only a runaway reaches it.
    def __init__(self, root: str, *, languages: tuple[str, ...] = LANGUAGES, limit: int = 20000, seconds: float = 1200):
        self.root = root.rstrip("/") + "/"
        self.languages, self.limit, self.seconds = languages, limit, seconds
        self.session = requests.Session()

    def local(self, url: str) -> str | None:
        """The URL on this server that ``url`` is (a published IRI maps to it), or None."""
        if url.startswith(BASE):
            return self.root + url[len(BASE) :]
        return url if url.startswith(self.root) or url == self.root.rstrip("/") else None

    def run(self) -> Crawl:
        crawl = Crawl()
        # (URL, UI language, who links to it, how it is asked for: by a browser following a
        # link of a page, or by a client following a Link header or an RDF statement).
        queue: deque[tuple[str, str, str, str]] = deque(
            (self.root + f"?lang={lang}", lang, "(start)", BROWSER) for lang in self.languages
        )
        seen: set[tuple[str, str, str]] = set()
        #: Documents that are not HTML are the same in every language: fetched once.
        language_free: set[str] = set()
        #: Fragments asked of each page, with who asked, checked once the page is read.
        ids: dict[str, set[str]] = {}
        wanted: dict[tuple[str, str], str] = {}
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=4) as pool:
            while queue:
                batch: list[tuple[str, str, str, str]] = []
                while queue and len(batch) < 32:
                    url, lang, referrer, accept = queue.popleft()
                    address, fragment = urldefrag(url)
                    # A ?lang= in the address says the page's language whatever the header says.
                    document, lang = without_language(address, lang)
                    if fragment:
                        wanted.setdefault((document, fragment), referrer)
                    if (document, lang, accept) in seen or document in language_free:
                        continue
                    if lang not in self.languages:
                        crawl.other_languages.add((document, lang))
                        continue
                    seen.add((document, lang, accept))
                    batch.append((address, lang, referrer, accept))
                if crawl.fetched + len(batch) > self.limit or time.monotonic() - started > self.seconds:
                    crawl.findings.append(
                        Finding(self.root, "(crawl)", f"crawl stopped after {crawl.fetched} requests")
                    )
                    break
                crawl.fetched += len(batch)
                for (address, lang, referrer, accept), response in zip(
                    batch, pool.map(self._fetch, batch), strict=True
                ):
                    document = without_language(address, lang)[0]
                    if not isinstance(response, Exception) and "text/html" not in response.headers.get(
                        "Content-Type", ""
                    ):
                        language_free.add(document)
                    for link, asked in self._read(address, document, referrer, accept, response, crawl, ids):
                        absolute = urljoin(address, link.strip())
                        target = self.local(absolute)
                        if target is None:
                            if absolute.startswith(("http://", "https://")):
                                crawl.off_site.add(absolute)
                            continue
                        queue.append((target, lang, address, asked))
        for (address, fragment), referrer in wanted.items():
            if address in ids and fragment not in ids[address]:
                crawl.findings.append(Finding(f"{address}#{fragment}", referrer, NO_SUCH_ID))
        return crawl

    def _fetch(self, item: tuple[str, str, str, str]) -> requests.Response | requests.RequestException:
        address, lang, _, accept = item
        try:
            return self.session.get(address, headers={"Accept-Language": lang, "Accept": accept}, timeout=60)
        except requests.RequestException as error:
            return error

    def _read(
        self, address: str, document: str, referrer: str, accept: str, response, crawl: Crawl, ids: dict[str, set[str]]
    ) -> list[tuple[str, str]]:
        """Check one answer; the links it holds, each with how it would be asked for."""
        if isinstance(response, requests.RequestException):
            crawl.findings.append(Finding(address, referrer, f"no answer: {response}"))
            return []
        media_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
        crawl.media_types[media_type] = crawl.media_types.get(media_type, 0) + 1
        if not (200 <= response.status_code < 300 or response.status_code == 304):
            crawl.findings.append(
                Finding(address, referrer, f"{response.status_code} {media_type}: {response.text[:200]!r}")
            )
            return []
        if accept not in (BROWSER, CLIENT) and media_type != accept:
            crawl.findings.append(
                Finding(address, referrer, f"the Link header says {accept}, the answer is {media_type}")
            )
        links = [
            (link["url"], asked_as(link.get("type")))
            for link in requests.utils.parse_header_links(response.headers.get("Link", ""))
            if link.get("url")
        ]
        try:
            if media_type == "text/html":
                page_links, ids[document] = parse_html(response.content)
                return links + [(link, BROWSER) for link in page_links]
            return links + [
                (link, CLIENT) for link in parse_other(media_type, response.content, urlsplit(address).path)
            ]
        except Exception as error:  # the body does not parse as what it says it is
            crawl.findings.append(
                Finding(address, referrer, f"{media_type} body does not parse: {type(error).__name__}: {error}"[:400])
            )
            return []


def without_language(address: str, lang: str) -> tuple[str, str]:
    """``address`` without its ``lang`` parameter, and the UI language it asks for (``lang``
    when it has none): the same request either way (pages.reader_language)."""
    parts = urlsplit(address)
    fields = parts.query.split("&") if parts.query else []
    kept = [item for item in fields if not item.startswith("lang=")]
    if len(kept) == len(fields):
        return address, lang
    lang = parse_qs(parts.query).get("lang", [lang])[-1]
    return urlunsplit(parts._replace(query="&".join(kept))), lang


def asked_as(media_type: str | None) -> str:
    """The Accept header of a client following a ``Link`` header with this ``type``."""
    if not media_type:
        return CLIENT
    return BROWSER if media_type == "text/html" else media_type


def parse_html(body: bytes) -> tuple[list[str], set[str]]:
    """The page's links and element ids; raises if it is not well-formed HTML5."""
    if not body.lstrip()[:15].lower().startswith(b"<!doctype html>"):
        raise ValueError("no <!doctype html>")
    tree = html5rdf.HTMLParser(strict=True, namespaceHTMLElements=False).parse(body)
    links, ids = [], set()
    for element in tree.iter():
        for attribute in ("href", "src"):
            if element.get(attribute):
                links.append(element.get(attribute))
        if element.get("id"):
            ids.add(element.get("id"))
    return links, ids


def parse_other(media_type: str, body: bytes, path: str) -> list[str]:
    """Parse a body that is not HTML; the links it holds (RDF's dumps and endpoints)."""
    if media_type == "application/gzip":
        inner = path.rsplit("/", 1)[-1].removesuffix(".gz").rsplit(".", 1)[-1]
        return parse_rdf(gzip.decompress(body), RDF_EXTENSIONS[inner])
    if media_type in RDF_FORMATS:
        return parse_rdf(body, RDF_FORMATS[media_type])
    if media_type in RESULT_FORMATS:
        Result.parse(io.BytesIO(body), format=RESULT_FORMATS[media_type])
        return []
    if media_type == "image/svg+xml":
        if not ET.fromstring(body).tag.endswith("svg"):
            raise ValueError("the root element is not <svg>")
        return []
    if media_type == "text/css":
        errors = [node for node in tinycss2.parse_stylesheet(body.decode("utf-8")) if node.type == "error"]
        if errors:
            raise ValueError(f"{errors[0].message} at line {errors[0].source_line}")
        return []
    if media_type in ("text/javascript", "application/javascript"):
        check_javascript(body)
        return []
    if media_type == "application/json":
        json.loads(body)
        return []
    if media_type == "text/plain":
        body.decode("utf-8")
        return []
    raise ValueError(f"no parser for {media_type!r}")


def parse_rdf(body: bytes, rdflib_format: str) -> list[str]:
    dataset = rdflib.Dataset()
    dataset.parse(data=body, format=rdflib_format, publicID=BASE)
    if len(dataset) == 0 and not any(len(graph) for graph in dataset.graphs()):
        raise ValueError("parses, but holds no statement")
    return [str(o) for _, p, o, _ in dataset.quads() if str(p) in LINK_PROPERTIES and isinstance(o, rdflib.URIRef)]


def check_javascript(body: bytes) -> None:
    with tempfile.NamedTemporaryFile(suffix=".js") as script:
        script.write(body)
        script.flush()
        checked = subprocess.run(["node", "--check", script.name], capture_output=True, text=True, timeout=60)
    if checked.returncode != 0:
        raise ValueError(checked.stderr.strip().splitlines()[-1] if checked.stderr.strip() else "node --check failed")
