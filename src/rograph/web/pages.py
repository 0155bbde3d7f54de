"""The linked-data site: every published IRI resolves, to a page for people and to RDF for
machines, from the same URL.

Routing: ``/`` is the home page; ``/browse`` lists the members of a class; ``/dumps/<file>``
serves the build's dumps; ``/.well-known/void`` is the dataset description; every other path
``/{p}`` is the document about the IRI ``{BASE}{p}`` (an optional ``.ttl``, ``.jsonld``…
suffix names the format). The ontology, the shapes and the dataset have pages of their own
kind; everything else gets an entity page.
"""

from __future__ import annotations

import io
import math
import re
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    abort,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup

from rograph.examples import load_examples
from rograph.namespaces import (
    BASE,
    DATASET_IRI,
    DCTERMS,
    INFERRED_GRAPH,
    ONTOLOGY_GRAPH,
    ONTOLOGY_IRI,
    SD,
    SHAPES_GRAPH,
    SHAPES_IRI,
    VOID,
    prefixes_used,
)
from rograph.web import describe, differences, structured_data
from rograph.web.context import context
from rograph.web.formatting import format_number, format_size
from rograph.web.responses import CORS_HEADERS, plain_text_error
from rograph.web.sansio import NotAcceptable, ResultFormat
from rograph.web.sansio.linked_data import (
    DOCUMENT_FORMATS,
    HTML,
    LANGUAGES,
    DocumentRequest,
    address_of,
    alternates,
    choose_document_format,
    choose_language,
    document_address,
    entity_tag,
    is_fresh,
    parse_document_path,
)
from rograph.web.ui_text import TEXT

bp = Blueprint("pages", __name__)

#: Security headers on every HTML page: nothing runs or loads but the site's own files.
HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def root_url() -> str:
    """The server's own root, for links: ``ROGRAPH_PUBLIC_URL`` whenever it is set; else the
    address the request came in on if its Host is one of ``ROGRAPH_ALLOWED_HOSTS``; else ``/``,
    so links are relative. A Host header is the client's to forge, and answers are cacheable."""
    settings = context().settings
    if settings.public_url:
        return settings.public_url
    if request.host in settings.allowed_hosts:
        return request.url_root
    return "/"


def absolute_root() -> str:
    """The root for addresses that must be absolute (a sitemap's, robots.txt's Sitemap line:
    the sitemaps protocol takes full URLs only): :func:`root_url` when that is absolute, else
    the published base ``https://w3id.org/rograph/``, whose IRIs resolve to these pages."""
    root = root_url()
    return root if root.startswith(("http://", "https://")) else BASE


def service_root() -> str:
    """The root as an absolute URL, for documents whose readers need one (the service
    description, the reconciliation manifest): :func:`root_url`, or where the server listens
    when links are relative (never a Host the server does not know)."""
    root = root_url()
    if root == "/":
        settings = context().settings
        return f"http://{settings.host}:{settings.port}/"
    return root


def reader_language() -> str:
    return choose_language(request.headers.get("Accept-Language"), request.args.get("lang"))


@bp.app_context_processor
def _page_helpers() -> dict:
    def language_link(lang: str) -> str:
        args = {**request.args.to_dict(), "lang": lang}
        # Relative to the page itself: a path such as /%5Cevil.example never becomes the link.
        return "?" + urlencode(args)

    lang = reader_language() if request else "en"
    return {"lang": lang, "t": TEXT[lang], "languages": LANGUAGES, "language_link": language_link, "root": root_url()}


@bp.app_template_global("ui")
def _ui_words() -> dict[str, str]:
    """The pages' own words in the reader's language, for macros that have no page context."""
    return TEXT[reader_language()]


@bp.app_template_filter("breakable")
def _breakable(iri: str) -> Markup:
    """An IRI that may wrap after ``/`` and ``#`` (never inside a word), on a narrow screen."""
    return Markup("").join(
        Markup("{}<wbr>").format(part) if part in "/#" else part for part in re.split(r"([/#])", iri)
    )


@bp.app_template_filter("size")
def _size(byte_count: int) -> str:
    return format_size(byte_count, reader_language())


@bp.app_template_filter("number")
def _number(count: int) -> str:
    return format_number(str(count), reader_language())


def bad_request(message: str) -> Response:
    """A 400 that says what is wrong: a page with the site's navigation for a browser, one
    line of text for any other client."""
    if request.accept_mimetypes.accept_html:
        return _html(render_template("problem.html", message=message), status=400, headers={"Vary": "Accept"})
    return plain_text_error(400, message, {"Vary": "Accept"})


def _page_number() -> int:
    raw = request.args.get("page", "1")
    if not raw.isdigit() or int(raw) < 1:
        abort(bad_request(f"page={raw!r} is not a page number (1, 2, …)"))
    return int(raw)


def _html(body: str, status: int = 200, headers: dict | None = None) -> Response:
    return Response(
        body, status=status, content_type="text/html; charset=utf-8", headers={**HTML_HEADERS, **(headers or {})}
    )


@bp.get("/")
def home() -> Response:
    ctx = context()
    view = describe.home_view(ctx.store, reader_language(), root_url())
    examples = _examples()
    return _html(
        render_template(
            "home.html",
            view=view,
            classes=view.classes,
            built=ctx.store.built,
            dumps=ctx.store.build.dumps,
            examples=examples,
            structured_data=_structured_data("dataset", DocumentRequest(DATASET_IRI, "dataset", None)),
            dataset=address_of(DATASET_IRI, root_url()),
            ontology=address_of(ONTOLOGY_IRI, root_url()),
            shapes=address_of(SHAPES_IRI, root_url()),
            timeout=ctx.settings.query_timeout,
        ),
        headers={"Vary": "Accept-Language", "Link": f'<{address_of(DATASET_IRI, root_url())}>; rel="describedby"'},
    )


def _examples():
    return load_examples(context().settings.project_dir)


@bp.get("/browse")
def browse() -> Response:
    """The members of ``?class=IRI``; without a class, the classes to choose from."""
    store, lang, root = context().store, reader_language(), root_url()
    if "class" not in request.args:
        classes = describe.class_counts(store, describe.Labeller(store, lang, root))
        return _html(render_template("browse.html", listing=None, classes=classes), headers={"Vary": "Accept-Language"})
    class_iri = request.args["class"]
    try:
        ox.NamedNode(class_iri)
    except ValueError:
        return bad_request(f"class={class_iri!r} is not an IRI; choose a class from the list of classes")
    listing = describe.class_listing(store, class_iri, lang, root, _page_number())
    return _html(
        render_template("browse.html", listing=listing, class_iri=class_iri), headers={"Vary": "Accept-Language"}
    )


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    build = context().store.build
    path = build.dump_file(name)
    if path is None:
        return _not_found_text(f"no dump called {name}; the dataset description lists them")
    described = next(d for d in build.dumps if d.name == name)
    response = send_file(
        path,
        mimetype="application/gzip" if described.compressed else described.media_type,
        conditional=True,
        etag=described.sha256,
        last_modified=build.built,
        max_age=3600,
    )
    response.headers.update(CORS_HEADERS)
    return response


def _not_found_text(message: str) -> Response:
    return plain_text_error(404, message)


#: Addresses per sitemap file (the protocol allows 50,000): small files, quick queries; a
#: bigger graph gets a sitemap index of several files.
SITEMAP_PAGE = 5_000


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every page a crawler should know (sitemaps.org protocol): the home page, the dataset,
    ontology and shapes, and the page of every IRI of ours the graph says something about. More
    than :data:`SITEMAP_PAGE` addresses make an index of ``/sitemap.xml?page=N`` files."""
    ctx, root = context(), absolute_root()
    fixed = [BASE, DATASET_IRI, ONTOLOGY_IRI, SHAPES_IRI]
    entities = (
        f'GRAPH ?g {{ ?s ?p ?o }} FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}") && !CONTAINS(STR(?s), "#") '
        f"&& ?s NOT IN ({', '.join(str(ox.NamedNode(iri)) for iri in fixed)}))"
    )
    total = len(fixed) + ctx.store.count(f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {entities} }}")
    pages = math.ceil(total / SITEMAP_PAGE)
    built = ctx.store.built.astimezone(UTC)
    headers = {"Cache-Control": "public, max-age=3600"}
    if "page" not in request.args and pages > 1:
        index = [f"{root.rstrip('/')}/sitemap.xml?page={number}" for number in range(1, pages + 1)]
        return Response(
            render_template("sitemap.xml", index=index, built=built),
            content_type="application/xml; charset=utf-8",
            headers=headers,
        )
    page = _page_number()
    if page > pages:
        return _not_found_text(f"sitemap page {page} does not exist; there are {pages}")
    first, last = (page - 1) * SITEMAP_PAGE, page * SITEMAP_PAGE
    iris = fixed[first:last]
    offset = max(0, first - len(fixed))
    iris += [
        row["s"].value
        for row in ctx.store.select(
            f"SELECT DISTINCT ?s WHERE {{ {entities} }} ORDER BY ?s LIMIT {last - max(first, len(fixed))} OFFSET {offset}"
        )
    ]
    addresses = [root if iri == BASE else address_of(iri, root) for iri in iris]
    return Response(
        render_template("sitemap.xml", addresses=addresses, built=built),
        content_type="application/xml; charset=utf-8",
        headers=headers,
    )


@bp.get("/robots.txt")
def robots() -> Response:
    """Crawlers may read every page, never run queries (/sparql, /query)."""
    body = f"User-agent: *\nDisallow: /sparql\nDisallow: /query\nAllow: /\n\nSitemap: {absolute_root().rstrip('/')}/sitemap.xml\n"
    return Response(body, content_type="text/plain; charset=utf-8", headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/.well-known/void")
def well_known_void() -> Response:
    return _document(DocumentRequest(DATASET_IRI, "dataset", None))


@bp.get("/<path:path>")
def document(path: str) -> Response:
    return _document(parse_document_path(path))


def _document(doc: DocumentRequest) -> Response:
    ctx = context()
    store, root = ctx.store, root_url()
    try:
        ox.NamedNode(doc.iri)
    except ValueError:
        return _not_found(doc, HTML, root)
    try:
        fmt = choose_document_format(request.headers.get("Accept"), doc)
    except NotAcceptable as error:
        return plain_text_error(406, str(error), {"Vary": "Accept"})

    # The graphs that hold the ontology and the shapes (named in every quad's provenance)
    # are documented by the ontology and the shapes themselves; the graph of the RDFS
    # consequences, which no source states, by the dataset description (its VoID subset).
    kind = {
        DATASET_IRI: "dataset",
        ONTOLOGY_IRI: "ontology",
        SHAPES_IRI: "shapes",
        ONTOLOGY_GRAPH: "ontology",
        SHAPES_GRAPH: "shapes",
        INFERRED_GRAPH: "dataset",
    }.get(doc.iri, "entity")
    if kind == "entity" and not describe.exists(store, doc.iri):
        return _not_found(doc, fmt, root)

    lang = reader_language()
    page = _page_number()
    etag = entity_tag(store.version, doc.path, fmt.media_type, lang if fmt is HTML else "", str(page), root)
    headers = {
        "ETag": etag,
        "Last-Modified": _http_date(store.built),
        "Vary": "Accept, Accept-Language" if doc.suffix_format is None else "Accept-Language",
        "Link": alternates(doc, root),
        "Cache-Control": "public, max-age=60",
        **CORS_HEADERS,
    }
    if doc.suffix_format is None:
        headers["Content-Location"] = document_address(doc, fmt, root)
    if is_fresh(request.headers.get("If-None-Match"), request.headers.get("If-Modified-Since"), etag, store.built):
        return Response(status=304, headers=headers)

    if fmt is HTML:
        return _html(_render_page(kind, doc, lang, root, page), headers=headers)
    return Response(_rdf(kind, doc), content_type=fmt.content_type, headers=headers)


def _render_page(kind: str, doc: DocumentRequest, lang: str, root: str, page: int) -> str:
    ctx = context()
    formats = [(fmt, document_address(doc, fmt, root)) for fmt in DOCUMENT_FORMATS if fmt is not HTML]
    structured_data = _structured_data(kind, doc)
    if kind == "ontology":
        ontology = describe.ontology_view(ctx.store, lang, root)
        return render_template(
            "ontology.html", view=ontology, formats=formats, iri=doc.iri, structured_data=structured_data
        )
    if kind == "shapes":
        return render_template(
            "shapes.html",
            shapes=describe.shapes_view(ctx.store, lang, root),
            formats=formats,
            iri=doc.iri,
            structured_data=structured_data,
        )
    if kind == "dataset":
        return render_template(
            "dataset.html",
            description=_dataset_rows(lang, root),
            graphs=_dataset_graphs(lang, root),
            formats=formats,
            dumps=ctx.store.build.dumps,
            iri=doc.iri,
            built=ctx.store.built,
            structured_data=structured_data,
        )
    view = differences.annotate(describe.entity_view(ctx.store, doc.iri, lang, root, page), ctx.store, lang, root)
    return render_template(
        "entity.html", view=view, formats=formats, browse=url_for("pages.browse"), structured_data=structured_data
    )


def _structured_data(kind: str, doc: DocumentRequest) -> Markup:
    """The JSON-LD a page embeds for crawlers: its document's statements about its subject,
    read as schema.org too (:mod:`rograph.web.structured_data`)."""
    return structured_data.json_ld(
        context().store, _document_quads(kind, doc), doc.iri, address_of(doc.iri, root_url())
    )


def _dataset_rows(lang: str, root: str) -> list:
    """The dataset description's statements about the dataset itself, labelled."""
    store = context().store
    labeller = describe.Labeller(store, lang, root)
    rows = []
    for quad in ox.parse(path=str(store.build.description), format=ox.RdfFormat.TURTLE):
        if quad.subject == ox.NamedNode(DATASET_IRI) and not isinstance(quad.object, ox.BlankNode):
            rows.append((quad.predicate, quad.object))
    labeller.fetch([p.value for p, _ in rows] + [o.value for _, o in rows if isinstance(o, ox.NamedNode)])
    grouped: dict[str, describe.Group] = {}
    for predicate, value in rows:
        grouped.setdefault(predicate.value, describe.Group(labeller.show(predicate))).values.append(
            labeller.show(value)
        )
    return list(grouped.values())


#: What the dataset description says of each named graph (its VoID subsets).
SD_NAME, VOID_TRIPLES, DCTERMS_DESCRIPTION = SD + "name", VOID + "triples", DCTERMS + "description"


def _dataset_graphs(lang: str, root: str) -> list[tuple[str, describe.Shown, int, str]]:
    """The dataset's named graphs, as its description's VoID subsets say: (anchor, name,
    statements, description in English or ""), the anchor being the graph IRI's last segment."""
    store = context().store
    subsets: dict[ox.BlankNode | ox.NamedNode, dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]] = {}
    for quad in ox.parse(path=str(store.build.description), format=ox.RdfFormat.TURTLE):
        subsets.setdefault(quad.subject, {})[quad.predicate.value] = quad.object
    named = [props for props in subsets.values() if SD_NAME in props]
    labeller = describe.Labeller(store, lang, root)
    labeller.fetch([props[SD_NAME].value for props in named])
    return sorted(
        (
            (
                props[SD_NAME].value.rstrip("/").rsplit("/", 1)[-1],
                labeller.show(props[SD_NAME]),
                int(props[VOID_TRIPLES].value) if VOID_TRIPLES in props else 0,
                props[DCTERMS_DESCRIPTION].value if DCTERMS_DESCRIPTION in props else "",
            )
            for props in named
        ),
        key=lambda row: row[1].text.lower(),
    )


def _document_quads(kind: str, doc: DocumentRequest) -> list[ox.Quad]:
    """The statements of the RDF document about ``doc``'s IRI."""
    store = context().store
    if kind == "dataset":
        return [
            ox.Quad(q.subject, q.predicate, q.object)
            for q in ox.parse(path=str(store.build.description), format=ox.RdfFormat.TURTLE)
        ]
    if kind in ("ontology", "shapes"):
        return describe.graph_statements(store, ONTOLOGY_GRAPH if kind == "ontology" else SHAPES_GRAPH)
    return describe.statements(store, doc.iri)


def _rdf(kind: str, doc: DocumentRequest) -> bytes:
    return _serialize(_document_quads(kind, doc), choose_document_format(request.headers.get("Accept"), doc))


#: The formats whose documents carry each statement's graph (its source). Every other format is
#: a plain graph: JSON-LD could hold named graphs, but a consumer of a graph reads only the
#: default graph (JSON-LD 1.1), so rdflib and Jena would see an empty document.
DATASET_WRITERS = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)


def _serialize(quads: list[ox.Quad], fmt: ResultFormat) -> bytes:
    """Quads as ``fmt``: with their graphs in TriG and N-Quads, else as triples (each
    once: the same statement from two sources is one triple). Turtle and TriG declare the
    prefixes they use and no others."""
    writer = fmt.writer
    if not isinstance(writer, ox.RdfFormat):
        raise ValueError(f"{fmt.media_type} is not an RDF document format")
    written = (
        quads
        if writer in DATASET_WRITERS
        else list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    )
    if writer not in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return _write(written, writer, None)
    candidates = prefixes_used(
        term.value for statement in written for term in statement if isinstance(term, ox.NamedNode)
    )
    candidates |= prefixes_used(
        term.datatype.value for statement in written for term in statement if isinstance(term, ox.Literal)
    )
    text = _write(written, writer, candidates)
    # The writer abbreviates what it can ("a", plain strings, numbers): keep what it used.
    body = re.sub(rb"(?m)^@prefix [^\n]*\n", b"", text)
    used = {
        prefix: ns
        for prefix, ns in candidates.items()
        if re.search(rb"(?<![\w-])" + re.escape(prefix.encode()) + rb":", body)
    }
    return text if used == candidates else _write(written, writer, used)


def _write(statements: list, writer: ox.RdfFormat, prefixes: dict[str, str] | None) -> bytes:
    out = io.BytesIO()
    ox.serialize(statements, out, writer, prefixes=prefixes)
    return out.getvalue()


def _not_found(doc: DocumentRequest, fmt: ResultFormat, root: str) -> Response:
    if fmt is HTML:
        return _html(
            render_template("not_found.html", iri=doc.iri, under_base=doc.iri.startswith(BASE)),
            status=404,
            headers={"Vary": "Accept"},
        )
    # An empty graph in the format asked for: still a valid document, saying nothing.
    return Response(_serialize([], fmt), status=404, content_type=fmt.content_type, headers={"Vary": "Accept"})


def _http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)
