"""Results point at the line where their focus node is described, however many there are."""

from __future__ import annotations

from pathlib import Path

import pytest

from rograph.validation.locate import Locator

TEXT = """\
@prefix ex: <http://example.org/> .
# ex:commented is a subject only in this comment
ex:index ex:lists ex:late , ex:commented .

<http://example.org/full> ex:p "written as a full IRI" .
ex:late ex:p ex:dotted.name .
ex:dotted.name ex:p "1" .
ex:ends ex:p ex:late.
  ex:indented ex:p ( ex:inList ) .
"""

EXPECTED = {
    "http://example.org/index": 3,
    "http://example.org/late": 6,  # first a subject on line 6, mentioned on 3 before
    "http://example.org/commented": 3,  # the comment on line 2 does not count
    "http://example.org/full": 5,
    "http://example.org/dotted.name": 7,
    "http://example.org/ends": 8,
    "http://example.org/indented": 9,
    "http://example.org/inList": 9,
}


@pytest.mark.parametrize("padding", [0, 300], ids=["few nodes", "many nodes"])
def test_each_node_is_placed_where_it_is_first_a_subject_else_first_mentioned(tmp_path: Path, padding: int):
    """Both ways of searching (a pattern of the spellings for a few nodes, a scan of every term
    for many) give the same lines."""
    path = tmp_path / "data.ttl"
    path.write_text(TEXT + "".join(f"ex:n{i} ex:p ex:n{i + 1} .\n" for i in range(padding)), encoding="utf-8")
    wanted = set(EXPECTED) | {f"http://example.org/n{i}" for i in range(padding)} | {"http://example.org/absent"}
    found = Locator([path]).locate(wanted)
    assert {iri: line for iri, (_, line) in found.items() if iri in EXPECTED} == EXPECTED
    assert {found[f"http://example.org/n{i}"][1] for i in range(padding)} == {
        len(TEXT.splitlines()) + 1 + i for i in range(padding)
    }
    assert "http://example.org/absent" not in found


def test_a_node_is_found_in_the_first_file_that_writes_it(tmp_path: Path):
    first, second = tmp_path / "a.ttl", tmp_path / "b.trig"
    first.write_text("@prefix ex: <http://example.org/> .\nex:x ex:p ex:y .\n", encoding="utf-8")
    second.write_text("PREFIX e: <http://example.org/>\n\ne:y e:p e:x .\ne:z e:p 1 .\n", encoding="utf-8")
    found = Locator([first, second, tmp_path / "notes.txt"]).locate(
        {"http://example.org/x", "http://example.org/y", "http://example.org/z"}
    )
    assert found == {
        "http://example.org/x": (first, 2),
        "http://example.org/y": (first, 2),
        "http://example.org/z": (second, 4),
    }


def test_a_node_looked_for_alone_is_placed_where_it_is_among_many(tmp_path: Path):
    """The scan ends once every node wanted has its subject line; alone, each still gets its own."""
    path = tmp_path / "data.ttl"
    path.write_text(TEXT, encoding="utf-8")
    for iri, line in EXPECTED.items():
        assert Locator([path]).locate({iri}) == {iri: (path, line)}, iri
