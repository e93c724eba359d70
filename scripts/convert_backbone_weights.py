#!/usr/bin/env python3
"""Turn backbone weights a user downloaded into <out_dir>/<kind>.safetensors for `--weights <out_dir>`.

Accepted sources (key names already match the Swift backbones, which follow these layouts):
    resnet50        torchvision's resnet50-*.pth (e.g. ResNet50_Weights.IMAGENET1K_V2)
    convnext_tiny   torchvision's convnext_tiny-*.pth (ConvNeXt_Tiny_Weights.IMAGENET1K_V1)
    dinov2_vits14   timm's vit_small_patch14_dinov2 model.safetensors, or the DINOv2 release's
                    dinov2_vits14_pretrain.pth (same names, plus a mask_token the backbone ignores)
Either checkpoint format of torch.save, or safetensors. Needs numpy only (no torch): the pickle is read by
convert_weights.py's restricted unpickler. A "module." prefix (DataParallel) and a {"state_dict": …} or
{"model": …} wrapper are removed; half and bfloat16 tensors become float32. The livetrain loader checks
every name and shape again and names what does not fit.

Usage: python scripts/convert_backbone_weights.py KIND SRC OUT_DIR
"""
import argparse
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import convert_weights as cw  # noqa: E402

# A few tensors every good file of the kind has, with their shapes: a quick check that the right
# network was downloaded (the Swift loader compares all of them).
SIGNATURE = {
    "resnet50": {"conv1.weight": [64, 3, 7, 7], "layer3.5.conv3.weight": [1024, 256, 1, 1], "fc.weight": [1000, 2048]},
    "convnext_tiny": {"features.0.0.weight": [96, 3, 4, 4], "features.5.8.layer_scale": [384, 1, 1],
                      "features.7.2.block.5.weight": [768, 3072]},
    "dinov2_vits14": {"patch_embed.proj.weight": [384, 3, 14, 14], "pos_embed": [1, 1370, 384],
                      "blocks.11.ls2.gamma": [384]},
}
ST_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32,
             "U8": np.uint8, "BOOL": np.bool_, "BF16": np.uint16}


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    header.pop("__metadata__", None)
    out = {}
    for name, e in header.items():
        start, end = e["data_offsets"]
        arr = np.frombuffer(data[start:end], dtype=ST_DTYPES[e["dtype"]]).reshape(e["shape"])
        if e["dtype"] == "BF16":  # bfloat16 is the top half of a float32
            arr = (arr.astype(np.uint32) << 16).view(np.float32)
        out[name] = arr
    return out


def read_checkpoint(path):
    if zipfile.is_zipfile(path):
        obj, storages, _ = cw.load_zip(path)
    else:
        with open(path, "rb") as f:
            obj, storages, _ = cw.load_legacy(f)
    for wrapper in ("state_dict", "model"):
        if isinstance(obj, dict) and isinstance(obj.get(wrapper), dict):
            obj = obj[wrapper]
    return {k: cw.materialise(v, storages) for k, v in obj.items() if isinstance(v, cw.TensorRef)}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("kind", choices=sorted(SIGNATURE))
    p.add_argument("src")
    p.add_argument("out_dir")
    a = p.parse_args()
    tensors = read_safetensors(a.src) if a.src.endswith(".safetensors") else read_checkpoint(a.src)
    tensors = {k.removeprefix("module."): v for k, v in tensors.items()}
    tensors = {k: v.astype(np.float32) if v.dtype in (np.float16, np.float64) else v for k, v in tensors.items()}
    wrong = [f"{k}: {list(tensors[k].shape) if k in tensors else 'absent'}, want {s}"
             for k, s in SIGNATURE[a.kind].items() if k not in tensors or list(tensors[k].shape) != s]
    if wrong:
        sys.exit(f"convert_backbone_weights: {a.src} is not {a.kind}: " + "; ".join(wrong))
    kinds = {k: {np.float32: "FloatStorage", np.int64: "LongStorage", np.int32: "IntStorage",
                 np.uint8: "ByteStorage", np.bool_: "BoolStorage"}[v.dtype.type] for k, v in tensors.items()}
    out = Path(a.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    cw.write_safetensors(out / f"{a.kind}.safetensors", tensors, kinds)
    print(f"{a.src} -> {out / (a.kind + '.safetensors')}: {len(tensors)} tensors")


if __name__ == "__main__":
    main()
