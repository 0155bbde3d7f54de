"""Reports for people and for CI systems: text, JSON, JUnit XML and GitHub annotations.

Every renderer takes the same :class:`Report` and ``fail_on`` threshold, so a CI log, a JUnit
dashboard and a terminal all agree on what failed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from rograph.namespaces import prefixed
from rograph.sources import SourceError
from rograph.validation.model import Report, Result, Severity


def short(iri: str | None) -> str:
    """``rg:Meeting`` for a known namespace (``^rg:x`` for an inverse path), the IRI itself
    otherwise, ``-`` for none."""
    if iri is None:
        return "-"
    if iri.startswith("^"):
        return "^" + prefixed(iri[1:])
    return prefixed(iri)


def _summary(report: Report, fail_on: Severity) -> str:
    counts = report.counts()
    parts = [
        f"{counts[Severity.VIOLATION]} violation{'s' * (counts[Severity.VIOLATION] != 1)}",
        f"{counts[Severity.WARNING]} warning{'s' * (counts[Severity.WARNING] != 1)}",
        f"{counts[Severity.INFO]} info",
    ]
    nodes = len({r.focus_node for r in report.results})
    verdict = "FAILED" if report.at_or_above(fail_on) else "passed"
    return f"{', '.join(parts)} in {nodes} focus node{'s' * (nodes != 1)}: {verdict} (fail on {fail_on.label.lower()})"


def render_text(report: Report, fail_on: Severity) -> str:
    if report.conforms:
        return f"{len(report.files)} files conform: no results.\n"
    lines: list[str] = []
    for node, results in report.by_focus_node():
        lines.append(f"{results[0].location}: {short(node)}")
        for r in results:
            detail = f"path {short(r.path)}" if r.path else "node"
            if r.value is not None:
                detail += f", value {short(r.value)}"
            lines.append(f"  {r.severity.label:<9} {short(r.shape)} ({detail})")
            lines.append(f"            {r.message}")
        lines.append("")
    lines.append(_summary(report, fail_on))
    return "\n".join(lines) + "\n"


def _as_dict(result: Result) -> dict:
    return {
        "severity": result.severity.label,
        "focus_node": result.focus_node,
        "shape": result.shape,
        "constraint": result.constraint,
        "path": result.path,
        "value": result.value,
        "message": result.message,
        "file": str(result.file) if result.file else None,
        "line": result.line,
    }


def render_json(report: Report, fail_on: Severity) -> str:
    counts = report.counts()
    document = {
        "conforms": report.conforms,
        "failed": bool(report.at_or_above(fail_on)),
        "fail_on": fail_on.label,
        "counts": {s.label: counts[s] for s in Severity},
        "files": [str(f) for f in report.files],
        "results": [_as_dict(r) for _, results in report.by_focus_node() for r in results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_junit(report: Report, fail_on: Severity) -> str:
    """One test case per focus node with results; one passing case when everything conforms."""
    suite = ET.Element("testsuite", name="rograph validate")
    failures = 0
    groups = list(report.by_focus_node())
    for node, results in groups:
        first = results[0]
        case = ET.SubElement(suite, "testcase", classname=str(first.file or "rograph"), name=short(node))
        if first.file:
            case.set("file", str(first.file))
            if first.line:
                case.set("line", str(first.line))
        failing = [r for r in results if r.severity >= fail_on]
        if failing:
            failures += 1
            failure = ET.SubElement(case, "failure", type=failing[0].severity.label, message=failing[0].message)
            failure.text = "\n".join(_junit_line(r) for r in failing)
        others = [r for r in results if r.severity < fail_on]
        if others:
            ET.SubElement(case, "system-out").text = "\n".join(_junit_line(r) for r in others)
    if not groups:
        ET.SubElement(suite, "testcase", classname="rograph", name="all focus nodes conform")
    suite.set("tests", str(max(1, len(groups))))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def _junit_line(r: Result) -> str:
    return f"{r.location}: {r.severity.label} {short(r.shape)} path={short(r.path)} value={r.value or '-'}: {r.message}"


_GITHUB_LEVEL = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(level: str, message: str, title: str, file=None, line=None, column=None) -> str:
    props = []
    if file:
        props.append(f"file={_gh_property(str(file))}")
    if line:
        props.append(f"line={line}")
    if column:
        props.append(f"col={column}")
    props.append(f"title={_gh_property(title)}")
    return f"::{level} {','.join(props)}::{_gh_data(message)}"


def render_github(report: Report, fail_on: Severity) -> str:
    """GitHub Actions workflow commands: each result as an annotation on its file and line."""
    lines = []
    for node, results in report.by_focus_node():
        for r in results:
            where = f"{short(node)}" + (f" {short(r.path)}" if r.path else "") + (f" = {r.value}" if r.value else "")
            lines.append(
                _annotation(_GITHUB_LEVEL[r.severity], f"{r.message} ({where})", short(r.shape), r.file, r.line)
            )
    lines.append(_summary(report, fail_on))
    return "\n".join(lines) + "\n"


FORMATS: dict[str, Callable[[Report, Severity], str]] = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}


def render(report: Report, format: str = "text", fail_on: Severity = Severity.VIOLATION) -> str:
    """Render ``report`` in one of :data:`FORMATS`."""
    return FORMATS[format](report, fail_on)


def render_source_error(error: SourceError, format: str = "text") -> str:
    """A file that cannot be read or parsed, in the same format as a report."""
    if format == "github":
        return _annotation("error", error.message, "syntax error", error.path, error.line, error.column) + "\n"
    if format == "json":
        return (
            json.dumps(
                {
                    "conforms": False,
                    "failed": True,
                    "error": {
                        "file": str(error.path),
                        "line": error.line,
                        "column": error.column,
                        "message": error.message,
                    },
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if format == "junit":
        suite = ET.Element("testsuite", name="rograph validate", tests="1", failures="0", errors="1")
        case = ET.SubElement(suite, "testcase", classname=str(error.path), name="parse")
        ET.SubElement(case, "error", type="SyntaxError", message=str(error)).text = str(error)
        return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
    return f"{error}\n"
