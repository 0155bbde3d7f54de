"""``rograph validate``: exit codes, formats, file:line of results and syntax errors.

Runs the installed console script in a subprocess, as a curator or CI job would.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner

from conftest import DATA_FILE, PROJECT_DIR, ProjectCopy, line_of
from rograph.cli import main

ROGRAPH = str(Path(sys.executable).parent / "rograph")
MEETING = "https://w3id.org/rograph/meeting/valga-expert-meeting-2020-02-06"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([ROGRAPH, "validate", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def break_meeting_date(project: ProjectCopy) -> int:
    """A wrong datatype on the meeting's date; returns the line the meeting is described on."""
    project.replace(DATA_FILE, 'schema:startDate "2020-02-06"^^xsd:date ;', 'schema:startDate "2020-02-06" ;')
    return line_of(
        project.root / DATA_FILE, r"^\s*<https://w3id\.org/rograph/meeting/valga-expert-meeting-2020-02-06> a"
    )


def test_shipped_project_exits_0():
    done = run(cwd=PROJECT_DIR)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "conform" in done.stdout


def test_violation_exits_1_and_names_file_line_shape_path_value(project_copy):
    line = break_meeting_date(project_copy)
    done = run(cwd=project_copy.root)
    assert done.returncode == 1
    assert f"{DATA_FILE}:{line}: {MEETING}" in done.stdout
    assert 'Violation rgsh:Meeting-startDate (path schema:startDate, value "2020-02-06")' in done.stdout
    assert "A meeting has exactly one date" in done.stdout
    assert "1 violation, 0 warnings, 0 info in 1 focus node: FAILED" in done.stdout


def test_results_are_grouped_by_focus_node(project_copy):
    break_meeting_date(project_copy)
    project_copy.replace(DATA_FILE, "schema:location place:valga ;\n        schema:organizer", "schema:organizer")
    done = run(cwd=project_copy.root)
    assert done.stdout.count(f": {MEETING}\n") == 1
    assert "rgsh:Meeting-startDate" in done.stdout and "rgsh:Meeting-location" in done.stdout


def test_fail_on_warning_versus_violation(project_copy):
    project_copy.replace(
        DATA_FILE,
        "rg:participantCount figure:valga-expert-meeting-2020-02-06-participants ;",
        "rg:participantCount place:valga ;",
    )
    assert run(cwd=project_copy.root).returncode == 0
    warned = run("--fail-on", "warning", cwd=project_copy.root)
    assert warned.returncode == 1
    assert "Warning   rgsh:Meeting-participantCount" in warned.stdout
    assert run("--fail-on", "info", cwd=project_copy.root).returncode == 1


def test_syntax_error_is_file_line_column_and_nothing_else_runs(project_copy):
    path = project_copy.root / DATA_FILE
    lines = path.read_text(encoding="utf-8").splitlines()
    target = next(i for i, line in enumerate(lines) if "schema:identifier" in line)
    lines[target] = '        schema:identifier "856468-NRP4-LV ;'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    break_meeting_date(project_copy)  # a shape fault too, which must not be reported
    done = run(cwd=project_copy.root)
    assert done.returncode == 2
    assert re.match(rf"^{re.escape(DATA_FILE)}:{target + 1}:\d+: ", done.stderr), done.stderr
    assert done.stdout == ""
    assert "Meeting-startDate" not in done.stderr


def test_missing_path_and_unknown_option_exit_2():
    assert run("no/such/file.ttl", cwd=PROJECT_DIR).returncode == 2
    done = run("--no-such-option", cwd=PROJECT_DIR)
    assert done.returncode == 2 and "No such option" in done.stderr


def test_internal_error_exits_3(monkeypatch):
    def explode(files, **options):
        raise RuntimeError("boom")

    monkeypatch.setattr("rograph.cli.validate.validate", explode)
    result = CliRunner().invoke(main, ["validate", "--project-dir", str(PROJECT_DIR)])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


def test_json_format(project_copy):
    line = break_meeting_date(project_copy)
    done = run("--format", "json", cwd=project_copy.root)
    assert done.returncode == 1
    document = json.loads(done.stdout)
    assert document["conforms"] is False and document["failed"] is True
    [result] = document["results"]
    assert result == {
        "severity": "Violation",
        "focus_node": MEETING,
        "shape": "https://w3id.org/rograph/shapes#Meeting-startDate",
        "constraint": "http://www.w3.org/ns/shacl#DatatypeConstraintComponent",
        "path": "https://schema.org/startDate",
        "value": '"2020-02-06"',
        "message": result["message"],
        "file": DATA_FILE,
        "line": line,
    }


def test_junit_format_parses(project_copy, tmp_path):
    break_meeting_date(project_copy)
    project_copy.replace(DATA_FILE, '"Latvija"@lv , ', "")
    out = tmp_path / "report.xml"
    done = run("--format", "junit", "--output", str(out), cwd=project_copy.root)
    assert done.returncode == 1
    suite = ET.parse(out).getroot()
    assert suite.tag == "testsuite"
    assert suite.get("failures") == "2" and suite.get("tests") == "2"
    failures = suite.findall("testcase/failure")
    assert len(failures) == 2
    assert {case.get("name") for case in suite.findall("testcase")} == {
        MEETING,
        "https://w3id.org/rograph/place/latvia",
    }


def test_junit_of_a_conforming_project_has_one_passing_case():
    suite = ET.fromstring(run("--format", "junit", cwd=PROJECT_DIR).stdout.encode())
    assert suite.get("tests") == "1" and suite.get("failures") == "0"


def test_github_format_annotates_file_and_line(project_copy):
    line = break_meeting_date(project_copy)
    done = run("--format", "github", cwd=project_copy.root)
    annotation = done.stdout.splitlines()[0]
    assert annotation.startswith(f"::error file={DATA_FILE},line={line},title=rgsh%3AMeeting-startDate::")


def test_github_format_reports_syntax_errors_as_annotations(project_copy):
    (project_copy.root / "data" / "broken.trig").write_text("<a> <b> .\n", encoding="utf-8")
    done = run("--format", "github", cwd=project_copy.root)
    assert done.returncode == 2
    assert re.match(r"^::error file=data/broken\.trig,line=1,col=\d+,title=syntax error::", done.stdout)


def test_paths_validate_given_data_against_project_shapes(project_copy, tmp_path):
    break_meeting_date(project_copy)
    broken = tmp_path / "mine.trig"
    shutil.copy(project_copy.root / DATA_FILE, broken)
    done = run(str(broken), cwd=PROJECT_DIR)
    assert done.returncode == 1
    assert f"{broken}:" in done.stdout and "Meeting-startDate" in done.stdout
    assert run(str(PROJECT_DIR / DATA_FILE), cwd=PROJECT_DIR).returncode == 0
