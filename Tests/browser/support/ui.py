"""Drives the labelling UI like a person: pointer drags on the canvas in image coordinates, keys.

Positions are computed from the page's own view transform (window.livetrain.state().view), so a
drag lands on the image pixels the test means at any zoom.
"""

import time

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.wheel_input import ScrollOrigin
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys


class Ui:
    def __init__(self, driver, server, artifacts):
        self.driver, self.server, self.artifacts = driver, server, artifacts
        # The UI swaps an untouched image's pre-labels for a fresher model's a few seconds after it opens;
        # tests that read the pre-labels twice keep that off, the test of it turns it on.
        self.follow_model = False

    # ---- page -------------------------------------------------------------------------------

    def open(self, project=None, image=None, token=None):
        fragment = f"#token={token or self.server.token}"
        if project is not None:
            fragment += f"&p={project}" + (f"&i={image}" if image is not None else "")
        self.discard_changes()
        self.driver.get("about:blank")  # a fragment-only change would not reload the page
        self.driver.get(f"{self.server.url}/{fragment}")
        self.wait_ready()

    def reload(self):
        self.discard_changes()
        self.driver.refresh()
        self.wait_ready()

    def discard_changes(self):
        """Leaving a page with unsubmitted labels asks first (beforeunload); a test that leaves means it."""
        try:
            self.js("const d = window.livetrain && window.livetrain.editor.doc; if (d) d.dirty = false;")
        except Exception:  # noqa: BLE001 - no page yet
            pass

    def state(self):
        return self.driver.execute_script("return window.livetrain ? window.livetrain.state() : null")

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, predicate, timeout=30.0, message="condition", interval=0.1):
        deadline = time.time() + timeout
        last = None
        while time.time() < deadline:
            last = predicate()
            if last:
                return last
            time.sleep(interval)
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {message} (last: {last!r})")

    def wait_ready(self, timeout=120.0):
        """Until the app has finished opening (an image is shown, or a message says why not)."""

        def ready():
            s = self.state()
            if not s or s["busy"]:
                return False
            return s["image"] is not None or self.visible("stage-message") or self.visible("login")

        self.wait(ready, timeout, "the app to finish loading")
        self.set_follow_model(self.follow_model)
        return self.state()

    def set_follow_model(self, on):
        """The pre-label panel's "Fresher pre-labels while untouched" (read when the swap would happen)."""
        self.follow_model = on
        self.js("localStorage.setItem('livetrain.followModel', arguments[0]);"
                "const c = document.getElementById('follow-model'); if (c) c.checked = arguments[0] === 'on';",
                "on" if on else "off")

    def wait_new_image(self, previous, timeout=120.0):
        try:
            self.wait(lambda: (s := self.state()) and not s["busy"] and s["image"] != previous, timeout, f"an image other than {previous}")
        except AssertionError as e:
            # Say where the app stands (still busy? the same image? which message?), not just that it timed out.
            s = self.state() or {}
            where = {k: s.get(k) for k in ("image", "busy", "submitting", "dirty", "pending", "modelStep", "lease")}
            raise AssertionError(f"{e}; state {where}; toasts {self.toasts()}") from None
        return self.state()

    def visible(self, element_id):
        return self.driver.execute_script(
            "const e = document.getElementById(arguments[0]); return !!e && !e.hidden && e.getClientRects().length > 0", element_id)

    def text(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def metric(self, name):
        return self.text(f'[data-metric="{name}"]')

    def toasts(self, kind=None):
        sel = f".toast.{kind} .msg" if kind else ".toast .msg"
        return [e.text for e in self.driver.find_elements(By.CSS_SELECTOR, sel)]

    def clear_toasts(self):
        self.js("document.getElementById('toasts').replaceChildren()")

    def screenshot(self, name):
        path = self.artifacts / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def element_screenshot(self, css, name):
        path = self.artifacts / f"{name}.png"
        self.driver.find_element(By.CSS_SELECTOR, css).screenshot(str(path))
        return path

    # ---- canvas geometry ----------------------------------------------------------------------

    def canvas(self):
        return self.driver.find_element(By.ID, "canvas")

    def offset(self, x, y):
        """Offset from the canvas centre (what Selenium's element offsets use) of image point (x, y)."""
        view = self.state()["view"]
        w, h = self.js("const r = document.getElementById('canvas').getBoundingClientRect(); return [r.width, r.height]")
        sx = x * view["scale"] + view["ox"]
        sy = y * view["scale"] + view["oy"]
        return round(sx - w / 2), round(sy - h / 2)

    # ---- input --------------------------------------------------------------------------------

    def actions(self):
        return ActionChains(self.driver, duration=0)

    def drag(self, points, shift=False, steps=3):
        """Presses at points[0], moves through the rest (with `steps` moves per segment), releases."""
        canvas = self.canvas()
        offsets = [self.offset(x, y) for x, y in points]
        a = self.actions()
        if shift:
            a.key_down(Keys.SHIFT)
        a.move_to_element_with_offset(canvas, *offsets[0]).click_and_hold()
        for (x0, y0), (x1, y1) in zip(offsets, offsets[1:]):
            for k in range(1, steps + 1):
                t = k / steps
                a.move_to_element_with_offset(canvas, round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t))
        a.release()
        if shift:
            a.key_up(Keys.SHIFT)
        a.perform()

    def click(self, x, y):
        self.actions().move_to_element_with_offset(self.canvas(), *self.offset(x, y)).click().perform()

    def draw_box(self, box):
        x1, y1, x2, y2 = box
        self.drag([(x1, y1), (x2, y2)], shift=True)

    def press(self, *keys):
        a = self.actions()
        for k in keys:
            a.send_keys(k)
        a.perform()

    def chord(self, *modifiers_then_key):
        *mods, key = modifiers_then_key
        a = self.actions()
        for m in mods:
            a.key_down(m)
        a.send_keys(key)
        for m in reversed(mods):
            a.key_up(m)
        a.perform()

    def wheel(self, delta_y):
        self.actions().scroll_from_origin(ScrollOrigin.from_element(self.canvas()), 0, delta_y).perform()

    def space_drag(self, dx, dy):
        canvas = self.canvas()
        (a := self.actions()).key_down(Keys.SPACE).move_to_element_with_offset(canvas, 0, 0).click_and_hold()
        a.move_to_element_with_offset(canvas, dx // 2, dy // 2).move_to_element_with_offset(canvas, dx, dy).release().key_up(Keys.SPACE)
        a.perform()
