package main

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// TestUploadsLeaveNoTempFiles: every upload the server spools to $TMPDIR,
// refused or accepted, is deleted once answered, and refused uploads
// count against the posting limit.
func TestUploadsLeaveNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	env := backends(t)["sqlite"]()
	env["TWEETS_DEMO"] = "0"
	env["TMPDIR"] = tmp
	s := startServer(t, env)
	b := webtest.New(t, s.URL)
	b.SignUp("uploader", "password123")

	noise := testimage.NoisePNG(700, 500) // 1.4 MB: spooled to disk, not memory
	for _, tc := range []struct {
		name   string
		text   string
		file   []byte
		status int
	}{
		{"accepted", "a photo", noise, 303},
		{"over the file limit", "big", randomBytes(8<<20 + 100<<10), 413},
		{"over the body limit", "bigger", randomBytes(10 << 20), 413},
		{"not an image", "notes", randomBytes(2 << 20), 422},
		{"text too long", strings.Repeat("x", 281), noise, 422},
		{"NUL in the text", "nul\x00", noise, 422},
		{"bad CSRF token", "forged", noise, 403},
	} {
		if tc.status == 403 {
			good := b.CSRF
			b.CSRF = "forged-token"
			r := b.PostTweet(tc.text, "photo.png", tc.file)
			b.CSRF = good
			webtest.Expect(t, r, tc.status)
		} else {
			webtest.Expect(t, b.PostTweet(tc.text, "photo.png", tc.file), tc.status)
		}
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Errorf("%s: %d file(s) left in $TMPDIR: %s", tc.name, len(left), left[0].Name())
		}
	}
	// Every attempt counted, refused ones too: 7 so far. The limit is 30
	// a minute.
	posts := 7
	for ; posts < 40; posts++ {
		r := b.PostTweet("", "notes.png", randomBytes(2<<20))
		if r.StatusCode == 429 {
			if r.Header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			break
		}
		webtest.Expect(t, r, 422)
	}
	if posts != 30 {
		t.Errorf("posting stopped after %d attempts, want 30", posts)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("after throttled uploads: %d file(s) left in $TMPDIR", len(left))
	}
}

// peakRSS reads the high-water mark of a process's resident memory.
func peakRSS(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 3 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM in /proc status")
	return 0
}

// memoryBound is docs/limits.md's worst case with the defaults:
// image workers × (largest upload + largest decode) + the server's own
// working set.
const memoryBound = 2*(8+144)<<20 + 192<<20

// TestMemoryStaysBoundedUnderWorstCaseUploads uploads 8 of the costliest
// images the limits admit (8K at 8 bits per channel, 133 MB decoded) and
// 8 that they refuse (8K at 16 bits, 265 MB decoded) at once, and
// checks the server's peak resident memory against the documented bound.
func TestMemoryStaysBoundedUnderWorstCaseUploads(t *testing.T) {
	env := backends(t)["sqlite"]()
	env["TWEETS_DEMO"] = "0"
	s := startServer(t, env)
	pid := s.Cmd.Process.Pid
	before := peakRSS(t, pid)

	var browsers []*webtest.Browser
	for i := range 8 { // each account uploads twice, from two browsers
		a, b := webtest.New(t, s.URL), webtest.New(t, s.URL)
		a.SignUp(fmt.Sprintf("heavy%d", i), "password123")
		b.LogIn(fmt.Sprintf("heavy%d", i), "password123")
		browsers = append(browsers, a, b)
	}
	var wg sync.WaitGroup
	codes := make([]int, len(browsers))
	took := make([]time.Duration, len(browsers))
	start := time.Now()
	for i, b := range browsers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img := testimage.PNG8K()
			if i%2 == 1 {
				img = testimage.PNG8K16()
			}
			codes[i] = b.PostTweet("8K", "8k.png", img).StatusCode
			took[i] = time.Since(start)
		}()
	}
	wg.Wait()
	// Refused from the header, the 16-bit ones never queue behind the
	// decodes: each is answered before the last decode is done.
	var lastAdmitted, lastRefused time.Duration
	for i, d := range took {
		if i%2 == 1 {
			lastRefused = max(lastRefused, d)
		} else {
			lastAdmitted = max(lastAdmitted, d)
		}
	}
	if lastRefused >= lastAdmitted {
		t.Errorf("refused uploads waited for the decodes: last refused after %v, last admitted after %v", lastRefused, lastAdmitted)
	}
	for i, c := range codes {
		if want := map[bool]int{false: 303, true: 413}[i%2 == 1]; c != want {
			t.Errorf("upload %d: status %d, want %d", i, c, want)
		}
	}
	peak := peakRSS(t, pid)
	t.Logf("peak RSS %d MiB (%d MiB before the uploads); bound %d MiB", peak>>20, before>>20, memoryBound>>20)
	if peak > memoryBound {
		t.Errorf("peak RSS %d MiB is over the documented bound of %d MiB", peak>>20, memoryBound>>20)
	}
}

// TestSlowBodies: a form body trickled in is cut off after the form read
// timeout; an upload as slow still gets through.
func TestSlowBodies(t *testing.T) {
	env := backends(t)["sqlite"]()
	env["TWEETS_DEMO"] = "0"
	env["TWEETS_FORM_READ_TIMEOUT"] = "1s"
	s := startServer(t, env)
	b := webtest.New(t, s.URL)
	b.SignUp("slowpoke", "password123")
	u, _ := url.Parse(s.URL)
	var cookies []string
	for _, c := range b.Client.Jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}

	// trickle sends body in chunks of n bytes every 100 ms and returns
	// how long until the server answered, and its status line.
	trickle := func(path, contentType, body string, n int) (time.Duration, string) {
		conn, err := net.Dial("tcp", s.Addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n",
			path, strings.Join(cookies, "; "), contentType, len(body))
		done := make(chan string, 1)
		go func() {
			line, _ := bufio.NewReader(conn).ReadString('\n')
			done <- strings.TrimSpace(line)
		}()
		for i := 0; i < len(body); i += n {
			select {
			case line := <-done:
				return time.Since(start), line
			case <-time.After(100 * time.Millisecond):
			}
			if _, err := conn.Write([]byte(body[i:min(i+n, len(body))])); err != nil {
				break
			}
		}
		select {
		case line := <-done:
			return time.Since(start), line
		case <-time.After(10 * time.Second):
			return time.Since(start), "no answer"
		}
	}
	// 40 bytes at 10 a second would take 4 s.
	d, status := trickle("/login", "application/x-www-form-urlencoded", "username=alice&password="+strings.Repeat("x", 16), 1)
	if d > 3*time.Second {
		t.Errorf("a trickled form held the connection for %v; the form read timeout is 1s", d)
	}
	t.Logf("trickled form: answered after %v with %q", d.Round(time.Millisecond), status)

	// A multipart body is read under the upload timeout (2 minutes):
	// 2 s of trickling, and the form is read to the end (and refused for
	// its made-up CSRF token, which proves it was read).
	mp := "--b\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n" + strings.Repeat("x", 40) + "\r\n--b--\r\n"
	d, status = trickle("/tweets", "multipart/form-data; boundary=b", mp, len(mp)/20+1)
	if !strings.Contains(status, "403") || d < 1500*time.Millisecond {
		t.Errorf("a slow upload was answered after %v with %q; it must be read to the end", d, status)
	}
}
