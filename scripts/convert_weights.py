#!/usr/bin/env python3
"""Convert a PyTorch checkpoint (legacy or zip `torch.save` format) into safetensors, without torch.

Set-up runs this once per weight file; the Swift side only ever reads safetensors. Python torch is not
importable from the project's minimal venv, so the pickle is read here with a restricted unpickler that
knows only the few classes a state dict needs.
"""
import argparse
import collections
import json
import pickle
import struct
import sys
import zipfile

import numpy as np

DTYPES = {  # torch storage class -> (numpy dtype, safetensors dtype)
    "FloatStorage": (np.float32, "F32"), "DoubleStorage": (np.float64, "F64"),
    "HalfStorage": (np.float16, "F16"), "LongStorage": (np.int64, "I64"),
    "IntStorage": (np.int32, "I32"), "ShortStorage": (np.int16, "I16"),
    "CharStorage": (np.int8, "I8"), "ByteStorage": (np.uint8, "U8"), "BoolStorage": (np.bool_, "BOOL"),
}
LEGACY_MAGIC = 0x1950A86A20F9469CFC6C


class StorageType:
    def __init__(self, name):
        self.name = name


class TensorRef:
    """A tensor whose storage bytes are read after the pickle (legacy) or from the archive (zip)."""

    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)


def rebuild_tensor(storage, offset, size, stride, *_):
    return TensorRef(storage, offset, size, stride)


def rebuild_parameter(data, *_):
    return data


class Unpickler(pickle.Unpickler):
    ALLOWED = {
        ("collections", "OrderedDict"): collections.OrderedDict,
        ("torch._utils", "_rebuild_tensor_v2"): rebuild_tensor,
        ("torch._utils", "_rebuild_tensor"): rebuild_tensor,
        ("torch._utils", "_rebuild_parameter"): rebuild_parameter,
    }

    def __init__(self, f, load_storage):
        super().__init__(f)
        self.load_storage = load_storage

    def find_class(self, module, name):
        if module == "torch" and name in DTYPES:
            return StorageType(name)
        if (module, name) in self.ALLOWED:
            return self.ALLOWED[(module, name)]
        raise pickle.UnpicklingError(f"refusing to load {module}.{name}: not part of a plain state dict")

    def persistent_load(self, pid):
        return self.load_storage(pid)


def load_legacy(f):
    magic = pickle.load(f)
    if magic != LEGACY_MAGIC:
        raise ValueError("not a PyTorch checkpoint (bad magic number)")
    pickle.load(f)  # protocol version
    pickle.load(f)  # sys info
    storages = {}

    def load_storage(pid):
        # ('storage', storage_type, key, location, numel, view_metadata)
        _, stype, key, _, numel, _ = pid
        storages.setdefault(key, [stype, numel, None])
        return key

    obj = Unpickler(f, load_storage).load()
    for key in pickle.load(f):
        stype, _, _ = storages[key]
        dtype = DTYPES[stype.name][0]
        (numel,) = struct.unpack("<q", f.read(8))
        storages[key][2] = np.frombuffer(f.read(numel * np.dtype(dtype).itemsize), dtype=dtype)
    return obj, {k: v[2] for k, v in storages.items()}, {k: v[0].name for k, v in storages.items()}


def load_zip(path):
    z = zipfile.ZipFile(path)
    prefix = z.namelist()[0].split("/")[0]
    storages, kinds = {}, {}

    def load_storage(pid):
        _, stype, key, _, numel = pid[:5]
        if key not in storages:
            dtype = DTYPES[stype.name][0]
            storages[key] = np.frombuffer(z.read(f"{prefix}/data/{key}"), dtype=dtype)[:numel]
            kinds[key] = stype.name
        return key

    with z.open(f"{prefix}/data.pkl") as f:
        obj = Unpickler(f, load_storage).load()
    return obj, storages, kinds


def materialise(ref, storages):
    base = storages[ref.storage]
    item = base.itemsize
    view = np.lib.stride_tricks.as_strided(
        base[ref.offset:], shape=ref.size, strides=[s * item for s in ref.stride])
    # Not np.ascontiguousarray: it turns 0-d tensors (BatchNorm's num_batches_tracked) into shape [1].
    return np.array(view, order="C", copy=True)


def write_safetensors(path, tensors, kinds):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        arr, kind = tensors[name], kinds[name]
        data = arr.tobytes()
        header[name] = {"dtype": DTYPES[kind][1], "shape": list(arr.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    meta = json.dumps(header, separators=(",", ":")).encode()
    meta += b" " * (-len(meta) % 8)  # keep the data section 8-byte aligned
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(meta)))
        out.write(meta)
        for b in blobs:
            out.write(b)


def convert(src, dst):
    if zipfile.is_zipfile(src):
        obj, storages, kinds = load_zip(src)
    else:
        with open(src, "rb") as f:
            obj, storages, kinds = load_legacy(f)
    if isinstance(obj, dict) and "state_dict" in obj:
        obj = obj["state_dict"]
    tensors, tkinds = {}, {}
    for name, ref in obj.items():
        if isinstance(ref, TensorRef):
            tensors[name] = materialise(ref, storages)
            tkinds[name] = kinds[ref.storage]
    write_safetensors(dst, tensors, tkinds)
    return len(tensors)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("src")
    p.add_argument("dst")
    a = p.parse_args()
    n = convert(a.src, a.dst)
    print(f"{a.src} -> {a.dst}: {n} tensors")


if __name__ == "__main__":
    sys.exit(main())
