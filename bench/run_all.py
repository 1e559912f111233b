#!/usr/bin/env python3
"""Runs every benchmark of bench/ (`make bench`): installs what they need, builds the release binaries,
then build.py, scaling.py, search.py, serve.py, reset.py and rebuild.py one after the other on one shared
work folder (corpora are generated once). Each appends its table to bench/RESULTS.md; this script then
appends how long each step took.

Setup: Debian packages (apt-get update, then install: hugo, nginx, wrk, linux-perf, time, gcc,
pkg-config, libcmark-dev, libxml2-dev, zlib1g-dev, libssl-dev, libargon2-dev, chromium, chromium-driver,
python3-venv) when a command or library is missing; Pagefind and Selenium into the virtual environment
bench/.venv (Debian's pip refuses system-wide installs); `swift build -c release` of helpcenter and
search-benchmark (skipped when HELPCENTER_BIN is set), in the background once the libraries it links are
there, while the rest is installed and the corpora are generated. The scripts then run with bench/.venv's
Python. Outputs of timed runs are moved into WORK/.trash and deleted in the background at the end (see common.set_aside).

    python3 bench/run_all.py              # the full run: 1k, 10k and 50k articles, 3 runs per figure (1 at 50k)
    python3 bench/run_all.py --quick      # 1,000 articles (3,000 too for scaling), 2 runs, short loads: a few minutes
    python3 bench/run_all.py --only build,serve --runs 5
"""
import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
VENV = os.path.join(BENCH, ".venv")
STEPS = ["build", "scaling", "search", "serve", "load", "reset", "rebuild"]  # rebuild takes over the 10k site build.py left: last
# command or pkg-config module → Debian package
NEEDS = {"hugo": "hugo", "nginx": "nginx", "wrk": "wrk", "perf": "linux-perf", "/usr/bin/time": "time", "cc": "gcc",
         "pkg-config": "pkg-config", "chromium": "chromium", "chromedriver": "chromium-driver"}
LIBRARIES = {"libcmark": "libcmark-dev", "libcrypto": "libssl-dev", "libargon2": "libargon2-dev", "libxml-2.0": "libxml2-dev",
             "zlib": "zlib1g-dev"}
BUILD_LIBRARIES = {"libcmark", "libargon2", "libxml-2.0", "zlib"}  # what `swift build` links (the rest is for bench/*.c)
PYTHON_PACKAGES = ["pagefind[extended]==1.5.2", "selenium>=4.20,<5"]


def log(message):
    print("[%s] run_all: %s" % (time.strftime("%H:%M:%S"), message), file=sys.stderr, flush=True)


def apt_install(packages, updated):
    """apt-get install `packages` (apt-get update first, once per run); returns whether it updated."""
    if not packages:
        return updated
    sudo = [] if os.getuid() == 0 else ["sudo"]
    log("installing %s" % " ".join(packages))
    if not updated:
        subprocess.run(sudo + ["apt-get", "update", "-q"], check=True)
    subprocess.run(sudo + ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q"] + packages, check=True)
    return True


def setup(skip_browser, work, corpora):
    """Installs what is missing and builds the release binaries. The build (minutes on a fresh clone) runs
    in the background once the libraries it links are installed, while the other packages, the Python
    packages and the corpora (`corpora`: article counts, generated into `work`) are made. On failure the
    build is stopped (it holds SwiftPM's lock on .build)."""
    if not shutil.which("swift"):
        sys.exit("swift is not installed (https://www.swift.org/install/linux/)")
    updated = False
    build_libraries = {m: p for m, p in LIBRARIES.items() if m in BUILD_LIBRARIES}
    if not shutil.which("pkg-config") or any(subprocess.run(["pkg-config", "--exists", m]).returncode != 0 for m in build_libraries):
        updated = apt_install(sorted(set(build_libraries.values()) | {"pkg-config"}), updated)
    build, build_log_path = None, os.path.join(work, "release-build.log")
    if not os.environ.get("HELPCENTER_BIN"):
        log("swift build -c release (in the background; log in %s)" % build_log_path)
        with open(build_log_path, "w") as build_log:
            build = subprocess.Popen(["swift", "build", "-c", "release"],
                                     cwd=ROOT, stdout=build_log, stderr=subprocess.STDOUT)
    try:
        needs = {c: p for c, p in NEEDS.items() if not (skip_browser and p in ("chromium", "chromium-driver"))}
        missing = {p for c, p in needs.items() if not shutil.which(c)}
        for module, package in LIBRARIES.items():
            if not shutil.which("pkg-config") or subprocess.run(["pkg-config", "--exists", module]).returncode != 0:
                missing.add(package)
        missing = sorted(missing)
        venv_python = os.path.join(VENV, "bin", "python")
        if not os.path.exists(venv_python) and subprocess.run([sys.executable, "-c", "import ensurepip"]).returncode != 0:
            missing.append("python3-venv")
        apt_install(missing, updated)
        if not os.path.exists(venv_python):
            log("creating %s" % VENV)
            subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
        check = "import pagefind, selenium" if not skip_browser else "import pagefind"
        if subprocess.run([venv_python, "-c", check], stderr=subprocess.DEVNULL).returncode != 0:
            log("pip install %s" % " ".join(PYTHON_PACKAGES))
            subprocess.run([venv_python, "-m", "pip", "install", "-q"] + PYTHON_PACKAGES, check=True)
        sys.path.insert(0, BENCH)
        import common
        for articles in corpora:
            common.corpus(work, articles)
        if build and build.wait() != 0:
            with open(build_log_path, encoding="utf-8", errors="replace") as f:
                sys.stderr.write(f.read()[-4000:])
            sys.exit("swift build -c release failed (above: the end of its log)")
        return venv_python
    finally:
        if build and build.poll() is None:
            build.terminate()
            build.wait()


def plan(args):
    """The command line of each step."""
    common = ["--work", args.work, "--timeout", str(args.timeout)]
    runs = ["--runs", str(args.runs)]
    if args.quick:
        return {
            "build": ["--articles", "1000", "--runs", "2"],
            "scaling": ["--articles", "1000,3000", "--runs", "2", "--profile-articles", "1000", "--charts", args.work],
            "rebuild": ["--articles", "1000", "--runs", "2"],
            "search": ["--articles", "1000", "--runs", "2", "--browser-queries", "0" if args.no_browser else "30"],
            "serve": ["--articles", "1000", "--runs", "2", "--duration", "3"],
            "load": ["--quick"],
            "reset": ["--runs", "2", "--walkthroughs", "4", "--concurrency", "4", "--hashes", "5"],
        }, common
    return {
        "build": ["--articles", args.articles, "--big-runs", "1"] + runs,
        "scaling": ["--articles", args.articles, "--profile-articles", str(args.large)] + runs,
        "rebuild": ["--articles", str(args.large)] + runs,
        "search": ["--articles", str(args.large), "--build-runs", "1", "--browser-queries", "0" if args.no_browser else "10"] + runs,
        "serve": ["--articles", str(args.large), "--duration", "4"] + runs,
        "load": ["--articles", str(args.large), "--duration", "4", "--runs", "2"],
        "reset": ["--walkthroughs", "6", "--concurrency", "3"] + runs,
    }, common


def main():
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--quick", action="store_true", help="1,000 articles (3,000 too for scaling), 2 runs, short loads (a few minutes); the charts go into the work folder, not bench/")
    parser.add_argument("--articles", default="1000,10000,50000", help="article counts of the full-build and scaling benchmarks")
    parser.add_argument("--large", type=int, default=10000, help="articles of the rebuild, search, serving and profile benchmarks")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median, min, max)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds before one timed run is stopped and recorded as timed out")
    parser.add_argument("--only", default=",".join(STEPS), help="comma-separated steps: " + ", ".join(STEPS))
    parser.add_argument("--no-browser", action="store_true", help="search without the headless-browser figures (no Chromium needed)")
    parser.add_argument("--skip-setup", action="store_true", help="use the tools and binaries as they are; run with this Python")
    parser.add_argument("--work", help="work folder (kept); default: a temporary folder, removed at the end")
    args = parser.parse_args()
    steps = [s for s in args.only.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        sys.exit("unknown steps: %s" % ", ".join(sorted(unknown)))
    started = time.monotonic()
    keep = bool(args.work)
    args.work = os.path.abspath(args.work) if args.work else tempfile.mkdtemp(prefix="helpcenter-bench-")
    os.makedirs(args.work, exist_ok=True)
    # The corpora of the chosen steps: build and scaling use --articles; rebuild, search and serve --large.
    sizes = set()
    if {"build", "scaling"} & set(steps):
        sizes |= {1000} if args.quick else {int(n.replace("k", "000")) for n in args.articles.split(",") if n}
    if {"rebuild", "search", "serve", "load"} & set(steps):
        sizes |= {1000} if args.quick else {args.large}
    timings, failed = [], []
    try:
        python = sys.executable if args.skip_setup else setup(args.no_browser or "search" not in steps, args.work, sorted(sizes))
        setup_seconds = time.monotonic() - started
        commands, common = plan(args)
        for step in steps:
            log("%s: %s" % (step, " ".join(commands[step])))
            start = time.monotonic()
            try:
                status = subprocess.run([python, os.path.join(BENCH, step + ".py")] + commands[step] + common, timeout=3600,
                                        env=dict(os.environ, BENCH_KEEP_TRASH="1")).returncode
            except subprocess.TimeoutExpired:
                status = "timed out after 1 h"
            timings.append((step, time.monotonic() - start, status))
            if status != 0:
                failed.append(step)
                log("%s failed (%s)" % (step, status))
    finally:
        # Deleted by a detached `rm -rf` once the timed runs are over: hundreds of thousands of files take
        # this machine a minute or two, and nothing here waits for it.
        leftover = args.work if not keep else os.path.join(args.work, ".trash")
        if os.path.exists(leftover):
            log("deleting %s in the background" % leftover)
            subprocess.Popen(["rm", "-rf", leftover], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    total = time.monotonic() - started
    lines = ["## All benchmarks, %s\n" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
             "`python3 bench/run_all.py %s`: %.1f min in all (setup, release build and corpora %.1f min)%s.\n" % (
                 " ".join(sys.argv[1:]), total / 60, setup_seconds / 60, "; FAILED: " + ", ".join(failed) if failed else ""),
             "| step | minutes | exit status |", "| --- | --- | --- |"]
    lines += ["| %s | %.1f | %s |" % (step, seconds / 60, status) for step, seconds, status in timings]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(os.path.join(BENCH, "RESULTS.md"), "a", encoding="utf-8") as f:
        f.write("\n" + text)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
