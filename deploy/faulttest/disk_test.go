package faulttest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// imageFaultMix posts many images, with text posts and reads that must
// keep working while images cannot be stored.
var imageFaultMix = mix{read: 40, webPost: 15, imagePost: 30, apiPost: 15}

// TestDiskFull fills the media directory's file system under load, then
// frees it.
func TestDiskFull(t *testing.T) {
	mediaFault(t, "disk-full", func(t *testing.T, dir string) func() {
		filler := filepath.Join(dir, "filler")
		f, err := os.Create(filler)
		if err != nil {
			t.Fatal(err)
		}
		chunk := make([]byte, 1<<20)
		for range 4096 { // bounded: the tmpfs is far smaller than 4 GiB
			if _, err = f.Write(chunk); err != nil {
				break
			}
		}
		f.Close()
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("filling the media file system: %v, want ENOSPC", err)
		}
		return func() {
			if err := os.Remove(filler); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestReadOnlyMedia makes the media directory read-only under load, then
// writable again. Root ignores file permissions (chmod 0555 stops no
// write by root), so the test remounts the directory's tmpfs read-only,
// which stops everyone.
func TestReadOnlyMedia(t *testing.T) {
	mediaFault(t, "read-only-media", func(t *testing.T, dir string) func() {
		// The kernel refuses while an upload holds a file open for
		// writing ("mount point is busy"): try again between uploads.
		var out []byte
		var err error
		for try := 0; try < 200; try++ {
			if out, err = exec.Command("mount", "-o", "remount,ro", dir).CombinedOutput(); err == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		if err != nil {
			t.Fatalf("mount -o remount,ro %s: %v\n%s", dir, err, out)
		}
		return func() { mount(t, "-o", "remount,rw", dir) }
	})
}

// mediaFault runs the load with the media directory on a small tmpfs of
// the test's own (room for the load's images: 8 MiB and 1 MiB a second), and injects a fault there mid-way (inject returns the
// repair). While it lasts, image posts must fail with a clear error and
// leave nothing behind (no tweet without its image, no half-written
// file), while text posts, reads and the images already stored keep
// working; once repaired, images are taken again.
func mediaFault(t *testing.T, scenario string, inject func(t *testing.T, dir string) (repair func())) {
	needRoot(t)
	for _, name := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // the two databases at once: the short version stays short
			d := duration(t)
			dir := t.TempDir()
			mount(t, "-t", "tmpfs", "-o", fmt.Sprintf("size=%dm,mode=0755", 8+int(d.Seconds())), "tmpfs", dir)
			t.Cleanup(func() { unmount(t, dir) })
			n := newNode(t, newBackend(t, name, false), map[string]string{"TWEETS_MEDIA_DIR": dir})
			srv := n.start(t)
			users := signUp(t, srv.URL, "media", 6)
			l := newLoad(t, srv.URL, users, imageFaultMix)
			l.faultOnly = map[string]bool{"POST /tweets (image)": true}
			stored := storedImage(t, srv.URL, l, users[0])

			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			wait := l.run(ctx, len(users), 2)
			time.Sleep(d / 3)
			l.setFault(true)
			repair := inject(t, dir)
			// Reads go on, the stored images included.
			for range 5 {
				if st := get(t, srv.URL+stored); st != 200 {
					t.Errorf("GET %s with the media directory broken: %d, want 200", stored, st)
				}
				time.Sleep(d / 15)
			}
			time.Sleep(time.Until(deadline(ctx).Add(-d / 3)))
			repair()
			l.setFault(false)
			wait()
			after := storedImage(t, srv.URL, l, users[1])
			l.checkNoUnexpected(t)
			refused, clear := l.refusals("POST /tweets (image)")
			t.Logf("image posts refused during the fault: %s", l.faultStatuses())
			if refused == 0 {
				t.Errorf("no image post was refused during the fault: did it happen?")
			}
			for status, text := range clear {
				if status != http.StatusServiceUnavailable || !strings.Contains(text, "Images cannot be stored right now") {
					t.Errorf("an image post with the media directory broken: %d %q; want a clear refusal (503) saying images cannot be stored now", status, text)
				}
			}

			sdb := openDB(t, n)
			o := checkPosts(t, sdb, l)
			m := compareMedia(t, sdb, diskMedia(t, dir))
			m.check(t)
			f := l.figures()
			o.add(f)
			m.add(f)
			f["duration"], f["faults"], f["images_refused"] = d, 1, refused
			f["image_after_repair"] = after != ""
			f.log(t, scenario, name)
		})
	}
}

var imgSrc = regexp.MustCompile(`<img src="(/media/[a-z0-9]+\.png)"`)

// storedImage posts an image as u and returns its URL from u's profile.
func storedImage(t *testing.T, base string, l *load, u *user) string {
	t.Helper()
	w := l.begin()
	l.webPost(l.indexOf(u), true)
	l.mu.Lock()
	last := l.acked[len(l.acked)-1:]
	l.mu.Unlock()
	if l.inFault(w) || len(last) == 0 || !last[0].image {
		t.Fatalf("an image post outside any fault failed")
	}
	req, _ := http.NewRequest("GET", base+"/@"+u.name, nil)
	st, body, err := l.browse(u, req)
	m := imgSrc.FindStringSubmatch(body)
	if err != nil || st != 200 || m == nil {
		t.Fatalf("no image on /@%s: %d %v", u.name, st, err)
	}
	return m[1]
}

func (l *load) indexOf(u *user) int {
	for i, v := range l.users {
		if v == u {
			return i
		}
	}
	return 0
}

// refusals counts the failures of one kind of request during faults,
// with the visible text of the first answer of each status.
func (l *load) refusals(what string) (n int, byStatus map[int]string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	byStatus = map[int]string{}
	for key, c := range l.statuses {
		rest, ok := strings.CutPrefix(key, what+" ")
		if !ok {
			continue
		}
		n += c
		var st int
		if _, err := fmt.Sscan(rest, &st); err == nil {
			byStatus[st] = l.faultBodies[key]
		}
	}
	return n, byStatus
}

func get(t *testing.T, u string) int {
	t.Helper()
	c := http.Client{Timeout: requestTimeout}
	resp, err := c.Get(u)
	if err != nil {
		t.Errorf("GET %s: %v", u, err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

func mount(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
		t.Fatalf("mount %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// unmount unmounts dir, lazily if something still holds it.
func unmount(t *testing.T, dir string) {
	if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
		if out2, err2 := exec.Command("umount", "-l", dir).CombinedOutput(); err2 != nil {
			t.Errorf("umount %s: %v %s; umount -l: %v %s", dir, err, out, err2, out2)
		}
	}
}
