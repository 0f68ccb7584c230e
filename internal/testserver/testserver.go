// Package testserver builds the real tweets binary once per test run and
// runs it as a process on loopback, for end-to-end and stack tests.
package testserver

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds ./cmd/tweets (CGO off, as released) and returns its path.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		dir, err := os.MkdirTemp("", "tweets-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tweets")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/tweets")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// FreeAddr returns a loopback address with a port nothing listens on.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// Server is the binary running `tweets serve`.
type Server struct {
	URL  string // http://127.0.0.1:port
	Addr string
	Cmd  *exec.Cmd
	Logs *SyncBuffer
}

// SyncBuffer is a bytes buffer safe for concurrent writes and reads.
type SyncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// StartNoWait runs `tweets serve` on a free port with exactly the given
// environment (plus PATH) and returns at once.
func StartNoWait(t testing.TB, env map[string]string, args ...string) *Server {
	t.Helper()
	return StartAtNoWait(t, FreeAddr(t), env, args...)
}

// StartAtNoWait is StartNoWait on a given address: a replica restarted
// where a proxy expects it.
func StartAtNoWait(t testing.TB, addr string, env map[string]string, args ...string) *Server {
	t.Helper()
	cmd := exec.Command(Binary(t), append([]string{"serve", "--addr", addr, "--log-format", "json"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	s := &Server{URL: "http://" + addr, Addr: addr, Cmd: cmd, Logs: &SyncBuffer{}}
	cmd.Stdout, cmd.Stderr = s.Logs, s.Logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("server %s log:\n%s", addr, s.Logs.String())
		}
	})
	return s
}

// Start runs `tweets serve` and waits until /readyz answers 200.
func Start(t testing.TB, env map[string]string, args ...string) *Server {
	t.Helper()
	return StartAt(t, FreeAddr(t), env, args...)
}

// StartAt is Start on a given address.
func StartAt(t testing.TB, addr string, env map[string]string, args ...string) *Server {
	t.Helper()
	s := StartAtNoWait(t, addr, env, args...)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if s.Cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the server did not become ready:\n%s", s.Logs.String())
	return nil
}

// Stop sends SIGINT and waits (killing it after 15 s).
func (s *Server) Stop() {
	if s.Cmd.Process == nil || s.Cmd.ProcessState != nil {
		return
	}
	_ = s.Cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.Cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.Cmd.Process.Kill()
		<-done
	}
}
