#!/usr/bin/env bash
# Ensures headless Chromium for the report tests (they open report.html and read what it shows).
# Idempotent. Installs Debian's chromium as root; otherwise explains and fails.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM:-/nonexistent}" ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[chromium-up] installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "[chromium-up] headless Chromium is needed for the report tests: install chromium, or set CHROMIUM=/path/to/chrome" >&2
exit 1
