# tweets: common tasks. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN := bin/tweets

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
run: ## serve http://localhost:8000 on SQLite (demo / demo12345)
	go run ./cmd/tweets serve

.PHONY: build
build: ## build the static binary into bin/tweets
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/tweets

.PHONY: test
test: ## run every test on SQLite and PostgreSQL (starts the servers it needs)
	bash scripts/test.sh

.PHONY: lint
lint: ## gofmt, go vet and staticcheck
	bash scripts/lint.sh

.PHONY: bench
bench: ## benchmarks: store, page rendering and HTTP throughput, as ratios
	bash scripts/bench.sh

.PHONY: migrate
migrate: ## apply database migrations
	go run ./cmd/tweets migrate

.PHONY: clean
clean: ## remove build output
	rm -rf bin
