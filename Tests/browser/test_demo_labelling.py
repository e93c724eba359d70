"""The demo end to end in headless Chromium (issue 4's acceptance): open the demo, draw boxes on two
images and submit, keep labelling until the live model's pre-labels appear, accept and edit them,
watch the metrics panel update; plus zoom/pan, help, a failed submit that loses nothing, and a stale
edit that is refused and offers the newer labels.

The tests run in file order on one browser and one server: each continues where the last stopped.
Boxes drawn are the demo's known trees (its images ship with Pascal VOC boxes), so the live model
learns what a person would teach it.
"""

import os
import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from support.api import ApiError
from support.groundtruth import boxes_for

ROOT = Path(__file__).resolve().parents[2]
DEMO_IMAGES = Path(os.environ.get("LIVETRAIN_DEMO_IMAGES", ROOT / "assets" / "demo"))
# CPU training is slow and machines differ: pre-labels get this long (seconds) to appear.
PRELABEL_TIMEOUT = float(os.environ.get("LIVETRAIN_PRELABEL_TIMEOUT", "1500"))
# After each submit, give the trainer this many steps (or this many seconds) before going on, as the
# time a person takes to label would.
STEPS_PER_IMAGE = int(os.environ.get("LIVETRAIN_STEPS_PER_IMAGE", "15"))
STEP_WAIT = float(os.environ.get("LIVETRAIN_STEP_WAIT", "60"))


@pytest.fixture(scope="module")
def demo(api):
    projects = [p for p in api.projects() if p["task"] == "detection" and p["name"].lower().startswith("demo")]
    assert projects, f"no demo project among {[p['name'] for p in api.projects()]}"
    return projects[0]


def truth(api, demo, image_id):
    """The known trees of an image, or a few plausible boxes when it has none (not a tree tile)."""
    image = api.image(demo["id"], image_id)
    boxes = boxes_for(image["originalName"], image["width"], image["height"], DEMO_IMAGES)
    return image, boxes if boxes is not None else []


def draw_all(ui, boxes):
    before = len(ui.state()["objects"])
    for b in boxes:
        ui.draw_box(b)
    objects = ui.state()["objects"]
    assert len(objects) == before + len(boxes), "every drag should have drawn one box"
    return objects


def assert_stored(api, demo, image_id, boxes, source):
    stored = api.annotation(demo["id"], image_id)
    assert stored["source"] == source
    got = sorted((o["box"]["x1"], o["box"]["y1"], o["box"]["x2"], o["box"]["y2"]) for o in stored["objects"])
    want = sorted(boxes)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert all(abs(a - b) <= 1.5 for a, b in zip(g, w)), f"stored {g}, drawn {w}"


def submit_and_wait(ui):
    """S; with pre-labels left unaccepted the UI asks for a second S (they are not submitted)."""
    before = ui.state()["image"]
    if ui.state()["pending"]:
        ui.clear_toasts()
        ui.press("s")
        assert any("not accepted" in t for t in ui.toasts("warn")), "unaccepted pre-labels are pointed out"
        assert ui.state()["image"] == before
    ui.press("s")
    return ui.wait_new_image(before)


def label_with_truth(ui, api, demo):
    """Draws the open image's known trees (pre-labels left alone), submits, checks what was stored."""
    s = ui.state()
    image_id = s["image"]
    _, boxes = truth(api, demo, image_id)
    draw_all(ui, boxes)
    source = "edited" if s["prelabelShown"] else "drawn"
    submit_and_wait(ui)
    assert_stored(api, demo, image_id, boxes, source)
    return image_id


def test_demo_opens_with_project_progress_and_image(ui, demo):
    ui.open()
    s = ui.state()
    assert s["project"] == demo["id"] and s["task"] == "detection"
    assert s["image"] is not None, ui.text("#stage-message")
    assert demo["name"] in ui.text("#project-select")
    total = demo["counts"]["total"]
    assert ui.text("#progress-text") == f"{demo['counts']['labelled']} / {total} labelled"
    ui.wait(lambda: ui.js("return document.getElementById('state-badge').dataset.state") not in ("unknown", "offline"),
            30, "the live state from server-sent events")
    assert ui.metric("samples") != "–"
    ui.screenshot("01-demo-opened")


def test_draw_edit_and_submit_boxes_on_two_images(ui, api, demo):
    labelled = api.project(demo["id"])["counts"]["labelled"]
    for n in range(2):
        if n == 0:
            s = ui.state()
            image, boxes = truth(api, demo, s["image"])
            draw_all(ui, boxes)
            edit_one_box(ui, image)
            ui.screenshot("02-boxes-drawn")
            source = "edited" if s["prelabelShown"] else "drawn"
            submit_and_wait(ui)
            assert_stored(api, demo, s["image"], boxes, source)
        else:
            label_with_truth(ui, api, demo)
        labelled += 1
        ui.wait(lambda: ui.text("#progress-text").startswith(f"{labelled} /"), 20, f"progress {labelled}")


def edit_one_box(ui, image):
    """Draw, move, resize, delete, undo and redo one extra box; leaves the drawing as it was."""
    count = len(ui.state()["objects"])
    cx, cy = image["width"] / 2, image["height"] / 2
    ui.draw_box((cx - 30, cy - 20, cx + 10, cy + 20))
    s = ui.state()
    assert len(s["objects"]) == count + 1 and s["selected"] == s["objects"][-1]["id"]
    assert s["objects"][-1]["box"] == {"x1": cx - 30, "y1": cy - 20, "x2": cx + 10, "y2": cy + 20}
    # Move: drag from inside the selected box.
    ui.drag([(cx - 10, cy), (cx + 5, cy + 10)])
    box = ui.state()["objects"][-1]["box"]
    assert (box["x1"], box["y1"], box["x2"], box["y2"]) == (cx - 15, cy - 10, cx + 25, cy + 30)
    # Resize: drag the bottom-right handle.
    ui.drag([(cx + 25, cy + 30), (cx + 45, cy + 40)])
    box = ui.state()["objects"][-1]["box"]
    assert (box["x1"], box["y1"], box["x2"], box["y2"]) == (cx - 15, cy - 10, cx + 45, cy + 40)
    # Delete, undo, redo, undo: back to the extra box, then undo everything about it.
    ui.press(Keys.DELETE)
    assert len(ui.state()["objects"]) == count
    ui.chord(Keys.CONTROL, "z")
    assert len(ui.state()["objects"]) == count + 1
    ui.chord(Keys.CONTROL, Keys.SHIFT, "z")
    assert len(ui.state()["objects"]) == count
    ui.chord(Keys.CONTROL, "z")
    ui.chord(Keys.CONTROL, "z")  # undo resize
    ui.chord(Keys.CONTROL, "z")  # undo move
    box = ui.state()["objects"][-1]["box"]
    assert (box["x1"], box["y1"]) == (cx - 30, cy - 20)
    ui.chord(Keys.CONTROL, "y")  # redo move
    box = ui.state()["objects"][-1]["box"]
    assert (box["x1"], box["y1"]) == (cx - 15, cy - 10)
    ui.screenshot("02a-box-selected")
    ui.press(Keys.BACKSPACE)
    assert len(ui.state()["objects"]) == count


def trained_prelabels_shown(ui):
    s = ui.state()
    return s["pending"] > 0 and (s["modelStep"] or 0) > 0


def test_keep_labelling_until_prelabels_appear(ui, api, demo):
    """Pre-labels must come from a model that has trained (step > 0), not only be switched on."""
    deadline = time.time() + PRELABEL_TIMEOUT
    submitted = 0
    while not trained_prelabels_shown(ui):
        status = api.status(demo["id"])
        assert time.time() < deadline, f"no pre-labels after {submitted} more images; trainer status {status}"
        if status["prelabelReady"] and status["step"] > 0 and not ui.state()["pending"]:
            # The model became ready after this image was opened: opening it again shows pre-labels.
            ui.reload()
            if trained_prelabels_shown(ui):
                break
        assert ui.state()["image"] is not None, f"ran out of images before pre-labels appeared; status {status}"
        step = status["step"]
        label_with_truth(ui, api, demo)
        submitted += 1
        # Give the trainer the time a person's labelling would.
        wait_until = time.time() + STEP_WAIT
        while time.time() < wait_until:
            s = api.status(demo["id"])
            if s["step"] >= step + STEPS_PER_IMAGE or s["state"] == "paused-plateau":
                break
            time.sleep(1)
    s = ui.state()
    pre = [o for o in s["objects"] if o["prelabel"]]
    assert pre and all(o["score"] is not None for o in pre), "pre-labels carry scores"
    assert s["modelStep"] > 0
    assert ui.js("return document.getElementById('prelabel-summary').dataset.pending") == str(len(pre))
    ui.screenshot("03-prelabels-shown")


def set_min_score(ui, value):
    ui.js(f"const s = document.getElementById('min-score'); s.value = '{value}'; s.dispatchEvent(new Event('input'));")


def prelabels_by_visibility(ui):
    shown = [(o["classIndex"], o["score"]) for o in ui.state()["objects"] if o["prelabel"]]
    hidden = ui.js("return window.livetrain.editor.doc.hiddenPrelabels.map((o) => [o.classIndex, o.score])")
    return shown, [tuple(h) for h in hidden]


def test_prelabels_default_to_the_calibrated_min_score_and_the_slider_overrides(ui):
    """Issue 12: the server calibrates the tree class's min score on the images submitted so far (the
    model's pre-labels on them, scored against what was drawn); the open image shows its pre-labels from
    it. Moving the slider sets one value for all classes; "use calibrated" goes back."""
    m = ui.state()["minScore"]
    assert m["global"] is not None and not m["overridden"], f"no calibrated min score in the open reply: {m}"
    assert "0" in m["perClass"], f"the tree class has enough scored pre-labels to be calibrated on its own: {m}"
    tree = m["perClass"]["0"]
    assert ui.text("#min-score-calibrated") == f"calibrated: tree {tree:.2f}"
    assert ui.text("#min-score-value") == "per class"
    assert not ui.visible("btn-min-score-calibrated")
    shown, hidden = prelabels_by_visibility(ui)
    assert shown and all(s >= tree for _, s in shown) and all(s < tree for _, s in hidden), (tree, shown, hidden)
    ui.screenshot("03b-calibrated-min-score")

    # The slider overrides: show every pre-label (or, when none was hidden, only the top ones).
    value = 0.0 if hidden else 0.95
    set_min_score(ui, value)
    m = ui.state()["minScore"]
    assert m["overridden"] and ui.text("#min-score-value") == f"{value:.2f}"
    assert ui.text("#min-score-calibrated") == f"calibrated: tree {tree:.2f}", "the calibrated value stays in view"
    over_shown, over_hidden = prelabels_by_visibility(ui)
    assert all(s >= value for _, s in over_shown) and all(s < value for _, s in over_hidden)
    assert len(over_shown) + len(over_hidden) == len(shown) + len(hidden)
    if hidden:
        assert len(over_shown) == len(shown) + len(hidden), "min score 0 shows every pre-label"

    # Back to the calibrated value.
    ui.driver.find_element(By.ID, "btn-min-score-calibrated").click()
    assert not ui.state()["minScore"]["overridden"] and ui.text("#min-score-value") == "per class"
    assert prelabels_by_visibility(ui) == (shown, hidden)
    assert not ui.visible("btn-min-score-calibrated")


def test_accept_and_edit_prelabels(ui, api, demo):
    s = ui.state()
    image_id = s["image"]
    pre = [o for o in s["objects"] if o["prelabel"]]
    assert pre, "the previous test leaves an image with pre-labels open"
    if len(pre) < 2:
        # The steps below need two shown pre-labels; how many pass the default min score depends on
        # how far training got, so show the low-score ones too.
        set_min_score(ui, 0.05)
        s = ui.state()
        pre = [o for o in s["objects"] if o["prelabel"]]
    # Editing a pre-label makes it the human's: select the largest in the object list, drag it.
    target = max(pre, key=lambda o: (o["box"]["x2"] - o["box"]["x1"]) * (o["box"]["y2"] - o["box"]["y1"]))
    ui.driver.find_element(By.CSS_SELECTOR, f'#object-list li[data-id="{target["id"]}"]').click()
    assert ui.state()["selected"] == target["id"]
    b = target["box"]
    cx, cy = (b["x1"] + b["x2"]) / 2, (b["y1"] + b["y2"]) / 2
    dx = 6 if b["x2"] + 6 <= api.image(demo["id"], image_id)["width"] else -6
    ui.drag([(cx, cy), (cx + dx, cy)])
    s = ui.state()
    moved = next(o for o in s["objects"] if o["id"] == target["id"])
    assert not moved["prelabel"], "a moved pre-label becomes a normal annotation"
    assert s["pending"] == len(pre) - 1
    # Accept the rest.
    ui.press("a")
    s = ui.state()
    assert s["pending"] == 0 and not any(o["prelabel"] for o in s["objects"])
    assert ui.text("#prelabel-summary") == "reviewed (edited)"
    # Tab walks the objects; delete one other than the moved box, then submit.
    ui.press(Keys.TAB)
    first = ui.state()["selected"]
    ui.press(Keys.TAB)
    assert ui.state()["selected"] not in (None, first)
    deleted = next(o["id"] for o in ui.state()["objects"] if o["id"] != moved["id"])
    ui.driver.find_element(By.CSS_SELECTOR, f'#object-list li[data-id="{deleted}"]').click()
    ui.press(Keys.DELETE)
    final = [o for o in ui.state()["objects"] if o["id"] != deleted]
    assert len(final) == len(pre) - 1
    ui.screenshot("04-prelabels-accepted-and-edited")
    submit_and_wait(ui)
    stored = api.annotation(demo["id"], image_id)
    assert stored["source"] == "edited"
    assert len(stored["objects"]) == len(final)
    mb = next(o for o in final if o["id"] == moved["id"])["box"]
    assert any(abs(o["box"]["x1"] - mb["x1"]) <= 1 and abs(o["box"]["y1"] - mb["y1"]) <= 1 for o in stored["objects"])
    set_min_score(ui, 0.3)


def test_fresher_prelabels_replace_untouched_ones_once_the_model_has_stepped(ui, api, demo):
    """The image opened right after a submit was pre-labelled by a model that had not trained on that
    submission. Left untouched, it gets the pre-labels of a later step (once, with a note); an image the
    annotator has started on keeps what it showed."""
    ui.set_follow_model(True)
    try:
        label_with_truth(ui, api, demo)  # submits, and the next image opens with pre-labels
        opened = ui.state()
        assert opened["prelabelShown"] and opened["modelStep"] > 0, "the next image opens with pre-labels"
        ui.clear_toasts()
        fresh = ui.wait(lambda: (s := ui.state()) and not s["busy"] and s["modelStep"] > opened["modelStep"] and s,
                        60, f"pre-labels from a step after {opened['modelStep']}")
        assert fresh["image"] == opened["image"] and not fresh["dirty"]
        assert all(o["prelabel"] for o in fresh["objects"]), "the fresher pre-labels are still only suggestions"
        assert any("Fresher pre-labels" in t for t in ui.toasts("info")), ui.toasts()
        status = api.status(demo["id"])
        assert fresh["modelStep"] <= status["step"]
        ui.screenshot("04b-fresher-prelabels")

        # Started on at once: the pre-labels stay those of the step the image opened with.
        label_with_truth(ui, api, demo)
        scored = [e for e in api.evaluations(demo["id"]) if e["imageId"] == fresh["image"]]
        assert [e["modelStep"] for e in scored] == [fresh["modelStep"]], f"the swapped-in pre-label is the one scored: {scored}"
        started = ui.state()
        image_id = started["image"]
        _, boxes = truth(api, demo, image_id)
        if boxes:
            draw_all(ui, boxes)
        else:
            ui.press(Keys.TAB)  # a selection is a start too
        started = ui.state()
        assert started["dirty"] or started["selected"] is not None
        time.sleep(6)  # past the UI's first look at the model's step (3 s after opening)
        s = ui.state()
        assert s["modelStep"] == started["modelStep"] and len(s["objects"]) == len(started["objects"]), "a touched image is never swapped"
        submit_and_wait(ui)
        if boxes:
            assert_stored(api, demo, image_id, boxes, "edited" if started["prelabelShown"] else "drawn")
    finally:
        ui.set_follow_model(False)


def test_metrics_panel_follows_the_trainer(ui, api, demo):
    ui.wait(lambda: ui.metric("step") not in ("–", ""), 30, "a step in the panel")
    first = int(ui.metric("step"))
    samples = int(ui.metric("samples"))
    # A new sample wakes a plateau-paused trainer, so the step must move after a submit.
    image_id = ui.state()["image"]
    if image_id is not None:
        label_with_truth(ui, api, demo)
    ui.wait(lambda: int(ui.metric("samples")) > samples or int(ui.metric("step")) > first, 60, "samples or step to grow in the panel")
    ui.wait(lambda: int(ui.metric("step")) > first, 180, f"the step to pass {first} in the panel")
    status = api.status(demo["id"])
    assert abs(int(ui.metric("step")) - status["step"]) <= 50
    assert ui.metric("loss") != "–"
    assert ui.metric("livePrimary") != "–", "pre-labels were scored, so the live box AP is known"
    # textContent: the panel's CSS upper-cases what Selenium's .text reports.
    label = ui.js("return document.getElementById('metric-primary-label').textContent")
    assert label == "Live box AP", f"labelled by the server's metric, got {label!r}"
    per_class = ui.js("return [...document.querySelectorAll('#per-class dd')].map(d => [d.dataset.class, d.textContent])")
    assert per_class and {name for name, _ in per_class} <= {c["name"] for c in demo["classes"]}, per_class
    assert all(0 <= float(value) <= 1 for _, value in per_class)
    badge = ui.js("return document.getElementById('state-badge').dataset.state")
    assert badge in ("training", "paused-plateau", "waiting-for-labels", "paused")
    ui.element_screenshot("#metrics-panel", "05-metrics-panel")
    ui.screenshot("05-after-metrics")


def test_zoom_pan_and_fit(ui):
    fitted = ui.state()["view"]
    ui.wheel(-400)
    zoomed = ui.wait(lambda: (v := ui.state()["view"])["scale"] > fitted["scale"] * 1.2 and v, 5, "wheel zoom")
    ui.space_drag(80, 40)
    panned = ui.state()["view"]
    assert abs(panned["ox"] - zoomed["ox"] - 80) <= 2 and abs(panned["oy"] - zoomed["oy"] - 40) <= 2
    assert len(ui.state()["objects"]) == len(ui.state()["objects"]), "panning draws nothing"
    ui.press("f")
    assert ui.state()["view"] == pytest.approx(fitted)


def test_help_overlay_lists_the_shortcuts(ui):
    ui.press("?")
    assert ui.visible("help")
    text = ui.text("#help-grid")
    for phrase in ("Next unlabelled image", "Submit", "Accept all pre-labels", "Undo", "Polygon", "Brush", "Eraser", "Fit"):
        assert phrase in text
    ui.screenshot("06-help")
    ui.press(Keys.ESCAPE)
    assert not ui.visible("help")
    ui.clear_toasts()
    ui.press("p")  # polygons belong to segmentation projects: said, not silently ignored
    assert any("segmentation" in t for t in ui.toasts("warn"))
    assert ui.state()["tool"] == "box"


def test_leaving_unsubmitted_changes_needs_a_second_press(ui):
    image_id = ui.state()["image"]
    ui.draw_box((20, 20, 60, 60))
    assert ui.state()["dirty"]
    ui.clear_toasts()
    ui.press("n")
    assert ui.state()["image"] == image_id, "N alone does not drop the drawing"
    assert any("unsubmitted changes" in t for t in ui.toasts("warn"))
    ui.chord(Keys.CONTROL, "z")
    assert not ui.state()["dirty"], "undoing every change leaves nothing unsubmitted"
    ui.press("n")
    moved_to = ui.wait_new_image(image_id)["image"]
    ui.press(Keys.ARROW_LEFT)
    ui.wait_new_image(moved_to)
    assert ui.state()["image"] == image_id, "← goes back to the image before"
    assert not [o for o in ui.state()["objects"] if not o["prelabel"]], "the undone box was never submitted"


def test_failed_submit_keeps_the_drawing_and_shows_the_reason(ui, api, demo):
    account = api.create_account(f"annotator {time.time_ns()}", "annotator's password")
    token = api.create_token("browser test", account=account["id"])
    api.add_member(demo["id"], account["name"], "annotator")
    ui.open(project=demo["id"], token=token["token"])
    image_id = ui.state()["image"]
    assert image_id is not None
    image, boxes = truth(api, demo, image_id)
    boxes = boxes[:3] or [(10, 10, 40, 40)]
    draw_all(ui, boxes)
    api.revoke_token(token["id"])
    ui.clear_toasts()
    if ui.state()["pending"]:
        ui.press("s")  # the first S only points out the unaccepted pre-labels
    ui.press("s")
    errors = ui.wait(lambda: ui.toasts("error"), 20, "an error message")
    assert any("invalid or revoked API token" in e for e in errors), errors
    s = ui.state()
    drawn = [o for o in s["objects"] if not o["prelabel"]]
    assert s["image"] == image_id and s["dirty"] and len(drawn) == len(boxes), "nothing is lost"
    assert ui.visible("login"), "a refused token asks to sign in again"
    ui.screenshot("07-failed-submit")
    with pytest.raises(ApiError) as refused:
        api.annotation(demo["id"], image_id)
    assert refused.value.status == 404
    # Sign in again as the same person (a new token of the account: the image stays leased to them, so
    # someone else's token would rightly be refused): the drawing is still there and goes through.
    again = api.create_token("browser test again", account=account["id"])
    field = ui.driver.find_element(By.ID, "login-token")
    field.send_keys(again["token"], Keys.ENTER)
    ui.wait(lambda: not ui.visible("login"), 10, "the sign-in dialog to close")
    ui.press("s")  # the choice to leave the pre-labels out still stands from the first try
    ui.wait_new_image(image_id)
    assert_stored(api, demo, image_id, boxes, "edited" if s["prelabelShown"] else "drawn")


def test_stale_edit_is_refused_and_offers_the_newer_labels(ui, api, demo):
    ui.open(project=demo["id"])
    image_id = ui.state()["image"]
    assert image_id is not None
    draw_all(ui, [(10, 10, 40, 40)])
    # Someone else saves this image while it is open here.
    theirs = {"classIndex": 0, "box": {"x1": 50, "y1": 60, "x2": 90, "y2": 100}}
    api.call("PUT", f"/api/projects/{demo['id']}/images/{image_id}/annotation", {"objects": [theirs]})
    if ui.state()["pending"]:
        ui.press("s")  # the first S only points out the unaccepted pre-labels
    ui.press("s")
    alert = WebDriverWait(ui.driver, 20).until(EC.alert_is_present())
    assert "changed by someone else" in alert.text, alert.text
    alert.accept()
    ui.wait(lambda: not ui.state()["dirty"] and len(ui.state()["objects"]) == 1, 20, "the newer labels reloaded")
    assert ui.state()["image"] == image_id
    stored = api.annotation(demo["id"], image_id)
    assert [o["box"]["x1"] for o in stored["objects"]] == [50], "their labels were kept, not overwritten"
    ui.screenshot("08-stale-edit-reloaded")
