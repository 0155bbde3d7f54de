"""Lexical scans of a SPARQL query: its form, its FROM clauses, the endpoints it calls.

All are needed before the query runs, so a query's text is scanned once into a
:class:`QueryText` that the layers pass on (the web layer, the executor, the store, the client
of a remote store each ask it what they need): the form to choose a response format; whether it names
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
from functools import cached_property
from typing import NamedTuple

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


class Token(NamedTuple):
    """One token of a query: its kind (a group name of the scanner), its text, where it starts and ends."""

    kind: str
    text: str
    start: int
    end: int


class QueryText:
    """A SPARQL query's text, tokenised once (comments dropped) for every question asked of it."""

    def __init__(self, text: str):
        self.text = text

    @classmethod
    def of(cls, query: str | QueryText) -> QueryText:
        """``query`` as a :class:`QueryText`: the one passed on, or a new one for a text."""
        return query if isinstance(query, QueryText) else cls(query)

    @cached_property
    def tokens(self) -> list[Token]:
        # Every alternative of _TOKEN is a named group, so a match always has a lastgroup.
        return [
            Token(m.lastgroup or "other", m.group(), m.start(), m.end())
            for m in _TOKEN.finditer(self.text)
            if m.lastgroup != "comment"
        ]

    @cached_property
    def form(self) -> str | None:
        """``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``: the keyword the query starts with
        after its prologue (``PREFIX`` and ``BASE`` declarations); ``None`` if it starts
        otherwise, as an update does (``DROP ALL``, ``DELETE WHERE …; SELECT …``)."""
        tokens = self.tokens
        index = 0
        while index < len(tokens) and _is_word(tokens[index], "PREFIX", "BASE"):
            index += 3 if tokens[index].text.upper() == "PREFIX" else 2
        if index < len(tokens) and tokens[index].kind == "word" and tokens[index].text.upper() in _FORMS:
            return tokens[index].text.upper()
        return None

    @cached_property
    def declares_dataset(self) -> bool:
        """Whether the query has a ``FROM`` or ``FROM NAMED`` clause (tokenised only if the
        word is there at all: a token's upper case is part of the query's)."""
        return "FROM" in self.text.upper() and self.has_word("FROM")

    def has_word(self, *words: str) -> bool:
        """Whether one of ``words`` stands in the query as a keyword (any case; not inside a
        string, an IRI, a prefixed name or a comment)."""
        return any(_is_word(token, *words) for token in self.tokens)

    def dataset_clauses(self) -> tuple[list[str], list[str]]:
        """The graphs named by ``FROM`` and by ``FROM NAMED``, as IRIs (prefixed names expanded
        with the query's PREFIX declarations)."""
        if not self.declares_dataset:
            return [], []
        tokens, prefixes = self.tokens, self.declared_prefixes()
        default: list[str] = []
        named: list[str] = []
        for index, token in enumerate(tokens):
            if _is_word(token, "FROM") and index + 1 < len(tokens):
                target, into = tokens[index + 1], default
                if _is_word(target, "NAMED") and index + 2 < len(tokens):
                    target, into = tokens[index + 2], named
                iri = _resolve(target, prefixes)
                if iri is not None:
                    into.append(iri)
        return default, named

    def describe_with_dataset(self, default: Sequence[str], named: Sequence[str]) -> str:
        """This DESCRIBE query's text with ``FROM`` and ``FROM NAMED`` clauses for the given
        graphs, where the grammar puts them: after the resources it describes, before WHERE or
        the solution modifiers. For a query without a dataset of its own (the clauses are
        added, not merged). In the text rather than as protocol parameters because a store may
        echo each protocol graph in a response header (Virtuoso does), and a client stops
        reading past a hundred headers."""
        if self.form != "DESCRIBE":
            raise ValueError("not a DESCRIBE query")
        clauses = " ".join([f"FROM <{iri}>" for iri in default] + [f"FROM NAMED <{iri}>" for iri in named])
        at, last_end, seen_describe = 0, 0, False
        for token in self.tokens:
            if not seen_describe:
                seen_describe = _is_word(token, "DESCRIBE")
            elif not (token.kind in ("var", "iri", "pname") or token.text == "*"):
                at = token.start
                break
            last_end = token.end
        else:
            at = last_end  # the query ends with what it describes (perhaps before a comment)
        text = self.text
        return f"{text[:at].rstrip()} {clauses} {text[at:].lstrip()}".rstrip()

    def service_endpoints(self) -> list[str | None]:
        """Every endpoint named after a ``SERVICE`` keyword, in order.

        An IRI is returned as written between the angle brackets, a prefixed name expanded with
        the query's PREFIX declarations, and a variable (``SERVICE ?endpoint``) as ``None``: its
        value is only known while the query runs, so a caller should refuse it.
        """
        tokens, prefixes = self.tokens, self.declared_prefixes()
        endpoints: list[str | None] = []
        for index, token in enumerate(tokens):
            if _is_word(token, "SERVICE"):
                following = tokens[index + 1 : index + 3]
                if following and _is_word(following[0], "SILENT"):
                    following = following[1:]
                endpoints.append(_resolve(following[0], prefixes) if following else None)
        return endpoints

    def where_group(self) -> tuple[int, int]:
        """Character offsets of the braces that open and close the query's WHERE group (the
        first group after ``WHERE``, or the first group at all), found by tokens, so braces in
        strings, IRIs and comments do not count. Raises ValueError if the braces do not balance."""
        start, depth, seen_where = None, 0, False
        has_where = "WHERE" in self.text.upper()
        for token in self.tokens:
            if _is_word(token, "WHERE"):
                seen_where = True
            elif token.kind == "other" and token.text == "{":
                if start is None and (seen_where or not has_where):
                    start = token.start
                if start is not None:
                    depth += 1
            elif token.kind == "other" and token.text == "}" and start is not None:
                depth -= 1
                if depth == 0:
                    return start, token.start
        raise ValueError("the query's WHERE group is not closed")

    @cached_property
    def exceeds_nesting_limit(self) -> bool:
        """Whether the query nests deeper than :data:`NESTING_LIMIT`; scanned only when it holds
        more opening brackets than that at all (every real query holds far fewer)."""
        text = self.text
        openings = text.count("{") + text.count("(") + text.count("[")
        return openings > NESTING_LIMIT and self.nesting_depth() > NESTING_LIMIT

    def nesting_depth(self) -> int:
        """The deepest nesting of brackets, counted by tokens (brackets in strings, IRIs and
        comments do not count; unbalanced closing brackets never make it negative)."""
        depth = deepest = 0
        for token in self.tokens:
            if token.kind == "other":
                if token.text in _OPENING:
                    depth += 1
                    deepest = max(deepest, depth)
                elif token.text in _CLOSING:
                    depth = max(0, depth - 1)
        return deepest

    def declared_prefixes(self) -> dict[str, str]:
        """The query's ``PREFIX`` declarations: each prefix (``""`` for the empty one) and its namespace."""
        tokens = self.tokens
        prefixes: dict[str, str] = {}
        for index, token in enumerate(tokens):
            if _is_word(token, "PREFIX") and index + 2 < len(tokens):
                name, iri = tokens[index + 1], tokens[index + 2]
                if name.kind == "pname" and name.text.endswith(":") and iri.kind == "iri":
                    prefixes[name.text[:-1]] = iri.text[1:-1]
        return prefixes


def _is_word(token: Token, *words: str) -> bool:
    """Whether ``token`` is a keyword (or any bare word) among ``words``, in any case."""
    return token.kind == "word" and token.text.upper() in words


def _resolve(token: Token, prefixes: dict[str, str]) -> str | None:
    """The IRI a token names: an IRI, or a prefixed name (expanded if its prefix is declared);
    ``None`` for anything else (a variable)."""
    if token.kind == "iri":
        return token.text[1:-1]
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else token.text
    return None
