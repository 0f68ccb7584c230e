// Command validate builds the Kustomize targets of deploy/k8s with the
// kustomize library (the same code as `kubectl apply -k`), decodes every
// resulting object strictly into its k8s.io/api type, and checks the
// project's policies on them (probes, resources, security contexts, selectors
// that select, references that resolve, no Secret in the build).
//
//	cd deploy/k8s/validate
//	go run . -secret-template ../secret.example.yaml ../base ../overlays/dev ../overlays/prod
//
// It lives in its own Go module so that the application's module never
// depends on Kubernetes libraries. Offline: nothing is fetched at run time.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

func main() {
	secretTemplate := flag.String("secret-template", "", "YAML file describing the Secrets created out of band (placeholders only)")
	printYAML := flag.Bool("print", false, "print the built YAML of each target")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: validate [-secret-template FILE] [-print] KUSTOMIZATION_DIR...")
		os.Exit(2)
	}
	if err := run(os.Stdout, *secretTemplate, *printYAML, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "k8s validate:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, secretTemplate string, printYAML bool, dirs []string) error {
	secrets := map[string]map[string]bool{}
	if secretTemplate != "" {
		var err error
		if secrets, err = loadSecretTemplate(secretTemplate); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %d Secret(s) described, placeholders only\n", secretTemplate, len(secrets))
	}
	failed := false
	for _, dir := range dirs {
		objs, yamlOut, err := build(dir)
		if err != nil {
			return fmt.Errorf("%s: %w", dir, err)
		}
		if printYAML {
			fmt.Fprintf(w, "# --- %s\n%s", dir, yamlOut)
		}
		c := &checker{objs: objs, secrets: secrets}
		c.run()
		if len(c.problems) > 0 {
			failed = true
			for _, p := range c.problems {
				fmt.Fprintf(w, "FAIL %s: %s\n", dir, p)
			}
			continue
		}
		kinds := map[string]int{}
		for _, o := range objs {
			kinds[o.Kind]++
		}
		var parts []string
		for _, k := range sortedKeys(kinds) {
			parts = append(parts, fmt.Sprintf("%d %s", kinds[k], k))
		}
		fmt.Fprintf(w, "ok   %s: %d objects (%s)\n", filepath.Clean(dir), len(objs), strings.Join(parts, ", "))
	}
	if failed {
		return errors.New("policy checks failed")
	}
	return nil
}

// build runs kustomize on dir and decodes every object strictly.
func build(dir string) ([]object, []byte, error) {
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resMap, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return nil, nil, fmt.Errorf("kustomize build: %w", err)
	}
	out, err := resMap.AsYaml()
	if err != nil {
		return nil, nil, err
	}
	var objs []object
	var errs []error
	for _, r := range resMap.Resources() {
		doc, err := r.AsYAML()
		if err != nil {
			return nil, nil, err
		}
		o, err := decodeStrict(doc)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", r.GetKind(), r.GetName(), err))
			continue
		}
		objs = append(objs, o)
	}
	return objs, out, errors.Join(errs...)
}

// loadSecretTemplate decodes the out-of-band Secrets strictly and insists
// that their values are placeholders, never real secrets.
func loadSecretTemplate(path string) (map[string]map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]map[string]bool{}
	for _, doc := range bytes.Split(data, []byte("\n---")) {
		if len(bytes.TrimSpace(stripComments(doc))) == 0 {
			continue
		}
		o, err := decodeStrict(doc)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		s, ok := o.Value.(*corev1.Secret)
		if !ok {
			return nil, fmt.Errorf("%s: only Secrets belong in the template, found %s", path, o)
		}
		if len(s.Data) > 0 {
			return nil, fmt.Errorf("%s: %s: use stringData placeholders, not data", path, o)
		}
		ks := map[string]bool{}
		for k, v := range s.StringData {
			if !strings.Contains(v, "REPLACE") {
				return nil, fmt.Errorf("%s: %s: key %s must hold a REPLACE... placeholder, not a value", path, o, k)
			}
			ks[k] = true
		}
		out[o.Name] = ks
	}
	return out, nil
}

func stripComments(doc []byte) []byte {
	var b bytes.Buffer
	for _, line := range bytes.Split(doc, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] != '#' {
			b.Write(line)
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

func sortedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
