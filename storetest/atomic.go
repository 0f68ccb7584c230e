package storetest

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

var errRefused = errors.New("refused by the test")

// account is a user with two live sessions, for checking that writes to
// both kinds of row commit or roll back together.
type account struct {
	tweets.User
	sessions []string
}

func mustAccount(t *testing.T, s tweets.Store, name string) account {
	t.Helper()
	a := account{User: mustUser(t, s, name), sessions: []string{name + "-laptop", name + "-phone"}}
	for _, h := range a.sessions {
		if err := s.CreateSession(context.Background(), tweets.Session{TokenHash: h, UserID: a.ID, CreatedAt: at, ExpiresAt: at.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	return a
}

// liveSessions counts a's sessions that s still has.
func liveSessions(t *testing.T, s tweets.Store, a account) int {
	t.Helper()
	n := 0
	for _, h := range a.sessions {
		_, err := s.SessionUser(context.Background(), h, at)
		switch {
		case err == nil:
			n++
		case !errors.Is(err, tweets.ErrNotFound):
			t.Fatal(err)
		}
	}
	return n
}

// unchanged fails the test unless a's row and sessions are as created.
func unchanged(t *testing.T, s tweets.Store, a account, after string) {
	t.Helper()
	u, err := s.UserByID(context.Background(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u != a.User {
		t.Errorf("after %s the user is %+v, want it unchanged: %+v", after, u, a.User)
	}
	if n := liveSessions(t, s, a); n != len(a.sessions) {
		t.Errorf("after %s %d of %d sessions are left, want all", after, n, len(a.sessions))
	}
}

// testAtomicRollback: when fn fails, by its own error, by a database error
// or by a panic, none of its writes stay; until then the transaction sees
// its own writes and nobody else does.
func testAtomicRollback(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustAccount(t, s, "alice")

	err := s.Atomic(ctx, func(tx tweets.Store) error {
		if err := tx.SetPasswordHash(ctx, alice.ID, "new-hash"); err != nil {
			return err
		}
		if err := tx.DeleteUserSessions(ctx, alice.ID); err != nil {
			return err
		}
		if u, err := tx.UserByID(ctx, alice.ID); err != nil || u.PasswordHash != "new-hash" {
			t.Errorf("inside the transaction UserByID = %+v, %v; want its new hash", u, err)
		}
		if n := liveSessions(t, tx, alice); n != 0 {
			t.Errorf("inside the transaction %d sessions are left, want 0", n)
		}
		unchanged(t, s, alice, "writes not yet committed")
		return errRefused
	})
	if !errors.Is(err, errRefused) {
		t.Errorf("Atomic returned %v, want fn's error", err)
	}
	unchanged(t, s, alice, "fn returned an error")

	// The later write fails in the database: a username taken in another
	// case, then a tweet id already used (a write of several statements).
	tw := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "first", CreatedAt: at}
	if err := s.CreateTweet(ctx, tw); err != nil {
		t.Fatal(err)
	}
	for _, later := range []struct {
		name  string
		write func(tx tweets.Store) error
	}{
		{"a taken username", func(tx tweets.Store) error {
			return tx.CreateUser(ctx, tweets.User{ID: ids.New(), Username: "ALICE", PasswordHash: "x", CreatedAt: at})
		}},
		{"a used tweet id", func(tx tweets.Store) error {
			return tx.CreateTweet(ctx, tweets.Tweet{ID: tw.ID, AuthorID: alice.ID, Text: "clash", CreatedAt: at,
				Media: []tweets.Media{{Key: "clash.png", ContentType: "image/png", Width: 1, Height: 1, Size: 1}}})
		}},
	} {
		err := s.Atomic(ctx, func(tx tweets.Store) error {
			if err := tx.SetPasswordHash(ctx, alice.ID, "new-hash"); err != nil {
				return err
			}
			if err := tx.DeleteUserSessions(ctx, alice.ID); err != nil {
				return err
			}
			if err := tx.SetSuspended(ctx, alice.ID, at); err != nil {
				return err
			}
			return later.write(tx)
		})
		if !errors.Is(err, tweets.ErrConflict) {
			t.Errorf("Atomic ending with %s: err = %v, want ErrConflict", later.name, err)
		}
		unchanged(t, s, alice, later.name)
	}
	if got, err := s.TweetByID(ctx, tw.ID); err != nil || got.Text != "first" || len(got.Media) != 0 {
		t.Errorf("the tweet whose id was reused reads %+v, %v", got, err)
	}

	func() {
		defer func() {
			if recover() == nil {
				t.Error("fn's panic did not come out of Atomic")
			}
		}()
		_ = s.Atomic(ctx, func(tx tweets.Store) error {
			if err := tx.DeleteUserSessions(ctx, alice.ID); err != nil {
				return err
			}
			panic("fn panics")
		})
	}()
	unchanged(t, s, alice, "fn panicked")
	// Nothing of the transaction is left open: on SQLite it would hold
	// the write lock, and this write would wait for it and fail.
	if err := s.SetAdmin(ctx, alice.ID, false); err != nil {
		t.Errorf("a write after the panic: %v", err)
	}
}

// testAtomicCommit: when fn returns nil, every write of every kind is
// stored; the transaction's store is spent once Atomic returns, and
// cannot ping or close the database.
func testAtomicCommit(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice, bob := mustAccount(t, s, "alice"), mustAccount(t, s, "bob")
	old := tweets.Tweet{ID: ids.New(), AuthorID: bob.ID, Text: "old", CreatedAt: at,
		Media: []tweets.Media{{Key: "old.png", ContentType: "image/png", Width: 1, Height: 1, Size: 1}}}
	if err := s.CreateTweet(ctx, old); err != nil {
		t.Fatal(err)
	}
	report := tweets.Report{ID: ids.New(), TweetID: old.ID, TweetAuthorID: bob.ID, TweetText: old.Text,
		ReporterID: alice.ID, Reason: "Spam", CreatedAt: at}
	if err := s.CreateReport(ctx, report); err != nil {
		t.Fatal(err)
	}
	posted := tweets.Tweet{ID: ids.New(), AuthorID: alice.ID, Text: "nouveau ✓", CreatedAt: at,
		Media: []tweets.Media{{Key: "new.png", ContentType: "image/png", Width: 2, Height: 2, Size: 2}}}
	audit := tweets.AuditEntry{ID: ids.New(), ActorID: alice.ID, Action: "user.suspend", Target: "@bob", CreatedAt: at}

	var spent tweets.Store
	err := s.Atomic(ctx, func(tx tweets.Store) error {
		spent = tx
		if tx.Ping(ctx) == nil {
			t.Error("Ping inside Atomic succeeded")
		}
		if tx.Close() == nil {
			t.Error("Close inside Atomic succeeded")
		}
		for _, write := range []func() error{
			func() error { return tx.SetSuspended(ctx, bob.ID, at) },
			func() error { return tx.DeleteUserSessions(ctx, bob.ID) },
			func() error { return tx.DeleteTweet(ctx, old.ID) },
			func() error { return tx.ResolveReport(ctx, report.ID, alice.ID, "removed", at) },
			func() error { return tx.AddAuditEntry(ctx, audit) },
			func() error { return tx.SetPasswordHash(ctx, alice.ID, "new-hash") },
			func() error { return tx.CreateTweet(ctx, posted) },
		} {
			if err := write(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Atomic: %v", err)
	}
	if err := s.Ping(ctx); err != nil {
		t.Errorf("the database after Close inside Atomic: %v", err)
	}
	if u, _ := s.UserByID(ctx, bob.ID); !u.Suspended() {
		t.Error("the suspension was not committed")
	}
	if n := liveSessions(t, s, bob); n != 0 {
		t.Errorf("%d deleted sessions are back", n)
	}
	if _, err := s.TweetByID(ctx, old.ID); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("the deleted tweet: err = %v, want ErrNotFound", err)
	}
	if r, err := s.ReportByID(ctx, report.ID); err != nil || r.Open() {
		t.Errorf("the resolved report reads %+v, %v", r, err)
	}
	if log, err := s.AuditLog(ctx, 0, 10); err != nil || len(log) != 1 || log[0].ID != audit.ID {
		t.Errorf("audit log: %+v, %v", log, err)
	}
	if u, _ := s.UserByID(ctx, alice.ID); u.PasswordHash != "new-hash" {
		t.Errorf("the new hash was not committed: %q", u.PasswordHash)
	}
	if got, err := s.TweetByID(ctx, posted.ID); err != nil || got.Text != posted.Text || len(got.Media) != 1 {
		t.Errorf("the posted tweet reads %+v, %v", got, err)
	}
	if _, err := spent.UserByID(ctx, alice.ID); err == nil {
		t.Error("the transaction's store still works after Atomic returned")
	}
}

// testAtomicNested: an Atomic inside fn joins the transaction, so it
// commits only with it; when it fails, it rolls back alone and the
// transaction goes on, on both databases.
func testAtomicNested(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustAccount(t, s, "alice")

	err := s.Atomic(ctx, func(tx tweets.Store) error {
		if err := tx.SetPasswordHash(ctx, alice.ID, "outer"); err != nil {
			return err
		}
		err := tx.Atomic(ctx, func(inner tweets.Store) error {
			if err := inner.DeleteUserSessions(ctx, alice.ID); err != nil {
				return err
			}
			return inner.Atomic(ctx, func(innermost tweets.Store) error {
				return innermost.SetAdmin(ctx, alice.ID, true)
			})
		})
		if err != nil {
			return err
		}
		return errRefused
	})
	if !errors.Is(err, errRefused) {
		t.Errorf("Atomic returned %v, want fn's error", err)
	}
	unchanged(t, s, alice, "nested Atomics succeeded and the outer one failed")

	err = s.Atomic(ctx, func(tx tweets.Store) error {
		if err := tx.SetPasswordHash(ctx, alice.ID, "kept"); err != nil {
			return err
		}
		err := tx.Atomic(ctx, func(inner tweets.Store) error {
			if err := inner.DeleteUserSessions(ctx, alice.ID); err != nil {
				return err
			}
			if err := inner.Atomic(ctx, func(innermost tweets.Store) error {
				return innermost.SetSuspended(ctx, alice.ID, at)
			}); err != nil {
				return err
			}
			return inner.CreateUser(ctx, tweets.User{ID: ids.New(), Username: "Alice", PasswordHash: "x", CreatedAt: at})
		})
		if !errors.Is(err, tweets.ErrConflict) {
			return fmt.Errorf("the nested Atomic: err = %v, want ErrConflict", err)
		}
		return tx.SetAdmin(ctx, alice.ID, true)
	})
	if err != nil {
		t.Fatalf("Atomic after a nested one failed: %v", err)
	}
	want := alice.User
	want.PasswordHash, want.IsAdmin = "kept", true
	if u, err := s.UserByID(ctx, alice.ID); err != nil || u != want {
		t.Errorf("user = %+v, %v; want %+v", u, err, want)
	}
	if n := liveSessions(t, s, alice); n != len(alice.sessions) {
		t.Errorf("the failed nested Atomic deleted %d sessions", len(alice.sessions)-n)
	}
}

// testAtomicConcurrent: transactions that read a value and write it back
// all succeed when many run at once (no "database is locked" on SQLite),
// and none loses another's update.
func testAtomicConcurrent(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	counter := mustUser(t, s, "counter")
	if err := s.SetPasswordHash(ctx, counter.ID, "0"); err != nil {
		t.Fatal(err)
	}
	const workers = 20
	start := make(chan struct{})
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- s.Atomic(ctx, func(tx tweets.Store) error {
				u, err := tx.UserByID(ctx, counter.ID)
				if err != nil {
					return err
				}
				n, err := strconv.Atoi(u.PasswordHash)
				if err != nil {
					return err
				}
				// Between the read and the write, the others read too:
				// without isolation they would all write the same value.
				time.Sleep(time.Millisecond)
				return tx.SetPasswordHash(ctx, counter.ID, strconv.Itoa(n+1))
			})
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("concurrent Atomic: %v", err)
		}
	}
	if u, err := s.UserByID(ctx, counter.ID); err != nil || u.PasswordHash != strconv.Itoa(workers) {
		t.Errorf("after %d increments the counter reads %q, %v", workers, u.PasswordHash, err)
	}
}
