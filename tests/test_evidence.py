"""`rograph validate` checks every evidence quote against the source text it quotes, and the
text against its recorded SHA-256, and says where in the data the broken annotation is.

Runs the installed console script on a broken copy of the project, as a curator or CI would.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DATA_FILE, ProjectCopy, line_of

pytestmark = pytest.mark.live

ROGRAPH = str(Path(sys.executable).parent / "rograph")
TEXT_FILE = "sources/000_f5beb46b2a4dc84d.txt"
ANNOTATION = "https://w3id.org/rograph/evidence/participant-count"
TEXT_NODE = "https://w3id.org/rograph/source/lv-moc-valga-expert-meeting-2020-text"


def validate(project: ProjectCopy, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ROGRAPH, "validate", *args], cwd=project.root, capture_output=True, text=True, timeout=300)


def offsets(project: ProjectCopy) -> tuple[int, int]:
    text = (project.root / DATA_FILE).read_text(encoding="utf-8")
    block = text[text.index("evidence:participant-count a") :]
    start, end = re.search(r"oa:start (\d+) ; oa:end (\d+)", block).groups()
    return int(start), int(end)


def annotation_line(project: ProjectCopy) -> int:
    return line_of(project.root / DATA_FILE, r"^\s*evidence:participant-count a oa:Annotation")


def test_the_shipped_quotes_and_checksum_pass(project_copy):
    done = validate(project_copy)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_moved_quote_fails_with_file_and_line(project_copy):
    start, end = offsets(project_copy)
    project_copy.replace(
        DATA_FILE,
        f"oa:start {start} ; oa:end {end}",
        f"oa:start {start + 3} ; oa:end {end + 3}",
        within="evidence:participant-count a",
    )
    done = validate(project_copy)
    assert done.returncode == 1, done.stdout
    assert f"{DATA_FILE}:{annotation_line(project_copy)}: {ANNOTATION}" in done.stdout
    assert "Violation rgsh:Evidence-quote-at-offsets" in done.stdout
    assert f"The quote is at {start}–{end}: move the offsets there." in done.stdout


def test_an_edited_quote_fails(project_copy):
    project_copy.replace(
        DATA_FILE,
        '"Kopā piedalījās ap 20 ekspertu un aktīvistu."@lv',
        '"Kopā piedalījās ap 30 ekspertu un aktīvistu."@lv',
        within="evidence:participant-count a",
    )
    done = validate(project_copy)
    assert done.returncode == 1, done.stdout
    assert f"{DATA_FILE}:{annotation_line(project_copy)}: {ANNOTATION}" in done.stdout
    assert "The quote «Kopā piedalījās ap 30 ekspertu un aktīvistu.» is not at" in done.stdout
    assert "nowhere in the text" in done.stdout


def test_an_edited_source_text_fails_its_checksum_and_the_quotes_it_moves(project_copy):
    path = project_copy.root / TEXT_FILE
    path.write_text(path.read_text(encoding="utf-8").replace("06.02.2020.", "6.02.2020."), encoding="utf-8")
    done = validate(project_copy, "--format", "json")
    assert done.returncode == 1
    import json

    results = json.loads(done.stdout)["results"]
    checksum = [r for r in results if r["shape"].endswith("#SourceText-checksum-matches")]
    assert [r["focus_node"] for r in checksum] == [TEXT_NODE]
    assert checksum[0]["file"].endswith(DATA_FILE) and checksum[0]["line"] == line_of(
        project_copy.root / DATA_FILE, r"^\s*source:lv-moc-valga-expert-meeting-2020-text a"
    )
    moved = {r["focus_node"].rsplit("/", 1)[-1] for r in results if r["shape"].endswith("#Evidence-quote-at-offsets")}
    assert "meeting-title" not in moved and "participant-count" in moved  # only quotes after the edit moved


def test_a_missing_source_text_fails(project_copy):
    (project_copy.root / TEXT_FILE).unlink()
    done = validate(project_copy)
    assert done.returncode == 1
    assert "rgsh:SourceText-checksum-matches" in done.stdout and "does not exist" in done.stdout


def test_a_text_outside_the_sources_folder_is_never_read(project_copy, tmp_path):
    secret = project_copy.root / "secret.txt"
    secret.write_text("Kopā piedalījās ap 20 ekspertu un aktīvistu.", encoding="utf-8")
    project_copy.replace(
        DATA_FILE, 'rg:projectPath "sources/000_f5beb46b2a4dc84d.txt" ;', 'rg:projectPath "sources/../secret.txt" ;'
    )
    done = validate(project_copy)
    assert done.returncode == 1
    assert "is not inside the project's sources/ folder" in done.stdout
    assert "Evidence-quote-at-offsets" not in done.stdout


def test_incremental_runs_check_the_texts_too(project_copy, tmp_path):
    var = ["--incremental"]
    env_args = ("--project-dir", str(project_copy.root))
    first = subprocess.run(
        [ROGRAPH, "validate", *var, *env_args],
        cwd=project_copy.root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "ROGRAPH_VAR_DIR": str(tmp_path / "var")},
    )
    assert first.returncode == 0, first.stdout + first.stderr
    path = project_copy.root / TEXT_FILE
    path.write_bytes(path.read_bytes() + b" ")
    second = subprocess.run(
        [ROGRAPH, "validate", *var, *env_args],
        cwd=project_copy.root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "ROGRAPH_VAR_DIR": str(tmp_path / "var")},
    )
    assert second.returncode == 1 and "0 of 8 data files changed" in second.stderr
    assert "rgsh:SourceText-checksum-matches" in second.stdout
