"""Which SERVICE calls a query may make where the executor has network: a remote store (the
query is forwarded to it) or a configured allow-list (the executor keeps its network so the
listed endpoints can be reached).

The decision is taken on the query as a SPARQL parser reads it (rdflib's, the only parser with
an algebra in Python), not on its text: every ``SERVICE`` in the parsed algebra must name a
fixed IRI in ``ROGRAPH_SERVICE_ALLOWLIST``, compared after the grammar's local-name escapes are
resolved; a variable endpoint is refused; a query rdflib cannot parse is refused, because then
nobody here knows what it asks. The lexical scan of :mod:`rograph.sparql_text` must agree as well,
so a query either parser reads as federated is refused unless both find only listed endpoints.
Without network (the default for the embedded store) none of this is needed: nothing a query
says can leave the executor.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from rograph.executor.isolation import may_name_a_service
from rograph.namespaces import PREFIXES
from rograph.sparql_text import QueryText
from rograph.store.base import QueryRefused

_LOCAL_ESCAPE = re.compile(r"\\([_~.\-!$&'()*+,;=/?#@%])")


@dataclass(frozen=True)
class FederationRule:
    allowlist: frozenset[str]
    #: No network namespace where one was wanted: refuse anything that might name a service.
    refuse_any: bool = False
    #: Only the lexical scan (where the network namespace is the defence and this only words the refusal).
    lexical_only: bool = False

    def check(self, query: QueryText) -> None:
        """Raise :class:`QueryRefused` (400) unless every SERVICE of ``query`` is allowed."""
        if self.refuse_any:
            if may_name_a_service(query.text):
                raise QueryRefused(
                    "SERVICE is not allowed on this endpoint (federation is off, and this host cannot cut "
                    "the query executors off the network, so any query containing the word is refused); "
                    "no outbound request was made"
                )
            return
        named = set() if self.lexical_only else set(self._parsed_endpoints(query.text))
        for endpoint in query.service_endpoints():
            named.add(_LOCAL_ESCAPE.sub(r"\1", endpoint) if endpoint is not None else None)
        for endpoint in sorted(named, key=str):
            if endpoint is None:
                raise QueryRefused(
                    "SERVICE with a variable endpoint is not allowed: the endpoint must be a fixed IRI; "
                    "no outbound request was made"
                )
            if endpoint not in self.allowlist:
                why = (
                    "federation is off on this endpoint"
                    if not self.allowlist
                    else f"allowed endpoints: {' '.join(sorted(self.allowlist))}"
                )
                raise QueryRefused(f"SERVICE <{endpoint}> is not allowed ({why}); no outbound request was made")

    def warm_up(self) -> None:
        """Import rdflib's SPARQL parser now, in the broker, so that executors forked from it do
        not spend the first second of a query's time limit importing it."""
        from rdflib.plugins.sparql import algebra, parser  # noqa: F401

        self._parsed_endpoints("ASK { SERVICE <http://example.org/> { } }")

    def _parsed_endpoints(self, query: str) -> list[str | None]:
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery
        from rdflib.plugins.sparql.parserutils import CompValue
        from rdflib.term import Variable

        sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))  # the executor runs on a deep stack
        try:
            # The project's prefixes are predefined on every store (as on the Wikidata Query Service).
            algebra = translateQuery(parseQuery(query), initNs=PREFIXES).algebra
        except Exception as error:  # rdflib raises many kinds; all mean "not understood"
            if not may_name_a_service(query):
                return []  # nothing federated in it whatever a parser makes of it: the store reports the error
            raise QueryRefused(
                f"this endpoint checks federated queries with a SPARQL parser before running them, and it "
                f"cannot read this one ({type(error).__name__}); no outbound request was made"
            ) from None
        found: list[str | None] = []
        stack = [algebra]
        while stack:
            node = stack.pop()
            if isinstance(node, CompValue):
                if node.name == "ServiceGraphPattern":
                    term = node.get("term")
                    found.append(None if isinstance(term, Variable) else _LOCAL_ESCAPE.sub(r"\1", str(term)))
                stack.extend(node.values())
            elif isinstance(node, (list, tuple)):
                stack.extend(node)
        return found
