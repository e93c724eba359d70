"""Fixtures for the browser tests: a real livetrain server, its API, and headless Chromium.

The server is `livetrain demo` on a fresh data folder and a free loopback port; the login link it prints
gives the admin token. LIVETRAIN_URL + LIVETRAIN_TOKEN point the tests at a running server instead.
Screenshots and logs go to artifacts/browser/ (ARTIFACTS overrides).
"""

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

from support.api import Api
from support.ui import Ui

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("ARTIFACTS", ROOT / "artifacts" / "browser"))
# The login link: `http://127.0.0.1:PORT/#token=...` (or `/?token=...`).
LINK = re.compile(r"(http://127\.0\.0\.1:(\d+))/[?#]token=([A-Za-z0-9_]+)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A livetrain server: its base URL, admin token and (when started here) process and log."""

    def __init__(self, url, token, process=None, log=None, data=None):
        self.url, self.token, self.process, self.log, self.data = url, token, process, log, data

    def log_tail(self, n=40):
        if not self.log or not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def server(artifacts):
    if os.environ.get("LIVETRAIN_URL"):
        yield Server(os.environ["LIVETRAIN_URL"].rstrip("/"), os.environ["LIVETRAIN_TOKEN"])
        return
    binary = Path(os.environ.get("LIVETRAIN_BIN", ROOT / ".build" / "debug" / "livetrain"))
    if not binary.exists():
        pytest.exit(f"{binary} not found: build it first (swift build --product livetrain)", returncode=2)
    data = Path(tempfile.mkdtemp(prefix="livetrain-browser-"))
    port = free_port()
    log = artifacts / "server.log"
    args = [str(binary), "demo", "--data", str(data), "--port", str(port)]
    args += shlex.split(os.environ.get("LIVETRAIN_DEMO_ARGS", ""))
    with open(log, "w") as out:
        process = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(None, None, process, log, data)
    deadline = time.time() + float(os.environ.get("LIVETRAIN_START_TIMEOUT", "300"))
    while time.time() < deadline:
        match = LINK.search(log.read_text(errors="replace"))
        if match:
            server.url, server.token = match.group(1), match.group(3)
            break
        if process.poll() is not None:
            pytest.exit(f"livetrain demo exited with {process.returncode}:\n{server.log_tail()}", returncode=2)
        time.sleep(0.2)
    else:
        process.kill()
        pytest.exit(f"no login link from livetrain demo within the start timeout:\n{server.log_tail()}", returncode=2)
    yield server
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if not os.environ.get("KEEP_DATA"):
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(scope="session")
def api(server):
    return Api(server.url, server.token)


def make_driver():
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000",
                "--force-device-scale-factor=1", "--disable-extensions", "--no-first-run", "--lang=en-US"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", shutil.which("chromedriver") or "/usr/bin/chromedriver"))
    return webdriver.Chrome(service=service, options=options)


@pytest.fixture(scope="module")
def driver(artifacts, request):
    d = make_driver()
    d.set_script_timeout(60)
    yield d
    name = request.module.__name__.split(".")[-1]
    try:
        logs = d.get_log("browser")
        (artifacts / f"{name}.console.log").write_text("\n".join(f"{e['level']} {e['message']}" for e in logs))
    except Exception:  # noqa: BLE001 - a log we cannot read must not hide the test result
        pass
    d.quit()


@pytest.fixture(scope="module")
def ui(driver, server, artifacts):
    return Ui(driver, server, artifacts)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failing test leaves a screenshot named after it."""
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed and "ui" in item.funcargs:
        try:
            item.funcargs["ui"].screenshot(f"FAILED-{item.name}")
        except Exception:  # noqa: BLE001
            pass
