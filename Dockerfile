# syntax=docker/dockerfile:1
#
# tweets container image: a static Go binary on distroless, non-root.
#
#   docker build -t tweets:dev .
#   docker buildx build --platform linux/amd64,linux/arm64 -t ghcr.io/tweetsdev/tweets:TAG --push .
#
# Stages: build (compiles for the target platform on the build platform, so
# multi-arch builds need no emulation), prebuilt (takes a static binary that
# was built outside), dev (toolchain + live rebuild, used by compose.dev.yaml
# only) and the final runtime stage, the default target.
#
# Offline, where golang and distroless cannot be pulled (make image-prebuilt,
# scripts/engine-test.sh), the context is bin/ with a static bin/tweets:
#
#   CGO_ENABLED=0 go build -trimpath -o bin/tweets ./cmd/tweets
#   DOCKER_BUILDKIT=1 docker build -f Dockerfile --build-arg BINARY=prebuilt \
#       --build-arg RUNTIME_BASE=scratch -t tweets:local bin
#
# scratch stands in for distroless/static there: both hold no shell and no
# package manager; distroless adds CA certificates, time zones and an
# /etc/passwd entry for 65532, which the server does not need to start.

ARG GO_VERSION=1.26
# Where /out/tweets comes from: the build stage, or the prebuilt one.
ARG BINARY=build
ARG RUNTIME_BASE=gcr.io/distroless/static-debian12:nonroot

FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-bookworm AS build
WORKDIR /src
# Modules first: this layer stays cached until go.mod or go.sum change.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG VERSION=dev
# Static (CGO_ENABLED=0), reproducible paths (-trimpath), no debug symbols.
# -X main.version is ignored by the linker if the program has no such variable.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH \
    go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/tweets ./cmd/tweets
# The data and media directories, owned by the runtime user: named volumes
# mounted there start with this ownership.
RUN mkdir -p /out/data/media

# A static binary built outside (CGO_ENABLED=0), with the build context
# holding only it.
FROM scratch AS prebuilt
COPY tweets /out/tweets
WORKDIR /out/data/media

FROM ${BINARY} AS binary

# Development: the Go toolchain and a rebuild-on-change loop over the source
# bind-mounted at /src (see compose.dev.yaml). Never shipped.
FROM golang:${GO_VERSION}-bookworm AS dev
RUN mkdir -p /cache/bin /data/media && chown -R 65532:65532 /cache /data
ENV CGO_ENABLED=0 \
    GOFLAGS=-buildvcs=false \
    GOCACHE=/cache/go-build \
    GOMODCACHE=/cache/mod \
    HOME=/cache \
    TWEETS_DATA_DIR=/data
COPY deploy/compose/dev-entrypoint.sh /usr/local/bin/tweets-dev
USER 65532:65532
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/tweets-dev"]
CMD ["serve"]

# Runtime: no shell, no package manager; the binary has its own health check.
FROM ${RUNTIME_BASE} AS runtime
ARG VERSION=dev
ARG REVISION=unknown
ARG CREATED=unknown
LABEL org.opencontainers.image.title="tweets" \
      org.opencontainers.image.description="A small Twitter-like microblogging server" \
      org.opencontainers.image.source="https://github.com/tweetsdev/tweets" \
      org.opencontainers.image.url="https://github.com/tweetsdev/tweets" \
      org.opencontainers.image.documentation="https://github.com/tweetsdev/tweets/blob/main/docs/deploy.md" \
      org.opencontainers.image.vendor="tweetsdev" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}"

COPY --from=binary /out/tweets /tweets
COPY --from=binary --chown=65532:65532 /out/data /data

ENV TWEETS_ADDR=:8000 \
    TWEETS_ADMIN_ADDR=:9000 \
    TWEETS_DATA_DIR=/data \
    TWEETS_MEDIA_DIR=/data/media \
    TWEETS_LOG_FORMAT=json

# distroless "nonroot" is uid/gid 65532.
USER 65532:65532
# 8000: the site (behind nginx). 9000: /metrics and /debug/pprof/, never public.
EXPOSE 8000 9000
# Only state: the database (SQLite, when no PostgreSQL is configured) and
# uploaded media, which nginx may share read-only.
VOLUME ["/data", "/data/media"]

# GET /readyz on TWEETS_ADDR, the listener users reach, naming the first of
# TWEETS_ALLOWED_HOSTS as Host: that listener answers no other host.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["/tweets", "healthcheck"]

ENTRYPOINT ["/tweets"]
CMD ["serve"]
