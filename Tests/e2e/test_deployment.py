"""The walkthrough as deployed (issue 16): `helpcenter serve --config` with email over SMTP to a real
SMTP server (aiosmtpd, Tests/peers/smtp_server.py) and the accounts of the marketplace's own system
(the reference peer, Tests/peers/marketplace.py, reached over HTTP with signed requests). The account
reset here exists only in the marketplace: nothing is added with `helpcenter accounts`.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

import support
from conftest import REPO, free_port, wait_until_serving

ACCOUNT = {"id": "mk-2001", "email": "Trader@Marketplace.example", "phone": None, "name": "Trader",
           "questions": [], "answers": [], "password": "marketplace original 77"}
SECRET = "e2e-directory-secret-0123456789"


class Deployment:
    def __init__(self, base, received, marketplace, log):
        self.base, self.received, self.marketplace, self.log = base, received, marketplace, log

    def url(self, path="/"):
        return self.base + path

    def messages(self):
        """What the SMTP server received, oldest first (parsed with Python's email package by the peer)."""
        files = sorted(self.received.glob("*.json"), key=lambda p: int(p.stem))
        return [json.loads(p.read_text()) for p in files]

    def peer(self, path, body=None):
        request = urllib.request.Request(self.marketplace + path, data=json.dumps(body).encode() if body else None,
                                         method="POST" if body else "GET")
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())


def start_peer(arguments, log):
    """Starts a peer script with this Python; returns (process, port) once it prints 'ready PORT'."""
    process = subprocess.Popen([sys.executable, *arguments], stdout=subprocess.PIPE, stderr=log, text=True)
    line = process.stdout.readline()
    assert line.startswith("ready "), f"{arguments[0]} did not start: {line!r}"
    return process, int(line.split()[1])


@pytest.fixture(scope="module")
def deployment(output_dir):
    executable = os.environ.get("HELPCENTER", str(REPO / ".build" / "debug" / "helpcenter"))
    work = Path(tempfile.mkdtemp(prefix="helpcenter-deploy-"))
    log = open(output_dir / "deployment.log", "w")
    peers = []
    try:
        received = work / "received"
        smtp, smtp_port = start_peer([str(REPO / "Tests/peers/smtp_server.py"), "--mode", "plain", "--pki", str(work / "pki"),
                                      "--received", str(received)], log)
        peers.append(smtp)
        (work / "accounts.json").write_text(json.dumps([ACCOUNT]))
        market, market_port = start_peer([str(REPO / "Tests/peers/marketplace.py"), "--accounts", str(work / "accounts.json"),
                                          "--secret", SECRET, "--prefix", "/api"], log)
        peers.append(market)
        # The sample content, with base_url at this server, so that the link in the email can be followed.
        port = free_port()
        base = f"http://localhost:{port}"
        shutil.copytree(REPO / "Content", work / "Content")
        site_yml = work / "Content" / "site.yml"
        site_yml.write_text(re.sub(r"(?m)^base_url:.*$", f"base_url: {base}", site_yml.read_text()))
        (work / "server.yml").write_text(f"""
server:
  host: 127.0.0.1
  port: {port}
  content: {work / "Content"}
  output: {work / "Site"}
  database: {work / "helpcenter.sqlite"}
email:
  transport: smtp
  from: "TradeBridge Help <help@tradebridge.example>"
  smtp: {{ host: 127.0.0.1, port: {smtp_port}, security: plain }}
directory:
  backend: http
  url: http://127.0.0.1:{market_port}/api
""")
        server = subprocess.Popen([executable, "serve", "--config", str(work / "server.yml")], stdout=log, stderr=subprocess.STDOUT,
                                  env=dict(os.environ, HELPCENTER_DIRECTORY_SECRET=SECRET), cwd=work)
        peers.append(server)
        wait_until_serving(server, base, output_dir / "deployment.log")
        yield Deployment(base, received, f"http://127.0.0.1:{market_port}", output_dir / "deployment.log")
    finally:
        for process in reversed(peers):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


def test_a_marketplace_account_is_reset_with_a_code_that_arrives_by_smtp(deployment, browser):
    driver = browser
    support.request_reset(driver, deployment, "trader@marketplace.example")
    support.choose_method(driver, "email")
    deadline = time.monotonic() + 30
    while not deployment.messages():
        assert time.monotonic() < deadline, "no message reached the SMTP server within 30 s"
        time.sleep(0.25)
    message = deployment.messages()[-1]
    assert message["rcpt_tos"] == ["Trader@Marketplace.example"], "the code goes to the address on file in the marketplace"
    assert message["subject"] == "Your TradeBridge Help Center verification code"
    text, html = (part["text"] for part in message["parts"])
    code = re.search(r"\b(\d{6})\b", text).group(1)
    assert code in html and f'href="{deployment.base}/account/reset/code"' in html
    # The link in the email opens the code page of this flow (the browser that asked).
    link = re.search(r"(http://\S+/account/reset/code)", text).group(1)
    driver.get(link)
    support.wait_for_path(driver, "/account/reset/code", "the link in the email does not open the code step")
    support.enter_code(driver, code)
    support.expect_no_refusal(driver, "step 3 (code from SMTP)")
    password = "harbour signal copper meadow 9"
    support.choose_password(driver, password)
    state = deployment.peer("/_test/state")
    assert state["password_changes"] == {"mk-2001": 1}, f"the marketplace did not record one new password: {state}"
    assert state["sessions"] == {"mk-2001": 0}, f"the marketplace's sessions were not ended: {state}"
    assert state["refused"] == 0, "a request of the help center was refused by the marketplace (signature)"
    assert deployment.peer("/_test/check-password", {"id": "mk-2001", "password": password})["match"]
    assert not deployment.peer("/_test/check-password", {"id": "mk-2001", "password": ACCOUNT["password"]})["match"]
    # The "password changed" notice arrives too; nothing secret reached the server's log.
    deadline = time.monotonic() + 30
    while not any("password was changed" in m["subject"] for m in deployment.messages()):
        assert time.monotonic() < deadline, "no 'password changed' email within 30 s"
        time.sleep(0.25)
    log = deployment.log.read_text()
    assert code not in log and password not in log and SECRET not in log and "trader@marketplace.example" not in log.lower()
