#!/usr/bin/env python3
"""Plain `dajian ocr` on real plate photos (../shared/realdata/plates):
exact-match rate, images where nothing was read, and each miss.

    python3 benches/plates.py [DAJIAN_BINARY] [PLATES_DIR]

Compares as the dataset's README says: without spaces and without the `·`
separator, which OCR reads as `·`, `-`, `:` or `.`. One process per image, models loaded each time (plates are
tiny, so the load dominates the time; this measures accuracy, not speed).
"""
import json
import subprocess
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent
binary = sys.argv[1] if len(sys.argv) > 1 else str(root / "target/release/dajian")
plates = Path(sys.argv[2] if len(sys.argv) > 2 else root.parent / "shared/realdata/plates")

rows = [l.split("\t") for l in (plates / "labels.tsv").read_text(encoding="utf-8").splitlines()[1:] if l.strip()]
def clean(s):
    return "".join(c for c in s if not c.isspace() and c not in "·•・-:：.")
exact, empty, misses = 0, 0, []
for file, label in rows:
    out = subprocess.run([binary, "ocr", str(plates / file)], capture_output=True, text=True)
    if out.returncode != 0:
        misses.append(f"{file}: error {out.stderr.strip()}")
        continue
    lines = json.loads(out.stdout)
    got = clean("".join(l["text"] for l in lines))
    if not got:
        empty += 1
    if got == clean(label):
        exact += 1
    else:
        misses.append(f"{file}: read '{got}'")
n = len(rows)
print(f"plates: {exact}/{n} exact ({100 * exact / n:.1f} %), {empty} read as nothing")
for m in misses:
    print("  " + m)
