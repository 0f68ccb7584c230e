package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the real tweets binary once per test run.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "tweets-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "tweets")
		cmd := exec.Command("go", "build", "-o", binPath, ".")
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

func freePort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// server is the real binary running on loopback.
type server struct {
	URL  string
	cmd  *exec.Cmd
	logs *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startServer runs `tweets serve` with env and waits until it is ready.
func startServer(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	s := startServerNoWait(t, env, args...)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(s.URL + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s
			}
		}
		if s.cmd.ProcessState != nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("the server did not start:\n%s", s.logs.String())
	return nil
}

// startServerNoWait runs `tweets serve` with env.
func startServerNoWait(t *testing.T, env map[string]string, args ...string) *server {
	t.Helper()
	addr := freePort(t)
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", addr, "--log-format", "json"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	s := &server{URL: "http://" + addr, cmd: cmd, logs: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.stop()
		if t.Failed() {
			t.Logf("server log:\n%s", s.logs.String())
		}
	})
	return s
}

func (s *server) stop() {
	if s.cmd.Process == nil || s.cmd.ProcessState != nil {
		return
	}
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// TestEndToEnd drives the real binary on each backend: sign up, log in,
// post a tweet with an image, find it on / and the profile, delete it.
func TestEndToEnd(t *testing.T) {
	for name, envFor := range backends(t) {
		t.Run(name, func(t *testing.T) {
			env := envFor()
			env["TWEETS_DEMO"] = "0"
			s := startServer(t, env)

			b := webtest.New(t, s.URL)
			b.SignUp("carol", "carol-password")
			b.Post("/logout", nil)
			b.LogIn("carol", "carol-password")

			r := b.PostTweet("End to end ✓", "photo.jpg", testimage.JPEG(64, 48))
			if r.StatusCode != http.StatusSeeOther {
				t.Fatalf("post: %d\n%s", r.StatusCode, r.Body)
			}
			home := b.Get("/")
			webtest.Expect(t, home, 200, "Tweet posted successfully!", "End to end ✓")
			img := regexp.MustCompile(`<img src="(/media/[a-z0-9]+\.jpg)"`).FindStringSubmatch(home.Body)
			if img == nil {
				t.Fatalf("no image on /:\n%s", home.Body)
			}
			if m := b.Get(img[1]); m.StatusCode != 200 || m.Header.Get("Content-Type") != "image/jpeg" {
				t.Errorf("image: %d %s", m.StatusCode, m.Header.Get("Content-Type"))
			}
			anon := webtest.New(t, s.URL)
			webtest.Expect(t, anon.Get("/@carol"), 200, "End to end ✓", img[1])

			del := regexp.MustCompile(`action="(/tweets/\d+/delete)"`).FindStringSubmatch(home.Body)
			if del == nil {
				t.Fatal("no delete button")
			}
			webtest.Expect(t, b.Post(del[1], nil), http.StatusSeeOther)
			webtest.Expect(t, b.Get("/"), 200, "Tweet deleted.")
			if strings.Contains(anon.Get("/@carol").Body, "End to end") {
				t.Error("the deleted tweet is still on the profile")
			}
			if m := anon.Get(img[1]); m.StatusCode != 404 {
				t.Errorf("the deleted tweet's image: %d, want 404", m.StatusCode)
			}
		})
	}
}

// TestDemoAccount checks the first run on SQLite: the demo account
// exists, can log in, and the log says so; TWEETS_DEMO=0 turns it off.
func TestDemoAccount(t *testing.T) {
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir()})
	webtest.New(t, s.URL).LogIn("demo", "demo12345")
	if !strings.Contains(s.logs.String(), "created the demo account") {
		t.Errorf("the log does not mention the demo account:\n%s", s.logs.String())
	}
	s2 := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"})
	b := webtest.New(t, s2.URL)
	b.Get("/login")
	if r := b.Post("/login", map[string][]string{"username": {"demo"}, "password": {"demo12345"}}); r.StatusCode != 401 {
		t.Errorf("TWEETS_DEMO=0 still made the demo account: %d", r.StatusCode)
	}
}

// TestGracefulStop checks that SIGINT ends the server with status 0.
func TestGracefulStop(t *testing.T) {
	s := startServer(t, map[string]string{"TWEETS_DATA_DIR": t.TempDir(), "TWEETS_DEMO": "0"})
	s.stop()
	if !s.cmd.ProcessState.Success() {
		t.Errorf("exit status %v", s.cmd.ProcessState)
	}
	sc := bufio.NewScanner(strings.NewReader(s.logs.String()))
	stopped := false
	for sc.Scan() {
		stopped = stopped || strings.Contains(sc.Text(), `"msg":"stopped"`)
	}
	if !stopped {
		t.Errorf("no 'stopped' log line:\n%s", s.logs.String())
	}
}
