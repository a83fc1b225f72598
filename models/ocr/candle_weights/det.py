"""Weights of the simplified PP-OCRv4 detector (`models/ocr/det.onnx`) for
the candle port (`src/ocr/candle/det.rs`), under dotted names that mirror
PaddleOCR's module tree (`backbone.…`, `neck.…`, `head.…`).

The graph is walked node by node in the order PaddleOCR's forward runs, and
every node is checked against the structure the candle module assumes
(op, kernel, stride, group, channels, wiring), so a changed ONNX fails here
instead of giving wrong numbers.

Names (all float32):
- backbone.conv1.{weight,bias}: ConvBNLayer, its batch norm folded by build.py.
- backbone.blocks{2..6}.{i}.dw_conv.{weight,bias}, .pw_conv.{weight,bias}:
  LCNetV3Block's two LearnableRepLayers, already re-parameterised (one conv
  each) with their inner LearnableAffineBlock folded in.
- backbone.blocks{..}.{i}.pw_conv.act.lab.{scale,bias}, shape [1]: the
  affine block after the pw_conv's hardswish, kept in the graph because the
  next reader is a padded depthwise conv; .dw_conv.act.lab.{scale,bias}
  likewise where an SE layer follows the dw_conv (blocks6.1). The other
  stride-1 dw_convs' one and the last block's pw_conv one were folded into
  the following unpadded 1x1 conv, so they do not exist here.
- backbone.blocks6.{0,1}.se.conv{1,2}.{weight,bias}: PPLCNetV3's SELayer.
- backbone.layer_list.{0..3}.{weight,bias}: the det-only 1x1 convs.
- neck.ins_conv.{i}.in_conv.weight, neck.inp_conv.{i}.in_conv.weight (no
  bias) and .se_block.conv{1,2}.{weight,bias}: RSEFPN's RSELayers.
- head.binarize.conv1.{weight,bias}: conv with conv_bn1 folded by build.py.
- head.binarize.conv2.{weight,bias}, head.binarize.conv3.{weight,bias}:
  the two Conv2DTranspose (weight [in, out, 2, 2]); bias [out].
- head.binarize.conv_bn2.{weight,bias,running_mean,running_var}: the one
  batch norm left in the graph, kept as its four tensors (eps 1e-5 in the
  module), not folded.
"""
import numpy as np
import onnx

from graph_walk import Walk, make_divisible  # this folder is on sys.path (build.py puts it there)

# PaddleOCR PPLCNetV3 NET_CONFIG_det: k, in_c, out_c, stride, use_se.
NET_CONFIG_DET = {
    'blocks2': [(3, 16, 32, 1, False)],
    'blocks3': [(3, 32, 64, 2, False), (3, 64, 64, 1, False)],
    'blocks4': [(3, 64, 128, 2, False), (3, 128, 128, 1, False)],
    'blocks5': [(3, 128, 256, 2, False), (5, 256, 256, 1, False), (5, 256, 256, 1, False),
                (5, 256, 256, 1, False), (5, 256, 256, 1, False)],
    'blocks6': [(5, 256, 512, 2, True), (5, 512, 512, 1, True), (5, 512, 512, 1, False),
                (5, 512, 512, 1, False)],
}
SCALE = 0.75
MV_C = [16, 24, 56, 480]
NECK_OUT = 96

class Walker(Walk):
    """Walks the graph's non-Constant nodes in order, asserting each."""

    def __init__(self, model):
        super().__init__(model)
        self.out = {}

    def is_value(self, name):
        return name in self.init or name in self.const

    def take(self, op, x=None, **attrs):
        """The next node, which must be `op`, read `x` as its first
        activation input (if given) and have attributes `attrs`."""
        assert self.pos < len(self.nodes), f'graph ended, wanted {op}'
        n = self.nodes[self.pos]
        self.pos += 1
        assert n.op_type == op, f'node {self.pos}: wanted {op}, found {n.op_type} {n.name}'
        a = {t.name: onnx.helper.get_attribute_value(t) for t in n.attribute}
        for k, v in attrs.items():
            got = a.get(k)
            if isinstance(got, bytes):
                got = got.decode()
            if isinstance(v, float):
                assert got is not None and abs(got - v) < 1e-6, f'{n.name}: {k}={got}, wanted {v}'
            else:
                assert got == v, f'{n.name}: {k}={got}, wanted {v}'
        if x is not None:
            acts = [i for i in n.input if not self.is_value(i)]
            assert x in acts, f'{n.name}: reads {acts}, wanted {x}'
        return n

    def put(self, name, arr, shape):
        arr = np.asarray(arr, dtype=np.float32)
        assert tuple(arr.shape) == tuple(shape), f'{name}: shape {arr.shape}, wanted {shape}'
        assert name not in self.out, name
        self.out[name] = np.ascontiguousarray(arr)

    # --- patterns -------------------------------------------------------

    def conv(self, name, x, cin, cout, k, stride=1, groups=1, bias=True):
        pad = k // 2
        n = self.take('Conv', x, kernel_shape=[k, k], strides=[stride, stride], group=groups,
                      pads=[pad] * 4, dilations=[1, 1])
        assert n.input[0] == x
        self.put(f'{name}.weight', self.value(n.input[1]), (cout, cin // groups, k, k))
        if bias:
            assert len(n.input) == 3, f'{n.name}: no bias'
            self.put(f'{name}.bias', self.value(n.input[2]), (cout,))
        else:
            assert len(n.input) == 2, f'{n.name}: has a bias'
        return n.output[0]

    def hardswish(self, x):
        hs = self.take('HardSigmoid', x, alpha=1 / 6, beta=0.5)
        m = self.take('Mul')
        assert sorted(m.input) == sorted([x, hs.output[0]]), m
        return m.output[0]

    def scalar_affine(self, name, x):
        """Mul(scale) then Add(bias), each by a one-element constant."""
        m = self.take('Mul', x)
        (s,) = [i for i in m.input if i != x]
        a = self.take('Add', m.output[0])
        (b,) = [i for i in a.input if i != m.output[0]]
        self.put(f'{name}.scale', self.value(s).reshape(-1), (1,))
        self.put(f'{name}.bias', self.value(b).reshape(-1), (1,))
        return a.output[0]

    def se(self, name, x, c, reduction, slope):
        """GAP -> conv1 -> relu -> conv2 -> hardsigmoid(slope) -> x * ."""
        p = self.take('GlobalAveragePool', x).output[0]
        y = self.conv(f'{name}.conv1', p, c, c // reduction, 1)
        y = self.take('Relu', y).output[0]
        y = self.conv(f'{name}.conv2', y, c // reduction, c, 1)
        hs = self.take('HardSigmoid', y, alpha=slope, beta=0.5).output[0]
        m = self.take('Mul')
        assert sorted(m.input) == sorted([x, hs]), m
        return m.output[0]

    def rse_layer(self, name, x, cin, cout, k):
        y = self.conv(f'{name}.in_conv', x, cin, cout, k, bias=False)
        s = self.se(f'{name}.se_block', y, cout, 4, 0.2)
        a = self.take('Add', y)
        assert sorted(a.input) == sorted([y, s]), a  # shortcut: x + se(x)
        return a.output[0]

    def upsample(self, x, s):
        n = self.take('Resize', x, mode='nearest', coordinate_transformation_mode='asymmetric',
                      nearest_mode='floor')
        assert n.input[0] == x
        scales = self.value(n.input[2])
        assert scales.tolist() == [1.0, 1.0, float(s), float(s)], scales
        if n.input[1]:
            assert self.value(n.input[1]).size == 0  # empty roi
        return n.output[0]

def tensors(model: onnx.ModelProto) -> dict:
    w = Walker(model)
    g = model.graph
    assert [i.name for i in g.input] == ['input'], g.input
    x = 'input'

    # ---- backbone: PPLCNetV3(scale=0.75, det=True) ----
    c = make_divisible(16 * SCALE, 16)
    x = w.conv('backbone.conv1', x, 1, c, 3, stride=2)  # 3 grey channels summed by build.py
    stage_out = []
    blocks = [(s, i, cfg) for s in NET_CONFIG_DET for i, cfg in enumerate(NET_CONFIG_DET[s])]
    for bi, (stage, i, (k, cin, cout, stride, use_se)) in enumerate(blocks):
        name = f'backbone.{stage}.{i}'
        cin, cout = make_divisible(cin * SCALE, 16), make_divisible(cout * SCALE, 16)
        assert cin == c
        x = w.conv(f'{name}.dw_conv', x, cin, cin, k, stride=stride, groups=cin)
        if stride != 2:
            x = w.hardswish(x)
            if use_se:  # the SE's gate sits between it and pw_conv: kept
                x = w.scalar_affine(f'{name}.dw_conv.act.lab', x)
            # else: folded into pw_conv, an unpadded 1x1 conv
        if use_se:
            x = w.se(f'{name}.se', x, cin, 4, 0.1666667)
        x = w.conv(f'{name}.pw_conv', x, cin, cout, 1)
        x = w.hardswish(x)
        if bi != len(blocks) - 1:
            x = w.scalar_affine(f'{name}.pw_conv.act.lab', x)
        # else: folded into layer_list.3 (an unpadded 1x1 conv is its only reader)
        c = cout
        if i == len(NET_CONFIG_DET[stage]) - 1 and stage != 'blocks2':
            stage_out.append((x, c))
    assert len(stage_out) == 4
    feats = []
    for j, ((f, cf), mv) in enumerate(zip(stage_out, MV_C)):
        feats.append((w.conv(f'backbone.layer_list.{j}', f, cf, int(mv * SCALE), 1), int(mv * SCALE)))

    # ---- neck: RSEFPN(out_channels=96, shortcut=True) ----
    ins = [None] * 4
    for j in (3, 2, 1, 0):
        ins[j] = w.rse_layer(f'neck.ins_conv.{j}', feats[j][0], feats[j][1], NECK_OUT, 1)
    outs = [None, None, None, ins[3]]
    for j in (2, 1, 0):
        up = w.upsample(outs[j + 1], 2)
        a = w.take('Add', up)
        assert sorted(a.input) == sorted([ins[j], up]), a
        outs[j] = a.output[0]
    ps = [None] * 4
    for j in (3, 2, 1, 0):
        ps[j] = w.rse_layer(f'neck.inp_conv.{j}', outs[j], NECK_OUT, NECK_OUT // 4, 3)
    ups = [w.upsample(ps[3], 8), w.upsample(ps[2], 4), w.upsample(ps[1], 2), ps[0]]
    cat = w.take('Concat', axis=1)
    assert list(cat.input) == ups, cat
    x = cat.output[0]

    # ---- head: DBHead, binarize branch only (inference) ----
    c4 = NECK_OUT // 4
    x = w.conv('head.binarize.conv1', x, NECK_OUT, c4, 3)  # conv_bn1 folded by build.py
    x = w.take('Relu', x).output[0]
    for name, cout in (('head.binarize.conv2', c4), ('head.binarize.conv3', 1)):
        n = w.take('ConvTranspose', x, kernel_shape=[2, 2], strides=[2, 2], group=1, pads=[0, 0, 0, 0],
                   dilations=[1, 1])
        assert len(n.input) == 2 and n.input[0] == x
        assert not [a for a in n.attribute if a.name in ('output_padding', 'output_shape')]
        w.put(f'{name}.weight', w.value(n.input[1]), (c4, cout, 2, 2))
        a = w.take('Add', n.output[0])
        (b,) = [i for i in a.input if i != n.output[0]]
        w.put(f'{name}.bias', w.value(b).reshape(-1), (cout,))
        x = a.output[0]
        if name.endswith('conv2'):
            bn = w.take('BatchNormalization', x, epsilon=1e-5)
            assert bn.input[0] == x and len(bn.output) == 1
            for field, inp in zip(('weight', 'bias', 'running_mean', 'running_var'), bn.input[1:]):
                w.put(f'head.binarize.conv_bn2.{field}', w.value(inp), (c4,))
            x = w.take('Relu', bn.output[0]).output[0]
    x = w.take('Sigmoid', x).output[0]

    assert [o.name for o in g.output] == [x], g.output
    # Every node read, every weight read exactly once: each initializer and
    # each Constant. (The Resize nodes' roi/scales Constants are structure,
    # not weights: checked above, read, and not exported.)
    w.done()
    return w.out
