#!/usr/bin/python3
"""Inhibition test of deploy/monitoring/alertmanager.yml, with the real
Alertmanager on loopback.

    deploy/monitoring/inhibit_test.py [ALERTMANAGER_BINARY]

Starts Alertmanager on 127.0.0.1 with the project's configuration (its
webhook secret a file pointing at 127.0.0.1:9, so that nothing leaves the
machine), posts alerts through its API and checks which ones it reports as
inhibited. `amtool check-config` cannot tell an inhibit rule that never
matches from one that works; this can. Standard library only.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))

# (name, labels) of the alerts posted together, then the names expected to
# be inhibited.
ALERTS = [
    ("db-down", {"alertname": "TweetsDatabaseDown", "severity": "critical", "job": "tweets", "instance": "web-1:9000"}),
    ("latency", {"alertname": "TweetsHighLatency", "severity": "warning", "job": "tweets"}),
    ("pool-web-1", {"alertname": "TweetsDBPoolWaits", "severity": "warning", "job": "tweets", "instance": "web-1:9000"}),
    ("memory-web-1", {"alertname": "TweetsHighMemory", "severity": "warning", "job": "tweets", "instance": "web-1:9000"}),
    ("memory-web-2", {"alertname": "TweetsHighMemory", "severity": "warning", "job": "tweets", "instance": "web-2:9000"}),
    ("tls-soon", {"alertname": "TweetsTLSCertificateExpiringSoon", "severity": "critical", "job": "blackbox", "instance": "https://a.example/"}),
    ("tls-a", {"alertname": "TweetsTLSCertificateExpiring", "severity": "warning", "job": "blackbox", "instance": "https://a.example/"}),
    ("tls-b", {"alertname": "TweetsTLSCertificateExpiring", "severity": "warning", "job": "blackbox", "instance": "https://b.example/"}),
    ("all-down", {"alertname": "TweetsDown", "severity": "critical", "job": "tweets"}),
    ("one-down", {"alertname": "TweetsInstanceDown", "severity": "warning", "job": "tweets", "instance": "web-3:9000"}),
    ("watchdog", {"alertname": "Watchdog", "severity": "none"}),
    ("backup", {"alertname": "TweetsBackupTooOld", "severity": "critical", "job": "node", "instance": "host-1:9100"}),
    ("disk", {"alertname": "TweetsDiskSpaceLow", "severity": "warning", "job": "node", "instance": "host-1:9100", "mountpoint": "/"}),
]
EXPECTED = {
    "latency": "the database down explains slow requests",
    "pool-web-1": "the database down explains pool waits",
    "memory-web-1": "a critical alert on web-1 silences web-1's warnings",
    "tls-a": "the certificate expiring soon silences its 14-day warning",
    "one-down": "the whole site down silences the single replica down",
    "disk": "a critical alert about host-1 silences host-1's warnings",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port, path, body=None):
    req = urllib.request.Request("http://127.0.0.1:%d%s" % (port, path),
                                 data=None if body is None else json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=5) as resp:
        return json.loads(resp.read() or b"null")


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else (shutil.which("prometheus-alertmanager") or shutil.which("alertmanager"))
    if not binary:
        raise SystemExit("no alertmanager binary")
    work = tempfile.mkdtemp(prefix="tweets-am-")
    secret = os.path.join(work, "webhook_url")
    with open(secret, "w") as f:
        f.write("http://127.0.0.1:9/\n")
    with open(os.path.join(HERE, "alertmanager.yml")) as f:
        cfg = f.read().replace("/run/secrets/alertmanager_slack_webhook_url", secret)
    with open(os.path.join(work, "alertmanager.yml"), "w") as f:
        f.write(cfg)
    port, cluster = free_port(), free_port()
    proc = subprocess.Popen([binary, "--config.file=" + os.path.join(work, "alertmanager.yml"),
                             "--storage.path=" + os.path.join(work, "data"),
                             "--web.listen-address=127.0.0.1:%d" % port,
                             "--cluster.listen-address=", "--log.level=warn"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    failures = []
    try:
        deadline = time.time() + 15
        while True:
            try:
                api(port, "/api/v2/status")
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise SystemExit("alertmanager did not start: %s" % proc.stderr.read().decode()[-2000:])
                time.sleep(0.1)
        api(port, "/api/v2/alerts", [{"labels": labels} for _, labels in ALERTS])
        by_labels = {}
        for a in api(port, "/api/v2/alerts"):
            by_labels[json.dumps(a["labels"], sort_keys=True)] = bool(a["status"]["inhibitedBy"])
        for name, labels in ALERTS:
            got = by_labels.get(json.dumps(labels, sort_keys=True))
            want = name in EXPECTED
            what = EXPECTED.get(name) or "%s stays active" % name
            ok = got == want
            print(("ok   " if ok else "FAIL ") + what + ("" if got is not None else " (alert not found)"))
            if not ok:
                failures.append(what)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print("inhibition test: %d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("inhibition test: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
