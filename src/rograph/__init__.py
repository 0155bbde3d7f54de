"""rograph: the actors in Roma integration as a validated, queryable knowledge graph.

The package follows the data's flow, one subpackage per step:

``sources``     find and parse the project's RDF files (ontology, data, shapes)
``validation``  check them with SHACL and report where a problem is
``store``       build the validated files into a queryable store and run SPARQL on it
``web``         serve SPARQL and the linked-data pages over HTTP
``cli``         the ``rograph`` command that drives all of the above
"""

__version__ = "0.1.0"
