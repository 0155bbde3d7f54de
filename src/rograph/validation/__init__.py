"""Validation: check the sources with SHACL and say where each problem is.

``validate(files)`` runs pyshacl over the project's files and returns a :class:`Report` whose
results carry the file and line of the focus node; ``render(report, format)`` writes it for a
person (text) or a machine (JSON, JUnit XML, GitHub annotations).
"""

from rograph.validation.model import Report, Result, Severity
from rograph.validation.render import FORMATS, render, render_source_error
from rograph.validation.run import validate

__all__ = ["FORMATS", "Report", "Result", "Severity", "render", "render_source_error", "validate"]
