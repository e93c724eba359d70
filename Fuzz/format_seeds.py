"""Writes the seed corpora of the format targets (coco-import, yolo-import, labelmap-import) in
Fuzz/Corpus (checked in; run again only to change them): python3 Fuzz/format_seeds.py

The byte layouts are the ones the target files read through Fuzz/Support/FuzzInput.swift.
"""

import json
import struct
import zlib
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "Corpus"


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())


# FuzzInput.size(): a byte below 0xF0 is that value mod 64; 0xF0 and above escape to 8 raw bytes.
def size(n):
    return bytes([n]) if 0 <= n < 64 else b"\xf0" + struct.pack("<q", n)


def grey_png(w, h, labels, depth=8):
    """A greyscale PNG of `labels` (row-major), 8 or 16 bits, filter 0 on every row."""
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b""
    for y in range(h):
        row = labels[y * w:(y + 1) * w]
        rows += b"\x00" + (bytes(row) if depth == 8 else b"".join(struct.pack(">H", v) for v in row))
    header = struct.pack(">IIBBBBB", w, h, depth, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def coco(images, annotations=None, categories=None):
    document = {"images": images}
    if annotations is not None:
        document["annotations"] = annotations
    if categories is not None:
        document["categories"] = categories
    return json.dumps(document)


def main():
    image = {"id": 1, "file_name": "a.png", "width": 6, "height": 4}
    tree = [{"id": 1, "name": "tree"}, {"id": 2, "name": "snag"}]
    box = {"id": 1, "image_id": 1, "category_id": 1, "bbox": [1, 1, 2, 2]}
    write("coco-import", "boxes", coco([image, {"id": 2, "file_name": "b.png"}], [box, dict(box, id=2, category_id=2)], tree))
    write("coco-import", "polygon", coco([image], [dict(box, segmentation=[[2, 1, 4, 1, 4, 3, 2, 3]])], tree))
    write("coco-import", "rle-counts", coco([image], [dict(box, segmentation={"size": [4, 6], "counts": [9, 2, 2, 2, 9]})], tree))
    write("coco-import", "rle-string", coco([image], [dict(box, segmentation={"size": [4, 6], "counts": "92229"})], tree))
    write("coco-import", "crowd", coco([image], [dict(box, iscrowd=1, segmentation={"size": [4, 6], "counts": "0"}), box], tree))
    write("coco-import", "images-only", coco([image]))
    write("coco-import", "polygon-1e300", coco([image], [dict(box, segmentation=[[0, 0, 1e300, 0.5, 0, 3]])], tree))
    write("coco-import", "rle-huge-size", coco([image], [dict(box, segmentation={"size": [-16, 4611686018427387904], "counts": [1]})], tree))
    write("coco-import", "rle-string-long", coco([image], [dict(box, segmentation={"size": [4, 6], "counts": "ooooooooooo?" * 20})], tree))
    write("coco-import", "bbox-3", coco([image], [dict(box, bbox=[1, 1, 2])], tree))
    write("coco-import", "unknown-category", coco([image], [dict(box, category_id=9)], tree))
    write("coco-import", "duplicate-ids", coco([image, image], [box], tree + tree))
    write("coco-import", "wrong-types", '{"images": [{"id": "1", "file_name": 5}], "annotations": {}, "categories": null}')
    write("coco-import", "truncated", coco([image], [box], tree)[:40])

    def yolo(w, h, masks, text):
        return size(w) + size(h) + bytes([masks]) + text.encode()
    write("yolo-import", "boxes", yolo(32, 16, 0, "0 0.5 0.5 0.2 0.2\n1 0.1 0.1 0.1 0.1\n"))
    write("yolo-import", "polygon-mask", yolo(32, 16, 1, "7 0.1 0.2 0.5 0.2 0.3 0.6\n0 0.5 0.5 1 1\n"))
    write("yolo-import", "polygon-bounds", yolo(32, 16, 0, "1 0.1 0.2 0.5 0.2 0.3 0.6 0.2 0.9\n"))
    write("yolo-import", "crlf-blank", yolo(8, 8, 1, "\r\n0 0.5 0.5 1.0005 1\r\n\n"))
    write("yolo-import", "zero-wide", yolo(0, 16, 1, "0 0.1 0.2 0.5 0.2 0.3 0.6\n"))
    write("yolo-import", "sliver", yolo(64, 64, 1, "0 0.001 0.001 0.009 0.001 0.005 0.009\n"))
    write("yolo-import", "bad-lines", yolo(16, 16, 0, "x 0.5\n0 nan 0.5 0.2 0.2\n0 0.5 0.5 0.2 1.7\n5 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2\n"))
    write("yolo-import", "long-token", yolo(16, 16, 0, "0 0.5 " + "9" * 400 + " 0.2 0.2\n"))

    def labelmap(classes, w, h, png):
        return bytes([classes]) + size(w) + size(h) + png
    labels = [0, 1, 2, 2, 0, 0, 1, 1, 2, 2, 2, 0]
    write("labelmap-import", "3-classes-4x3", labelmap(3, 4, 3, grey_png(4, 3, labels)))
    write("labelmap-import", "voc-void", labelmap(3, 4, 2, grey_png(4, 2, [255, 255, 1, 1, 255, 2, 2, 0])))
    write("labelmap-import", "void-is-a-class", labelmap(0xFF, 4, 2, grey_png(4, 2, [255, 255, 1, 1, 255, 2, 2, 0])))
    write("labelmap-import", "16-bit", labelmap(0xFF, 3, 2, grey_png(3, 2, [0, 299, 256, 1, 2, 3], depth=16)))
    write("labelmap-import", "wrong-size", labelmap(3, 5, 4, grey_png(4, 3, labels)))
    write("labelmap-import", "unknown-label", labelmap(3, 4, 3, grey_png(4, 3, [7] + labels[1:])))
    write("labelmap-import", "zero-classes", labelmap(0, 4, 3, grey_png(4, 3, labels)))
    write("labelmap-import", "truncated", labelmap(3, 4, 3, grey_png(4, 3, labels)[:30]))
    write("labelmap-import", "not-a-png", labelmap(3, 4, 3, b"GIF89a"))


if __name__ == "__main__":
    main()
