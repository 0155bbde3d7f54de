"""The syntax-error explanation (rograph.web.query_errors) on any text and any position a parser
may report: always words and a position inside the query, never an exception."""

from __future__ import annotations

import re

import pyoxigraph as ox
from hypothesis import given, settings
from hypothesis import strategies as st

from rograph.store.base import QuerySyntaxError
from rograph.web.query_errors import explain, normalise_line_endings

SPARQLISH = st.text(alphabet=st.sampled_from(list("SELECT*WHERE{}?s?p.;,\"'<>#:\r\n \tāē()")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(
    query=SPARQLISH,
    line=st.integers(-2, 8),
    column=st.integers(-2, 80),
    message=st.sampled_from(
        [
            "expected one of \"}\", OPTIONAL, ['0'..='9']",
            "expected one of LATERAL, SERVICE, [_]",
            "expected one of Prefix not found, [':']",
            "something else",
        ]
    ),
)
def test_any_position_gets_an_explanation(query, line, column, message):
    problem = explain(normalise_line_endings(query), message, line, column)
    assert problem.message.startswith("The ") and "..=" not in problem.message


@settings(max_examples=300, deadline=None)
@given(query=SPARQLISH)
def test_what_oxigraph_says_is_placed_inside_the_query(query):
    query = normalise_line_endings(query)
    try:
        ox.Store().query(query)
    except SyntaxError as error:
        parsed = QuerySyntaxError.from_parser(str(error))
        problem = explain(query, parsed.message, parsed.line, parsed.column)
        lines = query.split("\n")
        if problem.line is None:  # only an empty query has no position
            assert problem.message.startswith("The query is empty") and not re.sub(r"#[^\n]*", "", query).strip()
        else:
            assert 1 <= problem.line <= len(lines)
        assert "..=" not in problem.message and "[_]" not in problem.message
    except (ValueError, OSError, RuntimeError):
        pass
