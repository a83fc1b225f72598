"""Writes a safetensors file from {name: float32 numpy array}, byte-for-byte
reproducibly (sorted names, no metadata beyond what is given), without the
`safetensors` package: the format is an 8-byte little-endian header length,
a JSON header, then the raw little-endian tensors in header order."""
import json, struct
import numpy as np

def write(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        a = np.ascontiguousarray(tensors[name], dtype='<f4')
        b = a.tobytes()
        header[name] = {'dtype': 'F32', 'shape': list(a.shape), 'data_offsets': [offset, offset + len(b)]}
        blobs.append(b); offset += len(b)
    if metadata:
        header['__metadata__'] = {k: str(v) for k, v in sorted(metadata.items())}
    h = json.dumps(header, separators=(',', ':'), sort_keys=True).encode()
    h += b' ' * (-len(h) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h))); f.write(h)
        for b in blobs: f.write(b)
