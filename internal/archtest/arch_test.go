// Package archtest holds the rules of docs/architecture.md as a test:
// which package may import which, and where the environment is read and
// listeners opened. A new package fails it until it is placed in the
// table below.
package archtest

import (
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/tweetsdev/tweets"

// allowed lists, for each package of the module (by its path inside the
// module), the packages of the module it may import outside tests. "*"
// allows any.
var allowed = map[string][]string{
	// The core: types, rules, the Service and its interfaces.
	"": {},
	// Transports: the core and the shared HTTP plumbing only.
	"web":        {"", "middleware"},
	"api":        {"", "middleware"},
	"middleware": {""},
	// Adapters: the core, plus declared fallbacks and the SQL layer.
	"sqlstore":  {""},
	"sqlite":    {"", "sqlstore"},
	"postgres":  {"", "sqlstore"},
	"redis":     {"", "ratelimit"}, // falls back to in-process limits
	"ratelimit": {""},
	"inmem":     {""},
	"cache":     {""},
	"media":     {""},
	"s3":        {""},
	"password":  {""},
	"metrics":   {""},
	// Operations.
	"backup": {"", "sqlstore"},
	"config": {},
	"seed":   {""}, // generates data for benchmarks; writes through tweets.BulkLoader
	// Wiring and tooling.
	"cmd/tweets":       {"*"},
	"deploy/bench":     {}, // talks to a server over HTTP only
	"deploy/stacktest": {"*"},
	"deploy/faulttest": {"*"},
	// Tests only.
	"storetest": {"", "sqlstore"},
}

// forbiddenInCore are packages (or, ending in /, module prefixes) the
// core must not depend on, even indirectly: it does no I/O of its own.
var forbiddenInCore = []string{"net/http", "database/sql", "github.com/jackc/", "modernc.org/sqlite", "github.com/redis/", "github.com/minio/"}

func forbidden(dep string) bool {
	for _, f := range forbiddenInCore {
		if dep == f || strings.HasSuffix(f, "/") && strings.HasPrefix(dep, f) {
			return true
		}
	}
	return false
}

type pkg struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Imports    []string
	Deps       []string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", module+"/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func rel(path string) (string, bool) {
	if path == module {
		return "", true
	}
	if r, ok := strings.CutPrefix(path, module+"/"); ok {
		return r, true
	}
	return "", false
}

func TestImportsFollowTheArchitecture(t *testing.T) {
	for _, p := range listPackages(t) {
		name, _ := rel(p.ImportPath)
		internal := strings.HasPrefix(name, "internal/")
		rules, known := allowed[name]
		if !known && !internal {
			t.Errorf("package %q is not in the architecture table: place it in internal/archtest", name)
			continue
		}
		for _, imp := range p.Imports {
			r, ours := rel(imp)
			if !ours {
				continue
			}
			if strings.HasPrefix(r, "internal/") {
				if !internal && name != "cmd/tweets" && name != "deploy/stacktest" && name != "deploy/faulttest" && name != "storetest" {
					t.Errorf("%q imports %q: internal packages are for tests", name, r)
				}
				continue
			}
			if internal || slices.Contains(rules, "*") || slices.Contains(rules, r) {
				continue
			}
			t.Errorf("%q imports %q, which the architecture does not allow", name, r)
		}
		if name == "" {
			for _, d := range p.Deps {
				if forbidden(d) {
					t.Errorf("the core depends on %s (through its imports): it must do no I/O of its own", d)
				}
			}
		}
	}
}

// ambient matches what only cmd/tweets may do: read the environment and
// open listeners.
var ambient = regexp.MustCompile(`\bos\.(Getenv|LookupEnv|Environ|Setenv)\(|\bnet\.Listen(TCP|Packet)?\(`)

func TestOnlyTheCommandReadsTheEnvironment(t *testing.T) {
	for _, p := range listPackages(t) {
		name, _ := rel(p.ImportPath)
		if name == "cmd/tweets" || strings.HasPrefix(name, "internal/") || strings.HasPrefix(name, "deploy/") {
			continue
		}
		for _, f := range p.GoFiles {
			b, err := os.ReadFile(filepath.Join(p.Dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if m := ambient.Find(b); m != nil {
				t.Errorf("%s/%s calls %s: only cmd/tweets reads the environment or opens listeners", name, f, m)
			}
		}
	}
}
