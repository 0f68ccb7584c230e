package faulttest

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestDatabaseRestart stops PostgreSQL under load and starts it again:
// the server must report not ready while it is down, become ready again
// by itself, and lose no acknowledged write (API posts that failed are
// retried with their Idempotency-Key and make one tweet). SQLite is a
// file inside the process: it has no server to stop.
func TestDatabaseRestart(t *testing.T) {
	t.Parallel() // with the other PostgreSQL-only scenario
	d := duration(t)
	db := newBackend(t, "postgres", true)
	n := newNode(t, db, nil)
	srv := n.start(t)
	users := signUp(t, srv.URL, "dbdown", 6)
	l := newLoad(t, srv.URL, users, defaultMix)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	wait := l.run(ctx, len(users), 2)

	outages := max(1, int(d/(20*time.Second)))
	var notReady, recovered time.Duration
	for range outages {
		time.Sleep(d / time.Duration(2*outages+1))
		l.setFault(true)
		db.pg.Stop(t)
		stopped := time.Now()
		notReady += waitFor(t, 15*time.Second, "/readyz to report the database down", func() bool { return !ready(srv.URL) })
		if body := readyzBody(t, srv.URL); !strings.Contains(body, "database unavailable") || strings.Contains(body, hostOf(db.url)) {
			t.Errorf("/readyz with the database down: %q (want the reason, without the database's address)", body)
		}
		time.Sleep(time.Until(stopped.Add(max(time.Second, d/time.Duration(4*outages)))))
		db.pg.Start(t)
		recovered += waitFor(t, 30*time.Second, "/readyz to recover by itself", func() bool { return ready(srv.URL) })
		l.setFault(false)
	}
	wait()
	retried := l.retryUnacked(t)
	l.checkNoUnexpected(t)
	t.Logf("refused while the database was down: %s", l.faultStatuses())

	sdb := openDB(t, n)
	o := checkPosts(t, sdb, l)
	m := compareMedia(t, sdb, diskMedia(t, n.mediaDir))
	m.check(t)
	f := l.figures()
	o.add(f)
	m.add(f)
	f["duration"], f["faults"], f["retried_with_key"] = d, outages, retried
	f["not_ready_after_ms"], f["ready_again_after_ms"] = notReady.Milliseconds()/int64(outages), recovered.Milliseconds()/int64(outages)
	f.log(t, "database-restart", "postgres")
}

func readyzBody(t *testing.T, base string) string {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(base + "/readyz")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Host
}
