#!/usr/bin/env bash
# rograph as a user installs it: build the wheel, install it into a fresh virtual environment
# (not editable: only what the wheel ships), and say where, for the suite's as-installed tests.
#
#   bash scripts/install-wheel.sh [FOLDER]        # default: test-artifacts/wheel
#   ROGRAPH_WHEEL_VENV=test-artifacts/wheel/venv python -m pytest tests/test_as_a_user.py
#
# .ci/run runs it before the suite. Needs the package registry (the wheel's dependencies).
set -euo pipefail
cd "$(dirname "$0")/.."
folder="$(realpath -m "${1:-test-artifacts/wheel}")"
rm -rf "$folder"
mkdir -p "$folder/dist"
python3 -m pip wheel -q --no-deps --wheel-dir "$folder/dist" .
python3 -m venv "$folder/venv"
"$folder/venv/bin/pip" install -q "$folder"/dist/rograph-*.whl
"$folder/venv/bin/rograph" --version
echo "installed the wheel into $folder/venv (ROGRAPH_WHEEL_VENV=$folder/venv)"
