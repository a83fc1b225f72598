#!/usr/bin/env python3
"""Write `lookalikes.txt`: pairs of Han characters of the recogniser's
alphabet whose glyphs look alike, for the checks (`crate::ocr::lookalike`).

Each character is drawn at 28 px in a 32x32 cell in the project's sans and
serif fonts (`datasets/fonts/`), blurred by 1 px as a photo blurs it, and
compared with every other by the cosine of the centred pixels. A pair is
written when, in the worse of the two fonts, each is among the other's
three nearest and the cosine is at least 0.85: 梁/粱, 冼/洗, 胯/膀,
己/已. One pair per line, the two characters in alphabet order.
Characters a font lacks are left out.

(The recogniser's own last layer was tried first: its rows for rare
characters such as 冼 and 胯 are near a thousand others, so it found the
common confusions and missed the rare ones names are made of.)

    python3 models/ocr/lookalikes.py   # needs numpy and pillow

Deterministic: the same fonts and alphabet give the same file.
"""
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent.parent / "datasets" / "fonts"
NEAREST = 3
MIN_COSINE = 0.85


def is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def glyphs(font_path: Path, chars: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Centred, unit-length blurred glyph images, and which chars the font has."""
    font = ImageFont.truetype(str(font_path), 28)

    def draw(c: str) -> np.ndarray:
        im = Image.new("L", (32, 32), 0)
        ImageDraw.Draw(im).text((16, 16), c, font=font, fill=255, anchor="mm")
        return np.asarray(im.filter(ImageFilter.GaussianBlur(1.0)), dtype=np.float32).ravel()

    missing = draw("\U0010fffd")  # private use: the font's .notdef box
    v = np.stack([draw(c) for c in chars])
    has = np.array([not np.array_equal(x, missing) and x.any() for x in v])
    v -= v.mean(axis=1, keepdims=True)
    v /= np.linalg.norm(v, axis=1, keepdims=True) + 1e-9
    return v, has


def main() -> None:
    alphabet = (HERE / "alphabet.txt").read_text(encoding="utf-8")
    chars = sorted(set(c for c in alphabet if is_han(c)), key=alphabet.index)
    sim, has = None, np.ones(len(chars), dtype=bool)
    for name in ("NotoSansSC-Regular.otf", "NotoSerifSC-Regular.otf"):
        v, h = glyphs(FONTS / name, chars)
        s = v @ v.T
        sim = s if sim is None else np.minimum(sim, s)
        has &= h
    sim[~has, :] = -1.0
    sim[:, ~has] = -1.0
    np.fill_diagonal(sim, -1.0)
    nearest = np.argsort(-sim, axis=1, kind="stable")[:, :NEAREST]
    pairs = set()
    for i in range(len(chars)):
        for j in map(int, nearest[i]):
            if i in nearest[j] and sim[i, j] >= MIN_COSINE:
                pairs.add((min(i, j), max(i, j)))
    lines = sorted(chars[i] + chars[j] for i, j in pairs)
    (HERE / "lookalikes.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} pairs of {int(has.sum())} characters written to {HERE / 'lookalikes.txt'}")


if __name__ == "__main__":
    main()
