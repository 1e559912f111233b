# The commands of the README: `make run` (build the help center and serve it with the demo
# walkthrough on http://127.0.0.1:8080/), `make test` (every test) and `make bench` (every benchmark;
# `make bench BENCH_ARGS=--quick` for a short one).
# Each installs the system libraries it needs (Debian packages) when pkg-config cannot find them.
# `make fuzz` runs every libFuzzer harness of Fuzz/ (FUZZ_SECONDS each, default 60) and fails on a crash,
# an input slower than 1 s, a leak or 2 GiB resident; artifacts and logs go to test-output/fuzz/.
# `make test` ends with the browser end-to-end suite (`make e2e`, Tests/e2e), which installs Chromium,
# chromedriver, a Java runtime and python3-venv when missing, and its Python packages into .build/e2e-venv.

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libcmark-dev libxml2-dev zlib1g-dev libargon2-dev pkg-config
E2E_SYSTEM_PACKAGES := chromium chromium-driver default-jre-headless python3-venv
E2E_VENV := .build/e2e-venv

.PHONY: run test bench deps e2e e2e-deps fuzz fuzz-build

deps:
	@{ pkg-config --exists libcmark libxml-2.0 zlib libargon2 2>/dev/null && command -v node >/dev/null && command -v curl >/dev/null; } || { \
		echo "installing $(SYSTEM_PACKAGES) nodejs curl"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $(SYSTEM_PACKAGES) $$(command -v node >/dev/null || echo nodejs) curl; }

run: deps
	swift build -c release --product helpcenter
	.build/release/helpcenter build --content Content --output Site
	.build/release/helpcenter serve --content Content --output Site --demo

# One debug build with the tests (the executable the browser suite runs included), then the Swift
# tests without building again; Swift Testing only (no XCTest run that would report 0 tests). The
# Python environment comes first: the email tests start a real SMTP server (aiosmtpd) from it.
test: deps e2e-deps
	swift build --build-tests
	swift test --skip-build --disable-xctest
	$(MAKE) e2e

# The venv is made again whenever Tests/e2e/requirements.txt changes (Debian's pip refuses system installs).
e2e-deps:
	@{ command -v chromium && command -v chromedriver && command -v java && /usr/bin/python3 -c 'import ensurepip, venv'; } >/dev/null 2>&1 || { \
		echo "installing $(E2E_SYSTEM_PACKAGES)"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $(E2E_SYSTEM_PACKAGES); }
	@cmp -s Tests/e2e/requirements.txt $(E2E_VENV)/requirements.txt || { \
		echo "installing Tests/e2e/requirements.txt into $(E2E_VENV)"; \
		rm -rf $(E2E_VENV) && /usr/bin/python3 -m venv $(E2E_VENV) && \
		$(E2E_VENV)/bin/pip install -q --disable-pip-version-check -r Tests/e2e/requirements.txt && \
		cp Tests/e2e/requirements.txt $(E2E_VENV)/requirements.txt; }

# The browser suite alone: serves the help center (helpcenter serve --demo, free loopback port,
# temporary database) and drives headless Chromium; screenshots and pages checked go to test-output/.
e2e: deps e2e-deps
	swift build --build-tests
	cd Tests/e2e && PYTHONDONTWRITEBYTECODE=1 ../../$(E2E_VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: deps
	python3 bench/run_all.py $(BENCH_ARGS)

# libFuzzer harnesses (Fuzz/Package.swift, a package of its own that depends on this one by path, so
# `swift build` and `make test` never build them). Every module is built with the fuzzer and address
# sanitizers: SwiftPM passes `--sanitize` to swiftc as two flags of which only the last counts, hence
# the combined -Xswiftc flag (without it our Swift code has no coverage instrumentation).
FUZZ_SECONDS ?= 60
FUZZ_HARNESSES := FuzzFrontMatter FuzzMarkdown FuzzLinks FuzzSearch FuzzForm FuzzImport FuzzServerConfig
FUZZ_SCRATCH := .build-fuzz

fuzz-build: deps
	cd Fuzz && swift build -c release --scratch-path ../$(FUZZ_SCRATCH) \
		--sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address

fuzz: fuzz-build
	FUZZ_BIN=$(FUZZ_SCRATCH)/release Fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_HARNESSES)
