#!/usr/bin/env python3
"""Full-build benchmark (issue 8, item 1): `helpcenter build` (pages + search index) of synthetic corpora
beside Hugo building the same articles with minimal templates, Pagefind indexing Hugo's output, and the
libcmark floor (bench/cmark_floor.c: parse, render and write each article in one process).

For each article count and each of --runs runs (the order of the contenders rotates every run) it
measures wall and CPU seconds and peak memory with /usr/bin/time -v, and the bytes written. Prints a
table with medians (min–max) and ratios ours ÷ theirs, appends it to bench/RESULTS.md, and saves the
raw figures as WORK/build-results.json (bench/scaling.py reads them for the curve and the growth check).

    python3 bench/build.py --articles 1000,10000,50000 --runs 3
    python3 bench/build.py --quick          # 1,000 articles, 2 runs
"""
import argparse
import os
import shutil
import sys

import common

HUGO_CONFIG = """baseURL = "http://127.0.0.1/"
title = "Help Center"
languageCode = "en"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = false
"""
# Minimal templates: a page with its title and body; a list of the pages of a section; the home page.
HUGO_LAYOUTS = {
    "_default/single.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><article><h1>{{ .Title }}</h1>{{ .Content }}</article></main></body></html>
""",
    "_default/list.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
""",
    "index.html": """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Site.Title }}</title></head>
<body><main><h1>{{ .Site.Title }}</h1><ul>{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
""",
}


def hugo_tree(work, corpus, articles):
    """WORK/hugo-N: a Hugo site whose content/ holds the corpus's articles (hard links) and one
    _index.md per category with its title."""
    path = os.path.join(work, "hugo-%d" % articles)
    if os.path.exists(os.path.join(path, ".complete")):
        return path
    shutil.rmtree(path, ignore_errors=True)
    for name, text in list(HUGO_LAYOUTS.items()) + [("../hugo.toml", HUGO_CONFIG)]:
        target = os.path.normpath(os.path.join(path, "layouts", name))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(text)
    for directory, _, files in os.walk(corpus):
        relative = os.path.relpath(directory, corpus)
        target = os.path.normpath(os.path.join(path, "content", relative))
        os.makedirs(target, exist_ok=True)
        for name in files:
            if name.endswith(".md"):
                os.link(os.path.join(directory, name), os.path.join(target, name))
            elif name == "_category.yml":
                with open(os.path.join(directory, name), encoding="utf-8") as f:
                    title = f.readline().split(":", 1)[1].strip()
                with open(os.path.join(target, "_index.md"), "w", encoding="utf-8") as f:
                    f.write("---\ntitle: %s\n---\n" % title)
    open(os.path.join(path, ".complete"), "w").close()
    return path


CONTENDERS = ["ours", "hugo", "pagefind", "hugo+pagefind", "floor"]
LABELS = {"ours": "helpcenter build (pages + index)", "hugo": "Hugo (pages)", "pagefind": "Pagefind (index of Hugo's pages)",
          "hugo+pagefind": "Hugo + Pagefind", "floor": "libcmark floor (parse + render + write)"}


def bench_size(work, articles, runs, timeout, skip):
    content = common.corpus(work, articles)
    site = os.path.join(work, "site-%d" % articles)
    floor_out = os.path.join(work, "floor-%d" % articles)
    helpcenter = common.binary("helpcenter")
    contenders = []
    figures = {name: [] for name in CONTENDERS}

    def ours():
        common.set_aside(site)
        m = common.timed([helpcenter, "build", "--content", content, "--output", site], timeout)
        figures["ours"].append(dict(m.as_dict(), bytes=common.folder_bytes(site) if m.ok else None))

    contenders.append(("ours", ours))
    if "hugo" not in skip:
        hugo_source = hugo_tree(work, content, articles)
        hugo_out = os.path.join(work, "hugo-%d-public" % articles)

        def hugo_then_pagefind():
            common.set_aside(hugo_out)
            m = common.timed(["hugo", "--source", hugo_source, "--destination", hugo_out, "--quiet"], timeout)
            figures["hugo"].append(dict(m.as_dict(), bytes=common.folder_bytes(hugo_out) if m.ok else None))
            if "pagefind" in skip:
                return
            if not m.ok:
                figures["pagefind"].append(dict(common.Measurement(None, ok=False).as_dict(), bytes=None))
                return
            p = common.timed([sys.executable, "-m", "pagefind", "--site", hugo_out, "--output-subdir", "_pagefind", "--silent"], timeout)
            figures["pagefind"].append(dict(p.as_dict(), bytes=common.folder_bytes(os.path.join(hugo_out, "_pagefind")) if p.ok else None))
            both = dict(wall=m.wall + p.wall if m.ok and p.ok else None, cpu=(m.cpu or 0) + (p.cpu or 0) if m.ok and p.ok else None,
                        rss_kib=max(m.rss_kib or 0, p.rss_kib or 0) if m.ok and p.ok else None, ok=m.ok and p.ok,
                        timed_out=m.timed_out or p.timed_out, bytes=common.folder_bytes(hugo_out) if m.ok and p.ok else None)
            figures["hugo+pagefind"].append(both)

        contenders.append(("hugo", hugo_then_pagefind))
    if "floor" not in skip:
        floor = common.compile_c("cmark_floor.c", os.path.join(work, "cmark-floor"), ["libcmark"])

        def floor_run():
            common.set_aside(floor_out)
            m = common.timed([floor, content, floor_out], timeout)
            figures["floor"].append(dict(m.as_dict(), bytes=common.folder_bytes(floor_out) if m.ok else None))

        contenders.append(("floor", floor_run))
    common.alternate(runs, contenders)
    common.set_aside(floor_out)
    return {name: values for name, values in figures.items() if values}


def ok_values(results, key):
    return [r[key] for r in results if r["ok"] and r[key] is not None]


def table(all_figures):
    header = ["articles", "build", "wall", "CPU", "peak memory", "output", "ours ÷ this: wall", "ours ÷ this: memory"]
    rows = []
    for articles, figures in sorted(all_figures.items(), key=lambda item: int(item[0])):
        ours = figures["ours"]
        for name in CONTENDERS:
            if name not in figures:
                continue
            results = figures[name]
            timeouts = sum(1 for r in results if r["timed_out"])
            memory = [r["rss_kib"] * 1024 for r in results if r["ok"] and r["rss_kib"]]
            rows.append([
                "{:,}".format(int(articles)), LABELS[name],
                common.fmt_spread(ok_values(results, "wall"), timeouts=timeouts),
                common.fmt_spread(ok_values(results, "cpu")),
                common.fmt_spread([m / 1048576 for m in memory], unit="MiB", digits=0),
                common.fmt_bytes(common.spread(ok_values(results, "bytes"))[0]) if ok_values(results, "bytes") else "—",
                "" if name == "ours" else common.ratio(ok_values(ours, "wall"), ok_values(results, "wall")),
                "" if name == "ours" else common.ratio(ok_values(ours, "rss_kib"), ok_values(results, "rss_kib")),
            ])
    return common.markdown_table(header, rows)


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    common.common_arguments(parser)
    parser.add_argument("--articles", default="1000,10000,50000", help="comma-separated article counts (1k = 1000)")
    parser.add_argument("--skip", default="", help="comma-separated contenders to leave out: hugo, pagefind, floor")
    parser.add_argument("--big-runs", type=int, default=0,
                        help="runs per contender at 50,000 articles and more (0: --runs); run_all.py passes 1 to keep within 20 minutes")
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 2 runs")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.runs = "1000", min(args.runs, 2)
    work = common.work_folder(args.work)
    skip = set(filter(None, args.skip.split(",")))
    all_figures, runs_by_size = {}, {}
    for articles in common.article_counts(args.articles):
        runs = args.big_runs if args.big_runs and articles >= 50000 else args.runs
        runs_by_size[str(articles)] = runs
        all_figures[str(articles)] = bench_size(work, articles, runs, args.timeout, skip)
        common.save_json(work, "build-results.json", {"runs": args.runs, "runs_by_size": runs_by_size, "figures": all_figures})
    common.empty_trash(work)
    tools = ["helpcenter", "swift"] + [t for t in ["hugo", "pagefind", "libcmark"] if t not in skip and not (t == "libcmark" and "floor" in skip)]
    big = "".join(" (%d at {:,} articles)".format(int(n)) % r for n, r in runs_by_size.items() if r != args.runs)
    notes = ("Full build of gen_corpus.py corpora (seed 1). Medians of %d runs%s (min–max), contenders in rotating order; each run "
             "writes into a folder that does not exist (earlier outputs are moved aside, not deleted: see bench/common.py "
             "set_aside). Wall measured "
             "around /usr/bin/time -v, CPU = user + system, peak memory = maximum RSS. Hugo uses minimal templates (page, section "
             "list, home; no taxonomies, RSS or sitemap); Pagefind indexes Hugo's output; Hugo + Pagefind adds their times per run "
             "(memory: the larger). Output = bytes of all files written. Ratios divide our median by theirs (below 1 = ours is "
             "faster / smaller).") % (args.runs, big)
    common.append_results("Full build", tools, notes, table(all_figures), append=not args.no_append)


if __name__ == "__main__":
    main()
