#!/usr/bin/env python3
"""Two text recognisers on rendered name lines: a surname and one or two
characters drawn from all 3 755 GB 2312 level-1 hanzi, in fonts given on
the command line (use fonts no generator draws with: Debian's
fonts-wqy-zenhei, fonts-arphic-uming), clean, as JPEG q35, blurred, and
shrunk to 14 px. Exact names and CER per font and condition, and the
milliseconds per line (onnxruntime, two threads).

    python3 benches/rec_names.py FONT[,FONT...] N REC_B.onnx DICT_B.txt

Recogniser A is dajian's `models/ocr/rec.onnx` (grey input `x/255-0.5`,
output `[T, N, C]` log-probabilities, `alphabet.txt`). Recogniser B is a
PaddleOCR recogniser as exported (input `[N, 3, 48, W]` normalised
`(x/255-0.5)/0.5`, output `[N, T, C]` softmax) with its dictionary, one
character a line; class 0 is the blank and the last class a space.
Measured in session 32 against PP-OCRv5 mobile (docs/ocr.md).
"""
import io
import random
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort
from PIL import Image, ImageDraw, ImageFilter, ImageFont

root = Path(__file__).resolve().parent.parent
fonts, n = sys.argv[1].split(","), int(sys.argv[2])
rec_b, dict_b = sys.argv[3], sys.argv[4]

random.seed(7)
han = [c for w in (root / "datasets/pools/hanzi_level1.txt").read_text(encoding="utf-8").split() for c in w]
surnames = [l.split("\t")[0] for l in (root / "datasets/pools/surnames.tsv").read_text(encoding="utf-8").splitlines() if l.strip()]
names = [random.choice(surnames[:400]) + "".join(random.choice(han) for _ in range(random.choice([1, 2]))) for _ in range(n)]

alpha_a = ["<blank>"] + list((root / "models/ocr/alphabet.txt").read_text(encoding="utf-8"))
alpha_b = ["<blank>"] + [l.rstrip("\n") for l in open(dict_b, encoding="utf-8")] + [" "]
so = ort.SessionOptions()
so.intra_op_num_threads = 2
sess_a = ort.InferenceSession(str(root / "models/ocr/rec.onnx"), so)
sess_b = ort.InferenceSession(rec_b, so)


def render(text, font, size, cond):
    f = ImageFont.truetype(font, size)
    l, t, r, b = f.getbbox(text)
    im = Image.new("L", (r - l + 12, b - t + 10), 255)
    ImageDraw.Draw(im).text((6 - l, 5 - t), text, font=f, fill=20)
    if cond == "blur":
        im = im.filter(ImageFilter.GaussianBlur(1.0))
    if cond in ("jpeg", "blur"):
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=35)
        im = Image.open(buf).convert("L")
    if cond == "small":
        im = im.resize((max(1, im.width * 14 // size), 14 * im.height // size), Image.BILINEAR)
    return im


def crop(im):
    w = max(48, round(im.width * 48 / im.height))
    return np.asarray(im.resize((w, 48), Image.BILINEAR), dtype=np.float32) / 255.0 - 0.5


def greedy(logp, alphabet):
    out, prev = [], 0
    for i in logp.argmax(-1):
        if i != prev and i != 0:
            out.append(alphabet[i])
        prev = i
    return "".join(out)


def edits(a, b):
    d = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        p, d[0] = d[0], i
        for j, y in enumerate(b, 1):
            p, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, p + (x != y))
    return d[-1]


for font in fonts:
    for cond in ["clean", "jpeg", "blur", "small"]:
        exact, errs, secs, chars = [0, 0], [0, 0], [0.0, 0.0], 0
        for name in names:
            a = crop(render(name, font, 28, cond))
            t = time.time()
            read_a = greedy(sess_a.run(None, {"input": a[None, None]})[0][:, 0], alpha_a)
            secs[0] += time.time() - t
            t = time.time()
            read_b = greedy(sess_b.run(None, {sess_b.get_inputs()[0].name: np.repeat((a * 2)[None, None], 3, axis=1)})[0][0], alpha_b)
            secs[1] += time.time() - t
            for k, read in enumerate([read_a, read_b]):
                exact[k] += read == name
                errs[k] += edits(read, name)
            chars += len(name)
        print(
            f"{Path(font).name:28s} {cond:6s} exact A {exact[0]}/{n} B {exact[1]}/{n}  "
            f"CER A {100 * errs[0] / chars:.1f} % B {100 * errs[1] / chars:.1f} %  "
            f"ms/line A {1000 * secs[0] / n:.1f} B {1000 * secs[1] / n:.1f}",
            flush=True,
        )
