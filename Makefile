# Djembe: `make run` starts everything on embedded defaults; `make test` runs every test.
SHELL := /bin/bash
export PATH := $(PATH):/usr/local/go/bin
GO ?= go
# go.mod's toolchain line names the Go release with no known vulnerability reachable from our code;
# auto fetches it through the module proxy when the installed Go is older (some installs set local
# in their go.env). `make GOTOOLCHAIN=local ...` builds with the installed Go instead.
export GOTOOLCHAIN ?= auto
BIN := bin/djembe
# A count, not a duration: a duration races the fuzz coordinator's deadline in Go 1.26 (go.dev/issue/75804)
# and fails with "context deadline exceeded" though nothing was found.
FUZZTIME ?= 50000x

.PHONY: run test build deps-run deps-test unit race fuzz bench vet vuln clean

build:
	$(GO) build -o $(BIN) ./cmd/djembe

deps-run:
	@scripts/deps.sh run

deps-test:
	@scripts/deps.sh test

## run: start tracker, projectors and web on embedded NATS + PostgreSQL in ./data
run: deps-run build
	./$(BIN) serve $(ARGS)

## test: every test (unit, integration on real NATS/PostgreSQL, end to end with real clients, the site in a
## real headless Chromium) and short fuzz runs
test: deps-test vet unit race fuzz

# deps-test has installed Chromium, so under make test a browser test without one fails instead of skipping.
test: export DJEMBE_REQUIRE_BROWSER := 1

vet:
	$(GO) vet ./...

unit:
	$(GO) test -count=1 -timeout 30m ./...

# The packages with concurrency of their own, again under the race detector.
RACE_PACKAGES := ./tracker ./projections/... ./internal/eventlog ./internal/app ./internal/peerkeys

race:
	$(GO) test -count=1 -race -timeout 30m $(RACE_PACKAGES)

# Every fuzz target (package:Target), each run for FUZZTIME executions; `make fuzz FUZZTIME=5000000x` for a longer run.
# Each starts from its committed seed corpus (PACKAGE/testdata/fuzz/TARGET), which `make unit` also runs.
FUZZ_TARGETS := ./domain:FuzzAnnounceBatch ./domain:FuzzOpenAddrs ./tracker:FuzzParseAnnounce ./tracker:FuzzParseScrape ./tracker:FuzzPeerAddr ./commands:FuzzParseTorrent

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  echo "fuzz $${t#*:} in $${t%%:*} for $(FUZZTIME)"; \
	  $(GO) test -run='^$$' -fuzz="^$${t#*:}$$" -fuzztime=$(FUZZTIME) $${t%%:*}; \
	done

## bench: go benchmarks (speed and memory); see README for the load command
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

## vuln: govulncheck against the Go vulnerability database (VULNDB=file:///copy for a local one); not part of test
vuln:
	@scripts/vuln.sh

clean:
	rm -rf bin
