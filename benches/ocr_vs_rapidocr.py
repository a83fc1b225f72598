#!/usr/bin/env python3
"""Runs RapidOCR (rapidocr-onnxruntime 1.4.4: the same PP-OCRv4 models on
onnxruntime) over the pages, or compares its results with dajian's.

    python ocr_vs_rapidocr.py rapidocr DIR REPEATS > rapid.jsonl
    python ocr_vs_rapidocr.py report DIR dajian.jsonl dajian.time rapid.jsonl rapid.time
"""
import json
import os
import re
import sys
import time


def rapidocr(pages, repeats):
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR()
    for name in sorted(os.listdir(pages)):
        if not name.lower().endswith((".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff")):
            continue
        path = os.path.join(pages, name)
        result, _ = engine(path)  # warm-up
        start = time.perf_counter()
        for _ in range(repeats):
            result, _ = engine(path)
        seconds = (time.perf_counter() - start) / repeats
        text = "\n".join(r[1] for r in (result or []))
        print(json.dumps({"file": name, "seconds": seconds, "text": text}, ensure_ascii=False), flush=True)


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a):
        cur = [i + 1]
        for j, y in enumerate(b):
            cur.append(min(prev[j] + (x != y), prev[j + 1] + 1, cur[j] + 1))
        prev = cur
    return prev[-1]


def cer(ref, hyp):
    # Same definition as dajian::ocr::metrics::cer: characters, whitespace removed.
    r, h = re.sub(r"\s", "", ref), re.sub(r"\s", "", hyp)
    return edit_distance(r, h) / len(r) if r else float(bool(h))


def peak_rss_mb(time_file):
    for line in open(time_file):
        if "Maximum resident set size" in line:
            return int(line.split(":")[1]) / 1024
    return float("nan")


def report(pages, dajian_jsonl, dajian_time, rapid_jsonl, rapid_time):
    golden = {p["file"]: "\n".join(p["lines"]) for p in json.load(open(os.path.join(pages, "golden.json")))}
    runs = {}
    for label, path in [("dajian", dajian_jsonl), ("rapidocr", rapid_jsonl)]:
        runs[label] = {r["file"]: r for r in map(json.loads, open(path))}
    print(f"{'page':34} {'dajian CER':>10} {'s/page':>7} {'rapidocr CER':>12} {'s/page':>7} {'speed-up':>8}")
    tot = {"dajian": [0, 0, 0.0], "rapidocr": [0, 0, 0.0]}  # edits, ref chars, seconds
    for name, ref in sorted(golden.items()):
        row = [name]
        for label in ["dajian", "rapidocr"]:
            r = runs[label][name]
            ref_n = len(re.sub(r"\s", "", ref))
            c = cer(ref, r["text"])
            tot[label][0] += c * ref_n
            tot[label][1] += ref_n
            tot[label][2] += r["seconds"]
            row += [c, r["seconds"]]
        print(f"{row[0]:34} {row[1]*100:9.2f}% {row[2]:7.3f} {row[3]*100:11.2f}% {row[4]:7.3f} {row[4]/row[2]:7.2f}x")
    n = len(golden)
    d, r = tot["dajian"], tot["rapidocr"]
    print(f"{'all pages (CER over all chars)':34} {d[0]/d[1]*100:9.2f}% {d[2]/n:7.3f} {r[0]/r[1]*100:11.2f}% {r[2]/n:7.3f} {r[2]/d[2]:7.2f}x")
    print(f"peak RSS: dajian {peak_rss_mb(dajian_time):.0f} MB, rapidocr {peak_rss_mb(rapid_time):.0f} MB")


if __name__ == "__main__":
    if sys.argv[1] == "rapidocr":
        rapidocr(sys.argv[2], int(sys.argv[3]))
    else:
        report(*sys.argv[2:7])
