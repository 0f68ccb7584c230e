package main

import (
	"bufio"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/testserver"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// server is the real binary running on loopback.
type server = testserver.Server

func startServer(t *testing.T, env map[string]string, args ...string) *server {
	return testserver.Start(t, env, args...)
}

func startServerNoWait(t *testing.T, env map[string]string, args ...string) *server {
	return testserver.StartNoWait(t, env, args...)
}

func freePort(t *testing.T) string { return testserver.FreeAddr(t) }

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
	if !strings.Contains(s.Logs.String(), "created the demo account") {
		t.Errorf("the log does not mention the demo account:\n%s", s.Logs.String())
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
	s.Stop()
	if !s.Cmd.ProcessState.Success() {
		t.Errorf("exit status %v", s.Cmd.ProcessState)
	}
	sc := bufio.NewScanner(strings.NewReader(s.Logs.String()))
	stopped := false
	for sc.Scan() {
		stopped = stopped || strings.Contains(sc.Text(), `"msg":"stopped"`)
	}
	if !stopped {
		t.Errorf("no 'stopped' log line:\n%s", s.Logs.String())
	}
}
