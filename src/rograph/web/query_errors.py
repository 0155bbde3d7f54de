"""A SPARQL parser's complaint, said so that a researcher can fix the query.

Oxigraph (embedded or as a server) reports a syntax error as a position and the list of the
grammar's tokens it expected there (``expected one of "$", "'", ['0'..='9'], …``): right, but
written for whoever wrote the grammar. :func:`explain` keeps the position, names what was
found there, and says what could come there in words (a variable, an IRI, a number), with
special cases for the two mistakes researchers make most: an undeclared prefix and a query
that stops before its end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rograph.namespaces import PREFIXES

#: What a grammar token means, for the tokens Oxigraph lists; the rest are shown as written.
_TOKEN_WORDS = {
    '"?"': "a variable",
    '"$"': "a variable",
    '"<"': "an IRI",
    '"<<"': "a quoted triple",
    '"<<("': "a triple term",
    '"\'"': "a string",
    "\"'''\"": "a string",
    '"\\""': "a string",
    '"\\"\\"\\""': "a string",
    '"+"': "a number",
    '"-"': "a number",
    '"_:"': "a blank node",
    '"["': "a blank node",
    '"true"': "true or false",
    '"false"': "true or false",
    '":"': "a prefixed name",
}
#: One item of Oxigraph's list: a quoted token, a character class (``['0'..='9']``), or a word.
_EXPECTED_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\\]|\\.)*\]|[A-Za-z_][\w ]*[\w]')
_PREFIXED_NAME = re.compile(r"([A-Za-z\u00c0-\uffff][\w.\-\u00c0-\uffff]*)?:[\w.\-%\u00c0-\uffff]*")


@dataclass(frozen=True)
class SyntaxProblem:
    """A syntax error as the page shows it: where (1-based, in the query as typed), what, and
    the typed line with the spot marked."""

    message: str
    line: int | None = None
    column: int | None = None
    excerpt: str | None = None


#: Virtuoso's words for a prefix it does not know (it names the line, not the column).
_VIRTUOSO_UNDECLARED = re.compile(r"Undefined namespace prefix at '([^']*)'")


def normalise_line_endings(query: str) -> str:
    """Browsers submit a textarea with CRLF line endings; the editor and the parser count LF."""
    return query.replace("\r\n", "\n").replace("\r", "\n")


def explain(query: str, message: str, line: int | None, column: int | None) -> SyntaxProblem:
    """The parser's ``message`` about ``query`` at ``line``/``column``, in a researcher's words."""
    if not re.sub(r"#[^\n]*", "", query).strip():
        return SyntaxProblem("The query is empty (or only comments): write a SELECT, ASK, CONSTRUCT or DESCRIBE query.")
    if line is None:
        return SyntaxProblem(f"The query could not be read: {message}")
    lines = query.split("\n")
    line = min(max(line, 1), len(lines))
    typed = lines[line - 1]
    if column is None:
        # Some stores (Virtuoso) name the line only: show that line, without a spot in it.
        named = _VIRTUOSO_UNDECLARED.search(message)
        if named:
            return SyntaxProblem(_undeclared_in_words(named[1], f"line {line}"), line, None, typed)
        return SyntaxProblem(f"The query could not be read at line {line}: {message}", line, None, typed)
    expected = _expected_in_words(message)
    at_end = not "\n".join([typed[max(column - 1, 0) :], *lines[line:]]).strip()
    if at_end and "“}”" not in expected:
        # Oxigraph reports the furthest point it tried, which at the end of the query can be
        # past the last token (or on the line after it): the spot is that last token.
        while line > 1 and not typed.strip():
            line -= 1
            typed = lines[line - 1]
        if typed.strip():
            column, at_end = len(typed.rstrip()), False
    excerpt = typed + "\n" + " " * min(max(column - 1, 0), len(typed)) + "^"
    where = f"line {line}, column {column}"
    undeclared = _undeclared_prefix(typed, column, message)
    if undeclared is not None:
        return SyntaxProblem(_undeclared_in_words(undeclared, where), line, column, excerpt)
    if at_end:
        text = f"The query ends before it is complete, at {where}: a closing }} or more of the pattern is missing."
        if expected:
            text += f" What could come next: {expected}."
        return SyntaxProblem(text, line, column, excerpt)
    found = "\n".join([typed[max(column - 1, 0) :], *lines[line:]]).split()[0][:40]
    text = f"The query cannot be read at {where}, where it has “{found}”."
    if expected:
        text += f" What could come there: {expected}."
    return SyntaxProblem(text, line, column, excerpt)


def _undeclared_in_words(prefix: str, where: str) -> str:
    known = ", ".join(f"{p}:" for p in PREFIXES)
    return (
        f"The prefix {prefix}: at {where} is not declared. Declare it at the top of the query "
        f"(PREFIX {prefix}: <namespace IRI>), or use one of the predefined prefixes: {known}."
    )


def _undeclared_prefix(typed: str, column: int, message: str) -> str | None:
    """The prefix of the prefixed name that ends at or spans ``column``, if the parser says a
    prefix is not found (Oxigraph puts the position at the end of the name)."""
    if "prefix not found" not in message.lower() and "unknown prefix" not in message.lower():
        return None
    for match in _PREFIXED_NAME.finditer(typed):
        if match.start() < column <= match.end() + 1:
            return match[1] or ""
    return None


def _expected_in_words(message: str) -> str:
    """Oxigraph's ``expected one of "$", OPTIONAL, ['0'..='9'], …`` as "a variable, OPTIONAL, a number"."""
    if "expected" not in message:
        return ""
    listed = message.split("expected", 1)[1].removeprefix(" one of")
    words: list[str] = []
    for item in _EXPECTED_ITEM.findall(listed):
        if item.startswith("["):
            word = "a number" if "'0'" in item else "a name" if "'A'" in item or "'a'" in item else None
        elif item.lower() == "prefix not found":
            word = None
        else:
            bare = item.strip('"')
            word = _TOKEN_WORDS.get(item, bare if bare.isalpha() else f"“{bare}”")
        if word and word not in words:
            words.append(word)
    return ", ".join(words)
