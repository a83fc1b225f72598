#!/usr/bin/env python3
"""Rebuild dajian's OCR models from the PaddleOCR models in the
`rapidocr-onnxruntime==1.4.4` wheel, byte-for-byte.

Only input/output adapter nodes are added; no weight is changed. Why each
change is needed (see MODEL_CARD.md):

* ocrs (and dajian's own pipeline) feed greyscale pixels as one channel with
  values `x/255 - 0.5`. PP-OCR wants 3 channels normalised `(x/255-0.5)/0.5`.
  So every model gets a new 1-channel input `input`, multiplied by 2 and
  repeated to 3 channels (Concat) before the original graph.
* The detection input is [1, 1, height, width], both dynamic: dajian scales
  each page to the size it needs (multiples of 32) and runs one call. (An
  earlier build fixed it to 640x960 for ocrs's `detect_text_pixels`, which
  pads every page to that size: 2-3x the work on a card.)
* ocrs's recognition contract is `[T, N, C]` log-probabilities; PP-OCR gives
  `[N, T, C]` softmax. Recognition output becomes
  `Transpose(Log(softmax + 1e-12), perm=[1,0,2])`.
* The alphabet (blank is class 0, class i is alphabet[i-1]) is the model's
  own dictionary (metadata `character`) followed by a space, written to
  `alphabet.txt` as one UTF-8 line with no newline.

Run in a throwaway venv (pins matter for byte-identical output):

    python3 -m venv /tmp/ocr-build && . /tmp/ocr-build/bin/activate
    pip install rapidocr-onnxruntime==1.4.4 onnx==1.23.2 protobuf==7.36.2
    python models/ocr/build.py            # writes next to this script
    python models/ocr/build.py --check    # rebuilds in a temp dir, compares sha256
"""

import argparse
import hashlib
import os
import sys
import tempfile

import onnx
from onnx import TensorProto, helper

WHEEL_PACKAGE = "rapidocr_onnxruntime"
DET_SRC = "ch_PP-OCRv4_det_infer.onnx"
REC_SRC = "ch_PP-OCRv4_rec_infer.onnx"
CLS_SRC = "ch_ppocr_mobile_v2.0_cls_infer.onnx"
DET_DIMS = [1, 1, "height", "width"]
OUTPUTS = ["det.onnx", "rec.onnx", "cls.onnx", "alphabet.txt"]


def source_dir():
    import importlib.util

    spec = importlib.util.find_spec(WHEEL_PACKAGE)
    if spec is None:
        sys.exit("rapidocr-onnxruntime==1.4.4 is not installed in this venv")
    return os.path.join(os.path.dirname(spec.origin), "models")


def grey_input_adapter(model, shape):
    """Replace the graph input `x` ([N,3,H,W], PP-OCR normalisation) by a
    1-channel input `input` with ocrs's normalisation x/255-0.5."""
    g = model.graph
    (old,) = [i for i in g.input if i.name == "x"]
    g.input.remove(old)
    new = helper.make_tensor_value_info("input", TensorProto.FLOAT, shape)
    g.input.insert(0, new)
    two = helper.make_tensor("dajian_two", TensorProto.FLOAT, [], [2.0])
    g.initializer.append(two)
    nodes = [
        # (x/255-0.5) * 2 == (x/255-0.5)/0.5, PP-OCR's normalisation.
        helper.make_node("Mul", ["input", "dajian_two"], ["dajian_scaled"], name="dajian_scale"),
        # Grey replicated to the 3 channels the network was trained on.
        helper.make_node(
            "Concat", ["dajian_scaled"] * 3, ["x"], axis=1, name="dajian_grey_to_rgb"
        ),
    ]
    for n in reversed(nodes):
        g.node.insert(0, n)


def build_det(src):
    m = onnx.load(src)
    grey_input_adapter(m, DET_DIMS)
    (out,) = m.graph.output
    out.type.tensor_type.shape.Clear()
    for d in DET_DIMS:
        dim = out.type.tensor_type.shape.dim.add()
        if isinstance(d, str):
            dim.dim_param = d
        else:
            dim.dim_value = d
    return m


def build_rec(src):
    m = onnx.load(src)
    grey_input_adapter(m, ["batch", 1, 48, "width"])
    g = m.graph
    (out,) = g.output
    prob = out.name
    g.output.remove(out)
    eps = helper.make_tensor("dajian_eps", TensorProto.FLOAT, [], [1e-12])
    g.initializer.append(eps)
    g.node.extend(
        [
            helper.make_node("Add", [prob, "dajian_eps"], ["dajian_prob_eps"], name="dajian_eps_add"),
            helper.make_node("Log", ["dajian_prob_eps"], ["dajian_logprob"], name="dajian_log"),
            helper.make_node(
                "Transpose", ["dajian_logprob"], ["output"], perm=[1, 0, 2], name="dajian_to_tnc"
            ),
        ]
    )
    g.output.append(
        helper.make_tensor_value_info("output", TensorProto.FLOAT, ["seq", "batch", 6625])
    )
    chars = [p.value for p in m.metadata_props if p.key == "character"][0].split("\n")
    chars = [c for c in chars if c != ""]
    for c in chars:
        if len(c) != 1:
            sys.exit(f"dictionary entry {c!r} is not one code point; ocrs needs one char per class")
    alphabet = "".join(chars) + " "
    if len(alphabet) + 1 != 6625:
        sys.exit(f"alphabet has {len(alphabet)} entries, expected 6624 (+ blank = 6625 classes)")
    return m, alphabet


def build_cls(src):
    m = onnx.load(src)
    grey_input_adapter(m, ["batch", 1, 48, 192])
    return m


def write_all(out_dir):
    src = source_dir()
    os.makedirs(out_dir, exist_ok=True)
    det = build_det(os.path.join(src, DET_SRC))
    rec, alphabet = build_rec(os.path.join(src, REC_SRC))
    cls = build_cls(os.path.join(src, CLS_SRC))
    for name, m in [("det.onnx", det), ("rec.onnx", rec), ("cls.onnx", cls)]:
        onnx.checker.check_model(m)
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(m.SerializeToString(deterministic=True))
    with open(os.path.join(out_dir, "alphabet.txt"), "wb") as f:
        f.write(alphabet.encode("utf-8"))


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--check", action="store_true", help="rebuild in a temp dir and compare with --out")
    args = ap.parse_args()
    src = source_dir()
    for name in [DET_SRC, REC_SRC, CLS_SRC]:
        print(f"source {name} {sha256(os.path.join(src, name))}")
    if not args.check:
        write_all(args.out)
        for name in OUTPUTS:
            print(f"output {name} {sha256(os.path.join(args.out, name))}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        write_all(tmp)
        bad = 0
        for name in OUTPUTS:
            a, b = sha256(os.path.join(tmp, name)), sha256(os.path.join(args.out, name))
            print(f"{'same' if a == b else 'DIFFERENT'} {name} {a}")
            bad += a != b
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
