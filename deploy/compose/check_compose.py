#!/usr/bin/python3
"""Policy checks for the Compose files of tweets.

Run with Debian's python3 (it needs python3-yaml):

    /usr/bin/python3 deploy/compose/check_compose.py compose.yaml compose.dev.yaml

Files are checked one by one (secrets, images, paths) and merged in the
order given, the way Compose merges overrides (services and top-level maps
key by key, lists of ports and volumes appended), for the structural rules:

  * every service has a health check; a one-shot job (restart "no", which
    others wait for with service_completed_successfully) may disable it;
  * depends_on names existing services, with conditions that can be met;
  * every service names its networks, and every network, named volume,
    secret and config a service uses is declared at the top level;
  * no secret in clear text: an environment variable or build argument whose
    name contains PASSWORD, SECRET, KEY or TOKEN holds a *_FILE path or a
    ${VAR} reference without a literal default, never a value;
  * top-level secrets are files under ./secrets/ that git does not track;
  * third-party images carry an explicit tag other than "latest";
  * ports are published on 127.0.0.1 except for the services allowed to
    face the network (--public, default: nginx);
  * bind-mounted paths of the repository (./...) exist (except ./secrets/);
  * every ${VAR} the files use is mentioned in .env.example, which itself
    holds no secret values.

Exit status 1 and one line per problem when anything fails.
"""

import argparse
import os
import re
import subprocess
import sys

import yaml

SECRET_NAME = re.compile(r"PASSWORD|SECRET|KEY|TOKEN", re.IGNORECASE)
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}, ${VAR?err}
VAR_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
ONLY_REF = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*(?:(:?[-?])([^}]*))?\}$")
HEALTH_CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


class Checker:
    def __init__(self, root, public):
        self.root = root
        self.public = set(public)
        self.problems = []

    def fail(self, where, msg):
        self.problems.append("%s: %s" % (where, msg))

    # ---- per file -------------------------------------------------------

    def check_file(self, path, doc):
        services = doc.get("services") or {}
        for name, svc in services.items():
            where = "%s: service %s" % (path, name)
            svc = svc or {}
            self.check_environment(where, svc.get("environment"))
            build = svc.get("build")
            if isinstance(build, dict):
                self.check_environment(where + " build.args", build.get("args"))
            self.check_image(where, svc.get("image"))
            self.check_ports(where, name, svc.get("ports") or [])
            self.check_binds(where, svc.get("volumes") or [])
        for name, sec in (doc.get("secrets") or {}).items():
            self.check_secret_file("%s: secret %s" % (path, name), sec or {})

    def check_environment(self, where, env):
        if env is None:
            return
        if isinstance(env, list):
            items = []
            for entry in env:
                key, sep, value = str(entry).partition("=")
                items.append((key, value if sep else None))
        else:
            items = list(env.items())
        for key, value in items:
            if not SECRET_NAME.search(key) or value is None:
                continue
            value = str(value)
            if key.endswith("_FILE"):
                if not value.startswith("/"):
                    self.fail(where, "%s must be an absolute path to a secret file, not %r" % (key, value))
                continue
            m = ONLY_REF.match(value)
            if m and not (m.group(1) in ("-", ":-") and m.group(2)):
                continue
            self.fail(where, "%s looks like a secret in clear text; use %s_FILE and a Compose secret" % (key, key))

    def check_image(self, where, image):
        if not image or "${" in image:
            return  # chosen by the operator through .env
        ref = image.split("@", 1)[0]
        last = ref.rsplit("/", 1)[-1]
        if ":" not in last:
            self.fail(where, "image %s has no tag" % image)
        elif last.endswith(":latest"):
            self.fail(where, "image %s uses the latest tag" % image)

    def check_ports(self, where, service, ports):
        for p in ports:
            if isinstance(p, dict):
                host_ip = p.get("host_ip", "")
                text = "%s:%s" % (p.get("published", ""), p.get("target", ""))
            else:
                text = str(p)
                # ${VAR:-8080} has a colon of its own.
                parts = VAR_REF.sub("VAR", text).split(":")
                host_ip = parts[0] if len(parts) == 3 else ""
            if host_ip in ("127.0.0.1", "::1", "[::1]"):
                continue
            if service not in self.public:
                self.fail(where, "port %s is published on every interface; bind it to 127.0.0.1" % text)

    def check_binds(self, where, volumes):
        for v in volumes:
            source = v.get("source", "") if isinstance(v, dict) else str(v).split(":", 1)[0]
            # Only the repository's files (./...): absolute paths are the
            # Docker host's (/, /var/run/docker.sock), not this machine's.
            if not source.startswith("."):
                continue
            if "${" in source:
                continue
            rel = os.path.normpath(source)
            if rel == "secrets" or rel.startswith("secrets/"):
                continue
            if not os.path.exists(os.path.join(self.root, rel)):
                self.fail(where, "bind-mounted path %s does not exist" % source)

    def check_secret_file(self, where, sec):
        if "environment" in sec or "external" in sec:
            return
        f = sec.get("file")
        if not f:
            self.fail(where, "a secret must come from a file (or external/environment)")
            return
        rel = os.path.normpath(f)
        if not rel.startswith("secrets/"):
            self.fail(where, "secret file %s should live under ./secrets/" % f)
        try:
            tracked = subprocess.run(
                ["git", "-C", self.root, "ls-files", "--error-unmatch", rel],
                capture_output=True, check=False).returncode == 0
        except FileNotFoundError:
            tracked = False
        if tracked:
            self.fail(where, "secret file %s is tracked by git" % f)

    # ---- merged model ---------------------------------------------------

    def check_merged(self, model):
        services = model.get("services") or {}
        declared = {k: set((model.get(k) or {}).keys()) for k in ("networks", "volumes", "secrets", "configs")}
        one_shots = set()
        for name, svc in services.items():
            for dep, spec in deps(svc).items():
                if spec.get("condition") == "service_completed_successfully":
                    one_shots.add(dep)

        for name, svc in services.items():
            where = "service %s" % name
            hc = svc.get("healthcheck")
            if not hc:
                self.fail(where, "has no healthcheck")
            elif hc.get("disable"):
                if name not in one_shots or str(svc.get("restart", "")) != "no":
                    self.fail(where, "disables its healthcheck but is not a one-shot job (restart \"no\", "
                                     "awaited with service_completed_successfully)")
            elif not hc.get("test"):
                self.fail(where, "healthcheck has no test")

            for dep, spec in deps(svc).items():
                if dep not in services:
                    self.fail(where, "depends on unknown service %s" % dep)
                    continue
                cond = spec.get("condition", "service_started")
                if cond not in HEALTH_CONDITIONS:
                    self.fail(where, "unknown depends_on condition %s" % cond)
                target_hc = services[dep].get("healthcheck") or {}
                if cond == "service_healthy" and (not target_hc or target_hc.get("disable")):
                    self.fail(where, "waits for %s to be healthy but it has no healthcheck" % dep)
                # A profile-gated dependency only exists when its profile is
                # active: the dependent must be gated by the same profiles.
                dep_profiles = profiles(services[dep])
                if dep_profiles and not (profiles(svc) and profiles(svc) <= dep_profiles):
                    self.fail(where, "depends on %s, which only runs in profiles %s" % (dep, sorted(dep_profiles)))

            nets = svc.get("networks")
            if svc.get("network_mode"):
                pass
            elif not nets:
                self.fail(where, "names no network (the implicit default network is not private)")
            else:
                for n in (nets.keys() if isinstance(nets, dict) else nets):
                    if n not in declared["networks"]:
                        self.fail(where, "uses undeclared network %s" % n)

            for v in svc.get("volumes") or []:
                if isinstance(v, dict):
                    kind, source = v.get("type", "volume"), v.get("source", "")
                else:
                    source = str(v).split(":", 1)[0] if ":" in str(v) else ""
                    kind = "bind" if source.startswith((".", "/", "~")) else "volume"
                if kind == "volume" and source and source not in declared["volumes"]:
                    self.fail(where, "uses undeclared volume %s" % source)

            for key in ("secrets", "configs"):
                for ref in svc.get(key) or []:
                    src = ref.get("source") if isinstance(ref, dict) else ref
                    if src not in declared[key]:
                        self.fail(where, "uses undeclared %s %s" % (key[:-1], src))

        used_volumes = set()
        for svc in services.values():
            for v in svc.get("volumes") or []:
                src = v.get("source", "") if isinstance(v, dict) else str(v).split(":", 1)[0]
                used_volumes.add(src)
        for vol in declared["volumes"] - used_volumes:
            self.fail("volumes", "volume %s is declared but never used" % vol)

    # ---- .env.example ---------------------------------------------------

    def check_env_example(self, texts, env_example):
        path = os.path.join(self.root, env_example)
        if not os.path.exists(path):
            self.fail(env_example, "missing")
            return
        mentioned = set()
        with open(path, encoding="utf-8") as f:
            for lineno, line in enumerate(f, 1):
                m = re.match(r"^\s*#?\s*([A-Z_][A-Z0-9_]*)=(.*)$", line.rstrip("\n"))
                if not m:
                    continue
                key, value = m.group(1), m.group(2).strip()
                mentioned.add(key)
                if SECRET_NAME.search(key) and not key.endswith("_FILE") and value and not line.lstrip().startswith("#"):
                    self.fail("%s:%d" % (env_example, lineno), "%s has a value; secrets belong in ./secrets/" % key)
        for path_, text in texts:
            for m in VAR_REF.finditer(text):
                if m.group(1) not in mentioned:
                    self.fail(path_, "${%s} is not documented in %s" % (m.group(1), env_example))


def deps(svc):
    d = svc.get("depends_on") or {}
    if isinstance(d, list):
        return {name: {} for name in d}
    return {name: (spec or {}) for name, spec in d.items()}


def profiles(svc):
    return set(svc.get("profiles") or [])


def merge(base, override):
    """Compose-like merge: maps merge key by key; for the lists Compose
    appends (ports, volumes, secrets, ...) the override adds entries; other
    lists and scalars are replaced."""
    if isinstance(base, dict) and isinstance(override, dict):
        out = dict(base)
        for k, v in override.items():
            if k in out and isinstance(out[k], list) and isinstance(v, list) and k in (
                    "ports", "volumes", "secrets", "configs", "networks", "expose", "tmpfs"):
                out[k] = out[k] + [x for x in v if x not in out[k]]
            elif k in out:
                out[k] = merge(out[k], v)
            else:
                out[k] = v
        return out
    return override


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", help="Compose files, in merge order")
    ap.add_argument("--root", default=".", help="repository root (paths are relative to it)")
    ap.add_argument("--public", default="nginx", help="comma list of services allowed to publish on every interface")
    ap.add_argument("--env-example", default=".env.example")
    args = ap.parse_args()

    c = Checker(args.root, [s for s in args.public.split(",") if s])
    model = {}
    texts = []
    for f in args.files:
        with open(os.path.join(args.root, f), encoding="utf-8") as fh:
            text = fh.read()
        texts.append((f, text))
        doc = yaml.safe_load(text) or {}
        c.check_file(f, doc)
        model = merge(model, {k: v for k, v in doc.items() if not k.startswith("x-")})
    c.check_merged(model)
    c.check_env_example(texts, args.env_example)

    if c.problems:
        for p in c.problems:
            print("compose check: " + p, file=sys.stderr)
        return 1
    print("compose check: %s: %d services, OK" % (" + ".join(args.files), len(model.get("services") or {})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
