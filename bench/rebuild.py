#!/usr/bin/env python3
"""Rebuild benchmark (issue 8, item 2): after one edit in a built tree (default 10,000 articles), the time
until Site/ is complete and correct again, with `helpcenter build` run again and with
`helpcenter serve --watch` running.

Each run gives one article a new title and a new paragraph (unique words), then:
- build: times `helpcenter build` of the edited tree;
- watch: times from writing the file to the `reload` server-sent event of /_watch/events (the watcher
  polls every 200 ms, so detection is included).
Either way the site is then checked: the article's page shows the new title and paragraph, its
category page and every page whose related list named it show the new title, and the search index
holds both new words. The time counts from the edit to the build's exit (or the reload event) when that
check passes; when it does not, the check is repeated until the timeout and the time counts to the end
of the first passing check. Medians of --runs runs (min–max).

    python3 bench/rebuild.py --articles 10000 --runs 3
"""
import argparse
import gzip
import http.client
import os
import queue
import random
import re
import shutil
import statistics
import string
import threading
import time

import common


def pick_article(content, site):
    """A deterministic article that at least one related list names: (path, url, pages naming it)."""
    related_sections = {}
    for directory, _, files in os.walk(site):
        if "index.html" in files:
            with open(os.path.join(directory, "index.html"), encoding="utf-8") as f:
                match = re.search(r'<section class="related".*?</section>', f.read(), re.S)
            if match:
                related_sections[os.path.join(directory, "index.html")] = match.group(0)
    articles = sorted(os.path.relpath(os.path.join(d, f), content) for d, _, files in os.walk(content) for f in files if f.endswith(".md"))
    for path in articles[len(articles) // 3:] + articles[:len(articles) // 3]:
        url = "/" + path[:-3] + "/"
        naming = sorted(page for page, section in related_sections.items() if 'href="%s"' % url in section)
        if naming and os.path.exists(os.path.join(site, url.strip("/"), "index.html")):
            return path, url, naming
    raise RuntimeError("no article is named in a related list")


def edit(content, path, run):
    """Writes a new title and a new first paragraph into the article; returns (title, title word, body word)."""
    token = "".join(random.Random(run * 7919 + len(path)).choice(string.ascii_lowercase) for _ in range(8))
    title_word, body_word = "retitled" + token, "edited" + token
    title = "Benchmark edit %d %s of this article" % (run, title_word)
    file = os.path.join(content, path)
    with open(file, encoding="utf-8") as f:
        text = f.read()
    front, body = text.split("\n---\n", 1)
    front = re.sub(r'(?m)^title: .*$', 'title: "%s"' % title, front)
    body = re.sub(r"(?m)^Benchmark paragraph .*\n\n", "", body.lstrip("\n"))
    with open(file, "w", encoding="utf-8") as f:
        f.write(front + "\n---\n\nBenchmark paragraph %s after edit %d.\n\n" % (body_word, run) + body)
    return title, title_word, body_word


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    return gzip.decompress(data).decode("utf-8", "replace") if path.endswith(".gz") else data.decode("utf-8", "replace")


def check(site, url, naming, title, title_word, body_word):
    """What is not yet right in the site (empty when all is)."""
    problems = []
    try:
        page = read(os.path.join(site, url.strip("/"), "index.html"))
        if "<h1>%s</h1>" % title not in page or body_word not in page:
            problems.append("article page")
        category = os.path.join(site, url.strip("/").split("/")[0], "index.html")
        if title not in read(category):
            problems.append("category page")
        for other in naming:
            section = re.search(r'<section class="related".*?</section>', read(other), re.S)
            if not section or title not in section.group(0):
                problems.append("related list of " + os.path.relpath(other, site))
        found = set()
        for directory, _, files in os.walk(os.path.join(site, "search")):
            for name in files:
                if name.endswith((".json", ".gz")):
                    text = read(os.path.join(directory, name))
                    found |= {w for w in (title_word, body_word) if w in text}
        if found != {title_word, body_word}:
            problems.append("search index")
    except OSError as error:
        problems.append(str(error))
    return problems


def wait_correct(site, target, start, timeout, ready_at):
    """Seconds from `start` (the edit) until the site is right: `ready_at` (when the build exited or the
    reload event came) when the first check passes; otherwise the end of the first check that passes
    (checked every 50 ms until `timeout`); None when it never does."""
    first = True
    while time.perf_counter() - start < timeout:
        problems = check(site, *target)
        if not problems:
            return (ready_at if first else time.perf_counter()) - start
        if first:
            common.log("site not yet right when the rebuild was reported done: %s; waiting" % ", ".join(problems))
        first = False
        time.sleep(0.05)
    common.log("still wrong after %d s: %s" % (timeout, ", ".join(problems)))
    return None


class EventStream:
    """Reads /_watch/events in a thread; puts (time, event name) on a queue."""

    def __init__(self, port):
        self.events = queue.Queue()
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=None)
        self.connection.request("GET", "/_watch/events", headers={"Accept": "text/event-stream"})
        response = self.connection.getresponse()
        if response.status != 200:
            raise RuntimeError("/_watch/events answered %d" % response.status)
        threading.Thread(target=self.read, args=(response,), daemon=True).start()

    def read(self, response):
        try:
            for line in response:
                line = line.decode().strip()
                if line.startswith("event:"):
                    self.events.put((time.perf_counter(), line.split(":", 1)[1].strip()))
        except Exception:  # the stream is closed at the end
            pass

    def close(self):
        try:
            self.connection.sock.shutdown(2)
        except OSError:
            pass
        self.connection.close()


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    common.common_arguments(parser)
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--quick", action="store_true", help="1,000 articles, 2 runs")
    args = parser.parse_args()
    if args.quick:
        args.articles, args.runs = 1000, min(args.runs, 2)
    work = common.work_folder(args.work)
    helpcenter = common.binary("helpcenter")
    content = os.path.join(work, "rebuild-content-%d" % args.articles)
    site = os.path.join(work, "rebuild-site-%d" % args.articles)
    common.set_aside(content)
    common.set_aside(site)
    shutil.copytree(common.corpus(work, args.articles), content)
    # The site bench/build.py left from the same corpus, when there is one (run_all runs this step last,
    # so no later step needs it): the first build is then not made again.
    earlier = common.site_from_build(work, args.articles)
    if earlier:
        os.rename(earlier[0], site)
        initial_wall = statistics.median(earlier[1])
    else:
        common.log("initial build of %d articles" % args.articles)
        initial = common.timed([helpcenter, "build", "--content", content, "--output", site], args.timeout)
        if not initial.ok:
            raise SystemExit("the initial build failed")
        initial_wall = initial.wall
    path, url, naming = pick_article(content, site)
    common.log("editing %s (named by %d related lists)" % (path, len(naming)))
    build_times, build_timeouts, watch_times, watch_timeouts, run = [], 0, [], 0, 0

    for _ in range(args.runs):
        run += 1
        title, title_word, body_word = edit(content, path, run)
        start = time.perf_counter()
        m = common.timed([helpcenter, "build", "--content", content, "--output", site], args.timeout)
        seconds = wait_correct(site, (url, naming, title, title_word, body_word), start, args.timeout, time.perf_counter()) if m.ok else None
        common.log("build run %d: %s (build %.2f s)" % (run, "%.2f s" % seconds if seconds else "failed or timed out", m.wall))
        if seconds is None:
            build_timeouts += 1
        else:
            build_times.append(seconds)

    port = common.free_port()
    database = os.path.join(work, "rebuild.sqlite")
    with common.Background(common.serve_command(content, site, port, database, watch=True), port,
                           os.path.join(work, "rebuild-serve.log"), timeout=args.timeout):
        stream = EventStream(port)
        time.sleep(1)  # the watcher's first look at the folder
        for _ in range(args.runs):
            run += 1
            title, title_word, body_word = edit(content, path, run)
            start = time.perf_counter()
            seconds = None
            try:
                while True:
                    at, name = stream.events.get(timeout=max(0.1, args.timeout - (time.perf_counter() - start)))
                    if name == "reload":
                        break
                    common.log("watch event %s" % name)
                seconds = wait_correct(site, (url, naming, title, title_word, body_word), start, args.timeout, at)
            except queue.Empty:
                pass
            common.log("watch run %d: %s" % (run, "%.2f s" % seconds if seconds else "timed out"))
            if seconds is None:
                watch_timeouts += 1
            else:
                watch_times.append(seconds)
            time.sleep(0.5)
        stream.close()

    rows = [
        ["{:,}".format(args.articles), "`helpcenter build` again", common.fmt_spread(build_times, timeouts=build_timeouts)],
        ["{:,}".format(args.articles), "`helpcenter serve --watch` (edit → reload event)", common.fmt_spread(watch_times, timeouts=watch_timeouts)],
        ["{:,}".format(args.articles), "(first full build, for scale%s)" % (": bench/build.py's median" if earlier else ""), "%.2f s" % initial_wall],
    ]
    notes = ("One article's title and body changed per run; time until its page, its category page, the %d related lists that "
             "name it and the search index are right again (checked after the build exits, or at the reload event). Medians of %d "
             "runs (min–max).") % (len(naming), args.runs)
    common.empty_trash(work)
    common.append_results("Rebuild after one edit", ["helpcenter"], notes,
                          common.markdown_table(["articles", "rebuild", "time to a correct site"], rows), append=not args.no_append)


if __name__ == "__main__":
    main()
