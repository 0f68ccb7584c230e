#!/usr/bin/python3
"""Policy checks for deploy/monitoring/ that promtool and amtool do not make.

Run with Debian's python3 (python3-yaml), from the repository root:

    check_monitoring.py rules      every alert: severity, summary, description,
                                   runbook_url whose anchor exists in
                                   docs/runbook.md, at least one promtool test
                                   that expects it to fire, and a place in the
                                   quiet healthy site test (quiet_site_test.yml)
                                   where it does not; application metric
                                   names exist in metrics.txt
    check_monitoring.py dashboards OUT.yml
                                   every Grafana dashboard: valid JSON, unique
                                   uid and panel ids, grid positions, data
                                   sources that are provisioned, known metric
                                   names; writes every query into OUT.yml as a
                                   recording rule so that `promtool check rules`
                                   parses the PromQL
"""

import glob
import json
import os
import re
import sys

import yaml

MON = "deploy/monitoring"
RUNBOOK = "docs/runbook.md"
RUNBOOK_URL = "https://github.com/tweetsdev/tweets/blob/main/docs/runbook.md#"
QUIET_SITE_TEST = "a quiet healthy site"
# Alerts that always fire (a dead man's switch): severity none, and expected
# to fire on the quiet site too.
ALWAYS_FIRING = {"Watchdog"}
APP_METRIC = re.compile(r"\b(tweets?_[a-z0-9_]+)\b")
HIST_SUFFIXES = ("_bucket", "_sum", "_count")

problems = []


def fail(where, msg):
    problems.append("%s: %s" % (where, msg))


def contract_metrics():
    with open(os.path.join(MON, "metrics.txt"), encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def check_metric_names(where, expr, known):
    for name in APP_METRIC.findall(expr):
        base = name
        for suffix in HIST_SUFFIXES:
            if name.endswith(suffix) and name[: -len(suffix)] in known:
                base = name[: -len(suffix)]
        if base not in known:
            fail(where, "metric %s is not in %s/metrics.txt (the application contract)" % (name, MON))


def github_anchor(heading):
    a = heading.strip().lower()
    a = re.sub(r"[^\w\- ]", "", a)
    return a.replace(" ", "-")


def runbook_anchors():
    anchors = set()
    with open(RUNBOOK, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^#{1,6}\s+(.*)$", line)
            if m:
                anchors.add(github_anchor(m.group(1)))
            for m in re.finditer(r'<a (?:name|id)="([^"]+)"', line):
                anchors.add(m.group(1))
    return anchors


def check_rules():
    known = contract_metrics()
    anchors = runbook_anchors()
    alerts = {}
    for path in sorted(glob.glob(os.path.join(MON, "rules", "*.yml"))):
        doc = yaml.safe_load(open(path, encoding="utf-8")) or {}
        for group in doc.get("groups", []):
            for rule in group.get("rules", []):
                name = rule.get("alert")
                if not name:
                    fail(path, "recording rule %s: add it to this check (promql_expr_test) before using one" % rule.get("record"))
                    continue
                where = "%s: %s" % (path, name)
                if name in alerts:
                    fail(where, "alert defined twice")
                alerts[name] = where
                check_metric_names(where, rule.get("expr", ""), known)
                sev = (rule.get("labels") or {}).get("severity")
                if name in ALWAYS_FIRING:
                    if sev != "none":
                        fail(where, "an always-firing alert has severity none, not %r" % sev)
                elif sev not in ("critical", "warning"):
                    fail(where, "labels.severity must be critical or warning, not %r" % sev)
                ann = rule.get("annotations") or {}
                for key in ("summary", "description", "runbook_url"):
                    if not ann.get(key):
                        fail(where, "annotation %s is missing" % key)
                url = ann.get("runbook_url", "")
                if url and not url.startswith(RUNBOOK_URL):
                    fail(where, "runbook_url must start with %s" % RUNBOOK_URL)
                elif url and url[len(RUNBOOK_URL):] not in anchors:
                    fail(where, "runbook anchor #%s has no heading in %s" % (url[len(RUNBOOK_URL):], RUNBOOK))

    tested = set()
    quiet = {}
    for path in sorted(glob.glob(os.path.join(MON, "tests", "*.yml"))):
        doc = yaml.safe_load(open(path, encoding="utf-8")) or {}
        for test in doc.get("tests", []):
            for case in test.get("alert_rule_test", []) or []:
                if case.get("exp_alerts"):
                    tested.add(case.get("alertname"))
                if test.get("name") == QUIET_SITE_TEST:
                    quiet[case.get("alertname")] = bool(case.get("exp_alerts"))
    if not quiet:
        fail("%s/tests" % MON, "no test named %r" % QUIET_SITE_TEST)
    for name, where in sorted(alerts.items()):
        if name not in tested:
            fail(where, "no promtool test expects this alert to fire (%s/tests/)" % MON)
        if name not in quiet:
            fail(where, "the %r test does not check this alert" % QUIET_SITE_TEST)
        elif quiet[name] != (name in ALWAYS_FIRING):
            fail(where, "on the %r test this alert must %s" % (
                QUIET_SITE_TEST, "fire" if name in ALWAYS_FIRING else "stay quiet (exp_alerts: [])"))
    for name in sorted(tested - set(alerts)):
        fail("%s/tests" % MON, "tests expect unknown alert %s" % name)
    print("monitoring check: %d alerts, each with annotations, a runbook anchor, a firing test and the quiet site" % len(alerts))


def provisioned_datasources():
    uids = {"-- Grafana --", "grafana"}
    for path in glob.glob(os.path.join(MON, "grafana", "provisioning", "datasources", "*.y*ml")):
        doc = yaml.safe_load(open(path, encoding="utf-8")) or {}
        for ds in doc.get("datasources", []):
            uids.add(ds.get("uid"))
    return uids


def walk_panels(panels):
    for p in panels:
        yield p
        yield from walk_panels(p.get("panels") or [])


def promql_for_promtool(expr, variables):
    expr = expr.replace("$__rate_interval", "5m").replace("$__interval", "1m").replace("$__range", "1h")
    for v in variables:
        expr = expr.replace("${%s}" % v, ".*").replace("$" + v, ".*")
    return expr


def check_dashboards(out_path):
    known = contract_metrics()
    datasources = provisioned_datasources()
    rules = []
    uids = {}
    files = sorted(glob.glob(os.path.join(MON, "grafana", "dashboards", "*.json")))
    if not files:
        fail(MON, "no Grafana dashboard")
    for path in files:
        try:
            dash = json.load(open(path, encoding="utf-8"))
        except ValueError as e:
            fail(path, "invalid JSON: %s" % e)
            continue
        for key in ("uid", "title", "panels", "schemaVersion"):
            if key not in dash:
                fail(path, "missing %s" % key)
        if dash.get("uid") in uids:
            fail(path, "uid %s also used by %s" % (dash.get("uid"), uids[dash.get("uid")]))
        uids[dash.get("uid")] = path
        variables = [v["name"] for v in (dash.get("templating") or {}).get("list", [])]
        for v in (dash.get("templating") or {}).get("list", []):
            ds = (v.get("datasource") or {}).get("uid")
            if ds and ds not in datasources:
                fail(path, "variable %s uses unprovisioned data source %s" % (v["name"], ds))
        ids = set()
        for p in walk_panels(dash.get("panels", [])):
            where = "%s: panel %r" % (path, p.get("title"))
            if p.get("id") in ids:
                fail(where, "duplicate panel id %s" % p.get("id"))
            ids.add(p.get("id"))
            gp = p.get("gridPos") or {}
            if not all(k in gp for k in ("x", "y", "w", "h")) or gp.get("x", 0) + gp.get("w", 0) > 24:
                fail(where, "bad gridPos %s" % gp)
            if p.get("type") == "row":
                continue
            ds = (p.get("datasource") or {}).get("uid")
            if ds not in datasources:
                fail(where, "data source %r is not provisioned" % ds)
            targets = p.get("targets") or []
            if not targets:
                fail(where, "no query")
            for t in targets:
                expr = t.get("expr", "")
                if not expr:
                    fail(where, "query %s has no expr" % t.get("refId"))
                    continue
                check_metric_names(where, expr, known)
                rules.append({"record": "dashboard:panel_%d_%s" % (p.get("id"), t.get("refId", "A").lower()),
                              "expr": promql_for_promtool(expr, variables)})
    with open(out_path, "w", encoding="utf-8") as f:
        yaml.safe_dump({"groups": [{"name": "dashboard-queries", "rules": rules}]}, f, sort_keys=False)
    print("monitoring check: %d dashboard(s), %d queries written to %s" % (len(files), len(rules), out_path))


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "rules":
        check_rules()
    elif len(sys.argv) == 3 and sys.argv[1] == "dashboards":
        check_dashboards(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for p in problems:
        print("monitoring check: " + p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
