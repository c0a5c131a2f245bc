#!/usr/bin/env bash
# The whole test suite: unit, service, API and browser tests. SQLite by default; set DATABASE_URL to run it
# on PostgreSQL (e.g. postgres://postgres@127.0.0.1:5432/amends). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

# Browser tests drive Debian's Chromium; install it (and CJK fonts for screenshots) where we may.
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "==> installing chromium and fonts-noto-cjk (apt)"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
    else
        echo "Browser tests need /usr/bin/chromium: sudo apt-get install chromium fonts-noto-cjk" >&2
        exit 1
    fi
fi

# HAProxy and PgBouncer for the multi-node tests (PostgreSQL only).
if [ -n "${DATABASE_URL:-}" ]; then
    bash scripts/cluster-tools.sh
fi

echo "==> pytest on ${DATABASE_URL:-SQLite}"
exec .venv/bin/pytest "$@"
