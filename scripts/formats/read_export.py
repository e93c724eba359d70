"""Loads an unpacked livetrain export with a third-party reader and prints what the reader saw, as JSON.

    read_export.py coco|yolo|voc FOLDER

COCO goes through pycocotools (`annotations.json`, images under `images/` as its `file_name`s say);
YOLO through Roboflow's supervision `DetectionDataset.from_yolo` (`images/`, `labels/`, `data.yaml`);
VOC through `DetectionDataset.from_pascal_voc` (`JPEGImages/`, `Annotations/`). The output is
{"classes": [...], "images": {file name: {"width", "height", "objects": [{"class", "box", "mask"}]}}}
with boxes as [x1, y1, x2, y2] in pixels, class names, and masks as COCO uncompressed RLE counts
(column-major, starting with a background run) or null. The Swift test compares that with the project.
It fails (exit 1) when an image a label file names is missing or does not open.
"""

import contextlib
import json
import os
import sys

import numpy as np
from PIL import Image


def runs(mask):
    """COCO's uncompressed RLE counts of a boolean mask: column-major, the first run is background."""
    flat = np.asarray(mask, dtype=np.uint8).T.reshape(-1)
    if flat.size == 0:
        return []
    bounds = np.concatenate([[0], np.flatnonzero(np.diff(flat)) + 1, [flat.size]])
    counts = np.diff(bounds).tolist()
    return ([0] + counts) if flat[0] == 1 else counts


def image_size(path):
    with Image.open(path) as image:
        image.load()  # decodes: a truncated or wrong file fails here, not only its header
        return image.size


def read_coco(folder):
    from pycocotools.coco import COCO

    coco = COCO(os.path.join(folder, "annotations.json"))
    categories = {c["id"]: c["name"] for c in coco.loadCats(coco.getCatIds())}
    images = {}
    for info in coco.loadImgs(coco.getImgIds()):
        # file_name is relative to the folder of annotations.json.
        width, height = image_size(os.path.join(folder, info["file_name"]))
        assert (width, height) == (info["width"], info["height"]), info["file_name"]
        objects = []
        for ann in coco.loadAnns(coco.getAnnIds(imgIds=[info["id"]], iscrowd=None)):
            x, y, w, h = ann["bbox"]
            mask = runs(coco.annToMask(ann)) if ann.get("segmentation") else None
            objects.append({"class": categories[ann["category_id"]], "box": [x, y, x + w, y + h], "mask": mask})
        images[info["file_name"]] = {"width": width, "height": height, "objects": objects}
    return [categories[k] for k in sorted(categories)], images


def read_supervision(dataset):
    images = {}
    for path in dataset.image_paths:
        width, height = image_size(path)
        detections = dataset.annotations[path]
        objects = []
        for i in range(len(detections)):
            mask = None if detections.mask is None else runs(detections.mask[i])
            objects.append(
                {
                    "class": dataset.classes[int(detections.class_id[i])],
                    "box": [float(v) for v in detections.xyxy[i]],
                    "mask": mask,
                }
            )
        images[os.path.basename(path)] = {"width": width, "height": height, "objects": objects}
    return list(dataset.classes), images


def main():
    kind, folder = sys.argv[1], sys.argv[2]
    # pycocotools prints progress to stdout; stdout carries only the JSON.
    with contextlib.redirect_stdout(sys.stderr):
        classes, images = read(kind, folder)
    json.dump({"classes": classes, "images": images}, sys.stdout)


def read(kind, folder):
    if kind == "coco":
        classes, images = read_coco(folder)
    else:
        import supervision as sv

        if kind == "yolo":
            dataset = sv.DetectionDataset.from_yolo(
                images_directory_path=os.path.join(folder, "images"),
                annotations_directory_path=os.path.join(folder, "labels"),
                data_yaml_path=os.path.join(folder, "data.yaml"),
            )
        elif kind == "voc":
            dataset = sv.DetectionDataset.from_pascal_voc(
                images_directory_path=os.path.join(folder, "JPEGImages"),
                annotations_directory_path=os.path.join(folder, "Annotations"),
            )
        else:
            sys.exit(f"unknown format {kind}")
        classes, images = read_supervision(dataset)
    return classes, images


if __name__ == "__main__":
    main()
