#!/usr/bin/env bash
# Renders the Ratings sheet of an exported rating workbook as LibreOffice Calc lays it out, for the
# README: Calc converts the .xlsx to HTML (its own rendering of fills, fonts and outline), Chromium
# screenshots the Ratings sheet. With poppler-utils, `soffice --convert-to pdf` + `pdftoppm -png`
# gives a print view instead.
# usage: test/support/render-workbook-screenshot.sh WORKBOOK.xlsx OUT.png
set -euo pipefail
workbook="$(realpath "$1")"
out="$(realpath -m "$2")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
soffice "-env:UserInstallation=file://$work/profile" --headless --convert-to html --outdir "$work" "$workbook" >/dev/null 2>&1
html="$work/$(basename "${workbook%.*}").html"
/usr/bin/python3 - "$html" "$work/ratings.html" <<'PY'
import sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
upper = text.upper()
start = upper.index('<A NAME="TABLE1">')
end = upper.find('<A NAME="TABLE2">')
head = text[: upper.index("<BODY")]
open(sys.argv[2], "w", encoding="utf-8").write(head + '<body style="margin:8px">' + text[start : end if end > 0 else None] + "</body></html>")
PY
"${CHROMIUM_PATH:-/usr/bin/chromium}" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size=1500,760 --screenshot="$out" "file://$work/ratings.html" >/dev/null 2>&1
echo "$out"
