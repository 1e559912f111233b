# The commands of the README: `make run` (build the help center and serve it with the demo
# walkthrough on http://127.0.0.1:8080/), `make test` (every test) and `make bench` (every benchmark;
# `make bench BENCH_ARGS=--quick` for a short one).
# Both install the system libraries they need (Debian packages) when pkg-config cannot find them.

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libcmark-dev libxml2-dev zlib1g-dev libargon2-dev pkg-config

.PHONY: run test bench deps

deps:
	@{ pkg-config --exists libcmark libxml-2.0 zlib libargon2 2>/dev/null && command -v node >/dev/null; } || { \
		echo "installing $(SYSTEM_PACKAGES) nodejs"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $(SYSTEM_PACKAGES) $$(command -v node >/dev/null || echo nodejs); }

run: deps
	swift build -c release --product helpcenter
	.build/release/helpcenter build --content Content --output Site
	.build/release/helpcenter serve --content Content --output Site --demo

test: deps
	swift build
	swift test

bench: deps
	python3 bench/run_all.py $(BENCH_ARGS)
