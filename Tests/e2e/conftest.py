"""Fixtures of the browser end-to-end suite: one real `helpcenter serve --demo` per test session on a
free loopback port with a temporary database and site folder, and headless Chromium drivers.

Environment: HELPCENTER (the executable, default .build/debug/helpcenter), CHROMIUM and CHROMEDRIVER
(default /usr/bin/chromium and /usr/bin/chromedriver), E2E_OUTPUT (default test-output/ at the
repository root: screenshots, the pages checked, the server's log).
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

REPO = Path(__file__).resolve().parents[2]
OUTPUT = Path(os.environ.get("E2E_OUTPUT", REPO / "test-output"))


class Server:
    """A running `helpcenter serve --demo`."""

    def __init__(self, base, site, database, executable, log):
        self.base, self.site, self.database, self.executable, self.log = base, site, database, executable, log

    def url(self, path="/"):
        return self.base + path

    def get(self, path):
        """(status, body) of a GET without a browser."""
        try:
            with urllib.request.urlopen(self.url(path), timeout=30) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace")

    def report(self):
        """`helpcenter report` over the server's database: what the feedback API stored."""
        result = subprocess.run([self.executable, "report", "--database", str(self.database)],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, f"helpcenter report failed: {result.stderr}"
        return result.stdout


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(process, base, log):
    """Waits until `helpcenter serve` (`process`) answers 200 on `base`/ (the first build may take a while)."""
    deadline = time.monotonic() + 180
    while True:
        if process.poll() is not None:
            pytest.fail(f"helpcenter serve exited with status {process.returncode}; see {log}")
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"helpcenter serve did not answer on {base} within 180 s; see {log}")
        time.sleep(0.25)


@pytest.fixture(scope="session")
def output_dir():
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for sub in ("screenshots", "pages"):
        shutil.rmtree(OUTPUT / sub, ignore_errors=True)
        (OUTPUT / sub).mkdir()
    return OUTPUT


@pytest.fixture(scope="session")
def server(output_dir):
    executable = os.environ.get("HELPCENTER", str(REPO / ".build" / "debug" / "helpcenter"))
    assert Path(executable).exists(), f"{executable} is missing: run `swift build` first (make e2e does)"
    work = Path(tempfile.mkdtemp(prefix="helpcenter-e2e-"))
    site, database = work / "Site", work / "helpcenter.sqlite"
    port = free_port()
    log = open(output_dir / "server.log", "w")
    process = subprocess.Popen([executable, "serve", "--content", str(REPO / "Content"), "--output", str(site),
                                "--host", "127.0.0.1", "--port", str(port), "--database", str(database), "--demo"],
                               stdout=log, stderr=subprocess.STDOUT, cwd=work)
    base = f"http://127.0.0.1:{port}"
    wait_until_serving(process, base, output_dir / "server.log")
    yield Server(base, site, database, executable, output_dir / "server.log")
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()
    shutil.rmtree(work, ignore_errors=True)


def make_driver(javascript=True):
    options = Options()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800",
                     "--disable-gpu", "--no-first-run", "--disable-extensions", "--lang=en-US"):
        options.add_argument(argument)
    if not javascript:
        options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


@pytest.fixture
def browser():
    """A fresh headless Chromium (its own cookies, so its own reset flow)."""
    driver = make_driver()
    yield driver
    driver.quit()


@pytest.fixture
def browser_without_javascript():
    driver = make_driver(javascript=False)
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def tour(server, output_dir):
    """Every page kind visited once (see tour.py): axe results, layouts, screenshots, served HTML."""
    import tour as page_tour
    return page_tour.take(server, output_dir)
