"""The example queries (``queries/*.rq``): research questions the data answers.

Each file starts with a header of comment lines, ``# title@en: …``, ``# title@lv: …``,
``# description@en: …``, ``# description@lv: …``; the rest is the query. The query page shows
them as a gallery, and the test suite runs each one against its expected answer
(``queries/expected/<name>.csv``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_HEADER = re.compile(r"^#\s*(title|description)@([a-z]{2}):\s*(.*)$")


@dataclass(frozen=True)
class Example:
    name: str
    query: str
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles.get("en") or self.name

    def description(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.descriptions.get("en") or ""


class ExampleError(ValueError):
    """An example file without the header it needs; the message names the file."""


def parse_example(path: Path) -> Example:
    text = path.read_text(encoding="utf-8")
    titles: dict[str, str] = {}
    descriptions: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            (titles if match[1] == "title" else descriptions)[match[2]] = match[3].strip()
        elif line.strip() and not line.startswith("#"):
            break
    if "en" not in titles or "lv" not in titles:
        raise ExampleError(f"{path}: the header needs '# title@en: …' and '# title@lv: …' lines")
    return Example(path.stem, text, titles, descriptions)


def load_examples(project_dir: Path) -> list[Example]:
    """Every example of the project, in file-name order."""
    return [parse_example(path) for path in sorted((project_dir / "queries").glob("*.rq"))]
