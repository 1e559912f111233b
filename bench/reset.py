#!/usr/bin/env python3
"""Reset-flow benchmark (issue 8, item 5): complete password-reset walkthroughs per second that
`helpcenter serve` sustains, and the Argon2id cost of one password hash.

Setup: a new database with --walkthroughs × --runs accounts (`helpcenter accounts import`), the server
without --demo (codes go to the mail-drop folder beside the database), the sample Content/ site.

Each run: every walkthrough gets its own loopback client address 127.0.R.N (the server limits reset
requests and human checks per client address: 10 and 60 an hour), fetches its human-check challenge from
/account/reset/challenge and solves it ahead, outside the timed window, with bench/pow_solve.c (one
process per core). Then, --concurrency at a time, each walkthrough does what a browser does:
GET /account/reset → POST address + solution → GET method page → POST method=email → GET code page →
read the code from the mail drop (the server's outbox writes it there) → POST code → GET new-password page
→ POST new password (Argon2id hash) → GET done page. Walkthroughs per second = completed walkthroughs ÷
the window from the first request to the last page; also each walkthrough's duration and the server's
CPU seconds per walkthrough (from /proc). Argon2id cost: libargon2's argon2id_hash_raw (ctypes) with the
parameters read from the PHC strings the server stored, --hashes times.

    python3 bench/reset.py --runs 3 --walkthroughs 12 --concurrency 6
"""
import argparse
import base64
import concurrent.futures
import ctypes
import ctypes.util
import http.client
import json
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import threading
import time
import urllib.parse

import common


class Client:
    """One browser: its own source address, its cookies, one connection per request."""

    def __init__(self, port, source):
        self.port, self.source, self.cookies = port, source, {}

    def request(self, method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.source, 0))
        headers = {"Sec-Fetch-Site": "same-origin"}
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % item for item in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, response.getheader("Location"), text

    def page(self, path):
        status, _, text = self.request("GET", path)
        if status != 200:
            raise RuntimeError("GET %s answered %d" % (path, status))
        match = re.search(r'name="csrf" value="([^"]+)"', text)
        return match.group(1) if match else None

    def post(self, path, form, expect):
        status, location, text = self.request("POST", path, form)
        if status not in (302, 303) or not location or not location.endswith(expect):
            reason = re.search(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', text, re.S)
            raise RuntimeError("POST %s answered %d %s (%s)" % (path, status, location, reason.group(1).strip() if reason else ""))
        return location


def solve(solver, challenge):
    """The `altcha` form value for a challenge (JSON text), solved by pow-solve; and the solve seconds."""
    parameters = json.loads(challenge)
    p = parameters["parameters"]
    start = time.perf_counter()
    out = subprocess.run([solver, p["nonce"], p["salt"], str(p["cost"]), p["keyPrefix"]], check=True, stdout=subprocess.PIPE,
                         text=True, timeout=600).stdout.split()
    seconds = time.perf_counter() - start
    payload = {"challenge": parameters, "solution": {"counter": int(out[0]), "derivedKey": out[1], "time": int(seconds * 1000)}}
    return base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode(), seconds


class MailDrop:
    """Finds the newest verification code sent to an address in the server's mail-drop folder."""

    def __init__(self, folder):
        self.folder, self.lock, self.seen = folder, threading.Lock(), {}

    def code(self, email, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for name in sorted(os.listdir(self.folder)) if os.path.isdir(self.folder) else []:
                    if name not in self.seen:
                        with open(os.path.join(self.folder, name), encoding="utf-8") as f:
                            text = f.read()
                        to = re.search(r"^To: (.*)$", text, re.M)
                        code = re.search(r"verification code is (\d{6})", text)
                        self.seen[name] = (to.group(1) if to else None, code.group(1) if code else None)
                found = [code for name, (to, code) in sorted(self.seen.items()) if to == email and code]
            if found:
                return found[-1]
            time.sleep(0.02)
        raise RuntimeError("no code for %s within %d s" % (email, timeout))


def walkthrough(port, source, email, altcha, mail):
    """One complete reset; returns its duration in seconds."""
    start = time.perf_counter()
    client = Client(port, source)
    csrf = client.page("/account/reset")
    client.post("/account/reset", {"csrf": csrf, "email": email, "altcha": altcha}, "/account/reset/method")
    csrf = client.page("/account/reset/method")
    client.post("/account/reset/method", {"csrf": csrf, "method": "email"}, "/account/reset/code")
    csrf = client.page("/account/reset/code")
    code = mail.code(email)
    client.post("/account/reset/code", {"csrf": csrf, "code": code}, "/account/reset/password")
    csrf = client.page("/account/reset/password")
    password = "bench " + secrets.token_urlsafe(18)
    client.post("/account/reset/password", {"csrf": csrf, "password": password, "confirmation": password}, "/account/reset/done")
    client.page("/account/reset/done")
    return time.perf_counter() - start


def argon2_cost(database, hashes):
    """Seconds per argon2id_hash_raw with the parameters of a stored hash: (list of seconds, "m=…,t=…,p=…")."""
    with sqlite3.connect(database) as db:
        stored = db.execute("SELECT password_hash FROM accounts LIMIT 1").fetchone()[0]
    parameters = re.match(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", stored)
    memory, iterations, parallelism = (int(x) for x in parameters.groups())
    library = ctypes.CDLL(ctypes.util.find_library("argon2") or "libargon2.so.1")
    out, salt, password = ctypes.create_string_buffer(32), os.urandom(16), b"correct horse battery staple"
    times = []
    for _ in range(hashes):
        start = time.perf_counter()
        status = library.argon2id_hash_raw(iterations, memory, parallelism, password, len(password), salt, len(salt), out, 32)
        times.append(time.perf_counter() - start)
        if status != 0:
            raise RuntimeError("argon2id_hash_raw failed: %d" % status)
    return times, "m=%d KiB, t=%d, p=%d" % (memory, iterations, parallelism)


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    common.common_arguments(parser)
    parser.add_argument("--walkthroughs", type=int, default=12, help="walkthroughs per run (each needs one solved challenge)")
    parser.add_argument("--concurrency", type=int, default=6, help="walkthroughs at a time")
    parser.add_argument("--hashes", type=int, default=10, help="Argon2id hashes timed")
    parser.add_argument("--quick", action="store_true", help="2 runs of 4 walkthroughs")
    args = parser.parse_args()
    if args.quick:
        args.runs, args.walkthroughs, args.concurrency = min(args.runs, 2), min(args.walkthroughs, 4), min(args.concurrency, 4)
    if args.walkthroughs > 250 or args.runs > 250:
        raise SystemExit("at most 250 walkthroughs per run and 250 runs (one loopback address each)")
    work = common.work_folder(args.work)
    helpcenter = common.binary("helpcenter")
    solver = common.compile_c("pow_solve.c", os.path.join(work, "pow-solve"), ["libcrypto"])
    folder = os.path.join(work, "reset")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    database = os.path.join(folder, "reset.sqlite")
    emails = ["bench-%d-%d@example.com" % (r, i) for r in range(args.runs) for i in range(args.walkthroughs)]
    with open(os.path.join(folder, "accounts.csv"), "w", encoding="utf-8") as f:
        f.write("email,name,password\n" + "".join("%s,Bench User,%s\n" % (e, "initial " + secrets.token_urlsafe(18)) for e in emails))
    common.log("importing %d accounts" % len(emails))
    subprocess.run([helpcenter, "accounts", "import", "--database", database, os.path.join(folder, "accounts.csv")], check=True,
                   stdout=subprocess.DEVNULL)
    site = os.path.join(folder, "Site")
    subprocess.run([helpcenter, "build", "--content", os.path.join(common.ROOT, "Content"), "--output", site], check=True, stdout=subprocess.DEVNULL)

    port = common.free_port()
    mail = MailDrop(database + ".maildrop")
    rates, durations, cpu_per, solve_times, failures = [], [], [], [], []
    with common.Background(common.serve_command(os.path.join(common.ROOT, "Content"), site, port, database), port,
                           os.path.join(folder, "serve.log"), timeout=args.timeout) as server:
        for run in range(args.runs):
            sources = ["127.0.%d.%d" % (run + 1, i + 2) for i in range(args.walkthroughs)]
            challenges = []
            for source in sources:
                status, _, text = Client(port, source).request("GET", "/account/reset/challenge")
                if status != 200:
                    raise SystemExit("challenge refused (%d): %s" % (status, text))
                challenges.append(text)
            common.log("run %d/%d: solving %d challenges ahead" % (run + 1, args.runs, len(challenges)))
            with concurrent.futures.ThreadPoolExecutor(os.cpu_count()) as pool:
                solved = list(pool.map(lambda c: solve(solver, c), challenges))
            solve_times += [s for _, s in solved]
            common.log("run %d/%d: %d walkthroughs, %d at a time" % (run + 1, args.runs, args.walkthroughs, args.concurrency))
            cpu_before, start = common.process_cpu_seconds(server.pid), time.perf_counter()
            with concurrent.futures.ThreadPoolExecutor(args.concurrency) as pool:
                futures = [pool.submit(walkthrough, port, source, emails[run * args.walkthroughs + i], solved[i][0], mail)
                           for i, source in enumerate(sources)]
                done = []
                for future in futures:
                    try:
                        done.append(future.result(timeout=args.timeout))
                    except Exception as error:  # a failed walkthrough is counted, not fatal
                        failures.append(str(error))
                        common.log("walkthrough failed: %s" % error)
            window = time.perf_counter() - start
            cpu = common.process_cpu_seconds(server.pid) - cpu_before
            if done:
                rates.append(len(done) / window)
                cpu_per.append(cpu / len(done))
                durations += done
    hash_times, parameters = argon2_cost(database, args.hashes)
    rows = [
        ["complete walkthroughs per second (%d at a time)" % args.concurrency, common.fmt_spread(rates, unit="/s")],
        ["one walkthrough, start to done page (all runs)", common.fmt_spread(durations)],
        ["server CPU per walkthrough", common.fmt_spread(cpu_per, unit="ms", digits=1, scale=1000)],
        ["CPU-bound ceiling: cores ÷ server CPU per walkthrough (derived)",
         "%.1f /s" % (os.cpu_count() / common.spread(cpu_per)[0]) if cpu_per else "—"],
        ["failed walkthroughs", "%d of %d" % (len(failures), args.runs * args.walkthroughs)],
        ["Argon2id hash (%s), libargon2, one thread" % parameters, common.fmt_spread(hash_times, unit="ms", digits=1, scale=1000)],
        ["human check solved ahead by the load script (C, one core)", common.fmt_spread(solve_times)],
    ]
    notes = ("Medians of %d runs of %d walkthroughs (min–max), email-code path, each from its own loopback address; the proof of work is "
             "solved before the timed window; client, server and mail drop share the machine. Argon2id: %d hashes.%s") % (
        args.runs, args.walkthroughs, args.hashes, (" Failures: " + "; ".join(sorted(set(failures))[:3])) if failures else "")
    common.append_results("Password reset", ["helpcenter", "libargon2"], notes, common.markdown_table(["figure", "value"], rows),
                          append=not args.no_append)


if __name__ == "__main__":
    main()
