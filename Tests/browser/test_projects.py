"""The Project dialog in headless Chromium: create a project, upload image files (one of them corrupt),
see the progress bar follow, refuse a model export before training, and download a COCO export.
"""

import json
import random
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support.api import ApiError
from support.images import cells


def unique(name):
    return f"{name} {time.strftime('%H%M%S')}-{random.randrange(10**6)}"


def export(ui, kind):
    """Clicks an export button; returns the status line once the download (or its failure) is done."""
    ui.js("const s = document.getElementById('pd-export-status'); s.textContent = ''; delete s.dataset.kind;")
    ui.driver.find_element(By.CSS_SELECTOR, f'#pd-exports [data-export="{kind}"]').click()
    ui.wait(lambda: (t := ui.text("#pd-export-status")) and not t.startswith("Preparing") and t, 60, f"the {kind} export")
    return ui.driver.find_element(By.ID, "pd-export-status")


def test_create_upload_and_export_from_the_dialog(ui, api, tmp_path):
    ui.open()
    # Downloads are caught at the object URL: the test reads the blob the page hands to the <a download>.
    ui.js("window.__blobs = []; const make = URL.createObjectURL.bind(URL);"
          "URL.createObjectURL = (b) => { window.__blobs.push(b); return make(b); };")
    ui.driver.find_element(By.ID, "btn-project").click()
    ui.wait(lambda: ui.js("return document.getElementById('project-dialog').open"), 5, "the dialog to open")

    # A key typed in the dialog is text, not a labelling shortcut.
    tool_before = ui.state()["tool"]
    name = unique("parcels")
    ui.driver.find_element(By.ID, "np-name").send_keys(name)
    Select(ui.driver.find_element(By.ID, "np-task")).select_by_value("detection")
    ui.driver.find_element(By.ID, "np-classes").send_keys("house, shed\nbarn")
    assert ui.driver.find_element(By.ID, "np-name").get_attribute("value") == name
    assert ui.state()["tool"] == tool_before
    ui.driver.find_element(By.ID, "np-create").click()

    project = ui.wait(lambda: next((p for p in api.projects() if p["name"] == name), None), 30, "the new project")
    assert [c["name"] for c in project["classes"]] == ["house", "shed", "barn"]
    ui.wait(lambda: (s := ui.state())["project"] == project["id"] and not s["busy"], 30, "the app to switch to it")
    assert ui.js("return document.getElementById('project-dialog').open")

    files = []
    for k, centres in enumerate([[(60, 60), (200, 150)], [(100, 120)]]):
        path = tmp_path / f"field-{k}.png"
        path.write_bytes(cells(320, 240, centres, 24))
        files.append(path)
    corrupt = tmp_path / "broken.png"
    corrupt.write_bytes(b"\x89PNG\r\n\x1a\nthis is not an image")
    files.insert(1, corrupt)
    ui.driver.find_element(By.ID, "pd-files").send_keys("\n".join(str(f) for f in files))

    ui.wait(lambda: ui.js("return document.getElementById('pd-upload-progress').dataset.done"), 60, "the uploads")
    line = ui.driver.find_element(By.ID, "pd-upload-progress")
    assert (line.get_attribute("data-added"), line.get_attribute("data-failed")) == ("2", "1"), line.text
    errors = [e.text for e in ui.driver.find_elements(By.CSS_SELECTOR, "#pd-upload-errors li")]
    assert len(errors) == 1 and errors[0].startswith("broken.png: ") and len(errors[0]) > len("broken.png: ") + 5, errors
    stored = api.images(project["id"])
    assert sorted(i["originalName"] for i in stored) == ["field-0.png", "field-1.png"], stored
    ui.wait(lambda: ui.text("#progress-text") == "0 / 2 labelled", 30, "the progress bar")
    ui.wait(lambda: (s := ui.state())["image"] is not None and not s["busy"], 60, "the first image to open")

    # Before any training the model export is refused with the server's reason.
    status = export(ui, "model")
    assert "error" in status.get_attribute("class") and "not trained" in status.text, status.text

    for image in stored:
        api.call("PUT", f"/api/projects/{project['id']}/images/{image['id']}/annotation",
                 {"objects": [{"classIndex": 0, "box": {"x1": 30, "y1": 30, "x2": 90, "y2": 90}}]})
    status = export(ui, "coco")
    assert status.get_attribute("data-kind") == "coco", status.text
    assert status.get_attribute("data-name").endswith("-coco.json"), status.get_attribute("data-name")
    assert int(status.get_attribute("data-bytes")) > 0
    coco = json.loads(ui.driver.execute_async_script(
        "const done = arguments[0]; window.__blobs[window.__blobs.length - 1].text().then(done);"))
    assert len(coco["images"]) == 2
    assert len(coco["annotations"]) == 2
    # "with the images" packs them: YOLO's images/ + labels/ + data.yaml as a ZIP, images by their names.
    ui.driver.find_element(By.ID, "pd-export-images").click()
    status = export(ui, "yolo")
    assert status.get_attribute("data-name").endswith("-yolo.zip"), status.text
    names = ui.driver.execute_async_script(
        "const done = arguments[0]; window.__blobs[window.__blobs.length - 1].arrayBuffer()"
        ".then(b => done(new TextDecoder('latin1').decode(new Uint8Array(b))));")
    for entry in ("data.yaml", "images/field-0.png", "labels/field-0.txt", "images/field-1.png"):
        assert entry in names, entry
    ui.driver.find_element(By.ID, "pd-export-images").click()
    ui.screenshot("projects-dialog")
    ui.driver.find_element(By.ID, "pd-close").click()
    ui.wait(lambda: not ui.js("return document.getElementById('project-dialog').open"), 5, "the dialog to close")

    # Deleting the project (after a confirm) removes it and stops its trainer, which would otherwise
    # compete with the later tests for the CPU; the UI moves to another project.
    ui.driver.find_element(By.ID, "btn-project").click()
    ui.wait(lambda: ui.js("return document.getElementById('project-dialog').open"), 5, "the dialog to open")
    assert name in ui.text("#pd-delete-project")
    ui.driver.find_element(By.ID, "pd-delete").click()
    alert = ui.driver.switch_to.alert
    assert name in alert.text and "cannot be undone" in alert.text
    alert.accept()
    ui.wait(lambda: not ui.js("return document.getElementById('project-dialog').open"), 10, "the dialog to close")
    assert all(p["id"] != project["id"] for p in api.projects())
    ui.wait(lambda: name not in ui.text("#project-select"), 10, "the picker to drop the project")
    try:
        api.call("GET", f"/api/projects/{project['id']}")
        raise AssertionError("the deleted project still answers")
    except ApiError as e:
        assert e.status == 404, e
