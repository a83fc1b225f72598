#!/usr/bin/env python3
"""Rebuild dajian's OCR models from the PaddleOCR models in the
`rapidocr-onnxruntime==1.4.4` wheel, byte-for-byte.

Input/output adapter nodes are added and the graph is simplified; no
weight is retrained. Why each change is needed (see MODEL_CARD.md):

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
* Then each graph is simplified by exact algebra on its constants
  (`simplify`), because rten runs every element-wise node as a pass over the
  whole tensor: BatchNormalization and the `Mul`/`Add` "learnable affine
  blocks" next to a convolution are folded into its weights, hardswish
  (Add, Clip, Mul, Div) becomes HardSigmoid and Mul, and the grey-to-RGB
  Concat is folded into the first convolution. The outputs differ from the
  unfolded graph's by float rounding only; every build prints the largest
  difference (onnxruntime, on a fixed pseudo-random input).

Run in a throwaway venv (pins matter for byte-identical output):

    python3 -m venv /tmp/ocr-build && . /tmp/ocr-build/bin/activate
    pip install rapidocr-onnxruntime==1.4.4 onnx==1.23.2 protobuf==7.36.2 numpy==2.4.6 onnxruntime==1.32.0
    python models/ocr/build.py            # writes next to this script
    python models/ocr/build.py --check    # rebuilds in a temp dir, compares sha256
"""

import argparse
import hashlib
import os
import sys
import tempfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

WHEEL_PACKAGE = "rapidocr_onnxruntime"
DET_SRC = "ch_PP-OCRv4_det_infer.onnx"
REC_SRC = "ch_PP-OCRv4_rec_infer.onnx"
CLS_SRC = "ch_ppocr_mobile_v2.0_cls_infer.onnx"
DET_DIMS = [1, 1, "height", "width"]
OUTPUTS = ["det.onnx", "rec.onnx", "cls.onnx", "alphabet.txt", "det.safetensors", "rec.safetensors", "cls.safetensors"]


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


# --- Graph simplification (exact algebra; no weight is retrained) ---------
#
# PP-OCRv4's PP-LCNetV3 blocks, as exported by paddle2onnx, run every
# convolution through a chain of whole-tensor passes: Conv -> Mul(scale) ->
# Add(bias) (a "learnable affine block") -> hardswish spelt as
# Add(3) -> Clip(0,6) -> Mul -> Div(6) -> Mul(scale) -> Add(bias). With rten
# these element-wise passes were ~28 % of detection time. Each rewrite below
# is exact algebra on the constants (float rounding aside; `verify` checks
# the outputs against the unfolded graph with onnxruntime).


class Graph:
    def __init__(self, model):
        self.m = model
        self.g = model.graph
        self.new_weights = 0

    def consumers(self, name):
        return [n for n in self.g.node if name in n.input]

    def producer(self, name):
        for n in self.g.node:
            if name in n.output:
                return n
        return None

    def const(self, name):
        for n in self.g.node:
            if n.op_type == "Constant" and n.output[0] == name:
                return numpy_helper.to_array(n.attribute[0].t)
        for i in self.g.initializer:
            if i.name == name:
                return numpy_helper.to_array(i)
        return None

    def scalar(self, name):
        a = self.const(name)
        if a is None or a.size != 1:
            return None
        return float(a.reshape(()))

    def add_weight(self, array):
        name = f"dajian_folded_{self.new_weights}"
        self.new_weights += 1
        self.g.initializer.append(numpy_helper.from_array(array.astype(np.float32), name))
        return name

    def sole_consumer(self, name, op_type):
        cs = self.consumers(name)
        if len(cs) == 1 and cs[0].op_type == op_type and name not in [o.name for o in self.g.output]:
            return cs[0]
        return None

    def other_input(self, node, name):
        a, b = node.input
        return b if a == name else a

    def remove(self, *nodes):
        for n in nodes:
            self.g.node.remove(n)

    def conv_weights(self, conv):
        w = self.const(conv.input[1])
        b = self.const(conv.input[2]) if len(conv.input) > 2 else np.zeros(w.shape[0], np.float32)
        return w, b

    def set_conv_weights(self, conv, w, b):
        del conv.input[1:]
        conv.input.extend([self.add_weight(w), self.add_weight(b)])

    def prune_constants(self):
        used = {i for n in self.g.node for i in n.input} | {o.name for o in self.g.output}
        for n in [n for n in self.g.node if n.op_type == "Constant" and n.output[0] not in used]:
            self.g.node.remove(n)
        for i in [i for i in self.g.initializer if i.name not in used]:
            self.g.initializer.remove(i)


def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return helper.get_attribute_value(a)
    return default


def fold_batch_norm(G):
    """Conv -> BatchNormalization: the normalisation is a per-channel affine map."""
    for conv in [n for n in G.g.node if n.op_type == "Conv"]:
        bn = G.sole_consumer(conv.output[0], "BatchNormalization")
        if bn is None:
            continue
        scale, bias, mean, var = (G.const(x) for x in bn.input[1:5])
        k = scale / np.sqrt(var + attr(bn, "epsilon", 1e-5))
        w, b = G.conv_weights(conv)
        G.set_conv_weights(conv, w * k[:, None, None, None], (b - mean) * k + bias)
        conv.output[0] = bn.output[0]
        G.remove(bn)


def fold_affine_after_conv(G):
    """Conv -> Mul(s) -> Add(t): s*(Wx+b)+t is a convolution too."""
    for conv in [n for n in G.g.node if n.op_type == "Conv"]:
        mul = G.sole_consumer(conv.output[0], "Mul")
        if mul is None:
            continue
        s = G.scalar(G.other_input(mul, conv.output[0]))
        add = G.sole_consumer(mul.output[0], "Add")
        t = G.scalar(G.other_input(add, mul.output[0])) if add is not None else None
        if s is None or t is None:
            continue
        w, b = G.conv_weights(conv)
        G.set_conv_weights(conv, w * s, b * s + t)
        conv.output[0] = add.output[0]
        G.remove(mul, add)


def hardswish(G):
    """x * Clip(x+3, 0, 6) / 6 == x * HardSigmoid(x; 1/6, 1/2): two passes, not four."""
    for add in [n for n in G.g.node if n.op_type == "Add"]:
        if len(add.input) != 2:
            continue
        x = next((i for i in add.input if G.scalar(i) is None), None)
        if x is None or G.scalar(G.other_input(add, x)) != 3.0:
            continue
        clip = G.sole_consumer(add.output[0], "Clip")
        if clip is None or [G.scalar(i) for i in clip.input[1:]] != [0.0, 6.0]:
            continue
        mul = G.sole_consumer(clip.output[0], "Mul")
        if mul is None or G.other_input(mul, clip.output[0]) != x:
            continue
        div = G.sole_consumer(mul.output[0], "Div")
        if div is None or div.input[0] != mul.output[0] or G.scalar(div.input[1]) != 6.0:
            continue
        gate = f"{div.output[0]}_gate"
        hs = helper.make_node("HardSigmoid", [x], [gate], alpha=1.0 / 6.0, beta=0.5, name=f"{gate}_hs")
        new_mul = helper.make_node("Mul", [x, gate], [div.output[0]], name=f"{gate}_mul")
        at = list(G.g.node).index(add)
        G.remove(add, clip, mul, div)
        G.g.node.insert(at, new_mul)
        G.g.node.insert(at, hs)


def fold_affine_into_pointwise_conv(G):
    """Mul(s) -> Add(t) -> 1x1 Conv: W(sx+t)+b == (sW)x + (b + t*sum(W)).
    Only unpadded 1x1 convolutions: a padded one would see t at its border
    where the original saw zeros."""
    for mul in [n for n in G.g.node if n.op_type == "Mul"]:
        x = next((i for i in mul.input if G.scalar(i) is None), None)
        if x is None or G.const(x) is not None:
            continue
        s = G.scalar(G.other_input(mul, x))
        add = G.sole_consumer(mul.output[0], "Add")
        t = G.scalar(G.other_input(add, mul.output[0])) if add is not None else None
        if s is None or t is None:
            continue
        convs = G.consumers(add.output[0])
        if not convs or any(
            c.op_type != "Conv" or c.input[0] != add.output[0] or attr(c, "group", 1) != 1
            or list(attr(c, "kernel_shape", [])) != [1, 1] or any(attr(c, "pads", [0]))
            for c in convs
        ):
            continue
        for conv in convs:
            w, b = G.conv_weights(conv)
            G.set_conv_weights(conv, w * s, b + t * w.sum(axis=(1, 2, 3)))
            conv.input[0] = x
        G.remove(mul, add)


def fold_grey_input(G):
    """input -> Mul(2) -> Concat(3 times) -> Conv: the first convolution sees
    one channel, with its weights summed over the three and doubled."""
    convs = G.consumers("x")
    if not convs or any(c.op_type != "Conv" or attr(c, "group", 1) != 1 for c in convs):
        return
    for conv in convs:
        w, b = G.conv_weights(conv)
        G.set_conv_weights(conv, 2.0 * w.sum(axis=1, keepdims=True), b)
        conv.input[0] = "input"
    G.remove(G.producer("x"), G.producer("dajian_scaled"))


def simplify(model):
    G = Graph(model)
    fold_batch_norm(G)
    fold_affine_after_conv(G)
    hardswish(G)
    fold_affine_into_pointwise_conv(G)
    fold_grey_input(G)
    G.prune_constants()
    return model


def verify(plain, simple, shape):
    """Largest difference between the outputs of the unfolded and the folded
    graph on one fixed pseudo-random input (onnxruntime, from the wheel's
    dependencies)."""
    import onnxruntime as ort

    x = np.random.default_rng(7).uniform(-0.5, 0.5, shape).astype(np.float32)
    run = lambda m: ort.InferenceSession(m.SerializeToString()).run(None, {"input": x})[0]
    return float(np.abs(run(plain) - run(simple)).max())


def write_all(out_dir, check_folding=False):
    src = source_dir()
    os.makedirs(out_dir, exist_ok=True)
    det = build_det(os.path.join(src, DET_SRC))
    rec, alphabet = build_rec(os.path.join(src, REC_SRC))
    cls = build_cls(os.path.join(src, CLS_SRC))
    shapes = {"det.onnx": [1, 1, 320, 480], "rec.onnx": [2, 1, 48, 320], "cls.onnx": [2, 1, 48, 192]}
    for name, m in [("det.onnx", det), ("rec.onnx", rec), ("cls.onnx", cls)]:
        plain = onnx.ModelProto()
        plain.CopyFrom(m)
        simplify(m)
        onnx.checker.check_model(m)
        if check_folding:
            print(f"folded {name}: {len(plain.graph.node)} -> {len(m.graph.node)} nodes, "
                  f"largest output difference {verify(plain, m, shapes[name]):.2e}")
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(m.SerializeToString(deterministic=True))
    with open(os.path.join(out_dir, "alphabet.txt"), "wb") as f:
        f.write(alphabet.encode("utf-8"))
    write_candle_weights(out_dir)


def write_candle_weights(out_dir):
    """The same weights for dajian's candle backend (`src/ocr/candle/`):
    each simplified graph walked node by node (`candle_weights/<m>.py`
    asserts its shape, so a changed graph is noticed) and its tensors
    written under the candle modules' dotted names as safetensors."""
    import importlib
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "candle_weights"))
    import safetensors_io
    for m in ["det", "rec", "cls"]:
        raw = open(os.path.join(out_dir, f"{m}.onnx"), "rb").read()
        tensors = importlib.import_module(m).tensors(onnx.load_from_string(raw))
        safetensors_io.write(os.path.join(out_dir, f"{m}.safetensors"), tensors,
                             metadata={"source": f"models/ocr/{m}.onnx", "sha256": hashlib.sha256(raw).hexdigest()})


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
        write_all(args.out, check_folding=True)
        for name in OUTPUTS:
            print(f"output {name} {sha256(os.path.join(args.out, name))}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        write_all(tmp, check_folding=True)
        bad = 0
        for name in OUTPUTS:
            a, b = sha256(os.path.join(tmp, name)), sha256(os.path.join(args.out, name))
            print(f"{'same' if a == b else 'DIFFERENT'} {name} {a}")
            bad += a != b
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
