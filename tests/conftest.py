"""Shared test helpers: the project on disk and broken copies of it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
DATA_FILE = "data/lv-moc-valga-expert-meeting-2020.trig"
ONTOLOGY_FILE = "ontology/rograph.ttl"
CONCEPTS_FILE = "ontology/concepts.ttl"


class ProjectCopy:
    """A copy of the project's ontology, data and shapes that a test may break."""

    def __init__(self, root: Path):
        self.root = root
        for folder in ("ontology", "data", "shapes"):
            shutil.copytree(PROJECT_DIR / folder, root / folder)

    def replace(self, file: str, old: str, new: str, *, within: str | None = None) -> "ProjectCopy":
        """Replace the first ``old`` (inside the block that starts with ``within``, if given).

        Fails when ``old`` is not there, so a fault that no longer applies to the real data
        cannot pass silently.
        """
        path = self.root / file
        text = path.read_text(encoding="utf-8")
        start = 0
        if within is not None:
            start = text.index(within)
        end = text.find("\n\n", start) if within is not None else len(text)
        block = text[start:end]
        assert old in block, f"{old!r} not found in {file}" + (f" within {within!r}" if within else "")
        path.write_text(text[:start] + block.replace(old, new, 1) + text[end:], encoding="utf-8")
        return self

    def add_to_data(self, turtle: str) -> "ProjectCopy":
        """Add statements to the source's named graph (before its closing brace)."""
        path = self.root / DATA_FILE
        text = path.read_text(encoding="utf-8")
        closing = text.rindex("}")
        path.write_text(text[:closing] + turtle + "\n}\n", encoding="utf-8")
        return self


@pytest.fixture
def project_copy(tmp_path: Path) -> ProjectCopy:
    return ProjectCopy(tmp_path / "project")


def line_of(path: Path, pattern: str) -> int:
    """1-based line of the first line matching ``pattern`` (a regular expression)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(f"{pattern!r} not in {path}")
