#!/usr/bin/env python3
"""Scaling benchmark (issue 8, item 6): how `helpcenter build` time and peak memory grow with the article
count, drawn as bench/build-time.svg and bench/build-memory.svg (with Hugo, Pagefind and the libcmark
floor when bench/build.py measured them), a check that growth is no worse than linear, and a perf profile
of one build that names the top five costs.

Figures: WORK/build-results.json from bench/build.py when it holds two or more article counts (run_all.py
runs build.py first); otherwise this script times our build itself (--articles, --runs). Growth exponent
b between two counts n1 < n2: b = ln(f(n2) / f(n1)) / ln(n2 / n1) of the medians; b ≤ 1 is linear or
better (fixed costs make small builds dearer per article); the check allows b ≤ 1.1 for noise.

Profile: `perf record -F 499 -g` (frame pointers) of one build of --profile-articles articles; the five
symbols with the most self time, and the five functions of our modules with the most inclusive time.

    python3 bench/scaling.py --articles 1000,10000,50000 --profile-articles 10000
"""
import argparse
import math
import os
import re
import shutil
import subprocess

import common

SERIES = [("ours", "helpcenter build", "#1f77b4"), ("hugo", "Hugo", "#d62728"), ("pagefind", "Pagefind", "#9467bd"),
          ("hugo+pagefind", "Hugo + Pagefind", "#ff7f0e"), ("floor", "libcmark floor", "#2ca02c")]


def ok_values(results, key):
    return [r[key] for r in results if r.get("ok") and r.get(key) is not None]


def nice_ticks(top, count=5):
    step = 10 ** math.floor(math.log10(max(top, 1e-9) / count))
    for factor in (1, 2, 2.5, 5, 10):
        if top / (step * factor) <= count:
            step *= factor
            break
    return [i * step for i in range(int(top / step) + 2) if i * step <= top * 1.0001 + step]


def svg_chart(figures, key, scale, unit, title, path):
    """A line chart of the medians of `key` against the article count, min–max as whiskers."""
    width, height, left, right, top, bottom = 720, 420, 70, 190, 40, 50
    counts = sorted(int(n) for n in figures)
    points = {}
    for name, _, _ in SERIES:
        series = [(n, common.spread([v * scale for v in ok_values(figures[str(n)].get(name, []), key)])) for n in counts]
        series = [(n, s) for n, s in series if s]
        if series:
            points[name] = series
    y_max = max((s[2] for series in points.values() for _, s in series), default=1) * 1.05
    x_max = max(counts) * 1.02
    x_ticks, y_ticks = nice_ticks(x_max), nice_ticks(y_max)
    x_max, y_max = max(x_max, x_ticks[-1]), max(y_max, y_ticks[-1])
    sx = lambda x: left + (width - left - right) * x / x_max
    sy = lambda y: height - bottom - (height - top - bottom) * y / y_max
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">'
           % (width, height, width, height), '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" font-weight="bold">%s</text>' % (left, title)]
    for y in y_ticks:
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (left, width - right, sy(y), sy(y)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%g</text>' % (left - 6, sy(y) + 4, y))
    for x in x_ticks:
        out.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ddd"/>' % (sx(x), sx(x), top, height - bottom))
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (sx(x), height - bottom + 16, "{:,}".format(int(x))))
    out.append('<text x="%d" y="%d" text-anchor="middle">articles</text>' % ((left + width - right) / 2, height - 12))
    out.append('<text transform="translate(16 %d) rotate(-90)" text-anchor="middle">%s</text>' % ((top + height - bottom) / 2, unit))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>' % (left, width - right, height - bottom, height - bottom))
    out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>' % (left, left, top, height - bottom))
    legend_y = top + 10
    for name, label, color in SERIES:
        if name not in points:
            continue
        series = points[name]
        out.append('<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (
            color, " ".join("%.1f,%.1f" % (sx(n), sy(s[0])) for n, s in series)))
        for n, (median, low, high) in series:
            out.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="%s"/>' % (sx(n), sx(n), sy(low), sy(high), color))
            out.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s, %s articles: %.2f %s (%.2f–%.2f)</title></circle>'
                       % (sx(n), sy(median), color, label, "{:,}".format(n), median, unit, low, high))
        out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>' % (width - right + 15, width - right + 35, legend_y, legend_y, color))
        out.append('<text x="%d" y="%d">%s</text>' % (width - right + 40, legend_y + 4, label))
        legend_y += 18
    out.append("</svg>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def growth_rows(figures):
    counts = sorted(int(n) for n in figures)
    rows, verdicts = [], []
    for key, label, scale, unit in (("wall", "wall", 1, "s"), ("cpu", "CPU", 1, "s"), ("rss_kib", "peak memory", 1 / 1024, "MiB")):
        medians = {n: common.spread(ok_values(figures[str(n)]["ours"], key)) for n in counts}
        cells = ["%.2f %s" % (medians[n][0] * scale, unit) if medians[n] else "timeout" for n in counts]
        per_article = ["%.3f ms" % (medians[n][0] * 1000 / n) if medians[n] and unit == "s" else
                       ("%.1f KiB" % (medians[n][0] / n) if medians[n] else "—") for n in counts]
        exponents = []
        for a, b in zip(counts, counts[1:]):
            if medians[a] and medians[b]:
                exponents.append("%.2f (%s→%s)" % (math.log(medians[b][0] / medians[a][0]) / math.log(b / a), "{:,}".format(a), "{:,}".format(b)))
                verdicts.append((label, math.log(medians[b][0] / medians[a][0]) / math.log(b / a)))
        rows.append([label] + ["%s (%s per article)" % (c, p) for c, p in zip(cells, per_article)] + [", ".join(exponents) or "—"])
    header = ["helpcenter build"] + ["{:,} articles".format(n) for n in counts] + ["growth exponent b"]
    parts = []
    for label in ("wall", "peak memory", "CPU"):
        exponents = [b for name, b in verdicts if name == label]
        if exponents:
            worst = max(exponents)
            parts.append("%s %s (largest b = %.2f)" % (label, "no worse than linear" if worst <= 1.1 else "WORSE than linear", worst))
    verdict = "; ".join(parts) if parts else "not enough figures"
    return common.markdown_table(header, rows), verdict


def profile(work, articles, timeout):
    """Top five self-time symbols and top five inclusive functions of our modules, from perf."""
    content = common.corpus(work, articles)
    site = os.path.join(work, "profile-site")
    data = os.path.join(work, "perf.data")
    common.set_aside(site)
    m = common.timed(["perf", "record", "-F", "499", "-g", "-o", data, "--", common.binary("helpcenter"), "build", "--content", content,
                      "--output", site], timeout)
    common.set_aside(site)
    if not m.ok:
        return None

    def report(children):
        out = subprocess.run(["perf", "report", "-i", data, "--stdio", "--children" if children else "--no-children", "--sort", "symbol",
                              "-g", "none", "--percent-limit", "0.3"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             timeout=600).stdout
        rows = []
        for line in out.splitlines():
            match = re.match(r"\s*([0-9.]+)%\s+(?:([0-9.]+)%\s+)?\[([.k])\]\s+(.*?)(\s+-)*\s*$", line)
            if match:
                rows.append((float(match.group(1)), match.group(4) + (" (kernel)" if match.group(3) == "k" else "")))
        names = [name for _, name in rows]
        full = demangle(names, simplified=False)
        short = demangle(names, simplified=True)
        return [(percent, f, s) for (percent, _), f, s in zip(rows, full, short)]

    self_top = [(p, s) for p, _, s in report(False)][:5]
    ours = [(p, s) for p, f, s in report(True)
            if re.search(r"\bHelpCenter(Site|Content|Search|Markdown)\.", f) and not re.search(r"closure|thunk|partial apply|witness|\bbuild\(into:", f)]
    seen, inclusive = set(), []
    for p, s in ours:
        if s not in seen:
            seen.add(s)
            inclusive.append((p, s))
    return m.wall, self_top, inclusive[:5]


def demangle(names, simplified):
    if not names:
        return []
    try:
        out = subprocess.run(["swift", "demangle"] + (["--simplified"] if simplified else []) + ["--compact"], input="\n".join(names),
                             stdout=subprocess.PIPE, text=True, timeout=120).stdout.splitlines()
        return out if len(out) == len(names) else names
    except (OSError, subprocess.TimeoutExpired):
        return names


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    common.common_arguments(parser)
    parser.add_argument("--articles", default="1000,10000,50000", help="article counts when build.py's figures are not in --work")
    parser.add_argument("--profile-articles", type=int, default=10000, help="articles of the profiled build (0: no profile)")
    parser.add_argument("--quick", action="store_true", help="1,000 and 3,000 articles, 2 runs, profile of 1,000")
    parser.add_argument("--charts", default=common.BENCH, help="folder of build-time.svg and build-memory.svg (default bench/, "
                        "where the charts of the full run are kept; bench/run_all.py --quick draws them into its work folder)")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.runs, args.profile_articles = "1000,3000", min(args.runs, 2), min(args.profile_articles, 1000)
    work = common.work_folder(args.work)
    saved = common.load_json(work, "build-results.json")
    if saved and len(saved["figures"]) >= 2:
        figures, source = saved["figures"], "bench/build.py's runs of this session"
        runs = ", ".join("%d at {:,} articles".format(int(n)) % r for n, r in saved.get("runs_by_size", {}).items()) or str(saved["runs"])
    else:
        figures, runs, source = {}, str(args.runs), "this script's own runs of our build"
        helpcenter = common.binary("helpcenter")
        for n in common.article_counts(args.articles):
            content, site = common.corpus(work, n), os.path.join(work, "scaling-site-%d" % n)
            results = []
            for run in range(args.runs):
                common.log("run %d/%d: %d articles" % (run + 1, args.runs, n))
                common.set_aside(site)
                results.append(common.timed([helpcenter, "build", "--content", content, "--output", site], args.timeout).as_dict())
            common.set_aside(site)
            figures[str(n)] = {"ours": results}
    os.makedirs(args.charts, exist_ok=True)
    svg_chart(figures, "wall", 1, "seconds", "Full build time (wall, median; bars: min–max)", os.path.join(args.charts, "build-time.svg"))
    svg_chart(figures, "rss_kib", 1 / 1024, "MiB", "Full build peak memory (max RSS, median; bars: min–max)",
              os.path.join(args.charts, "build-memory.svg"))
    table, verdict = growth_rows(figures)
    charts = ("![build time](build-time.svg) ![build memory](build-memory.svg)" if os.path.abspath(args.charts) == common.BENCH
              else "Charts: %s/build-time.svg and build-memory.svg." % args.charts)
    body = table + "\n\nGrowth (the issue asks for wall time and memory; b ≤ 1.1 passes): " + verdict + ".\n\n" + charts + "\n"
    tools = ["helpcenter"]
    if args.profile_articles:
        result = profile(work, args.profile_articles, args.timeout)
        if result:
            wall, self_top, inclusive = result
            tools.append("perf")
            body += "\nProfile of one build of {:,} articles ({:.1f} s under `perf record -F 499 -g`):\n\n".format(args.profile_articles, wall)
            body += common.markdown_table(["top self time", "share of samples"], [["`%s`" % s[:120], "%.1f %%" % p] for p, s in self_top])
            body += "\n\n" + common.markdown_table(["top inclusive time in our modules", "share of samples"],
                                                   [["`%s`" % s[:120], "%.1f %%" % p] for p, s in inclusive]) + "\n"
        else:
            body += "\nProfile: perf record failed or timed out.\n"
    common.empty_trash(work)
    notes = "Figures from %s: medians of runs (%s). Growth exponent b per step of the article count (1 = linear)." % (source, runs)
    common.append_results("Scaling", tools, notes, body, append=not args.no_append)


if __name__ == "__main__":
    main()
