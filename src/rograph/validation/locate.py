"""Find the line of a Turtle or TriG file where a resource is described: the last step of a run.

pyshacl reports focus nodes, not places in files. Curators need ``file:line``; rdflib and
pyoxigraph do not keep positions of parsed triples, so this reads the text: the first line
where the node is written as a subject (at the start of a line, in ``<IRI>`` or prefixed form),
else the first line that mentions it at all.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from rograph.sources import ProjectFiles
from rograph.validation.model import Found, Report, Result

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
_LOCAL_CHARS = re.compile(r"^[\w.-]*$")


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

    def spellings(self, iri: str) -> list[str]:
        """The ways this file can write ``iri``: ``<iri>`` and every prefixed name that fits."""
        forms = [f"<{iri}>"]
        for prefix, namespace in self.prefixes.items():
            if namespace and iri.startswith(namespace) and _LOCAL_CHARS.match(iri[len(namespace) :]):
                forms.append(f"{prefix}:{iri[len(namespace) :]}")
        return forms

    def line_of(self, iri: str) -> int | None:
        """1-based line where ``iri`` is first a subject, else first mentioned; ``None`` if absent."""
        forms = self.spellings(iri)
        subject = re.compile(r"^\s*(?:" + "|".join(re.escape(f) for f in forms) + r")(?=[\s;,.{]|$)")
        mention = re.compile(r"(?<![\w:<])(?:" + "|".join(re.escape(f) for f in forms) + r")(?=[\s;,.{)\]]|$)")
        first_mention = None
        for number, line in enumerate(self.lines, start=1):
            if line.lstrip().startswith("#"):
                continue
            if subject.match(line):
                return number
            if first_mention is None and mention.search(line):
                first_mention = number
        return first_mention


class Locator:
    """Locates nodes across the files validated, looking in data files first."""

    def __init__(self, paths: list[Path]):
        self.texts = [SourceText(p) for p in paths if p.suffix.lower() in {".ttl", ".trig", ".n3"}]
        self.cache: dict[str, tuple[Path | None, int | None]] = {}

    def locate(self, iri: str) -> tuple[Path | None, int | None]:
        if iri not in self.cache:
            self.cache[iri] = next(
                ((t.path, line) for t in self.texts if (line := t.line_of(iri)) is not None), (None, None)
            )
        return self.cache[iri]


def locate_results(found: list[Found], files: ProjectFiles) -> Report:
    """The report of a run: each finding with the file and line of its focus node (searched
    in the data files first, then the ontology)."""
    locator = Locator([source.path for source in files.data + files.ontology])
    results = []
    for item in found:
        file, line = locator.locate(item.focus_node) if item.focus_iri else (None, None)
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
