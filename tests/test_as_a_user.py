"""The product as a user meets it: the README's commands with default settings and default
folders, started from the project folder (and once from another folder, with the project given
by ``--project-dir``), then every link of the site followed by a link checker.

Twice: on the editable install the suite runs in, and on the wheel installed into a fresh
virtual environment: the one ``ROGRAPH_WHEEL_VENV`` names (``.ci/run`` makes it with
``scripts/install-wheel.sh``; a relative path is read against the folder pytest started in),
or, when it is not set, one this module makes with that script. Never skipped. Both back ends:
the embedded store and a real Oxigraph server.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from conftest import PROJECT_DIR, ROGRAPH, ProjectCopy, Server, free_port, run_server, start_oxigraph
from linkcheck import LANGUAGES, NO_SUCH_ID, SITE_PAGES, Crawl, Finding, LinkChecker

#: A crawl of the site in three languages is ~5,400 requests (measured with the seven sources:
#: 5,381 in 264 s on the shared 2-core machine under load); the others crawl one language.
pytestmark = [pytest.mark.live, pytest.mark.timeout(1500)]

#: What a fresh clone holds that rograph reads (sources/: the texts evidence is checked against).
PROJECT_FOLDERS = tuple(f for f in ("ontology", "data", "shapes", "queries", "sources") if (PROJECT_DIR / f).is_dir())


@pytest.fixture(scope="session")
def wheel_venv(tmp_path_factory) -> Path:
    """The fresh virtual environment the wheel is installed into, as an absolute path: the
    servers and commands run from other folders."""
    given = os.environ.get("ROGRAPH_WHEEL_VENV")
    if given:
        venv = Path(given).absolute()
        assert (venv / "bin" / "rograph").is_file(), (
            f"ROGRAPH_WHEEL_VENV={given!r}: no installed rograph at {venv}/bin/rograph"
        )
        return venv
    folder = tmp_path_factory.mktemp("wheel")
    made = subprocess.run(
        ["bash", str(PROJECT_DIR / "scripts" / "install-wheel.sh"), str(folder)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    return folder / "venv"


def rograph_of(install: str, request) -> str:
    return ROGRAPH if install == "editable" else str(request.getfixturevalue("wheel_venv") / "bin" / "rograph")


def user_environment(**settings: str) -> dict[str, str]:
    """The environment of a user who set nothing of rograph's (but the port, on a shared machine)."""
    return {**{k: v for k, v in os.environ.items() if not k.startswith("ROGRAPH_")}, **settings}


@contextmanager
def served_as_a_user(rograph: str, backend: str, folder: Path, *, elsewhere: bool = False) -> Iterator[Server]:
    """``rograph serve`` as the README says, on a copy of the project that nothing was built in:
    from the project folder, or from another one with ``--project-dir``. On the Oxigraph back
    end, ``rograph publish`` first, then ``ROGRAPH_STORE=… rograph serve`` (docs/remote-store.md)."""
    project = ProjectCopy(folder / "rograph", folders=PROJECT_FOLDERS).root
    cwd, args = (folder / "elsewhere", ["--project-dir", str(project)]) if elsewhere else (project, [])
    cwd.mkdir(exist_ok=True)
    port = free_port()
    environment = user_environment(ROGRAPH_PORT=str(port))
    if backend == "embedded":
        with run_server([rograph, "serve", *args], port, folder / "server.log", env=environment, cwd=cwd) as server:
            yield server
        return
    with start_oxigraph(folder / "oxigraph") as oxigraph:
        done = subprocess.run(
            [rograph, "publish", "--to", oxigraph.query, "--gsp", oxigraph.store, *args],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=cwd,
            env=environment,
        )
        assert done.returncode == 0, done.stderr
        with run_server(
            [rograph, "serve", *args],
            port,
            folder / "server.log",
            cwd=cwd,
            env={**environment, "ROGRAPH_STORE": oxigraph.query},
        ) as server:
            yield server


#: (install, back end, started from, the UI languages crawled). Each install is started once
#: from the project folder and once from another folder with --project-dir; every language is
#: crawled on the main pair, one on the others (whose pages differ from it only in where they
#: come from; the links into other languages are counted there, not fetched: linkcheck.py).
SITES = [
    ("editable", "embedded", "project folder", LANGUAGES),
    ("editable", "oxigraph", "another folder", ("en",)),
    ("wheel", "embedded", "another folder", ("lv",)),
    ("wheel", "oxigraph", "project folder", ("et",)),
]


@pytest.fixture(scope="module", params=SITES, ids=["-".join(site[:3]).replace(" ", "-") for site in SITES])
def site(request, tmp_path_factory) -> Iterator[tuple[Server, tuple[str, ...]]]:
    install, backend, where, languages = request.param
    with served_as_a_user(
        rograph_of(install, request),
        backend,
        tmp_path_factory.mktemp(f"user-{install}-{backend}"),
        elsewhere=where == "another folder",
    ) as server:
        yield server, languages


@pytest.fixture(scope="module")
def crawl(site) -> Crawl:
    server, languages = site
    return LinkChecker(server.url, languages=languages).run()


def on_a_data_document(finding: Finding) -> bool:
    """A fragment of an entity's hash IRI (``/programme/x#period``, minted by model 0.2.0) that
    the entity's page has no element for."""
    return finding.problem == NO_SUCH_ID and urlsplit(finding.url).path.strip("/").split("/")[0] not in SITE_PAGES


def test_every_link_answers_with_a_body_that_parses_as_its_media_type(crawl):
    findings = [f for f in crawl.findings if not on_a_data_document(f)]
    assert not findings, f"{len(findings)} broken of {crawl.fetched}:\n" + "\n".join(map(str, findings[:40]))
    # The crawl reached every kind of document the site serves.
    for media_type in (
        "text/html",
        "text/css",
        "text/javascript",
        "text/turtle",
        "application/ld+json",
        "application/n-quads",
        "application/trig",
        "application/rdf+xml",
        "application/n-triples",
        "application/gzip",
        "application/sparql-results+json",
        "text/csv",
    ):
        assert crawl.media_types.get(media_type), (media_type, crawl.media_types)


def test_the_hash_iris_of_the_data_have_an_anchor_on_their_page(crawl):
    findings = [f for f in crawl.findings if on_a_data_document(f)]
    assert not findings, "\n".join(map(str, findings[:20]))


def test_every_dump_on_the_home_page_downloads_with_its_checksum(site):
    server = site[0]
    home = requests.get(server.url + "/", timeout=30)
    names = sorted(set(part.split('"')[0] for part in home.text.split('href="/dumps/')[1:]))
    assert len(names) == 8, home.text
    for name in names:
        dump = requests.get(f"{server.url}/dumps/{name}", timeout=60)
        assert dump.status_code == 200, (name, dump.status_code, dump.text[:300])
        assert hashlib.sha256(dump.content).hexdigest()[:16] in home.text, name


def test_the_project_folder_gives_the_example_queries(site):
    home = requests.get(site[0].url + "/", timeout=30)
    assert home.text.count("/query?example=") == len(list((PROJECT_DIR / "queries").glob("*.rq")))


def test_the_wheel_ships_every_file_of_the_package(wheel_venv):
    venv = wheel_venv
    located = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import rograph, pathlib; print(pathlib.Path(rograph.__file__).parent)"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
    )
    installed = Path(located.stdout.strip())
    assert installed.is_dir() and PROJECT_DIR / "src" not in installed.parents, located  # not the source tree
    source = PROJECT_DIR / "src" / "rograph"
    files = {p.relative_to(source) for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    missing = sorted(str(p) for p in files if not (installed / p).is_file())
    assert not missing, f"the wheel lacks {missing}"


def test_the_project_folder_is_where_the_sources_are_read_from(tmp_path, request):
    """Without a project, an installed rograph says where it looked and how to give one."""
    done = subprocess.run(
        [rograph_of("wheel", request), "build"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=user_environment(),
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert str(tmp_path) in done.stderr and "--project-dir" in done.stderr, done.stderr
