"""Segmentation in headless Chromium (issue 5): on projects the test creates through the API, draw
polygons (closed by the first point and by Enter, a vertex dragged), brush and eraser strokes and a
fill, undo/redo them, submit, and check the stored masks and label maps pixel for pixel; then label
instance images until the live model's mask pre-labels appear, and edit one with the brush.
"""

import os
import random
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from support.images import cells
from support.masks import bounds, decode_rle, decode_runs, fill_polygon

W, H = 320, 240
MASK_PRELABEL_TIMEOUT = float(os.environ.get("LIVETRAIN_MASK_PRELABEL_TIMEOUT", "900"))


def unique(name):
    return f"{name} {time.strftime('%H%M%S')}-{random.randrange(10**6)}"


def disc_layout(seed, n=3, radius=22):
    rng = random.Random(seed)
    centres = []
    while len(centres) < n:
        c = (rng.randint(radius + 8, W - radius - 8), rng.randint(radius + 8, H - radius - 8))
        if all((c[0] - d[0]) ** 2 + (c[1] - d[1]) ** 2 > (2 * radius + 12) ** 2 for d in centres):
            centres.append(c)
    return centres, radius


@pytest.fixture(scope="module")
def instance_project(api):
    p = api.create_project(unique("cells"), "instance", [{"name": "nucleus"}, {"name": "debris", "colour": "#e15759"}])
    layouts = {}
    for k in range(8):
        centres, r = disc_layout(k)
        image = api.upload(p["id"], cells(W, H, centres, r), f"cells-{k}.png")
        layouts[image["id"]] = (centres, r)
    return p, layouts


@pytest.fixture(scope="module")
def semantic_project(api):
    p = api.create_project(unique("cracks"), "semantic", [{"name": "background"}, {"name": "crack"}, {"name": "hole", "colour": "#edc948"}])
    centres, r = disc_layout(99)
    image = api.upload(p["id"], cells(W, H, centres, r), "cracks-0.png")
    return p, image


def page_objects(ui):
    """The human objects on the page with their masks as COCO counts (encoded by the page's codec)."""
    return ui.driver.execute_async_script(
        "const done = arguments[0];"
        "import('/mask/rle.js').then((rle) => { const d = window.livetrain.editor.doc;"
        " done(d.objects.filter((o) => !o.prelabel).map((o) => ({id: o.id, classIndex: o.classIndex,"
        "  counts: rle.encodeRLE(o.mask, d.width, d.height).counts, polygon: o.polygon}))); });")


def mask_at(ui, object_id, x, y):
    return ui.js("const d = window.livetrain.editor.doc; const o = d.find(arguments[0]);"
                 " return o ? o.mask[arguments[2] * d.width + arguments[1]] : null", object_id, x, y)


def label_at(ui, x, y):
    return ui.js("const d = window.livetrain.editor.doc; const l = d.prelabelLabels || d.labels; return l[arguments[1] * d.width + arguments[0]]", x, y)


def circle(cx, cy, r, n=16):
    import math
    return [(cx + r * math.cos(2 * math.pi * k / n), cy + r * math.sin(2 * math.pi * k / n)) for k in range(n)]


def draw_polygon(ui, points, close="click"):
    for x, y in points:
        ui.click(x, y)
    if close == "click":
        ui.click(*points[0])
    else:
        ui.press(Keys.ENTER)


def set_brush(ui, size):
    for _ in range(40):
        now = int(ui.text("#brush-size"))
        if now == size:
            return
        ui.press("]" if now < size else "[")
    raise AssertionError(f"brush size stuck at {ui.text('#brush-size')}")


def test_instance_polygon_brush_eraser_fill_are_stored_exactly(ui, api, instance_project):
    project, layouts = instance_project
    ui.open(project=project["id"])
    s = ui.state()
    assert s["task"] == "instance" and s["image"] in layouts
    image_id = s["image"]

    # Polygon closed by clicking its first point, then one vertex dragged.
    ui.press("p")
    square = [(30, 30), (90, 26), (100, 80), (50, 100), (24, 70)]
    draw_polygon(ui, square)
    s = ui.state()
    assert len(s["objects"]) == 1 and s["objects"][0]["polygon"] and s["selected"] == s["objects"][0]["id"]
    polygon_id = s["objects"][0]["id"]
    ui.drag([(100, 80), (112, 92)])
    polygon = ui.js("return window.livetrain.editor.doc.find(arguments[0]).polygon", polygon_id)
    assert polygon[2] == pytest.approx([112, 92], abs=0.6)

    # A brush stroke of the second class (2) as a new object (Esc: nothing selected).
    ui.press(Keys.ESCAPE, "2", "r")
    set_brush(ui, 10)
    ui.drag([(150, 40), (200, 60), (215, 110)], steps=6)
    s = ui.state()
    assert len(s["objects"]) == 2 and s["objects"][1]["classIndex"] == 1

    # A ring painted with a thin brush, then filled (G) inside, then a cut with the eraser.
    ui.press(Keys.ESCAPE, "1")
    set_brush(ui, 5)
    ring = circle(250, 170, 26, 24)
    ui.drag(ring + [ring[0]], steps=2)
    ring_id = ui.state()["selected"]
    assert mask_at(ui, ring_id, 250, 170) == 0, "the ring is hollow"
    ui.press("g")
    ui.click(250, 170)
    assert mask_at(ui, ring_id, 250, 170) == 1, "fill closed the ring's inside"
    ui.press("e")
    ui.drag([(250, 130), (250, 210)], steps=8)
    assert mask_at(ui, ring_id, 250, 170) == 0, "the eraser cut through the filled ring"
    ui.chord(Keys.CONTROL, "z")
    assert mask_at(ui, ring_id, 250, 170) == 1, "undo gives the pixels back"
    ui.chord(Keys.CONTROL, Keys.SHIFT, "z")
    assert mask_at(ui, ring_id, 250, 170) == 0, "redo erases again"
    ui.screenshot("10-instance-drawn")

    drawn = page_objects(ui)
    assert [o["classIndex"] for o in drawn] == [0, 1, 0]
    ui.press("s")
    ui.wait_new_image(image_id)
    stored = api.annotation(project["id"], image_id)
    assert stored["source"] == "drawn"
    assert [o["classIndex"] for o in stored["objects"]] == [0, 1, 0]
    for page, saved in zip(drawn, stored["objects"]):
        assert saved["mask"]["width"] == W and saved["mask"]["height"] == H
        assert saved["mask"]["counts"] == page["counts"], "the stored mask is the drawn one, pixel for pixel"
    # The polygon's mask is exactly the server's polygon rule applied to its (edited) vertices.
    assert decode_rle(stored["objects"][0]["mask"]) == fill_polygon(drawn[0]["polygon"], W, H)
    box = stored["objects"][0]["box"]
    assert (box["x1"], box["y1"], box["x2"], box["y2"]) == bounds(fill_polygon(drawn[0]["polygon"], W, H), W, H)


def test_semantic_polygon_brush_eraser_fill_are_stored_exactly(ui, api, semantic_project):
    project, image = semantic_project
    ui.open(project=project["id"])
    s = ui.state()
    assert s["task"] == "semantic" and s["image"] == image["id"] and s["tool"] == "polygon"

    # Polygon of "crack" (key 2), closed with Enter.
    ui.press("2")
    draw_polygon(ui, [(20, 20), (140, 20), (140, 120), (20, 120)], close="enter")
    assert label_at(ui, 80, 70) == 1 and label_at(ui, 160, 70) == 0
    # A "hole" (key 3) brush stroke across it, and an eraser cut.
    ui.press("3", "r")
    set_brush(ui, 8)
    ui.drag([(10, 60), (150, 60)], steps=10)
    assert label_at(ui, 80, 60) == 2 and label_at(ui, 145, 60) == 2
    ui.press("e")
    ui.drag([(60, 10), (60, 130)], steps=10)
    assert label_at(ui, 60, 100) == 0 and label_at(ui, 60, 60) == 0
    # A closed "hole" ring, filled with "crack" inside.
    ui.press("r")
    set_brush(ui, 4)
    ring = circle(240, 170, 30, 24)
    ui.drag(ring + [ring[0]], steps=2)
    assert label_at(ui, 240, 170) == 0
    ui.press("2", "g")
    ui.click(240, 170)
    assert label_at(ui, 240, 170) == 1 and label_at(ui, 300, 20) == 0, "fill stays inside the ring"
    ui.screenshot("11-semantic-drawn")

    page = ui.driver.execute_async_script(
        "const done = arguments[0]; import('/mask/rle.js').then((rle) => {"
        " const d = window.livetrain.editor.doc; done(rle.encodeLabelRuns(d.labels, d.width, d.height)); });")
    ui.press("s")
    ui.wait(lambda: ui.state()["image"] != image["id"] or not ui.state()["dirty"], 60, "the submit")
    stored = api.annotation(project["id"], image["id"])
    assert stored["objects"] == []
    assert stored["labels"] == page, "the stored label map is the drawn one, pixel for pixel"
    labels = decode_runs(stored["labels"])
    assert labels[70 * W + 80] == 1 and labels[60 * W + 80] == 2 and labels[100 * W + 60] == 0 and labels[170 * W + 240] == 1


def test_instance_mask_prelabels_appear_and_are_edited(ui, api, instance_project):
    """Label the discs of further images with polygons until the live model pre-labels masks."""
    project, layouts = instance_project
    ui.open(project=project["id"])
    deadline = time.time() + MASK_PRELABEL_TIMEOUT
    labelled = 0
    while True:
        s = ui.state()
        if s["pending"] > 0 and (s["modelStep"] or 0) > 0:
            break
        status = api.status(project["id"])
        assert time.time() < deadline, f"no mask pre-labels after {labelled} images; status {status}"
        if s["image"] is None:
            # Every image is labelled: add a few more (as a person would upload the next batch).
            for k in range(len(layouts), len(layouts) + 4):
                centres, r = disc_layout(k)
                layouts[api.upload(project["id"], cells(W, H, centres, r), f"cells-{k}.png")["id"]] = (centres, r)
            ui.press("n")
            ui.wait_ready()
            continue
        ui.press("p")
        centres, r = layouts[s["image"]]
        for cx, cy in centres:
            draw_polygon(ui, circle(cx, cy, r, 12))
        step = status["step"]
        if ui.state()["pending"]:
            ui.press("s")
        ui.press("s")
        ui.wait_new_image(s["image"])
        labelled += 1
        wait_until = time.time() + 60
        while time.time() < wait_until and api.status(project["id"])["step"] < step + 10:
            time.sleep(1)
        if api.status(project["id"])["prelabelReady"] and not ui.state()["pending"] and ui.state()["image"] is not None:
            ui.reload()
    s = ui.state()
    pre = [o for o in s["objects"] if o["prelabel"]]
    assert pre and all(o["bounds"] for o in pre)
    ui.screenshot("12-instance-prelabels")
    # Paint into one pre-label with the brush: it becomes the human's; accept the rest.
    target = pre[0]
    ui.driver.find_element(By.CSS_SELECTOR, f'#object-list li[data-id="{target["id"]}"]').click()
    b = target["bounds"]
    cx, cy = (b["x1"] + b["x2"]) / 2, (b["y1"] + b["y2"]) / 2
    ui.press("r")
    ui.drag([(cx, cy), (cx + 3, cy + 3)])
    s = ui.state()
    edited = next(o for o in s["objects"] if o["id"] == target["id"])
    assert not edited["prelabel"] and s["pending"] == len(pre) - 1
    ui.press("a")
    assert ui.state()["pending"] == 0
    image_id = s["image"]
    ui.screenshot("13-instance-prelabels-edited")
    ui.press("s")
    ui.wait_new_image(image_id)
    stored = api.annotation(project["id"], image_id)
    assert stored["source"] == "edited" and len(stored["objects"]) == len(pre)
    assert all(o["mask"] for o in stored["objects"])
