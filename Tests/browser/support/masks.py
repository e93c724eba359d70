"""Reference mask codecs and rasterisation in Python, to check what the UI stored."""


def decode_rle(rle):
    """COCO RLE {width, height, counts: [int]} -> row-major list of 0/1."""
    w, h, counts = rle["width"], rle["height"], rle["counts"]
    assert sum(counts) == w * h, f"RLE covers {sum(counts)} of {w * h} pixels"
    out = [0] * (w * h)
    k = 0
    for i, c in enumerate(counts):
        if i % 2 == 1:
            for j in range(k, k + c):
                out[(j % h) * w + j // h] = 1
        k += c
    return out


def decode_runs(label_map):
    """Row-major label map {width, height, runs: [[label, length]]} -> list of labels."""
    out = []
    for label, length in label_map["runs"]:
        out.extend([label] * length)
    assert len(out) == label_map["width"] * label_map["height"]
    return out


def fill_polygon(points, width, height):
    """Pixel-centre even-odd rule, half-open on the right: the rule of the server's PolygonRaster."""
    import math

    out = [0] * (width * height)
    n = len(points)
    for y in range(height):
        cy = y + 0.5
        xs = []
        for i in range(n):
            (ax, ay), (bx, by) = points[i], points[(i + 1) % n]
            if (ay <= cy) != (by <= cy):
                xs.append(ax + (cy - ay) / (by - ay) * (bx - ax))
        xs.sort()
        for k in range(0, len(xs) - 1, 2):
            start = max(0, math.ceil(xs[k] - 0.5))
            end = min(width - 1, math.ceil(xs[k + 1] - 0.5) - 1)
            for x in range(start, end + 1):
                out[y * width + x] = 1
    return out


def bounds(mask, width, height):
    xs = [i % width for i, v in enumerate(mask) if v]
    ys = [i // width for i, v in enumerate(mask) if v]
    if not xs:
        return None
    return (min(xs), min(ys), max(xs) + 1, max(ys) + 1)
