"""``validate``: one run over the project's files, in four steps.

1. parse every file once (:mod:`rograph.validation.parsed`); a file that does not parse stops
   the run before anything is validated;
2. an engine checks the shapes: ``compiled`` (:mod:`rograph.validation.compiled_engine`: SPARQL
   on pyoxigraph, pyshacl for what does not compile; the default) or ``pyshacl``
   (:mod:`rograph.validation.pyshacl_engine`: the reference, for every shape);
3. the evidence quotes are checked against the source texts (:mod:`rograph.validation.evidence`),
   where SHACL cannot look;
4. every finding is located in the files (:func:`rograph.validation.locate.locate_results`).
"""

from __future__ import annotations

from collections.abc import Callable

from rograph.sources import ProjectFiles
from rograph.validation import compiled_engine, pyshacl_engine
from rograph.validation.evidence import check_texts
from rograph.validation.locate import locate_results
from rograph.validation.model import Report
from rograph.validation.parsed import Parsed

#: The engines ``validate`` can use.
ENGINES = ("compiled", "pyshacl")


def validate(
    files: ProjectFiles, *, engine: str = "compiled", progress: Callable[[int, int, str], None] | None = None
) -> Report:
    """Validate the data and ontology in ``files`` against its shapes.

    Raises :class:`rograph.sources.SourceError` if any file cannot be read or parsed; in that
    case nothing is validated.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    parsed = Parsed.read(files)
    store = parsed.union_store()
    if engine == "pyshacl":
        found = pyshacl_engine.find(parsed)
    else:
        found = compiled_engine.find(parsed, store, progress)
    return locate_results(found + check_texts(store, files.root), files)
