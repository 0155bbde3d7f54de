"""Find the line of a Turtle or TriG file where a resource is described: the last step of a run.

pyshacl reports focus nodes, not places in files. Curators need ``file:line``; rdflib and
pyoxigraph do not keep positions of parsed triples, so this reads the text: the first line
where the node is written as a subject (at the start of a line, in ``<IRI>`` or prefixed form),
else the first line that mentions it at all; every file is read once for all the nodes of a run.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from rograph.sources import ProjectFiles
from rograph.validation.model import Found, Report, Result

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)


#: A term as a Turtle/TriG line writes it, with what may stand before and after it: ``<IRI>`` or
#: a prefixed name (local part of word characters, dots and hyphens, the prefix possibly empty).
_TERM = re.compile(r"(?<![\w:<])(<[^<>\s]*>|(?:[A-Za-z][\w.-]*)?:[\w.-]*)(?=[\s;,.{)\]]|$)")


class SourceText:
    """One source file's text, with its prefixes, for locating nodes in it."""

    def __init__(self, path: Path):
        self.path = path

    @cached_property
    def lines(self) -> list[str]:
        try:
            return self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return []

    @cached_property
    def prefixes(self) -> dict[str, str]:
        return {prefix or "": namespace for prefix, namespace in _PREFIX.findall("\n".join(self.lines))}

    def iri_of(self, term: str) -> str | None:
        """The IRI ``term`` (as :data:`_TERM` finds it) writes, if this file's prefixes say."""
        if term.startswith("<"):
            return term[1:-1]
        prefix, _, local = term.partition(":")
        local = local.rstrip(".")  # a local name does not end in a dot: that one ends the statement
        namespace = self.prefixes.get(prefix)
        return namespace + local if namespace else None

    def lines_of(self, iris: set[str]) -> dict[str, int]:
        """For each of ``iris`` this file writes, the 1-based line where it is first a subject,
        else where it is first mentioned. One pass over the file, whatever the number of IRIs."""
        subjects: dict[str, int] = {}
        mentions: dict[str, int] = {}
        for number, line in enumerate(self.lines, start=1):
            indent = len(line) - len(line.lstrip())
            if line.startswith("#", indent):
                continue
            for match in _TERM.finditer(line):
                iri = self.iri_of(match.group(1))
                if iri not in iris:
                    continue
                mentions.setdefault(iri, number)
                after = line[match.end() : match.end() + 1]
                if match.start() == indent and after not in (")", "]"):
                    subjects.setdefault(iri, number)
        return {iri: subjects.get(iri, first) for iri, first in mentions.items()}


class Locator:
    """Locates nodes across the files validated, looking in data files first."""

    def __init__(self, paths: list[Path]):
        self.texts = [SourceText(p) for p in paths if p.suffix.lower() in {".ttl", ".trig", ".n3"}]

    def locate(self, iris: set[str]) -> dict[str, tuple[Path, int]]:
        """The file and line of each of ``iris`` found: the first file (in the order given) that
        writes it, each file read once."""
        found: dict[str, tuple[Path, int]] = {}
        for text in self.texts:
            wanted = iris - found.keys()
            if not wanted:
                break
            found.update((iri, (text.path, line)) for iri, line in text.lines_of(wanted).items())
        return found


def locate_results(found: list[Found], files: ProjectFiles) -> Report:
    """The report of a run: each finding with the file and line of its focus node (searched
    in the data files first, then the ontology)."""
    places = Locator([source.path for source in files.data + files.ontology]).locate(
        {item.focus_node for item in found if item.focus_iri}
    )
    results = []
    for item in found:
        file, line = places.get(item.focus_node, (None, None)) if item.focus_iri else (None, None)
        results.append(
            Result(
                severity=item.severity,
                focus_node=item.focus_node,
                shape=item.shape,
                constraint=item.constraint,
                message=item.message,
                path=item.path,
                value=item.value,
                file=file,
                line=line,
            )
        )
    return Report(results=tuple(results), files=tuple(source.path for source in files.all))
