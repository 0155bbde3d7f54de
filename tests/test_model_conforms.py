"""The shipped ontology, data and shapes conform: no result of any severity."""

from conftest import PROJECT_DIR
from rograph import sources
from rograph.validation import render, validate


def test_shipped_project_has_no_results():
    report = validate(sources.discover(PROJECT_DIR))
    assert report.results == (), render(report)


def test_every_file_of_the_project_was_validated():
    report = validate(sources.discover(PROJECT_DIR))
    names = {p.name for p in report.files}
    assert {"rograph.ttl", "concepts.ttl", "rograph-shapes.ttl", "lv-moc-valga-expert-meeting-2020.trig"} <= names
