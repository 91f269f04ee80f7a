#!/bin/sh
# Headless Chromium for the browser tests: Debian's (or Ubuntu's) chromium package,
# installed with apt-get when no Chromium is found. The README's test command runs
# this script, and CI runs that command word for word. Playwright drives this browser
# (its own browser download is not needed). Without root, sudo or apt-get, it says
# what to do and the browser tests skip (they fail under CI, where CI is set).
set -eu
if [ -n "${LISTEN_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 \
    || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no Chromium found: install it, or set LISTEN_CHROMIUM to its path," \
    "to run the browser tests" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo -n"
else
  echo "install-browser: no Chromium found: run 'sudo apt-get install chromium'" \
    "to run the browser tests" >&2
  exit 0
fi
echo "install-browser: installing Debian's chromium for the browser tests" >&2
$as_root apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q \
  chromium >&2
