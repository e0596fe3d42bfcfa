#!/usr/bin/env bash
# Debian's Chromium for the browser tests: Playwright drives it through
# executable_path, so no browser is ever downloaded. Installs it when missing and we are
# root (or have password-less sudo); otherwise says why the browser tests will be skipped.
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium is missing and this is not a Debian-like system: the browser tests will be skipped." >&2
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo -n)
else
  echo "chromium is missing and installing it needs root: the browser tests will be skipped." >&2
  echo "Install it with: sudo apt-get install chromium" >&2
  exit 0
fi
echo "Installing Debian's chromium for the browser tests…"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
chromium --version
