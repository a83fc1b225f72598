#!/usr/bin/env python3
"""Renders the small synthetic licence-like pages used by dajian's OCR tests
(tests/ocr_golden.rs) and writes golden.json with the lines printed on each.

Needs Pillow and the Noto Sans CJK font (Debian: apt-get install fonts-noto-cjk).
    python3 -m venv /tmp/pages && . /tmp/pages/bin/activate && pip install Pillow
    python tests/data/ocr/make_pages.py
Every value is invented; no real person or company.
"""

import json
import os

from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = os.path.dirname(os.path.abspath(__file__))
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def font(path, size):
    # The .ttc holds JP/KR/SC/TC/HK faces; pick Simplified Chinese by name so
    # the glyph shapes are the mainland ones.
    for index in range(10):
        f = ImageFont.truetype(path, size, index=index)
        if f.getname()[0].endswith("CJK SC"):
            return f
    raise SystemExit("no SC face in " + path)


def card(title, rows, size=(1000, 660), text_px=30, title_px=44, margin=60, gap=18):
    """A licence-like card: a title and `label value` rows, label and value
    separated by a wide gap as on the real documents."""
    img = Image.new("RGB", size, (250, 248, 240))
    d = ImageDraw.Draw(img)
    d.rectangle([12, 12, size[0] - 13, size[1] - 13], outline=(120, 140, 170), width=3)
    tf, f = font(BOLD, title_px), font(FONT, text_px)
    tw = d.textlength(title, font=tf)
    d.text(((size[0] - tw) / 2, margin - 20), title, font=tf, fill=(20, 20, 20))
    lines = [title]
    y = margin - 20 + title_px + 2 * gap
    label_w = max(d.textlength(label, font=f) for label, _ in rows) + 2 * text_px
    for label, value in rows:
        d.text((margin, y), label, font=f, fill=(40, 40, 40))
        d.text((margin + label_w, y), value, font=f, fill=(10, 10, 10))
        lines.append(f"{label} {value}")
        y += text_px + gap
    return img, lines


def main():
    pages = []

    def add(img, lines, file, rotation, **save_options):
        """Saves a page beside this script, with the clockwise turn and the
        lines dajian must find on it."""
        img.save(os.path.join(HERE, file), **save_options)
        pages.append({"file": file, "rotation": rotation, "lines": lines})

    img, lines = card("中华人民共和国机动车行驶证", [
        ("号牌号码", "鲁H6789挂"), ("车辆类型", "重型低平板半挂车"),
        ("所有人", "济宁顺达（大件）运输有限公司"), ("住址", "山东省济宁市任城区建设路88号"),
        ("使用性质", "货运"), ("品牌型号", "华骏牌ZCZ9400TDP"),
        ("车辆识别代号", "LA9LB3D37KBJXC012"), ("注册日期", "2019-06-18"),
        ("发证日期", "2023-03-08"),
    ], size=(1000, 680))
    add(img, lines, "vehicle_licence.png", 0, optimize=True)

    img, lines = card("中华人民共和国机动车驾驶证", [
        ("证号", "370881198803154218"), ("姓名", "王建国"), ("性别", "男"),
        ("国籍", "中国"), ("住址", "山东省曲阜市鼓楼大街12号"),
        ("出生日期", "1988-03-15"), ("初次领证日期", "2010-07-02"),
        ("准驾车型", "A2D"), ("有效期限", "2020-07-02至2030-07-02"),
    ], size=(960, 640))
    # PIL rotates counter-clockwise: the text now reads upwards, and dajian
    # must turn the page 90° clockwise to read it.
    img = img.rotate(90, expand=True)
    add(img, lines, "driving_licence_rot90.jpg", 90, quality=85)

    img, lines = card("营业执照", [
        ("统一社会信用代码", "91370800MA3C5K7X2Q"), ("名称", "济宁顺达（大件）运输有限公司"),
        ("类型", "有限责任公司"), ("法定代表人", "李红梅"),
        ("注册资本", "伍佰万元整"), ("成立日期", "2016年05月20日"),
        ("营业期限", "2016年05月20日至长期"), ("住所", "济宁市任城区建设路88号"),
    ], size=(1000, 640))
    img = img.rotate(180)
    add(img, lines, "business_licence_rot180.jpg", 180, quality=85)

    img, lines = card("道路运输证", [
        ("业户名称", "济宁顺达（大件）运输有限公司"), ("经营许可证号", "370800012345"),
        ("车辆号牌", "鲁H1234挂"), ("车辆类型", "重型半挂牵引车"),
        ("吨（座）位", "40吨"), ("车辆规格", "18100×2550×4000mm"),
        ("经营范围", "道路普通货物运输，大型物件运输"), ("有效期至", "2027年12月31日"),
    ], size=(1000, 640))
    img = img.rotate(7, expand=True, resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    add(img, lines, "road_transport_skew7.jpg", 0, quality=85)

    img, lines = card("道路运输从业人员从业资格证", [
        ("从业资格证号", "370881198803154218"), ("姓名", "王建国"), ("性别", "男"),
        ("从业资格类别", "经营性道路货物运输驾驶员"), ("初领日期", "2012年09月01日"),
        ("有效期至", "2028年08月31日"),
    ], size=(960, 560))
    img = img.filter(ImageFilter.GaussianBlur(1.2))
    add(img, lines, "qualification_blur_q60.jpg", 0, quality=60)

    # An A4 page at 200 dpi with 9 pt print (25 px): squashed whole into the
    # 960x640 detector input this text would be 7 px high.
    rows = [(f"第{i + 1}条", text) for i, text in enumerate([
        "从事大型物件运输的车辆应当按照许可的时间路线速度行驶",
        "承运人应当在运输前对车辆和货物的装载加固情况进行检查",
        "超限运输车辆通行证应当随车携带并接受公路管理机构查验",
        "运输期间遇恶劣天气应当停止行驶并在安全地点停放",
        "护送车辆应当与被护送车辆保持安全距离并开启警示灯",
        "许可证号鲁交运管许可济字370800012345号",
        "车货总质量49000kg外廓尺寸18100×2550×4000mm",
        "有效期自2026年03月08日至2026年06月07日",
    ] * 3)]
    img, lines = card("道路运输经营许可证附页", rows, size=(1654, 2339), text_px=25, title_px=40,
                      margin=120, gap=40)
    add(img, lines, "operating_permit_a4.jpg", 0, quality=85)

    with open(os.path.join(HERE, "golden.json"), "w", encoding="utf-8") as f:
        json.dump(pages, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
