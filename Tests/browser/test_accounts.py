"""Signing in by name and password in headless Chromium: the session cookie, labelling by cookie (with
the CSRF header on writes), signing out, a non-member who sees no trace of the project, an owner
who adds a member in the Project dialog, and an admin who creates and disables accounts in the
Accounts dialog.
"""

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from support.api import ApiError
from support.images import cells


def sign_in(ui, name, password):
    ui.wait(lambda: ui.visible("login"), 30, "the sign-in form")
    ui.driver.find_element(By.ID, "login-name").send_keys(name)
    ui.driver.find_element(By.ID, "login-password").send_keys(password)
    ui.driver.find_element(By.ID, "login-submit").click()
    ui.wait(lambda: not ui.visible("login"), 30, "the sign-in form to close")
    return loaded(ui)


def loaded(ui):
    """The app after signing in: an image open, or a message other than the sign-in prompt."""

    def ready():
        s = ui.state()
        if not s or s["busy"]:
            return False
        if s["image"] is not None:
            return s
        message = ui.text("#stage-message") if ui.visible("stage-message") else ""
        return s if message and not message.startswith("Sign in") else False

    return ui.wait(ready, 60, "the app to load after signing in")


def test_sign_in_label_by_cookie_sign_out_and_a_non_member_sees_nothing(ui, api, server):
    stamp = time.time_ns()
    project = api.create_project(f"team {stamp}", "detection", [{"name": "tree"}])
    for k in range(2):
        api.upload(project["id"], cells(160, 120, [(40 + 30 * k, 60)], 16), f"field-{k}.png")
    ana, nick, olga = f"ana {stamp}", f"nick {stamp}", f"olga {stamp}"
    for name in (ana, nick, olga):
        api.create_account(name, f"{name}'s password")
    api.add_member(project["id"], ana, "annotator")
    api.add_member(project["id"], olga, "owner")

    # No token in the address and no session: the page asks to sign in.
    ui.driver.get("about:blank")
    ui.driver.get(f"{server.url}/")
    ui.wait_ready()
    assert ui.visible("login")
    state = sign_in(ui, ana, f"{ana}'s password")
    cookie = ui.driver.get_cookie("livetrain_session")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["path"] == "/", cookie
    assert not ui.js("return document.cookie.includes('livetrain_session')"), "scripts cannot read the session"
    assert ui.js("return localStorage.getItem('livetrain.token')") is None, "no token was stored"
    # Ana sees her one project (not the demo, which she is not a member of) and labels by cookie.
    assert state["project"] == project["id"], state
    options = [o.text for o in ui.driver.find_elements(By.CSS_SELECTOR, "#project-select option")]
    assert len(options) == 1 and options[0].startswith(project["name"]), options
    assert ui.text("#who") == ana
    assert not ui.visible("btn-accounts"), "only admins manage accounts"
    image_id = state["image"]
    ui.draw_box((20, 30, 70, 90))
    ui.press("s")
    ui.wait_new_image(image_id)
    stored = api.annotation(project["id"], image_id)
    assert stored["updatedBy"] == ana and len(stored["objects"]) == 1
    ui.screenshot("accounts-01-labelled-by-cookie")
    # An annotator's Project dialog offers no owner's sections.
    ui.driver.find_element(By.ID, "btn-project").click()
    ui.wait(lambda: ui.js("return document.getElementById('project-dialog').open"), 5, "the dialog to open")
    assert not ui.visible("pd-members-section") and not ui.visible("pd-files") and not ui.visible("pd-delete")
    ui.js("document.getElementById('project-dialog').close()")

    # A reload keeps the session; signing out ends it.
    ui.discard_changes()
    ui.driver.refresh()
    assert loaded(ui)["project"] == project["id"] and not ui.visible("login")
    ui.driver.find_element(By.ID, "btn-signout").click()
    ui.wait(lambda: ui.visible("login"), 10, "the sign-in form after signing out")
    ui.reload()
    assert ui.visible("login"), "signed out on the server too"

    # Nick is no member: no project in the picker, and the project's address shows nothing of it.
    state = sign_in(ui, nick, f"{nick}'s password")
    assert state["project"] is None and state["image"] is None
    assert ui.driver.find_elements(By.CSS_SELECTOR, "#project-select option") == []
    ui.driver.get("about:blank")
    ui.driver.get(f"{server.url}/#p={project['id']}&i={image_id}")
    state = loaded(ui)
    assert state["project"] is None and state["image"] is None
    assert project["name"] not in ui.driver.page_source
    ui.screenshot("accounts-02-non-member")
    ui.driver.find_element(By.ID, "btn-signout").click()

    # Olga owns the project: the Project dialog lists its members and adds Nick as a reviewer.
    state = sign_in(ui, olga, f"{olga}'s password")
    assert state["project"] == project["id"]
    ui.driver.find_element(By.ID, "btn-project").click()
    ui.wait(lambda: ui.visible("pd-members-section") and ui.js("return document.getElementById('pd-members').dataset.count"),
            10, "the members list")
    ui.driver.find_element(By.ID, "pd-member-name").send_keys(nick)
    Select(ui.driver.find_element(By.ID, "pd-member-role")).select_by_value("reviewer")
    ui.driver.find_element(By.ID, "pd-member-add").click()
    ui.wait(lambda: ui.driver.find_elements(By.CSS_SELECTOR, f'#pd-members li[data-role="reviewer"]'), 10, "Nick in the list")
    members = {m["name"]: m["role"] for m in api.call("GET", f"/api/projects/{project['id']}/members")["members"]}
    assert members == {"admin": "owner", ana: "annotator", olga: "owner", nick: "reviewer"}, members
    ui.screenshot("accounts-03-members")
    ui.js("document.getElementById('project-dialog').close()")
    ui.driver.find_element(By.ID, "btn-signout").click()


def test_an_admin_creates_and_disables_an_account_in_the_accounts_dialog(ui, api, server):
    stamp = time.time_ns()
    ada, zoe = f"ada {stamp}", f"zoe {stamp}"
    api.create_account(ada, f"{ada}'s password", admin=True)
    ui.driver.get("about:blank")
    ui.driver.get(f"{server.url}/")
    ui.wait_ready()
    sign_in(ui, ada, f"{ada}'s password")
    assert ui.visible("btn-accounts")
    ui.driver.find_element(By.ID, "btn-accounts").click()
    ui.wait(lambda: ui.js("return document.getElementById('ad-list').dataset.count"), 10, "the account list")
    # Ada cannot disable herself: her own button is off.
    own = ui.driver.find_element(By.CSS_SELECTOR, f'#ad-list li[data-name="{ada}"] button')
    assert not own.is_enabled()

    ui.driver.find_element(By.ID, "ad-name").send_keys(zoe)
    ui.driver.find_element(By.ID, "ad-password").send_keys(f"{zoe}'s password")
    ui.driver.find_element(By.ID, "ad-create").click()
    ui.wait(lambda: ui.driver.find_elements(By.CSS_SELECTOR, f'#ad-list li[data-name="{zoe}"][data-disabled="false"]'),
            10, "Zoe in the list")
    assert api.call("POST", "/api/session", {"name": zoe, "password": f"{zoe}'s password"})["account"]["name"] == zoe
    ui.screenshot("accounts-04-admin-created")

    ui.driver.find_element(By.CSS_SELECTOR, f'#ad-list li[data-name="{zoe}"] button').click()
    ui.wait(lambda: ui.driver.find_elements(By.CSS_SELECTOR, f'#ad-list li[data-name="{zoe}"][data-disabled="true"]'),
            10, "Zoe disabled")
    stored = {a["name"]: a for a in api.call("GET", "/api/accounts")["accounts"]}
    assert stored[zoe]["disabled"] and not stored[ada]["disabled"]
    try:
        api.call("POST", "/api/session", {"name": zoe, "password": f"{zoe}'s password"})
        raise AssertionError("a disabled account signed in")
    except ApiError as e:
        assert e.status in (401, 403), e
    ui.js("document.getElementById('accounts-dialog').close()")
    ui.driver.find_element(By.ID, "btn-signout").click()
