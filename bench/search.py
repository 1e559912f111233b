#!/usr/bin/env python3
"""Search benchmark: our index (built by `helpcenter build`) beside Pagefind 1.5 indexing the same site.

For each corpus (the sample Content/ and a synthetic tree from ../shared/bench/gen_corpus.py) it measures:
- build: wall seconds of `helpcenter build` (pages and index) and of Pagefind indexing the built pages,
  median of --runs runs, alternating ours and theirs;
- index bytes: every file under Site/search/ (ours) and Site/_pagefind/ (Pagefind);
- first-query bytes: what a fresh headless Chromium downloads to answer one query and show ten results
  (engine script, wasm, index files, result data), summed from the Resource Timing API;
- query latency p50/p99: in process (the Swift library, bench/SearchBenchmark) and in the browser with
  a warm cache for both engines, over 1,000 queries made of title words.

Prints a table and appends it to bench/RESULTS.md. Needs: a release build of helpcenter and
search-benchmark, python3 with selenium and pagefind, chromium and chromium-driver.

    python3 bench/search.py --articles 10000 --runs 3
"""
import argparse
import datetime
import http.server
import json
import os
import platform
import random
import re
import shutil
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HELPCENTER = os.path.join(ROOT, ".build/release/helpcenter")
SEARCH_BENCHMARK = os.path.join(ROOT, ".build/release/search-benchmark")
GENERATOR = os.path.join(ROOT, "../shared/bench/gen_corpus.py")


def run(command):
    """Runs `command`; returns its wall time in seconds and its standard output."""
    start = time.perf_counter()
    result = subprocess.run(command, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return time.perf_counter() - start, result.stdout


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def make_queries(site, count=1000, seed=7):
    """Queries of one to three words taken from article titles (deterministic)."""
    titles = []
    for directory, _, files in os.walk(site):
        if "index.html" in files and directory != site:
            with open(os.path.join(directory, "index.html"), encoding="utf-8") as f:
                match = re.search(r"<h1>(.*?)</h1>", f.read())
            if match:
                titles.append(re.sub(r"&[a-z#0-9]+;", " ", match.group(1)))
    titles.sort()
    rng = random.Random(seed)
    queries = []
    while len(queries) < count:
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]+", rng.choice(titles)) if len(w) > 3]
        if words:
            start = rng.randrange(len(words))
            queries.append(" ".join(words[start:start + rng.randint(1, 3)]).lower())
    return queries


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
const [queries, firstOnly] = [arguments[0], arguments[1]];
const done = arguments[arguments.length - 1];
(async () => {
  const load = (p) => fetch('/search/' + p).then(r => p.endsWith('.gz') ? new Response(r.body.pipeThrough(new DecompressionStream('gzip'))).json() : r.json());
  await new Promise((resolve) => { const s = document.createElement('script'); s.src = '/assets/search-engine.js'; s.onload = resolve; document.head.appendChild(s); });
  const engine = HelpCenterSearch.createEngine(load);
  await engine.search(queries[0], { limit: 10 });
  const bytes = performance.getEntriesByType('resource').reduce((n, e) => n + e.encodedBodySize, 0);
  if (firstOnly) return done({ bytes });
  for (const q of queries) await engine.search(q, { limit: 10 });
  const times = [];
  for (const q of queries) { const t = performance.now(); await engine.search(q, { limit: 10 }); times.push(performance.now() - t); }
  done({ bytes, times });
})().catch((e) => done({ error: String(e) }));
"""

PAGEFIND_JS = """
const [queries, firstOnly] = [arguments[0], arguments[1]];
const done = arguments[arguments.length - 1];
(async () => {
  const pagefind = await import('/_pagefind/pagefind.js');
  await pagefind.init();
  const search = async (q) => { const r = await pagefind.search(q); await Promise.all(r.results.slice(0, 10).map((x) => x.data())); };
  await search(queries[0]);
  const bytes = performance.getEntriesByType('resource').reduce((n, e) => n + e.encodedBodySize, 0);
  if (firstOnly) return done({ bytes });
  for (const q of queries) await search(q);
  const times = [];
  for (const q of queries) { const t = performance.now(); await search(q); times.push(performance.now() - t); }
  done({ bytes, times });
})().catch((e) => done({ error: String(e) }));
"""


def browser_measure(site, script, queries, first_only):
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
        result = driver.execute_async_script(script, queries, first_only)
        if "error" in result:
            raise RuntimeError(result["error"])
        return result
    finally:
        driver.quit()
        server.close()


# Browser latencies are measured over the first 200 queries (Pagefind takes minutes for 1,000 on 10k pages).
BROWSER_QUERIES = 200


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(len(values) * p + 0.4999)) - 1))]


def bench(name, content, runs, work):
    site = os.path.join(work, name + "-site")
    ours, theirs = [], []
    for _ in range(runs):
        shutil.rmtree(site, ignore_errors=True)
        seconds, summary = run([HELPCENTER, "build", "--content", content, "--output", site])
        ours.append(seconds)
        shutil.rmtree(os.path.join(site, "_pagefind"), ignore_errors=True)
        theirs.append(run([sys.executable, "-m", "pagefind", "--site", site, "--output-subdir", "_pagefind",
                           "--root-selector", "article", "--silent"])[0])
    articles = int(re.search(r"\((\d+) articles? in", summary).group(1))
    queries = make_queries(site)
    query_file = os.path.join(work, name + "-queries.txt")
    with open(query_file, "w", encoding="utf-8") as f:
        f.write("\n".join(queries))
    in_process = json.loads(subprocess.check_output([SEARCH_BENCHMARK, site, query_file]))
    our_first = browser_measure(site, OURS_JS, queries[:1], True)["bytes"]
    their_first = browser_measure(site, PAGEFIND_JS, queries[:1], True)["bytes"]
    our_browser = browser_measure(site, OURS_JS, queries[:BROWSER_QUERIES], False)["times"]
    their_browser = browser_measure(site, PAGEFIND_JS, queries[:BROWSER_QUERIES], False)["times"]
    index_bytes = folder_bytes(os.path.join(site, "search")) - os.path.getsize(os.path.join(site, "search/index.html"))
    return {
        "corpus": name, "pages": articles,
        "build_s": statistics.median(ours), "build_minmax": (min(ours), max(ours)),
        "pagefind_s": statistics.median(theirs), "pagefind_minmax": (min(theirs), max(theirs)),
        "index_bytes": index_bytes, "pagefind_bytes": folder_bytes(os.path.join(site, "_pagefind")),
        "first_bytes": our_first, "pagefind_first_bytes": their_first,
        "in_process_p50": in_process["p50_ms"], "in_process_p99": in_process["p99_ms"],
        "browser_p50": percentile(our_browser, 0.5), "browser_p99": percentile(our_browser, 0.99),
        "pagefind_p50": percentile(their_browser, 0.5), "pagefind_p99": percentile(their_browser, 0.99),
        "queries": len(queries),
    }


def table(rows, runs):
    kb = lambda n: "%.1f KB" % (n / 1024) if n < 10 * 1024 * 1024 else "%.1f MB" % (n / 1048576)
    lines = [
        "| corpus | articles | build (ours, pages + index) | Pagefind index | index bytes (ours / Pagefind) | first query download (ours / Pagefind) | in-process p50 / p99 | browser warm p50 / p99 (ours) | browser warm p50 / p99 (Pagefind) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append("| %s | %d | %.2f s (%.2f–%.2f) | %.2f s (%.2f–%.2f) | %s / %s (%.2f×) | %s / %s (%.2f×) | %.2f / %.2f ms | %.2f / %.2f ms | %.2f / %.2f ms |" % (
            r["corpus"], r["pages"], r["build_s"], *r["build_minmax"], r["pagefind_s"], *r["pagefind_minmax"],
            kb(r["index_bytes"]), kb(r["pagefind_bytes"]), r["index_bytes"] / r["pagefind_bytes"],
            kb(r["first_bytes"]), kb(r["pagefind_first_bytes"]), r["first_bytes"] / r["pagefind_first_bytes"],
            r["in_process_p50"], r["in_process_p99"], r["browser_p50"], r["browser_p99"], r["pagefind_p50"], r["pagefind_p99"]))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10000, help="size of the synthetic corpus")
    parser.add_argument("--runs", type=int, default=3, help="build runs per engine (median, min, max)")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="search-bench-")
    corpus = os.path.join(work, "corpus-%d" % args.articles)
    subprocess.run([sys.executable, GENERATOR, "--seed", "1", "--articles", str(args.articles), "--out", corpus],
                   check=True, stdout=subprocess.DEVNULL)
    rows = [bench("sample", os.path.join(ROOT, "Content"), args.runs, work),
            bench("synthetic-%d" % args.articles, corpus, args.runs, work)]
    pagefind_version = subprocess.check_output([sys.executable, "-m", "pagefind", "--version"], text=True).strip()
    header = "## Search, %s\n\nMachine: %s, %d cores; %s; helpcenter at %s. Medians of %d build runs (min–max); in-process latencies over %d queries, browser latencies over the first %d.\n" % (
        datetime.date.today().isoformat(), platform.platform(), os.cpu_count(), pagefind_version,
        subprocess.check_output(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], text=True).strip(), args.runs, rows[0]["queries"],
        BROWSER_QUERIES)
    report = header + "\n" + table(rows, args.runs) + "\n"
    print(report)
    with open(os.path.join(ROOT, "bench/RESULTS.md"), "a", encoding="utf-8") as f:
        f.write("\n" + report)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
