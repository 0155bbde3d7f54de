"""Build validated sources into a store snapshot, atomically, and find the one to serve.

A build is a folder ``var/builds/<content-hash>/`` holding the dumps (``dumps/``, whose
``dataset.nq`` is what stores load), the dataset's VoID/DCAT description (``void.ttl``) and
``manifest.json``. ``var/current`` is a symlink to the build being served; it is replaced with
one ``rename``, the only atomic step a POSIX file system offers, and only after the new build
is complete. A crash at any point leaves the previous ``current`` in place, and a folder named
``*.tmp-*`` that the next build removes.

Only data that passes validation is built. The build adds the RDFS consequences of the
ontology's class and property hierarchy in a graph of their own (:mod:`rograph.store.entailment`).
When the sources change and no longer validate, the last good build keeps serving and the report
says why the new one was refused.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from rograph import sources
from rograph.namespaces import PREFIXES
from rograph.sources import ProjectFiles
from rograph.store import entailment
from rograph.store.dumps import Dump, write_dumps
from rograph.store.queries import InProcess
from rograph.store.void import describe_dataset

log = logging.getLogger(__name__)

KEEP_BUILDS = 3


class BuildRefused(Exception):
    """The sources did not validate and there is no earlier build to fall back on."""

    def __init__(self, report_text: str):
        self.report_text = report_text
        super().__init__("the sources do not validate and no earlier build exists:\n" + report_text)


class BuildDamaged(Exception):
    """A build on disk no longer matches its manifest; the message names the file."""


@dataclass(frozen=True)
class Build:
    """A finished build on disk."""

    path: Path
    version: str
    built: datetime
    quad_count: int
    #: Quads per named graph, counted at build time so that a server can describe the
    #: dataset without opening it (a process that opened the on-disk store cannot fork).
    graph_counts: dict[str, int]
    #: The dumps published with this build (``dumps/``), with sizes and checksums.
    dumps: tuple[Dump, ...]

    @property
    def dataset(self) -> Path:
        """Every quad, as N-Quads: what stores load, and the first of the dumps."""
        return self.path / "dumps" / "dataset.nq"

    @property
    def description(self) -> Path:
        """The VoID/DCAT description of the dataset, as Turtle."""
        return self.path / "void.ttl"

    def dump_file(self, name: str) -> Path | None:
        """The published dump called ``name``, if there is one."""
        for dump in self.dumps:
            if dump.name == name:
                return self.path / "dumps" / name
        return None

    def database(self) -> Path:
        """The build as an on-disk Oxigraph database, written beside the dump on first use.

        Written aside and renamed into place, like the build itself, so a crash never leaves
        a half-loaded database that a later start would open.
        """
        final = self.path / "oxigraph"
        if not final.is_dir():
            staging = self.path / f"oxigraph.tmp-{os.getpid()}"
            shutil.rmtree(staging, ignore_errors=True)
            # In a fresh process: RocksDB leaves process-wide threads behind, and a server
            # that forks its workers must not have started any.
            writer = multiprocessing.get_context("spawn").Process(target=_write_database, args=(self.dataset, staging))
            writer.start()
            writer.join()
            if writer.exitcode != 0:
                raise RuntimeError(
                    f"writing the on-disk database of build {self.version[:12]} failed (exit {writer.exitcode})"
                )
            os.rename(staging, final)
            log.info("wrote the on-disk database of build %s", self.version[:12])
        return final

    @classmethod
    def read(cls, path: Path) -> Build:
        """The build in ``path``, once every file in it matches the SHA-256 its manifest holds.

        Raises :class:`BuildDamaged` (one line naming the file) for a manifest that cannot be
        read or a file that is missing or differs; ``KeyError`` for a manifest written by an
        older rograph (without checksums).
        """
        try:
            manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BuildDamaged(f"build {path.name[:12]} is damaged: manifest.json cannot be read ({error})") from None
        for name, expected in manifest["checksums"].items():
            try:
                actual = sources.sha256_of(path / name)
            except OSError:
                raise BuildDamaged(f"build {path.name[:12]} is damaged: {name} is missing") from None
            if actual != expected:
                raise BuildDamaged(
                    f"build {path.name[:12]} is damaged: {name} does not match the SHA-256 in its manifest"
                )
        return cls(
            path,
            manifest["version"],
            datetime.fromisoformat(manifest["built"]),
            manifest["quad_count"],
            manifest["graph_counts"],
            tuple(Dump.from_dict(d) for d in manifest["dumps"]),
        )


def _write_database(dataset: Path, location: Path) -> None:
    database = ox.Store(str(location))
    database.bulk_load(path=str(dataset), format=ox.RdfFormat.N_QUADS)
    database.flush()


def current_build(var_dir: Path) -> Build | None:
    """The build being served, if it is intact; else the newest earlier build that is."""
    link = var_dir / "current"
    candidates = [link.resolve()] if link.is_symlink() and link.resolve().is_dir() else []
    if (var_dir / "builds").is_dir():
        candidates += sorted(
            (p for p in (var_dir / "builds").iterdir() if p.is_dir() and ".tmp-" not in p.name),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
    for path in dict.fromkeys(candidates):
        try:
            return Build.read(path)
        except BuildDamaged as damage:
            log.error("%s; not serving it", damage)
        except (OSError, ValueError, KeyError):
            continue
    return None


def ensure_build(files: ProjectFiles, var_dir: Path, *, validate: bool = True) -> Build:
    """The build for ``files``: the existing one if the sources are unchanged, else a new one.

    Raises :class:`BuildRefused` if the sources do not validate and nothing was built before;
    raises :class:`rograph.sources.SourceError` on a syntax error in the same case.
    """
    version = files.content_hash() + ("" if validate else "-unvalidated")
    target = var_dir / "builds" / version
    if target.is_dir():
        try:
            existing = Build.read(target)
        except BuildDamaged as damage:
            log.error("%s; building it again from the sources", damage)
            shutil.rmtree(target)
        except (KeyError, ValueError):
            log.info("build %s was written by an older rograph; building it again", version[:12])
            shutil.rmtree(target)
        else:
            _point_current_at(target, var_dir)
            return existing

    fallback = current_build(var_dir)
    try:
        if validate:
            from rograph.validation import Severity, render
            from rograph.validation import validate as run_validation

            report = run_validation(files)
            if report.at_or_above(Severity.VIOLATION):
                text = render(report, "text")
                if fallback is None:
                    raise BuildRefused(text)
                log.error("the sources do not validate; still serving build %s:\n%s", fallback.version[:12], text)
                return fallback
        build = _write_build(files, var_dir, version)
    except sources.SourceError as error:
        if fallback is None:
            raise
        log.error("cannot read the sources (%s); still serving build %s", error, fallback.version[:12])
        return fallback
    _point_current_at(build.path, var_dir)
    _remove_old_builds(var_dir, keep=build.path)
    return build


def _write_build(files: ProjectFiles, var_dir: Path, version: str) -> Build:
    builds = var_dir / "builds"
    builds.mkdir(parents=True, exist_ok=True)
    for stale in builds.glob("*.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = builds / f"{version}.tmp-{os.getpid()}"
    staging.mkdir()
    store = sources.load(files)
    store.extend(list(entailment.consequences(store)))
    built = datetime.now(UTC).replace(microsecond=0)
    dumps = write_dumps(store, staging / "dumps")
    graph_counts = InProcess(store).triples_per_graph()
    with (staging / "void.ttl").open("wb") as out:
        ox.serialize(describe_dataset(store, dumps, built, graph_counts), out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    manifest = {
        "version": version,
        "built": built.isoformat(),
        "quad_count": len(store),
        "graph_counts": graph_counts,
        "dumps": [dump.to_dict() for dump in dumps],
        "files": [str(source.path) for source in files.all],
        # Every file of the build, checked before it is served (Build.read).
        "checksums": {
            str(path.relative_to(staging)): sources.sha256_of(path)
            for path in sorted(staging.rglob("*"))
            if path.is_file()
        },
    }
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    _fsync_tree(staging)
    final = builds / version
    os.rename(staging, final)
    log.info("built %s: %d quads from %d files", version[:12], len(store), len(files.all))
    return Build.read(final)


def _point_current_at(build_path: Path, var_dir: Path) -> None:
    link = var_dir / "current"
    if link.is_symlink() and link.resolve() == build_path.resolve():
        return
    temporary = var_dir / f"current.tmp-{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(os.path.relpath(build_path, var_dir))
    os.replace(temporary, link)


def _remove_old_builds(var_dir: Path, keep: Path) -> None:
    builds = sorted(
        (p for p in (var_dir / "builds").iterdir() if p.is_dir() and ".tmp-" not in p.name and p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in builds[KEEP_BUILDS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_dir():
            _fsync_tree(path)
            continue
        with path.open("rb") as handle:
            os.fsync(handle.fileno())
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
