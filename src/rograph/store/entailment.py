"""The RDFS consequences of the ontology's class and property hierarchy, added at build time.

A source says what it says: the Valga meeting is an ``rg:ExpertMeeting``, the city government
an ``rg:Municipality``. A researcher asking for every ``rg:Meeting`` or ``org:Organization``
expects them too. The build therefore adds, in a graph of their own
(:data:`~rograph.namespaces.INFERRED_GRAPH`), what RDFS entails from the ontology's
``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` (rules rdfs9 and rdfs7, over the chains that
rdfs11 and rdfs5 make) and no graph states already:

* ``?x a ?super`` for every class ``?x`` is stated to have and each of its superclasses;
* ``?s ?super ?o`` for every statement ``?s ?p ?o`` and each super-property of ``?p``.

Nothing else: no domain and range typing (rdfs2/rdfs3), no axiomatic triples. Those would type
every value of ``dcterms:subject`` with whatever its range says, which is the source's business.

Why two SPARQL queries rather than a reasoner library: owlrl computes the whole RDFS closure
(axioms, ``rdfs:Resource`` for every node, domain and range typing) in pure Python over rdflib,
most of it work to throw away: on 20,683 generated quads it took 92.9 s of CPU, about 1,100
times these two queries (0.1 s, about what loading the data takes), and its closure holds every
consequence added here (``python benchmarks/entailment.py --sizes 20000 --owlrl-up-to 20000``).
On 1,000,741 quads the queries add 354,254 in 4.7 s of CPU, 0.70 times the load's 6.7 s
(``python benchmarks/entailment.py --sizes 1000000 --owlrl-up-to 0``).

SHACL validation runs on the sources before the build; the consequences are never validated,
since a shape constrains what a curator wrote.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from rograph.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, RDF, RDFS, SHAPES_GRAPH
from rograph.store.queries import InProcess

#: Facts: every named graph but the ontology, the shapes and the inferred graph itself, and the
#: default graph (``rograph serve --data`` keeps the default graph of the files it is given).
_FACTS = f"FILTER(?g NOT IN (<{ONTOLOGY_GRAPH}>, <{SHAPES_GRAPH}>, <{INFERRED_GRAPH}>))"

_SUPERCLASS_TYPES = f"""
SELECT DISTINCT ?s ?super WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?class <{RDFS}subClassOf>+ ?super }}
  FILTER(?super != ?class && isIRI(?super))
  {{ GRAPH ?g {{ ?s a ?class }} {_FACTS} }} UNION {{ ?s a ?class }}
  FILTER NOT EXISTS {{ {{ GRAPH ?h {{ ?s a ?super }} }} UNION {{ ?s a ?super }} }}
}}"""

_SUPER_PROPERTY_VALUES = f"""
SELECT DISTINCT ?s ?super ?o WHERE {{
  GRAPH <{ONTOLOGY_GRAPH}> {{ ?property <{RDFS}subPropertyOf>+ ?super }}
  FILTER(?super != ?property && isIRI(?super))
  {{ GRAPH ?g {{ ?s ?property ?o }} {_FACTS} }} UNION {{ ?s ?property ?o }}
  FILTER NOT EXISTS {{ {{ GRAPH ?h {{ ?s ?super ?o }} }} UNION {{ ?s ?super ?o }} }}
}}"""


def consequences(store: ox.Store) -> Iterator[ox.Quad]:
    """The quads of :data:`INFERRED_GRAPH` for the facts and ontology in ``store``."""
    graph = ox.NamedNode(INFERRED_GRAPH)
    rdf_type = ox.NamedNode(RDF + "type")
    queries = InProcess(store)
    for row in queries.select(_SUPERCLASS_TYPES):
        yield ox.Quad(row["s"], rdf_type, row["super"], graph)
    for row in queries.select(_SUPER_PROPERTY_VALUES):
        yield ox.Quad(row["s"], row["super"], row["o"], graph)
