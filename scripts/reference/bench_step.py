#!/usr/bin/env python3
"""The Python half of `livetrain bench step`: times one training step of the reference detector.

Why: DESIGN.md claims the Swift-over-libtorch step runs at parity with Python PyTorch; this script is the
Python side of that comparison. The network, loss, data and optimiser are specified in
bench_step_spec.md beside this file, and the Swift side must build exactly the same thing.

    .venv-ref/bin/python scripts/reference/bench_step.py --threads 2 --warmup 2 --steps 10

Prints one JSON line to stdout and nothing else:
    {"step_ms": [...], "threads": N, "torch": "2.15.0+...", "device": "cpu"}
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

BATCH, SIZE, WIDTH = 8, 320, 64
TAPS = ((0, 7), (7, 14), (14, 18))  # features[a:b] -> C3 (32 ch, /8), C4 (96 ch, /16), C5 (320 ch, /32)


class FPN(nn.Module):
    def __init__(self, channels=(32, 96, 320), width=WIDTH):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, width, 1) for c in channels)
        self.output = nn.ModuleList(nn.Conv2d(width, width, 3, padding=1) for _ in channels)

    def forward(self, c3, c4, c5):
        l3, l4, l5 = (conv(c) for conv, c in zip(self.lateral, (c3, c4, c5)))
        p5 = l5
        p4 = l4 + F.interpolate(p5, scale_factor=2, mode="nearest")
        p3 = l3 + F.interpolate(p4, scale_factor=2, mode="nearest")
        return [conv(p) for conv, p in zip(self.output, (p3, p4, p5))]


class Head(nn.Module):
    """Shared across levels: one set of weights sees P3, P4 and P5."""

    def __init__(self, width=WIDTH):
        super().__init__()
        layers = []
        for _ in range(2):
            layers += [nn.Conv2d(width, width, 3, padding=1, bias=False), nn.GroupNorm(8, width), nn.ReLU()]
        self.tower = nn.Sequential(*layers)
        self.cls = nn.Conv2d(width, 1, 3, padding=1)
        self.box = nn.Conv2d(width, 4, 3, padding=1)
        self.ctr = nn.Conv2d(width, 1, 3, padding=1)

    def forward(self, p):
        t = self.tower(p)
        return self.cls(t), self.box(t), self.ctr(t)


class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        features = torchvision.models.mobilenet_v2().features
        self.stages = nn.ModuleList(features[a:b] for a, b in TAPS)  # features[18] is never used
        self.fpn = FPN()
        self.head = Head()

    def forward(self, x):
        taps = []
        for stage in self.stages:
            x = stage(x)
            taps.append(x)
        return [self.head(p) for p in self.fpn(*taps)]


def loss_fn(outputs, targets):
    total = 0.0
    for (cls, box, ctr), (t_cls, t_box, t_ctr) in zip(outputs, targets):
        positives = t_cls.sum().clamp(min=1)
        total = total + torchvision.ops.sigmoid_focal_loss(cls, t_cls, alpha=0.25, gamma=2, reduction="sum") / positives
        total = total + F.l1_loss(box, t_box) + F.binary_cross_entropy_with_logits(ctr, t_ctr)
    return total


def make_data(device):
    g = torch.Generator().manual_seed(0)
    x = torch.randn(BATCH, 3, SIZE, SIZE, generator=g)
    targets = []
    for stride in (8, 16, 32):
        s = SIZE // stride
        targets.append(((torch.rand(BATCH, 1, s, s, generator=g) < 0.02).float(),
                        torch.randn(BATCH, 4, s, s, generator=g),
                        torch.rand(BATCH, 1, s, s, generator=g)))
    return x.to(device), [tuple(t.to(device) for t in level) for level in targets]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--device", default="cpu", help="cpu or cuda")
    a = p.parse_args()
    # Both before any parallel work; one inter-op thread because the Swift side runs ops from one thread.
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    device = torch.device(a.device)

    model = Detector().to(device).train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
    x, targets = make_data(device)

    def sync():
        if device.type == "cuda":
            torch.cuda.synchronize()

    times = []
    for i in range(a.warmup + a.steps):
        sync()
        start = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), targets)
        loss.backward()
        opt.step()
        sync()
        if i >= a.warmup:
            times.append(round((time.perf_counter() - start) * 1000, 3))
    print(json.dumps({"step_ms": times, "threads": a.threads, "torch": torch.__version__, "device": device.type}))


if __name__ == "__main__":
    main()
