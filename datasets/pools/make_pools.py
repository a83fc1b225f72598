#!/usr/bin/env python3
"""Builds the word pools the synthetic world draws names and places from.

Sources (both MIT-licensed wheels from PyPI; nothing else is read):
  * faker 40.63.0, `faker/providers/person/zh_CN`: 399 surnames with their
    frequency weights, 131 common given names;
  * cpca 0.5.5, `cpca/resources/adcodes.csv`: GB/T 2260 provinces,
    prefectures and counties (3 511 rows, codes and names);
and, computed here, GB 2312 level 1 (the 3 755 commonest hanzi) from
Python's own gb2312 codec.

Run from the repository root; the output is byte-for-byte the same:

    pip download --no-deps faker==40.63.0 cpca==0.5.5 -d /tmp/pools
    python3 datasets/pools/make_pools.py /tmp/pools
"""
import ast
import csv
import io
import pathlib
import sys
import zipfile

OUT = pathlib.Path(__file__).resolve().parent

# Double surnames (复姓) faker's list lacks; small weights, as they are rare.
DOUBLE_SURNAMES = ["司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                   "司徒", "令狐", "夏侯", "端木", "南宫", "独孤", "呼延", "闻人", "轩辕", "澹台"]


def wheel(folder, name):
    [path] = sorted(pathlib.Path(folder).glob(f"{name}-*.whl"))
    return zipfile.ZipFile(path)


def faker_lists(z):
    src = z.read("faker/providers/person/zh_CN/__init__.py").decode("utf-8")
    out = {}
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in ("first_names_male", "first_names_female"):
                out[name] = ast.literal_eval(node.value)
            elif name == "last_names":
                out[name] = eval(ast.unparse(node.value), {"OrderedDict": lambda x: list(x)})
    return out


def main(folder):
    f = faker_lists(wheel(folder, "faker"))
    with open(OUT / "surnames.tsv", "w", encoding="utf-8") as w:
        for s, weight in f["last_names"]:
            w.write(f"{s}\t{weight}\n")
        for s in DOUBLE_SURNAMES:
            if s not in dict(f["last_names"]):
                w.write(f"{s}\t0.002\n")
    with open(OUT / "given_names.tsv", "w", encoding="utf-8") as w:
        for sex, key in (("m", "first_names_male"), ("f", "first_names_female")):
            for n in f[key]:
                w.write(f"{n}\t{sex}\n")

    rows = csv.DictReader(io.TextIOWrapper(wheel(folder, "cpca").open("cpca/resources/adcodes.csv"), encoding="utf-8"))
    divisions = sorted({(r["adcode"][:6], r["name"]) for r in rows if r["name"] not in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")})
    # The service reads it too (extraction mends an address's divisions by
    # it), so it lives with the service's other reference lists.
    with open(OUT.parent.parent / "rules" / "divisions.tsv", "w", encoding="utf-8") as w:
        for code, name in divisions:
            w.write(f"{code}\t{name}\n")

    level1 = []
    for hi in range(0xB0, 0xD8):  # GB2312 rows 16-55
        for lo in range(0xA1, 0xFF):
            try:
                level1.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    (OUT / "hanzi_level1.txt").write_text("".join(level1) + "\n", encoding="utf-8")
    print(len(f["last_names"]), "surnames,", len(divisions), "divisions,", len(level1), "level-1 hanzi")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/tmp/pools")
