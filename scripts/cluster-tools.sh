#!/usr/bin/env bash
# The programs the multi-node tests and benchmarks start for real (src/amends/assembly/cluster.py): HAProxy and
# PgBouncer from Debian's packages, beside PostgreSQL's own server programs. Installs what is missing when run
# as root; otherwise says what to install. Safe to run again.
set -euo pipefail

missing=()
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
command -v pgbouncer >/dev/null 2>&1 || [ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql-15)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing ${missing[*]} (apt) for the multi-node tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    # Debian starts services on install where it can; the tests start their own, on ports of their own.
    for service in haproxy pgbouncer; do
        command -v service >/dev/null 2>&1 && service "$service" stop >/dev/null 2>&1 || true
    done
else
    echo "The multi-node tests need: ${missing[*]} (sudo apt-get install ${missing[*]}); they are skipped without." >&2
fi
