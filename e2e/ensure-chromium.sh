#!/usr/bin/env sh
# The browser suite needs Chromium. Playwright cannot download browsers here, so we use Debian's
# package: installed on the spot when we are root on a Debian-like machine, else a clear message.
set -eu
if [ -n "${PLAYWRIGHT_CHROMIUM_PATH:-}" ] && [ -x "$PLAYWRIGHT_CHROMIUM_PATH" ]; then exit 0; fi
if command -v chromium-headless-shell >/dev/null 2>&1 || command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium-headless-shell for the browser tests..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null
  exit 0
fi
echo "Chromium is needed for the browser tests: apt-get install -y chromium-headless-shell (or chromium, or set PLAYWRIGHT_CHROMIUM_PATH)." >&2
exit 1
