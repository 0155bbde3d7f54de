"""Find the line of a Turtle or TriG file where a resource is described: the last step of a run.

pyshacl reports focus nodes, not places in files. Curators need ``file:line``; rdflib and
pyoxigraph do not keep positions of parsed triples, so this reads the text: the first line
where the node is written as a subject (at the start of a line, in ``<IRI>`` or prefixed form),
else the first line that mentions it at all; every file is read once for all the nodes of a run.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from functools import cached_property
from pathlib import Path

from rograph.sources import ProjectFiles
from rograph.validation.model import Found, Report, Result

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE | re.MULTILINE)
_LOCAL_CHARS = re.compile(r"^[\w.-]*$")


#: A term as a Turtle/TriG file writes it, with what may stand before and after it: ``<IRI>`` or
#: a prefixed name (local part of word characters, dots and hyphens, the prefix possibly empty).
def _whole_terms(body: str) -> re.Pattern[str]:
    """``body`` where it stands as a whole term: not glued to what comes before it, and followed
    by what may end a term."""
    return re.compile(r"(?<![\w:<])(" + body + r")(?=[\s;,.{)\]]|$)", re.MULTILINE)


_TERM = _whole_terms(r"<[^<>\s]*>|(?:[A-Za-z][\w.-]*)?:[\w.-]*")
#: Up to this many spellings, :meth:`SourceText._places` searches for them as one pattern.
_FEW_FORMS = 200


class SourceText:
    """One source file's text, with its prefixes, for locating nodes in it."""

    def __init__(self, path: Path):
        self.path = path

    @cached_property
    def text(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return ""

    @cached_property
    def prefixes(self) -> dict[str, str]:
        return {prefix or "": namespace for prefix, namespace in _PREFIX.findall(self.text)}

    def spellings(self, iris: set[str]) -> dict[str, str]:
        """Each way this file can write one of ``iris`` (``<iri>``, every prefixed name that fits,
        also with the dot that may end a statement glued on), with the IRI it writes."""
        forms = {}
        for iri in iris:
            forms[f"<{iri}>"] = iri
            for prefix, namespace in self.prefixes.items():
                if namespace and iri.startswith(namespace) and _LOCAL_CHARS.match(iri[len(namespace) :]):
                    forms[f"{prefix}:{iri[len(namespace) :]}"] = forms[f"{prefix}:{iri[len(namespace) :]}."] = iri
        return forms

    def _places(self, forms: Collection[str]) -> Iterator[re.Match[str]]:
        """Where the text writes one of ``forms``. A few are searched for as one pattern (the
        regex engine's own scan); many, by scanning every term and looking each up, which costs
        the same for any number (on a 70k-line file, 0.18 s for one IRI or five and 0.85 s
        for 2,000 as a pattern; 0.25 s for any number by terms)."""
        if not forms:
            return iter(())
        if len(forms) <= _FEW_FORMS:
            return _whole_terms("|".join(map(re.escape, sorted(forms, key=len, reverse=True)))).finditer(self.text)
        return (match for match in _TERM.finditer(self.text) if match.group(1) in forms)

    def lines_of(self, iris: set[str]) -> dict[str, int]:
        """For each of ``iris`` this file writes, the 1-based line where it is first a subject,
        else where it is first mentioned (comment lines aside), in one scan of the text that ends
        once every one of them has its subject line (a node is mentioned often, in data files
        hundreds of times, after the line that describes it)."""
        forms = self.spellings(iris)
        text = self.text
        subjects: dict[str, int] = {}
        mentions: dict[str, int] = {}
        number, counted_to = 1, 0
        for match in self._places(forms):
            iri = forms[match.group(1)]
            if iri in subjects:
                continue
            start = match.start()
            number += text.count("\n", counted_to, start)
            counted_to = start
            before = text[text.rfind("\n", 0, start) + 1 : start].lstrip()
            if before.startswith("#"):
                continue
            mentions.setdefault(iri, number)
            if not before and text[match.end() : match.end() + 1] not in (")", "]"):
                subjects[iri] = number
                if len(subjects) == len(iris):
                    break
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
