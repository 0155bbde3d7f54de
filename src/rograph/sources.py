"""The project's sources: which RDF files there are and what graph each one fills.

This is the first step of the flow and the only place that knows the project's layout:

* ``ontology/*.ttl`` — the OWL ontology and the SKOS concept schemes, loaded into
  :data:`~rograph.namespaces.ONTOLOGY_GRAPH`;
* ``shapes/*.ttl``   — the SHACL shapes, loaded into :data:`~rograph.namespaces.SHAPES_GRAPH`;
* ``data/*.trig``    — the facts, one named graph per source, loaded with the graph names
  the files give them. A data file holds named graphs only: a fact outside a graph could
  not say which source it comes from;
* ``sources/``       — the texts of the sources the data quotes (not RDF; validation reads
  them to check the evidence, see :mod:`rograph.validation.evidence`).

Files are parsed with pyoxigraph, which is fast and reports syntax errors with a line and
column; :class:`SourceError` carries them so that every caller can say ``file:line:column``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from rograph.namespaces import ONTOLOGY_GRAPH, SHAPES_GRAPH

_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".trig": ox.RdfFormat.TRIG,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
}
RDF_SUFFIXES = tuple(_FORMATS)


class SourceError(Exception):
    """A source file cannot be read or parsed. ``str()`` is ``file:line:column: message``."""

    def __init__(self, path: Path, message: str, line: int | None = None, column: int | None = None):
        self.path, self.message, self.line, self.column = Path(path), message, line, column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class SourceFile:
    """One RDF file and the graph its triples go to (``None``: the graphs the file names)."""

    path: Path
    role: str  # "ontology", "shapes", "data", or "external" for files that are not the project's
    graph: str | None

    @property
    def format(self) -> ox.RdfFormat:
        try:
            return _FORMATS[self.path.suffix.lower()]
        except KeyError:
            raise SourceError(
                self.path, f"unknown RDF file extension {self.path.suffix!r}; use one of {', '.join(RDF_SUFFIXES)}"
            ) from None


@dataclass(frozen=True)
class ProjectFiles:
    """The project's source files, in a stable order."""

    ontology: tuple[SourceFile, ...]
    shapes: tuple[SourceFile, ...]
    data: tuple[SourceFile, ...]
    #: The project's top folder, whose ``sources/`` holds the texts evidence quotes; ``None``
    #: for files that are not a project's.
    root: Path | None = None

    @property
    def all(self) -> tuple[SourceFile, ...]:
        return self.ontology + self.shapes + self.data

    def content_hash(self) -> str:
        """SHA-256 over every file's role, name and bytes: changes when any source changes.

        Read in blocks: every start hashes the sources, and a whole-file read held a 2 GB
        data file (10M quads) in memory at each one."""
        digest = hashlib.sha256()
        for source in self.all:
            digest.update(f"{source.role}\0{source.path.name}\0".encode())
            with source.path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
            digest.update(b"\0")
        return digest.hexdigest()


def discover(project_dir: Path) -> ProjectFiles:
    """Find the ontology, shapes and data files under ``project_dir``."""
    project_dir = Path(project_dir)
    if not project_dir.is_dir():
        raise SourceError(project_dir, "no such project folder (ROGRAPH_PROJECT_DIR / --project-dir)")
    missing = [d for d in ("ontology", "data", "shapes") if not (project_dir / d).is_dir()]
    if missing:
        raise SourceError(
            project_dir.absolute(),
            f"not a rograph project: no {', '.join(d + '/' for d in missing)} folder "
            "(give the project's folder with --project-dir or ROGRAPH_PROJECT_DIR)",
        )

    def files(folder: str) -> list[Path]:
        return sorted(p for p in (project_dir / folder).iterdir() if p.suffix.lower() in RDF_SUFFIXES)

    return ProjectFiles(
        ontology=tuple(SourceFile(p, "ontology", ONTOLOGY_GRAPH) for p in files("ontology")),
        shapes=tuple(SourceFile(p, "shapes", SHAPES_GRAPH) for p in files("shapes")),
        data=tuple(SourceFile(p, "data", None) for p in files("data")),
        root=project_dir,
    )


def external_files(paths: Iterable[Path]) -> tuple[SourceFile, ...]:
    """Anyone's RDF files (``rograph serve --data``): kept as they are, default graph included."""
    return tuple(SourceFile(Path(p), "external", None) for p in paths)


def with_data(files: ProjectFiles, paths: Iterable[Path]) -> ProjectFiles:
    """``files`` with anyone's RDF files (``--data``) in place of the project's data, checked
    against the same ontology and shapes; unchanged when ``paths`` is empty."""
    data = external_files(paths)
    return ProjectFiles(ontology=files.ontology, shapes=files.shapes, data=data, root=files.root) if data else files


def read_quads(source: SourceFile) -> Iterator[ox.Quad]:
    """Parse one file, placing its triples in the source's graph.

    Raises :class:`SourceError` with the parser's line and column on a syntax error, and
    when a project data file puts a triple in the default graph.
    """
    graph = ox.NamedNode(source.graph) if source.graph else None
    try:
        with source.path.open("rb") as stream:
            for quad in ox.parse(stream, format=source.format, base_iri=None):
                if graph is not None:
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, graph)
                elif source.role == "data" and isinstance(quad.graph_name, ox.DefaultGraph):
                    raise SourceError(
                        source.path,
                        f"triple outside a named graph: {quad.subject} {quad.predicate} {quad.object}; "
                        "every fact belongs in the named graph of the source that states it",
                    )
                else:
                    yield quad
    except SyntaxError as error:
        message = error.msg.split(": ", 1)[-1] if error.lineno else error.msg
        raise SourceError(source.path, message, error.lineno, error.offset) from None
    except OSError as error:
        raise SourceError(source.path, error.strerror or str(error)) from None


def load(files: ProjectFiles) -> ox.Store:
    """Parse every file into a new in-memory store.

    The quads stream from the parser into the store's bulk loader: holding them as Python
    objects first took several times the store's own memory (at 10M quads, more than the
    machine had; see the "Scale" section of docs/serving.md). A syntax error anywhere raises
    :class:`SourceError` and the half-filled store is dropped with it, so no caller ever sees
    part of the sources.
    """
    store = ox.Store()
    store.bulk_extend(quad for source in files.all for quad in read_quads(source))
    return store


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, in hex, read in blocks (a dump may be larger than memory)."""
    with Path(path).open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
