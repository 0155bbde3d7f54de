"""``rograph query``: run SPARQL on the local store or any endpoint, and read the answer."""

from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox

from rograph.cli.errors import EXIT_REFUSED, fail
from rograph.config import Settings
from rograph.namespaces import PREFIXES, prefixed

_RESULT_FORMATS = {"csv": ox.QueryResultsFormat.CSV, "json": ox.QueryResultsFormat.JSON}
_SPARQLWRAPPER_FORMATS = {"csv": "csv", "json": "json", "turtle": "turtle", "table": "json"}


def shorten(term) -> str:
    """A term as a person reads it: prefixed names, literals with their language or type."""
    if isinstance(term, ox.NamedNode):
        return prefixed(term.value, sparql=True)
    if isinstance(term, ox.Literal):
        if term.language:
            return f"{term.value}@{term.language}"
        datatype = term.datatype.value
        if datatype.endswith(("#string", "#integer", "#decimal", "#boolean", "#date")):
            return term.value
        return f"{term.value}^^{shorten(term.datatype)}"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return "" if term is None else str(term)


def table(solutions: ox.QuerySolutions) -> str:
    """An aligned text table with a row count, like psql's."""
    names = [v.value for v in solutions.variables]
    rows = [[shorten(solution[name]) for name in names] for solution in solutions]
    widths = [max([len(name)] + [len(row[i]) for row in rows]) for i, name in enumerate(names)]

    def line(cells: list[str]) -> str:
        return " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()

    out = [line(names), "-+-".join("-" * w for w in widths)] + [line(row) for row in rows]
    out.append(f"({len(rows)} row{'s' * (len(rows) != 1)})")
    return "\n".join(out) + "\n"


def _local(query: str, fmt: str) -> str:
    """Run ``query`` on the local build, in one query executor: the limits of the service
    (time, memory, nesting, no network) apply here too."""
    from rograph.cli.shared import build_or_exit
    from rograph.executor import PoolFailed, PoolStore, start_pool
    from rograph.store.base import QueryRefused, QueryStopped, QuerySyntaxError

    settings = Settings.from_env()
    build = build_or_exit(settings, "query")
    try:
        pool = start_pool(settings, build, executors=1)
    except PoolFailed as error:
        fail("query", str(error))
    try:
        store = PoolStore.for_settings(build, pool.socket_path, settings)
        results = store.query(query)
        if isinstance(results, ox.QueryBoolean):
            return ("true" if bool(results) else "false") + "\n"
        # Given no output, pyoxigraph's writers return the bytes.
        if isinstance(results, ox.QueryTriples):
            turtle = ox.serialize(results, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            assert turtle is not None
            return turtle.decode()
        if fmt == "table":
            return table(results)
        if fmt == "turtle":
            raise click.UsageError("--format turtle is for CONSTRUCT and DESCRIBE; use table, csv or json")
        written = results.serialize(format=_RESULT_FORMATS[fmt])
        assert written is not None
        return written.decode()
    except QuerySyntaxError as error:
        raise _QueryFailed(f"syntax error: {error}") from None
    except (QueryRefused, QueryStopped) as error:
        raise _QueryFailed(error.message) from None
    finally:
        pool.stop()


def _remote(query: str, endpoint: str, fmt: str, timeout: float) -> str:
    from urllib.error import URLError

    from SPARQLWrapper import SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setMethod("POST")
    client.setTimeout(int(timeout))
    client.setReturnFormat(_SPARQLWRAPPER_FORMATS[fmt])
    try:
        response = client.query()
    except SPARQLWrapperException as error:
        raise _QueryFailed(str(error).strip()) from None
    except (URLError, OSError) as error:
        fail("query", f"cannot reach {endpoint}: {getattr(error, 'reason', error)}")
    body = response.response.read()
    if fmt == "table" and client.queryType in ("SELECT", "ASK"):
        results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        return table(results) if isinstance(results, ox.QuerySolutions) else ("true\n" if bool(results) else "false\n")
    return body.decode("utf-8")


class _QueryFailed(Exception):
    pass


@click.command("query")
@click.argument("query", required=False)
@click.option(
    "--file",
    "-f",
    "file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Read the query from a file.",
)
@click.option("--endpoint", "-e", help="A SPARQL endpoint URL; default: the local built store.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "csv", "json", "turtle"]), default="table", show_default=True
)
@click.option("--timeout", type=float, default=60, show_default=True, help="Seconds to wait for a remote endpoint.")
def query_command(query, file, endpoint, fmt, timeout):
    """Run QUERY (or --file) on the local store or on any SPARQL endpoint.

    The rograph prefixes (rg:, org:, schema:, skos:, …) are predefined on the local store
    and on a rograph server; declare them for other endpoints. Exit codes: 0 answered, 1 the query failed,
    2 bad usage or an endpoint that cannot be reached.
    """
    if (query is None) == (file is None):
        raise click.UsageError("give a QUERY or --file, not both and not neither")
    text = file.read_text(encoding="utf-8") if file else query
    try:
        output = _remote(text, endpoint, fmt, timeout) if endpoint else _local(text, fmt)
    except _QueryFailed as error:
        fail("query", str(error), EXIT_REFUSED)
    click.echo(output, nl=False)
