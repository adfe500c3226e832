#!/usr/bin/env bash
# Renders the HTML report of the bundled sample in headless Chromium and
# fails unless it rendered cleanly (README, "HTML report").
#
# Builds ocppscope, ingests samples/fleet-small.pcap into a new database,
# writes the fleet report and a charge point's report, and for each:
#   - a screenshot (PNG, 1280 px wide), which must exist, be a PNG and not be empty,
#   - Chromium's log, which must hold no console message (the page has no
#     script, so any console line is an error: a failed load, a parse error),
#   - the DOM after loading (--dump-dom), which must hold every section,
#   - a print to PDF, which must exist and be a PDF.
#
# Usage: scripts/render-report.sh [OUT_DIR]   (default render-out/; git ignores it)
# Needs Debian's chromium package: apt-get install -y chromium
set -euo pipefail
cd "$(dirname "$0")/.."

out=${1:-render-out}
mkdir -p "$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "render-report: chromium not found; install it with: apt-get install -y chromium" >&2
  exit 1
fi
flags=(--headless --disable-gpu --disable-dev-shm-usage --hide-scrollbars --no-first-run --no-default-browser-check
       --user-data-dir="$out/chromium-profile")
# Chromium refuses its sandbox as root (CI runs as root).
if [ "$(id -u)" = 0 ]; then flags+=(--no-sandbox); fi

swift build --product ocppscope
bin="$(swift build --show-bin-path)/ocppscope"
db="$out/sample.sqlite"
rm -f "$db" "$db-wal" "$db-shm"
"$bin" ingest samples/fleet-small.pcap --db "$db" > /dev/null
"$bin" report html --db "$db" --out "$out/fleet.html"
"$bin" report html --db "$db" --charge-point CP0006 --out "$out/cp0006.html"

fail=0
check() {  # page, height, sections...
  local page=$1 height=$2; shift 2
  local html; html="$(cd "$out" && pwd)/$page.html"
  rm -f "$out/$page.png" "$out/$page.pdf"
  timeout 120 "$browser" "${flags[@]}" --enable-logging=stderr --v=0 --window-size=1280,"$height" \
    --screenshot="$out/$page.png" "file://$html" > /dev/null 2> "$out/$page.log" || true
  if [ ! -s "$out/$page.png" ] || [ "$(head -c 8 "$out/$page.png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
    echo "render-report: $page: no PNG was written (see $out/$page.log)" >&2; fail=1
  elif [ "$(stat -c %s "$out/$page.png")" -lt 20000 ]; then
    echo "render-report: $page: the PNG is suspiciously small ($(stat -c %s "$out/$page.png") bytes): a blank page?" >&2; fail=1
  fi
  if grep -E ':CONSOLE[:(]|Uncaught' "$out/$page.log" >&2; then
    echo "render-report: $page: chromium reported console messages (above)" >&2; fail=1
  fi
  timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$html" > "$out/$page.dom.html" 2> /dev/null || true
  for s in "$@"; do
    if ! grep -q "<section id=\"$s\">" "$out/$page.dom.html"; then
      echo "render-report: $page: the rendered page lacks section $s" >&2; fail=1
    fi
  done
  timeout 120 "$browser" "${flags[@]}" --no-pdf-header-footer --print-to-pdf="$out/$page.pdf" "file://$html" > /dev/null 2>&1 || true
  if [ "$(head -c 4 "$out/$page.pdf" 2> /dev/null)" != "%PDF" ]; then
    echo "render-report: $page: no PDF was printed" >&2; fail=1
  fi
  echo "render-report: $page: $out/$page.png ($(stat -c %s "$out/$page.png" 2> /dev/null || echo 0) bytes), $out/$page.pdf"
}
check fleet 4600 fleet uptime energy anomalies
check cp0006 4400 fleet uptime energy anomalies charge-point
if [ "$fail" != 0 ]; then echo "render-report: FAILED" >&2; exit 1; fi
echo "render-report: the sample's report rendered without errors"
