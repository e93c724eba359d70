"""Synthetic test images as PNG bytes (zlib + struct only), for projects the tests create themselves."""

import struct
import zlib


def png(width, height, pixel):
    """An RGB PNG; `pixel(x, y)` returns (r, g, b)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows.extend(pixel(x, y))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")


def cells(width, height, centres, radius):
    """Dark background with bright discs: a stand-in for microscopy nuclei."""

    def pixel(x, y):
        for cx, cy in centres:
            if (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius:
                return (220, 180, 200)
        return (30 + (x * 7 + y * 3) % 20, 28, 40)

    return png(width, height, pixel)
