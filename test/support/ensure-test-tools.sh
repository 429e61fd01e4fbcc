#!/usr/bin/env bash
# The test tier drives real programs Debian packages (puppeteer cannot download its own here):
# - Chromium, with the fonts the documents use, for the PDF and browser tests;
# - LibreOffice Calc (headless) and its Python UNO bridge, for the offline-workbook tests that open,
#   fill and save the exported .xlsx with a real spreadsheet application.
# Installs what is missing; as root, or through sudo.
set -euo pipefail
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
packages=()
if [ ! -x "$chromium_path" ]; then
  packages+=(chromium fonts-liberation)
fi
if ! command -v soffice >/dev/null 2>&1; then
  packages+=(libreoffice-calc-nogui)
fi
if ! /usr/bin/python3 -c 'import uno' >/dev/null 2>&1; then
  packages+=(python3-uno)
fi
if [ "${#packages[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=""
elif command -v sudo >/dev/null 2>&1; then
  sudo="sudo"
else
  echo "Missing test tools (${packages[*]}); installing them needs root:" \
    "apt-get install ${packages[*]}, or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "Installing Debian's ${packages[*]} for the PDF, browser and spreadsheet tests…"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${packages[@]}" >/dev/null
if [ -x "$chromium_path" ]; then "$chromium_path" --version; fi
if command -v soffice >/dev/null 2>&1; then soffice --version; fi
