"""The service holds against abuse and faults: rate limits, size limits, no outbound
connections, no administrative surface, text that stays text, workers killed, builds cut short,
a remote store answering garbage."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from conftest import DATA_FILE, ProjectCopy, descendants, executor_pids, process_name, start_server, wait_for_executors

pytestmark = pytest.mark.live

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?m a rg:ExpertMeeting }"


def test_rate_limit_answers_429_with_retry_after(tmp_path):
    env = {"ROGRAPH_RATE_LIMIT": "6/minute", "ROGRAPH_RATE_LIMIT_LOOPBACK": "true"}
    with start_server(tmp_path, env=env, workers=1) as server:
        statuses = [requests.get(server.sparql, params={"query": COUNT}, timeout=30) for _ in range(8)]
        assert [r.status_code for r in statuses[:6]] == [200] * 6
        limited = statuses[6]
        assert limited.status_code == 429
        assert 0 < int(limited.headers["Retry-After"]) <= 60
        assert "Too many requests" in limited.text and "Traceback" not in limited.text
        assert requests.get(server.url + "/place/valga", timeout=30).status_code == 429  # pages count too
        assert requests.get(server.url + "/health", timeout=30).status_code == 200  # never limited


def test_loopback_clients_are_not_limited_by_default(tmp_path):
    with start_server(tmp_path, env={"ROGRAPH_RATE_LIMIT": "3/minute"}, workers=1) as server:
        assert {requests.get(server.sparql, params={"query": COUNT}, timeout=30).status_code for _ in range(10)} == {
            200
        }


def test_request_size_limits_give_413_414_431_not_a_crash(live_server):
    body = "query=" + "SELECT * WHERE { ?s ?p ?o } #" + "x" * (2 * 1024 * 1024)
    too_big = requests.post(
        live_server.sparql, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=30
    )
    assert too_big.status_code == 413
    too_long = requests.get(
        live_server.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } #" + "x" * 20000}, timeout=30
    )
    assert too_long.status_code == 414
    too_many_headers = requests.get(live_server.sparql, headers={"X-Padding": "y" * 10000}, timeout=30)
    assert too_many_headers.status_code == 431
    assert requests.get(
        live_server.sparql, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30
    ).text.split() == ["n", "1"]


def test_nothing_makes_the_server_connect_anywhere(live_server, listener):
    port, accepted = listener
    target = f"http://127.0.0.1:{port}/"
    requests_to_make = [
        ("get", "/sparql", {"query": f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}"}),
        ("get", "/sparql", {"query": f"SELECT * FROM NAMED <{target}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"}),
        (
            "get",
            "/sparql",
            {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": target, "named-graph-uri": target},
        ),
        ("get", "/sparql", {"query": f"DESCRIBE <{target}>"}),
        ("get", "/sparql", {"query": f'SELECT * WHERE {{ BIND(IRI("{target}") AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}'}),
        ("get", "/sparql", {"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"}),
        ("get", "/query", {"query": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"}),
        ("get", "/query", {"query": f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}"}),
        ("get", "/browse", {"class": target}),
        ("get", f"/{target}", {}),
        ("get", "/place/valga", {"lang": target}),
    ]
    for method, path, params in requests_to_make:
        response = getattr(requests, method)(
            live_server.url + path, params=params, headers={"Referer": target}, timeout=30, allow_redirects=False
        )
        assert response.status_code < 500, (path, params, response.status_code)
    time.sleep(0.5)
    assert accepted == []


def test_no_route_changes_anything(live_server):
    before = requests.get(
        live_server.sparql,
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
        timeout=30,
    ).text
    update = "INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    assert requests.post(live_server.sparql, data={"update": update}, timeout=30).status_code == 403
    assert (
        requests.post(
            live_server.sparql, data=update, headers={"Content-Type": "application/sparql-update"}, timeout=30
        ).status_code
        == 403
    )
    for method in ("put", "delete", "patch", "post"):
        for path in ("/place/valga", "/dumps/dataset.nq", "/", "/ontology", "/admin", "/reload", "/rebuild"):
            response = getattr(requests, method)(live_server.url + path, data=b"x", timeout=30)
            assert response.status_code in (404, 405), (method, path, response.status_code)
    after = requests.get(
        live_server.sparql,
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
        timeout=30,
    ).text
    assert before == after


def test_control_characters_and_right_to_left_text_stay_text(tmp_path):
    project = ProjectCopy(tmp_path / "project")
    hostile = 'Valga \\u202Eevil\\u202C \\u0007 <img src=x onerror=alert(1)> \\"quoted\\" \' & </td></tr>'
    project.replace(DATA_FILE, '"Valga Rural Municipality Government"@en', f'"{hostile}"@en')
    with start_server(tmp_path, project_dir=project.root) as server:
        for path in (
            "/organisation/valga-city-government",
            "/meeting/valga-expert-meeting-2020-02-06",
            "/browse?class=https%3A%2F%2Fw3id.org%2Frograph%2Fontology%23Municipality",
            "/query?query=SELECT+%3Fl+WHERE+%7B+%3Fx+rdfs%3Alabel+%3Fl+%7D",
        ):
            page = requests.get(server.url + path, headers={"Accept-Language": "en"}, timeout=30)
            assert page.status_code == 200
            assert "<img src=x" not in page.text and "</td></tr>'" not in page.text, path
            assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
            assert page.headers["Referrer-Policy"] == "same-origin"
        query = "SELECT ?l WHERE { <https://w3id.org/rograph/organisation/valga-city-government> rdfs:label ?l FILTER(lang(?l) = 'en') }"
        json_answer = requests.get(
            server.sparql, params={"query": query}, headers={"Accept": "application/sparql-results+json"}, timeout=30
        ).json()
        assert (
            json_answer["results"]["bindings"][0]["l"]["value"]
            == 'Valga \u202eevil\u202c \u0007 <img src=x onerror=alert(1)> "quoted" \' & </td></tr>'
        )


def _cpu_ticks(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def test_an_executor_killed_mid_query_fails_only_that_query_and_is_replaced(tmp_path):
    with start_server(tmp_path, workers=2, args=("--query-timeout", "60")) as server:
        before = wait_for_executors(server, 2)
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        outcome = {}

        def run_slow():
            try:
                outcome["status"] = requests.get(server.sparql, params={"query": slow}, timeout=60).status_code
            except requests.RequestException as error:
                outcome["error"] = error

        thread = threading.Thread(target=run_slow)
        thread.start()
        time.sleep(1.0)
        busy = max(executor_pids(server), key=_cpu_ticks)
        os.kill(busy, signal.SIGKILL)
        thread.join(timeout=30)
        assert "error" in outcome or outcome.get("status", 200) >= 500
        for _ in range(10):
            assert requests.get(
                server.sparql, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30
            ).text.split() == ["n", "1"]
        after = wait_for_executors(server, 2, other_than={busy})
        assert len(after) == 2 and busy not in after and len(before & after) == 1


def test_an_http_worker_killed_mid_query_frees_its_executor(tmp_path):
    with start_server(tmp_path, workers=2, args=("--query-timeout", "60")) as server:
        before = wait_for_executors(server, 2)
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

        def run_slow():
            try:
                requests.get(server.sparql, params={"query": slow}, timeout=60)
            except requests.RequestException:
                pass  # its worker is killed: no answer is expected

        thread = threading.Thread(target=run_slow, daemon=True)
        thread.start()
        time.sleep(1.0)
        workers = [
            pid
            for pid in descendants(server.process.pid)
            if process_name(pid) not in ("rograph-exec", "rograph-broker")
        ]
        busy_executor = max(executor_pids(server), key=_cpu_ticks)
        for pid in workers:  # whichever worker holds the request
            os.kill(pid, signal.SIGKILL)
        # The executor's answer has nowhere to go: the broker stops it at once, not at the deadline.
        after = wait_for_executors(server, 2, other_than={busy_executor})
        assert busy_executor not in after and len(after) == 2 and len(before & after) == 1
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                if requests.get(
                    server.sparql, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=5
                ).text.split() == ["n", "1"]:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        assert requests.get(
            server.sparql, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30
        ).text.split() == ["n", "1"]


def test_server_killed_during_a_rebuild_restarts_on_the_last_good_build(tmp_path):
    project = ProjectCopy(tmp_path / "project")
    with start_server(tmp_path, project_dir=project.root) as server:
        first = requests.get(server.url + "/health", timeout=30).json()["version"]
    big = tmp_path / "big.nq"
    subprocess.run(
        [sys.executable, "-m", "rograph", "synth", "--triples", "300000", "--out", str(big)],
        check=True,
        capture_output=True,
    )
    command = [
        str(__import__("pathlib").Path(sys.executable).parent / "rograph"),
        "serve",
        "--data",
        str(big),
        "--no-validate",
        "--var-dir",
        str(tmp_path / "var"),
        "--project-dir",
        str(project.root),
        "--port",
        "1",
    ]
    building = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.5)
    assert building.poll() is None, "the build finished before it could be interrupted"
    os.killpg(building.pid, signal.SIGKILL)
    building.wait()
    with start_server(tmp_path, project_dir=project.root) as server:
        assert requests.get(server.url + "/health", timeout=30).json()["version"] == first
        assert requests.get(
            server.sparql, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30
        ).text.split() == ["n", "1"]


def test_a_corrupted_data_file_never_replaces_the_served_data(tmp_path):
    project = ProjectCopy(tmp_path / "project")
    with start_server(tmp_path, project_dir=project.root) as server:
        first = requests.get(server.url + "/health", timeout=30).json()["version"]
    path = project.root / DATA_FILE
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2] + b"\x00\xff garbage")
    with start_server(tmp_path, project_dir=project.root) as server:
        assert requests.get(server.url + "/health", timeout=30).json()["version"] == first
        assert requests.get(
            server.sparql, params={"query": COUNT}, headers={"Accept": "text/csv"}, timeout=30
        ).text.split() == ["n", "1"]
        assert "cannot read the sources" in server.log_text()


class _FlakyStore(http.server.ThreadingHTTPServer):
    """A loopback proxy in front of a real SPARQL endpoint that can turn slow or answer garbage."""

    def __init__(self, target: str):
        self.target, self.mode = target, "forward"

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(handler):
                handler._answer(None)

            def do_POST(handler):
                handler._answer(handler.rfile.read(int(handler.headers.get("Content-Length", 0))))

            def _answer(handler, body):
                if self.mode == "slow":
                    time.sleep(5)
                if self.mode == "many headers":
                    # What Virtuoso does with a large dataset: one X-SPARQL-default-graph
                    # header per default-graph-uri it was sent.
                    handler.send_response(200)
                    for n in range(150):
                        handler.send_header("X-SPARQL-default-graph", f"https://w3id.org/rograph/graph/g{n}")
                    handler.send_header("Content-Type", "application/sparql-results+json")
                    handler.end_headers()
                    handler.wfile.write(b'{"head": {"vars": ["n"]}, "results": {"bindings": []}}')
                    return
                if self.mode == "garbage":
                    handler.send_response(200)
                    handler.send_header("Content-Type", "application/sparql-results+json")
                    handler.end_headers()
                    handler.wfile.write(b"<html>this is not { json")
                    return
                headers = {
                    k: v for k, v in handler.headers.items() if k.lower() in ("content-type", "accept", "authorization")
                }
                forwarded = requests.request(
                    handler.command,
                    self.target + handler.path.partition("?")[1] + handler.path.partition("?")[2],
                    data=body,
                    headers=headers,
                    timeout=30,
                )
                handler.send_response(forwarded.status_code)
                handler.send_header("Content-Type", forwarded.headers.get("Content-Type", "text/plain"))
                handler.end_headers()
                handler.wfile.write(forwarded.content)

        super().__init__(("127.0.0.1", 0), Handler)


def test_a_remote_store_that_is_slow_or_answers_garbage_gives_504_or_502_and_recovers(tmp_path):
    from conftest import publish, start_oxigraph

    with start_oxigraph(tmp_path / "store") as oxigraph:
        assert publish(oxigraph, tmp_path / "var").returncode == 0
        flaky = _FlakyStore(oxigraph.query)
        threading.Thread(target=flaky.serve_forever, daemon=True).start()
        try:
            env = {"ROGRAPH_STORE": f"http://127.0.0.1:{flaky.server_address[1]}/query"}
            with start_server(tmp_path, env=env, args=("--query-timeout", "3")) as server:

                def ask(n: int) -> requests.Response:  # a new query each time: no answer from the cache
                    return requests.get(
                        server.sparql,
                        params={"query": COUNT + f" LIMIT {n}"},
                        headers={"Accept": "text/csv"},
                        timeout=30,
                    )

                assert ask(1).text.split() == ["n", "1"]
                flaky.mode = "garbage"
                broken = ask(2)
                assert broken.status_code == 502 and "not SPARQL results" in broken.text
                page = requests.get(server.url + "/place/valka", headers={"Accept": "text/html"}, timeout=30)
                assert page.status_code == 502 and "Traceback" not in page.text
                flaky.mode = "many headers"
                crowded = ask(6)
                assert crowded.status_code == 502 and "headers" in crowded.text and "Traceback" not in crowded.text
                flaky.mode = "slow"
                slow = ask(3)
                assert slow.status_code == 504 and "did not answer within" in slow.text
                flaky.mode = "forward"
                assert ask(4).status_code == 200 and ask(5).text.split() == ["n", "1"]
        finally:
            flaky.shutdown()
