"""No query makes the server connect anywhere, whatever spelling of SERVICE it uses.

Hypothesis writes federated queries in the spellings the SPARQL grammar allows: keyword case,
SILENT, full IRIs (with \\u escapes), BASE-relative IRIs, empty and other prefixes with escaped
local names, variables bound by BIND or VALUES, comments (ended by a line feed or a carriage
return) and odd whitespace between tokens,
nested groups, OPTIONAL, UNION, MINUS, GRAPH, FILTER EXISTS and subqueries. Each query is sent
to the real server; a loopback listener must never be contacted. The same queries run on an
unprotected pyoxigraph store in this process do contact a second listener: the generated
queries really are federated, so the test cannot pass by generating harmless text.
"""

from __future__ import annotations

import socket
import threading
import time

import pyoxigraph as ox
import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import start_server

pytestmark = pytest.mark.live

EMBEDDED_EXAMPLES = 5000
FORWARDED_EXAMPLES = 1000


class Listener:
    """A loopback TCP listener that counts the connections it accepts."""

    def __init__(self):
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.contacts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except OSError:
                continue
            self.contacts += 1
            connection.close()

    def close(self):
        self._stop.set()
        self._thread.join()
        self.server.close()


def _case(word: str):
    """``word`` in any mix of upper and lower case."""
    return st.integers(0, 2 ** len(word) - 1).map(
        lambda mask: "".join(c.upper() if mask >> i & 1 else c.lower() for i, c in enumerate(word))
    )


#: Whitespace and comments between tokens; a comment ends at a line feed or a carriage return.
_gap = st.sampled_from(
    [
        " ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "  \n\t",
        " # SERVICE <http://example.org/> {\n",
        "#c\n",
        "#c\r",
        "\n#\n ",
        " # SERVICE <http://example.org/> {\r",
    ]
)
_ESCAPABLE = "_~.-!$&'()*+,;=/?#@%"


def _escaped_local(text: str, mask: int) -> str:
    """``text`` as a prefixed name's local part, characters written as ``\\x`` escapes where
    the grammar requires it and, by ``mask``, where it allows it."""
    out = []
    for index, char in enumerate(text):
        required = char in _ESCAPABLE and (index in (0, len(text) - 1) or char not in "-.")
        out.append("\\" + char if required or (char in _ESCAPABLE and mask >> index & 1) else char)
    return "".join(out)


def _uchar(text: str, mask: int) -> str:
    """``text`` with letters written as SPARQL \\u escapes (allowed inside IRIREF), by ``mask`` (the port
    stays as it is, so the control run can point the query at its own listener)."""
    return "".join(f"\\u{ord(c):04X}" if c.isalpha() and mask >> i & 1 else c for i, c in enumerate(text))


@st.composite
def federated_queries(draw, port: int) -> tuple[str, bool]:
    """A federated query calling the listener on ``port``, and whether its endpoint is a variable
    (pyoxigraph evaluates SERVICE before a VALUES or BIND joined to it, so those never call out
    unprotected: they count as attempts, not as proof the generator federates)."""
    path = draw(st.sampled_from(["sparql", "a~b", "x.y", "q-1", "", "p%41"]))
    target = f"http://127.0.0.1:{port}/{path}"
    prologue, endpoint, binding = [], None, ""
    spelling = draw(st.sampled_from(["iri", "uchar-iri", "base", "prefix", "empty-prefix", "bind", "values"]))
    if spelling == "iri":
        endpoint = f"<{target}>"
    elif spelling == "uchar-iri":
        endpoint = f"<{_uchar(target, draw(st.integers(0, 2**40)))}>"
    elif spelling == "base":
        prologue.append(f"{draw(_case('BASE'))}{draw(_gap)}<http://127.0.0.1:{port}/>")
        endpoint = f"<{path}>"
    elif spelling in ("prefix", "empty-prefix"):
        name = "" if spelling == "empty-prefix" else draw(st.sampled_from(["r", "ex", "a1", "Remote", "x.y", "s_1"]))
        prologue.append(f"{draw(_case('PREFIX'))}{draw(_gap)}{name}:{draw(_gap)}<http://127.0.0.1:{port}/>")
        local = path or "s"
        endpoint = f"{name}:{_escaped_local(local, draw(st.integers(0, 255)))}"
    else:
        variable = draw(st.sampled_from(["?e", "$e", "?endpoint"]))
        endpoint = variable
        binding = (
            f'BIND(IRI("{target}") AS {variable})' if spelling == "bind" else f"VALUES {variable} {{ <{target}> }}"
        )
    silent = draw(_case("SILENT")) + draw(_gap) if draw(st.booleans()) else ""
    # A variable is bound just before the SERVICE, in the same group, so it is bound where it is used.
    pattern = f"{binding}{draw(_gap)}{draw(_case('SERVICE'))}{draw(_gap)}{silent}{endpoint}{draw(_gap)}{{ ?s ?p ?o }}"
    for _ in range(draw(st.integers(0, 4))):
        wrapper = draw(st.sampled_from(["group", "optional", "union", "minus", "graph", "exists", "subquery"]))
        pattern = {
            "group": f"{{{draw(_gap)}{pattern}{draw(_gap)}}}",
            "optional": f"{draw(_case('OPTIONAL'))}{draw(_gap)}{{ {pattern} }}",
            # The other branch matches nothing: ASK and EXISTS stop at the first solution, which an empty
            # group would give without the SERVICE being called.
            "union": f"{{ ?x <urn:nothing> ?y }} {draw(_case('UNION'))} {{ {pattern} }}",
            "minus": f"?x ?y ?z {draw(_case('MINUS'))} {{ {pattern} }}",
            "graph": f"{draw(_case('GRAPH'))} ?g {{ {pattern} }}",
            # A pattern for the FILTER to test: an OPTIONAL holding only a FILTER may be answered without it.
            "exists": f"?x ?y ?z {draw(_case('FILTER'))}{draw(_gap)}{draw(_case('EXISTS'))} {{ {pattern} }}",
            "subquery": f"{{ {draw(_case('SELECT'))} * {draw(_case('WHERE'))} {{ {pattern} }} }}",
        }[wrapper]
    where = f"{{{draw(_gap)}{pattern}{draw(_gap)}}}"
    form = draw(
        st.sampled_from(["SELECT * WHERE", "SELECT ?s WHERE", "ASK", "CONSTRUCT { ?s ?p ?o } WHERE", "SELECT * "])
    )
    form = " ".join(draw(_case(word)) if word.isalpha() else word for word in form.split(" "))
    return draw(_gap).join(prologue + [form + draw(_gap) + where]), spelling in ("bind", "values")


def _run_generated(url: str, examples: int) -> None:
    guarded, control = Listener(), Listener()
    unprotected = ox.Store()
    for graph in (
        ox.DefaultGraph(),
        ox.NamedNode("http://example.org/g"),
    ):  # GRAPH ?g and MINUS have something to run on
        unprotected.add(
            ox.Quad(
                ox.NamedNode("http://example.org/s"),
                ox.NamedNode("http://example.org/p"),
                ox.NamedNode("http://example.org/o"),
                graph,
            )
        )
    seen = {"queries": 0, "fixed": 0, "federated": 0}
    session = requests.Session()

    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def check(data):
        query, variable = data.draw(federated_queries(guarded.port))
        before = control.contacts
        try:
            results = unprotected.query(
                query.replace(str(guarded.port), str(control.port)), use_default_graph_as_union=True
            )
            if not isinstance(results, ox.QueryBoolean):
                list(results)
        except (OSError, SyntaxError, RuntimeError, ValueError):
            pass
        deadline = time.monotonic() + (
            0 if variable else 0.5
        )  # the listener thread may be slow to run on a loaded machine
        while control.contacts == before and time.monotonic() < deadline:
            time.sleep(0.005)
        seen["fixed"] += not variable
        seen["federated"] += not variable and control.contacts > before
        response = session.post(url, data={"query": query}, timeout=30)
        assert response.status_code < 500 or response.status_code == 502, (query, response.status_code, response.text)
        seen["queries"] += 1
        assert guarded.contacts == 0, query

    try:
        check()
        print(
            f"\n{seen['queries']} generated queries, no contact; {seen['fixed']} with a fixed endpoint, "
            f"{seen['federated']} of which called the control listener when run unprotected"
        )
        time.sleep(0.5)
        assert guarded.contacts == 0
        assert seen["queries"] >= examples
        # The generator writes real federation: run unprotected, nearly every fixed endpoint is called.
        assert seen["fixed"] >= 0.6 * seen["queries"] and seen["federated"] >= 0.9 * seen["fixed"], seen
    finally:
        guarded.close()
        control.close()


@pytest.mark.timeout(1200)
def test_no_spelling_of_service_reaches_the_network_from_the_embedded_store(tmp_path):
    with start_server(tmp_path, workers=2) as server:
        _run_generated(server.sparql, EMBEDDED_EXAMPLES)
        assert requests.get(server.url + "/health", timeout=10).status_code == 200


@pytest.mark.timeout(600)
def test_no_spelling_of_service_is_forwarded_to_a_remote_store(tmp_path):
    from conftest import start_backed_server

    with start_backed_server("oxigraph", tmp_path) as server:
        _run_generated(server.sparql, FORWARDED_EXAMPLES)


def test_an_allow_listed_endpoint_is_reached_and_no_other(tmp_path):
    allowed, other = Listener(), Listener()
    try:
        env = {"ROGRAPH_SERVICE_ALLOWLIST": f"http://127.0.0.1:{allowed.port}/sparql"}
        with start_server(tmp_path, env=env, workers=1) as server:
            _run_generated(server.sparql, 300)
            hit = requests.post(
                server.sparql,
                data={
                    "query": f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{allowed.port}/sparql> {{ ?s ?p ?o }} }}"
                },
                timeout=30,
            )
            assert hit.status_code == 200
            deadline = time.monotonic() + 5
            while allowed.contacts == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert allowed.contacts >= 1
            refused = requests.post(
                server.sparql,
                data={"query": f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{other.port}/sparql> {{ ?s ?p ?o }} }}"},
                timeout=30,
            )
            assert refused.status_code == 400 and "not allowed" in refused.text
            assert other.contacts == 0
    finally:
        allowed.close()
        other.close()
