package faulttest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/testserver"
)

// postBurst is a load of mostly posts, with images, for the crash tests.
var postBurst = mix{read: 10, webPost: 25, imagePost: 20, apiPost: 45}

// TestKill9 kills the server with SIGKILL in the middle of a burst of
// posts and starts it again on the same data, as a supervisor would:
// every post that got a success answer must be there, none twice (API
// posts that got no answer are retried with their Idempotency-Key and
// must make one tweet), and once `tweets media gc` has run (as the
// runbook says after a crash) no media file is orphaned or missing.
func TestKill9(t *testing.T) {
	for _, name := range backends {
		t.Run(name, func(t *testing.T) {
			t.Parallel() // the two databases at once: the short version stays short
			d := duration(t)
			kills := max(1, int(d/(10*time.Second)))
			n := newNode(t, newBackend(t, name, false), nil)
			srv := n.start(t)
			users := signUp(t, srv.URL, "crash", 6)
			l := newLoad(t, srv.URL, users, postBurst)
			ctx, cancel := context.WithTimeout(context.Background(), d)
			defer cancel()
			wait := l.run(ctx, len(users), 2)
			var downtime time.Duration
			for k := range kills {
				time.Sleep(d / time.Duration(kills+1))
				if ctx.Err() != nil {
					t.Fatalf("the load ended before kill %d", k+1)
				}
				l.setFault(true)
				_ = srv.Cmd.Process.Kill()
				_ = srv.Cmd.Wait()
				killed := time.Now()
				srv = n.start(t)
				downtime += time.Since(killed)
				l.setBase(srv.URL)
				l.setFault(false)
			}
			wait()
			retried := l.retryUnacked(t)
			l.checkNoUnexpected(t)

			db := openDB(t, n)
			o := checkPosts(t, db, l)
			// A crash between storing a file and committing its row leaves
			// the file without a row: that is what `tweets media gc` is
			// for. Nothing may be missing, before or after.
			before := compareMedia(t, db, diskMedia(t, n.mediaDir))
			srv.Stop()
			gcOut := mediaGC(t, n)
			after := compareMedia(t, db, diskMedia(t, n.mediaDir))
			after.check(t)
			if len(before.missing) > 0 {
				t.Errorf("files named by rows missing after the crash: %v", first(before.missing))
			}
			if t.Failed() {
				t.Logf("tweets media gc: %s", gcOut)
			}
			f := l.figures()
			o.add(f)
			after.add(f)
			f["duration"], f["faults"], f["restart_ms"] = d, kills, downtime.Milliseconds()/int64(kills)
			f["retried_with_key"] = retried
			f["orphaned_before_gc"], f["half_written_before_gc"] = len(before.orphans), len(before.temps)
			f.log(t, "kill-9", name)
		})
	}
}

// mediaGC runs `tweets media gc` on the node's data as an operator would
// after a crash, with every file made two hours old first (the command
// spares files younger than --min-age, uploads that may be in progress).
func mediaGC(t *testing.T, n *node) string {
	t.Helper()
	old := time.Now().Add(-2 * time.Hour)
	for _, name := range diskMedia(t, n.mediaDir) {
		_ = os.Chtimes(filepath.Join(n.mediaDir, name), old, old)
	}
	cmd := exec.Command(testserver.Binary(t), "media", "gc", "--min-age", "1h")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	for k, v := range n.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("tweets media gc: %v\n%s", err, out)
	}
	return string(out)
}
