package tweets_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// testClock is a clock that tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func forEachBackendAt(t *testing.T, f func(t *testing.T, svc *tweets.Service, clock *testClock)) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			clock := &testClock{t: time.Now().UTC().Truncate(time.Second)}
			f(t, testapp.Service(t, b.Open(t), clock.now), clock)
		})
	}
}

func mustAccount(t *testing.T, svc *tweets.Service, name string) tweets.User {
	t.Helper()
	u, err := svc.CreateAccount(context.Background(), name, "password-"+name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustSession(t *testing.T, svc *tweets.Service, u tweets.User, agent string) string {
	t.Helper()
	token, _, err := svc.StartSessionFrom(context.Background(), u, agent)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func live(svc *tweets.Service, token string) bool {
	_, err := svc.SessionUser(context.Background(), token)
	return err == nil
}

func refusedAs(err error, code tweets.Code, field, message string) bool {
	var e *tweets.Error
	return errors.As(err, &e) && e.Code == code && e.Field == field && strings.Contains(e.Message, message)
}

// TestChangePassword: the current password is required, and a wrong one
// counts against the log-in limit of the account and address; a change
// ends every session but the one that asked.
func TestChangePassword(t *testing.T) {
	forEachBackendAt(t, func(t *testing.T, svc *tweets.Service, _ *testClock) {
		ctx := context.Background()
		alice := mustAccount(t, svc, "alice")
		here, other := mustSession(t, svc, alice, "here"), mustSession(t, svc, alice, "there")
		bob := mustAccount(t, svc, "bob")
		bobs := mustSession(t, svc, bob, "")
		change := func(current, next, confirm string) error {
			return svc.ChangePassword(ctx, alice, tweets.PasswordChange{Current: current, New: next, Confirm: confirm,
				ClientIP: "192.0.2.1", Session: here})
		}
		for _, tc := range []struct {
			name                   string
			current, next, confirm string
			code                   tweets.Code
			field, message         string
		}{
			{"new too short", "password-alice", "short", "short", tweets.CodeInvalid, "new_password", "at least 8"},
			{"confirmation differs", "password-alice", "new-password", "new-passwort", tweets.CodeInvalid, "confirm_password", "differ"},
			{"wrong current", "guess-guess", "new-password", "new-password", tweets.CodeInvalid, "current_password", "not your password"},
			{"no current", "", "new-password", "new-password", tweets.CodeInvalid, "current_password", "not your password"},
		} {
			if err := change(tc.current, tc.next, tc.confirm); !refusedAs(err, tc.code, tc.field, tc.message) {
				t.Errorf("%s: err = %#v; want %s refused with %q", tc.name, err, tc.field, tc.message)
			}
		}
		if !live(svc, here) || !live(svc, other) {
			t.Error("a refused change ended a session")
		}
		if _, _, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: "alice", Password: "password-alice", ClientIP: "192.0.2.9"}); err != nil {
			t.Errorf("the old password stopped working after refused changes: %v", err)
		}

		if err := change("password-alice", "new-password", "new-password"); err != nil {
			t.Fatal(err)
		}
		if !live(svc, here) {
			t.Error("the session that changed the password was logged out")
		}
		if live(svc, other) {
			t.Error("another session of alice outlived the password change")
		}
		if !live(svc, bobs) {
			t.Error("the change logged bob out")
		}
		for pw, ok := range map[string]bool{"password-alice": false, "new-password": true} {
			_, _, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: "alice", Password: pw, ClientIP: "192.0.2.9"})
			if (err == nil) != ok {
				t.Errorf("log-in with %q: err = %v", pw, err)
			}
		}
	})
}

// TestPasswordChecksShareTheLoginLimit: a stolen session cannot guess
// the password through the settings faster than through the log-in
// form: wrong current passwords use up the (account, address) limit of
// log-ins, and the log-in form is then shut for that pair too.
func TestPasswordChecksShareTheLoginLimit(t *testing.T) {
	forEachBackendAt(t, func(t *testing.T, svc *tweets.Service, _ *testClock) {
		ctx := context.Background()
		alice := mustAccount(t, svc, "alice")
		limit := tweets.DefaultLimitRules["login.pair"].Limit
		for i := 0; i < limit; i++ {
			var err error
			if i%2 == 0 {
				err = svc.ChangePassword(ctx, alice, tweets.PasswordChange{Current: "guess", New: "new-password", Confirm: "new-password", ClientIP: "198.51.100.7"})
			} else {
				err = svc.DeleteAccount(ctx, alice, "guess", "198.51.100.7")
			}
			if tweets.ErrorCode(err) != tweets.CodeInvalid {
				t.Fatalf("guess %d: err = %v, want a wrong password", i+1, err)
			}
		}
		err := svc.ChangePassword(ctx, alice, tweets.PasswordChange{Current: "password-alice", New: "new-password", Confirm: "new-password", ClientIP: "198.51.100.7"})
		if tweets.ErrorCode(err) != tweets.CodeTooMany {
			t.Errorf("after %d wrong passwords, the right one: err = %v; want too many", limit, err)
		}
		if err := svc.DeleteAccount(ctx, alice, "password-alice", "198.51.100.7"); tweets.ErrorCode(err) != tweets.CodeTooMany {
			t.Errorf("deleting after %d wrong passwords: err = %v; want too many", limit, err)
		}
		if _, _, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: "alice", Password: "password-alice", ClientIP: "198.51.100.7"}); tweets.ErrorCode(err) != tweets.CodeTooMany {
			t.Errorf("log-in from the guessing address: err = %v; want too many", err)
		}
		// The owner elsewhere is not locked out.
		if err := svc.ChangePassword(ctx, alice, tweets.PasswordChange{Current: "password-alice", New: "new-password", Confirm: "new-password", ClientIP: "203.0.113.5"}); err != nil {
			t.Errorf("the owner at another address: %v", err)
		}
	})
}

// TestSessions: a user sees their own live sessions with this browser
// marked, and ends any other one of theirs, never someone else's.
func TestSessions(t *testing.T) {
	forEachBackendAt(t, func(t *testing.T, svc *tweets.Service, clock *testClock) {
		ctx := context.Background()
		alice, bob := mustAccount(t, svc, "alice"), mustAccount(t, svc, "bob")
		first := mustSession(t, svc, alice, "Firefox\x00 on\tLinux \xff"+strings.Repeat("é", 300))
		clock.add(time.Minute)
		here := mustSession(t, svc, alice, "")
		bobs := mustSession(t, svc, bob, "bob's browser")

		ss, err := svc.Sessions(ctx, alice, here)
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) != 2 || !ss[0].Current || ss[1].Current {
			t.Fatalf("Sessions = %+v; want alice's two, newest (this one) first and marked", ss)
		}
		if ua := ss[1].UserAgent; !strings.HasPrefix(ua, "Firefox onLinux \uFFFDééé") || len([]rune(ua)) != 200 {
			t.Errorf("the user agent is kept as %q (%d characters); want it cleaned and cut to 200", ua, len([]rune(ua)))
		}
		bobsList, _ := svc.Sessions(ctx, bob, bobs)
		if len(bobsList) != 1 {
			t.Fatalf("bob's sessions: %+v", bobsList)
		}

		if err := svc.EndOwnSession(ctx, alice, bobsList[0].TokenHash, here); tweets.ErrorCode(err) != tweets.CodeForbidden {
			t.Errorf("alice ending bob's session: err = %v, want forbidden", err)
		}
		if !live(svc, bobs) {
			t.Error("alice ended bob's session")
		}
		if err := svc.EndOwnSession(ctx, alice, ss[0].TokenHash, here); tweets.ErrorCode(err) != tweets.CodeInvalid {
			t.Errorf("ending the session in use: err = %v, want a pointer to log out", err)
		}
		if err := svc.EndOwnSession(ctx, alice, ss[1].TokenHash, here); err != nil {
			t.Fatal(err)
		}
		if live(svc, first) || !live(svc, here) {
			t.Error("ending the other session did not end exactly that one")
		}
		if err := svc.EndOwnSession(ctx, alice, ss[1].TokenHash, here); tweets.ErrorCode(err) != tweets.CodeNotFound {
			t.Errorf("ending it again: err = %v, want not found", err)
		}
		// Expired sessions are not listed.
		clock.add(25 * time.Hour)
		if ss, _ := svc.Sessions(ctx, alice, here); len(ss) != 0 {
			t.Errorf("expired sessions listed: %+v", ss)
		}
	})
}

// TestDeleteAccount: with the right password, the account and everything
// of it go (files after the commit), admins' audit entries stay, and the
// username is kept from new accounts for 30 days, at sign-up and on the
// command line alike.
func TestDeleteAccount(t *testing.T) {
	forEachBackendAt(t, func(t *testing.T, svc *tweets.Service, clock *testClock) {
		ctx := context.Background()
		admin := mustAdmin(t, svc, "admin")
		alice, bob := mustAccount(t, svc, "Alice"), mustAccount(t, svc, "bob")
		session := mustSession(t, svc, alice, "")
		svc.Limits.Post = nil
		tw, err := svc.PostTweet(ctx, alice, "with a picture", tweets.UploadBytes(testimage.PNG(3, 3)))
		if err != nil {
			t.Fatal(err)
		}
		bobs, err := svc.PostTweet(ctx, bob, "bob's", tweets.UploadBytes(testimage.PNG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.ReportTweet(ctx, alice, bobs.ID, "Spam", ""); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetSuspended(ctx, admin, bob.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetSuspended(ctx, admin, bob.ID, false); err != nil {
			t.Fatal(err)
		}

		if err := svc.DeleteAccount(ctx, alice, "wrong-password", "192.0.2.1"); !refusedAs(err, tweets.CodeInvalid, "password", "not your password") {
			t.Errorf("wrong password: err = %v", err)
		}
		if _, err := svc.UserByUsername(ctx, "alice"); err != nil {
			t.Fatalf("a refused deletion deleted the account: %v", err)
		}

		if err := svc.DeleteAccount(ctx, alice, "password-Alice", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Store.UserByID(ctx, alice.ID); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("the account is still there: %v", err)
		}
		if _, err := svc.Store.TweetByID(ctx, tw.ID); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("her tweet is still there: %v", err)
		}
		sweep(t, svc, 1)
		if _, err := svc.Blobs.Open(ctx, tw.Media[0].Key); !errors.Is(err, tweets.ErrNotFound) {
			t.Errorf("her image file is still there: %v", err)
		}
		if b, err := svc.Blobs.Open(ctx, bobs.Media[0].Key); err != nil {
			t.Errorf("bob's image file is gone: %v", err)
		} else {
			b.Close()
		}
		if live(svc, session) {
			t.Error("her session outlived the account")
		}
		if n, _ := svc.Store.CountOpenReports(ctx); n != 0 {
			t.Errorf("%d reports filed by her are left", n)
		}
		if log, _ := svc.AuditLog(ctx, admin, 0); len(log) != 2 {
			t.Errorf("the audit log has %d entries, want its 2", len(log))
		}

		freeOn := clock.now().Add(30 * 24 * time.Hour).Format("January 2, 2006")
		for name, create := range map[string]func() error{
			"sign-up": func() error {
				_, err := svc.SignUp(ctx, "ALICE", "password1", "192.0.2.1")
				return err
			},
			"command line": func() error {
				_, err := svc.OperatorCreateUser(ctx, "alice", "password1", false)
				return err
			},
		} {
			want := "This username was in use recently; it is free again on " + freeOn + "."
			if err := create(); !refusedAs(err, tweets.CodeInvalid, "username", want) {
				t.Errorf("%s of the deleted name: err = %v; want %q", name, err, want)
			}
		}
		clock.add(30*24*time.Hour - time.Second)
		if _, err := svc.CreateAccount(ctx, "alice", "password1"); tweets.ErrorCode(err) != tweets.CodeInvalid {
			t.Errorf("a second before the reservation ends: err = %v", err)
		}
		clock.add(time.Second)
		if _, err := svc.CreateAccount(ctx, "alice", "password1"); err != nil {
			t.Errorf("once the reservation ended: %v", err)
		}
	})
}

// failingReserve is a store on which reserving a username fails.
type failingReserve struct{ tweets.Store }

func (f failingReserve) Atomic(ctx context.Context, fn func(tx tweets.Store) error) error {
	return f.Store.Atomic(ctx, func(tx tweets.Store) error { return fn(failingReserve{tx}) })
}

func (failingReserve) ReserveUsername(context.Context, string, time.Time) error { return errRefused }

// TestDeleteAccountIsAtomic: when the reservation cannot be written, the
// account stays whole, its files included.
func TestDeleteAccountIsAtomic(t *testing.T) {
	forEachBackendAt(t, func(t *testing.T, svc *tweets.Service, _ *testClock) {
		ctx := context.Background()
		alice := mustAccount(t, svc, "alice")
		tw, err := svc.PostTweet(ctx, alice, "keep me", tweets.UploadBytes(testimage.PNG(2, 2)))
		if err != nil {
			t.Fatal(err)
		}
		store := svc.Store
		svc.Store = failingReserve{store}
		if err := svc.DeleteAccount(ctx, alice, "password-alice", "192.0.2.1"); !errors.Is(err, errRefused) {
			t.Fatalf("err = %v, want the refused reservation", err)
		}
		svc.Store = store
		if got, err := svc.Tweet(ctx, tw.ID); err != nil || len(got.Media) != 1 {
			t.Errorf("the tweet after the failed deletion: %+v, %v", got, err)
		}
		if b, err := svc.Blobs.Open(ctx, tw.Media[0].Key); err != nil {
			t.Errorf("the image was deleted although the account stays: %v", err)
		} else {
			b.Close()
		}
	})
}
