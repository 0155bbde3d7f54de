"""Every command on bad input: one clear line on standard error that names what and where,
a documented exit code (docs/cli.md), never a traceback. And ``rograph settings`` shows the
values in effect, where each came from, and refuses bad ones."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from conftest import DATA_FILE, PROJECT_DIR, ROGRAPH, ProjectCopy, free_port

pytestmark = pytest.mark.live

#: docs/cli.md: 2 is bad input (a setting, a folder, a file that cannot be read or written,
#: sources that do not parse and no earlier build to fall back on, a store out of reach).
EXIT_BAD_INPUT = 2

COMMANDS_THAT_READ_SETTINGS = {
    "validate": [],
    "build": [],
    "export": ["--out", "{tmp}/x.nq"],
    "serve": [],
    "publish": ["--to", "http://127.0.0.1:{port}/query", "--gsp", "http://127.0.0.1:{port}/store"],
    "query": ["ASK {}"],
    "diff": [],
    "source": ["list"],
}


def rograph(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ROGRAPH_")}
    return subprocess.run(
        [ROGRAPH, *args], capture_output=True, text=True, timeout=120, cwd=cwd, env={**environment, **(env or {})}
    )


def one_clear_line(done: subprocess.CompletedProcess, code: int, *names: str) -> str:
    """The run ended with ``code`` and said why in one line that names each of ``names``."""
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == code, done.stderr
    assert len(lines) == 1, done.stderr
    for name in names:
        assert name in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def broken_project(tmp_path) -> ProjectCopy:
    """A project whose data file does not parse, never built."""
    project = ProjectCopy(tmp_path / "broken")
    with (project.root / DATA_FILE).open("a", encoding="utf-8") as data:
        data.write("this is not { TriG\n")
    return project


@pytest.mark.parametrize("command", sorted(COMMANDS_THAT_READ_SETTINGS))
def test_a_bad_setting_is_one_line_naming_the_variable(command, tmp_path):
    port = str(free_port())
    args = [a.replace("{tmp}", str(tmp_path)).replace("{port}", port) for a in COMMANDS_THAT_READ_SETTINGS[command]]
    done = rograph(
        command, *args, cwd=PROJECT_DIR, env={"ROGRAPH_PORT": "abc", "ROGRAPH_VAR_DIR": str(tmp_path / "var")}
    )
    one_clear_line(done, EXIT_BAD_INPUT, "ROGRAPH_PORT", "'abc'")


@pytest.mark.parametrize(
    "variable, value",
    [
        ("ROGRAPH_PORT", "abc"),
        ("ROGRAPH_PORT", "70000"),
        ("ROGRAPH_WORKERS", "0"),
        ("ROGRAPH_QUERY_TIMEOUT", "-1"),
        ("ROGRAPH_LOG_LEVEL", "LOUD"),
        ("ROGRAPH_RATE_LIMIT_LOOPBACK", "perhaps"),
        ("ROGRAPH_STORE", "ftp://x"),
    ],
)
def test_settings_refuses_bad_values(variable, value, tmp_path):
    done = rograph("settings", cwd=tmp_path, env={variable: value})
    one_clear_line(done, EXIT_BAD_INPUT, variable, value)


def test_settings_shows_the_values_in_effect_and_where_each_came_from(tmp_path):
    done = rograph(
        "settings", "--host", "0.0.0.0", cwd=tmp_path, env={"ROGRAPH_PORT": "8123", "ROGRAPH_STORE_PASSWORD": "secret"}
    )
    assert done.returncode == 0, done.stderr
    shown = {line.split("=", 1)[0]: line for line in done.stdout.splitlines() if line.startswith("ROGRAPH_")}
    assert shown["ROGRAPH_PORT"].startswith("ROGRAPH_PORT=8123 ") and "(environment)" in shown["ROGRAPH_PORT"]
    assert shown["ROGRAPH_HOST"].startswith("ROGRAPH_HOST=0.0.0.0 ") and "(flag --host)" in shown["ROGRAPH_HOST"]
    assert shown["ROGRAPH_WORKERS"].startswith("ROGRAPH_WORKERS=4 ") and "(default)" in shown["ROGRAPH_WORKERS"]
    # The build folder as it is used: absolute, under the project folder (the working folder).
    assert shown["ROGRAPH_PROJECT_DIR"].startswith("ROGRAPH_PROJECT_DIR=. ")
    assert shown["ROGRAPH_VAR_DIR"].startswith(f"ROGRAPH_VAR_DIR={tmp_path / 'var'} ")
    assert "secret" not in done.stdout
    assert "(environment)" in shown["ROGRAPH_STORE_PASSWORD"]


@pytest.mark.parametrize("command", ["validate", "build", "export", "serve", "query", "source"])
def test_a_missing_project_folder_is_named(command, tmp_path):
    missing = tmp_path / "no-such-project"
    args = {"export": ["--out", str(tmp_path / "x.nq")], "query": ["ASK {}"], "source": ["list"]}.get(command, [])
    done = rograph(command, *args, cwd=tmp_path, env={"ROGRAPH_PROJECT_DIR": str(missing)})
    one_clear_line(done, EXIT_BAD_INPUT, str(missing))


@pytest.mark.parametrize("command", ["build", "export", "serve", "publish", "query"])
def test_broken_sources_with_no_earlier_build_give_file_line_and_column(command, broken_project, tmp_path):
    args = {
        "export": ["--out", str(tmp_path / "x.nq")],
        "query": ["ASK {}"],
        "publish": ["--to", f"http://127.0.0.1:{free_port()}/query", "--gsp", f"http://127.0.0.1:{free_port()}/store"],
    }.get(command, [])
    done = rograph(command, *args, cwd=broken_project.root)
    line = one_clear_line(done, EXIT_BAD_INPUT, DATA_FILE)
    assert f"{DATA_FILE}:" in line and "not" in line


@pytest.fixture(scope="module")
def built_project(tmp_path_factory) -> Path:
    """A copy of the project, built once, that the write-target tests export from."""
    project = ProjectCopy(tmp_path_factory.mktemp("built") / "project")
    done = rograph("build", cwd=project.root)
    assert done.returncode == 0, done.stderr
    return project.root


def test_export_into_a_missing_folder_names_it(built_project, tmp_path):
    target = tmp_path / "missing" / "all.ttl"
    done = rograph("export", "--format", "ttl", "--out", str(target), cwd=built_project)
    one_clear_line(done, EXIT_BAD_INPUT, str(target.parent))
    assert not target.parent.exists()


def test_export_onto_an_unwritable_target_names_it(built_project, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = blocker / "all.ttl"
    done = rograph("export", "--out", str(target), cwd=built_project)
    one_clear_line(done, EXIT_BAD_INPUT, str(target))


def test_a_build_folder_that_cannot_be_made_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    project = ProjectCopy(tmp_path / "project")
    for command, args in (("build", []), ("serve", []), ("query", ["ASK {}"]), ("validate", ["--incremental"])):
        done = rograph(command, *args, cwd=project.root, env={"ROGRAPH_VAR_DIR": str(blocker / "var")})
        one_clear_line(done, EXIT_BAD_INPUT, str(blocker / "var"))


def test_validate_report_into_a_missing_folder_names_it(tmp_path):
    target = tmp_path / "missing" / "report.json"
    done = rograph("validate", "--format", "json", "--output", str(target), cwd=PROJECT_DIR)
    one_clear_line(done, EXIT_BAD_INPUT, str(target.parent))


def test_synth_into_an_unwritable_target_names_it(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = rograph("synth", "--triples", "100", "--out", str(blocker / "synth.trig"), cwd=tmp_path)
    one_clear_line(done, EXIT_BAD_INPUT, str(blocker))


def test_a_usage_error_is_one_line_too(tmp_path):
    done = rograph("export", cwd=tmp_path)
    one_clear_line(done, EXIT_BAD_INPUT, "--out", "rograph export --help")


def test_query_on_an_endpoint_out_of_reach_names_it(tmp_path):
    endpoint = f"http://127.0.0.1:{free_port()}/sparql"
    done = rograph("query", "--endpoint", endpoint, "ASK {}", cwd=tmp_path)
    one_clear_line(done, EXIT_BAD_INPUT, endpoint)


def test_publish_to_a_store_out_of_reach_names_it(built_project):
    endpoint = f"http://127.0.0.1:{free_port()}/query"
    done = rograph("publish", "--to", endpoint, "--gsp", endpoint.replace("/query", "/store"), cwd=built_project)
    one_clear_line(done, EXIT_BAD_INPUT, endpoint)


def test_serve_on_a_port_in_use_names_it(built_project):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = rograph("serve", "--port", str(port), cwd=built_project)
    one_clear_line(done, EXIT_BAD_INPUT, f"127.0.0.1:{port}", "ROGRAPH_PORT")


SOURCE = [
    "--publisher",
    "organisation:valga-city-government",
    "--language",
    "lv",
    "--kind",
    "news-item",
    "--title",
    "T",
    "--label",
    "lv:T",
    "--label",
    "en:T",
]


@pytest.mark.parametrize(
    "change, names",
    [
        ({"ADDRESS|FILE": "ftp://example.org/x"}, ["ftp://example.org/x"]),
        ({"ADDRESS|FILE": "sources/no-such-file.txt"}, ["sources/no-such-file.txt"]),
        ({"--publisher": "organisation:nobody"}, ["--publisher", "organisation/nobody"]),
        ({"--language": "xx"}, ["--language", "'xx'"]),
        ({"--kind": "rumour"}, ["--kind", "'rumour'"]),
        ({"--label": "no-language"}, ["--label", "'no-language'"]),
    ],
    ids=["address", "file", "publisher", "language", "kind", "label"],
)
def test_source_add_refuses_bad_input_and_writes_nothing(change, names, tmp_path):
    project = ProjectCopy(tmp_path / "project").root
    before = sorted(p.name for p in (project / "data").iterdir())
    options = list(SOURCE)
    for option, value in change.items():
        if option in options:
            options[options.index(option) + 1] = value
    address = change.get("ADDRESS|FILE", "https://example.org/a-new-source")
    done = rograph("source", "add", *options, address, cwd=project)
    one_clear_line(done, EXIT_BAD_INPUT, *names)
    assert sorted(p.name for p in (project / "data").iterdir()) == before


def test_diff_of_an_unknown_revision_names_it(tmp_path):
    done = rograph("diff", "no-such-revision", cwd=PROJECT_DIR)
    one_clear_line(done, EXIT_BAD_INPUT, "'no-such-revision'")
