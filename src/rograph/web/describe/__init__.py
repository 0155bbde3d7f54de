"""What the pages show, read from the store with SPARQL, one module per kind of page:
``labels`` (names in the reader's language, for every page), ``entity`` (an entity's page and
RDF documents), ``listing`` (the home page and the class listings) and ``ontology`` (the
ontology and shapes pages). The views import from here."""

from rograph.web.describe.entity import (
    STATED,
    EntityView,
    Group,
    class_levels,
    entity_view,
    exists,
    graph_statements,
    sources_of_graphs,
    statements,
)
from rograph.web.describe.labels import Labeller, Shown
from rograph.web.describe.listing import class_counts, class_listing, home_view
from rograph.web.describe.ontology import ontology_view, shapes_view

__all__ = [
    "STATED",
    "EntityView",
    "Group",
    "Labeller",
    "Shown",
    "class_counts",
    "class_levels",
    "class_listing",
    "entity_view",
    "exists",
    "graph_statements",
    "home_view",
    "ontology_view",
    "shapes_view",
    "sources_of_graphs",
    "statements",
]
