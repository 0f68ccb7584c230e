#!/bin/sh
# Render the nginx configuration for tweets from nginx.conf.template.
#
# Used three ways:
#   * compose.yaml runs it as the nginx container's entrypoint with --exec;
#   * tests run nginx as an unprivileged process on loopback:
#       NGINX_OUT_DIR=$tmp NGINX_LISTEN=127.0.0.1:18080 \
#       TWEETS_UPSTREAMS=127.0.0.1:18001,127.0.0.1:18002 \
#       TWEETS_MEDIA_ROOT=$tmp/media deploy/nginx/render.sh --check
#       nginx -c "$tmp/nginx.conf" -p "$tmp"
#   * scripts/validate/nginx.sh renders and checks it with `nginx -t`.
#
# Options: --check runs `nginx -t` on the result; --exec then execs nginx in
# the foreground (for containers). POSIX sh: it also runs in nginx:alpine.
#
# Environment (all optional; defaults suit a local unprivileged run):
#   NGINX_OUT_DIR      where to write nginx.conf and snippets (default: ./nginx-rendered)
#   NGINX_RUN_DIR      temp files (default: $NGINX_OUT_DIR/run)
#   NGINX_PID          pid file (default: $NGINX_RUN_DIR/nginx.pid; Debian's
#                      nginx.service expects /run/nginx.pid)
#   NGINX_ERROR_LOG    default $NGINX_RUN_DIR/error.log (containers: /dev/stderr)
#   NGINX_ACCESS_LOG   default $NGINX_RUN_DIR/access.log (containers: /dev/stdout)
#   NGINX_USER         worker user when started as root (e.g. nginx); default none
#   NGINX_LISTEN       default 8080
#   NGINX_SERVER_NAME  default _
#   NGINX_CLIENT_MAX_BODY_SIZE  default 10m (TWEETS_MAX_UPLOAD_BYTES is 8 MiB)
#   NGINX_REAL_IP_FROM comma list of CIDRs of a trusted outer load balancer:
#                      its X-Forwarded-For and X-Forwarded-Proto are believed
#   NGINX_TLS_CERT, NGINX_TLS_KEY  enable TLS on NGINX_TLS_LISTEN (default 8443);
#                      NGINX_LISTEN then redirects to HTTPS
#   NGINX_PUBLIC_HTTPS_PORT  the HTTPS port clients see, for that redirect
#                      (default 443)
#   NGINX_ACME_ROOT    certbot's webroot, served at /.well-known/acme-challenge/
#                      (default /var/www/acme)
#   NGINX_RESOLVER     DNS server address: re-resolve the replicas' names
#                      while running (Compose: 127.0.0.11); default none
#   NGINX_MIME_TYPES   default /etc/nginx/mime.types
#   TWEETS_UPSTREAMS   comma list of host:port of the replicas (default web:8000;
#                      in Compose the name "web" resolves to every replica;
#                      with NGINX_RESOLVER again while nginx runs)
#   TWEETS_MEDIA_ROOT  media directory, read-only (default /srv/tweets/media)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
check=0
exec_nginx=0
for arg in "$@"; do
	case "$arg" in
	--check) check=1 ;;
	--exec) exec_nginx=1 ;;
	*)
		echo "usage: $0 [--check] [--exec]" >&2
		exit 2
		;;
	esac
done

out=${NGINX_OUT_DIR:-$PWD/nginx-rendered}
mkdir -p "$out"
out=$(cd "$out" && pwd)

NGINX_RUN_DIR=${NGINX_RUN_DIR:-$out/run}
NGINX_PID=${NGINX_PID:-$NGINX_RUN_DIR/nginx.pid}
NGINX_ERROR_LOG=${NGINX_ERROR_LOG:-$NGINX_RUN_DIR/error.log}
NGINX_ACCESS_LOG=${NGINX_ACCESS_LOG:-$NGINX_RUN_DIR/access.log}
NGINX_LISTEN=${NGINX_LISTEN:-8080}
NGINX_SERVER_NAME=${NGINX_SERVER_NAME:-_}
NGINX_CLIENT_MAX_BODY_SIZE=${NGINX_CLIENT_MAX_BODY_SIZE:-10m}
NGINX_TLS_LISTEN=${NGINX_TLS_LISTEN:-8443}
NGINX_PUBLIC_HTTPS_PORT=${NGINX_PUBLIC_HTTPS_PORT:-443}
NGINX_ACME_ROOT=${NGINX_ACME_ROOT:-/var/www/acme}
NGINX_MIME_TYPES=${NGINX_MIME_TYPES:-/etc/nginx/mime.types}
TWEETS_UPSTREAMS=${TWEETS_UPSTREAMS:-web:8000}
TWEETS_MEDIA_ROOT=${TWEETS_MEDIA_ROOT:-/srv/tweets/media}

NGINX_USER_DIRECTIVE=""
if [ -n "${NGINX_USER:-}" ]; then
	NGINX_USER_DIRECTIVE="user ${NGINX_USER};"
fi

# One "server" line per replica. With a resolver, names are followed while
# nginx runs ("resolve"); addresses need no resolving.
resolve=""
NGINX_RESOLVER_DIRECTIVE=""
if [ -n "${NGINX_RESOLVER:-}" ]; then
	resolve=" resolve"
	NGINX_RESOLVER_DIRECTIVE="resolver ${NGINX_RESOLVER} valid=10s ipv6=off;"
fi
TWEETS_UPSTREAM_SERVERS=""
old_ifs=$IFS
IFS=,
for u in $TWEETS_UPSTREAMS; do
	u=$(printf '%s' "$u" | tr -d ' ')
	[ -n "$u" ] || continue
	r=""
	case "${u%:*}" in
	*[!0-9.]*) r=$resolve ;; # a name, not an IPv4 address
	esac
	TWEETS_UPSTREAM_SERVERS="${TWEETS_UPSTREAM_SERVERS}server ${u} max_fails=0${r};
        "
done
NGINX_REAL_IP_DIRECTIVES=""
NGINX_TRUSTED_PROXIES=""
for c in ${NGINX_REAL_IP_FROM:-}; do
	c=$(printf '%s' "$c" | tr -d ' ')
	[ -n "$c" ] || continue
	NGINX_REAL_IP_DIRECTIVES="${NGINX_REAL_IP_DIRECTIVES}set_real_ip_from ${c};
    "
	NGINX_TRUSTED_PROXIES="${NGINX_TRUSTED_PROXIES}${c} 1;
        "
done
IFS=$old_ifs
if [ -z "$TWEETS_UPSTREAM_SERVERS" ]; then
	echo "render.sh: TWEETS_UPSTREAMS is empty" >&2
	exit 1
fi

tls=0
NGINX_LISTEN_DIRECTIVES="listen ${NGINX_LISTEN} default_server;"
NGINX_HTTP_SERVER=""
if [ -n "${NGINX_TLS_CERT:-}" ] || [ -n "${NGINX_TLS_KEY:-}" ]; then
	if [ -z "${NGINX_TLS_CERT:-}" ] || [ -z "${NGINX_TLS_KEY:-}" ]; then
		echo "render.sh: set both NGINX_TLS_CERT and NGINX_TLS_KEY" >&2
		exit 1
	fi
	tls=1
	NGINX_LISTEN_DIRECTIVES="include tls.conf;"
	NGINX_HTTP_SERVER="include http-redirect.conf;"
fi
NGINX_HTTPS_PORT_SUFFIX=""
[ "$NGINX_PUBLIC_HTTPS_PORT" = 443 ] || NGINX_HTTPS_PORT_SUFFIX=":$NGINX_PUBLIC_HTTPS_PORT"
NGINX_RESOLVER=$NGINX_RESOLVER_DIRECTIVE

export NGINX_USER_DIRECTIVE NGINX_RUN_DIR NGINX_PID NGINX_ERROR_LOG NGINX_ACCESS_LOG \
	NGINX_LISTEN NGINX_SERVER_NAME NGINX_CLIENT_MAX_BODY_SIZE NGINX_REAL_IP_DIRECTIVES \
	NGINX_TRUSTED_PROXIES NGINX_RESOLVER NGINX_LISTEN_DIRECTIVES NGINX_HTTP_SERVER \
	NGINX_ACME_ROOT NGINX_HTTPS_PORT_SUFFIX NGINX_TLS_LISTEN TWEETS_UPSTREAM_SERVERS TWEETS_MEDIA_ROOT
export NGINX_TLS_CERT="${NGINX_TLS_CERT:-}" NGINX_TLS_KEY="${NGINX_TLS_KEY:-}"

# Only our placeholders are substituted; nginx's own $variables stay.
# shellcheck disable=SC2016 # literal ${NAME}s: envsubst's list of variables
vars='${NGINX_USER_DIRECTIVE} ${NGINX_RUN_DIR} ${NGINX_PID} ${NGINX_ERROR_LOG} ${NGINX_ACCESS_LOG} ${NGINX_LISTEN} ${NGINX_SERVER_NAME} ${NGINX_CLIENT_MAX_BODY_SIZE} ${NGINX_REAL_IP_DIRECTIVES} ${NGINX_TRUSTED_PROXIES} ${NGINX_RESOLVER} ${NGINX_LISTEN_DIRECTIVES} ${NGINX_HTTP_SERVER} ${NGINX_ACME_ROOT} ${NGINX_HTTPS_PORT_SUFFIX} ${NGINX_TLS_LISTEN} ${NGINX_TLS_CERT} ${NGINX_TLS_KEY} ${TWEETS_UPSTREAM_SERVERS} ${TWEETS_MEDIA_ROOT}'

mkdir -p "$out/snippets" "$NGINX_RUN_DIR"
envsubst "$vars" <"$here/nginx.conf.template" >"$out/nginx.conf"
if [ "$tls" = 1 ]; then
	envsubst "$vars" <"$here/tls.conf.template" >"$out/tls.conf"
	envsubst "$vars" <"$here/http-redirect.conf.template" >"$out/http-redirect.conf"
fi
cp "$here"/snippets/*.conf "$out/snippets/"
if [ ! -f "$out/mime.types" ]; then
	cp "$NGINX_MIME_TYPES" "$out/mime.types"
fi

if [ "$check" = 1 ]; then
	nginx -t -q -c "$out/nginx.conf" -p "$out"
fi
if [ "$exec_nginx" = 1 ]; then
	exec nginx -c "$out/nginx.conf" -p "$out" -g 'daemon off;'
fi
