#!/usr/bin/env bash
# Installs what Amends needs into the checkout: uv (in .cache/uvenv), the locked Python packages (.venv, with
# the `bench` extra so `amends bench` runs from a checkout), the locked front-end packages (node_modules, copied
# to src/amends/static/vendor), and Debian's fonts-noto-cjk for the decision letter's PDF where it is missing and
# apt can install it. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.9
PYTHON=${PYTHON:-python3}
export UV_PYTHON_DOWNLOADS=never UV_PYTHON="$PYTHON"

"$PYTHON" - <<'PY' || { echo "Amends needs Python >= 3.11 (found $("$PYTHON" --version 2>&1))." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY

if [ ! -x .cache/uvenv/bin/uv ] || [ "$(.cache/uvenv/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    echo "==> installing uv $UV_VERSION"
    "$PYTHON" -m venv .cache/uvenv
    .cache/uvenv/bin/pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi

echo "==> Python packages (uv.lock)"
.cache/uvenv/bin/uv sync --frozen --extra bench --extra rq --extra s3 --quiet

# The decision letter's PDF embeds a CJK font (AMENDS_LETTER_FONT, Debian's fonts-noto-cjk by default).
if [ ! -f /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc ] && [ -z "${AMENDS_LETTER_FONT:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "==> fonts-noto-cjk (apt), for the decision letter's PDF"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends fonts-noto-cjk >/dev/null
    else
        echo "The decision letter's PDF needs a CJK font: sudo apt-get install fonts-noto-cjk (or set AMENDS_LETTER_FONT)." >&2
    fi
fi

if ! command -v npm >/dev/null 2>&1; then
    echo "Amends needs Node.js and npm for its front-end packages." >&2
    exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
    || [ ! -d src/amends/static/vendor ]; then
    echo "==> front-end packages (package-lock.json)"
    npm ci --no-audit --no-fund --loglevel=error
fi
