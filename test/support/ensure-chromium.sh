#!/usr/bin/env bash
# The PDF and browser tests drive Debian's Chromium (puppeteer cannot download its own here).
# Installs it, with the fonts the documents use, when it is missing; as root, or through sudo.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$chromium_path" ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Chromium is missing at $chromium_path and installing it needs root:" \
    "apt-get install chromium fonts-liberation, or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "Installing Debian's chromium for the PDF and browser tests…"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq chromium fonts-liberation >/dev/null
"$chromium_path" --version
