"""Writes the seed corpora in Fuzz/Corpus (checked in; run again only to change them).

    python3 -m venv /tmp/seeds && /tmp/seeds/bin/pip install pillow && /tmp/seeds/bin/python Fuzz/seeds.py

Pillow is needed only for the JPEG seeds; PNGs are written by hand so their chunks (bit depths,
palettes, interlacing, broken headers) are exactly what is named. The byte layouts of the RLE and
polygon seeds are the ones Fuzz/Support/FuzzInput.swift and the target files read.
"""

import io
import json
import shutil
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


def rle_counts(w, h, counts):
    out = size(w) + size(h)
    for c in counts:
        out += bytes([c]) if 0 <= c < 0xFF else b"\xff" + struct.pack("<q", c)
    return out


def rle_string(counts):
    """pycocotools' rleToString."""
    out = []
    for i, c in enumerate(counts):
        x = c - counts[i - 2] if i > 2 else c
        more = True
        while more:
            ch = x & 0x1F
            x >>= 5
            more = x != -1 if ch & 0x10 else x != 0
            if more:
                ch |= 0x20
            out.append(chr(ch + 48))
    return "".join(out)


def mask_counts(bits, w, h):
    """Column-major runs starting with zeros, as COCO counts."""
    counts, current, run = [], 0, 0
    for x in range(w):
        for y in range(h):
            v = bits[y * w + x]
            if v != current:
                counts.append(run)
                run, current = 0, v
            run += 1
    return counts + [run]


# Polygon target: width, height (as size()), polygon count, then per polygon a coordinate count
# and coordinates: a byte t < 0xF0 is (t - 64) / 4, 0xF0 escapes to a raw little-endian double.
def coordinate(v):
    if -16 <= v < 44 and v * 4 == int(v * 4):
        return bytes([int(v * 4) + 64])
    return b"\xf0" + struct.pack("<d", v)


def polygons(w, h, polys):
    out = size(w) + size(h) + bytes([len(polys)])
    for p in polys:
        out += bytes([len(p)]) + b"".join(coordinate(v) for v in p)
    return out


def png(w, h, colour, depth, rows, interlace=0, extra=b"", ihdr=None):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = ihdr or struct.pack(">IIBBBBB", w, h, depth, colour, 0, 0, interlace)
    raw = b"".join(b"\x00" + r for r in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + extra + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def adam7(rows, bytes_per_pixel):
    """Interlaced scanlines: each of Adam7's 7 passes is a small image of its own, filter bytes and all."""
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    out = []
    for x0, y0, dx, dy in passes:
        for y in range(y0, len(rows), dy):
            width = len(rows[y]) // bytes_per_pixel
            line = b"".join(rows[y][x * bytes_per_pixel : (x + 1) * bytes_per_pixel] for x in range(x0, width, dx))
            if line:
                out.append(line)
    return out


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def grey_labels(w, h, labels, depth=8):
    """A greyscale label-map PNG of `labels` (row-major), 8 or 16 bits."""
    rows = [bytes(labels[y * w : (y + 1) * w]) if depth == 8 else b"".join(struct.pack(">H", v) for v in labels[y * w : (y + 1) * w]) for y in range(h)]
    return png(w, h, 0, depth, rows)


def coco(images, annotations=None, categories=None):
    document = {"images": images}
    if annotations is not None:
        document["annotations"] = annotations
    if categories is not None:
        document["categories"] = categories
    return json.dumps(document)


def format_seeds():
    """The importers' targets: COCO files as they are; YOLO text after width, height (size()) and a
    masks byte; label-map PNGs after a class-count byte (0xFF: 300 classes) and width, height."""
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
    huge = {"size": [-16, 4611686018427387904], "counts": [1]}
    write("coco-import", "rle-huge-size", coco([image], [dict(box, segmentation=huge)], tree))
    long = {"size": [4, 6], "counts": "ooooooooooo?" * 20}
    write("coco-import", "rle-string-long", coco([image], [dict(box, segmentation=long)], tree))
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
    bad = "x 0.5\n0 nan 0.5 0.2 0.2\n0 0.5 0.5 0.2 1.7\n5 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2\n"
    write("yolo-import", "bad-lines", yolo(16, 16, 0, bad))
    write("yolo-import", "long-token", yolo(16, 16, 0, "0 0.5 " + "9" * 400 + " 0.2 0.2\n"))

    def labelmap(classes, w, h, data):
        return bytes([classes]) + size(w) + size(h) + data

    labels = [0, 1, 2, 2, 0, 0, 1, 1, 2, 2, 2, 0]
    void = [255, 255, 1, 1, 255, 2, 2, 0]
    write("labelmap-import", "3-classes-4x3", labelmap(3, 4, 3, grey_labels(4, 3, labels)))
    write("labelmap-import", "voc-void", labelmap(3, 4, 2, grey_labels(4, 2, void)))
    write("labelmap-import", "void-is-a-class", labelmap(0xFF, 4, 2, grey_labels(4, 2, void)))
    write("labelmap-import", "16-bit", labelmap(0xFF, 3, 2, grey_labels(3, 2, [0, 299, 256, 1, 2, 3], depth=16)))
    write("labelmap-import", "wrong-size", labelmap(3, 5, 4, grey_labels(4, 3, labels)))
    write("labelmap-import", "unknown-label", labelmap(3, 4, 3, grey_labels(4, 3, [7] + labels[1:])))
    write("labelmap-import", "zero-classes", labelmap(0, 4, 3, grey_labels(4, 3, labels)))
    write("labelmap-import", "truncated", labelmap(3, 4, 3, grey_labels(4, 3, labels)[:30]))
    write("labelmap-import", "not-a-png", labelmap(3, 4, 3, b"GIF89a"))


def main():
    shutil.rmtree(CORPUS, ignore_errors=True)
    format_seeds()

    # rle-counts
    write("rle-counts", "full-4x3", rle_counts(4, 3, [0, 12]))
    write("rle-counts", "runs-4x3", rle_counts(4, 3, [2, 3, 1, 6]))
    write("rle-counts", "zero-runs-5x5", rle_counts(5, 5, [0, 0, 3, 0, 22]))
    write("rle-counts", "empty-0x5", rle_counts(0, 5, []))
    write("rle-counts", "run-over-255", rle_counts(20, 20, [100, 300]))
    write("rle-counts", "overflowing-size", rle_counts(1 << 62, 4, [0]))
    write("rle-counts", "int-max-run", rle_counts(1, 1, [(1 << 63) - 1, 1]))
    write("rle-counts", "negative-run", rle_counts(2, 2, [-1, 5]))
    write("rle-counts", "negative-size", rle_counts(-1, -1, [1]))
    # Found by this target: 17179869183 x 0 passed as a 0-pixel mask, re-encoding it looped over the width.
    write("rle-counts", "found-empty-wide", bytes.fromhex("ffffffffff0300"))

    # rle-string
    bits = [(x * 7 + y * 3) % 5 < 2 for y in range(16) for x in range(16)]
    write("rle-string", "pattern-16x16", size(16) + size(16) + rle_string(mask_counts(bits, 16, 16)).encode())
    write("rle-string", "runs-4x3", size(4) + size(3) + rle_string([2, 3, 1, 6]).encode())
    write("rle-string", "empty-0x0", size(0) + size(0))
    write("rle-string", "sum-overflow", size(50) + size(50) + ("ooooooooooo?" * 40).encode())
    write("rle-string", "outside-alphabet", size(4) + size(4) + b"\x7f")
    write("rle-string", "ends-in-run", size(4) + size(4) + b"l~~")
    # Found by this target: as rle-counts' found-empty-wide, through the string decoder.
    write("rle-string", "found-empty-wide", bytes.fromhex("fe446f75306c7e"))
    write("rle-string", "huge-size", size(1 << 40) + size(1 << 40) + rle_string([0, 1 << 40]).encode())

    # polygon
    square = [4, 4, 12, 4, 12, 12, 4, 12]
    write("polygon", "square-16x16", polygons(16, 16, [square]))
    write("polygon", "square-with-hole", polygons(16, 16, [square, [6, 6, 10, 6, 10, 10, 6, 10]]))
    write("polygon", "bow-tie-quarter-pixels", polygons(20, 10, [[0.25, 0.5, 19.75, 9.5, 19.75, 0.5, 0.25, 9.5]]))
    write("polygon", "beyond-the-mask", polygons(8, 8, [[-16, -16, 43, -16, 43, 43]]))
    write("polygon", "nan", polygons(8, 8, [[0, 0, float("nan"), 1, 2, 2]]))
    write("polygon", "infinity", polygons(8, 8, [[0, 0, float("inf"), 1, 2, 2]]))
    write("polygon", "1e308", polygons(8, 8, [[-1e308, 0, 1e308, 4, 0, 8]]))
    write("polygon", "odd-count", polygons(8, 8, [[0, 0, 4, 0, 4]]))
    write("polygon", "negative-size", polygons(-3, 5, [square]))
    write("polygon", "empty-0-wide", polygons(0, 1 << 40, [square]))
    write("polygon", "overflowing-size", polygons(1 << 62, 4, [square]))

    # png: layouts libpng expands differently, then broken files.
    write("png", "grey-1x1", png(1, 1, 0, 8, [b"\x80"]))
    write("png", "rgb-3x2", png(3, 2, 2, 8, [bytes(range(9)), bytes(range(9, 18))]))
    write("png", "rgba-2x2", png(2, 2, 6, 8, [bytes(range(8)), bytes(range(8, 16))]))
    write("png", "grey-alpha-2x1", png(2, 1, 4, 8, [b"\x10\xff\x20\x00"]))
    write("png", "grey16-labels-3x2", png(3, 2, 0, 16, [struct.pack(">HHH", 0, 300, 65535), struct.pack(">HHH", 1, 2, 3)]))
    write("png", "grey1-8x2", png(8, 2, 0, 1, [b"\xa5", b"\x5a"]))
    palette = png_chunk(b"PLTE", bytes(range(12))) + png_chunk(b"tRNS", b"\x00\x80")
    write("png", "palette-trns-4x2", png(4, 2, 3, 2, [b"\x1b", b"\xe4"], extra=palette))
    write("png", "rgb16-2x1", png(2, 1, 2, 16, [bytes(range(12))]))
    write("png", "interlaced-rgb-5x5", png(5, 5, 2, 8, adam7([bytes(range(i, i + 15)) for i in range(5)], 3), interlace=1))
    labels = [struct.pack(">HHHH", *(y * 1000 + x for x in range(4))) for y in range(4)]
    write("png", "interlaced-grey16-labels-4x4", png(4, 4, 0, 16, adam7(labels, 2), interlace=1))
    write("png", "claims-100000x100000", png(100000, 100000, 0, 8, [b"\x00"]))
    write("png", "zero-width", png(0, 1, 0, 8, [b""]))
    write("png", "bit-depth-3", png(1, 1, 0, 3, [b"\x00"]))
    whole = png(3, 2, 2, 8, [bytes(range(9)), bytes(range(9, 18))])
    write("png", "truncated", whole[: len(whole) // 2])
    write("png", "bad-crc", whole[:29] + b"\x00\x00\x00\x00" + whole[33:])

    # jpeg (Pillow): grey, colour subsamplings, progressive, CMYK with Adobe marker, EXIF rotations.
    from PIL import Image

    def jpeg(img, **options):
        out = io.BytesIO()
        img.save(out, "JPEG", quality=75, **options)
        return out.getvalue()

    rgb = Image.frombytes("RGB", (16, 8), bytes((i * 37) % 256 for i in range(16 * 8 * 3)))
    write("jpeg", "grey-8x8", jpeg(rgb.convert("L").crop((0, 0, 8, 8))))
    write("jpeg", "rgb-420-16x8", jpeg(rgb, subsampling=2))
    write("jpeg", "rgb-444-16x8", jpeg(rgb, subsampling=0))
    write("jpeg", "progressive-16x8", jpeg(rgb, progressive=True))
    write("jpeg", "cmyk-8x8", jpeg(rgb.crop((0, 0, 8, 8)).convert("CMYK")))
    for orientation in (3, 6, 8):
        exif = Image.Exif()
        exif[0x0112] = orientation
        write("jpeg", f"exif-orientation-{orientation}", jpeg(rgb, exif=exif.tobytes()))
    good = jpeg(rgb)
    write("jpeg", "truncated", good[: len(good) // 2])
    write("jpeg", "soi-only", b"\xff\xd8\xff")
    # SOF0 height/width patched to 65000 x 65000: refused by maxPixels before any allocation.
    sof = good.index(b"\xff\xc0")
    write("jpeg", "claims-65000x65000", good[: sof + 5] + struct.pack(">HH", 65000, 65000) + good[sof + 9 :])
    # An EXIF block whose IFD offset points past its segment.
    bad_exif = b"Exif\x00\x00MM\x00\x2a\xff\xff\xff\x00" + b"\x00" * 8
    write("jpeg", "exif-offset-past-end", good[:2] + b"\xff\xe1" + struct.pack(">H", len(bad_exif) + 2) + bad_exif + good[2:])

    # annotation-json
    body = {
        "objects": [
            {"classIndex": 0, "box": {"x1": 1, "y1": 2, "x2": 3.5, "y2": 4}, "mask": {"width": 2, "height": 2, "counts": [1, 3]}},
            {"classIndex": 2, "box": {"x1": 0, "y1": 0, "x2": 1, "y2": 1}},
        ],
        "source": "prelabel-accepted",
        "version": 3,
    }
    write("annotation-json", "instance-body.json", json.dumps(body))
    write("annotation-json", "semantic-body.json", json.dumps({"labels": {"width": 2, "height": 1, "runs": [[0, 1], [3, 1]]}}))
    write("annotation-json", "masks.json", json.dumps([{"width": 3, "height": 1, "counts": [0, 1, 2]}, {"width": 0, "height": 0, "counts": []}]))
    write("annotation-json", "overflowing-mask.json", '[{"width": 4611686018427387904, "height": 4, "counts": [0]}]')
    write("annotation-json", "int-max-run.json", '[{"width": 1, "height": 1, "counts": [9223372036854775807, 1]}]')
    write("annotation-json", "numbers.json", '{"objects": [{"classIndex": 1e400, "box": {"x1": -0, "y1": 1e-400, "x2": 1E+2, "y2": 18446744073709551616}}]}')
    write("annotation-json", "escapes.json", '{"source": "\\ud800\\u0000drawn", "version": null}')
    write("annotation-json", "nested.json", "[" * 600 + "]" * 600)


if __name__ == "__main__":
    main()
