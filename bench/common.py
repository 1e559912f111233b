"""Shared helpers of the benchmark scripts in bench/: binaries, corpora, timing with /usr/bin/time -v,
medians with min and max, servers on loopback ports, and the RESULTS.md header and append.

Every script takes --work DIR (corpora and built sites are kept there and reused; a temporary folder by
default) and --runs N; bench/run_all.py passes one work folder to all of them.
"""
import datetime
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
RESULTS = os.path.join(BENCH, "RESULTS.md")
GENERATOR_CANDIDATES = [os.path.join(ROOT, "../shared/bench/gen_corpus.py"), os.path.join(BENCH, "gen_corpus.py")]


def log(message):
    """Progress on standard error (the tables go to standard output)."""
    print("[%s] %s" % (time.strftime("%H:%M:%S"), message), file=sys.stderr, flush=True)


# MARK: Binaries

def binary(product):
    """The release binary `product` of this repository (built when missing). HELPCENTER_BIN and
    SEARCH_BENCHMARK_BIN override `helpcenter` and `search-benchmark`."""
    override = os.environ.get(product.upper().replace("-", "_") + "_BIN")
    if override:
        return os.path.abspath(override)
    path = os.path.join(ROOT, ".build/release", product)
    if not os.path.exists(path):
        log("building %s (swift build -c release)" % product)
        subprocess.run(["swift", "build", "-c", "release", "--product", product], cwd=ROOT, check=True)
    return path


def compile_c(source, output, packages):
    """Builds bench/`source` with cc and pkg-config `packages` into `output` (when older or missing)."""
    source = os.path.join(BENCH, source)
    if os.path.exists(output) and os.path.getmtime(output) > os.path.getmtime(source):
        return output
    flags = subprocess.check_output(["pkg-config", "--cflags", "--libs"] + packages, text=True).split()
    subprocess.run(["cc", "-O2", "-Wall", "-o", output, source] + flags, check=True)
    return output


# MARK: Corpora and folders

def work_folder(path):
    """The work folder: `path` (created), or a new temporary one."""
    if path:
        os.makedirs(path, exist_ok=True)
        return os.path.abspath(path)
    return tempfile.mkdtemp(prefix="helpcenter-bench-")


def set_aside(path, trash=None):
    """Moves `path` (an earlier output) into `.trash/` beside it instead of deleting it before a timed run.

    On this machine's ext4 (no journal), making a file shortly after many were deleted makes the kernel
    skip every recently freed inode (`recently_deleted` in its profile): the libcmark floor took 7.5 s
    for 10,000 articles right after its previous output was deleted and 0.9 s otherwise. Deleting
    between runs would time that, for every contender, rather than the builds. empty_trash() deletes
    the trash once the timed runs are over. `trash`: the trash folder (default: `.trash` beside `path`),
    on the same file system."""
    if not os.path.lexists(path):
        return
    trash = trash or os.path.join(os.path.dirname(os.path.abspath(path)), ".trash")
    os.makedirs(trash, exist_ok=True)
    os.rename(path, os.path.join(trash, "%s-%d-%d" % (os.path.basename(path), os.getpid(), time.monotonic_ns())))


def empty_trash(work):
    """Deletes what set_aside() moved away in `work` (left for bench/run_all.py to do at its end when
    BENCH_KEEP_TRASH is set, so that the next script's timed runs do not follow a mass deletion)."""
    if not os.environ.get("BENCH_KEEP_TRASH"):
        shutil.rmtree(os.path.join(work, ".trash"), ignore_errors=True)


def site_from_build(work, articles):
    """(path, wall seconds of its runs) of the site bench/build.py left in `work` for the `articles`
    corpus (its last run), or None when there is none: later steps measure on it instead of building
    the same site again."""
    figures = (load_json(work, "build-results.json") or {}).get("figures", {}).get(str(articles), {})
    walls = [r["wall"] for r in figures.get("ours", []) if r.get("ok")]
    site = os.path.join(work, "site-%d" % articles)
    return (site, walls) if walls and os.path.exists(os.path.join(site, ".helpcenter-site")) else None


def corpus(work, articles, seed=1):
    """WORK/corpus-N: the synthetic corpus of `articles` articles from gen_corpus.py (made once, reused)."""
    path = os.path.join(work, "corpus-%d" % articles)
    if os.path.exists(os.path.join(path, ".complete")):
        return path
    generator = next((g for g in GENERATOR_CANDIDATES if os.path.exists(g)), None)
    if generator is None:
        sys.exit("gen_corpus.py not found (looked in %s)" % ", ".join(GENERATOR_CANDIDATES))
    shutil.rmtree(path, ignore_errors=True)
    log("generating %d articles into %s" % (articles, path))
    subprocess.run([sys.executable, generator, "--seed", str(seed), "--articles", str(articles), "--out", path],
                   check=True, stdout=subprocess.DEVNULL)
    open(os.path.join(path, ".complete"), "w").close()
    return path


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, files in os.walk(path) for f in files)


def folder_files(path):
    return sum(len(files) for _, _, files in os.walk(path))


def article_titles(site):
    """The <h1> of every page of a built site, sorted."""
    titles = []
    for directory, _, files in os.walk(site):
        if "index.html" in files and directory != site:
            with open(os.path.join(directory, "index.html"), encoding="utf-8") as f:
                match = re.search(r"<h1>(.*?)</h1>", f.read())
            if match:
                titles.append(re.sub(r"&[a-z#0-9]+;", " ", match.group(1)))
    return sorted(titles)


def make_queries(site, count=1000, seed=7):
    """A deterministic mix of queries from article titles, as readers type them: a quarter each of
    whole titles (up to six words), word pairs, a word and the start of the next (type-ahead prefixes),
    and words with one typo (a letter dropped or two swapped)."""
    titles = article_titles(site)
    rng = random.Random(seed)
    queries = []
    while len(queries) < count:
        words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", rng.choice(titles)) if len(w) > 3]
        if not words:
            continue
        kind = len(queries) % 4
        start = rng.randrange(len(words))
        if kind == 0:
            query = " ".join(words[:6])
        elif kind == 1:
            query = " ".join(words[start:start + 2])
        elif kind == 2:
            rest = words[start + 1] if start + 1 < len(words) else words[start]
            query = words[start] + " " + rest[:rng.randint(2, max(2, len(rest) - 1))]
        else:
            word = words[start]
            at = rng.randrange(1, len(word) - 1)
            query = word[:at] + word[at + 1:] if rng.random() < 0.5 else word[:at] + word[at + 1] + word[at] + word[at + 2:]
        queries.append(query)
    return queries


# MARK: Timing

class Measurement:
    """One timed run: wall and CPU seconds, peak resident memory, exit status, whether it timed out."""

    def __init__(self, wall, cpu=None, rss_kib=None, ok=True, timed_out=False, stdout=""):
        self.wall, self.cpu, self.rss_kib, self.ok, self.timed_out, self.stdout = wall, cpu, rss_kib, ok, timed_out, stdout

    def as_dict(self):
        return {"wall": self.wall, "cpu": self.cpu, "rss_kib": self.rss_kib, "ok": self.ok, "timed_out": self.timed_out}


def timed(command, timeout, cwd=None, env=None, quiet=True):
    """Runs `command` under /usr/bin/time -v with a wall-clock `timeout` (the whole process group is
    killed then). Wall seconds are measured here; CPU (user + system) and peak RSS (the largest of the
    process and its waited-for children) come from time -v."""
    report = tempfile.NamedTemporaryFile(prefix="time-", suffix=".txt", delete=False)
    report.close()
    start = time.perf_counter()
    process = subprocess.Popen(["/usr/bin/time", "-v", "-o", report.name] + list(command), cwd=cwd, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if quiet else None, text=True,
                               start_new_session=True)
    try:
        stdout, _ = process.communicate(timeout=timeout)
        wall = time.perf_counter() - start
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        os.unlink(report.name)
        log("timed out after %d s: %s" % (timeout, " ".join(command[:3])))
        return Measurement(timeout, ok=False, timed_out=True)
    with open(report.name, encoding="utf-8", errors="replace") as f:
        text = f.read()
    os.unlink(report.name)
    field = lambda name: float(re.search(re.escape(name) + r":\s*([0-9.]+)", text).group(1))
    try:
        cpu = field("User time (seconds)") + field("System time (seconds)")
        rss = int(field("Maximum resident set size (kbytes)"))
    except AttributeError:
        cpu = rss = None
    if process.returncode != 0:
        log("exit status %d: %s" % (process.returncode, " ".join(command)))
    return Measurement(wall, cpu, rss, ok=process.returncode == 0, stdout=stdout)


def alternate(runs, contenders):
    """Runs each (name, function) of `contenders` `runs` times, rotating the order every run (ours,
    theirs, …; then theirs, …, ours), so that drift of the machine hits all alike. Returns
    {name: [results]}."""
    results = {name: [] for name, _ in contenders}
    for run in range(runs):
        order = contenders[run % len(contenders):] + contenders[:run % len(contenders)]
        for name, function in order:
            log("run %d/%d: %s" % (run + 1, runs, name))
            results[name].append(function())
    return results


# MARK: Statistics and formatting

def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(len(values) * p + 0.4999)) - 1))]


def spread(values):
    """(median, min, max) of the values that are not None, or None when there are none."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values)


def fmt_spread(values, unit="s", digits=2, scale=1.0, timeouts=0):
    """`1.23 s (1.20–1.31)`; `timeout` when every run timed out; a note when some did."""
    s = spread(values)
    if s is None:
        return "timeout" if timeouts else "—"
    m, lo, hi = (v * scale for v in s)
    text = "%.*f%s (%.*f–%.*f)" % (digits, m, (" " + unit) if unit else "", digits, lo, digits, hi)
    return text + (" [%d timed out]" % timeouts if timeouts else "")


def fmt_bytes(n):
    if n is None:
        return "—"
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size:
            return "%.1f %s" % (n / size, unit)
    return "%d B" % n


def ratio(ours, theirs):
    """`0.42×` (ours ÷ theirs, of medians), or — when one is missing."""
    a, b = spread(ours), spread(theirs)
    if not a or not b or not b[0]:
        return "—"
    return "%.2f×" % (a[0] / b[0])


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


# MARK: Machine, versions, RESULTS.md

def _first_line(command):
    try:
        out = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=30).stdout
        return out.strip().splitlines()[0] if out.strip() else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = re.search(r"model name\s*:\s*(.*)", f.read()).group(1).strip()
    except (OSError, AttributeError):
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    load = os.getloadavg()[0]
    return "%s, %s, %d cores, %s RAM, load %.2f at start" % (platform.platform(), model, os.cpu_count(),
                                                           fmt_bytes(memory), load)


def versions(tools):
    """`name version` of each tool that a script used (helpcenter = git commit of this repository)."""
    known = {
        "helpcenter": lambda: "helpcenter " + _first_line(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]) + (
            " with uncommitted changes" if _first_line(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no", "--", ".",
                                                        ":!bench/RESULTS.md", ":!bench/*.svg"]) not in ("?", "") else ""),
        "swift": lambda: _first_line(["swift", "--version"]),
        "hugo": lambda: _first_line(["hugo", "version"]),
        "pagefind": lambda: _first_line([sys.executable, "-m", "pagefind", "--version"]),
        "libcmark": lambda: "libcmark " + _first_line(["pkg-config", "--modversion", "libcmark"]),
        "nginx": lambda: _first_line(["nginx", "-v"]),
        "wrk": lambda: " ".join(_first_line(["wrk", "-v"]).split()[:2]),
        "perf": lambda: _first_line(["perf", "--version"]),
        "libargon2": lambda: "libargon2 " + _first_line(["pkg-config", "--modversion", "libargon2"]),
        "chromium": lambda: _first_line(["sh", "-c", "chromium --version 2>/dev/null"]),
    }
    return "; ".join(known[t]() for t in tools)


def append_results(title, tools, notes, body, append=True):
    """Prints a section and appends it to bench/RESULTS.md (unless `append` is false): title with the
    date, machine, versions, notes."""
    text = "## %s, %s\n\nMachine: %s.\nVersions: %s.\n%s\n\n%s\n" % (
        title, datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), machine(), versions(tools), notes, body)
    print(text, flush=True)
    if append:
        with open(RESULTS, "a", encoding="utf-8") as f:
            f.write("\n" + text)


def save_json(work, name, data):
    with open(os.path.join(work, name), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1)


def load_json(work, name):
    try:
        with open(os.path.join(work, name), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


# MARK: Servers

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, process, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("server exited with status %s" % process.returncode)
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not listen on port %d within %d s" % (port, timeout))


class Background:
    """A server process in its own process group, stopped (SIGTERM, then SIGKILL) on exit."""

    def __init__(self, command, port, log_path, timeout=120, cwd=None):
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, cwd=cwd, start_new_session=True)
        try:
            wait_for_port(port, self.process, timeout)
        except Exception:
            self.stop()
            raise

    @property
    def pid(self):
        return self.process.pid

    def stop(self):
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
            except ProcessLookupError:
                pass
        self.log.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


SEARCH_LUA = """local queries = {%s}
local i = 0
request = function()
  i = i %% #queries + 1
  return wrk.format("GET", "/api/search?q=" .. queries[i])
end
"""


def wrk(url, threads, connections, duration, script=None):
    """(requests per second, p99 latency in ms, non-2xx responses + socket errors, wrk's output) of one
    wrk run; (None, None, None, "") when wrk did not finish."""
    command = ["wrk", "--threads", str(threads), "--connections", str(connections), "--duration", "%ds" % duration, "--latency"]
    command += (["--script", script] if script else []) + [url]
    try:
        out = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=duration + 60).stdout
    except subprocess.TimeoutExpired:
        log("wrk did not finish: %s" % url)
        return None, None, None, ""
    rate = float(re.search(r"Requests/sec:\s*([0-9.]+)", out).group(1))
    value, unit = re.search(r"^\s*99%\s+([0-9.]+)(us|ms|s)\s*$", out, re.M).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s*(\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rate, p99, errors, out


def serve_command(content, site, port, database, watch=False):
    command = [binary("helpcenter"), "serve", "--content", content, "--output", site, "--host", "127.0.0.1",
               "--port", str(port), "--database", database]
    return command + (["--watch"] if watch else [])


def process_cpu_seconds(pid):
    """User + system CPU seconds of a running process and its reaped children (from /proc)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / ticks


def common_arguments(parser, runs=3):
    parser.add_argument("--runs", type=int, default=runs, help="runs per figure (median, min, max); default %d" % runs)
    parser.add_argument("--work", help="folder for corpora and built sites (reused; default: a temporary folder)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds before one run is stopped and recorded as timed out")
    parser.add_argument("--no-append", action="store_true", help="print the table without appending it to bench/RESULTS.md")
    return parser


def article_counts(text):
    return [int(x.replace("k", "000")) for x in text.split(",") if x]
