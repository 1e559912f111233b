#!/usr/bin/env python3
"""Serving benchmark (issue 8, item 4): requests per second and latency of `helpcenter serve` under wrk,
for a static article page and for /api/search, beside nginx serving the same Site/ folder (static page
only: nginx has no search API).

Both servers run at once on loopback ports (nginx with its own temporary configuration, not the system
service); each run rotates the order of the three loads. wrk: --threads (default: the core count),
--connections 64, --duration seconds per load; /api/search requests rotate through 1,000 queries made of
title words (a wrk Lua script). Medians of --runs runs (min–max); ratios ours ÷ nginx.

    python3 bench/serve.py --articles 10000 --runs 3 --duration 10
"""
import argparse
import os
import re
import shutil
import subprocess
import urllib.parse

import common

NGINX_CONFIG = """daemon off;
master_process on;
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log;
{user}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        index index.html;
    }}
}}
"""



def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    common.common_arguments(parser)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of each wrk run")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 2 runs of 3 s")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.runs, args.duration = 1000, min(args.runs, 2), min(args.duration, 3)
    work = common.work_folder(args.work)
    content = common.corpus(work, args.articles)
    # The site bench/build.py left (its last run, from the same corpus) when there is one: serving does
    # not time the build, and building 10,000 articles again took a tenth of this step.
    earlier = common.site_from_build(work, args.articles)
    site = earlier[0] if earlier else os.path.join(work, "serve-site-%d" % args.articles)
    if not earlier:
        common.set_aside(site)
        if not common.timed([common.binary("helpcenter"), "build", "--content", content, "--output", site], args.timeout).ok:
            raise SystemExit("helpcenter build failed")
    first = sorted(os.path.relpath(os.path.join(d, f), content) for d, _, files in os.walk(content) for f in files if f.endswith(".md"))[0]
    page = "/" + first[:-3] + "/"
    queries = common.make_queries(site)
    script = os.path.join(work, "search-queries.lua")
    with open(script, "w", encoding="utf-8") as f:
        f.write(common.SEARCH_LUA % ", ".join('"%s"' % urllib.parse.quote(q) for q in queries))

    our_port, nginx_port = common.free_port(), common.free_port()
    nginx_work = os.path.join(work, "nginx")
    os.makedirs(nginx_work, exist_ok=True)
    with open(os.path.join(nginx_work, "nginx.conf"), "w") as f:
        f.write(NGINX_CONFIG.format(work=nginx_work, port=nginx_port, site=site, user="user root;" if os.getuid() == 0 else ""))
    results = {"ours-page": [], "nginx-page": [], "ours-search": []}
    ours_command = common.serve_command(content, site, our_port, os.path.join(work, "serve.sqlite"))
    with common.Background(ours_command, our_port, os.path.join(work, "serve-ours.log"), timeout=args.timeout), \
            common.Background(["nginx", "-p", nginx_work, "-c", os.path.join(nginx_work, "nginx.conf"), "-e", os.path.join(nginx_work, "nginx-error.log")],
                              nginx_port, os.path.join(nginx_work, "nginx.log")):
        def load(name, url, lua=None):
            return name, lambda: results[name].append(common.wrk(url, args.threads, args.connections, args.duration, lua)[:3])

        common.alternate(args.runs, [
            load("ours-page", "http://127.0.0.1:%d%s" % (our_port, page)),
            load("nginx-page", "http://127.0.0.1:%d%s" % (nginx_port, page)),
            load("ours-search", "http://127.0.0.1:%d/api/search?q=x" % our_port, script),
        ])

    def column(name, index):
        return [r[index] for r in results[name] if r[0] is not None]

    rows = []
    labels = {"ours-page": ("static article page", "helpcenter serve"), "nginx-page": ("static article page", "nginx"),
              "ours-search": ("/api/search (1,000 queries)", "helpcenter serve")}
    for name, (what, server) in labels.items():
        rows.append([what, server, common.fmt_spread(column(name, 0), unit="", digits=0), common.fmt_spread(column(name, 1), unit="ms"),
                     sum(column(name, 2)),
                     common.ratio(column("ours-page", 0), column("nginx-page", 0)) + " / " + common.ratio(column("ours-page", 1), column("nginx-page", 1))
                     if name == "nginx-page" else ""])
    notes = ("%s articles; page %s. wrk %d threads, %d connections, %d s per run, all on loopback on the same machine (wrk competes for "
             "the cores). Medians of %d runs (min–max), loads in rotating order. Errors = non-2xx responses + socket errors, summed over "
             "the runs.") % ("{:,}".format(args.articles), page, args.threads, args.connections, args.duration, args.runs)
    common.empty_trash(work)
    common.append_results("Serving", ["helpcenter", "nginx", "wrk"], notes, common.markdown_table(
        ["request", "server", "requests/s", "p99 latency", "errors", "ours ÷ nginx: requests/s / p99"], rows), append=not args.no_append)


if __name__ == "__main__":
    main()
