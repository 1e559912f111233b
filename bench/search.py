#!/usr/bin/env python3
"""Search benchmark: our index (built by `helpcenter build`) beside Pagefind 1.5 indexing the same site.

For each corpus (the sample Content/ and a synthetic tree from ../shared/bench/gen_corpus.py) it measures:
- build: wall seconds of `helpcenter build` (pages and index) and of Pagefind indexing the built pages,
  median of --runs runs, alternating ours and theirs;
- index bytes: every file under Site/search/ (ours) and Site/_pagefind/ (Pagefind);
- first-query bytes: what a fresh headless Chromium downloads to answer one query and show ten results
  (engine script, wasm, index files, result data), summed from the Resource Timing API;
- query latency p50/p99 over 1,000 queries made of title words: in process (the Swift library,
  bench/SearchBenchmark), over HTTP (`GET /api/search?q=…` of `helpcenter serve`), and in the browser
  with a warm cache for both engines (--browser-queries, 0 to leave the browser out).

Prints a table and appends it to bench/RESULTS.md. Needs: a release build of helpcenter and
search-benchmark, python3 with selenium and pagefind, chromium and chromium-driver.

    python3 bench/search.py --articles 10000 --runs 3
    python3 bench/search.py --quick      # 1,000 articles, 2 runs, 50 browser queries
"""
import argparse
import http.client
import http.server
import json
import os
import re
import shutil
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse

import common
from common import folder_bytes, make_queries, percentile


class Server:
    """A threaded static file server on a free loopback port."""

    def __init__(self, directory):
        handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=directory, **k)
        handler.log_message = lambda *a: None
        http.server.SimpleHTTPRequestHandler.log_message = lambda *a: None
        self.httpd = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


OURS_JS = """
const queries = arguments[0];
const done = arguments[arguments.length - 1];
(async () => {
  const load = (p) => fetch('/search/' + p).then(r => p.endsWith('.gz') ? new Response(r.body.pipeThrough(new DecompressionStream('gzip'))).json() : r.json());
  await new Promise((resolve) => { const s = document.createElement('script'); s.src = '/assets/search-engine.js'; s.onload = resolve; document.head.appendChild(s); });
  const engine = HelpCenterSearch.createEngine(load);
  await engine.search(queries[0], { limit: 10 });
  const bytes = performance.getEntriesByType('resource').reduce((n, e) => n + e.encodedBodySize, 0);
  for (const q of queries) await engine.search(q, { limit: 10 });
  const times = [];
  for (const q of queries) { const t = performance.now(); await engine.search(q, { limit: 10 }); times.push(performance.now() - t); }
  done({ bytes, times });
})().catch((e) => done({ error: String(e) }));
"""

PAGEFIND_JS = """
const queries = arguments[0];
const done = arguments[arguments.length - 1];
(async () => {
  const pagefind = await import('/_pagefind/pagefind.js');
  await pagefind.init();
  const search = async (q) => { const r = await pagefind.search(q); await Promise.all(r.results.slice(0, 10).map((x) => x.data())); };
  await search(queries[0]);
  const bytes = performance.getEntriesByType('resource').reduce((n, e) => n + e.encodedBodySize, 0);
  for (const q of queries) await search(q);
  const times = [];
  for (const q of queries) { const t = performance.now(); await search(q); times.push(performance.now() - t); }
  done({ bytes, times });
})().catch((e) => done({ error: String(e) }));
"""


def browser_measure(site, script, queries):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    options.binary_location = shutil.which("chromium") or options.binary_location
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    server = Server(site)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    try:
        driver.command_executor.client_config.timeout = 3600
        driver.set_script_timeout(3600)
        driver.get("http://127.0.0.1:%d/robots.txt" % server.port)
        result = driver.execute_async_script(script, queries)
        if "error" in result:
            raise RuntimeError(result["error"])
        return result
    finally:
        driver.quit()
        server.close()


def http_latencies(content, site, queries, work, timeout, runs):
    """[(p50, p99)] per run of GET /api/search?q=… against `helpcenter serve`, one keep-alive connection,
    each query once to warm up and then timed `runs` times (milliseconds, client side: request sent to
    body read)."""
    port = common.free_port()
    command = common.serve_command(content, site, port, os.path.join(work, "search-serve.sqlite"))
    with common.Background(command, port, os.path.join(work, "search-serve.log"), timeout=timeout):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

        def get(query):
            connection.request("GET", "/api/search?q=" + urllib.parse.quote(query))
            response = connection.getresponse()
            body = response.read()
            if response.status != 200:
                raise RuntimeError("/api/search answered %d: %s" % (response.status, body[:200]))

        for q in queries:
            get(q)
        result = []
        for _ in range(runs):
            times = []
            for q in queries:
                start = time.perf_counter()
                get(q)
                times.append((time.perf_counter() - start) * 1000)
            result.append((percentile(times, 0.5), percentile(times, 0.99)))
        connection.close()
    return result


def bench(name, content, runs, build_runs, work, browser_queries, timeout):
    site = os.path.join(work, name + "-search-site")
    helpcenter = common.binary("helpcenter")
    ours, theirs, summary = [], [], {}
    # The site bench/build.py left for this corpus, with its build times, when there is one.
    size = name.split("-")[-1]
    earlier = common.site_from_build(work, int(size)) if size.isdigit() else None
    reused = earlier is not None
    if reused:
        site = earlier[0]
        ours += earlier[1]
        summary["text"] = "(%s articles in" % size

    def build():
        common.set_aside(site)
        m = common.timed([helpcenter, "build", "--content", content, "--output", site], timeout)
        if not m.ok:
            raise SystemExit("helpcenter build failed")
        summary["text"] = m.stdout
        ours.append(m.wall)

    def pagefind():
        if not os.path.exists(site):
            build()
        common.set_aside(os.path.join(site, "_pagefind"), trash=os.path.join(work, ".trash"))
        m = common.timed([sys.executable, "-m", "pagefind", "--site", site, "--output-subdir", "_pagefind",
                          "--root-selector", "article", "--silent"], timeout)
        theirs.append(m.wall if m.ok else None)

    if reused:
        common.alternate(build_runs, [("Pagefind", pagefind)])
    else:
        common.alternate(build_runs, [("ours", build), ("Pagefind", pagefind)])
        if len(ours) > build_runs:  # Pagefind went first and needed a site
            ours.pop(0)
    if not os.path.exists(os.path.join(site, "_pagefind")):
        pagefind()
        theirs.pop()
    articles = int(re.search(r"\((\d+) articles? in", summary["text"]).group(1))
    queries = make_queries(site)
    query_file = os.path.join(work, name + "-queries.txt")
    with open(query_file, "w", encoding="utf-8") as f:
        f.write("\n".join(queries))
    in_process = [json.loads(subprocess.check_output([common.binary("search-benchmark"), site, query_file], stderr=subprocess.DEVNULL))
                  for _ in range(runs)]
    http = http_latencies(content, site, queries, work, timeout, runs)
    row = {
        "corpus": name, "pages": articles, "build": ours, "pagefind": [t for t in theirs if t is not None],
        "index_bytes": folder_bytes(os.path.join(site, "search")) - os.path.getsize(os.path.join(site, "search/index.html")),
        "pagefind_bytes": folder_bytes(os.path.join(site, "_pagefind")),
        "in_process_p50": [r["p50_ms"] for r in in_process], "in_process_p99": [r["p99_ms"] for r in in_process],
        "http_p50": [p for p, _ in http], "http_p99": [p for _, p in http], "queries": len(queries),
    }
    if browser_queries:
        # Each in a fresh browser: the bytes of its first query, then warm timings.
        ours_result = browser_measure(site, OURS_JS, queries[:browser_queries])
        theirs_result = browser_measure(site, PAGEFIND_JS, queries[:browser_queries])
        row["first_bytes"], row["pagefind_first_bytes"] = ours_result["bytes"], theirs_result["bytes"]
        our_browser, their_browser = ours_result["times"], theirs_result["times"]
        row.update(browser_p50=percentile(our_browser, 0.5), browser_p99=percentile(our_browser, 0.99),
                   pagefind_p50=percentile(their_browser, 0.5), pagefind_p99=percentile(their_browser, 0.99))
    if not reused:
        common.set_aside(site)
    return row


def table(rows, browser):
    kb = common.fmt_bytes
    header = ["corpus", "articles", "build (ours, pages + index)", "Pagefind index (same site)", "index bytes (ours / Pagefind)",
              "in-process p50 / p99", "HTTP /api/search p50 / p99"]
    if browser:
        header += ["first query download (ours / Pagefind)", "browser warm p50 / p99 (ours)", "browser warm p50 / p99 (Pagefind)"]
    lines = []
    for r in rows:
        line = [r["corpus"], "{:,}".format(r["pages"]), common.fmt_spread(r["build"]), common.fmt_spread(r["pagefind"]),
                "%s / %s (%.2f×)" % (kb(r["index_bytes"]), kb(r["pagefind_bytes"]), r["index_bytes"] / r["pagefind_bytes"]),
                common.fmt_spread(r["in_process_p50"], unit="") + " / " + common.fmt_spread(r["in_process_p99"], unit="ms"),
                common.fmt_spread(r["http_p50"], unit="") + " / " + common.fmt_spread(r["http_p99"], unit="ms")]
        if browser:
            line += ["%s / %s (%.2f×)" % (kb(r["first_bytes"]), kb(r["pagefind_first_bytes"]), r["first_bytes"] / r["pagefind_first_bytes"]),
                     "%.2f / %.2f ms" % (r["browser_p50"], r["browser_p99"]), "%.2f / %.2f ms" % (r["pagefind_p50"], r["pagefind_p99"])]
        lines.append(line)
    return common.markdown_table(header, lines)


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    common.common_arguments(parser)
    parser.add_argument("--articles", type=int, default=10000, help="size of the synthetic corpus")
    parser.add_argument("--browser-queries", type=int, default=200,
                        help="queries timed in headless Chromium per engine (0: no browser figures); Pagefind takes minutes for 1,000 on 10k pages")
    parser.add_argument("--build-runs", type=int, default=0,
                        help="builds (ours and Pagefind's) per corpus (0: --runs); bench/build.py times builds on their own")
    parser.add_argument("--no-sample", action="store_true", help="leave out the sample Content/ folder")
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 2 runs, 50 browser queries")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.runs, args.browser_queries = 1000, min(args.runs, 2), min(args.browser_queries, 50)
    args.build_runs = args.build_runs or args.runs
    work = common.work_folder(args.work)
    corpus = common.corpus(work, args.articles)
    rows = [] if args.no_sample else [bench("sample", os.path.join(common.ROOT, "Content"), args.runs, args.build_runs, work, args.browser_queries, args.timeout)]
    rows.append(bench("synthetic-%d" % args.articles, corpus, args.runs, args.build_runs, work, args.browser_queries, args.timeout))
    notes = ("Medians of %d build run(s) (min–max), ours and Pagefind alternating (or, for a corpus bench/build.py built in "
             "the same work folder, its site and build times); Pagefind indexes our built pages (root selector "
             "`article`). Latencies over %d queries of title words: in process (the Swift library, bench/SearchBenchmark) and over "
             "HTTP from `helpcenter serve` (one keep-alive connection, warm), each query run once before timing; their p50 and p99 are "
             "medians (min–max) of %d timed passes%s.") % (
        args.build_runs, rows[0]["queries"], args.runs,
        "; browser latencies in headless Chromium with a warm cache over the first %d" % args.browser_queries if args.browser_queries else "")
    tools = ["helpcenter", "pagefind"] + (["chromium"] if args.browser_queries else [])
    common.empty_trash(work)
    common.append_results("Search", tools, notes, table(rows, args.browser_queries > 0), append=not args.no_append)


if __name__ == "__main__":
    main()
