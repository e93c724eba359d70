"""The demo's known trees: the Pascal VOC boxes that ship with its images (assets/demo/<stem>.xml).

`livetrain demo` cuts large images into 400x400 tiles named `<stem>_x<X>_y<Y>.png`; a tile's trees are
the boxes mostly inside it, clipped and moved to the tile's origin.
"""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

TILE = re.compile(r"^(?P<stem>.+)_x(?P<x>\d+)_y(?P<y>\d+)\.(png|jpg|jpeg)$", re.IGNORECASE)


def boxes_for(original_name, width, height, demo_dir):
    """The tile's tree boxes [(x1, y1, x2, y2)] in its own pixels, or None when no ground truth is known."""
    m = TILE.match(original_name)
    if not m:
        return None
    xml = Path(demo_dir) / f"{m['stem']}.xml"
    if not xml.exists():
        return None
    ox, oy = int(m["x"]), int(m["y"])
    out = []
    for obj in ET.parse(xml).getroot().iter("object"):
        bb = obj.find("bndbox")
        x1, y1, x2, y2 = (float(bb.find(k).text) for k in ("xmin", "ymin", "xmax", "ymax"))
        area = (x2 - x1) * (y2 - y1)
        cx1, cy1 = max(x1, ox), max(y1, oy)
        cx2, cy2 = min(x2, ox + width), min(y2, oy + height)
        if cx2 - cx1 < 4 or cy2 - cy1 < 4 or (cx2 - cx1) * (cy2 - cy1) < 0.5 * area:
            continue
        out.append((cx1 - ox, cy1 - oy, cx2 - ox, cy2 - oy))
    return out
