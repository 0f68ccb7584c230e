#!/usr/bin/python3
"""Behaviour test of the rendered nginx configuration, on loopback only.

    deploy/nginx/smoke_test.py [--run-as nobody]

Renders deploy/nginx/ with render.sh into a temporary directory, starts two
stub "replicas" (HTTP servers on 127.0.0.1 that echo the request headers
they received, and answer /media/ as the application does behind nginx:
a 404 or an X-Accel-Redirect), runs nginx in the foreground on 127.0.0.1 in front of them,
checks what a client sees, then stops everything it started. No traffic
leaves 127.0.0.1. Standard library only.
"""

import argparse
import http.client
import http.server
import json
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Stub(http.server.BaseHTTPRequestHandler):
    """A replica: answers every request with the headers it received."""

    protocol_version = "HTTP/1.1"
    hits = {}
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        remaining = length
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 16))
            if not chunk:
                break
            remaining -= len(chunk)
        with Stub.lock:
            Stub.hits[self.path] = Stub.hits.get(self.path, 0) + 1
        if self.path.startswith("/media/"):
            self.media()
            return
        body = json.dumps({
            "replica": self.server.replica,
            "path": self.path,
            "method": self.command,
            "body_bytes": length,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            # Padding so that gzip has something to compress.
            "padding": "tweet " * 400,
        }).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        if not self.path.startswith("/bare"):
            # The application's own headers (web/middleware.go), which nginx
            # must pass unchanged and never duplicate; /bare stands for a
            # response without them.
            self.send_header("X-Frame-Options", "DENY")
            self.send_header("Referrer-Policy", APP_REFERRER_POLICY)
            self.send_header("Content-Security-Policy", APP_CSP)
            # As the application: HSTS when a trusted proxy says HTTPS.
            if self.headers.get("X-Forwarded-Proto") == "https":
                self.send_header("Strict-Transport-Security", APP_HSTS)
        self.end_headers()
        self.wfile.write(body)

    def media(self):
        """As the application with TWEETS_MEDIA_ACCEL_PREFIX=/_media/: a
        refused file is a 404 page; an allowed one is headers and an
        X-Accel-Redirect, with no body."""
        key = self.path[len("/media/"):]
        if key in MEDIA_REFUSED:
            body = b"<h1>Page not found</h1>"
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Cache-Control", MEDIA_CACHE.get(key, "public, max-age=31536000, immutable"))
        self.send_header("Content-Security-Policy", "default-src 'none'; sandbox")
        self.send_header("X-Accel-Redirect", "/_media/" + key)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = do_HEAD = handle_any


# The application's header values, distinct from nginx's fallbacks so that
# the test tells whose reached the client.
APP_REFERRER_POLICY = "same-origin"
APP_CSP = "default-src 'self'; script-src 'self'"
APP_HSTS = "max-age=63072000; includeSubDomains; preload"
NGINX_HSTS = "max-age=31536000; includeSubDomains"
ACME_TOKEN = "tok3n-Abc_123"
ACME_BODY = b"tok3n-Abc_123.key-authorization"

# Media files on disk that the stub application refuses (a suspended
# account's), and those it allows only privately (shown to an admin).
MEDIA_REFUSED = {"hidden123.png"}
MEDIA_CACHE = {"private123.png": "private, no-store"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def start_stub(replica):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Stub)
    srv.replica = replica
    srv.daemon_threads = True
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class Client:
    """HTTP(S) to nginx on 127.0.0.1, from source address `source` (the
    whole of 127.0.0.0/8 is local: 127.0.0.2 plays the trusted outer load
    balancer)."""

    def __init__(self, port, source="127.0.0.1", tls=False):
        self.port = port
        self.source = source
        self.tls = tls

    def request(self, method, path, body=None, headers=None):
        if self.tls:
            ctx = ssl.create_default_context()
            ctx.check_hostname = False
            ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection("127.0.0.1", self.port, timeout=10,
                                               source_address=(self.source, 0), context=ctx)
        else:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10,
                                              source_address=(self.source, 0))
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, resp.headers, data
        finally:
            conn.close()


failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def start_nginx(nginx, out, port, preexec):
    """Starts nginx and waits for it to answer; None when it does not."""
    proc = subprocess.Popen([nginx, "-c", os.path.join(out, "nginx.conf"), "-p", out, "-g", "daemon off;"],
                            preexec_fn=preexec)
    c = Client(port)
    deadline = time.time() + 10
    while True:
        try:
            if c.request("GET", "/nginx-health")[0] == 200:
                return proc
        except OSError:
            pass
        if time.time() > deadline or proc.poll() is not None:
            stop(proc)
            return None
        time.sleep(0.1)


def start_rendered(nginx, make_env, nports, preexec, chown_all):
    """Renders the configuration on fresh loopback ports and starts nginx.
    A port is free only when it is picked: should another process take
    one before nginx binds it, the ports are picked again (three tries)."""
    for _ in range(3):
        ports = [free_port() for _ in range(nports)]
        env = make_env(*ports)
        subprocess.run(["sh", os.path.join(HERE, "render.sh"), "--check"], env=env, check=True)
        chown_all()
        proc = start_nginx(nginx, env["NGINX_OUT_DIR"], ports[0], preexec)
        if proc is not None:
            return proc, ports
        print("nginx did not start on ports %s; picking others" % ports)
    raise SystemExit("nginx did not start")


def stop(proc):
    proc.send_signal(signal.SIGQUIT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--run-as", help="run nginx as this user (when started as root)")
    args = ap.parse_args()

    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    work = tempfile.mkdtemp(prefix="tweets-nginx-")
    os.chmod(work, 0o755)
    media = os.path.join(work, "media")
    os.makedirs(media)
    for name in ("abc123.png", "hidden123.png", "private123.png"):
        with open(os.path.join(media, name), "wb") as f:
            f.write(PNG)
    # certbot --webroot writes its challenge files here.
    acme = os.path.join(work, "acme")
    os.makedirs(os.path.join(acme, ".well-known", "acme-challenge"))
    with open(os.path.join(acme, ".well-known", "acme-challenge", ACME_TOKEN), "wb") as f:
        f.write(ACME_BODY)
    # A throw-away self-signed certificate for the TLS rendering.
    cert, key = os.path.join(work, "tls.crt"), os.path.join(work, "tls.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", key, "-out", cert],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    stubs = [start_stub("a"), start_stub("b")]
    common = dict(os.environ,
                  TWEETS_UPSTREAMS=",".join("127.0.0.1:%d" % s.server_address[1] for s in stubs),
                  TWEETS_MEDIA_ROOT=media,
                  NGINX_ACME_ROOT=acme,
                  # 127.0.0.2 is the outer load balancer that nginx trusts.
                  NGINX_REAL_IP_FROM="127.0.0.2/32")
    def plain_env(port):
        return dict(common, NGINX_OUT_DIR=os.path.join(work, "plain"), NGINX_LISTEN="127.0.0.1:%d" % port)

    def tls_env(http_port, https_port):
        return dict(common, NGINX_OUT_DIR=os.path.join(work, "tls"),
                    NGINX_LISTEN="127.0.0.1:%d" % http_port,
                    NGINX_TLS_LISTEN="127.0.0.1:%d" % https_port,
                    NGINX_PUBLIC_HTTPS_PORT=str(https_port),
                    NGINX_TLS_CERT=cert, NGINX_TLS_KEY=key)

    preexec = None
    if args.run_as and os.geteuid() == 0:
        pw = pwd.getpwnam(args.run_as)

        def preexec():
            os.setgid(pw.pw_gid)
            os.setgroups([])
            os.setuid(pw.pw_uid)

    def chown_all():
        if preexec is None:
            return
        for root, dirs, files in os.walk(work):
            for name in dirs + files:
                os.chown(os.path.join(root, name), pw.pw_uid, pw.pw_gid)
        os.chown(work, pw.pw_uid, pw.pw_gid)

    try:
        print("# nginx on plain HTTP (TLS ends at an outer load balancer)")
        proc, (plain_port,) = start_rendered(nginx, plain_env, 1, preexec, chown_all)
        try:
            run_checks(Client(plain_port))
            run_proxy_checks(plain_port)
        finally:
            stop(proc)

        print("# nginx ending TLS itself")
        proc, (http_port, https_port) = start_rendered(nginx, tls_env, 2, preexec, chown_all)
        try:
            run_tls_checks(http_port, https_port)
        finally:
            stop(proc)
    finally:
        for s in stubs:
            s.shutdown()
        shutil.rmtree(work, ignore_errors=True)

    if failures:
        print("nginx smoke test: %d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("nginx smoke test: OK")
    return 0


def run_checks(c):
    status, headers, body = c.request("GET", "/", headers={"X-Forwarded-For": "203.0.113.9"})
    echo = json.loads(body)
    check(status == 200, "GET / is proxied to a replica")
    h = echo["headers"]
    check(h.get("x-real-ip") == "127.0.0.1", "X-Real-IP is the client address")
    check(h.get("x-forwarded-for") == "203.0.113.9, 127.0.0.1", "X-Forwarded-For appends the client address")
    check(h.get("x-forwarded-proto") == "http", "X-Forwarded-Proto is set")
    check(bool(h.get("x-request-id")), "X-Request-ID is set")
    check(h.get("connection", "").lower() != "close", "upstream connections are kept alive")
    check(headers.get_all("X-Content-Type-Options") == ["nosniff"], "X-Content-Type-Options: nosniff, once")
    check(headers.get_all("X-Frame-Options") == ["DENY"], "X-Frame-Options: the application's DENY, once")
    check(headers.get_all("Referrer-Policy") == [APP_REFERRER_POLICY],
          "Referrer-Policy: the application's %s, once and unweakened" % APP_REFERRER_POLICY)
    check(headers.get_all("Content-Security-Policy") == [APP_CSP], "the application's Content-Security-Policy, once")
    check(headers.get("Strict-Transport-Security") is None, "no HSTS over plain HTTP")
    check(headers.get("Server") == "nginx", "Server header has no version")

    status, headers, _ = c.request("GET", "/bare")
    check(status == 200 and headers.get_all("Referrer-Policy") == ["same-origin"]
          and headers.get_all("X-Frame-Options") == ["DENY"]
          and headers.get_all("X-Content-Type-Options") == ["nosniff"]
          and "frame-ancestors 'none'" in (headers.get("Content-Security-Policy") or ""),
          "a response without the application's headers gets nginx's (as strict)")
    status, headers, _ = c.request("GET", "/nginx-health")
    check(headers.get_all("Referrer-Policy") == ["same-origin"] and headers.get("Strict-Transport-Security") is None,
          "nginx's own answers carry the same headers, no HSTS over plain HTTP")

    before = Stub.hits.get("/.well-known/acme-challenge/" + ACME_TOKEN, 0)
    status, headers, body = c.request("GET", "/.well-known/acme-challenge/" + ACME_TOKEN)
    check(status == 200 and body == ACME_BODY, "an ACME HTTP-01 challenge is served from the webroot")
    check(Stub.hits.get("/.well-known/acme-challenge/" + ACME_TOKEN, 0) == before,
          "ACME challenges never reach the application")
    check(c.request("GET", "/.well-known/acme-challenge/missing")[0] == 404, "an unknown ACME token is 404")

    replicas = {json.loads(c.request("GET", "/?n=%d" % i)[2])["replica"] for i in range(6)}
    check(replicas == {"a", "b"}, "requests are spread over both replicas")

    status, headers, _ = c.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    check(headers.get("Content-Encoding") == "gzip", "HTML is gzipped")

    before = dict(Stub.hits)
    for path in ("/metrics", "/metrics/", "/debug", "/debug/pprof/", "/debug/pprof/heap"):
        check(c.request("GET", path)[0] == 404, "GET %s is 404" % path)
    check(all(Stub.hits.get(p, 0) == before.get(p, 0) for p in ("/metrics", "/debug/pprof/")),
          "/metrics and /debug/ never reach the application")

    status, headers, body = c.request("GET", "/media/abc123.png")
    check(Stub.hits.get("/media/abc123.png", 0) == 1, "media requests are authorized by the application")
    check(status == 200 and body == PNG, "an allowed file is sent by nginx from the media directory")
    check(headers.get("Content-Type") == "image/png", "media has its MIME type")
    check(headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"],
          "media keeps the application's Cache-Control, once (immutable)")
    check(headers.get_all("Content-Security-Policy") == ["default-src 'none'; img-src 'self'; media-src 'self'; sandbox"],
          "media is sandboxed by CSP, once")
    check(headers.get("X-Content-Type-Options") == "nosniff", "media has nosniff")
    check(headers.get("X-Accel-Redirect") is None, "the client never sees X-Accel-Redirect")
    status, headers, body = c.request("GET", "/media/private123.png")
    check(status == 200 and body == PNG and headers.get("Cache-Control") == "private, no-store",
          "a file the application allows only privately stays out of shared caches")
    status, headers, body = c.request("GET", "/media/hidden123.png")
    check(status == 404 and PNG not in body and "immutable" not in (headers.get("Cache-Control") or ""),
          "a file the application refuses is 404, without the file, though it is on disk")
    check(c.request("GET", "/_media/abc123.png")[0] == 404, "the media directory is not reachable by its own URL")
    check(c.request("GET", "/_media/")[0] == 404, "no directory listing of the media directory")
    check(c.request("GET", "/media/missing.png")[0] == 404, "missing media is 404")
    check(c.request("GET", "/media/")[0] in (403, 404), "no directory listing of media")
    check(c.request("POST", "/media/abc123.png", body=b"x")[0] == 403, "media is read-only (POST is 403)")

    big = b"x" * (9 * 1024 * 1024)
    status, _, body = c.request("POST", "/upload-probe", body=big, headers={"Content-Type": "application/octet-stream"})
    check(status == 200 and json.loads(body)["body_bytes"] == len(big), "a 9 MiB body reaches the application")
    status = c.request("POST", "/upload-probe", body=b"x" * (11 * 1024 * 1024))[0]
    check(status == 413, "an 11 MiB body is refused by nginx (413)")

    statuses = [c.request("GET", "/login")[0] for _ in range(20)]
    check(statuses.count(200) == 20, "GET /login is never rate limited")
    statuses = [c.request("POST", "/login", body=b"u=a&p=b")[0] for _ in range(20)]
    check(429 in statuses and statuses[0] == 200, "POST /login is rate limited (429)")
    statuses = [c.request("POST", "/signup", body=b"u=a")[0] for _ in range(10)]
    check(429 in statuses and statuses[0] == 200, "POST /signup is rate limited (429)")
    statuses = [c.request("POST", "/tweets", body=b"t=hi")[0] for _ in range(20)]
    check(429 in statuses and statuses[0] == 200, "POST /tweets is rate limited (429)")


def upstream_headers(c, path="/", headers=None):
    status, resp_headers, body = c.request("GET", path, headers=headers or {})
    return status, resp_headers, json.loads(body)["headers"]


def run_proxy_checks(port):
    """Behind an outer load balancer that ends TLS (127.0.0.2, trusted by
    NGINX_REAL_IP_FROM), its X-Forwarded-Proto reaches the application; from
    anyone else it does not."""
    lb = Client(port, source="127.0.0.2")
    status, headers, h = upstream_headers(lb, headers={"X-Forwarded-For": "198.51.100.7",
                                                       "X-Forwarded-Proto": "https"})
    check(status == 200 and h.get("x-forwarded-proto") == "https",
          "the trusted balancer's X-Forwarded-Proto: https reaches the application")
    check(h.get("x-real-ip") == "198.51.100.7", "the trusted balancer's client address is the real one")
    check(headers.get_all("Strict-Transport-Security") == [APP_HSTS],
          "the application's HSTS reaches the client, unchanged and once")
    check(headers.get_all("Referrer-Policy") == [APP_REFERRER_POLICY], "Referrer-Policy unchanged behind the balancer")
    status, headers, _ = lb.request("GET", "/nginx-health", headers={"X-Forwarded-Proto": "https"})
    check(headers.get_all("Strict-Transport-Security") == [NGINX_HSTS],
          "nginx's own answers to HTTPS clients carry HSTS")
    _, _, h = upstream_headers(lb, headers={"X-Forwarded-Proto": "http"})
    check(h.get("x-forwarded-proto") == "http", "the trusted balancer's X-Forwarded-Proto: http is kept too")
    _, _, h = upstream_headers(lb, headers={"X-Forwarded-Proto": "gopher"})
    check(h.get("x-forwarded-proto") == "http", "a nonsense X-Forwarded-Proto becomes nginx's own scheme")

    other = Client(port)
    status, headers, h = upstream_headers(other, headers={"X-Forwarded-Proto": "https",
                                                          "X-Forwarded-For": "198.51.100.7"})
    check(h.get("x-forwarded-proto") == "http", "an untrusted client cannot claim HTTPS")
    check(h.get("x-real-ip") == "127.0.0.1", "an untrusted client cannot choose its address")
    check(headers.get("Strict-Transport-Security") is None, "no HSTS for an untrusted claim of HTTPS")


def run_tls_checks(http_port, https_port):
    """nginx ends TLS: plain HTTP redirects, except ACME and the health check."""
    plain = Client(http_port)
    for method in ("GET", "POST"):
        before = Stub.hits.get("/login", 0)
        status, headers, _ = plain.request(method, "/login?next=%2F", body=b"u=a&p=b" if method == "POST" else None)
        check(status == 308 and headers.get("Location") == "https://127.0.0.1:%d/login?next=%%2F" % https_port,
              "plain %s /login redirects to HTTPS (308, same path and query)" % method)
        check(Stub.hits.get("/login", 0) == before, "plain %s /login never reaches the application" % method)
    status, _, body = plain.request("GET", "/.well-known/acme-challenge/" + ACME_TOKEN)
    check(status == 200 and body == ACME_BODY, "ACME challenges are served on plain HTTP with TLS on (renewals)")
    check(plain.request("GET", "/nginx-health")[0] == 200, "the health check answers on plain HTTP")
    check(plain.request("GET", "/metrics")[0] == 308, "nothing else is served on plain HTTP")

    tls = Client(https_port, tls=True)
    status, headers, h = upstream_headers(tls, "/login", headers={"X-Forwarded-Proto": "http"})
    check(status == 200 and h.get("x-forwarded-proto") == "https",
          "over TLS the application is told https, whatever the client claims")
    check(headers.get_all("Strict-Transport-Security") == [APP_HSTS], "over TLS the application's HSTS, once")
    check(headers.get_all("Referrer-Policy") == [APP_REFERRER_POLICY], "over TLS Referrer-Policy unchanged")
    status, headers, _ = tls.request("GET", "/nginx-health")
    check(status == 200 and headers.get_all("Strict-Transport-Security") == [NGINX_HSTS],
          "nginx's own answers over TLS carry HSTS")
    check(tls.request("GET", "/metrics")[0] == 404, "/metrics is 404 over TLS too")


if __name__ == "__main__":
    sys.exit(main())
