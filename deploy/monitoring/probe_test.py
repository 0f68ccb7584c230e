#!/usr/bin/python3
"""Check of deploy/monitoring/blackbox.yml with the real blackbox_exporter,
on loopback.

    deploy/monitoring/probe_test.py [BLACKBOX_EXPORTER_BINARY]

Serves HTTPS on 127.0.0.1 with a throw-away certificate valid for 5 days,
and probes it through blackbox_exporter with the shipped https_2xx module:
  * as shipped, the self-signed certificate fails the probe (the chain is
    verified, as a browser would);
  * with verification off (the only change), the probe succeeds and reports
    probe_ssl_earliest_cert_expiry 5 days ahead: the series that
    TweetsTLSCertificateExpiring reads;
  * plain HTTP fails the probe (fail_if_not_ssl).
Standard library, PyYAML and openssl only; nothing leaves 127.0.0.1.
"""

import http.server
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
DAYS = 5
failures = []


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


class Health(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "3")
        self.end_headers()
        self.wfile.write(b"ok\n")


def serve(port, context=None):
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Health)
    if context:
        srv.socket = context.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def probe(port, module, target):
    url = "http://127.0.0.1:%d/probe?%s" % (port, urllib.parse.urlencode({"module": module, "target": target}))
    with urllib.request.urlopen(url, timeout=15) as resp:
        metrics = {}
        for line in resp.read().decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                metrics[name.split("{")[0]] = float(value)
        return metrics


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else (shutil.which("prometheus-blackbox-exporter") or shutil.which("blackbox_exporter"))
    if not binary:
        raise SystemExit("no blackbox_exporter binary")
    work = tempfile.mkdtemp(prefix="tweets-probe-")
    cert, key = os.path.join(work, "tls.crt"), os.path.join(work, "tls.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", str(DAYS),
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cfg = yaml.safe_load(open(os.path.join(HERE, "blackbox.yml")))
    test_module = dict(cfg["modules"]["https_2xx"])
    test_module["http"] = dict(test_module["http"], tls_config={"insecure_skip_verify": True})
    cfg["modules"]["https_2xx_unverified"] = test_module
    with open(os.path.join(work, "blackbox.yml"), "w") as f:
        yaml.safe_dump(cfg, f)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    https_port, http_port, bb_port = free_port(), free_port(), free_port()
    servers = [serve(https_port, ctx), serve(http_port)]
    proc = subprocess.Popen([binary, "--config.file=" + os.path.join(work, "blackbox.yml"),
                             "--web.listen-address=127.0.0.1:%d" % bb_port, "--log.level=warn"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 15
        while True:
            try:
                urllib.request.urlopen("http://127.0.0.1:%d/-/healthy" % bb_port, timeout=2)
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise SystemExit("blackbox_exporter did not start")
                time.sleep(0.1)
        target = "https://127.0.0.1:%d/nginx-health" % https_port
        m = probe(bb_port, "https_2xx", target)
        check(m.get("probe_success") == 0, "the shipped module refuses a certificate no CA signed")
        m = probe(bb_port, "https_2xx_unverified", target)
        check(m.get("probe_success") == 1, "the probe succeeds over HTTPS once the chain is trusted")
        left = m.get("probe_ssl_earliest_cert_expiry", 0) - time.time()
        check(abs(left - DAYS * 86400) < 2 * 86400,
              "probe_ssl_earliest_cert_expiry is the certificate's expiry (%.1f days ahead)" % (left / 86400))
        m = probe(bb_port, "https_2xx_unverified", "http://127.0.0.1:%d/nginx-health" % http_port)
        check(m.get("probe_success") == 0, "plain HTTP fails the probe (fail_if_not_ssl)")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        for s in servers:
            s.shutdown()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("probe test: %d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("probe test: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
