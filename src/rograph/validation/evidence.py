"""Check the evidence against the source texts themselves, where SHACL cannot look.

Each ``rg:SourceText`` names its file in the project (``rg:projectPath``, under ``sources/``)
and its SHA-256 (``spdx:checksum``); each evidence annotation quotes that text by its exact
words (``oa:TextQuoteSelector``) and by character offsets (``oa:TextPositionSelector``, Unicode
characters of the UTF-8 text, counted from 0, end exclusive). Two checks, reported like SHACL
results so that they carry the data file and line of what is wrong:

* ``rgsh:SourceText-checksum-matches``: the file exists and its SHA-256 is the recorded one;
* ``rgsh:Evidence-quote-at-offsets``: the characters at the offsets are the quote.

Files are read only from the project's ``sources/`` folder: a path that leads elsewhere is
reported, never read, so a data file cannot make the report show another file's contents.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox

from rograph.namespaces import PREFIXES, RGSH
from rograph.validation.model import Found, Severity

CHECKSUM_MATCHES = str(RGSH["SourceText-checksum-matches"])
QUOTE_AT_OFFSETS = str(RGSH["Evidence-quote-at-offsets"])
TEXT_CHECK = str(RGSH["TextCheck"])
_PROLOGUE = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("rg", "oa", "spdx", "rdf"))
#: How much of a text a message shows around a mismatch.
_SHOWN = 60


def check_texts(store: ox.Store, root: Path | None) -> list[Found]:
    """The results of both checks for every source text and annotation in ``store`` (the union
    of the data graphs), with texts read from ``root``/sources/."""

    def found(focus: str, shape: str, message: str, path: str, value: str) -> Found:
        return Found(
            severity=Severity.VIOLATION,
            focus_node=focus,
            shape=shape,
            constraint=TEXT_CHECK,
            message=message,
            path=path,
            value=value,
            focus_iri=True,
        )

    results, texts = [], {}
    for row in _query(
        store,
        """SELECT ?text ?path ?sum WHERE { ?text a rg:SourceText ; rg:projectPath ?path .
            OPTIONAL { ?text spdx:checksum ?c . ?c spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?sum } }""",
    ):
        iri, relative = row["text"].value, row["path"].value
        recorded = row["sum"].value.lower() if row["sum"] is not None else None
        file, problem = _locate(root, relative)
        if file is not None:  # _locate gives a file or a problem
            raw = file.read_bytes()
            actual = hashlib.sha256(raw).hexdigest()
            if recorded is not None and actual != recorded:
                problem = f"{file} has SHA-256 {actual}, the data records {recorded}"
            try:
                texts[iri] = (relative, raw.decode("utf-8"))
            except UnicodeDecodeError as error:
                problem = f"{file} is not UTF-8 text ({error.reason} at byte {error.start})"
        if problem is not None:
            results.append(
                found(
                    iri,
                    CHECKSUM_MATCHES,
                    f"The source text's SHA-256 differs from the one recorded, or the file cannot be read: {problem}.",
                    "rg:projectPath",
                    f'"{relative}"',
                )
            )

    for row in _query(
        store,
        """SELECT ?annotation ?text ?exact ?start ?end WHERE {
            ?annotation a oa:Annotation ; oa:hasTarget ?target . ?target oa:hasSource ?text ; oa:hasSelector ?quote , ?position .
            ?quote a oa:TextQuoteSelector ; oa:exact ?exact . ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }""",
    ):
        if row["text"].value not in texts or not isinstance(row["annotation"], ox.NamedNode):
            continue  # no text to check against: reported above (or the annotation is not ours to locate)
        relative, text = texts[row["text"].value]
        exact = row["exact"].value
        try:
            start, end = int(row["start"].value), int(row["end"].value)
        except ValueError:
            continue  # not integers: rgsh:Evidence-start/-end report it
        at = text[start:end] if 0 <= start <= end <= len(text) else None
        if at == exact:
            continue
        where = text.find(exact)
        hint = (
            f"The quote is at {where}–{where + len(exact)}: move the offsets there."
            if where >= 0
            else "The quote is nowhere in the text: correct it to the text's exact words."
        )
        shown = "beyond the end of the text" if at is None else f"«{_short(at)}»"
        results.append(
            found(
                row["annotation"].value,
                QUOTE_AT_OFFSETS,
                f"The quote «{_short(exact)}» is not at {start}–{end} of {relative}, which holds {shown}. {hint}",
                "oa:hasTarget/oa:hasSelector",
                f"{start}–{end}",
            )
        )
    return results


def _locate(root: Path | None, relative: str) -> tuple[Path | None, str | None]:
    """The file of a ``rg:projectPath``, or why it cannot be read."""
    if root is None:
        return None, f"no project folder to find {relative} in"
    folder = (root / "sources").resolve()
    file = (root / relative).resolve()
    if folder not in file.parents:
        return None, f"{relative} is not inside the project's sources/ folder"
    if not file.is_file():
        return None, f"{file} does not exist"
    return file, None


def _query(store: ox.Store, query: str):
    return store.query(_PROLOGUE + query, use_default_graph_as_union=True)


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"
