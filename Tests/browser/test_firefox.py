"""Smoke test in Firefox (firefox-esr, driven over WebDriver BiDi): the UI loads, a box drawn with the
pointer and submitted with S is stored, and a polygon drawn in an instance project is stored as a mask.
Skipped where Firefox is not installed (scripts/browser_tests.sh installs only Chromium).
"""

import shutil
import time

import pytest

from support.bidi import Firefox
from support.images import cells
from support.masks import decode_rle, fill_polygon

pytestmark = pytest.mark.skipif(not (shutil.which("firefox-esr") or shutil.which("firefox")), reason="Firefox is not installed")


@pytest.fixture(scope="module")
def firefox():
    ff = Firefox()
    yield ff
    ff.close()


def wait(ff, expression, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = ff.evaluate(expression)
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {expression}")


def screen(ff, x, y):
    """Viewport position of image point (x, y)."""
    return ff.evaluate(
        "const r = document.getElementById('canvas').getBoundingClientRect(); const v = window.livetrain.state().view;"
        f"return [r.left + {x} * v.scale + v.ox, r.top + {y} * v.scale + v.oy];")


def open_project(ff, server, project_id):
    ff.navigate("about:blank")
    ff.navigate(f"{server.url}/#token={server.token}&p={project_id}")
    return wait(ff, "const s = window.livetrain && window.livetrain.state(); return s && !s.busy && s.image !== null && s;")


def test_boxes_in_firefox(firefox, api, server, artifacts):
    p = api.create_project(f"firefox boxes {time.time():.0f}", "detection", [{"name": "thing"}])
    images = [api.upload(p["id"], cells(200, 150, [(60, 60)], 20), f"ff-{k}.png")["id"] for k in range(2)]
    s = open_project(firefox, server, p["id"])
    assert s["task"] == "detection" and s["image"] == images[0]
    firefox.drag([screen(firefox, 40, 40), screen(firefox, 60, 60), screen(firefox, 80, 82)])
    firefox.drag([screen(firefox, 50, 50), screen(firefox, 120, 110)], shift=True)  # over the first box
    objects = firefox.evaluate("return window.livetrain.state().objects")
    assert [o["box"] for o in objects] == [{"x1": 40, "y1": 40, "x2": 80, "y2": 82}, {"x1": 50, "y1": 50, "x2": 120, "y2": 110}]
    firefox.screenshot(str(artifacts / "20-firefox-boxes.png"))
    firefox.press("s")
    wait(firefox, f"const s = window.livetrain.state(); return !s.busy && s.image !== {images[0]};")
    stored = api.annotation(p["id"], images[0])
    assert [o["box"] for o in stored["objects"]] == [{"x1": 40, "y1": 40, "x2": 80, "y2": 82}, {"x1": 50, "y1": 50, "x2": 120, "y2": 110}]


def test_polygon_mask_in_firefox(firefox, api, server, artifacts):
    p = api.create_project(f"firefox masks {time.time():.0f}", "instance", [{"name": "cell"}])
    image = api.upload(p["id"], cells(200, 150, [(60, 60)], 20), "ff-mask.png")
    open_project(firefox, server, p["id"])
    firefox.press("p")
    points = [(30, 30), (95, 35), (90, 95), (35, 90)]
    for x, y in points + [points[0]]:
        sx, sy = screen(firefox, x, y)
        firefox.drag([(sx, sy)])  # a click
    objects = firefox.evaluate("return window.livetrain.state().objects")
    assert len(objects) == 1 and objects[0]["polygon"]
    polygon = firefox.evaluate("return window.livetrain.editor.doc.objects[0].polygon")
    assert all(abs(a - b) <= 0.5 for got, want in zip(polygon, points) for a, b in zip(got, want)), polygon
    firefox.screenshot(str(artifacts / "21-firefox-polygon.png"))
    firefox.press("s")
    wait(firefox, "const s = window.livetrain.state(); return !s.busy && !s.dirty;")
    stored = api.annotation(p["id"], image["id"])
    assert decode_rle(stored["objects"][0]["mask"]) == fill_polygon(polygon, 200, 150)
