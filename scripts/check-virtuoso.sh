#!/usr/bin/env bash
# rograph on a second real triple store: OpenLink Virtuoso (Debian's virtuoso-opensource).
#
#   sudo apt-get install virtuoso-opensource     # once
#   bash scripts/check-virtuoso.sh
#
# Starts a throw-away Virtuoso on free loopback ports, publishes the project into it with
# `rograph publish` (SPARQL Update), serves rograph on it (`ROGRAPH_STORE=…/sparql`), and
# checks what a user sees: SPARQL answers, every example query's expected answer, entity pages
# and RDF, the service description. Prints PASS/FAIL per check; exits 1 if any fails.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v virtuoso-t >/dev/null || { echo "virtuoso-t not found: apt-get install virtuoso-opensource"; exit 2; }
ROGRAPH="${ROGRAPH:-$(command -v rograph || echo .venv/bin/rograph)}"
PYTHON="$(dirname "$ROGRAPH")/python"

work="$(mktemp -d)"
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
sql_port="$(free_port)"; http_port="$(free_port)"; rograph_port="$(free_port)"
cleanup() { kill "${rograph_pid:-0}" "${virtuoso_pid:-0}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

sed -e "s#/var/lib/virtuoso-opensource-7/db#$work#g" -e "s#^ServerPort *= *1111#ServerPort = $sql_port#" \
    -e "s#^ServerPort *= *8890#ServerPort = $http_port#" /etc/virtuoso-opensource-7/virtuoso.ini > "$work/virtuoso.ini"
(cd "$work" && exec virtuoso-t -f -c "$work/virtuoso.ini" > "$work/virtuoso.out" 2>&1) & virtuoso_pid=$!
endpoint="http://127.0.0.1:$http_port/sparql"
for _ in $(seq 120); do curl -sf -o /dev/null "$endpoint?query=ASK%7B%7D" && break; sleep 0.5; done
# The anonymous SPARQL user may update (a throw-away store on loopback only).
isql-vt "$sql_port" dba dba exec='GRANT SPARQL_UPDATE TO "SPARQL";' > /dev/null

failures=0
check() { if "$@"; then echo "PASS $label"; else echo "FAIL $label"; failures=$((failures + 1)); fi; }

label="rograph publish into Virtuoso (SPARQL Update) and verify the counts"
check "$ROGRAPH" publish --to "$endpoint" --update "$endpoint" --var-dir "$work/var"

ROGRAPH_STORE="$endpoint" "$ROGRAPH" serve --var-dir "$work/var" --port "$rograph_port" > "$work/rograph.log" 2>&1 & rograph_pid=$!
for _ in $(seq 120); do curl -sf -o /dev/null "http://127.0.0.1:$rograph_port/health" && break; sleep 0.25; done

ROGRAPH_URL="http://127.0.0.1:$rograph_port" "$PYTHON" - <<'PY' || failures=$((failures + 1))
import csv, io, os, pathlib, sys, urllib.parse, urllib.request
url = os.environ["ROGRAPH_URL"]
failed = 0
def get(path, accept):
    request = urllib.request.Request(url + path, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, response.read().decode()
def report(label, ok):
    global failed
    print(("PASS " if ok else "FAIL ") + label)
    failed += not ok
for example in sorted(pathlib.Path("queries").glob("*.rq")):
    status, body = get("/sparql?" + urllib.parse.urlencode({"query": example.read_text()}), "text/csv")
    expected = list(csv.reader(open(f"queries/expected/{example.stem}.csv")))
    got = list(csv.reader(io.StringIO(body)))
    if status == 200 and sorted(got[1:]) != sorted(expected[1:]):
        # Virtuoso keeps xsd:boolean values as integers (true comes back as 1): a known limitation
        # of the store, reported as such rather than hidden.
        as_virtuoso = [[{"true": "1", "false": "0"}.get(cell, cell) for cell in row] for row in expected[1:]]
        if sorted(got[1:]) == sorted(as_virtuoso):
            print(f"PASS example {example.stem} gives its expected answer, except that Virtuoso returns xsd:boolean as 1/0")
            continue
    report(f"example {example.stem} gives its expected answer", status == 200 and sorted(got[1:]) == sorted(expected[1:]))
status, page = get("/meeting/valga-expert-meeting-2020-02-06", "text/html")
report("entity page", status == 200 and "Expert meeting on Roma integration" in page)
status, turtle = get("/organisation/valga-city-government", "text/turtle")
report("entity as Turtle", status == 200 and "Valga city government" in turtle)
status, description = get("/sparql", "text/turtle")
report("service description", status == 200 and "UnionDefaultGraph" in description)
sys.exit(1 if failed else 0)
PY

if [ "$failures" -ne 0 ]; then echo "$failures check(s) failed; rograph's log:"; tail -20 "$work/rograph.log"; exit 1; fi
echo "all checks passed on Virtuoso $(virtuoso-t -? 2>&1 | grep -o 'Version [0-9.]*' | head -1)"
