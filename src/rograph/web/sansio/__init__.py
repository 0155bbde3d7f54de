"""The SPARQL 1.1 Protocol without I/O: parse a request, negotiate a format.

Nothing here imports Flask or touches a socket, so every rule of the protocol is tested as a
plain function call (tests/test_sansio_*.py) and the web layer only moves bytes.
"""

from rograph.result_formats import GRAPH_FORMATS, SOLUTION_FORMATS, ResultFormat
from rograph.sparql_text import QueryText
from rograph.web.sansio.negotiation import NotAcceptable, choose_format, negotiate
from rograph.web.sansio.request import ProtocolError, SparqlRequest, parse_request

__all__ = [
    "GRAPH_FORMATS",
    "SOLUTION_FORMATS",
    "NotAcceptable",
    "ProtocolError",
    "QueryText",
    "ResultFormat",
    "SparqlRequest",
    "choose_format",
    "negotiate",
    "parse_request",
]
