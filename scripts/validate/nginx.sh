#!/usr/bin/env bash
# nginx configuration (deploy/nginx/):
#   1. render.sh output for a local unprivileged run, checked with nginx -t;
#   2. the same with TLS on (a throw-away self-signed certificate), and as
#      docs/deploy.md renders it for a Debian host (user www-data, TLS);
#   3. the configuration Terraform renders (modules/load-balancer, through
#      `terraform console`), checked with nginx -t (its container-only paths,
#      the nginx user and /var/cache/nginx, are pointed at the temp dir);
#   4. Compose's rendering with a resolver (replicas re-resolved while nginx
#      runs): the upstream lines, and nginx -t where nginx is new enough;
#   5. smoke_test.py: nginx really running on 127.0.0.1 as an unprivileged
#      user, in front of two stub replicas, twice: on plain HTTP behind a
#      trusted outer balancer (X-Forwarded-Proto passed through only from
#      it, the application's HSTS and Referrer-Policy unchanged, 404 for
#      /metrics and /debug/, media allowed by the replica and sent from disk
#      by nginx, ACME challenges from the webroot, body size, rate limits),
#      then ending TLS itself (HTTP redirected to HTTPS but for ACME).
set -euo pipefail
# shellcheck source=scripts/validate/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_apt nginx nginx
ensure_apt envsubst gettext-base
ensure_apt openssl openssl
PATH="$PATH:/usr/sbin"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
render="$REPO_ROOT/deploy/nginx/render.sh"

log "nginx -t: local rendering (loopback, three replicas)"
NGINX_OUT_DIR="$work/plain" NGINX_LISTEN=127.0.0.1:18080 \
	TWEETS_UPSTREAMS=127.0.0.1:18001,127.0.0.1:18002,127.0.0.1:18003 \
	TWEETS_MEDIA_ROOT="$work/media" NGINX_REAL_IP_FROM=10.0.0.0/8 \
	sh "$render" --check

log "nginx -t: TLS rendering (self-signed certificate)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
	-keyout "$work/tls.key" -out "$work/tls.crt" >/dev/null 2>&1
NGINX_OUT_DIR="$work/tls" NGINX_LISTEN=127.0.0.1:18080 NGINX_TLS_LISTEN=127.0.0.1:18443 \
	NGINX_TLS_CERT="$work/tls.crt" NGINX_TLS_KEY="$work/tls.key" \
	TWEETS_UPSTREAMS=127.0.0.1:18001 TWEETS_MEDIA_ROOT="$work/media" \
	sh "$render" --check

log "nginx -t: rendering for a Debian host (systemd install of docs/deploy.md)"
if getent passwd www-data >/dev/null; then
	NGINX_OUT_DIR="$work/debian" NGINX_USER=www-data NGINX_PID="$work/debian/nginx.pid" \
		NGINX_RUN_DIR="$work/debian/run" NGINX_SERVER_NAME=tweets.example.com \
		TWEETS_UPSTREAMS=127.0.0.1:8000 TWEETS_MEDIA_ROOT=/var/lib/tweets/media \
		NGINX_TLS_CERT="$work/tls.crt" NGINX_TLS_KEY="$work/tls.key" NGINX_LISTEN=127.0.0.1:18081 \
		NGINX_TLS_LISTEN=127.0.0.1:18444 sh "$render" --check
else
	not_checked "rendering with NGINX_USER=www-data (no www-data user here)"
fi

log "rendering for Compose: replicas re-resolved through Docker's DNS"
NGINX_OUT_DIR="$work/compose" NGINX_LISTEN=127.0.0.1:18082 NGINX_RESOLVER=127.0.0.11 \
	TWEETS_UPSTREAMS=web:8000,127.0.0.1:18001 TWEETS_MEDIA_ROOT="$work/media" sh "$render"
grep -q 'resolver 127.0.0.11 valid=10s' "$work/compose/nginx.conf" || die "NGINX_RESOLVER gave no resolver line"
grep -q 'server web:8000 max_fails=0 resolve;' "$work/compose/nginx.conf" ||
	die "a replica's name is not re-resolved with NGINX_RESOLVER"
grep -q 'server 127.0.0.1:18001 max_fails=0;' "$work/compose/nginx.conf" ||
	die "an address must not carry resolve"
# "resolve" in an upstream of open-source nginx: 1.27.3 and later.
if printf '%s\n' 1.27.3 "$(nginx -v 2>&1 | sed 's#.*/##')" | sort -V -C; then
	nginx -t -q -c "$work/compose/nginx.conf" -p "$work/compose"
else
	not_checked "nginx -t of the resolver rendering: upstream \"resolve\" needs nginx 1.27.3 (Compose runs 1.27.5), this is $(nginx -v 2>&1 | sed 's#.*/##')"
fi

provider="$TOOLS_BIN/terraform-provider-docker"
if command -v terraform >/dev/null 2>&1 && [ -x "$provider" ]; then
	log "nginx -t: Terraform's rendering (modules/load-balancer, templatefile over 3 replicas)"
	cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "kreuzwerker/docker" = "$TOOLS_BIN"
  }
  direct {}
}
RC
	mkdir -p "$work/tf/run" "$work/tf/snippets"
	echo 'local.nginx_conf' |
		TF_CLI_CONFIG_FILE="$work/terraformrc" TF_DATA_DIR="$work/tfdata" CHECKPOINT_DISABLE=1 \
			terraform -chdir="$REPO_ROOT/deploy/terraform/modules/load-balancer" console \
			-var name_prefix=tweets-check -var network_name=n -var media_volume_name=m \
			-var 'upstreams=["127.0.0.1:18001","127.0.0.1:18002","127.0.0.1:18003"]' \
			2>/dev/null | sed -e '1{/^<<EOT$/d}' -e '${/^EOT$/d}' >"$work/tf/nginx.conf.raw"
	grep -q 'upstream tweets_app' "$work/tf/nginx.conf.raw" || die "terraform console did not render nginx.conf"
	[ "$(grep -c 'server 127.0.0.1:1800[123] max_fails' "$work/tf/nginx.conf.raw")" = 3 ] ||
		die "Terraform's nginx.conf does not have one server line per replica"
	sed -e 's#^user nginx;#user nobody nogroup;#' -e "s#/var/cache/nginx#$work/tf/run#g" \
		-e "s#/var/run/nginx.pid#$work/tf/run/nginx.pid#" \
		"$work/tf/nginx.conf.raw" >"$work/tf/nginx.conf"
	cp "$REPO_ROOT"/deploy/nginx/snippets/*.conf "$work/tf/snippets/"
	cp /etc/nginx/mime.types "$work/tf/"
	nginx -t -q -c "$work/tf/nginx.conf" -p "$work/tf"
else
	not_checked "nginx -t of Terraform's rendering (run terraform.sh first to build the provider)"
fi

log "smoke test: nginx on 127.0.0.1 in front of two stub replicas"
run_as=()
[ "$(id -u)" -ne 0 ] || run_as=(--run-as nobody)
python3 "$REPO_ROOT/deploy/nginx/smoke_test.py" "${run_as[@]}" >"$work/smoke.log" 2>&1 || {
	cat "$work/smoke.log" >&2
	die "nginx smoke test failed"
}
grep -c '^ok ' "$work/smoke.log" | sed 's/^/    checks passed: /' >&2

not_checked "nginx inside the nginx:1.27.5-alpine image (compose); nginx here is Debian's $(nginx -v 2>&1 | sed 's#.*/##')."
not_checked "certbot itself (no ACME server offline): the smoke test serves a challenge file from the webroot."
log "nginx: OK"
