#!/bin/sh
# The Debian (or Ubuntu) packages some tests need and pip cannot bring: headless
# `chromium` for the player's browser tests (Playwright drives it; its own browser
# download is not needed), and the distribution's `libespeak-ng1`, which one cluster
# test runs beside the wheel's libespeak-ng to show that listen refuses a worker
# speaking with another espeak-ng. Installed with apt-get only when missing. The
# README's test command runs this script, and CI runs that command word for word.
# Without root, sudo or apt-get, it says what to do and those tests skip (they fail
# under CI, where CI is set: tests/needs.py).
set -eu
wanted=""
if [ -z "${LISTEN_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1 \
    && ! command -v chromium-browser >/dev/null 2>&1; then
  wanted="chromium"
fi
if ! { ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null; } \
    | grep -q 'libespeak-ng\.so'; then
  wanted="$wanted libespeak-ng1"
fi
[ -n "$wanted" ] || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-system-packages: missing for some tests:$wanted; install them" \
    "(or set LISTEN_CHROMIUM to a Chromium's path)" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo -n"
else
  echo "install-system-packages: missing for some tests:$wanted;" \
    "run 'sudo apt-get install$wanted'" >&2
  exit 0
fi
echo "install-system-packages: installing$wanted for the tests" >&2
$as_root apt-get update -q >&2
# shellcheck disable=SC2086  # the package names are meant to split
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -q $wanted >&2
