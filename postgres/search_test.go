package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/pgtest"
	"github.com/tweetsdev/tweets/postgres"
)

// TestSearchOnCLocaleDatabase: in a database whose LC_CTYPE is C, the
// database's own lower() folds only A to Z. The store then folds under a
// collation that knows every script, and a search still ignores case.
func TestSearchOnCLocaleDatabase(t *testing.T) {
	ctx := context.Background()
	dsn := newDatabase(t, "ENCODING 'UTF8' LOCALE 'C'")
	s, err := postgres.Open(ctx, dsn, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var lowered string
	if err := s.DB.QueryRowContext(ctx, "SELECT lower('ÉΩ')").Scan(&lowered); err != nil {
		t.Fatal(err)
	}
	if lowered != "ÉΩ" {
		t.Fatalf("lower() folds non-ASCII letters in this database (%q): the test needs one where it does not", lowered)
	}
	if err := s.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ids := tweets.NewIDGenerator(nil)
	alice := tweets.User{ID: ids.New(), Username: "alice", PasswordHash: "x", CreatedAt: now}
	if err := s.CreateUser(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateTweet(ctx, tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "ÉCOLE Ω ПРИВЕТ", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"école", "ω", "привет"} {
		ts, err := s.Timeline(ctx, tweets.TimelineQuery{Search: q, Limit: 10})
		if err != nil || len(ts) != 1 {
			t.Errorf("search %q: %d tweets, %v; want 1", q, len(ts), err)
		}
	}
}

// TestOpenRefusesOtherEncodings: a database that is not UTF8 cannot
// hold every tweet; Open says so, and how to make one that can.
func TestOpenRefusesOtherEncodings(t *testing.T) {
	_, err := postgres.Open(context.Background(), newDatabase(t, "ENCODING 'LATIN1' LOCALE 'C'"), postgres.Options{})
	if err == nil || !strings.Contains(err.Error(), "encoding LATIN1") || !strings.Contains(err.Error(), "ENCODING 'UTF8'") {
		t.Errorf("Open of a LATIN1 database: %v", err)
	}
}

// newDatabase creates a database with the given options on the test
// server, dropped when t ends, and returns its URL.
func newDatabase(t *testing.T, options string) string {
	t.Helper()
	admin := os.Getenv(pgtest.EnvURL)
	if admin == "" {
		t.Fatalf("%s is not set: run the tests with 'make test', which starts a throwaway PostgreSQL server", pgtest.EnvURL)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	name := fmt.Sprintf("t_locale_%d_%d", os.Getpid(), time.Now().UnixNano())
	if _, err := db.Exec("CREATE DATABASE " + name + " " + options + " TEMPLATE template0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
