"""The SPARQL 1.1 Protocol endpoint (``/sparql``)."""

from flask import Blueprint

bp = Blueprint("sparql", __name__)
