"""What a validation run found: results with severity, shape, path, value, message and place."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


class Severity(enum.IntEnum):
    """SHACL severities, ordered so that ``>=`` means "at least as bad as"."""

    INFO = 1
    WARNING = 2
    VIOLATION = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        """``"violation"``, ``"Warning"`` or a SHACL IRI such as ``sh:Info``."""
        return cls[name.rsplit("#", 1)[-1].rsplit(":", 1)[-1].upper()]

    @property
    def label(self) -> str:
        return self.name.capitalize()


@dataclass(frozen=True)
class Found:
    """A result before it is located in the files: what every engine and check produces, so
    that their findings compare (the test suite holds the compiled engine to pyshacl's)."""

    severity: Severity
    focus_node: str
    shape: str
    constraint: str
    message: str
    path: str | None
    value: str | None
    #: Whether the focus node is an IRI, which the files can be searched for.
    focus_iri: bool


@dataclass(frozen=True)
class Result:
    """One SHACL validation result, located in the source files."""

    severity: Severity
    focus_node: str
    shape: str
    constraint: str
    message: str
    path: str | None = None
    value: str | None = None
    file: Path | None = None
    line: int | None = None

    @property
    def location(self) -> str:
        """``file:line`` (or just the file, or ``-``) for messages and editors."""
        if self.file is None:
            return "-"
        return f"{self.file}:{self.line}" if self.line else str(self.file)


@dataclass(frozen=True)
class Report:
    """All results of one run, with what was validated."""

    results: tuple[Result, ...]
    files: tuple[Path, ...] = field(default=())

    @property
    def conforms(self) -> bool:
        return not self.results

    def at_or_above(self, severity: Severity) -> list[Result]:
        return [r for r in self.results if r.severity >= severity]

    def by_focus_node(self) -> Iterator[tuple[str, list[Result]]]:
        """Results grouped by focus node, in file and line order, worst first within a node."""
        groups: dict[str, list[Result]] = {}
        for result in self.results:
            groups.setdefault(result.focus_node, []).append(result)

        def place(item: tuple[str, list[Result]]) -> tuple[str, int, str]:
            first = item[1][0]
            return (str(first.file or "~"), first.line or 0, item[0])

        for node, results in sorted(groups.items(), key=place):
            yield node, sorted(results, key=lambda r: (-r.severity, r.shape, r.path or ""))

    def counts(self) -> dict[Severity, int]:
        return {s: sum(1 for r in self.results if r.severity == s) for s in Severity}
