"""The README's first command with default settings: started from the project folder, with no
``--var-dir``, every download the site links to is served (it was a 500: the relative build
folder was resolved against the package, not the project)."""

from __future__ import annotations

import subprocess
import time

import pytest
import requests

from conftest import ROGRAPH, free_port

pytestmark = pytest.mark.live


def test_dumps_are_served_with_the_default_build_folder(project_copy):
    port = free_port()
    log = project_copy.root / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [ROGRAPH, "serve", "--port", str(port), "--workers", "1"],
            cwd=project_copy.root,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if requests.get(url + "/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.3)
        else:
            raise AssertionError(log.read_text())
        for name in ("dataset.nq", "dataset.trig", "dataset.ttl.gz", "dataset.jsonld"):
            answer = requests.get(f"{url}/dumps/{name}", timeout=30)
            assert answer.status_code == 200 and len(answer.content) > 1000, (name, answer.status_code)
        assert (project_copy.root / "var").is_dir()
    finally:
        process.terminate()
        process.wait(timeout=30)
