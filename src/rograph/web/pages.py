"""Linked-data pages: entity pages, the ontology, the home page, content negotiation."""

from flask import Blueprint

bp = Blueprint("pages", __name__)
