#!/usr/bin/env bash
# Installs Privacyregister with its test extras into .venv and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
python -m pip install --quiet -e ".[test,build]"
export QT_QPA_PLATFORM=offscreen
ruff check .
python -m pytest -q -p no:cacheprovider "$@"
