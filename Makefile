# orderhub: the two commands are `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
TOOLS_VENV := .venv-tools

# Debian packages the build, the tests and the benchmarks need.
APT_PACKAGES := pkg-config libnghttp2-dev libprotobuf-c-dev protobuf-c-compiler protobuf-compiler \
	libprotobuf-dev libprotoc-dev libsqlite3-dev zlib1g-dev libjemalloc-dev nghttp2-client nghttp2-server \
	chromium chromium-driver curl wrk postgresql-15 postgresql-client-15 prometheus iproute2 nftables

# Only the benchmarks need these (the floor rows of bench-gateway); the tests do not.
BENCH_GATEWAY_APT_PACKAGES := nginx

# Installs the Debian packages of $(1) that are missing.
apt_install_missing = missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "apt-get install -y $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

.PHONY: all deps build release lint format test test-faults swift-test python-test examples protos check-protos asan fuzz run bench bench-rpc bench-orders bench-gateway bench-scale bench-feed clean

all: build

## deps: install missing Debian packages (apt-get) and the Python test packages (pip).
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "make deps: apt-get install -y $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@PIP_ROOT_USER_ACTION=ignore $(PYTHON) -m pip install -q --disable-pip-version-check -r Tests/python/requirements.txt
	@# checkov pins many packages of its own: it gets a virtualenv so it can't disturb the others.
	@test -x $(TOOLS_VENV)/bin/checkov || { $(PYTHON) -m venv $(TOOLS_VENV) && \
		$(TOOLS_VENV)/bin/pip install -q --disable-pip-version-check checkov; }

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

## test: every test the CI runs: Swift tests, then the Python tests against the real binaries.
## The PostgreSQL cases need a server: unless ORDERHUB_TEST_POSTGRES_URL names one already,
## a throwaway PostgreSQL 15 on loopback is started for the run and stopped after it, pass or fail.
test: deps build
	@if [ -n "$${ORDERHUB_TEST_POSTGRES_URL:-}" ]; then \
		$(MAKE) --no-print-directory swift-test python-test; \
	else \
		url=$$(scripts/test-postgres.sh start) || exit 1; \
		trap 'scripts/test-postgres.sh stop' EXIT; \
		echo "make test: PostgreSQL for the tests at $$url"; \
		ORDERHUB_TEST_POSTGRES_URL="$$url" $(MAKE) --no-print-directory swift-test python-test; \
	fi

swift-test:
	$(SWIFT) test --parallel

python-test: build examples
	cd Tests/python && $(PYTHON) -m pytest -q

## test-faults: the fault scenarios (docs/failure-modes.md): each service on its own network
## namespace, partitions, a frozen and a slow Payments, PostgreSQL restarts, a full disk,
## overload. Needs root; ~5 min. Results: .build/test-output/faults/results.jsonl, rendered
## into docs/failure-modes.md by `scripts/render-failure-modes.py`.
test-faults: deps build
	rm -f .build/test-output/faults/results.jsonl
	cd Tests/python && ORDERHUB_FAULT_TESTS=1 $(PYTHON) -m pytest -q faults

## examples: build examples/swift-client, a package that depends on this one (by path) for its
## OrderhubClient library; Tests/python/examples runs it and examples/python-client against
## `orderhub serve`. Its own scratch path, kept under .build so a rebuild is incremental.
EXAMPLES_BUILD ?= .build/examples
examples:
	$(SWIFT) build --package-path examples/swift-client --scratch-path $(EXAMPLES_BUILD)

## protos: regenerate all generated code (C from protoc-c, Swift from protoc-gen-orderhub).
protos:
	scripts/generate-protos.sh

## check-protos: fail when regenerating would change the committed tree.
check-protos: protos
	@git diff --exit-code --stat -- Sources Tests || { echo "generated code is stale: run make protos"; exit 1; }
	@test -z "$$(git status --porcelain -- Sources Tests)" || { git status --porcelain -- Sources Tests; echo "make protos created untracked files"; exit 1; }

## lint: check every hand-written Swift file against .swift-format (swift-format, shipped with
## the toolchain): layout and the style rules it enables. Generated code (Sources/*/Generated,
## the protoc-c bindings, Tests/Interop/InteropContracts/Generated) and the C targets are left out.
## format: rewrite those files in place so `make lint` passes.
LINT_FILES = $$(find Sources Tests examples -name '*.swift' -not -path '*/Generated/*' -not -path 'Sources/C*' \
	-not -name '*.pb-c.*' -not -path '*/.build/*' | sort) Package.swift
SWIFT_FORMAT = $(SWIFT) format
lint:
	$(SWIFT_FORMAT) lint --strict --recursive --parallel --configuration .swift-format $(LINT_FILES)

format:
	$(SWIFT_FORMAT) format --in-place --recursive --parallel --configuration .swift-format $(LINT_FILES)

## run: build (release by default) and start Payments and Orders with SQLite under ./data/;
## Ctrl-C stops them cleanly. ORDERHUB_* variables (e.g. ORDERHUB_DATA_DIR) change the defaults.
RUN_CONFIG ?= release
run: deps
	$(SWIFT) build -c $(RUN_CONFIG) --product orderhub
	@mkdir -p "$${ORDERHUB_DATA_DIR:-./data}"
	exec "$$($(SWIFT) build -c $(RUN_CONFIG) --show-bin-path)/orderhub" serve

## bench: every benchmark (bench-* targets); results under bench/results/.
bench: bench-rpc bench-orders bench-gateway bench-scale bench-feed

## bench-rpc: h2load against our health server (3 executor variants, over TLS, without metrics, with tracing), the Orders process, C++ gRPC, Python grpcio and nghttpd (~18 min),
## then a 2 M-call memory soak of ours. Options: BENCH_ARGS="--rounds 1 --no-soak …" (see bench/README.md).
bench-rpc:
	bench/rpc/prepare.sh
	$(PYTHON) bench/rpc/run.py $(BENCH_ARGS)

## asan: decode malformed, random and mutated input as every message type under AddressSanitizer.
asan:
	$(SWIFT) build --sanitize=address --scratch-path .build-asan --product contracts-decode-loop
	SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=1 .build-asan/debug/contracts-decode-loop 3000

## fuzz: every Fuzz/<Name> target with libFuzzer + ASan for FUZZ_SECONDS each (scripts/fuzz.sh).
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

## bench-orders: CreateOrder and GetOrder through h2load on the release build, next to the
## disk's own one-row durable insert rate, and GetOrder with vs without token verification;
## writes bench/results/orders-*.md and .json. Options: BENCH_ORDERS_ARGS="--only auth --runs 3 --no-build".
bench-orders: deps
	$(PYTHON) bench/orders_bench.py $(BENCH_ORDERS_ARGS)

## bench-feed: the order feed: 1,000 feed consumers while 1,000 orders/s are created (delivery
## latency p50/p99, Orders CPU and RSS), the same information through one WatchOrder per order,
## and 10,000 idle feed streams' memory; bench/results/feed-*. Options: BENCH_FEED_ARGS="--rate 200 --seconds 5".
bench-feed: deps
	$(PYTHON) bench/feed_bench.py $(BENCH_FEED_ARGS)

## bench-scale: CreateOrder on SQLite and on PostgreSQL with one and two Orders replicas (the
## real processes, h2load), and the PostgreSQL store's commit settings; bench/results/scale-*.
bench-scale: deps
	$(PYTHON) bench/scale_bench.py

clean:
	rm -rf .build .build-asan .build-fuzz

## bench-gateway: wrk through the REST gateway next to h2load straight to Orders, same run;
## the gateway's req/s as a ratio to direct RPC, its CPU per GET next to a plain SwiftNIO handler
## and nginx serving the same body, GetOrder over HTTPS next to cleartext, and its p99 at half its
## maximum rate. Options: BENCH_GATEWAY_ARGS="--seconds 10 --rounds 3 --inflight 32 --no-build
## --only floor --perf bench/results/gateway.perf". Results: bench/results/.
bench-gateway:
	@$(call apt_install_missing,$(BENCH_GATEWAY_APT_PACKAGES))
	$(PYTHON) bench/gateway/run.py $(BENCH_GATEWAY_ARGS)
