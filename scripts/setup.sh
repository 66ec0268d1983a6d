#!/usr/bin/env bash
# Sets up everything Epistola needs on a fresh Debian machine: system packages (Chromium for the
# browser tests, PostgreSQL for the shared-server backend, fonts), a virtualenv with the package
# and its development tools. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql postgresql-contrib)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need_apt+=(fonts-dejavu-core)
command -v pdftoppm >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v java >/dev/null 2>&1 || need_apt+=(default-jre-headless)
[ -e /usr/share/java/epubcheck.jar ] || need_apt+=(epubcheck)
command -v wrk >/dev/null 2>&1 || need_apt+=(wrk)  # the load generator of make bench-load
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.epistola-installed
want=$(sha1sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python packages"
  .venv/bin/pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/pip install -q -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import epistola, lxml, playwright" 
  echo "$want" > "$stamp"
fi
