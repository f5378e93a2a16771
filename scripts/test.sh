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
exec .venv/bin/python -m pytest -q "$@"
