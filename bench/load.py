#!/usr/bin/env python3
"""Search under load and a soak (issue 23, items 6 and 7): /api/search against a static page of the same
server, and against the search engine alone, then mixed traffic for a minute.

Search: for the sample content and the --articles corpus, `helpcenter serve` answers wrk (--connections 64)
for a static article page, then for /api/search rotating through 1,000 queries made like readers' (whole
titles, word pairs, type-ahead prefixes, typos; common.make_queries). The engine alone is
bench/SearchBenchmark run on the same queries with as many threads as cores, building the same JSON.
Targets: search at least a third of the static page's requests/s with p99 under 50 ms on the sample, and at
least 80 % of the engine alone at 10,000 articles; no errors.

Soak: on the sample, 64 connections for --soak seconds of mixed traffic (page views, searches, the reset
start page, feedback votes), after --warmup seconds of the same; 5xx responses and socket errors are
counted (429s from the per-client limits are expected and not errors) and the server's resident memory is
read after the warm-up and at the end (target: at most 10 % more).

    python3 bench/load.py --articles 10000 --runs 3
"""
import argparse
import json
import os
import re
import subprocess
import tempfile
import threading
import time
import urllib.parse

import common

# Mixed traffic: each request picks by its number; 5xx responses are counted per thread and summed in done().
MIXED_LUA = """local pages = {%s}
local queries = {%s}
local i = 0
local threads = {}
bad = 0
setup = function(thread) table.insert(threads, thread) end
init = function(args) bad = 0 end
request = function()
  i = i + 1
  local kind = i %% 20
  if kind < 12 then return wrk.format("GET", pages[i %% #pages + 1])
  elseif kind < 17 then return wrk.format("GET", "/api/search?q=" .. queries[i %% #queries + 1])
  elseif kind < 19 then return wrk.format("GET", "/account/reset")
  else
    return wrk.format("POST", "/api/feedback", {["Content-Type"] = "application/json", ["Sec-Fetch-Site"] = "same-origin"},
                      '{"article":"' .. pages[i %% #pages + 1] .. '","helpful":true}')
  end
end
response = function(status, headers, body) if status >= 500 then bad = bad + 1 end end
done = function(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("bad") end
  io.write(string.format("5xx responses: %%d\\n", total))
end
"""


def wrk(url, connections, seconds, script=None):
    """common.wrk with as many threads as cores."""
    return common.wrk(url, os.cpu_count(), connections, seconds, script)


def resident_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        return int(re.search(r"VmRSS:\s*(\d+) kB", f.read()).group(1)) / 1024


def lua_list(items):
    return ", ".join('"%s"' % item for item in items)


def site_pages(site):
    """Paths of the article pages of a built site."""
    pages = []
    for folder, _, files in os.walk(site):
        relative = os.path.relpath(folder, site)
        if "index.html" in files and relative.count(os.sep) >= 1 and not relative.startswith(("a" + os.sep, "search", "assets")):
            pages.append("/" + urllib.parse.quote(relative.replace(os.sep, "/")) + "/")
    return sorted(pages)


def search_load(work, name, content, args, rows):
    slug = name.split()[0]
    site = os.path.join(work, "load-site-" + slug)
    common.set_aside(site)
    if not common.timed([common.binary("helpcenter"), "build", "--content", content, "--output", site], args.timeout).ok:
        raise SystemExit("helpcenter build failed for " + name)
    queries = common.make_queries(site)
    script = os.path.join(work, "load-queries-%s.lua" % slug)
    with open(script, "w", encoding="utf-8") as f:
        f.write(common.SEARCH_LUA % lua_list(urllib.parse.quote(q) for q in queries))
    query_file = os.path.join(work, "load-queries-%s.txt" % slug)
    with open(query_file, "w", encoding="utf-8") as f:
        f.write("\n".join(queries) + "\n")
    page = site_pages(site)[0]
    port = common.free_port()
    results = {"page": [], "search": [], "engine": []}
    with common.Background(common.serve_command(content, site, port, os.path.join(work, "load-%s.sqlite" % slug)), port,
                           os.path.join(work, "load-%s.log" % slug), timeout=args.timeout):
        for _ in range(args.runs):
            results["page"].append(wrk("http://127.0.0.1:%d%s" % (port, page), args.connections, args.duration))
            results["search"].append(wrk("http://127.0.0.1:%d/api/search?q=x" % port, args.connections, args.duration, script))
    for _ in range(args.runs):
        out = subprocess.run([common.binary("search-benchmark"), site, query_file, str(os.cpu_count()), str(args.duration)],
                             stdout=subprocess.PIPE, text=True, timeout=args.duration + 120).stdout
        results["engine"].append(json.loads(out)["queries_per_second"])
    page_rates = [r[0] for r in results["page"]]
    search_rates = [r[0] for r in results["search"]]
    rows.append([name, common.fmt_spread(page_rates, unit="", digits=0), common.fmt_spread(search_rates, unit="", digits=0),
                 common.fmt_spread([r[1] for r in results["search"]], unit=" ms", digits=1),
                 sum(r[2] for r in results["search"] + results["page"]),
                 common.ratio(search_rates, page_rates), common.fmt_spread(results["engine"], unit="", digits=0),
                 common.ratio(search_rates, results["engine"])])


def soak(work, content, args):
    site = os.path.join(work, "load-site-sample")
    queries = common.make_queries(site)
    pages = site_pages(site)
    script = os.path.join(work, "load-mixed.lua")
    with open(script, "w", encoding="utf-8") as f:
        f.write(MIXED_LUA % (lua_list(pages), lua_list(urllib.parse.quote(q) for q in queries)))
    port = common.free_port()
    url = "http://127.0.0.1:%d/" % port
    with common.Background(common.serve_command(content, site, port, os.path.join(work, "soak.sqlite")), port,
                           os.path.join(work, "soak.log"), timeout=args.timeout) as server:
        warm = wrk(url, args.connections, args.warmup, script)
        after_warmup = resident_mib(server.pid)
        peak = [after_warmup]

        def sample():
            while not done.is_set():
                peak.append(resident_mib(server.pid))
                done.wait(1)

        done = threading.Event()
        sampler = threading.Thread(target=sample)
        sampler.start()
        run = wrk(url, args.connections, args.soak, script)
        done.set()
        sampler.join()
        at_end = resident_mib(server.pid)
    errors_5xx = int(re.search(r"5xx responses: (\d+)", run[3]).group(1)) + int(re.search(r"5xx responses: (\d+)", warm[3]).group(1))
    growth = (at_end - after_warmup) / after_warmup * 100
    sockets = sum(int(n) for r in (warm, run) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", r[3]))
    return [["%d s after %d s warm-up" % (args.soak, args.warmup), "%.0f" % run[0], "%.1f ms" % run[1], errors_5xx, sockets,
             "%.1f MiB" % after_warmup, "%.1f MiB (peak %.1f)" % (at_end, max(peak)), "%+.1f %%" % growth]]


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    common.common_arguments(parser)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=10, help="seconds of mixed traffic before the soak")
    parser.add_argument("--soak", type=int, default=60, help="seconds of mixed traffic measured")
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 1 run of 3 s, a 15 s soak")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.runs, args.duration, args.warmup, args.soak = 1000, 1, 3, 3, 15
    work = common.work_folder(args.work)
    sample = os.path.join(common.ROOT, "Content")
    rows = []
    search_load(work, "sample", sample, args, rows)
    search_load(work, "%d articles" % args.articles, common.corpus(work, args.articles), args, rows)
    notes = ("wrk %d threads, %d connections, %d s per run, %d runs (median, min–max), on loopback on the same 2-core machine (wrk "
             "competes for the cores). Search: 1,000 queries (titles, word pairs, prefixes, typos). Engine alone: search-benchmark, "
             "%d threads, the same queries, the same JSON.") % (os.cpu_count(), args.connections, args.duration, args.runs, os.cpu_count())
    common.append_results("Search under load", ["helpcenter", "wrk"], notes, common.markdown_table(
        ["site", "static page req/s", "/api/search req/s", "search p99", "errors", "search ÷ page", "engine alone q/s", "server ÷ engine"], rows),
        append=not args.no_append)
    soak_rows = soak(work, sample, args)
    common.append_results("Soak", ["helpcenter", "wrk"],
                          "Sample content; 64 connections of mixed traffic: 60 % article pages, 25 % searches, 10 % the reset start "
                          "page, 5 % feedback votes (429 once a client's hourly limit is spent: not an error). Errors: 5xx responses; "
                          "socket errors (connect, read, write, timeout).",
                          common.markdown_table(["run", "requests/s", "p99", "5xx", "socket errors", "RSS after warm-up", "RSS at the end",
                                                 "growth"], soak_rows), append=not args.no_append)
    common.empty_trash(work)


if __name__ == "__main__":
    main()
