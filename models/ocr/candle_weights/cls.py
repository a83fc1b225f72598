"""Weights of the text-line orientation classifier (`models/ocr/cls.onnx`,
PP-OCR mobile v2.0 cls: MobileNetV3 small, scale 0.35 + ClsHead) for the
candle module `src/ocr/candle/cls.rs`, under dotted names that mirror
PaddleOCR's module tree (ppocr/modeling/backbones/rec_mobilenet_v3.py,
ppocr/modeling/heads/cls_head.py):

    backbone.conv1.{weight,bias}                          stem ConvBNLayer
    backbone.blocks.<i>.expand_conv.{weight,bias}         ResidualUnit 1x1
    backbone.blocks.<i>.bottleneck_conv.{weight,bias}     depthwise kxk
    backbone.blocks.<i>.mid_se.conv{1,2}.{weight,bias}    SEModule
    backbone.blocks.<i>.linear_conv.{weight,bias}         1x1, no activation
    backbone.conv2.{weight,bias}                          last ConvBNLayer
    head.fc.{weight,bias}                                 Linear 200 -> 2

A ConvBNLayer is `conv` + `bn` in PaddleOCR; build.py folded the batch norm
into the convolution, so each one is a single weight+bias here (no `.conv`
/ `.bn` level). `head.fc.weight` is stored `[out, in]` (candle_nn::Linear's
layout); the graph's MatMul holds Paddle's `[in, out]`, so it is transposed.

The graph is walked node by node in its stored order, asserting every op,
attribute, shape and data edge against the architecture, so a changed ONNX
fails here rather than loading silently wrong weights. Every initializer and
every Constant node is consumed exactly once (asserted at the end).

Written by ../build.py (write_candle_weights).
"""
import numpy as np
import onnx

from graph_walk import Walk, attrs_of, make_divisible  # this folder is on sys.path (build.py puts it there)

# PaddleOCR's MobileNetV3 "small" table: kernel, expansion, out, SE, activation,
# stride. Strides (2, 1) are `small_stride` (halve height only). Mirrored by
# `Config::small` in cls.rs.
SMALL = [
    (3, 16, 16, True, 'relu', (2, 1)),
    (3, 72, 24, False, 'relu', (2, 1)),
    (3, 88, 24, False, 'relu', (1, 1)),
    (5, 96, 40, True, 'hardswish', (2, 1)),
    (5, 240, 40, True, 'hardswish', (1, 1)),
    (5, 240, 40, True, 'hardswish', (1, 1)),
    (5, 120, 48, True, 'hardswish', (1, 1)),
    (5, 144, 48, True, 'hardswish', (1, 1)),
    (5, 288, 96, True, 'hardswish', (2, 1)),
    (5, 576, 96, True, 'hardswish', (1, 1)),
    (5, 576, 96, True, 'hardswish', (1, 1)),
]
SCALE = 0.35
STEM, LAST, CLASSES, SE_REDUCTION = 16, 576, 2, 4
# HardSigmoid parameters as float32 in the graph: hardswish gate 1/6, 1/2
# (build.py's folding); SE gate Paddle's F.hardsigmoid(slope=0.2, offset=0.5).
HARD_SWISH = (np.float32(1 / 6), np.float32(0.5))
SE_GATE = (np.float32(0.2), np.float32(0.5))

def conv(w, x, cin, cout, k, stride, groups):
    """A Conv (weight + bias; the bias either the Conv's third input or a
    following Reshape(const, [1,C,1,1]) + Add, as paddle2onnx writes
    SEModule's convolutions). Returns (output name, weight, bias)."""
    n = w.node('Conv', x)
    a = attrs_of(n)
    p = (k - 1) // 2
    assert a == {'dilations': [1, 1], 'group': groups, 'kernel_shape': [k, k], 'pads': [p, p, p, p], 'strides': list(stride)}, (n.name, a)
    weight = w.value(n.input[1]).astype(np.float32)
    assert weight.shape == (cout, cin // groups, k, k), (n.name, weight.shape)
    if len(n.input) == 3:
        bias = w.value(n.input[2])
        return n.output[0], weight, bias.astype(np.float32)
    assert len(n.input) == 2, n.name
    r = w.node('Reshape')
    bias = w.value(r.input[0])
    assert list(w.value(r.input[1])) == [1, cout, 1, 1], r.name
    add = w.node('Add', n.output[0], r.output[0])
    assert bias.shape == (cout,), (r.name, bias.shape)
    return add.output[0], weight, bias.astype(np.float32)

def hard_sigmoid(w, x, params):
    n = w.node('HardSigmoid', x)
    a = attrs_of(n)
    assert (np.float32(a['alpha']), np.float32(a['beta'])) == params, (n.name, a, params)
    return n.output[0]

def activation(w, x, act):
    if act == 'relu':
        return w.node('Relu', x).output[0]
    assert act == 'hardswish'
    gate = hard_sigmoid(w, x, HARD_SWISH)
    return w.node('Mul', x, gate).output[0]

def tensors(model: onnx.ModelProto) -> dict:
    w = Walk(model)
    out = {}

    def put(prefix, x, weight, bias):
        out[f'{prefix}.weight'], out[f'{prefix}.bias'] = weight, bias
        return x

    assert [i.name for i in model.graph.input] == ['input']
    x = 'input'
    # Stem: 3x3 stride 2, hardswish. One input channel: build.py folded the
    # grey -> 3-channel Concat and the x2 scale into its weights.
    c = make_divisible(STEM * SCALE, 8)
    x = put('backbone.conv1', *conv(w, x, 1, c, 3, (2, 2), 1))
    x = activation(w, x, 'hardswish')

    for i, (k, exp, cout, se, act, stride) in enumerate(SMALL):
        p = f'backbone.blocks.{i}'
        mid, cout = make_divisible(SCALE * exp, 8), make_divisible(SCALE * cout, 8)
        block_in = x
        x = put(f'{p}.expand_conv', *conv(w, x, c, mid, 1, (1, 1), 1))
        x = activation(w, x, act)
        x = put(f'{p}.bottleneck_conv', *conv(w, x, mid, mid, k, stride, mid))
        x = activation(w, x, act)
        if se:
            gap = w.node('GlobalAveragePool', x).output[0]
            s = put(f'{p}.mid_se.conv1', *conv(w, gap, mid, mid // SE_REDUCTION, 1, (1, 1), 1))
            s = w.node('Relu', s).output[0]
            s = put(f'{p}.mid_se.conv2', *conv(w, s, mid // SE_REDUCTION, mid, 1, (1, 1), 1))
            s = hard_sigmoid(w, s, SE_GATE)
            x = w.node('Mul', x, s).output[0]
        x = put(f'{p}.linear_conv', *conv(w, x, mid, cout, 1, (1, 1), 1))
        if stride == (1, 1) and c == cout:  # ResidualUnit.if_shortcut
            x = w.node('Add', block_in, x).output[0]
        c = cout

    last = make_divisible(SCALE * LAST, 8)
    x = put('backbone.conv2', *conv(w, x, c, last, 1, (1, 1), 1))
    x = activation(w, x, 'hardswish')
    n = w.node('MaxPool', x)
    assert attrs_of(n) == {'ceil_mode': 0, 'kernel_shape': [2, 2], 'pads': [0, 0, 0, 0], 'strides': [2, 2]}, attrs_of(n)
    x = n.output[0]

    # ClsHead: AdaptiveAvgPool2D(1), reshape to [N, C], fc, softmax.
    pooled = w.node('GlobalAveragePool', x).output[0]
    # paddle.reshape(x, [x.shape[0], x.shape[1]]) as dynamic-shape plumbing:
    # Shape -> Cast -> Slice(dim 0) -> Cast, Concat with the constant 200.
    # The candle module does a plain reshape; check the plumbing says so.
    s = w.node('Shape', pooled).output[0]
    s = w.node('Cast', s).output[0]
    sl = w.node('Slice', s)
    assert [list(w.value(v)) for v in sl.input[1:]] == [[0], [1], [0], [1]], sl.name
    batch = w.node('Cast', sl.output[0]).output[0]
    cc = w.node('Cast')
    assert list(w.value(cc.input[0])) == [last], cc.name
    cat = w.node('Concat', batch, cc.output[0])
    assert attrs_of(cat) == {'axis': -1}
    x = w.node('Reshape', pooled, cat.output[0]).output[0]
    mm = w.node('MatMul', x)
    fc_w = w.value(mm.input[1]).astype(np.float32)
    assert fc_w.shape == (last, CLASSES), fc_w.shape
    add = w.node('Add', mm.output[0])
    fc_b = w.value(add.input[1]).astype(np.float32)
    assert fc_b.shape == (CLASSES,), fc_b.shape
    out['head.fc.weight'] = np.ascontiguousarray(fc_w.T)  # Paddle [in,out] -> [out,in]
    out['head.fc.bias'] = fc_b
    sm = w.node('Softmax', add.output[0])
    assert attrs_of(sm) == {'axis': 1}
    ident = w.node('Identity', sm.output[0])
    assert [o.name for o in model.graph.output] == [ident.output[0]]
    w.done()
    return out
