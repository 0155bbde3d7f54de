"""The curator's workflow, as a curator runs it: ``rograph source add``, ``source list`` and
``diff`` on a git clone of the project, through the installed ``rograph`` command."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ROGRAPH, ProjectCopy

pytestmark = pytest.mark.live

BASE = "https://w3id.org/rograph/"


def rograph(project: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [ROGRAPH, *args], cwd=project, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        env={
            **os.environ,
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.org",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.org",
        },
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of the project, everything committed."""
    ProjectCopy(tmp_path / "project")
    project = tmp_path / "project"
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "the project as it is")
    return project


ADD_PAGE = (
    "source",
    "add",
    "https://www.example.org/en/roma-platform-page",
    "--publisher",
    "organisation:latvia-ministry-of-culture",
    "--language",
    "en",
    "--kind",
    "project-page",
    "--title",
    "Roma platform page",
    "--label",
    "lv:Romu platformas lapa",
    "--slug",
    "example-roma-platform-page",
)

FACT = """
    <https://w3id.org/rograph/project/latvian-roma-platform-iv>
        rg:objective "Public awareness of Roma culture."@en .
    <https://w3id.org/rograph/place/valga> schema:containedInPlace <https://w3id.org/rograph/place/estonia> ;
        skos:altLabel "Valga linn"@et .
    <https://w3id.org/rograph/organisation/latvia-ministry-of-culture>
        rg:actsAs <https://w3id.org/rograph/organisation/latvia-national-roma-contact-point> .
"""


def add_fact(trig: Path, turtle: str) -> None:
    text = trig.read_text(encoding="utf-8")
    closing = text.rindex("}")
    trig.write_text(text[:closing] + turtle + "}\n", encoding="utf-8")


def test_a_source_is_added_end_to_end(repo: Path):
    added = rograph(repo, *ADD_PAGE)
    assert added.returncode == 0, added.stderr
    trig = repo / "data" / "example-roma-platform-page.trig"
    assert trig.is_file()
    # It prints what to do next: the file to edit, validate, diff.
    assert "data/example-roma-platform-page.trig" in added.stdout
    assert "rograph validate" in added.stdout and "rograph diff" in added.stdout

    # The new graph, right after registering, passes the shapes with the rest of the project.
    checked = rograph(repo, "validate", "--project-dir", str(repo))
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # The diff of the working tree against the last commit: the new graph's provenance.
    diff = json.loads(rograph(repo, "diff", "--format", "json").stdout)
    graph = next(g for g in diff["graphs"] if g["graph"] == BASE + "graph/example-roma-platform-page")
    assert graph["status"] == "added" and graph["source"] == BASE + "source/example-roma-platform-page"
    source = next(e for e in graph["entities"] if e["entity"] == BASE + "source/example-roma-platform-page")
    stated = {(c["property"], c["value"]) for c in source["changes"] if c["change"] == "added"}
    assert ("https://schema.org/url", "https://www.example.org/en/roma-platform-page") in stated
    assert ("http://purl.org/dc/terms/publisher", BASE + "organisation/latvia-ministry-of-culture") in stated
    assert (
        "http://purl.org/dc/terms/language",
        "http://publications.europa.eu/resource/authority/language/ENG",
    ) in stated
    curation = next(e for e in graph["entities"] if e["entity"] == BASE + "curation/example-roma-platform-page")
    assert ("http://www.w3.org/ns/prov#wasAssociatedWith", BASE + "organisation/rograph-curators") in {
        (c["property"], c["value"]) for c in curation["changes"]
    }
    assert ("http://purl.org/dc/terms/type", BASE + "concept/project-page") in stated
    assert source["label"] == "Roma platform page"
    assert all(g["graph"] == BASE + "graph/example-roma-platform-page" for g in diff["graphs"])
    provenance = diff["summary"]["added"]
    assert diff["summary"]["removed"] == diff["summary"]["changed"] == 0

    # The curator states facts; commit; change one: the diff shows a change with labels.
    add_fact(trig, FACT)
    assert rograph(repo, "validate", "--project-dir", str(repo)).returncode == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "a new source")
    trig.write_text(
        trig.read_text(encoding="utf-8").replace(
            '"Public awareness of Roma culture."@en', '"Public awareness of Roma culture and history."@en'
        ),
        encoding="utf-8",
    )
    diff = json.loads(rograph(repo, "diff", "--format", "json").stdout)
    assert diff["summary"] == {"added": 0, "removed": 0, "changed": 1, "graphs": 1, "entities": 1}
    [graph] = diff["graphs"]
    [entity] = graph["entities"]
    assert entity["entity"] == BASE + "project/latvian-roma-platform-iv"
    assert entity["label"] == "Latvian Roma Platform IV"
    [change] = entity["changes"]
    assert change["change"] == "changed" and change["old"] == "Public awareness of Roma culture."
    assert change["new"] == "Public awareness of Roma culture and history."
    assert change["property_label"] == "objective"

    # The same as text, Markdown and GitHub workflow commands, with labels and file:line.
    text = rograph(repo, "diff").stdout
    assert "Latvian Roma Platform IV" in text and "Roma culture." in text and "Roma culture and history." in text
    markdown = rograph(repo, "diff", "--format", "markdown").stdout
    assert markdown.startswith("## ") and "| ~ |" in markdown and "Latvian Roma Platform IV" in markdown
    summary = repo.parent / "summary.md"
    github = rograph(repo, "diff", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)}).stdout
    line = next(n for n, text in enumerate(trig.read_text().splitlines(), 1) if "latvian-roma-platform-iv>" in text)
    assert f"::notice file=data/example-roma-platform-page.trig,line={line}," in github
    assert "Latvian Roma Platform IV" in summary.read_text()

    # Two revisions: the commit that added the source against the one before.
    between = json.loads(rograph(repo, "diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    assert between["summary"]["changed"] == 0 and between["summary"]["removed"] == 0
    assert between["summary"]["added"] == provenance + 4
    new_facts = {(e["entity"], c["property"]) for g in between["graphs"] for e in g["entities"] for c in e["changes"]}
    assert (BASE + "place/valga", "https://schema.org/containedInPlace") in new_facts
    assert (BASE + "project/latvian-roma-platform-iv", BASE + "ontology#objective") in new_facts
    assert (BASE + "organisation/latvia-ministry-of-culture", BASE + "ontology#actsAs") in new_facts

    # source list: both sources, each with its graph, file, counts and checks.
    listed = json.loads(rograph(repo, "source", "list", "--format", "json").stdout)
    by_iri = {s["source"]: s for s in listed["sources"]}
    new = by_iri[BASE + "source/example-roma-platform-page"]
    assert new["graphs"] == [BASE + "graph/example-roma-platform-page"]
    assert new["file"] == "data/example-roma-platform-page.trig"
    assert new["address"] == "https://www.example.org/en/roma-platform-page"
    assert new["statements"] > 10 and new["entities"] >= 2
    assert new["checks"] == {"violations": 0, "warnings": 0, "infos": 0, "file": None}
    assert BASE + "source/lv-moc-valga-expert-meeting-2020" in by_iri
    # A fault in the new file shows in its checks.
    trig.write_text(
        trig.read_text(encoding="utf-8").replace(
            "dcterms:type <https://w3id.org/rograph/concept/project-page>",
            "dcterms:type <https://w3id.org/rograph/place/valga>",
        ),
        encoding="utf-8",
    )
    listed = json.loads(rograph(repo, "source", "list", "--format", "json").stdout)
    new = next(s for s in listed["sources"] if s["source"] == BASE + "source/example-roma-platform-page")
    assert new["checks"]["violations"] >= 1 and new["checks"]["file"] is None
    assert "FAILS" in rograph(repo, "source", "list").stdout
    assert "example-roma-platform-page" in rograph(repo, "source", "list").stdout


def test_a_source_file_is_registered_with_its_checksum(repo: Path):
    text = repo / "sources" / "page.txt"
    text.parent.mkdir(exist_ok=True)
    text.write_text("Latvijas romu platforma IV\n", encoding="utf-8")
    added = rograph(
        repo,
        "source",
        "add",
        "sources/page.txt",
        "--publisher",
        "organisation:latvia-ministry-of-culture",
        "--language",
        "lv",
        "--kind",
        "news-item",
        "--title",
        "Romu platforma",
        "--label",
        "en:Roma platform",
    )
    assert added.returncode == 0, added.stderr
    trig = repo / "data" / "page.trig"
    written = trig.read_text(encoding="utf-8")
    assert hashlib.sha256(text.read_bytes()).hexdigest() in written
    assert '"sources/page.txt"' in written
    assert rograph(repo, "validate", "--project-dir", str(repo)).returncode == 0

    # The file changes after registration: source list says so.
    text.write_text("changed\n", encoding="utf-8")
    listed = json.loads(rograph(repo, "source", "list", "--format", "json").stdout)
    page = next(s for s in listed["sources"] if s["source"] == BASE + "source/page")
    assert page["checks"]["file"] == "changed since it was registered (SHA-256 differs)"
    text.unlink()
    listed = json.loads(rograph(repo, "source", "list", "--format", "json").stdout)
    assert next(s for s in listed["sources"] if s["source"] == BASE + "source/page")["checks"]["file"] == "missing"


@pytest.mark.parametrize(
    "args, message",
    [
        (("--kind", "blog"), "--kind: 'blog' is not a source kind; use one of"),
        (
            ("--publisher", "organisation:nobody"),
            "--publisher: https://w3id.org/rograph/organisation/nobody is not an organisation in the graph",
        ),
        (("--language", "latvian"), "--language: 'latvian' is not an ISO 639-1 code"),
        (("--slug", "Bad Slug"), "--slug: 'Bad Slug' is not lower-case ASCII words joined by hyphens"),
        (("--slug", "lv-moc-valga-expert-meeting-2020"), "already exists"),
    ],
)
def test_bad_input_is_refused_with_what_and_where(repo: Path, args, message):
    options = dict(zip(ADD_PAGE[3::2], ADD_PAGE[4::2], strict=True))
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    command = ["source", "add", ADD_PAGE[2]] + [x for pair in options.items() for x in pair]
    done = rograph(repo, *command)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert not (repo / "data" / "example-roma-platform-page.trig").exists() or "already exists" in message
    assert git(repo, "status", "--porcelain") == ""


def test_an_address_is_registered_once(repo: Path):
    assert rograph(repo, *ADD_PAGE).returncode == 0
    again = list(ADD_PAGE)
    again[again.index("--slug") + 1] = "second"
    done = rograph(repo, *again)
    assert done.returncode == 2
    assert (
        "https://www.example.org/en/roma-platform-page is already registered as https://w3id.org/rograph/source/example-roma-platform-page"
        in done.stderr
    )


def test_a_label_in_latvian_and_english_is_required(repo: Path):
    command = [a for a in ADD_PAGE if a not in ("--label", "lv:Romu platformas lapa")]
    done = rograph(repo, *command)
    assert done.returncode == 2
    assert "--label lv:TEXT" in done.stderr


def test_diff_of_builds_and_bad_revisions(repo: Path, tmp_path: Path):
    same = rograph(repo, "diff", "HEAD", "HEAD", "--format", "json")
    assert same.returncode == 0 and json.loads(same.stdout)["summary"]["added"] == 0
    bad = rograph(repo, "diff", "no-such-revision")
    assert bad.returncode == 2 and "no-such-revision" in bad.stderr and "Traceback" not in bad.stderr
    # Two builds (their dumps): the project against a copy with one label changed.
    first = rograph(repo, "build", "--project-dir", str(repo), "--var-dir", str(tmp_path / "var1"))
    assert first.returncode == 0, first.stderr
    data = repo / "data" / "lv-moc-valga-expert-meeting-2020.trig"
    data.write_text(data.read_text().replace('"Valmiera"@en', '"Valmiera town"@en'))
    assert rograph(repo, "build", "--project-dir", str(repo), "--var-dir", str(tmp_path / "var2")).returncode == 0
    builds = json.loads(
        rograph(
            repo, "diff", str(tmp_path / "var1" / "current"), str(tmp_path / "var2" / "current"), "--format", "json"
        ).stdout
    )
    [graph] = builds["graphs"]
    [entity] = graph["entities"]
    assert entity["label"] == "Valmiera town"
    assert entity["changes"][0]["old"] == "Valmiera" and entity["changes"][0]["new"] == "Valmiera town"
    assert graph["source"] == BASE + "source/lv-moc-valga-expert-meeting-2020"


def test_a_file_outside_the_sources_folder_is_refused(repo: Path):
    outside = repo.parent / "page.txt"
    outside.write_text("text\n", encoding="utf-8")
    done = rograph(
        repo,
        "source",
        "add",
        str(outside),
        "--publisher",
        "organisation:latvia-ministry-of-culture",
        "--language",
        "lv",
        "--kind",
        "news-item",
        "--title",
        "Teksts",
        "--label",
        "en:Text",
    )
    assert done.returncode == 2 and "is not in the project's sources/ folder" in done.stderr
    assert git(repo, "status", "--porcelain") == ""
