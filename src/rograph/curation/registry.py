"""The sources of the graph: registering the next one (``rograph source add``) and listing them
all with their graphs, counts and checks (``rograph source list``).

A source is a document identified by its web address, or a text file kept in the project's
``sources/`` folder (a ``rg:SourceText`` distribution with its path and SHA-256, as the model of
issue 12 has it). Registering it mints the source's,
its graph's and its curation activity's IRIs by the one IRI rule
(:func:`rograph.namespaces.entity_iri`) from one slug, and writes ``data/{slug}.trig``: the
graph's provenance and nothing else, so the file passes the shapes before the curator adds a
single fact, and every fact added later is in the right graph.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pyoxigraph as ox

from rograph import sources
from rograph.namespaces import (
    BASE,
    DCAT,
    DCTERMS,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    RDFS,
    RG,
    SCHEMA,
    SKOS,
    SPDX,
    XSD,
    entity_iri,
)
from rograph.store.queries import InProcess

#: The concept scheme whose concepts are the kinds a source can be (ontology/concepts.ttl).
SOURCE_KINDS = BASE + "concept/source-kinds"
#: The EU Publications Office's language authority table (the model's dcterms:language values).
LANGUAGE_IRI = "http://publications.europa.eu/resource/authority/language/{}"
#: ISO 639-1 codes a curator types, and the authority table's codes for them.
LANGUAGES = {
    "bg": "BUL",
    "cs": "CES",
    "da": "DAN",
    "de": "DEU",
    "el": "ELL",
    "en": "ENG",
    "es": "SPA",
    "et": "EST",
    "fi": "FIN",
    "fr": "FRA",
    "ga": "GLE",
    "hr": "HRV",
    "hu": "HUN",
    "it": "ITA",
    "lt": "LIT",
    "lv": "LAV",
    "mt": "MLT",
    "nl": "NLD",
    "pl": "POL",
    "pt": "POR",
    "ro": "RON",
    "ru": "RUS",
    "sk": "SLK",
    "sl": "SLV",
    "sv": "SWE",
    "uk": "UKR",
    "rom": "ROM",
}
#: The team every curation activity is associated with (never a person).
CURATORS = BASE + "organisation/rograph-curators"
#: Languages a label must exist in (the shapes' LabelledEntityShape).
REQUIRED_LABELS = ("lv", "en")


class RegistrationError(ValueError):
    """What is wrong with a ``source add``; the message starts with the option at fault."""


@dataclass(frozen=True)
class NewSource:
    """What ``rograph source add`` was asked to register, checked."""

    slug: str
    address: str | None
    file: Path | None
    publisher: str
    language: str
    kind: str
    title: str
    labels: dict[str, str]

    @property
    def source(self) -> str:
        return entity_iri("source", self.slug)

    @property
    def graph(self) -> str:
        return entity_iri("graph", self.slug)

    @property
    def curation(self) -> str:
        return entity_iri("curation", self.slug)


def load_project(project_dir: Path) -> ox.Store:
    """The project's ontology, shapes and data in one store (raises SourceError)."""
    return sources.load(sources.discover(project_dir))


def resolve_entity(reference: str, kind: str) -> str:
    """An IRI from ``https://…``, ``kind:slug`` or a bare ``slug`` of ``kind``."""
    if reference.startswith(("http://", "https://")):
        return reference
    if ":" in reference:
        prefix, slug = reference.split(":", 1)
        return entity_iri(prefix, slug)
    return entity_iri(kind, reference)


def slug_from(text: str) -> str:
    """Lower-case ASCII words joined by hyphens, from any name: ``Latvijas romu platforma`` →
    ``latvijas-romu-platforma``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:80].strip("-")


def default_slug(address: str | None, file: Path | None) -> str:
    if file is not None:
        return slug_from(file.stem)
    parts = urlsplit(address or "")
    segments = [s for s in parts.path.split("/") if s]
    return slug_from(segments[-1] if segments else parts.hostname or "")


def _one(store: ox.Store, query: str) -> list:
    """All rows of ``query``, the default graph being the union of the project's graphs."""
    return list(InProcess(store, union_default_graph=True).select(query))


def source_kinds(store: ox.Store) -> dict[str, str]:
    """Slug → IRI of every concept of the source-kinds scheme."""
    rows = _one(store, f"SELECT ?kind WHERE {{ ?kind <{SKOS}inScheme> <{SOURCE_KINDS}> }} ORDER BY ?kind")
    return {row["kind"].value.rsplit("/", 1)[-1]: row["kind"].value for row in rows}


def check_new_source(
    store: ox.Store,
    project_dir: Path,
    target: str,
    *,
    publisher: str,
    language: str,
    kind: str,
    title: str,
    labels: dict[str, str],
    slug: str | None,
) -> NewSource:
    """Check everything ``source add`` was given against the project before anything is written."""
    address, file = None, None
    if target.startswith(("http://", "https://")):
        try:
            ox.NamedNode(target)
        except ValueError:
            raise RegistrationError(f"ADDRESS: {target!r} is not a valid web address") from None
        address = target
    else:
        path = Path(target)
        absolute = path if path.is_absolute() else Path.cwd() / path
        if not absolute.is_file():
            raise RegistrationError(f"ADDRESS|FILE: {target!r} is neither an http(s) address nor a file")
        file = absolute.resolve()
        folder = (Path(project_dir) / "sources").resolve()
        if not file.is_relative_to(folder):
            raise RegistrationError(
                f"FILE: {target} is not in the project's sources/ folder ({folder}); copy it there "
                "first: a source's text is kept with the project, byte for byte"
            )

    kinds = source_kinds(store)
    if kind not in kinds:
        raise RegistrationError(
            f"--kind: {kind!r} is not a source kind; use one of {', '.join(kinds)} "
            f"(the concepts of <{SOURCE_KINDS}> in ontology/concepts.ttl)"
        )
    if language not in LANGUAGES:
        raise RegistrationError(
            f"--language: {language!r} is not an ISO 639-1 code such as lv, en or et "
            f"(one of {', '.join(sorted(LANGUAGES))})"
        )
    try:
        publisher_iri = resolve_entity(publisher, "organisation")
    except ValueError as error:
        raise RegistrationError(f"--publisher: {error}") from None
    slug = slug if slug is not None else default_slug(address, file)
    try:
        entity_iri("source", slug)
    except ValueError:
        raise RegistrationError(f"--slug: {slug!r} is not lower-case ASCII words joined by hyphens") from None
    if not _is_organisation(store, publisher_iri):
        known = _organisations(store)
        raise RegistrationError(
            f"--publisher: {publisher_iri} is not an organisation in the graph; use one of "
            + ", ".join(known)
            + " (or describe the publisher in a data file first)"
        )

    if not _one(store, f"SELECT ?t WHERE {{ <{CURATORS}> a ?t }}"):
        raise RegistrationError(
            f"the project does not describe <{CURATORS}>, the team every curation activity is "
            "associated with; describe it in a data file first"
        )
    all_labels = {language: title, **labels}
    missing = [lang for lang in REQUIRED_LABELS if lang not in all_labels]
    if missing:
        raise RegistrationError(
            "--label: the source needs a label in "
            + " and ".join(missing)
            + " besides its title: give "
            + " ".join(f"--label {lang}:TEXT" for lang in missing)
        )

    new = NewSource(slug, address, file, publisher_iri, language, kinds[kind], title, all_labels)
    _check_unused(store, project_dir, new)
    return new


def _check_unused(store: ox.Store, project_dir: Path, new: NewSource) -> None:
    for iri in (new.source, new.graph, new.curation):
        node = ox.NamedNode(iri)
        if InProcess(store).ask(f"ASK {{ {{ GRAPH ?g {{ {node} ?p ?o }} }} UNION {{ GRAPH {node} {{ ?s ?p ?o }} }} }}"):
            raise RegistrationError(f"--slug: {new.slug!r}: {iri} already exists; choose another slug")
    path = project_dir / "data" / f"{new.slug}.trig"
    if path.exists():
        raise RegistrationError(f"--slug: {new.slug!r}: {path} already exists; choose another slug")
    if new.address:
        for row in _one(store, f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{SCHEMA}url> {ox.NamedNode(new.address)} }} }}"):
            raise RegistrationError(f"ADDRESS: {new.address} is already registered as {row['s'].value}")
    if new.file:
        digest = sources.sha256_of(new.file)
        for row in _one(
            store,
            f"""SELECT ?s WHERE {{ ?s <{DCAT}distribution>/<{SPDX}checksum>/<{SPDX}checksumValue> ?d
                FILTER(STR(?d) = "{digest}") }}""",
        ):
            raise RegistrationError(f"FILE: {new.file} (SHA-256 {digest}) is already registered as {row['s'].value}")


def _is_organisation(store: ox.Store, iri: str) -> bool:
    return InProcess(store, union_default_graph=True).ask(
        f"ASK {{ {ox.NamedNode(iri)} a/<{RDFS}subClassOf>* <{ORG}Organization> }}"
    )


def _organisations(store: ox.Store) -> list[str]:
    rows = _one(
        store,
        f"SELECT DISTINCT ?o WHERE {{ ?o a/<{RDFS}subClassOf>* <{ORG}Organization> FILTER(isIRI(?o)) }} ORDER BY ?o",
    )
    return [prefixed_entity(row["o"].value) for row in rows]


def prefixed_entity(iri: str) -> str:
    """``https://w3id.org/rograph/organisation/x`` as ``organisation:x`` (what --publisher takes)."""
    return iri[len(BASE) :].replace("/", ":", 1) if iri.startswith(BASE) else iri


def relative_path(path: Path, project_dir: Path) -> str:
    """``path`` relative to the project folder (with ``..`` where it lies outside), POSIX style."""
    return Path(os.path.relpath(Path(path).resolve(), Path(project_dir).resolve())).as_posix()


def graph_file_text(
    new: NewSource, project_dir: Path, ontology_version: str | None, now: datetime | None = None
) -> str:
    """The TriG of the new source's graph: its provenance, ready for the facts."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)

    def lit(text: str, lang: str | None = None, datatype: str | None = None) -> str:
        return str(ox.Literal(text, language=lang, datatype=ox.NamedNode(datatype) if datatype else None))

    def iri(value: str) -> str:
        return str(ox.NamedNode(value))

    title_en, title_lv = new.labels["en"], new.labels["lv"]
    text_iri = new.source + "-text"
    if new.address:
        identification, text_node, where = f"schema:url {iri(new.address)}", "", new.address
    else:
        assert new.file is not None  # a new source has an address or a file
        path = where = relative_path(new.file, project_dir)
        identification = f"dcat:distribution {iri(text_iri)}"
        text_node = f"""
    {iri(text_iri)} a rg:SourceText ;
        rdfs:label {lit("Avota teksts (" + new.file.name + ")", "lv")} , {lit("Text of the source (" + new.file.name + ")", "en")} ;
        rg:projectPath {lit(path)} ;
        dcterms:language {iri(LANGUAGE_IRI.format(LANGUAGES[new.language]))} ;
        spdx:checksum [ a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ;
            spdx:checksumValue {lit(sources.sha256_of(new.file), datatype=XSD + "hexBinary")} ] .
"""
    labels = " , ".join(lit(text, lang) for lang, text in sorted(new.labels.items()))
    used = " , ".join([iri(new.source)] + ([iri(ontology_version)] if ontology_version else []))
    started = lit(now.isoformat().replace("+00:00", "Z"), datatype=XSD + "dateTime")
    return f"""# Facts stated by the source {where}
# Registered with `rograph source add` on {now.date().isoformat()}. Everything below is in ONE named graph, the graph
# of that source; the graph says which source it comes from and which curation recorded it. Add the facts
# the source states inside the graph, below the provenance; nothing the source does not say. People the
# source names are left out: record their posts and roles instead.
# Entity IRIs follow https://w3id.org/rograph/{{kind}}/{{slug}} (src/rograph/namespaces.py).

@prefix rg: <{RG}> .
@prefix rdfs: <{RDFS}> .
@prefix xsd: <{PREFIXES["xsd"]}> .
@prefix skos: <{SKOS}> .
@prefix dcterms: <{DCTERMS}> .
@prefix dcat: <{DCAT}> .
@prefix org: <{ORG}> .
@prefix schema: <{SCHEMA}> .
@prefix prov: <{PROV}> .
@prefix spdx: <{SPDX}> .

{iri(new.graph)} {{

    ################################################################################################
    # The source and this graph's provenance
    ################################################################################################

    {iri(new.graph)}
        rdfs:label {lit("Fakti no avota “" + title_lv + "”", "lv")} ,
            {lit("Facts from the source “" + title_en + "”", "en")} ;
        prov:wasDerivedFrom {iri(new.source)} ;
        dcterms:source {iri(new.source)} ;
        prov:wasGeneratedBy {iri(new.curation)} .

    {iri(new.source)} a rg:SourceDocument ;
        rdfs:label {labels} ;
        dcterms:title {lit(new.title, new.language)} ;
        dcterms:publisher {iri(new.publisher)} ;
        dcterms:language {iri(LANGUAGE_IRI.format(LANGUAGES[new.language]))} ;
        dcterms:type {iri(new.kind)} ;
        {identification} .
{text_node}
    {iri(new.curation)} a rg:CurationActivity ;
        rdfs:label {lit("Avota “" + title_lv + "” kurēšana", "lv")} ,
            {lit("Curation of “" + title_en + "”", "en")} ;
        dcterms:date {lit(now.date().isoformat(), datatype=XSD + "date")} ;
        prov:startedAtTime {started} ;
        prov:wasAssociatedWith {iri(CURATORS)} ;
        prov:used {used} .

    ################################################################################################
    # The facts the source states
    ################################################################################################

}}
"""


def ontology_version(store: ox.Store) -> str | None:
    """The ontology's owl:versionIRI, which each curation activity says it used."""
    rows = _one(store, f"SELECT ?v WHERE {{ <{BASE}ontology> <{OWL}versionIRI> ?v }}")
    return rows[0]["v"].value if rows else None


def register(project_dir: Path, new: NewSource, store: ox.Store) -> Path:
    """Write ``data/{slug}.trig`` (never over an existing file) and return its path."""
    path = project_dir / "data" / f"{new.slug}.trig"
    with path.open("x", encoding="utf-8") as out:
        out.write(graph_file_text(new, project_dir, ontology_version(store)))
    return path


# --------------------------------------------------------------------------------------------
# source list
# --------------------------------------------------------------------------------------------


@dataclass
class ListedSource:
    source: str
    label: str
    address: str | None
    read_from: str | None
    graphs: list[str]
    file: str | None
    statements: int
    entities: int
    checks: dict


def list_sources(project_dir: Path, lang: str = "en") -> list[ListedSource]:
    """Every source document with its graphs, data file, counts and checks (validation results
    in its file, and for a file source whether the file is still what was registered)."""
    from rograph.validation.model import Severity
    from rograph.validation.run import validate

    files = sources.discover(project_dir)
    store = sources.load(files)
    file_of_graph: dict[str, str] = {}
    for source_file in files.data:
        for quad in sources.read_quads(source_file):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                file_of_graph.setdefault(quad.graph_name.value, relative_path(source_file.path, project_dir))
    report = validate(files)
    results_by_file: dict[str, list] = {}
    for result in report.results:
        if result.file is not None:
            results_by_file.setdefault(relative_path(result.file, project_dir), []).append(result)

    listed = []
    rows = _one(
        store,
        f"""SELECT ?s ?url ?path ?digest WHERE {{ ?s a <{RG}SourceDocument>
        OPTIONAL {{ ?s <{SCHEMA}url> ?url }}
        OPTIONAL {{ ?s <{DCAT}distribution> ?text . ?text <{RG}projectPath> ?path
                    OPTIONAL {{ ?text <{SPDX}checksum>/<{SPDX}checksumValue> ?digest }} }} }} ORDER BY ?s""",
    )
    seen = set()
    for row in rows:
        iri = row["s"].value
        if iri in seen:
            continue
        seen.add(iri)
        graphs = [
            r["g"].value
            for r in _one(
                store, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?g <{PROV}wasDerivedFrom> {row['s']} }} }} ORDER BY ?g"
            )
        ]
        statements = entities = 0
        for graph in graphs:
            counted = _one(
                store,
                f"""SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?s) AS ?e) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}""",
            )[0]
            statements += int(counted["n"].value)
            entities += int(counted["e"].value)
        file = next((file_of_graph[g] for g in graphs if g in file_of_graph), None)
        results = results_by_file.get(file, []) if file else []
        checks = {
            "violations": sum(r.severity == Severity.VIOLATION for r in results),
            "warnings": sum(r.severity == Severity.WARNING for r in results),
            "infos": sum(r.severity == Severity.INFO for r in results),
            "file": _file_check(project_dir, row["path"], row["digest"]),
        }
        label = _label(store, iri, lang)
        listed.append(
            ListedSource(
                iri,
                label,
                row["url"].value if row["url"] else None,
                row["path"].value if row["path"] else None,
                graphs,
                file,
                statements,
                entities,
                checks,
            )
        )
    return listed


def _file_check(project_dir: Path, path: ox.Literal | None, digest: ox.Literal | None) -> str | None:
    """``None`` when there is no file to check or it is unchanged; else what is wrong."""
    if path is None:
        return None
    file = project_dir / path.value
    if not file.is_file():
        return "missing"
    if digest is None or sources.sha256_of(file) != digest.value:
        return "changed since it was registered (SHA-256 differs)"
    return None


def _label(store: ox.Store, iri: str, lang: str) -> str:
    labels = {
        row["l"].language: row["l"].value
        for row in _one(store, f"SELECT ?l WHERE {{ {ox.NamedNode(iri)} <{RDFS}label> ?l }}")
    }
    return labels.get(lang) or labels.get("en") or next(iter(labels.values()), iri)
