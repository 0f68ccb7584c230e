package faulttest

import (
	"bufio"
	"context"
	"database/sql"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // PostgreSQL, to check the rows
	_ "modernc.org/sqlite"             // SQLite, to check the rows
)

// openDB opens the node's database to check it behind the server's back
// (SQLite read-only: the server may still run).
func openDB(t *testing.T, n *node) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if n.db.url != "" {
		db, err = sql.Open("pgx", n.db.url)
	} else {
		db, err = sql.Open("sqlite", "file:"+filepath.Join(n.dataDir, "tweets.db")+"?mode=ro&_pragma=busy_timeout(10000)")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// column reads one text column of every row of a query.
func column(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		if s.Valid && s.String != "" {
			out = append(out, s.String)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// outcome is what the database holds of what the load was told.
type outcome struct {
	acked, found, lost, duplicated int
	retried                        int // API posts acknowledged only on a retry with their key
	halfCreated                    int // image posts stored without their image
}

// checkPosts compares the acknowledged posts with the tweets table: each
// must be there exactly once, and no post of the load may be there twice
// (an Idempotency-Key retry included); an image post is never stored
// without its image.
func checkPosts(t *testing.T, db *sql.DB, l *load) outcome {
	t.Helper()
	count := map[string]int{}
	for _, text := range column(t, db, "SELECT text FROM tweets") {
		count[text]++
	}
	withMedia := map[string]bool{}
	for _, text := range column(t, db, "SELECT t.text FROM tweets t JOIN tweet_media m ON m.tweet_id = t.id") {
		withMedia[text] = true
	}
	var o outcome
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range l.acked {
		o.acked++
		if a.retried {
			o.retried++
		}
		switch count[a.text] {
		case 0:
			o.lost++
			if o.lost <= 5 {
				t.Errorf("an acknowledged post is lost: %q (key %q, id %s)", a.text, a.key, a.id)
			}
		default:
			o.found++
		}
	}
	for text, n := range count {
		if !strings.HasPrefix(text, l.prefix+" ") {
			continue
		}
		if n > 1 {
			o.duplicated++
			if o.duplicated <= 5 {
				t.Errorf("a post is stored %d times: %q", n, text)
			}
		}
		if strings.Contains(text, " img-") && !withMedia[text] {
			o.halfCreated++
			if o.halfCreated <= 5 {
				t.Errorf("an image post is stored without its image: %q", text)
			}
		}
	}
	return o
}

// mediaOutcome compares the stored files with the rows that name them.
type mediaOutcome struct {
	files, referenced int
	orphans           []string // files no row names (nor the deletion queue)
	missing           []string // files a row names that are not stored
	temps             []string // half-written uploads left in the directory
}

// referencedKeys reads every key a row names, and those queued for
// deletion.
func referencedKeys(t *testing.T, db *sql.DB) (refs, trash map[string]bool) {
	t.Helper()
	refs, trash = map[string]bool{}, map[string]bool{}
	for _, q := range []string{
		"SELECT storage_key FROM tweet_media", "SELECT thumb_key FROM tweet_media",
		"SELECT storage_key FROM pending_media", "SELECT thumb_key FROM pending_media",
		"SELECT avatar_key FROM users", "SELECT header_key FROM users",
	} {
		for _, k := range column(t, db, q) {
			refs[k] = true
		}
	}
	for _, k := range column(t, db, "SELECT storage_key FROM media_trash") {
		trash[k] = true
	}
	return refs, trash
}

// compareMedia sets the outcome of stored keys against the rows.
func compareMedia(t *testing.T, db *sql.DB, stored []string) mediaOutcome {
	t.Helper()
	refs, trash := referencedKeys(t, db)
	var m mediaOutcome
	have := map[string]bool{}
	for _, k := range stored {
		if strings.HasPrefix(k, ".") {
			m.temps = append(m.temps, k)
			continue
		}
		have[k] = true
		m.files++
		if !refs[k] && !trash[k] {
			m.orphans = append(m.orphans, k)
		}
	}
	for k := range refs {
		m.referenced++
		if !have[k] {
			m.missing = append(m.missing, k)
		}
	}
	return m
}

// diskMedia lists the media directory.
func diskMedia(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var keys []string
	for _, e := range es {
		keys = append(keys, e.Name())
	}
	return keys
}

// check fails the test on orphans, missing files or half-written ones.
func (m mediaOutcome) check(t *testing.T) {
	t.Helper()
	if len(m.orphans)+len(m.missing)+len(m.temps) > 0 {
		t.Errorf("media: %d files, %d named by rows; orphaned %v, missing %v, half-written %v",
			m.files, m.referenced, first(m.orphans), first(m.missing), first(m.temps))
	}
}

func first(s []string) []string {
	if len(s) > 5 {
		return append(s[:5:5], "…")
	}
	return s
}

func (m mediaOutcome) add(f figures) {
	f["media_files"], f["media_orphaned"], f["media_missing"], f["media_half_written"] = m.files, len(m.orphans), len(m.missing), len(m.temps)
}

func (o outcome) add(f figures) {
	f["acked_posts"], f["found"], f["lost"], f["duplicated"], f["retried_with_key"], f["half_created"] =
		o.acked, o.found, o.lost, o.duplicated, o.retried, o.halfCreated
}

// metrics reads the unlabelled samples of a server's /metrics.
func metrics(base string) (map[string]float64, error) {
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := map[string]float64{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(line, " ")
		if !ok || strings.Contains(name, "{") {
			continue
		}
		if v, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
			out[name] = v
		}
	}
	return out, sc.Err()
}

// metric reads one unlabelled sample, failing the test without it.
func metric(t *testing.T, base, name string) float64 {
	t.Helper()
	m, err := metrics(base)
	if err != nil {
		t.Fatalf("/metrics: %v", err)
	}
	v, ok := m[name]
	if !ok {
		t.Fatalf("/metrics has no %s", name)
	}
	return v
}

// ready reports whether a server's /readyz answers 200.
func ready(base string) bool {
	c := http.Client{Timeout: 3 * time.Second}
	resp, err := c.Get(base + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}
