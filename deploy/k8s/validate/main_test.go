package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The real targets must pass.
func TestProjectTargets(t *testing.T) {
	err := run(io.Discard, "../secret.example.yaml", false, []string{"../base", "../overlays/dev", "../overlays/prod"})
	if err != nil {
		t.Fatal(err)
	}
}

const goodDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  labels: {app.kubernetes.io/name: app}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: app}}
  template:
    metadata: {labels: {app.kubernetes.io/name: app}}
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: app
          image: example.org/app:1.0
          ports: [{name: http, containerPort: 8000}]
          resources: {requests: {cpu: 10m, memory: 10Mi}, limits: {memory: 20Mi}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          livenessProbe: {httpGet: {path: /healthz, port: http}}
          readinessProbe: {httpGet: {path: /readyz, port: http}}
          volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes: [{name: tmp, emptyDir: {}}]
`

// Each case is the good Deployment with one defect; the validator must name it.
func TestPolicyViolations(t *testing.T) {
	cases := []struct {
		name, manifest, want string
	}{
		{"good", goodDeployment, ""},
		{"unknown field (typo)", goodDeployment + "  revisionHistroyLimit: 3\n", "unknown field"},
		{"no readiness probe", strings.Replace(goodDeployment, "          readinessProbe: {httpGet: {path: /readyz, port: http}}\n", "", 1), "no readinessProbe"},
		{"writable root", strings.Replace(goodDeployment, "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false", 1), "readOnlyRootFilesystem"},
		{"no limits", strings.Replace(goodDeployment, ", limits: {memory: 20Mi}", "", 1), "no memory limit"},
		{"latest image", strings.Replace(goodDeployment, "app:1.0", "app:latest", 1), "latest tag"},
		{"probe on undeclared port", strings.Replace(goodDeployment, "path: /healthz, port: http", "path: /healthz, port: admin", 1), "does not declare"},
		{"literal secret", strings.Replace(goodDeployment, "          ports:", "          env: [{name: DB_PASSWORD, value: hunter2}]\n          ports:", 1), "literal value"},
		{"service selects nothing", goodDeployment + `---
apiVersion: v1
kind: Service
metadata: {name: app, labels: {app.kubernetes.io/name: app}}
spec:
  selector: {app.kubernetes.io/name: other}
  ports: [{name: http, port: 80, targetPort: http}]
`, "selects no pods"},
		{"secret in the build", goodDeployment + `---
apiVersion: v1
kind: Secret
metadata: {name: s, labels: {app.kubernetes.io/name: app}}
stringData: {k: v}
`, "created out of band"},
		{"old HPA API", goodDeployment + `---
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: app, labels: {app.kubernetes.io/name: app}}
spec: {scaleTargetRef: {kind: Deployment, name: app}, maxReplicas: 2}
`, "is not one this project uses"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, filepath.Join(dir, "kustomization.yaml"), "resources: [app.yaml]\n")
			write(t, filepath.Join(dir, "app.yaml"), tc.manifest)
			var out strings.Builder
			err := run(&out, "", false, []string{dir})
			got := out.String()
			if err != nil {
				got += err.Error()
			}
			if tc.want == "" {
				if err != nil {
					t.Fatalf("unexpected failure: %s", got)
				}
				return
			}
			if err == nil || !strings.Contains(got, tc.want) {
				t.Fatalf("want a failure mentioning %q, got: %s", tc.want, got)
			}
		})
	}
}

const appDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: tweets
  labels: {app.kubernetes.io/name: tweets}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: tweets}}
  template:
    metadata: {labels: {app.kubernetes.io/name: tweets}}
    spec:
      automountServiceAccountToken: false
      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      containers:
        - name: tweets
          image: ghcr.io/tweetsdev/tweets:1.0
          args: [serve]
          ports: [{name: http, containerPort: 8000}, {name: admin, containerPort: 9000}]
          env:
            - {name: TWEETS_SECRET_KEY_FILE, value: /run/secrets/key}
            - {name: TWEETS_MIGRATE_ON_START, value: "false"}
            - {name: TWEETS_ALLOWED_HOSTS, value: "tweets.example.com,.example.org"}
            - {name: TWEETS_ADMIN_ADDR, value: ":9000"}
          resources: {requests: {cpu: 10m, memory: 10Mi}, limits: {memory: 20Mi}}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities: {drop: [ALL]}
          livenessProbe: {httpGet: {path: /healthz, port: admin}}
          readinessProbe: {httpGet: {path: /readyz, port: PROBE_PORT}}
          volumeMounts: [{name: tmp, mountPath: /tmp}]
      volumes: [{name: tmp, emptyDir: {}}]
`

// The application's main listener refuses a Host that TWEETS_ALLOWED_HOSTS
// does not list: a probe there must name an allowed one.
func TestAppProbesNameAnAllowedHost(t *testing.T) {
	for port, want := range map[string]string{
		"admin": "",
		"9000":  "",
		"http":  "sends Host the pod IP (no Host header)",
		"8000":  "sends Host the pod IP (no Host header)",
		"http, httpHeaders: [{name: Host, value: tweets.example.com}]": "",
		"http, httpHeaders: [{name: host, value: www.example.org}]":    "",
		"http, httpHeaders: [{name: Host, value: evil.example}]":       "sends Host evil.example",
	} {
		dir := t.TempDir()
		write(t, filepath.Join(dir, "kustomization.yaml"), "resources: [app.yaml]\n")
		write(t, filepath.Join(dir, "app.yaml"), strings.Replace(appDeployment, "PROBE_PORT", port, 1))
		var out strings.Builder
		err := run(&out, "", false, []string{dir})
		got := out.String()
		if err != nil {
			got += err.Error()
		}
		switch {
		case want == "" && err != nil:
			t.Errorf("readiness probe on %s: unexpected failure: %s", port, got)
		case want != "" && (err == nil || !strings.Contains(got, want)):
			t.Errorf("readiness probe on %s: want a failure mentioning %q, got: %s", port, want, got)
		}
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
