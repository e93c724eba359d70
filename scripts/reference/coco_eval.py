#!/usr/bin/env python3
"""Reference COCO box metrics from pycocotools, for DetectionMetricsTests.

usage: coco_eval.py GROUND_TRUTH.json DETECTIONS.json [--per-image] [--segm]

GROUND_TRUTH.json is a COCO detection file (images, annotations, categories); DETECTIONS.json a COCO
results list ([{"image_id", "category_id", "bbox": [x, y, w, h], "score"}]). Prints one JSON object:
{"ap", "ap50", "ap75", "per_class": {category_id: AP@[.5:.95]}, and with --per-image
"per_image": {image_id: {"ap", "ap50"}}}; undefined values (no ground truth) are null.
With --segm, IoU is between masks (`segmentation` RLE in both files; COCOeval iouType "segm").
Needs only numpy and pycocotools (`make setup` installs both into .venv).
"""
import contextlib
import io
import json
import sys

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def defined_mean(values):
    values = values[values > -1]
    return float(np.mean(values)) if values.size else None


IOU_TYPE = "segm" if "--segm" in sys.argv else "bbox"


def evaluate(gt, detections, image_ids=None):
    """Runs COCOeval (bbox or segm, area 'all', maxDets 100) quietly; returns its precision array [T, R, K]."""
    with contextlib.redirect_stdout(io.StringIO()):
        ev = COCOeval(gt, detections, iouType=IOU_TYPE)
        if image_ids is not None:
            ev.params.imgIds = image_ids
        ev.evaluate()
        ev.accumulate()
    area = ev.params.areaRngLbl.index("all")
    max_dets = ev.params.maxDets.index(100)
    return ev.eval["precision"][:, :, :, area, max_dets], ev.params


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(argv[1])
        with open(argv[2]) as f:
            results = json.load(f)
        detections = gt.loadRes(results) if results else COCO()
    precision, params = evaluate(gt, detections)
    out = {
        "ap": defined_mean(precision),
        "ap50": defined_mean(precision[0]),
        "ap75": defined_mean(precision[5]),
        "per_class": {str(c): defined_mean(precision[:, :, k]) for k, c in enumerate(params.catIds)},
    }
    if "--per-image" in argv:
        out["per_image"] = {}
        for image_id in sorted(gt.getImgIds()):
            p, _ = evaluate(gt, detections, [image_id])
            out["per_image"][str(image_id)] = {"ap": defined_mean(p), "ap50": defined_mean(p[0])}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv)
