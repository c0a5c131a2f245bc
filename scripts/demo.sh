#!/usr/bin/env bash
# One command on a fresh machine: install everything, then `amends demo` (SQLite, the demo insurer, served
# on http://127.0.0.1:8000). Extra arguments go to `amends demo`, e.g. --port 8080.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
exec .venv/bin/amends demo "$@"
