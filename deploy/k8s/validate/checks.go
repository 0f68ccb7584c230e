package main

import (
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// appImage is the repository of the application image; its containers get
// the application-specific checks (probe paths, subcommands).
const appImage = "ghcr.io/tweetsdev/tweets"

// checker runs the policy checks over the objects of one kustomize build.
type checker struct {
	objs     []object
	secrets  map[string]map[string]bool // out-of-band Secrets (the template): name -> keys
	problems []string
}

func (c *checker) fail(o object, format string, args ...any) {
	c.problems = append(c.problems, o.String()+": "+fmt.Sprintf(format, args...))
}

// workload is an object with a pod template.
type workload struct {
	obj         object
	template    *corev1.PodTemplateSpec
	longRunning bool // Deployment, StatefulSet: probes required
}

func (c *checker) workloads() []workload {
	var ws []workload
	for _, o := range c.objs {
		switch v := o.Value.(type) {
		case *appsv1.Deployment:
			ws = append(ws, workload{o, &v.Spec.Template, true})
		case *appsv1.StatefulSet:
			ws = append(ws, workload{o, &v.Spec.Template, true})
		case *batchv1.Job:
			ws = append(ws, workload{o, &v.Spec.Template, false})
		case *batchv1.CronJob:
			ws = append(ws, workload{o, &v.Spec.JobTemplate.Spec.Template, false})
		}
	}
	return ws
}

func (c *checker) find(kind, namespace, name string) (object, bool) {
	for _, o := range c.objs {
		if o.Kind == kind && o.Namespace == namespace && o.Name == name {
			return o, true
		}
	}
	return object{}, false
}

// podsSelectedBy returns the workloads in namespace whose pod labels match sel.
func (c *checker) podsSelectedBy(namespace string, sel labels.Selector) []workload {
	var out []workload
	for _, w := range c.workloads() {
		if w.obj.Namespace == namespace && sel.Matches(labels.Set(w.template.Labels)) {
			out = append(out, w)
		}
	}
	return out
}

func (c *checker) run() {
	seen := map[string]bool{}
	namespaces := map[string]bool{}
	var nsObjects []object
	for _, o := range c.objs {
		id := o.Kind + "/" + o.Namespace + "/" + o.Name
		if seen[id] {
			c.fail(o, "defined twice")
		}
		seen[id] = true
		if o.Labels["app.kubernetes.io/name"] == "" {
			c.fail(o, "has no app.kubernetes.io/name label")
		}
		if o.Kind == "Namespace" {
			nsObjects = append(nsObjects, o)
			if o.Labels["pod-security.kubernetes.io/enforce"] == "" {
				c.fail(o, "sets no pod-security.kubernetes.io/enforce level")
			}
		} else {
			namespaces[o.Namespace] = true
		}
	}
	if len(namespaces) > 1 {
		c.problems = append(c.problems, fmt.Sprintf("objects are spread over several namespaces: %v", keys(namespaces)))
	}
	for _, ns := range nsObjects {
		if !namespaces[ns.Name] {
			c.fail(ns, "is created but the other objects are in %v", keys(namespaces))
		}
	}

	for _, w := range c.workloads() {
		c.checkWorkload(w)
	}
	for _, o := range c.objs {
		switch v := o.Value.(type) {
		case *corev1.Service:
			c.checkService(o, v)
		case *networkingv1.Ingress:
			c.checkIngress(o, v)
		case *autoscalingv2.HorizontalPodAutoscaler:
			c.checkHPA(o, v)
		case *policyv1.PodDisruptionBudget:
			c.checkSelects(o, v.Spec.Selector, "selector")
		case *networkingv1.NetworkPolicy:
			c.checkNetworkPolicy(o, v)
		case *corev1.ConfigMap:
			if len(v.Data) == 0 && len(v.BinaryData) == 0 {
				c.fail(o, "is empty")
			}
		case *corev1.Secret:
			c.fail(o, "a Secret is part of the build: secrets must be created out of band (see secret.example.yaml)")
		}
	}
}

func (c *checker) checkWorkload(w workload) {
	o, spec := w.obj, &w.template.Spec
	switch v := o.Value.(type) {
	case *appsv1.Deployment:
		c.checkSelectorMatchesTemplate(o, v.Spec.Selector, w.template)
	case *appsv1.StatefulSet:
		c.checkSelectorMatchesTemplate(o, v.Spec.Selector, w.template)
		if v.Spec.ServiceName == "" {
			c.fail(o, "has no serviceName")
		}
	}
	if spec.AutomountServiceAccountToken == nil || *spec.AutomountServiceAccountToken {
		c.fail(o, "pods must set automountServiceAccountToken: false")
	}
	psc := spec.SecurityContext
	podNonRoot := psc != nil && psc.RunAsNonRoot != nil && *psc.RunAsNonRoot
	podSeccomp := psc != nil && psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault

	volumes := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
	}
	// StatefulSet claims are volumes too.
	if ss, ok := o.Value.(*appsv1.StatefulSet); ok {
		for _, t := range ss.Spec.VolumeClaimTemplates {
			volumes[t.Name] = corev1.Volume{Name: t.Name}
		}
	}
	mounted := map[string]bool{}

	all := append(append([]corev1.Container{}, spec.InitContainers...), spec.Containers...)
	for i, ctr := range all {
		isInit := i < len(spec.InitContainers)
		where := "container " + ctr.Name
		c.checkImage(o, where, ctr.Image)
		c.checkResources(o, where, ctr.Resources)
		sc := ctr.SecurityContext
		switch {
		case sc == nil:
			c.fail(o, "%s has no securityContext", where)
		default:
			if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
				c.fail(o, "%s must set allowPrivilegeEscalation: false", where)
			}
			if sc.ReadOnlyRootFilesystem == nil || !*sc.ReadOnlyRootFilesystem {
				c.fail(o, "%s must set readOnlyRootFilesystem: true", where)
			}
			if sc.Privileged != nil && *sc.Privileged {
				c.fail(o, "%s must not be privileged", where)
			}
			if sc.Capabilities == nil || !containsCap(sc.Capabilities.Drop, "ALL") {
				c.fail(o, "%s must drop ALL capabilities", where)
			}
			if sc.Capabilities != nil && len(sc.Capabilities.Add) > 0 {
				c.fail(o, "%s adds capabilities %v", where, sc.Capabilities.Add)
			}
		}
		if !podNonRoot && (sc == nil || sc.RunAsNonRoot == nil || !*sc.RunAsNonRoot) {
			c.fail(o, "%s must run as non-root (runAsNonRoot)", where)
		}
		if !podSeccomp && (sc == nil || sc.SeccompProfile == nil || sc.SeccompProfile.Type != corev1.SeccompProfileTypeRuntimeDefault) {
			c.fail(o, "%s needs seccompProfile RuntimeDefault (pod or container)", where)
		}

		hasTmp := false
		for _, m := range ctr.VolumeMounts {
			mounted[m.Name] = true
			if _, ok := volumes[m.Name]; !ok {
				c.fail(o, "%s mounts undeclared volume %s", where, m.Name)
			}
			if m.MountPath == "/tmp" {
				hasTmp = true
			}
		}
		if sc != nil && sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem && !hasTmp {
			c.fail(o, "%s has a read-only root file system but no volume at /tmp", where)
		}

		if w.longRunning && !isInit {
			if ctr.LivenessProbe == nil {
				c.fail(o, "%s has no livenessProbe", where)
			}
			if ctr.ReadinessProbe == nil {
				c.fail(o, "%s has no readinessProbe", where)
			}
		}
		for name, p := range map[string]*corev1.Probe{"livenessProbe": ctr.LivenessProbe, "readinessProbe": ctr.ReadinessProbe, "startupProbe": ctr.StartupProbe} {
			if p != nil && p.HTTPGet != nil && !containerHasPort(ctr, p.HTTPGet.Port) {
				c.fail(o, "%s %s uses port %s, which the container does not declare", where, name, p.HTTPGet.Port.String())
			}
		}

		for _, e := range ctr.Env {
			if looksSecret(e.Name) && !strings.HasSuffix(e.Name, "_FILE") && e.Value != "" {
				c.fail(o, "%s: %s has a literal value; mount a Secret and use %s_FILE", where, e.Name, e.Name)
			}
			if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef != nil {
				c.checkSecretRef(o, where, e.ValueFrom.SecretKeyRef.Name, []string{e.ValueFrom.SecretKeyRef.Key})
			}
			if e.ValueFrom != nil && e.ValueFrom.ConfigMapKeyRef != nil {
				c.checkConfigMapRef(o, where, e.ValueFrom.ConfigMapKeyRef.Name)
			}
		}
		for _, ef := range ctr.EnvFrom {
			if ef.ConfigMapRef != nil {
				c.checkConfigMapRef(o, where, ef.ConfigMapRef.Name)
			}
			if ef.SecretRef != nil {
				c.checkSecretRef(o, where, ef.SecretRef.Name, nil)
			}
		}
		if strings.HasPrefix(ctr.Image, appImage) && !isInit {
			c.checkAppContainer(w, ctr)
		}
	}

	for name, v := range volumes {
		if !mounted[name] {
			c.fail(o, "volume %s is never mounted", name)
		}
		switch {
		case v.Secret != nil:
			var ks []string
			for _, it := range v.Secret.Items {
				ks = append(ks, it.Key)
			}
			c.checkSecretRef(o, "volume "+name, v.Secret.SecretName, ks)
		case v.ConfigMap != nil:
			c.checkConfigMapRef(o, "volume "+name, v.ConfigMap.Name)
		case v.PersistentVolumeClaim != nil:
			if _, ok := c.find("PersistentVolumeClaim", o.Namespace, v.PersistentVolumeClaim.ClaimName); !ok {
				c.fail(o, "volume %s uses missing PersistentVolumeClaim %s", name, v.PersistentVolumeClaim.ClaimName)
			}
		}
	}
}

// checkAppContainer: the tweets binary's own contract.
func (c *checker) checkAppContainer(w workload, ctr corev1.Container) {
	o := w.obj
	switch o.Kind {
	case "Deployment":
		if len(ctr.Args) == 0 || ctr.Args[0] != "serve" {
			c.fail(o, "the application container must run `serve`, not %v", ctr.Args)
		}
		if p := ctr.LivenessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/healthz" {
			c.fail(o, "livenessProbe must GET /healthz")
		}
		if p := ctr.ReadinessProbe; p == nil || p.HTTPGet == nil || p.HTTPGet.Path != "/readyz" {
			c.fail(o, "readinessProbe must GET /readyz")
		}
		if v, ok := c.envValue(o, ctr, "TWEETS_MIGRATE_ON_START"); !ok || v != "false" {
			c.fail(o, "TWEETS_MIGRATE_ON_START must be false (the migration Job migrates), got %q", v)
		}
		c.checkProbeHosts(o, ctr)
	case "Job":
		if len(ctr.Args) == 0 || ctr.Args[0] != "migrate" && ctr.Args[0] != "backup" {
			c.fail(o, "a Job of the application image runs `migrate` or `backup`, not %v", ctr.Args)
		}
	}
	if _, ok := c.envValue(o, ctr, "TWEETS_SECRET_KEY_FILE"); !ok {
		c.fail(o, "the application needs TWEETS_SECRET_KEY_FILE")
	}
}

// checkProbeHosts: the application answers requests on its main listener
// only for the Host names in TWEETS_ALLOWED_HOSTS (400 otherwise), and the
// kubelet sends the pod's IP unless a probe sets a Host header. So every
// HTTP probe goes to the admin listener (TWEETS_ADMIN_ADDR), which checks
// no Host, or sends a Host that the list allows.
func (c *checker) checkProbeHosts(o object, ctr corev1.Container) {
	adminPort := int32(-1)
	if v, ok := c.envValue(o, ctr, "TWEETS_ADMIN_ADDR"); ok && v != "" {
		if _, p, err := net.SplitHostPort(v); err == nil {
			if n, err := strconv.Atoi(p); err == nil {
				adminPort = int32(n)
			}
		}
	}
	allowed, ok := c.envValue(o, ctr, "TWEETS_ALLOWED_HOSTS")
	if !ok {
		allowed = "localhost,127.0.0.1,::1" // the application's default
	}
	for _, pr := range []struct {
		name  string
		probe *corev1.Probe
	}{{"startupProbe", ctr.StartupProbe}, {"livenessProbe", ctr.LivenessProbe}, {"readinessProbe", ctr.ReadinessProbe}} {
		if pr.probe == nil || pr.probe.HTTPGet == nil {
			continue
		}
		get := pr.probe.HTTPGet
		if n, ok := containerPortNumber(ctr, get.Port); ok && n == adminPort {
			continue
		}
		host := ""
		for _, h := range get.HTTPHeaders {
			if strings.EqualFold(h.Name, "Host") {
				host = h.Value
			}
		}
		if !hostAllowed(host, allowed) {
			sent := host
			if sent == "" {
				sent = "the pod IP (no Host header)"
			}
			c.fail(o, "%s on port %s sends Host %s, which TWEETS_ALLOWED_HOSTS (%s) does not list: the application answers 400; "+
				"probe the admin port (TWEETS_ADMIN_ADDR) or add httpHeaders [{name: Host, value: ONE_OF_THE_ALLOWED_HOSTS}]",
				pr.name, get.Port.String(), sent, allowed)
		}
	}
}

// hostAllowed is the application's rule (middleware.HostAllowed): an
// exact name, ".example.com" for the domain and its subdomains, "*" for
// any. An empty host stands for the pod IP, which no list names.
func hostAllowed(host, allowed string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(strings.Trim(host, "[]"))
	for _, a := range strings.Split(allowed, ",") {
		a = strings.ToLower(strings.Trim(strings.TrimSpace(a), "[]"))
		if a == "*" {
			return true
		}
		if host == "" || a == "" {
			continue
		}
		if host == a || strings.HasPrefix(a, ".") && (host == a[1:] || strings.HasSuffix(host, a)) {
			return true
		}
	}
	return false
}

// containerPortNumber resolves a probe's port, by name or number.
func containerPortNumber(ctr corev1.Container, port intstr.IntOrString) (int32, bool) {
	if port.Type == intstr.Int {
		return port.IntVal, true
	}
	for _, p := range ctr.Ports {
		if p.Name == port.StrVal {
			return p.ContainerPort, true
		}
	}
	return 0, false
}

// envValue resolves an environment variable of ctr from env or a ConfigMap.
func (c *checker) envValue(o object, ctr corev1.Container, name string) (string, bool) {
	for _, e := range ctr.Env {
		if e.Name == name && e.ValueFrom == nil {
			return e.Value, true
		}
	}
	for _, ef := range ctr.EnvFrom {
		if ef.ConfigMapRef == nil {
			continue
		}
		if cm, ok := c.find("ConfigMap", o.Namespace, ef.ConfigMapRef.Name); ok {
			if v, ok := cm.Value.(*corev1.ConfigMap).Data[name]; ok {
				return v, true
			}
		}
	}
	return "", false
}

func (c *checker) checkConfigMapRef(o object, where, name string) {
	if _, ok := c.find("ConfigMap", o.Namespace, name); !ok {
		c.fail(o, "%s refers to missing ConfigMap %s", where, name)
	}
}

// checkSecretRef: Secrets are created out of band, so they must be in the
// template (secret.example.yaml), with the keys used.
func (c *checker) checkSecretRef(o object, where, name string, usedKeys []string) {
	ks, ok := c.secrets[name]
	if !ok {
		c.fail(o, "%s refers to Secret %s, which secret.example.yaml does not describe", where, name)
		return
	}
	for _, k := range usedKeys {
		if !ks[k] {
			c.fail(o, "%s uses key %s of Secret %s, missing from secret.example.yaml", where, k, name)
		}
	}
}

func (c *checker) checkSelectorMatchesTemplate(o object, sel *metav1.LabelSelector, t *corev1.PodTemplateSpec) {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil || s.Empty() {
		c.fail(o, "has an empty or invalid selector")
		return
	}
	if !s.Matches(labels.Set(t.Labels)) {
		c.fail(o, "selector %s does not match its pod template labels %v", s, t.Labels)
	}
}

func (c *checker) checkSelects(o object, sel *metav1.LabelSelector, what string) []workload {
	s, err := metav1.LabelSelectorAsSelector(sel)
	if err != nil {
		c.fail(o, "invalid %s: %v", what, err)
		return nil
	}
	ws := c.podsSelectedBy(o.Namespace, s)
	if len(ws) == 0 {
		c.fail(o, "%s %s selects no pods of this build", what, s)
	}
	return ws
}

func (c *checker) checkService(o object, svc *corev1.Service) {
	if svc.Spec.Type == corev1.ServiceTypeExternalName {
		if svc.Spec.ExternalName == "" {
			c.fail(o, "ExternalName service without externalName")
		}
		return
	}
	ws := c.checkSelects(o, &metav1.LabelSelector{MatchLabels: svc.Spec.Selector}, "selector")
	for _, p := range svc.Spec.Ports {
		for _, w := range ws {
			found := false
			for _, ctr := range w.template.Spec.Containers {
				if containerHasPort(ctr, targetPort(p)) {
					found = true
				}
			}
			if !found {
				tp := targetPort(p)
				c.fail(o, "port %s targets %s, which %s does not declare", p.Name, tp.String(), w.obj)
			}
		}
	}
}

func targetPort(p corev1.ServicePort) intstr.IntOrString {
	if p.TargetPort.Type == intstr.Int && p.TargetPort.IntVal == 0 {
		return intstr.FromInt32(p.Port)
	}
	return p.TargetPort
}

func (c *checker) checkIngress(o object, ing *networkingv1.Ingress) {
	if ing.Spec.IngressClassName == nil || *ing.Spec.IngressClassName == "" {
		c.fail(o, "sets no ingressClassName")
	}
	for _, r := range ing.Spec.Rules {
		if r.HTTP == nil {
			continue
		}
		for _, p := range r.HTTP.Paths {
			if p.Backend.Service == nil {
				c.fail(o, "path %s has no service backend", p.Path)
				continue
			}
			svcObj, ok := c.find("Service", o.Namespace, p.Backend.Service.Name)
			if !ok {
				c.fail(o, "path %s routes to missing Service %s", p.Path, p.Backend.Service.Name)
				continue
			}
			svc := svcObj.Value.(*corev1.Service)
			found := false
			for _, sp := range svc.Spec.Ports {
				if sp.Name == p.Backend.Service.Port.Name && sp.Name != "" || p.Backend.Service.Port.Number != 0 && sp.Port == p.Backend.Service.Port.Number {
					found = true
					if sp.Name == "admin" {
						c.fail(o, "path %s exposes the admin port (metrics, pprof)", p.Path)
					}
				}
			}
			if !found {
				c.fail(o, "path %s routes to a port Service %s does not have", p.Path, svc.Name)
			}
		}
	}
}

func (c *checker) checkHPA(o object, hpa *autoscalingv2.HorizontalPodAutoscaler) {
	ref := hpa.Spec.ScaleTargetRef
	target, ok := c.find(ref.Kind, o.Namespace, ref.Name)
	if !ok {
		c.fail(o, "scales missing %s %s", ref.Kind, ref.Name)
		return
	}
	if hpa.Spec.MinReplicas != nil && *hpa.Spec.MinReplicas > hpa.Spec.MaxReplicas {
		c.fail(o, "minReplicas %d > maxReplicas %d", *hpa.Spec.MinReplicas, hpa.Spec.MaxReplicas)
	}
	if d, ok := target.Value.(*appsv1.Deployment); ok && d.Spec.Replicas != nil {
		c.fail(target, "sets replicas although %s scales it (every apply would reset the count)", o)
	}
	if len(hpa.Spec.Metrics) == 0 {
		c.fail(o, "has no metrics")
	}
	for _, m := range hpa.Spec.Metrics {
		if m.Type == autoscalingv2.ResourceMetricSourceType && m.Resource != nil {
			for _, w := range c.podsOf(target) {
				for _, ctr := range w.template.Spec.Containers {
					if _, ok := ctr.Resources.Requests[m.Resource.Name]; !ok {
						c.fail(o, "scales on %s utilization but container %s requests no %s", m.Resource.Name, ctr.Name, m.Resource.Name)
					}
				}
			}
		}
	}
}

func (c *checker) podsOf(o object) []workload {
	for _, w := range c.workloads() {
		if w.obj.Kind == o.Kind && w.obj.Name == o.Name && w.obj.Namespace == o.Namespace {
			return []workload{w}
		}
	}
	return nil
}

func (c *checker) checkNetworkPolicy(o object, np *networkingv1.NetworkPolicy) {
	if len(np.Spec.PodSelector.MatchLabels) == 0 && len(np.Spec.PodSelector.MatchExpressions) == 0 {
		return // applies to the whole namespace
	}
	ws := c.checkSelects(o, &np.Spec.PodSelector, "podSelector")
	for _, rule := range np.Spec.Ingress {
		for _, p := range rule.Ports {
			if p.Port == nil || p.Port.Type != intstr.String {
				continue
			}
			for _, w := range ws {
				found := false
				for _, ctr := range w.template.Spec.Containers {
					if containerHasPort(ctr, *p.Port) {
						found = true
					}
				}
				if !found {
					c.fail(o, "ingress port %s is not declared by %s", p.Port.StrVal, w.obj)
				}
			}
		}
	}
}

func (c *checker) checkImage(o object, where, image string) {
	if image == "" {
		c.fail(o, "%s has no image", where)
		return
	}
	if strings.Contains(image, "@sha256:") {
		return
	}
	last := image[strings.LastIndex(image, "/")+1:]
	i := strings.LastIndex(last, ":")
	if i < 0 {
		c.fail(o, "%s image %s has no tag (set one with kustomize images:)", where, image)
	} else if last[i+1:] == "latest" {
		c.fail(o, "%s image %s uses the latest tag", where, image)
	}
}

func (c *checker) checkResources(o object, where string, r corev1.ResourceRequirements) {
	for _, name := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		if _, ok := r.Requests[name]; !ok {
			c.fail(o, "%s requests no %s", where, name)
		}
	}
	lim, ok := r.Limits[corev1.ResourceMemory]
	if !ok {
		c.fail(o, "%s has no memory limit", where)
		return
	}
	if req, ok := r.Requests[corev1.ResourceMemory]; ok && req.Cmp(lim) > 0 {
		c.fail(o, "%s requests more memory than its limit", where)
	}
}

func containerHasPort(ctr corev1.Container, port intstr.IntOrString) bool {
	for _, p := range ctr.Ports {
		if port.Type == intstr.String && p.Name == port.StrVal || port.Type == intstr.Int && p.ContainerPort == port.IntVal {
			return true
		}
	}
	return false
}

func containsCap(caps []corev1.Capability, want corev1.Capability) bool {
	for _, c := range caps {
		if c == want {
			return true
		}
	}
	return false
}

func looksSecret(name string) bool {
	n := strings.ToUpper(name)
	return strings.Contains(n, "PASSWORD") || strings.Contains(n, "SECRET") || strings.Contains(n, "TOKEN") || strings.HasSuffix(n, "_KEY")
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
