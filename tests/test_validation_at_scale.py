"""Validation at scale gives the reference report: the compiled engine equals plain pyshacl on
generated data with injected faults, and an incremental run equals a full one after files
change, are added and are removed."""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROJECT_DIR
from rograph import sources
from rograph.sources import ProjectFiles, external_files
from rograph.validation import compiled_engine, pyshacl_engine
from rograph.validation.incremental import validate_incremental
from rograph.validation.parsed import Parsed

pytestmark = pytest.mark.live

#: Edits of a generated report file (N-Quads, one statement per line), each breaking a
#: different kind of constraint.
FAULTS = [
    (
        "a Latvian label removed",
        lambda t: _drop(t, "municipal-council> <http://www.w3.org/2000/01/rdf-schema#label>", '"@lv'),
    ),
    ("an ill-formed date", lambda t: _edit(t, ("<https://schema.org/startDate>", "meeting/"), '"20', '"20X')),
    (
        "a meeting outside its programme's period",
        lambda t: _edit(t, ("<https://schema.org/startDate>", "meeting/"), '"20', '"19'),
    ),
    (
        "a unit of two councils",
        lambda t: _copy(
            t,
            ("<http://www.w3.org/ns/org#unitOf>",),
            "organisation/synth-",
            "organisation/synth-country-1-ministry-of-culture",
            keep_tail=True,
        ),
    ),
    (
        "a role given as text",
        lambda t: _edit(
            t,
            ("<http://www.w3.org/ns/org#role> <https://w3id.org/rograph/concept/representative>",),
            "<https://w3id.org/rograph/concept/representative>",
            '"representative"',
        ),
    ),
    (
        "two English labels",
        lambda t: _copy(
            t,
            ("municipal-council> <http://www.w3.org/2000/01/rdf-schema#label>", '"@en'),
            "Municipal council",
            "Another council",
        ),
    ),
    ("an agreement of no meeting", lambda t: _drop(t, "#outcomeOf>", "annual-meeting>")),
    ("a graph without its source", lambda t: _drop(t, "prov#wasDerivedFrom>")),
    (
        "organiser also co-organiser",
        lambda t: _copy(
            t,
            ("<https://schema.org/organizer>",),
            "<https://schema.org/organizer>",
            "<https://w3id.org/rograph/ontology#coOrganizer>",
        ),
    ),
]


def _line(text: str, needles: tuple[str, ...]) -> int | None:
    lines = text.split("\n")
    return next((i for i, line in enumerate(lines) if all(n in line for n in needles)), None)


def _drop(text: str, *needles: str) -> str:
    lines, index = text.split("\n"), _line(text, needles)
    return text if index is None else "\n".join(lines[:index] + lines[index + 1 :])


def _edit(text: str, needles: tuple[str, ...], old: str, new: str) -> str:
    lines, index = text.split("\n"), _line(text, needles)
    if index is not None:
        lines[index] = lines[index].replace(old, new, 1)
    return "\n".join(lines)


def _copy(text: str, needles: tuple[str, ...], old: str, new: str, keep_tail: bool = False) -> str:
    """Add a copy of a statement with ``old`` replaced by ``new`` (in its object, with
    ``keep_tail``: the object IRI becomes ``new`` entirely)."""
    lines, index = text.split("\n"), _line(text, needles)
    if index is None:
        return text
    line = lines[index]
    if keep_tail:
        subject, predicate, rest = line.split(" ", 2)
        graph = rest.rsplit(" ", 2)[-2]
        copy = f"{subject} {predicate} <https://w3id.org/rograph/{new}> {graph} ."
    else:
        copy = line.replace(old, new, 1)
    return "\n".join(lines[: index + 1] + [copy] + lines[index + 1 :])


def _files(folder: Path) -> ProjectFiles:
    project = sources.discover(PROJECT_DIR)
    return ProjectFiles(
        ontology=project.ontology, shapes=project.shapes, data=external_files(sorted(folder.glob("*.nq")))
    )


def _generate(folder: Path, triples: int) -> None:
    """Generated reports, one N-Quads file per source (N-Quads so that the faults above can
    edit statements line by line)."""
    done = subprocess.run(
        [sys.executable, "-m", "rograph", "synth", "--triples", str(triples), "--out", str(folder / "all.nq")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    by_graph: dict[str, list[str]] = {}
    for line in (folder / "all.nq").read_text(encoding="utf-8").splitlines():
        graph = line.rsplit(" ", 2)[-2]
        by_graph.setdefault(graph, []).append(line)
    (folder / "all.nq").unlink()
    for graph, lines in by_graph.items():
        (folder / (graph.strip("<>").rsplit("/", 1)[-1] + ".nq")).write_text("\n".join(lines) + "\n", encoding="utf-8")


def _key(found):
    return sorted((f.severity, f.focus_node, f.shape, f.constraint, f.message, f.path, f.value) for f in found)


def _break(folder: Path, rng: random.Random, count: int) -> list[str]:
    """Apply ``count`` faults to random report files; returns what was done."""
    reports = sorted(folder.glob("synth-report-*.nq"))
    done = []
    for name, fault in rng.sample(FAULTS, count):
        path = rng.choice(reports)
        text = path.read_text(encoding="utf-8")
        edited = fault(text)
        if edited != text:
            path.write_text(edited, encoding="utf-8")
            done.append(f"{name} in {path.name}")
    return done


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("world")
    _generate(folder, 12000)
    return folder


def test_compiled_engine_equals_pyshacl_on_generated_data_with_faults(world, tmp_path):
    import shutil

    broken = tmp_path / "broken"
    shutil.copytree(world, broken)
    applied = _break(broken, random.Random(7), len(FAULTS))
    assert len(applied) >= 6, applied
    parsed = Parsed.read(_files(broken))
    reference = _key(pyshacl_engine.find(parsed))
    compiled = _key(compiled_engine.find(parsed, parsed.union_store()))
    assert len(reference) >= 6
    assert compiled == reference


def test_incremental_runs_equal_full_runs_as_files_change(world, tmp_path):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(world, folder)
    state = tmp_path / "state"
    rng = random.Random(11)
    report, account = validate_incremental(_files(folder), state)
    assert account.startswith("full run")
    for round_number in range(4):
        reports = sorted(folder.glob("synth-report-*.nq"))
        if round_number == 0:
            _break(folder, rng, 3)
        elif round_number == 1:  # mend one file: put back the generated version
            mended = rng.choice(reports)
            shutil.copyfile(world / mended.name, mended)
        elif round_number == 2:  # a source removed
            rng.choice(reports).unlink()
        else:  # a source added: a copy of a report under a new graph name makes duplicate entities
            source = rng.choice(reports)
            text = source.read_text(encoding="utf-8").replace("graph/synth-report-", "graph/synth-copy-of-report-")
            (folder / ("copy-" + source.name)).write_text(text, encoding="utf-8")
        report, account = validate_incremental(_files(folder), state)
        assert not account.startswith("full run"), account
        parsed = Parsed.read(_files(folder))
        full = compiled_engine.find(parsed, parsed.union_store())
        assert _key(report.results) == _key(full), f"round {round_number}: {account}"


def test_changed_rules_mean_a_full_run(world, tmp_path):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(world, folder)
    files = _files(folder)
    validate_incremental(files, tmp_path / "state")
    _, account = validate_incremental(files, tmp_path / "state")
    assert account.startswith("0 of")
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(files.shapes[0].path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited = ProjectFiles(
        ontology=files.ontology,
        shapes=(sources.SourceFile(shapes, "shapes", files.shapes[0].graph),) + files.shapes[1:],
        data=files.data,
    )
    _, account = validate_incremental(edited, tmp_path / "state")
    assert account.startswith("full run")
