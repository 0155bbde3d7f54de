"""A semantic diff for review: which statements a change adds, removes and changes, per
source graph and per entity, with labels — what a curator reviewing a pull request needs
instead of lines of TriG.

Each side is a dataset read from a git revision (its ``ontology/``, ``shapes/`` and ``data/``),
the working tree, or a build (its ``dumps/dataset.nq``). Blank nodes get names from their own
statements (a hash of what they say, recursively), so the same blank-node structure on both sides
compares equal whatever the parser called it. A value is *changed* when, for one entity,
property, graph and (for text) language, exactly one value went and one came.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tarfile
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from rograph import sources
from rograph.namespaces import PROV, RDFS, SKOS, prefixed
from rograph.validation.locate import Locator

RDFS_LABEL = RDFS + "label"
SKOS_PREF = SKOS + "prefLabel"
PROV_DERIVED = PROV + "wasDerivedFrom"
#: The name a side has when it is the working tree.
WORKING_TREE = "working tree"

Term = ox.NamedNode | ox.Literal | ox.BlankNode
Statement = tuple[Term, ox.NamedNode, Term]


class DiffError(ValueError):
    """A side of the diff cannot be read: an unknown revision, a missing build, a bad file."""


@dataclass
class Side:
    """One side of the diff: statements per graph, and where its files are (for file:line)."""

    name: str
    graphs: dict[str, set[Statement]]
    files: list[Path] = field(default_factory=list)
    #: How to show a file of this side: its path relative to the project.
    shown_file: dict[Path, str] = field(default_factory=dict)


def read_side(spec: str | None, project_dir: Path) -> Side:
    """The working tree (``None``), a build folder, a dump file, or a git revision."""
    project_dir = Path(project_dir)
    if spec is None:
        return _from_project(WORKING_TREE, project_dir, project_dir)
    path = Path(spec)
    if path.is_dir() and (path / "dumps" / "dataset.nq").is_file():
        return _from_quads(spec, _parse(path / "dumps" / "dataset.nq"))
    if path.is_file() and path.suffix in (".nq", ".trig"):
        return _from_quads(spec, _parse(path))
    return _from_revision(spec, project_dir)


def _parse(path: Path) -> list[ox.Quad]:
    try:
        return list(
            ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS if path.suffix == ".nq" else ox.RdfFormat.TRIG)
        )
    except (SyntaxError, OSError) as error:
        raise DiffError(f"{path}: {error}") from None


def _from_project(name: str, folder: Path, project_dir: Path) -> Side:
    try:
        files = sources.discover(folder)
        quads = [quad for source in files.all for quad in sources.read_quads(source)]
    except sources.SourceError as error:
        raise DiffError(f"{name}: {error}") from None
    side = _from_quads(name, quads)
    side.files = [f.path for f in files.data] + [f.path for f in files.ontology + files.shapes]
    side.shown_file = {p: p.resolve().relative_to(folder.resolve()).as_posix() for p in side.files}
    return side


def _from_revision(revision: str, project_dir: Path) -> Side:
    def git(*args: str) -> bytes:
        try:
            return subprocess.run(["git", "-C", str(project_dir), *args], capture_output=True, check=True).stdout
        except FileNotFoundError:
            raise DiffError("git is not installed; compare two builds instead") from None
        except subprocess.CalledProcessError as error:
            message = error.stderr.decode(errors="replace").strip().splitlines()
            raise DiffError(
                f"{revision!r} is neither a git revision of {project_dir} nor a build folder or dump"
                + (f" (git: {message[-1]})" if message else "")
            ) from None

    commit = git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
    prefix = git("rev-parse", "--show-prefix").decode().strip()
    archive = git(
        "archive", "--format=tar", commit, "--", *(prefix + folder for folder in ("ontology", "shapes", "data"))
    )
    with tempfile.TemporaryDirectory(prefix="rograph-diff-") as scratch:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(scratch, filter="data")
        side = _from_project(revision, Path(scratch) / prefix, project_dir)
        side.files = []  # gone with the scratch folder; file:line refers to the new side only
    return side


def _from_quads(name: str, quads: list[ox.Quad]) -> Side:
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        by_graph[graph].append(quad)
    return Side(name, {graph: _named_blank_nodes(graph_quads) for graph, graph_quads in by_graph.items()})


def _named_blank_nodes(quads: list[ox.Quad]) -> set[Statement]:
    """The statements with each blank node renamed by a hash of what it says."""
    about: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        if isinstance(quad.subject, ox.BlankNode):
            about[quad.subject.value].append(quad)
    names: dict[str, str] = {}

    def name(node: ox.BlankNode, visiting: frozenset[str] = frozenset()) -> str:
        if node.value in names:
            return names[node.value]
        if node.value in visiting:
            return "cycle"
        parts = sorted(
            f"{q.predicate} {name(q.object, visiting | {node.value}) if isinstance(q.object, ox.BlankNode) else q.object}"
            for q in about.get(node.value, ())
        )
        names[node.value] = "b" + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
        return names[node.value]

    def renamed(term: Term | ox.Triple) -> Term:
        if isinstance(term, ox.Triple):
            raise ValueError(f"{term} is an RDF 1.2 triple term: rograph's data and its diff have none")
        return ox.BlankNode(name(term)) if isinstance(term, ox.BlankNode) else term

    return {(renamed(q.subject), q.predicate, renamed(q.object)) for q in quads}


# --------------------------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------------------------


@dataclass
class Change:
    change: str  # "added", "removed" or "changed"
    property: str
    old: Term | None = None
    new: Term | None = None


@dataclass
class EntityChanges:
    entity: Term
    changes: list[Change]


@dataclass
class GraphChanges:
    graph: str
    status: str  # "added", "removed" or "changed"
    entities: list[EntityChanges]


@dataclass
class Diff:
    old: Side
    new: Side
    graphs: list[GraphChanges]

    def counts(self) -> dict[str, int]:
        changes = [c.change for g in self.graphs for e in g.entities for c in e.changes]
        return {
            "added": changes.count("added"),
            "removed": changes.count("removed"),
            "changed": changes.count("changed"),
            "graphs": len(self.graphs),
            "entities": len({e.entity for g in self.graphs for e in g.entities}),
        }


def compare(old: Side, new: Side) -> Diff:
    graphs = []
    for graph in sorted(set(old.graphs) | set(new.graphs)):
        before, after = old.graphs.get(graph, set()), new.graphs.get(graph, set())
        if before == after:
            continue
        status = "added" if not before else "removed" if not after else "changed"
        graphs.append(GraphChanges(graph, status, _entity_changes(before - after, after - before)))
    return Diff(old, new, graphs)


def _slot(statement: Statement) -> tuple:
    """Values in the same slot can replace each other: same subject, property and language."""
    subject, predicate, value = statement
    language = value.language if isinstance(value, ox.Literal) else None
    return subject, predicate, isinstance(value, ox.Literal), language


def _entity_changes(removed: set[Statement], added: set[Statement]) -> list[EntityChanges]:
    slots: dict[tuple, tuple[list[Term], list[Term]]] = defaultdict(lambda: ([], []))
    for statement in removed:
        slots[_slot(statement)][0].append(statement[2])
    for statement in added:
        slots[_slot(statement)][1].append(statement[2])
    by_entity: dict[Term, list[Change]] = defaultdict(list)
    for (subject, predicate, _, _), (gone, came) in slots.items():
        if len(gone) == 1 and len(came) == 1:
            by_entity[subject].append(Change("changed", predicate.value, gone[0], came[0]))
            continue
        by_entity[subject] += [Change("removed", predicate.value, old=v) for v in sorted(gone, key=str)]
        by_entity[subject] += [Change("added", predicate.value, new=v) for v in sorted(came, key=str)]
    order = {"removed": 0, "changed": 1, "added": 2}
    return [
        EntityChanges(entity, sorted(changes, key=lambda c: (c.property, order[c.change], str(c.old or c.new))))
        for entity, changes in sorted(
            by_entity.items(), key=lambda item: (isinstance(item[0], ox.BlankNode), str(item[0]))
        )
    ]


# --------------------------------------------------------------------------------------------
# Showing
# --------------------------------------------------------------------------------------------


class Labels:
    """Labels from both sides (the new side first), in one language, else English, else any."""

    def __init__(self, diff: Diff, lang: str):
        found: dict[str, dict[str, str]] = defaultdict(dict)
        for side in (diff.old, diff.new):  # the new side overwrites
            for statements in side.graphs.values():
                for subject, predicate, value in statements:
                    if (
                        predicate.value in (RDFS_LABEL, SKOS_PREF)
                        and isinstance(value, ox.Literal)
                        and isinstance(subject, ox.NamedNode)
                    ):
                        found[subject.value][value.language or ""] = value.value
        self.found, self.lang = found, lang

    def of(self, iri: str) -> str | None:
        labels = self.found.get(iri, {})
        return labels.get(self.lang) or labels.get("en") or next(iter(labels.values()), None)


def term_text(term: Term | None, labels: Labels) -> str:
    """A value as a reviewer reads it: a label with its IRI, a literal as in Turtle."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        label = labels.of(term.value)
        return f"{label} <{term.value}>" if label else f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"[{term.value}]"
    return str(term)


def term_value(term: Term | None) -> str | None:
    return None if term is None else term.value


def as_json(diff: Diff, labels: Labels) -> dict:
    sources = _sources(diff)
    return {
        "old": diff.old.name,
        "new": diff.new.name,
        "summary": diff.counts(),
        "graphs": [
            {
                "graph": g.graph,
                "label": labels.of(g.graph),
                "source": sources.get(g.graph),
                "status": g.status,
                "entities": [
                    {
                        "entity": term_value(e.entity),
                        "label": labels.of(e.entity.value) if isinstance(e.entity, ox.NamedNode) else None,
                        "changes": [_change_json(c, labels) for c in e.changes],
                    }
                    for e in g.entities
                ],
            }
            for g in diff.graphs
        ],
    }


def _change_json(change: Change, labels: Labels) -> dict:
    shown = {"change": change.change, "property": change.property, "property_label": labels.of(change.property)}
    if change.change == "changed":
        shown |= {
            "old": term_value(change.old),
            "new": term_value(change.new),
            "old_text": term_text(change.old, labels),
            "new_text": term_text(change.new, labels),
        }
    else:
        value = change.new if change.change == "added" else change.old
        shown |= {"value": term_value(value), "value_text": term_text(value, labels)}
    return shown


def _sources(diff: Diff) -> dict[str, str]:
    """The source each graph says it is derived from (new side first)."""
    found = {}
    for side in (diff.old, diff.new):
        for graph, statements in side.graphs.items():
            for subject, predicate, value in statements:
                if predicate.value == PROV_DERIVED and isinstance(subject, ox.NamedNode) and subject.value == graph:
                    found[graph] = value.value
    return found


def _property_text(iri: str, labels: Labels) -> str:
    label = labels.of(iri)
    return f"{label} ({prefixed(iri)})" if label else prefixed(iri)


def _entity_text(entity: Term, labels: Labels) -> str:
    label = labels.of(entity.value) if isinstance(entity, ox.NamedNode) else None
    return f"{label} <{entity.value}>" if label else term_text(entity, labels)


def _summary_line(diff: Diff) -> str:
    c = diff.counts()
    return (
        f"{c['added']} added, {c['removed']} removed, {c['changed']} changed in {c['graphs']} named graph"
        f"{'s' if c['graphs'] != 1 else ''} ({c['entities']} entit{'ies' if c['entities'] != 1 else 'y'})"
    )


_MARK = {"added": "+", "removed": "-", "changed": "~"}


def as_text(diff: Diff, labels: Labels) -> str:
    sources = _sources(diff)
    lines = [f"rograph diff {diff.old.name} → {diff.new.name}: {_summary_line(diff)}"]
    for g in diff.graphs:
        lines.append("")
        source = f"; source <{sources[g.graph]}>" if g.graph in sources else ""
        lines.append(
            f"graph {_entity_text(ox.NamedNode(g.graph), labels) if g.graph else '(default graph)'} [{g.status}{source}]"
        )
        for e in g.entities:
            lines.append(f"  {_entity_text(e.entity, labels)}")
            for c in e.changes:
                if c.change == "changed":
                    lines.append(
                        f"    ~ {_property_text(c.property, labels)}: {term_text(c.old, labels)} → {term_text(c.new, labels)}"
                    )
                else:
                    lines.append(
                        f"    {_MARK[c.change]} {_property_text(c.property, labels)}: {term_text(c.new or c.old, labels)}"
                    )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ").replace("<", "&lt;").replace(">", "&gt;")


def as_markdown(diff: Diff, labels: Labels) -> str:
    sources = _sources(diff)
    lines = [f"## rograph diff: `{diff.old.name}` → `{diff.new.name}`", "", f"**{_summary_line(diff)}**"]
    if not diff.graphs:
        lines += ["", "No statement differs."]
    for g in diff.graphs:
        title = labels.of(g.graph) or g.graph or "default graph"
        lines += [
            "",
            f"### {_cell(title)} ({g.status})",
            "",
            f"Graph `{g.graph}`" + (f", source `{sources[g.graph]}`" if g.graph in sources else ""),
        ]
        for e in g.entities:
            label = labels.of(e.entity.value) if isinstance(e.entity, ox.NamedNode) else None
            heading = (
                f"[{_cell(label)}]({e.entity.value})"
                if label and isinstance(e.entity, ox.NamedNode)
                else f"`{_cell(term_text(e.entity, labels))}`"
            )
            lines += ["", f"#### {heading}", "", "| | property | old | new |", "|---|---|---|---|"]
            for c in e.changes:
                lines.append(
                    f"| {_MARK[c.change]} | {_cell(_property_text(c.property, labels))} | {_cell(term_text(c.old, labels))} | {_cell(term_text(c.new, labels))} |"
                )
    return "\n".join(lines) + "\n"


def as_github(diff: Diff, labels: Labels) -> str:
    """GitHub Actions workflow commands: one annotation per changed entity, at its file and
    line in the new side where it has files."""
    places = Locator(diff.new.files).locate(
        {e.entity.value for g in diff.graphs for e in g.entities if isinstance(e.entity, ox.NamedNode)}
    )
    out = []
    for g in diff.graphs:
        for e in g.entities:
            file, line = (
                places.get(e.entity.value, (None, None)) if isinstance(e.entity, ox.NamedNode) else (None, None)
            )
            where = f"file={diff.new.shown_file.get(file, file)},line={line}," if file and line else ""
            lines = [_entity_text(e.entity, labels)] + [
                f"{_MARK[c.change]} {_property_text(c.property, labels)}: "
                + (
                    f"{term_text(c.old, labels)} → {term_text(c.new, labels)}"
                    if c.change == "changed"
                    else term_text(c.new or c.old, labels)
                )
                for c in e.changes
            ]
            title = _escape_property(f"{labels.of(g.graph) or g.graph}: {len(e.changes)} change(s)")
            out.append(f"::notice {where}title={title}::" + "%0A".join(_escape_data(line) for line in lines))
    out.append(f"::notice title=rograph diff::{_escape_data(_summary_line(diff))}")
    return "\n".join(out) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


FORMATS = {
    "text": as_text,
    "markdown": as_markdown,
    "json": lambda diff, labels: json.dumps(as_json(diff, labels), ensure_ascii=False, indent=2) + "\n",
    "github": as_github,
}
