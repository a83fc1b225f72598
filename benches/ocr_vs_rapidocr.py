#!/usr/bin/env python3
"""Runs RapidOCR (rapidocr-onnxruntime 1.4.4: the same PP-OCRv4 models on
onnxruntime) over the pages, or compares its results with dajian's.

    python ocr_vs_rapidocr.py rapidocr DIR REPEATS > rapid.jsonl
    RAPIDOCR_IN_FLIGHT=2 RAPIDOCR_THREADS=1 python ocr_vs_rapidocr.py rapidocr DIR REPEATS
    python ocr_vs_rapidocr.py report DIR dajian.jsonl dajian.time rapid.jsonl rapid.time
    python ocr_vs_rapidocr.py stage DATASET OUT_DIR [APPS]
    python ocr_vs_rapidocr.py stage ../shared/realdata/plates OUT_DIR [COUNT]

`stage` copies the image pages of a generated dataset (datasets/test: apps/*/
truth.json) into OUT_DIR with a golden.json of their printed lines, marked
"any_order" (a generated page's lines are listed as drawn, not as read, so
each line is matched to its best stretch of the reading, as `dajian bench`
does) and "degraded" (photos and scans), which the report totals apart.
"""
import json
import os
import re
import shutil
import sys
import time

IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff")


def rapidocr(pages, repeats):
    if os.environ.get("RAPIDOCR_IN_FLIGHT"):
        return rapidocr_throughput(pages, repeats, int(os.environ["RAPIDOCR_IN_FLIGHT"]))
    from rapidocr_onnxruntime import RapidOCR

    engine = RapidOCR(**threads())
    for name in sorted(os.listdir(pages)):
        if not name.lower().endswith(IMAGES):
            continue
        path = os.path.join(pages, name)
        result, _ = engine(path)  # warm-up
        start = time.perf_counter()
        for _ in range(repeats):
            result, _ = engine(path)
        seconds = (time.perf_counter() - start) / repeats
        text = "\n".join(r[1] for r in (result or []))
        print(json.dumps({"file": name, "seconds": seconds, "text": text}, ensure_ascii=False), flush=True)


def threads():
    """onnxruntime's threads per model from RAPIDOCR_THREADS (default: its own choice, every core)."""
    n = int(os.environ.get("RAPIDOCR_THREADS", "-1"))
    return {"intra_op_num_threads": n, "inter_op_num_threads": n} if n > 0 else {}


_engine = None


def _start_worker():
    global _engine
    from rapidocr_onnxruntime import RapidOCR

    _engine = RapidOCR(**threads())


def _read(path):
    start = time.perf_counter()
    result, _ = _engine(path)
    return time.perf_counter() - start, "\n".join(r[1] for r in (result or []))


def rapidocr_throughput(pages, repeats, in_flight):
    """The pages read `in_flight` at a time by as many worker processes (one
    engine each), as dajian's ocr_pages does with DAJIAN_BENCH_IN_FLIGHT:
    one untimed pass, then `repeats` passes timed whole; a last line gives
    the wall time of a pass."""
    import multiprocessing

    names = sorted(n for n in os.listdir(pages) if n.lower().endswith(IMAGES))
    paths = [os.path.join(pages, n) for n in names]
    with multiprocessing.get_context("fork").Pool(in_flight, initializer=_start_worker) as pool:
        pool.map(_read, paths, chunksize=1)
        seconds = [0.0] * len(paths)
        start = time.perf_counter()
        for _ in range(repeats):
            last = pool.map(_read, paths, chunksize=1)
            for i, (t, _) in enumerate(last):
                seconds[i] += t / repeats
        wall = (time.perf_counter() - start) / repeats
    for name, s, (_, text) in zip(names, seconds, last):
        print(json.dumps({"file": name, "seconds": s, "text": text}, ensure_ascii=False), flush=True)
    print(json.dumps({"pages": len(paths), "wall_seconds": wall, "in_flight": in_flight}))


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a):
        cur = [i + 1]
        for j, y in enumerate(b):
            cur.append(min(prev[j] + (x != y), prev[j + 1] + 1, cur[j] + 1))
        prev = cur
    return prev[-1]


def best_stretch_distance(r, h):
    """Edit distance between r and the substring of h closest to it."""
    prev = [0] * (len(h) + 1)
    for i, x in enumerate(r):
        cur = [i + 1]
        for j, y in enumerate(h):
            cur.append(min(prev[j] + (x != y), prev[j + 1] + 1, cur[j] + 1))
        prev = cur
    return min(prev)


def errors(golden_page, hyp):
    """(character errors, reference characters) of one page, whitespace removed."""
    if not golden_page.get("any_order"):
        ref = "\n".join(golden_page["lines"])
        n = len(re.sub(r"\s", "", ref))
        return cer(ref, hyp) * n, n
    h = re.sub(r"\s", "", hyp)
    lines = [re.sub(r"\s", "", line) for line in golden_page["lines"]]
    return sum(best_stretch_distance(r, h) for r in lines), sum(map(len, lines))


def stage(dataset, out, apps=None):
    os.makedirs(out, exist_ok=True)
    golden = []
    if os.path.exists(os.path.join(dataset, "labels.tsv")):
        # Labelled crops (../shared/realdata/plates): one line each.
        rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(dataset, "labels.tsv"), encoding="utf-8")][1:]
        for name, text in rows[: int(apps)] if apps else rows:
            shutil.copy(os.path.join(dataset, name), os.path.join(out, name))
            golden.append({"file": name, "lines": [text]})
        json.dump(golden, open(os.path.join(out, "golden.json"), "w"), ensure_ascii=False, indent=1)
        return
    names = sorted(os.listdir(os.path.join(dataset, "apps")))
    for app in names[: int(apps)] if apps else names:
        truth = json.load(open(os.path.join(dataset, "apps", app, "truth.json")))
        for page in truth["pages"]:
            if not page["file"].lower().endswith((".jpg", ".jpeg", ".png")):
                continue
            name = f"{app}_{page['file']}"
            shutil.copy(os.path.join(dataset, "apps", app, page["file"]), os.path.join(out, name))
            lines = [line["text"] for line in page["lines"] if line["role"] == "text"]
            golden.append({"file": name, "lines": lines, "any_order": True, "degraded": page["degradation"] is not None})
    json.dump(golden, open(os.path.join(out, "golden.json"), "w"), ensure_ascii=False, indent=1)


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
    golden = {p["file"]: p for p in json.load(open(os.path.join(pages, "golden.json")))}
    runs, walls = {}, {}
    for label, path in [("dajian", dajian_jsonl), ("rapidocr", rapid_jsonl)]:
        lines = list(map(json.loads, open(path)))
        runs[label] = {r["file"]: r for r in lines if "file" in r}
        walls[label] = next((r for r in lines if "wall_seconds" in r), None)
    many = len(golden) > 12
    if not many:
        print(f"{'page':34} {'dajian CER':>10} {'s/page':>7} {'rapidocr CER':>12} {'s/page':>7} {'speed-up':>8}")
    # Per group: edits, reference chars, seconds, pages; per engine.
    tot = {}
    for name, page in sorted(golden.items()):
        groups = ["all pages"] + (["degraded pages" if page.get("degraded") else "clean pages"] if "degraded" in page else [])
        row = [name]
        for label in ["dajian", "rapidocr"]:
            r = runs[label][name]
            e, n = errors(page, r["text"])
            for g in groups:
                t = tot.setdefault(g, {}).setdefault(label, [0, 0, 0.0, 0])
                t[0] += e
                t[1] += n
                t[2] += r["seconds"]
                t[3] += 1
            row += [e / n if n else 0.0, r["seconds"]]
        if not many:
            print(f"{row[0]:34} {row[1]*100:9.2f}% {row[2]:7.3f} {row[3]*100:11.2f}% {row[4]:7.3f} {row[4]/row[2]:7.2f}x")
    if many:
        print(f"{'pages':44} {'dajian CER':>10} {'s/page':>7} {'rapidocr CER':>12} {'s/page':>7} {'speed-up':>8}")
    for g in ["clean pages", "degraded pages", "all pages"]:
        if g not in tot:
            continue
        d, r = tot[g]["dajian"], tot[g]["rapidocr"]
        label = f"{g} ({d[3]}, CER over all chars)"
        print(f"{label:44} {d[0]/d[1]*100:9.2f}% {d[2]/d[3]:7.3f} {r[0]/r[1]*100:11.2f}% {r[2]/r[3]:7.3f} {r[2]/d[2]:7.2f}x")
    if walls["dajian"] or walls["rapidocr"]:
        # Pages read side by side: a page's own time is its latency under
        # load; the wall time of a pass is what the machine gives.
        per = {k: (w["wall_seconds"] / w["pages"], w["in_flight"]) if w else (tot["all pages"][k][2] / tot["all pages"][k][3], 1) for k, w in walls.items()}
        (d, dn), (r, rn) = per["dajian"], per["rapidocr"]
        print(f"throughput: dajian {d:.3f} s of wall time a page ({dn} in flight), rapidocr {r:.3f} ({rn} in flight): {r/d:.2f}x")
    print(f"peak RSS: dajian {peak_rss_mb(dajian_time):.0f} MB, rapidocr {peak_rss_mb(rapid_time):.0f} MB")


if __name__ == "__main__":
    if sys.argv[1] == "rapidocr":
        rapidocr(sys.argv[2], int(sys.argv[3]))
    elif sys.argv[1] == "stage":
        stage(*sys.argv[2:5])
    else:
        report(*sys.argv[2:7])
