#!/usr/bin/env python3
"""Subsets the OFL CJK fonts that the dataset generator prints with.

Characters kept: ASCII, Latin-1 punctuation, CJK and full-width punctuation,
all of GB 2312 (levels 1 and 2: 6 763 hanzi), every non-ASCII character that
appears in the generator's source (datasets/generator/src/**/*.rs) and in its word
pools (datasets/pools/*.tsv, *.txt: place names use rarer characters), so
whatever the generator can print is covered. Run from the repository root after adding new text to the generator:

    pip install fonttools
    apt-get install fonts-noto-cjk fonts-lxgw-wenkai
    python3 datasets/fonts/make_subsets.py

The generator refuses to print a character a font lacks, so a missing glyph
shows up as an error, never as tofu in the ground truth.
"""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "datasets" / "fonts"

# (output name, source file, index in a .ttc collection or None)
FONTS = [
    ("NotoSansSC-Regular.otf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("NotoSansSC-Bold.otf", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("NotoSerifSC-Regular.otf", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    # LXGW WenKai reserves its names "LXGW" and "霞鹜": a subset is a Modified
    # Version under the OFL, so it is renamed (see rename() below).
    ("DajianKai-Regular.ttf", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", None),
]


def charset():
    chars = set(chr(c) for c in range(0x20, 0x7F))
    chars |= set("·×÷±°№★☆●○■□△▲◆◇→←↑↓—–…‘’“”、。〈〉《》「」『』【】〔〕〖〗（）［］｛｝：；，．！？％＃＆＊＋－／＜＝＞＠＿～￥")
    chars |= set(chr(c) for c in range(0xFF01, 0xFF5F))  # full-width ASCII
    chars |= set(chr(c) for c in range(0x3000, 0x3020))  # CJK punctuation
    chars |= set(chr(c) for c in range(0x2460, 0x2474))  # ①..⑳
    for hi in range(0xB0, 0xF8):  # GB2312 levels 1 and 2: rows 16-87
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    sources = sorted((ROOT / "datasets" / "generator" / "src").rglob("*.rs"))
    sources += sorted((ROOT / "datasets" / "pools").glob("*.tsv")) + sorted((ROOT / "datasets" / "pools").glob("*.txt"))
    for path in sources:
        chars |= {c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F}
    return sorted(c for c in chars if c.isprintable())


def rename(path, family):
    """Replaces every name record that carries the reserved font name."""
    from fontTools.ttLib import TTFont

    font = TTFont(path)
    table = font["name"]
    for rec in list(table.names):
        if rec.nameID in (1, 16):
            table.setName(family, rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID in (3, 4):
            table.setName(f"{family} Regular", rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        elif rec.nameID == 6:
            table.setName(f"{family}-Regular", rec.nameID, rec.platformID, rec.platEncID, rec.langID)
        else:
            text = rec.toUnicode()
            if "LXGW" in text or "霞鹜" in text or "Klee" in text:
                if rec.nameID in (0, 13, 14):  # copyright, licence text, licence URL stay
                    continue
                table.removeNames(nameID=rec.nameID, platformID=rec.platformID, platEncID=rec.platEncID, langID=rec.langID)
    font.save(path)


def main():
    chars = charset()
    text_file = OUT / "charset.txt"
    text_file.write_text("".join(chars), encoding="utf-8")
    for name, src, index in FONTS:
        args = [
            sys.executable, "-m", "fontTools.subset", src,
            f"--text-file={text_file}",
            f"--output-file={OUT / name}",
            "--layout-features=*", "--no-hinting",
            "--name-IDs=*", "--name-languages=*",
        ]
        if index is not None:
            args.append(f"--font-number={index}")
        subprocess.run(args, check=True)
        if name.startswith("DajianKai"):
            rename(OUT / name, "DajianKai")
        print(name, (OUT / name).stat().st_size)
    print(len(chars), "characters")


if __name__ == "__main__":
    main()
