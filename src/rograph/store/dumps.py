"""Dumps of the whole dataset, written at build time from the built store.

Two kinds, because researchers need both: the **dataset** with its named graphs (N-Quads,
TriG), which keeps "which source says this", and the **union** of all graphs as plain triples
(Turtle, JSON-LD), which any RDF tool loads. Each comes plain and gzipped. A dump's triple
count is the store's: quads for the dataset formats, distinct triples for the union ones.
"""

from __future__ import annotations

import gzip
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from rograph.namespaces import PREFIXES
from rograph.sources import sha256_of
from rograph.store.queries import InProcess


@dataclass(frozen=True)
class DumpFormat:
    """A way to dump the dataset: file extension, media type, and whether graphs are kept."""

    extension: str
    media_type: str
    rdf_format: ox.RdfFormat
    keeps_graphs: bool


DUMP_FORMATS: tuple[DumpFormat, ...] = (
    DumpFormat("nq", "application/n-quads", ox.RdfFormat.N_QUADS, True),
    DumpFormat("trig", "application/trig", ox.RdfFormat.TRIG, True),
    DumpFormat("ttl", "text/turtle", ox.RdfFormat.TURTLE, False),
    DumpFormat("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, False),
)


@dataclass(frozen=True)
class Dump:
    """One dump file as published: name, media type, size, checksum and what it holds."""

    name: str
    media_type: str
    compressed: bool
    byte_size: int
    sha256: str
    triples: int

    @classmethod
    def from_dict(cls, data: dict) -> Dump:
        return cls(**data)

    def to_dict(self) -> dict:
        return asdict(self)


def dump_format(name: str) -> DumpFormat:
    """The format a short name (``nq``, ``trig``, ``ttl``, ``jsonld``) names."""
    for fmt in DUMP_FORMATS:
        if fmt.extension == name:
            return fmt
    raise ValueError(f"unknown dump format {name!r}; use one of {', '.join(f.extension for f in DUMP_FORMATS)}")


def _union_triples(store: ox.Store) -> ox.QueryTriples:
    # Triples straight from the engine, made distinct by the subquery (a CONSTRUCT alone repeats a
    # triple stated in several graphs): about half the CPU of building them from SELECT rows
    # (100k generated quads, Turtle: 0.45-0.56 s against 0.86-1.02 s).
    return InProcess(store).construct(
        "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
    )


def write_dump(store: ox.Store, fmt: DumpFormat, output: BinaryIO) -> int:
    """Write the dataset (or its union) in ``fmt`` to ``output``; returns the triple count."""
    prefixes = PREFIXES if fmt.rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else None
    if fmt.keeps_graphs:
        # The store's own writer, with no Python object per quad: on 1M quads 1.5 s of CPU
        # instead of 2.1 (N-Quads) and 1.3 instead of 3.7 (TriG); docs/serving.md, "Scale".
        store.dump(output, fmt.rdf_format, prefixes=prefixes)
        return len(store)
    count = 0

    def counted(items):
        nonlocal count
        for item in items:
            count += 1
            yield item

    ox.serialize(counted(_union_triples(store)), output, fmt.rdf_format, prefixes=prefixes)
    return count


def write_dumps(store: ox.Store, folder: Path) -> list[Dump]:
    """Every dump, plain and gzipped, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    dumps = []
    for fmt in DUMP_FORMATS:
        plain = folder / f"dataset.{fmt.extension}"
        with plain.open("wb") as out:
            triples = write_dump(store, fmt, out)
        packed = folder / f"dataset.{fmt.extension}.gz"
        with plain.open("rb") as source, gzip.open(packed, "wb", compresslevel=6) as target:
            shutil.copyfileobj(source, target, 1 << 20)
        for path, compressed in ((plain, False), (packed, True)):
            dumps.append(Dump(path.name, fmt.media_type, compressed, path.stat().st_size, sha256_of(path), triples))
    return dumps
