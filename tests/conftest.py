"""Shared test helpers: the project on disk and broken copies of it."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
import requests

PROJECT_DIR = Path(__file__).resolve().parents[1]
DATA_FILE = "data/lv-moc-valga-expert-meeting-2020.trig"
ONTOLOGY_FILE = "ontology/rograph.ttl"
CONCEPTS_FILE = "ontology/concepts.ttl"


class ProjectCopy:
    """A copy of the project's ontology, data, shapes and source texts that a test may break."""

    def __init__(self, root: Path, folders: tuple[str, ...] = ("ontology", "data", "shapes", "sources")):
        self.root = root
        for folder in folders:
            shutil.copytree(PROJECT_DIR / folder, root / folder)

    def replace(self, file: str, old: str, new: str, *, within: str | None = None) -> ProjectCopy:
        """Replace the first ``old`` (inside the block that starts with ``within``, if given).

        Fails when ``old`` is not there, so a fault that no longer applies to the real data
        cannot pass silently.
        """
        path = self.root / file
        text = path.read_text(encoding="utf-8")
        start = 0
        if within is not None:
            start = text.index(within)
        end = text.find("\n\n", start) if within is not None else len(text)
        block = text[start:end]
        assert old in block, f"{old!r} not found in {file}" + (f" within {within!r}" if within else "")
        path.write_text(text[:start] + block.replace(old, new, 1) + text[end:], encoding="utf-8")
        return self

    def add_to_data(self, turtle: str) -> ProjectCopy:
        """Add statements to the source's named graph (before its closing brace)."""
        path = self.root / DATA_FILE
        text = path.read_text(encoding="utf-8")
        closing = text.rindex("}")
        path.write_text(text[:closing] + turtle + "\n}\n", encoding="utf-8")
        return self


@pytest.fixture
def project_copy(tmp_path: Path) -> ProjectCopy:
    return ProjectCopy(tmp_path / "project")


def line_of(path: Path, pattern: str) -> int:
    """1-based line of the first line matching ``pattern`` (a regular expression)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.search(pattern, line):
            return number
    raise AssertionError(f"{pattern!r} not in {path}")


def pytest_addoption(parser):
    parser.addoption(
        "--soak",
        type=float,
        default=15.0,
        metavar="SECONDS",
        help="how long the soak test runs (default 15 s in the suite; e.g. --soak=600 on demand)",
    )


@pytest.fixture
def soak_seconds(request) -> float:
    return request.config.getoption("--soak")


# ------------------------------------------------------------------ a real server on loopback

ROGRAPH = str(Path(sys.executable).parent / "rograph")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A running ``rograph serve``: its base URL, process and log file."""

    url: str
    process: subprocess.Popen
    log: Path
    #: The store behind it: ``embedded``, ``oxigraph`` or ``virtuoso``.
    backend: str = "embedded"

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def start_server(
    tmp_path: Path,
    *,
    data: list[Path] | None = None,
    env: dict[str, str] | None = None,
    args: tuple[str, ...] = (),
    project_dir: Path = PROJECT_DIR,
    workers: int = 2,
) -> Iterator[Server]:
    """Run the real ``rograph serve`` (gunicorn) on a free loopback port until the block ends."""
    port = free_port()
    command = [
        ROGRAPH,
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--var-dir",
        str(tmp_path / "var"),
        "--project-dir",
        str(project_dir),
        *args,
    ]
    for path in data or ():
        command += ["--data", str(path)]
    environment = {**os.environ, "ROGRAPH_LOG_LEVEL": "INFO", **(env or {})}
    with run_server(command, port, tmp_path / f"server-{port}.log", env=environment) as server:
        yield server


@contextmanager
def run_server(
    command: list[str], port: int, log: Path, *, env: dict[str, str], cwd: Path | None = None
) -> Iterator[Server]:
    """Run ``command`` (a ``rograph serve`` that listens on ``port``) until the block ends,
    once its ``/health`` answers."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"rograph serve exited with {process.returncode}:\n{server.log_text()}")
            try:
                if requests.get(server.url + "/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("rograph serve did not answer /health within 60 s:\n" + server.log_text())
            time.sleep(0.1)
        yield server
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children...)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, of in parents.items() if of == parent]
        found += children
        frontier += children
    return found


def process_name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/comm") as comm:
            return comm.read().strip()
    except OSError:
        return ""


def executor_pids(server: Server) -> set[int]:
    """The query executors of a running ``rograph serve``."""
    return {pid for pid in descendants(server.process.pid) if process_name(pid) == "rograph-exec"}


def wait_for_executors(
    server: Server, count: int, *, other_than: set[int] = frozenset(), seconds: float = 10
) -> set[int]:
    """The executors, once ``count`` of them run and none is in ``other_than``."""
    deadline = time.monotonic() + seconds
    while True:
        pids = executor_pids(server)
        if (len(pids) == count and not pids & other_than) or time.monotonic() > deadline:
            return pids
        time.sleep(0.05)


def wait_for_replacement(server: Server, previous: set[int], *, seconds: float = 10) -> set[int]:
    """The executors, once as many run as in ``previous`` and they are not the same set: after
    one executor was killed, whichever it was (the broker may give the next query to any idle
    executor, a fresh replacement included)."""
    deadline = time.monotonic() + seconds
    while True:
        pids = executor_pids(server)
        if (len(pids) == len(previous) and pids != previous) or time.monotonic() > deadline:
            return pids
        time.sleep(0.05)


OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")


@dataclass
class StoreServer:
    """A real SPARQL store (started by a test) on free loopback ports, and its endpoints."""

    url: str
    process: subprocess.Popen
    QUERY_PATH: ClassVar[str]
    UPDATE_PATH: ClassVar[str]

    @property
    def query(self) -> str:
        return self.url + self.QUERY_PATH

    @property
    def update(self) -> str:
        return self.url + self.UPDATE_PATH

    def wait_until_answering(self, what: str, log: Path, seconds: float, pause: float) -> None:
        """Return once the store answers ``ASK {}``; fail with its ``log`` if it has not within
        ``seconds``, or has exited."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                if requests.get(self.query, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{what} did not start:\n" + log.read_text(errors="replace"))
            time.sleep(pause)


class OxigraphServer(StoreServer):
    """A real ``oxigraph serve`` (the pip package ``oxigraph``) on a free loopback port."""

    QUERY_PATH, UPDATE_PATH = "/query", "/update"

    @property
    def store(self) -> str:
        return self.url + "/store"


@contextmanager
def start_oxigraph(
    folder: Path, *, union_default_graph: bool = True, port: int | None = None, timeout_s: int | None = None
) -> Iterator[OxigraphServer]:
    port = port or free_port()
    command = [OXIGRAPH, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    if timeout_s:
        command += ["--timeout-s", str(timeout_s)]
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "oxigraph.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = OxigraphServer(f"http://127.0.0.1:{port}", process)
    try:
        server.wait_until_answering("oxigraph serve", folder / "oxigraph.log", seconds=30, pause=0.05)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)


def run_publish(
    to: str, var: Path, *args: str, project_dir: Path = PROJECT_DIR, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the real ``rograph publish --to <to>`` of the build in ``var``, with ``args`` (how to write)."""
    command = [ROGRAPH, "publish", "--to", to, "--var-dir", str(var), "--project-dir", str(project_dir), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)


def publish(
    oxigraph: OxigraphServer, var: Path, *args: str, project_dir: Path = PROJECT_DIR
) -> subprocess.CompletedProcess:
    """Run the real ``rograph publish`` into ``oxigraph`` by its Graph Store Protocol endpoint."""
    return run_publish(oxigraph.query, var, "--gsp", oxigraph.store, *args, project_dir=project_dir)


VIRTUOSO = shutil.which("virtuoso-t") or "/usr/bin/virtuoso-t"
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


class VirtuosoServer(StoreServer):
    """A throw-away OpenLink Virtuoso (Debian's ``virtuoso-opensource``) on free loopback ports.
    Its SPARQL endpoint takes queries and, from the anonymous user, updates."""

    QUERY_PATH = UPDATE_PATH = "/sparql"


def require_virtuoso() -> None:
    """Skip a test that needs Virtuoso where it is not installed, unless told it must run
    (``ROGRAPH_REQUIRE_VIRTUOSO=1``, as .ci/run sets after installing it)."""
    if not Path(VIRTUOSO).exists():
        message = "Virtuoso is not installed: apt-get install virtuoso-opensource"
        if os.environ.get("ROGRAPH_REQUIRE_VIRTUOSO"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def start_virtuoso(folder: Path) -> Iterator[VirtuosoServer]:
    """Debian's default virtuoso.ini with the database in ``folder`` and free ports."""
    require_virtuoso()
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = VIRTUOSO_INI.read_text(encoding="utf-8").replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    ini = re.sub(r"(?m)^ServerPort\s*=\s*1111", f"ServerPort = {sql_port}", ini)
    ini = re.sub(r"(?m)^ServerPort\s*=\s*8890", f"ServerPort = {http_port}", ini)
    (folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
    with (folder / "virtuoso.out").open("wb") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "-f", "-c", str(folder / "virtuoso.ini")],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = VirtuosoServer(f"http://127.0.0.1:{http_port}", process)
    try:
        server.wait_until_answering("virtuoso", folder / "virtuoso.out", seconds=120, pause=0.2)
        granted = subprocess.run(
            ["isql-vt", str(sql_port), "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert granted.returncode == 0, granted.stdout + granted.stderr
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def start_remote_store(
    backend: str, folder: Path, *, timeout_s: int | None = None
) -> Iterator[OxigraphServer | VirtuosoServer]:
    """A real remote store of kind ``backend`` (``oxigraph`` or ``virtuoso``); ``timeout_s``
    (Oxigraph only) makes the store stop its own queries after that many seconds."""
    if timeout_s and backend != "oxigraph":
        raise ValueError(f"a store time limit is set only on an Oxigraph server, not on {backend}")
    with start_oxigraph(folder, timeout_s=timeout_s) if backend == "oxigraph" else start_virtuoso(folder) as store:
        yield store


def publish_to(store: OxigraphServer | VirtuosoServer, var: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real ``rograph publish`` into ``store``: by the Graph Store Protocol where it has
    one rograph can use without credentials (Oxigraph), else by SPARQL Update (Virtuoso)."""
    if isinstance(store, OxigraphServer):
        return publish(store, var, *args)
    return run_publish(store.query, var, "--update", store.update, *args)


@contextmanager
def start_backed_server(
    backend: str,
    folder: Path,
    *,
    data: list[Path] | None = None,
    args: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    store_timeout_s: int | None = None,
) -> Iterator[Server]:
    """``rograph serve`` on the embedded store, or on a real remote store (Oxigraph server,
    Virtuoso) it published to; ``env`` is added to the service's environment, and an Oxigraph
    store stops its own queries after ``store_timeout_s``, if given."""
    if backend == "embedded":
        with start_server(folder, data=data, args=args, env=env) as server:
            yield server
        return
    with start_remote_store(backend, folder / backend, timeout_s=store_timeout_s) as store:
        extra = [arg for path in data or () for arg in ("--data", str(path))] + [
            a for a in args if a == "--no-validate"
        ]
        done = publish_to(store, folder / "var", *extra)
        assert done.returncode == 0, done.stdout + done.stderr
        with start_server(folder, data=data, args=args, env={**(env or {}), "ROGRAPH_STORE": store.query}) as server:
            server.backend = backend
            yield server


#: Where the served data lives: in rograph's process, or in a remote store of each kind.
BACKENDS = ["embedded", "oxigraph", "virtuoso"]

#: Virtuoso's known deviations, asserted as such where they show (docs/remote-store.md):
#: * it keeps xsd:boolean values as integers: ``true`` comes back as ``1``;
#: * its syntax errors give a line but no column;
#: * it holds graphs of its own (``virtrdf:`` and others), which ``GRAPH ?g`` and the default
#:   graph show beside the project's;
#: * a protocol ``default-graph-uri`` is added to a query's ``FROM`` rather than replacing it.
OUR_GRAPHS = 'FILTER(STRSTARTS(STR(?g), "https://w3id.org/rograph/graph/"))'


def syntax_error_position(server: Server, line: int, column: int) -> str:
    """How a syntax error's position reads on ``server``'s back end."""
    return f"at line {line}" if server.backend == "virtuoso" else f"at line {line}, column {column}"


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request, tmp_path_factory) -> Iterator[Server]:
    """The project's own data, served once per session on each back end."""
    with start_backed_server(request.param, tmp_path_factory.mktemp(f"live-{request.param}")) as server:
        yield server


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session", params=BACKENDS)
def protocol_server(request, tmp_path_factory) -> Iterator[Server]:
    """Three named graphs and awkward literals (tests/fixtures/protocol), served unvalidated,
    on each back end."""
    with start_backed_server(
        request.param,
        tmp_path_factory.mktemp(f"protocol-{request.param}"),
        data=[FIXTURES / "protocol" / "dataset.trig"],
        args=("--no-validate",),
    ) as server:
        yield server


@pytest.fixture
def listener():
    """A TCP listener on loopback that records every connection it accepts."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list = []
    stop = threading.Event()

    def accept():
        while not stop.is_set():
            try:
                connection, _ = server.accept()
                accepted.append(connection.recv(1024))
                connection.close()
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


# ------------------------------------------------------------------ the layers of the suite
#
# unit        pure code: sansio, validation, store logic (no marker)
# app         the Flask app in this process through app.test_client(), on the executor pool
#             rograph serve forks (no TCP port, no server, no subprocess)
# live        a real server on a loopback port (rograph serve, Oxigraph, Virtuoso), the rograph
#             command in a subprocess, real HTTP clients, or headless Chromium
#
# The markers are given here, from what a test uses, so that a new test lands in its layer
# without anyone remembering to mark it: `pytest -m "not live"` is the inner loop.

#: Names whose use makes a test live: the helpers above that start servers and commands, and the
#: modules that open processes, connections and browsers.
LIVE_NAMES = frozenset(
    {
        "start_server",
        "start_backed_server",
        "start_oxigraph",
        "start_virtuoso",
        "start_remote_store",
        "publish",
        "publish_to",
        "ROGRAPH",
        "OXIGRAPH",
        "VIRTUOSO",
        "subprocess",
        "requests",
        "socket",
        "http",
        "urlopen",
        "SPARQLWrapper",
        "sync_playwright",
    }
)
#: Fixtures that give a test the in-process app.
APP_FIXTURES = frozenset({"app", "client"})
_TESTS_DIR = str(Path(__file__).parent)


def _reaches_live(code: types.CodeType, namespace: dict, seen: set[types.CodeType]) -> bool:
    """Whether ``code``, or a function of the tests it calls, uses one of :data:`LIVE_NAMES`."""
    if code in seen:
        return False
    seen.add(code)
    for name in code.co_names:
        if name in LIVE_NAMES:
            return True
        called = namespace.get(name)
        if isinstance(called, types.FunctionType) and called.__code__.co_filename.startswith(_TESTS_DIR):
            if _reaches_live(called.__code__, called.__globals__, seen):
                return True
    return any(isinstance(const, types.CodeType) and _reaches_live(const, namespace, seen) for const in code.co_consts)


def _is_live(item: pytest.Function) -> bool:
    if item.get_closest_marker("browser"):
        return True
    seen: set[types.CodeType] = set()
    functions = [item.function]
    for name in item.fixturenames:
        for fixturedef in item._fixtureinfo.name2fixturedefs.get(name, ()):
            functions.append(fixturedef.func)
    return any(
        isinstance(function, types.FunctionType)
        and function.__code__.co_filename.startswith(_TESTS_DIR)
        and _reaches_live(function.__code__, function.__globals__, seen)
        for function in functions
    )


#: How a module that holds only live tests says so (the analysis above would mark each of them).
_DECLARED_LIVE = re.compile(r"^pytestmark = \[?pytest\.mark\.live\b", re.MULTILINE)


def _excludes_live(markexpr: str) -> bool:
    """Whether ``-m markexpr`` can select no live test: ``not live``, alone or as the first term
    of a conjunction (``not live and not app``); anything else may, and is not guessed at."""
    words = markexpr.split()
    return (
        words[:2] == ["not", "live"]
        and (len(words) == 2 or words[2] == "and")
        and not {"or", "("} & set(markexpr.replace("(", " ( ").split())
    )


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The inner loop (``-m "not live"``) and the unit layer leave out the modules declared live
    without importing them: importing a module costs pytest's rewriting of its asserts, which,
    where Python writes no bytecode cache (``PYTHONDONTWRITEBYTECODE``), is redone on every run
    and was half the loop's collection. Other expressions collect every module."""
    if not _excludes_live(config.option.markexpr) or collection_path.suffix != ".py":
        return None
    if not collection_path.name.startswith("test_"):
        return None
    return True if _DECLARED_LIVE.search(collection_path.read_text(encoding="utf-8")) else None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not isinstance(item, pytest.Function):
            continue
        if _is_live(item):
            item.add_marker(pytest.mark.live)
        elif APP_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.app)


# A test the analysis above misses still cannot pass unnoticed in the fast layers: starting a
# program or opening a TCP connection from a test that is not marked live fails it.
_running_unmarked: list[pytest.Item] = []
_escapes: list[str] = []


def _audit(event: str, args: tuple) -> None:
    if not _running_unmarked or os.getpid() != _PYTEST_PID:
        return
    if event in ("subprocess.Popen", "os.posix_spawn", "os.exec"):
        _escapes.append(f"{event} {args[0]!r}")
    elif event in ("socket.connect", "socket.bind") and args[0].family in (socket.AF_INET, socket.AF_INET6):
        _escapes.append(f"{event} {args[1]!r}")


_PYTEST_PID = os.getpid()
sys.addaudithook(_audit)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    unmarked = item.get_closest_marker("live") is None
    if unmarked:
        _running_unmarked.append(item)
        _escapes.clear()
    try:
        result = yield
    finally:
        if unmarked:
            _running_unmarked.clear()
    if unmarked and _escapes:
        pytest.fail(
            f"{item.nodeid} is not marked live but did {_escapes[0]}: use the helpers in conftest.py "
            "(which mark it) or mark it @pytest.mark.live",
            pytrace=False,
        )
    return result


# ------------------------------------------------------------------ the app, in process


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The Flask app as ``rograph serve`` builds it (the project's build, validated; the executor
    pool forked from this process), without a server: tests call it through ``app.test_client()``."""
    from rograph.config import Settings
    from rograph.executor import PoolStore, start_pool
    from rograph.sources import discover
    from rograph.store.build import ensure_build
    from rograph.web import create_app

    settings = Settings.from_env({}, project_dir=PROJECT_DIR, var_dir=tmp_path_factory.mktemp("app-var"), workers=1)
    # The data's validation is the unit layer's (test_model_conforms); the build is the same.
    build = ensure_build(discover(settings.project_dir), settings.var_dir, validate=False)
    pool = start_pool(settings, build, executors=1)
    try:
        store = PoolStore.for_settings(build, pool.socket_path, settings)
        yield create_app(settings, store)
    finally:
        pool.stop()


@pytest.fixture
def client(app):
    """A test client of :func:`app` (Flask's, no socket)."""
    return app.test_client()
