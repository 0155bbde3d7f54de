"""Lexical scans of a SPARQL query: its form, its FROM clauses, the endpoints it calls.

All are needed before the query runs: the form to choose a response format; whether it names
its own dataset, because pyoxigraph's union default graph would override FROM; the SERVICE
endpoints, to word a refusal (the defence against outbound requests is that the query executors
have no network: :mod:`rograph.executor.isolation`). Comments, strings and IRIs are skipped as
whole tokens, as the grammar delimits them (a comment ends at a line feed *or* a carriage return),
so ``"SERVICE"`` in a literal or ``ex:SERVICE`` never counts, while every real keyword is found
whatever its case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\r\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
    | (?P<pname>(?:[A-Za-z\u00c0-\uffff][\w.\-\u00b7\u00c0-\uffff]*)?:(?:[\w\-:%.\u00b7\u00c0-\uffff\\]*[\w\-:%\u00b7\u00c0-\uffff])?)
    | (?P<word>[A-Za-z_][\w]*)
    | (?P<other>\S)
    """,
    re.VERBOSE,
)


_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}


def _tokens(query: str) -> list[tuple[str, str]]:
    # Every alternative of _TOKEN is a named group, so a match always has a lastgroup.
    return [(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(query) if m.lastgroup != "comment"]


def query_form(query: str) -> str | None:
    """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the keyword the query starts with
    after its prologue (``PREFIX`` and ``BASE`` declarations); ``None`` if it starts otherwise,
    as an update does (``DROP ALL``, ``DELETE WHERE …; SELECT …``)."""
    tokens = _tokens(query)
    index = 0
    while index < len(tokens) and tokens[index][0] == "word" and tokens[index][1].upper() in ("PREFIX", "BASE"):
        index += 3 if tokens[index][1].upper() == "PREFIX" else 2
    if index < len(tokens) and tokens[index][0] == "word" and tokens[index][1].upper() in _FORMS:
        return tokens[index][1].upper()
    return None


def declares_dataset(query: str) -> bool:
    """Whether the query has a ``FROM`` or ``FROM NAMED`` clause (tokenised only if the word
    is there at all: a token's upper case is part of the query's)."""
    return "FROM" in query.upper() and any(kind == "word" and text.upper() == "FROM" for kind, text in _tokens(query))


def dataset_clauses(query: str) -> tuple[list[str], list[str]]:
    """The graphs named by ``FROM`` and by ``FROM NAMED``, as IRIs (prefixed names expanded
    with the query's PREFIX declarations)."""
    tokens = _tokens(query)
    prefixes = _declared_prefixes(tokens)
    default: list[str] = []
    named: list[str] = []
    for index, (kind, text) in enumerate(tokens):
        if kind == "word" and text.upper() == "FROM" and index + 1 < len(tokens):
            target = tokens[index + 1]
            into = default
            if target[0] == "word" and target[1].upper() == "NAMED" and index + 2 < len(tokens):
                target, into = tokens[index + 2], named
            iri = _resolve(target, prefixes)
            if iri is not None:
                into.append(iri)
    return default, named


def describe_with_dataset(query: str, default: Sequence[str], named: Sequence[str]) -> str:
    """A DESCRIBE ``query`` with ``FROM`` and ``FROM NAMED`` clauses for the given graphs, where
    the grammar puts them: after the resources it describes, before WHERE or the solution
    modifiers. For a query without a dataset of its own (the clauses are added, not merged). In
    the text rather than as protocol parameters because a store may echo each protocol graph in
    a response header (Virtuoso does), and a client stops reading past a hundred headers."""
    if query_form(query) != "DESCRIBE":
        raise ValueError("not a DESCRIBE query")
    clauses = " ".join([f"FROM <{iri}>" for iri in default] + [f"FROM NAMED <{iri}>" for iri in named])
    at, last_end, seen_describe = 0, 0, False
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind == "comment":
            continue
        if not seen_describe:
            seen_describe = kind == "word" and text.upper() == "DESCRIBE"
        elif not (kind in ("var", "iri", "pname") or text == "*"):
            at = match.start()
            break
        last_end = match.end()
    else:
        at = last_end  # the query ends with what it describes (perhaps before a comment)
    return f"{query[:at].rstrip()} {clauses} {query[at:].lstrip()}".rstrip()


def service_endpoints(query: str) -> list[str | None]:
    """Every endpoint named after a ``SERVICE`` keyword, in order.

    An IRI is returned as written between the angle brackets, a prefixed name expanded with the
    query's PREFIX declarations, and a variable (``SERVICE ?endpoint``) as ``None``: its value is
    only known while the query runs, so a caller should refuse it.
    """
    tokens = _tokens(query)
    prefixes = _declared_prefixes(tokens)
    endpoints: list[str | None] = []
    for index, (kind, text) in enumerate(tokens):
        if kind == "word" and text.upper() == "SERVICE":
            following = tokens[index + 1 : index + 3]
            if following and following[0][0] == "word" and following[0][1].upper() == "SILENT":
                following = following[1:]
            endpoints.append(_resolve(following[0], prefixes) if following else None)
    return endpoints


def _declared_prefixes(tokens: list[tuple[str, str]]) -> dict[str, str]:
    prefixes: dict[str, str] = {}
    for index, (kind, text) in enumerate(tokens):
        if kind == "word" and text.upper() == "PREFIX" and index + 2 < len(tokens):
            (pkind, ptext), (ikind, itext) = tokens[index + 1], tokens[index + 2]
            if pkind == "pname" and ptext.endswith(":") and ikind == "iri":
                prefixes[ptext[:-1]] = itext[1:-1]
    return prefixes


def _resolve(token: tuple[str, str], prefixes: dict[str, str]) -> str | None:
    """The IRI a token names: an IRI, or a prefixed name (expanded if its prefix is declared);
    ``None`` for anything else (a variable)."""
    kind, text = token
    if kind == "iri":
        return text[1:-1]
    if kind == "pname":
        prefix, _, local = text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else text
    return None


def where_group(query: str) -> tuple[int, int]:
    """Character offsets of the braces that open and close the query's WHERE group (the
    first group after ``WHERE``, or the first group at all), found by tokens, so braces in
    strings, IRIs and comments do not count. Raises ValueError if the braces do not balance."""
    start, depth, seen_where = None, 0, False
    for match in _TOKEN.finditer(query):
        kind, text = match.lastgroup, match.group()
        if kind == "word" and text.upper() == "WHERE":
            seen_where = True
        elif kind == "other" and text == "{":
            if start is None and (seen_where or "WHERE" not in query.upper()):
                start = match.start()
            if start is not None:
                depth += 1
        elif kind == "other" and text == "}" and start is not None:
            depth -= 1
            if depth == 0:
                return start, match.start()
    raise ValueError("the query's WHERE group is not closed")


#: The deepest nesting of ``{``, ``(`` and ``[`` a query may have (groups, OPTIONAL, subqueries,
#: expressions, blank-node lists together). The project's example queries nest at most 4 deep and
#: hand-written ones rarely pass 20. The limit is set by the stores a query may reach, not by our
#: own executor (whose stack holds 10,000 levels): measured on stock servers with empty stores,
#: Virtuoso's server died on OPTIONALs nested 74 deep and refuses groups nested 80 deep; Oxigraph
#: server's request thread overflowed its stack (and the server died) on OPTIONALs nested 700
#: deep, and its planner's time grows with the fourth power of blank-node list nesting (13 s at
#: 160, which its own timeout does not stop). At 50 each of them answers every shape.
NESTING_LIMIT = 50

_OPENING, _CLOSING = "{([", "})]"


def exceeds_nesting_limit(query: str) -> bool:
    """Whether ``query`` nests deeper than :data:`NESTING_LIMIT`; scanned only when it holds
    more opening brackets than that at all (every real query holds far fewer)."""
    openings = query.count("{") + query.count("(") + query.count("[")
    return openings > NESTING_LIMIT and nesting_depth(query) > NESTING_LIMIT


def nesting_depth(query: str) -> int:
    """The deepest nesting of brackets in ``query``, counted by tokens (brackets in strings,
    IRIs and comments do not count; unbalanced closing brackets never make it negative)."""
    depth = deepest = 0
    for match in _TOKEN.finditer(query):
        if match.lastgroup == "other":
            if match.group() in _OPENING:
                depth += 1
                deepest = max(deepest, depth)
            elif match.group() in _CLOSING:
                depth = max(0, depth - 1)
    return deepest
