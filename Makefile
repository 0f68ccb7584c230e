# tweets: common tasks. `make help` lists them.
.DEFAULT_GOAL := help
SHELL := /bin/bash

VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
BIN := bin/tweets
IMAGE ?= ghcr.io/tweetsdev/tweets
ENV ?= dev
OVERLAY ?= dev
COMPOSE ?= docker compose

##@ Develop
.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^##@/ {printf "\n%s\n", substr($$0, 5)} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: run
run: ## serve http://localhost:8000 on SQLite (demo / demo12345)
	go run ./cmd/tweets serve

.PHONY: build
build: ## build the static binary into bin/tweets
	CGO_ENABLED=0 go build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/tweets

.PHONY: test
test: ## run every test on SQLite and PostgreSQL, with the deployment kit's checks (starts what it needs)
	bash scripts/test.sh

.PHONY: lint
lint: ## gofmt, go vet, staticcheck and gosec
	bash scripts/lint.sh

.PHONY: validate
validate: ## check the deployment kit with real tools (promtool, nginx -t, terraform, actionlint, ...)
	bash scripts/validate/all.sh

.PHONY: engine-test
engine-test: ## build the image and terraform apply it on a Docker engine of its own (root; part of make test)
	bash scripts/engine-test.sh

.PHONY: stack-test
stack-test: ## two replicas, PostgreSQL, Redis, nginx and Prometheus as processes on loopback
	go test -count=1 -run TestStack -v ./deploy/stacktest

.PHONY: fuzz
fuzz: ## fuzz every target (tweet text, images, ids and cursors, forms, API params, OAuth) for FUZZTIME each (default 2m; about half an hour in all)
	FUZZTIME=$(or $(FUZZTIME),2m) bash scripts/fuzz.sh

.PHONY: reliability
reliability: ## load and fault scenarios (kill -9, PostgreSQL, Redis and S3 outages, full disk, rolling restart), 60 s of load each, and their figures (docs/reliability.md); TWEETS_RELIABILITY_DURATION=10s for a shorter run
	bash scripts/reliability.sh

.PHONY: bench
bench: ## benchmarks (docs/performance.md): hot paths, and the real server on seeded SQLite and PostgreSQL beside a same-size baseline; BENCH_QUICK=1 for a short run
	bash scripts/bench.sh

.PHONY: load-smoke
load-smoke: ## run the Locust scenario (deploy/load/) for a few seconds against a local server
	bash deploy/load/smoke.sh

##@ Operate
.PHONY: migrate
migrate: ## apply database migrations (same configuration as the server)
	go run ./cmd/tweets migrate

.PHONY: check-deploy
check-deploy: ## list unsafe production settings in the current environment
	go run ./cmd/tweets check --deploy

.PHONY: backup
backup: ## back up the database and media into backups/
	mkdir -p backups
	go run ./cmd/tweets backup --out backups/tweets-$$(date -u +%Y%m%dT%H%M%SZ).tar.gz

.PHONY: restore
restore: ## restore FILE=backups/... into an empty database and media directory
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/tweets-....tar.gz"; exit 2; }
	go run ./cmd/tweets restore $(FILE)

##@ Containers
.PHONY: image
image: ## build the container image $(IMAGE):$(VERSION)
	docker build --build-arg VERSION=$(VERSION) -t $(IMAGE):$(VERSION) .

.PHONY: image-prebuilt
image-prebuilt: build ## build tweets:local from bin/tweets, on scratch, with no registry (offline)
	sed '1{/^# syntax=/d}' Dockerfile > bin/Dockerfile
	DOCKER_BUILDKIT=1 docker build -f bin/Dockerfile --build-arg BINARY=prebuilt --build-arg RUNTIME_BASE=scratch -t tweets:local bin

.PHONY: up
up: ## start web, PostgreSQL, Redis and nginx with Compose
	$(COMPOSE) up -d --build

.PHONY: up-dev
up-dev: ## start the development stack (live rebuild, database port open)
	$(COMPOSE) -f compose.yaml -f compose.dev.yaml up --build

.PHONY: up-monitoring
up-monitoring: ## start the stack with Prometheus, Alertmanager and Grafana
	$(COMPOSE) --profile monitoring up -d --build

.PHONY: up-logging
up-logging: ## the monitoring stack plus Loki and Alloy (every container's logs in Grafana)
	$(COMPOSE) --profile monitoring --profile logging up -d --build

.PHONY: down
down: ## stop the Compose stack (volumes are kept)
	$(COMPOSE) --profile monitoring --profile logging down

.PHONY: logs
logs: ## follow the web service's logs
	$(COMPOSE) logs -f web

##@ Deploy
# prod serves staging and production from one configuration: pick the
# variables with TFVARS=staging|production and the state with
# BACKEND=path/to/backend.hcl (see deploy/terraform/README.md).
TF_DIR = deploy/terraform/environments/$(ENV)
TF_VARS = $(if $(TFVARS),-var-file=$(TFVARS).tfvars)
TF_BACKEND = $(if $(BACKEND),-backend-config=$(abspath $(BACKEND)))

.PHONY: tf-init
tf-init: ## terraform init for ENV=dev|prod [BACKEND=backend.hcl]
	terraform -chdir=$(TF_DIR) init $(TF_BACKEND)

.PHONY: tf-plan
tf-plan: ## terraform plan for ENV=dev|prod [TFVARS=staging|production]
	terraform -chdir=$(TF_DIR) plan $(TF_VARS) -out=tfplan

.PHONY: tf-apply
tf-apply: ## terraform apply the saved plan for ENV=dev|prod
	terraform -chdir=$(TF_DIR) apply tfplan

# The overlays' namespaces (deploy/k8s/overlays/*/kustomization.yaml).
K8S_NAMESPACE = $(if $(filter prod,$(OVERLAY)),tweets,tweets-$(OVERLAY))

.PHONY: k8s-diff
k8s-diff: ## kubectl diff of OVERLAY=dev|prod against the cluster
	kubectl diff -k deploy/k8s/overlays/$(OVERLAY)

.PHONY: k8s-apply
k8s-apply: ## kubectl apply OVERLAY=dev|prod (re-runs the migration Job)
	# A Job cannot be changed in place: delete the last migration run first.
	kubectl delete job tweets-migrate --ignore-not-found -n $(K8S_NAMESPACE)
	kubectl apply -k deploy/k8s/overlays/$(OVERLAY)

.PHONY: clean
clean: ## remove build output
	rm -rf bin
