#!/usr/bin/env bash
# dajian's OCR stage side by side with RapidOCR (same PP-OCRv4 models on
# onnxruntime, Python) on the same pages, in one run: CER and seconds per
# page for each, their ratio, and peak RSS (/usr/bin/time -v).
#
#   benches/ocr_vs_rapidocr.sh [PAGES_DIR (default tests/data/ocr, needs golden.json)] [REPEATS (3)]
#   benches/ocr_vs_rapidocr.sh datasets/test [REPEATS] [APPS (all)]
#
# Given a generated dataset (apps/*/truth.json), its image pages are read,
# the first APPS applications' of them, and CER is reported for clean and
# degraded pages apart, each printed line matched wherever it was read.
#
# Pages side by side, as a server reads them, each engine one core a page:
#   DAJIAN_BENCH_IN_FLIGHT=2 RAPIDOCR_IN_FLIGHT=2 RAPIDOCR_THREADS=1 benches/ocr_vs_rapidocr.sh datasets/test 1 6
# adds a "throughput" line: wall time of a whole pass, a page.
#
# Needs python3 with venv and /usr/bin/time (Debian: apt-get install time).
# Runs the two one after the other so they never share the cores.
set -euo pipefail
cd "$(dirname "$0")/.."
PAGES=${1:-tests/data/ocr}
REPEATS=${2:-3}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ -d "$PAGES/apps" ]; then
  python3 benches/ocr_vs_rapidocr.py stage "$PAGES" "$WORK/pages" ${3:-}
  PAGES="$WORK/pages"
fi

echo "building dajian (release)..." >&2
cargo build --release --bench ocr_pages --quiet 2>/dev/null || true
BENCH=$(cargo bench --bench ocr_pages --no-run --message-format=json 2>/dev/null \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "ocr_pages" and m.get("executable"):
        print(m["executable"])')
# Copied: a shared target dir may be rebuilt under us by another checkout.
cp "$BENCH" "$WORK/ocr_pages"

echo "setting up RapidOCR in a throwaway venv..." >&2
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet rapidocr-onnxruntime==1.4.4

echo "running dajian..." >&2
/usr/bin/time -v -o "$WORK/dajian.time" "$WORK/ocr_pages" "$PAGES" "$REPEATS" > "$WORK/dajian.jsonl"
echo "running RapidOCR..." >&2
/usr/bin/time -v -o "$WORK/rapid.time" "$WORK/venv/bin/python" benches/ocr_vs_rapidocr.py rapidocr "$PAGES" "$REPEATS" > "$WORK/rapid.jsonl"

echo "$(nproc) cores, $REPEATS runs per page after one warm-up, decoding included"
python3 benches/ocr_vs_rapidocr.py report "$PAGES" "$WORK/dajian.jsonl" "$WORK/dajian.time" "$WORK/rapid.jsonl" "$WORK/rapid.time"
