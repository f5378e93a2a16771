#!/usr/bin/env bash
# Set up a fresh machine and run ravine's test suite.
# Installs Debian's chromium for the report's browser test (when run as root and it is missing),
# creates .venv, installs ravine with its dev and data extras, and runs pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q -e ".[dev,data]"
# One BLAS thread per process: the tests' matrices are small, and several test
# processes (the demo's workers) on 2 cores otherwise oversubscribe the CPU.
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec .venv/bin/python -m pytest -q "$@"
