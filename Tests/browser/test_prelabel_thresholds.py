"""The per-class min scores of the labelling UI (Web/prelabelThresholds.js, AnnotationDoc.applyMinScore),
run in the browser on hand-made `open` replies: what the server's calibration is checked against, which
pre-labels each class shows, what Accept all keeps, and the text the panel shows. The live version (a
real model's calibrated thresholds on the demo) is in test_demo_labelling.py.
"""

import json

import pytest

CLASSES = [{"name": "trees"}, {"name": "dead"}, {"name": "shrub"}]


@pytest.fixture(scope="module")
def page(driver, server):
    driver.get(server.url + "/")

    def run(body, *args):
        script = (
            "const done = arguments[arguments.length - 1];"
            "Promise.all([import('/prelabelThresholds.js'), import('/annotation.js')]).then(([t, a]) => {"
            f"  try {{ done({{ok: (function(t, a, args) {{ {body} }})(t, a, JSON.parse(arguments[0]))}}); }}"
            "  catch (e) { done({error: String(e.message || e)}); }"
            "}, (e) => done({error: 'import failed: ' + e}));"
        )
        result = driver.execute_async_script(script, json.dumps(args))
        if "error" in result:
            raise AssertionError(result["error"])
        return result["ok"]

    return run


def read(page, reply):
    return page("const c = t.readCalibration(args[0], args[1]); return {global: c.global, perClass: Object.fromEntries(c.perClass)};",
                reply, CLASSES)


def test_calibration_from_the_server_is_checked(page):
    assert read(page, {"suggestedMinScore": 0.3, "suggestedClassMinScores": {"trees": 0.42, "dead": 0.61}}) == \
        {"global": 0.3, "perClass": {"0": 0.42, "1": 0.61}}
    # Out of range, not a number, unknown class names: left out; a class left out uses the global value.
    odd = {"trees": 1.5, "dead": "0.6", "shrub": -0.1, "oak": 0.5, "__proto__": 0.2}
    assert read(page, {"suggestedMinScore": 0.3, "suggestedClassMinScores": odd}) == {"global": 0.3, "perClass": {}}
    assert read(page, {"suggestedMinScore": 0.3, "suggestedClassMinScores": [0.4, 0.5]})["perClass"] == {}
    # No usable global value: nothing calibrated at all (the slider's value applies).
    for bad in (None, 2, "0.3", True):
        assert read(page, {"suggestedMinScore": bad, "suggestedClassMinScores": {"trees": 0.42}}) == {"global": None, "perClass": {}}
    assert read(page, None) == {"global": None, "perClass": {}}


def prelabel_reply():
    boxes = [(0, 0.45), (0, 0.38), (1, 0.65), (1, 0.55), (2, 0.35), (2, 0.25)]
    objects = [{"classIndex": c, "score": s, "box": {"x1": 10 * k, "y1": 0, "x2": 10 * k + 8, "y2": 8}} for k, (c, s) in enumerate(boxes)]
    return {"ready": True, "prediction": {"objects": objects}, "suggestedMinScore": 0.3,
            "suggestedClassMinScores": {"trees": 0.42, "dead": 0.61}}


def shown_after(page, override):
    return page(
        "const [reply, classes, override] = args;"
        "const f = t.thresholdFor(t.readCalibration(reply, classes), override, 0.5);"
        "const doc = a.AnnotationDoc.fromOpen('detection', {width: 100, height: 100}, reply, f);"
        "const shown = doc.objects.filter((o) => o.prelabel).map((o) => [o.classIndex, o.score]);"
        "doc.acceptAll();"
        "return {shown, hidden: doc.hiddenPrelabels.length, accepted: doc.submission().objects.map((o) => o.classIndex)};",
        prelabel_reply(), CLASSES, override)


def test_each_class_shows_its_pre_labels_from_its_own_min_score_and_accept_all_takes_those(page):
    out = shown_after(page, None)
    # trees from 0.42, dead from 0.61, shrub (not calibrated on its own) from the global 0.30.
    assert out["shown"] == [[1, 0.65], [0, 0.45], [2, 0.35]]
    assert out["accepted"] == [1, 0, 2] and out["hidden"] == 0, "Accept all keeps the shown ones and drops the rest"


def test_the_slider_sets_one_min_score_for_every_class(page):
    out = shown_after(page, 0.5)
    assert out["shown"] == [[1, 0.65], [1, 0.55]]
    assert out["accepted"] == [1, 1]


def test_the_panel_names_each_calibrated_class(page):
    def text(reply, classes):
        return page("return t.describeCalibration(t.readCalibration(args[0], args[1]), args[1]);", reply, classes)

    both = {"suggestedMinScore": 0.3, "suggestedClassMinScores": {"trees": 0.42, "dead": 0.61}}
    assert text(both, CLASSES[:2]) == "calibrated: trees 0.42, dead 0.61"
    assert text(both, CLASSES) == "calibrated: trees 0.42, dead 0.61, others 0.30"
    assert text({"suggestedMinScore": 0.3, "suggestedClassMinScores": {}}, CLASSES) == "calibrated: 0.30"
    assert text({}, CLASSES) == ""
