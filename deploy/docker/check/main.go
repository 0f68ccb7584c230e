// Command check lints the repository's Dockerfile offline with BuildKit's
// own Dockerfile front end (the checks of `docker build --check`, every stage)
// and checks the project's image policy on the parsed instructions.
//
//	cd deploy/docker/check && go run . ../../../Dockerfile ../../../.dockerignore
//
// Base images are never pulled: a stand-in resolver gives every base image an
// empty configuration, so the checks that need a real image config (its ENV,
// its platform) see none. It lives in its own Go module so that the
// application's module does not depend on BuildKit.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	digest "github.com/opencontainers/go-digest"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: check DOCKERFILE DOCKERIGNORE")
		os.Exit(2)
	}
	problems, err := check(os.Args[1], os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "dockerfile check:", err)
		os.Exit(1)
	}
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, "dockerfile check: "+p)
	}
	if len(problems) > 0 {
		os.Exit(1)
	}
	fmt.Printf("dockerfile check: %s: BuildKit lint clean, image policy met\n", os.Args[1])
}

func check(dockerfile, dockerignore string) ([]string, error) {
	dt, err := os.ReadFile(dockerfile)
	if err != nil {
		return nil, err
	}
	var problems []string

	// 1. BuildKit's linter over every stage, as `docker build --check`.
	sm := llb.NewSourceMap(nil, dockerfile, "Dockerfile", dt)
	sm.Definition = &llb.Definition{} // no LLB: only lint results are wanted
	res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
		MetaResolver: offlineResolver{},
		SourceMap:    sm,
	})
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		line := 0
		if len(w.Location.Ranges) > 0 {
			line = int(w.Location.Ranges[0].Start.Line)
		}
		problems = append(problems, fmt.Sprintf("%s:%d: %s: %s (%s)", dockerfile, line, w.RuleName, w.Detail, w.URL))
	}
	if res.Error != nil {
		problems = append(problems, fmt.Sprintf("%s: %s", dockerfile, res.Error.Message))
	}

	// 2. The project's image policy.
	ast, err := parser.Parse(strings.NewReader(string(dt)))
	if err != nil {
		return nil, err
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		return nil, err
	}
	expandBaseNames(stages, metaArgs)
	problems = append(problems, policy(dockerfile, stages)...)
	ign, err := ignorePolicy(dockerignore)
	if err != nil {
		return nil, err
	}
	return append(problems, ign...), nil
}

// expandBaseNames replaces the ARGs declared before the first FROM in each
// stage's base image by their defaults, so that the policy judges the image
// a plain `docker build` uses (FROM ${RUNTIME_BASE}, FROM ${BINARY}).
func expandBaseNames(stages []instructions.Stage, metaArgs []instructions.ArgCommand) {
	var pairs []string
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Value != nil {
				pairs = append(pairs, "${"+kv.Key+"}", *kv.Value, "$"+kv.Key, *kv.Value)
			}
		}
	}
	r := strings.NewReplacer(pairs...)
	for i := range stages {
		stages[i].BaseName = r.Replace(stages[i].BaseName)
	}
}

func policy(file string, stages []instructions.Stage) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, file+": "+fmt.Sprintf(format, args...)) }
	if len(stages) == 0 {
		return []string{file + ": no stage"}
	}
	names := map[string]bool{}
	for _, s := range stages {
		names[strings.ToLower(s.Name)] = true
	}
	for _, s := range stages {
		base := s.BaseName
		if !names[strings.ToLower(base)] && base != "scratch" {
			ref := base[strings.LastIndex(base, "/")+1:]
			if !strings.Contains(ref, ":") && !strings.Contains(base, "@sha256:") {
				fail("stage %q: base image %s has no tag", s.Name, base)
			} else if strings.HasSuffix(ref, ":latest") {
				fail("stage %q: base image %s uses latest", s.Name, base)
			}
		}
		for _, c := range s.Commands {
			if a, ok := c.(*instructions.AddCommand); ok {
				for _, src := range a.SourcePaths {
					if strings.Contains(src, "://") {
						fail("stage %q: ADD of a URL (%s); download in a RUN with a checksum", s.Name, src)
					}
				}
			}
		}
	}

	final := stages[len(stages)-1]
	var user string
	var healthcheck *instructions.HealthCheckCommand
	var entrypoint []string
	labels := map[string]bool{}
	var volumes []string
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			user = c.User
		case *instructions.HealthCheckCommand:
			healthcheck = c
		case *instructions.EntrypointCommand:
			entrypoint = c.CmdLine
		case *instructions.LabelCommand:
			for _, kv := range c.Labels {
				labels[kv.Key] = true
			}
		case *instructions.VolumeCommand:
			volumes = append(volumes, c.Volumes...)
		case *instructions.RunCommand:
			fail("final stage runs a command (RUN %s): keep it to files copied from the build stage", strings.Join(c.CmdLine, " "))
		}
	}
	if user == "" || user == "root" || user == "0" || strings.HasPrefix(user, "0:") {
		fail("final stage must switch to a non-root USER (got %q)", user)
	}
	if healthcheck == nil || healthcheck.Health == nil || len(healthcheck.Health.Test) < 2 || healthcheck.Health.Test[0] != "CMD" {
		fail("final stage needs an exec-form HEALTHCHECK CMD (no shell in the image)")
	}
	if len(entrypoint) == 0 {
		fail("final stage needs an exec-form ENTRYPOINT")
	}
	for _, l := range []string{"org.opencontainers.image.title", "org.opencontainers.image.source", "org.opencontainers.image.version", "org.opencontainers.image.revision"} {
		if !labels[l] {
			fail("final stage lacks the OCI label %s", l)
		}
	}
	for _, v := range volumes {
		if v != "/data" && !strings.HasPrefix(v, "/data/") {
			fail("VOLUME %s: only the data and media directories are volumes", v)
		}
	}
	return problems
}

// ignorePolicy: the build context never carries VCS history, secrets or
// local state.
func ignorePolicy(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	have := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && !strings.HasPrefix(line, "#") {
			have[strings.TrimSuffix(strings.TrimPrefix(line, "/"), "/")] = true
		}
	}
	var problems []string
	for _, want := range []string{".git", ".env", "secrets", "*.tfstate"} {
		if !have[want] {
			problems = append(problems, fmt.Sprintf("%s: must exclude %s", path, want))
		}
	}
	return problems, sc.Err()
}

// offlineResolver answers every base image with an empty linux/amd64 config
// instead of asking a registry.
type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg, err := json.Marshal(map[string]any{"architecture": "amd64", "os": "linux", "config": map[string]any{}, "rootfs": map[string]any{"type": "layers"}})
	if err != nil {
		return "", "", nil, errors.New("cannot encode config")
	}
	return ref, digest.FromBytes([]byte(ref)), cfg, nil
}
