"""A cursor over a simplified OCR graph (`../<m>.onnx`) that the weight
exporters (det.py, rec.py, cls.py) walk node by node, asserting each node's
op, inputs and attributes, and that every weight is read exactly once."""
from collections import Counter

import numpy as np

from onnx import helper, numpy_helper


class Walk:
    """A cursor over the graph's non-Constant nodes in stored order."""

    def __init__(self, model):
        g = model.graph
        self.init = {i.name: numpy_helper.to_array(i) for i in g.initializer}
        self.const = {}
        for n in g.node:
            if n.op_type == 'Constant':
                assert len(n.attribute) == 1 and n.attribute[0].name == 'value', n
                self.const[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
        assert not set(self.init) & set(self.const)
        self.nodes = [n for n in g.node if n.op_type != 'Constant']
        self.pos = 0
        self.used = Counter()

    def node(self, op, *inputs, attrs=None):
        """The next node; asserts its op, its leading data inputs where
        given (not None) and, if given, its attributes."""
        assert self.pos < len(self.nodes), f'graph ended, expected {op}'
        n = self.nodes[self.pos]
        self.pos += 1
        assert n.op_type == op, f'node {self.pos}: {n.name} is {n.op_type}, expected {op}'
        for k, x in enumerate(inputs):
            if x is not None:
                assert n.input[k] == x, f'{n.name}: input {k} is {n.input[k]}, expected {x}'
        assert len(n.output) == 1, n.name
        if attrs is not None:
            assert attrs_of(n) == attrs, (n.name, attrs_of(n), attrs)
        return n

    def value(self, name):
        """An initializer's or a Constant node's value, counted as used."""
        self.used[name] += 1
        if name in self.init:
            return self.init[name]
        assert name in self.const, f'{name} is neither an initializer nor a Constant'
        return self.const[name]

    def scalar(self, name, want):
        """A constant that must equal `want` (as float32, or exactly for ints)."""
        v = self.value(name)
        assert v.size == 1, (name, v.shape)
        if np.issubdtype(v.dtype, np.floating):
            assert np.float32(v.reshape(-1)[0]) == np.float32(want), (name, v, want)
        else:
            assert int(v.reshape(-1)[0]) == want, (name, v, want)

    def done(self):
        assert self.pos == len(self.nodes), f'{len(self.nodes) - self.pos} nodes left over'
        every = set(self.init) | set(self.const)
        unused = sorted(every - set(self.used))
        twice = sorted(k for k, c in self.used.items() if c != 1)
        assert not unused, f'unused initializers/constants: {unused}'
        assert not twice, f'used more than once: {twice}'


def attrs_of(n):
    return {a.name: helper.get_attribute_value(a) for a in n.attribute}


def make_divisible(v, divisor, min_value=None):
    """PaddleOCR's channel rounding (`rec_mobilenet_v3.py`, divisor 8;
    `rec_lcnetv3.py`, divisor 16): to a multiple of `divisor`, never more
    than 10 % down."""
    min_value = min_value or divisor
    new_v = max(min_value, int(v + divisor / 2) // divisor * divisor)
    if new_v < 0.9 * v:
        new_v += divisor
    return new_v
