"""Weights of the text recogniser (`models/ocr/rec.onnx`, PP-OCRv4 rec:
PPLCNetV3 backbone + MultiHead's CTC branch = SequenceEncoder(EncoderWithSVTR)
+ CTCHead) for the candle module `src/ocr/candle/rec.rs`, under dotted names
that mirror PaddleOCR's module tree (ppocr/modeling/backbones/rec_lcnetv3.py,
ppocr/modeling/necks/rnn.py, ppocr/modeling/heads/rec_multi_head.py,
rec_ctc_head.py, backbones/rec_svtrnet.py):

    backbone.conv1.{weight,bias}                       stem ConvBNLayer (no act)
    backbone.blocks<s>.<i>.dw_conv.{weight,bias}       LearnableRepLayer, depthwise
    backbone.blocks<s>.<i>.dw_conv.act.lab.{scale,bias}  only where an SE follows
    backbone.blocks<s>.<i>.se.conv{1,2}.{weight,bias}  SELayer
    backbone.blocks<s>.<i>.pw_conv.{weight,bias}       LearnableRepLayer, 1x1
    backbone.blocks<s>.<i>.pw_conv.act.lab.{scale,bias}  [1] each
    head.ctc_encoder.encoder.conv{1,2,3,4}.{weight,bias}, .conv1x1.*
    head.ctc_encoder.encoder.svtr_block.<j>.norm{1,2}.{weight,bias}
    head.ctc_encoder.encoder.svtr_block.<j>.mixer.{qkv,proj}.{weight,bias}
    head.ctc_encoder.encoder.svtr_block.<j>.mlp.{fc1,fc2}.{weight,bias}
    head.ctc_encoder.encoder.norm.{weight,bias}
    head.ctc_head.fc.{weight,bias}

A LearnableRepLayer is re-parameterised (several conv branches + BN + the
layer's own LearnableAffineBlock) into one convolution; build.py folded
the rest, so each is one weight+bias. Its `act` is hardswish followed by a
LearnableAffineBlock (`act.lab`, scalar scale and bias). build.py folded that
affine pair into a following unpadded 1x1 convolution, so it survives only
where a padded convolution, an SE module or the pooling follows: after every
pw_conv, and after a dw_conv followed by an SE module (asserted below).

Linear weights are stored `[out, in]` (candle_nn::Linear's layout); the graph's
MatMuls hold Paddle's `[in, out]`, so they are transposed. Scalars the module
computes from its Config (attention scale head_dim^-0.5, LayerNorm epsilons
1e-5 / 1e-6, swish beta 1, the 1e-12 added before the Log, HardSigmoid
parameters) are asserted here, not exported.

The graph is walked node by node in its stored order, asserting every op,
attribute, shape and data edge, so a changed ONNX fails here rather than
loading silently wrong weights. Every initializer and Constant node is
consumed exactly once (asserted at the end).

Written by ../build.py (write_candle_weights).
"""
import numpy as np
import onnx

from graph_walk import Walk, attrs_of  # this folder is on sys.path (build.py puts it there)

# PPLCNetV3 rec stages as this graph has them (PaddleOCR's NET_CONFIG_rec at
# the shipped scale): kernel, in, out, stride (h, w), SE. Mirrored by
# `Config::default` in rec.rs.
STEM = 16
STAGES = {
    'blocks2': [(3, 16, 32, (1, 1), False)],
    'blocks3': [(3, 32, 64, (1, 1), False), (3, 64, 64, (1, 1), False)],
    'blocks4': [(3, 64, 128, (2, 1), False), (3, 128, 128, (1, 1), False)],
    'blocks5': [(3, 128, 240, (1, 2), False)] + [(5, 240, 240, (1, 1), False)] * 4,
    'blocks6': [(5, 240, 480, (2, 1), True), (5, 480, 480, (1, 1), True),
                (5, 480, 480, (2, 1), False), (5, 480, 480, (1, 1), False)],
}
SE_REDUCTION = 4
POOL = [3, 2]
# EncoderWithSVTR (PP-OCRv4: dims 120, depth 2, hidden 120, kernel [1, 3],
# 8 heads, mlp_ratio 2) and CTCHead.
IN, DIMS, HIDDEN, DEPTH, HEADS, MLP, KERNEL = 480, 120, 120, 2, 8, 240, (1, 3)
CLASSES = 6625
HARD_SWISH = (np.float32(1 / 6), np.float32(0.5))
SE_GATE = (np.float32(0.1666667), np.float32(0.5))  # paddle.nn.Hardsigmoid's default slope
EPS_BLOCK, EPS_NORM, EPS_LOG = np.float32(1e-5), np.float32(1e-6), np.float32(1e-12)

def conv(w, x, cin, cout, k, stride=(1, 1), groups=1):
    """A Conv with weight and bias (k an int or (kh, kw); "same" padding).
    Returns (output name, weight, bias)."""
    kh, kw = (k, k) if isinstance(k, int) else k
    n = w.node('Conv', x)
    ph, pw = (kh - 1) // 2, (kw - 1) // 2
    assert attrs_of(n) == {'dilations': [1, 1], 'group': groups, 'kernel_shape': [kh, kw],
                           'pads': [ph, pw, ph, pw], 'strides': list(stride)}, (n.name, attrs_of(n))
    assert len(n.input) == 3, n.name
    weight = w.value(n.input[1]).astype(np.float32)
    bias = w.value(n.input[2]).astype(np.float32)
    assert weight.shape == (cout, cin // groups, kh, kw), (n.name, weight.shape)
    assert bias.shape == (cout,), (n.name, bias.shape)
    return n.output[0], weight, bias

def hard_sigmoid(w, x, params):
    n = w.node('HardSigmoid', x)
    a = attrs_of(n)
    assert (np.float32(a['alpha']), np.float32(a['beta'])) == params, (n.name, a, params)
    return n.output[0]

def hard_swish(w, x):
    return w.node('Mul', x, hard_sigmoid(w, x, HARD_SWISH)).output[0]

def swish(w, x):
    """x * Sigmoid(1.0 * x) (paddle's swish, beta 1)."""
    m = w.node('Mul', x)
    w.scalar(m.input[1], 1.0)
    s = w.node('Sigmoid', m.output[0]).output[0]
    return w.node('Mul', x, s).output[0]

def affine(w, x):
    """A LearnableAffineBlock: Mul(scale, x), Add(., bias), scalars."""
    m = w.node('Mul', None, x)
    scale = w.value(m.input[0]).astype(np.float32)
    a = w.node('Add', m.output[0])
    bias = w.value(a.input[1]).astype(np.float32)
    assert scale.shape == (1,) and bias.shape == (1,), (m.name, scale.shape, bias.shape)
    return a.output[0], scale, bias

def layer_norm(w, x, dim, eps):
    """LayerNorm over the last axis spelt out by paddle2onnx; returns
    (output, weight, bias)."""
    mean = w.node('ReduceMean', x, attrs={'axes': [-1]}).output[0]
    d = w.node('Sub', x, mean).output[0]
    p = w.node('Pow', d)
    w.scalar(p.input[1], 2.0)
    var = w.node('ReduceMean', p.output[0], attrs={'axes': [-1]}).output[0]
    a = w.node('Add', var)
    w.scalar(a.input[1], eps)
    s = w.node('Sqrt', a.output[0]).output[0]
    y = w.node('Div', d, s).output[0]
    m = w.node('Mul', y)
    weight = w.value(m.input[1]).astype(np.float32)
    b = w.node('Add', m.output[0])
    bias = w.value(b.input[1]).astype(np.float32)
    assert weight.shape == (dim,) and bias.shape == (dim,), (m.name, weight.shape)
    return b.output[0], weight, bias

def linear(w, x, din, dout):
    """MatMul([in, out]) + Add(bias); returns (output, [out, in] weight, bias)."""
    mm = w.node('MatMul', x)
    weight = w.value(mm.input[1]).astype(np.float32)
    assert weight.shape == (din, dout), (mm.name, weight.shape)
    a = w.node('Add', mm.output[0])
    bias = w.value(a.input[1]).astype(np.float32)
    assert bias.shape == (dout,), (a.name, bias.shape)
    return a.output[0], np.ascontiguousarray(weight.T), bias

def cast_consts(w, values):
    """paddle2onnx's Cast(Constant) nodes feeding a shape Concat; each
    constant must be the given int, or None for the one that is not a
    constant (a Cast of a dynamic dimension, passed through)."""
    outs = []
    for v in values:
        if isinstance(v, str):
            outs.append(w.node('Cast', v, attrs={'to': 7}).output[0])
        else:
            n = w.node('Cast', attrs={'to': 7})
            w.scalar(n.input[0], v)
            outs.append(n.output[0])
    return outs

def dim_of(w, x, axis):
    """Shape(x) -> Cast(int32) -> Slice([axis, axis+1] on axis 0): one
    dynamic dimension as paddle2onnx spells x.shape[axis]."""
    s = w.node('Shape', x).output[0]
    c = w.node('Cast', s, attrs={'to': 6}).output[0]
    sl = w.node('Slice', c)
    for name, v in zip(sl.input[1:], [axis, axis + 1, 0, 1]):
        w.scalar(name, v)
    return sl.output[0]

def tensors(model: onnx.ModelProto) -> dict:
    w = Walk(model)
    out = {}

    def put(prefix, x, weight, bias, names=('weight', 'bias')):
        out[f'{prefix}.{names[0]}'], out[f'{prefix}.{names[1]}'] = weight, bias
        return x

    def lab(prefix, x):
        return put(f'{prefix}.act.lab', *affine(w, x), names=('scale', 'bias'))

    assert [i.name for i in model.graph.input] == ['input']
    assert [o.name for o in model.graph.output] == ['output']
    # Stem: ConvBNLayer 3x3 stride 2, no activation. One input channel:
    # build.py folded the grey -> 3-channel Concat and the x2 into it.
    x = put('backbone.conv1', *conv(w, 'input', 1, STEM, 3, (2, 2)))
    c = STEM
    for stage, blocks in STAGES.items():
        for i, (k, cin, cout, stride, se) in enumerate(blocks):
            p = f'backbone.{stage}.{i}'
            assert cin == c, (p, cin, c)
            x = put(f'{p}.dw_conv', *conv(w, x, cin, cin, k, stride, cin))
            x = hard_swish(w, x)
            if se:
                x = lab(f'{p}.dw_conv', x)
                gap = w.node('GlobalAveragePool', x).output[0]
                s = put(f'{p}.se.conv1', *conv(w, gap, cin, cin // SE_REDUCTION, 1))
                s = w.node('Relu', s).output[0]
                s = put(f'{p}.se.conv2', *conv(w, s, cin // SE_REDUCTION, cin, 1))
                s = hard_sigmoid(w, s, SE_GATE)
                x = w.node('Mul', x, s).output[0]
            x = put(f'{p}.pw_conv', *conv(w, x, cin, cout, 1))
            x = hard_swish(w, x)
            x = lab(f'{p}.pw_conv', x)
            c = cout
    assert c == IN
    # PPLCNetV3 (rec, inference): F.avg_pool2d(x, [3, 2]).
    x = w.node('AveragePool', x, attrs={'ceil_mode': 0, 'count_include_pad': 0, 'kernel_shape': POOL,
                                       'pads': [0, 0, 0, 0], 'strides': POOL}).output[0]
    h = x

    e = 'head.ctc_encoder.encoder'
    x = swish(w, put(f'{e}.conv1', *conv(w, x, IN, IN // 8, KERNEL)))
    x = swish(w, put(f'{e}.conv2', *conv(w, x, IN // 8, HIDDEN, 1)))
    z = x
    # z.flatten(2).transpose([0, 2, 1]) -> [N, H*W, C]
    width = dim_of(w, z, 3)
    s = w.node('Shape', z).output[0]
    sl = w.node('Slice', s)
    for name, v in zip(sl.input[1:], [0, 2, 0]):
        w.scalar(name, v)
    cat = w.node('Concat', sl.output[0], attrs={'axis': 0})
    w.scalar(cat.input[1], -1)
    x = w.node('Reshape', z, cat.output[0]).output[0]
    x = w.node('Transpose', x, attrs={'perm': [0, 2, 1]}).output[0]

    hd = HIDDEN // HEADS
    for j in range(DEPTH):
        b = f'{e}.svtr_block.{j}'
        y = put(f'{b}.norm1', *layer_norm(w, x, HIDDEN, EPS_BLOCK))
        seq = dim_of(w, y, 1)
        qkv = put(f'{b}.mixer.qkv', *linear(w, y, HIDDEN, 3 * HIDDEN))
        shape = cast_consts(w, [0, seq, 3, HEADS, hd])
        cat = w.node('Concat', *shape, attrs={'axis': 0})
        r = w.node('Reshape', qkv, cat.output[0]).output[0]
        t = w.node('Transpose', r, attrs={'perm': [2, 0, 3, 1, 4]}).output[0]
        qkv_parts = []
        for part in range(3):
            sl = w.node('Slice', t)
            for name, v in zip(sl.input[1:], [part, part + 1, 0, 1]):
                w.scalar(name, v)
            sq = w.node('Squeeze', sl.output[0], attrs={'axes': [0]}).output[0]
            if part == 0:
                m = w.node('Mul', sq)
                w.scalar(m.input[1], np.float32(hd ** -0.5))
                sq = m.output[0]
            qkv_parts.append(sq)
        q, k, v = qkv_parts
        kt = w.node('Transpose', k, attrs={'perm': [0, 1, 3, 2]}).output[0]
        att = w.node('MatMul', q, kt).output[0]
        att = w.node('Softmax', att, attrs={'axis': 3}).output[0]
        o = w.node('MatMul', att, v).output[0]
        o = w.node('Transpose', o, attrs={'perm': [0, 2, 1, 3]}).output[0]
        shape = cast_consts(w, [0, seq, HIDDEN])
        cat = w.node('Concat', *shape, attrs={'axis': 0})
        o = w.node('Reshape', o, cat.output[0]).output[0]
        o = put(f'{b}.mixer.proj', *linear(w, o, HIDDEN, HIDDEN))
        x = w.node('Add', x, o).output[0]
        y = put(f'{b}.norm2', *layer_norm(w, x, HIDDEN, EPS_BLOCK))
        y = put(f'{b}.mlp.fc1', *linear(w, y, HIDDEN, MLP))
        y = swish(w, y)
        y = put(f'{b}.mlp.fc2', *linear(w, y, MLP, HIDDEN))
        x = w.node('Add', x, y).output[0]
    x = put(f'{e}.norm', *layer_norm(w, x, HIDDEN, EPS_NORM))
    # z.reshape([0, H, W, C]).transpose([0, 3, 1, 2]); H is 1 here.
    shape = cast_consts(w, [0, 1, width, HIDDEN])
    cat = w.node('Concat', *shape, attrs={'axis': 0})
    x = w.node('Reshape', x, cat.output[0]).output[0]
    x = w.node('Transpose', x, attrs={'perm': [0, 3, 1, 2]}).output[0]
    x = swish(w, put(f'{e}.conv3', *conv(w, x, HIDDEN, IN, 1)))
    x = w.node('Concat', h, x, attrs={'axis': 1}).output[0]
    x = swish(w, put(f'{e}.conv4', *conv(w, x, 2 * IN, IN // 8, KERNEL)))
    x = swish(w, put(f'{e}.conv1x1', *conv(w, x, IN // 8, DIMS, 1)))

    # Im2Seq: squeeze(axis=2), transpose [0, 2, 1]; CTCHead fc + softmax.
    x = w.node('Squeeze', x, attrs={'axes': [2]}).output[0]
    x = w.node('Transpose', x, attrs={'perm': [0, 2, 1]}).output[0]
    x = put('head.ctc_head.fc', *linear(w, x, DIMS, CLASSES))
    x = w.node('Softmax', x, attrs={'axis': 2}).output[0]
    # build.py's adapter: Log(softmax + 1e-12), to [T, N, C].
    a = w.node('Add', x)
    w.scalar(a.input[1], EPS_LOG)
    x = w.node('Log', a.output[0]).output[0]
    t = w.node('Transpose', x, attrs={'perm': [1, 0, 2]})
    assert t.output[0] == 'output'
    w.done()
    return out
