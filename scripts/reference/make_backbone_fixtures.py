#!/usr/bin/env python3
"""Parity fixtures for the backbones users bring weights for (and EfficientNet-Lite2): the PyPI reference
implementation of each architecture with RANDOM seeded weights, run on a fixed random input.

Why random weights: the real ImageNet / DINOv2 weights are not on PyPI, so the Swift architectures are
checked where set-up can reach: same tensors in, same feature maps out. Norm statistics, affine terms and
layer scales are drawn away from their identity init so that every tensor moves the output.

Writes (git-ignored, made by scripts/setup_backbone_fixtures.sh from `make setup`):
    <out>/weights/<kind>.safetensors  the random weights, under the key names the Swift backbone loads
    <out>/<kind>.safetensors          input [1,3,S,S]; c2, c3, c4, c5 (strides 4, 8, 16, 32);
                                      logits [1,1000] where the model has a classifier; dinov2: grid
                                      (normalised patch tokens as [1,384,S/14,S/14])

References: torchvision 0.29.2 resnet50 / convnext_tiny, efficientnet-lite-pytorch 0.1.0
efficientnet-lite2, timm 1.0.31 vit_small_patch14_dinov2.
Usage: .venv-backbones/bin/python scripts/reference/make_backbone_fixtures.py OUT_DIR
"""
import sys
import zlib
from pathlib import Path

import torch
import torch.nn.functional as F
import timm
import torchvision
from efficientnet_lite_pytorch import EfficientNet
from safetensors.torch import save_file


def seeded(name):
    torch.manual_seed(zlib.crc32(name.encode()))


def randomise(model):
    """Moves norms and layer scales off their identity init (deterministic under the current seed)."""
    with torch.no_grad():
        for name, t in model.state_dict().items():
            leaf = name.rsplit(".", 1)[-1]
            if leaf == "running_mean":
                t.copy_(torch.randn_like(t) * 0.1)
            elif leaf == "running_var":
                t.uniform_(0.5, 2.0)
            elif leaf in ("layer_scale", "gamma"):
                t.uniform_(0.1, 0.5)
            elif leaf in ("cls_token", "pos_embed"):
                t.copy_(torch.randn_like(t) * 0.02)
            elif t.dim() == 1 and leaf == "weight":  # BatchNorm / LayerNorm scale
                t.uniform_(0.5, 1.5)
            elif t.dim() == 1 and leaf == "bias":
                t.copy_(torch.randn_like(t) * 0.1)
    return model.eval()


def resnet50(x):
    m = randomise(torchvision.models.resnet50(weights=None))
    y = m.maxpool(m.relu(m.bn1(m.conv1(x))))
    c2 = m.layer1(y); c3 = m.layer2(c2); c4 = m.layer3(c3); c5 = m.layer4(c4)
    return m, dict(c2=c2, c3=c3, c4=c4, c5=c5, logits=m(x))


def convnext_tiny(x):
    m = randomise(torchvision.models.convnext_tiny(weights=None))
    maps, y = {}, x
    for i, layer in enumerate(m.features):
        y = layer(y)
        if i in (1, 3, 5, 7):
            maps[f"c{(i + 3) // 2}"] = y
    return m, dict(maps, logits=m(x))


def efficientnet_lite2(x):
    # image_size = the input's, so the package's static "SAME" padding is the one computed for this size.
    m = randomise(EfficientNet.from_name("efficientnet-lite2", image_size=x.shape[-1]))
    y = m._swish(m._bn0(m._conv_stem(x)))
    outs = []
    for block in m._blocks:
        y = block(y)
        outs.append(y)
    # A stride group ends where the next block halves the resolution: the last output at each size.
    maps = {}
    for stride, name in ((4, "c2"), (8, "c3"), (16, "c4"), (32, "c5")):
        maps[name] = [o for o in outs if o.shape[-1] == x.shape[-1] // stride][-1]
    return m, dict(maps, logits=m(x))


def dinov2_vits14(x):
    # img_size 518: the 37×37 position grid of the released weights, resampled to the input's grid.
    m = randomise(timm.create_model("vit_small_patch14_dinov2", pretrained=False, num_classes=0,
                                    img_size=518, dynamic_img_size=True))
    tokens = m.forward_features(x)  # [1, 1 + hw, 384], after the final norm
    h, w = x.shape[-2] // 14, x.shape[-1] // 14
    grid = tokens[:, 1:].transpose(1, 2).reshape(1, 384, h, w)
    # Each stride's map has the size a padded stride-s CNN gives: ceil(S / s).
    maps = {f"c{i + 2}": F.interpolate(grid, size=(-(-x.shape[-2] // s), -(-x.shape[-1] // s)), mode="bilinear",
                                       align_corners=False) for i, s in enumerate((4, 8, 16, 32))}
    return m, dict(maps, grid=grid)


CASES = {"resnet50": (resnet50, 64), "convnext_tiny": (convnext_tiny, 64),
         "efficientnet_lite2": (efficientnet_lite2, 64), "dinov2_vits14": (dinov2_vits14, 112)}


def main():
    out = Path(sys.argv[1])
    (out / "weights").mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(2)
    for kind, (build, size) in CASES.items():
        seeded(kind)
        x = torch.randn(1, 3, size, size)
        with torch.no_grad():
            model, outputs = build(x)
        state = {k: v.contiguous() for k, v in model.state_dict().items()}
        save_file(state, str(out / "weights" / f"{kind}.safetensors"))
        save_file({k: v.contiguous() for k, v in dict(outputs, input=x).items()}, str(out / f"{kind}.safetensors"))
        shapes = ", ".join(f"{k} {list(v.shape)}" for k, v in outputs.items())
        print(f"make_backbone_fixtures: {kind}: {len(state)} tensors; {shapes}")


if __name__ == "__main__":
    main()
