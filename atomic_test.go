package tweets_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
)

var errRefused = errors.New("the database refused the write")

// refusing is a store on which one write, named by method, fails, in
// transactions too: an action's last write failing in the database.
type refusing struct {
	tweets.Store
	method string
}

func (r refusing) Atomic(ctx context.Context, fn func(tx tweets.Store) error) error {
	return r.Store.Atomic(ctx, func(tx tweets.Store) error { return fn(refusing{tx, r.method}) })
}

func (r refusing) AddAuditEntry(ctx context.Context, e tweets.AuditEntry) error {
	if r.method == "AddAuditEntry" {
		return errRefused
	}
	return r.Store.AddAuditEntry(ctx, e)
}

func (r refusing) DeleteUserSessions(ctx context.Context, id tweets.ID) error {
	if r.method == "DeleteUserSessions" {
		return errRefused
	}
	return r.Store.DeleteUserSessions(ctx, id)
}

// TestActionsAreAtomic: an action whose last write fails leaves nothing
// of its earlier writes: no suspension, deletion or resolution without
// its audit entry, no new password with the old sessions still live. Once
// the writes succeed, each action happens in full.
func TestActionsAreAtomic(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			store := b.Open(t)
			svc := testapp.Service(t, store, nil)
			ctx := context.Background()
			admin := mustAdmin(t, svc, "admin")
			bob, _ := svc.CreateAccount(ctx, "bob", "password1")
			carol, _ := svc.CreateAccount(ctx, "carol", "password1")
			token, _, err := svc.StartSession(ctx, bob)
			if err != nil {
				t.Fatal(err)
			}
			tw, err := svc.PostTweet(ctx, bob, "spam", tweets.UploadBytes(testimage.PNG(2, 2)))
			if err != nil {
				t.Fatal(err)
			}
			report, err := svc.ReportTweet(ctx, carol, tw.ID, "Spam", "")
			if err != nil {
				t.Fatal(err)
			}
			bobLogsIn := func(password string) bool {
				_, _, err := svc.LogIn(ctx, tweets.LogInAttempt{Username: "bob", Password: password, ClientIP: "192.0.2.1"})
				return err == nil
			}

			svc.Store = refusing{store, "AddAuditEntry"}
			if err := svc.SetSuspended(ctx, admin, bob.ID, true); !errors.Is(err, errRefused) {
				t.Errorf("SetSuspended: err = %v, want the refused audit entry", err)
			}
			if u, _ := store.UserByID(ctx, bob.ID); u.Suspended() {
				t.Error("bob is suspended without an audit entry")
			}
			if u, err := svc.SessionUser(ctx, token); err != nil || u.ID != bob.ID {
				t.Errorf("bob's session after the suspension failed: %+v, %v", u, err)
			}
			if err := svc.AdminDeleteTweet(ctx, admin, tw.ID); !errors.Is(err, errRefused) {
				t.Errorf("AdminDeleteTweet: err = %v, want the refused audit entry", err)
			}
			if got, err := svc.Tweet(ctx, tw.ID); err != nil || len(got.Media) != 1 {
				t.Errorf("the tweet after its deletion failed: %+v, %v", got, err)
			}
			if blob, err := svc.Blobs.Open(ctx, tw.Media[0].Key); err != nil {
				t.Errorf("the image was deleted although its tweet stays: %v", err)
			} else {
				blob.Close()
			}
			if err := svc.ResolveReport(ctx, admin, report.ID, "removed"); !errors.Is(err, errRefused) {
				t.Errorf("ResolveReport: err = %v, want the refused audit entry", err)
			}
			if r, _ := store.ReportByID(ctx, report.ID); !r.Open() {
				t.Error("the report was resolved without an audit entry")
			}

			svc.Store = refusing{store, "DeleteUserSessions"}
			if err := svc.SetPassword(ctx, bob.ID, "password2"); !errors.Is(err, errRefused) {
				t.Errorf("SetPassword: err = %v, want the refused session deletion", err)
			}
			if !bobLogsIn("password1") || bobLogsIn("password2") {
				t.Error("the password changed although the sessions could not be ended")
			}

			svc.Store = store
			if err := svc.SetPassword(ctx, bob.ID, "password2"); err != nil {
				t.Fatal(err)
			}
			if !bobLogsIn("password2") {
				t.Error("the new password does not work")
			}
			if _, err := svc.SessionUser(ctx, token); !errors.Is(err, tweets.ErrNotFound) {
				t.Errorf("a session outlived the password change: %v", err)
			}
			for _, act := range []func() error{
				func() error { return svc.SetSuspended(ctx, admin, bob.ID, true) },
				func() error { return svc.AdminDeleteTweet(ctx, admin, tw.ID) },
				func() error { return svc.ResolveReport(ctx, admin, report.ID, "removed") },
			} {
				if err := act(); err != nil {
					t.Fatal(err)
				}
			}
			sweep(t, svc, 1)
			if _, err := svc.Blobs.Open(ctx, tw.Media[0].Key); !errors.Is(err, tweets.ErrNotFound) {
				t.Errorf("the deleted tweet's image: err = %v, want ErrNotFound", err)
			}
			log, err := store.AuditLog(ctx, 0, 10)
			if err != nil || len(log) != 3 {
				t.Errorf("audit log: %+v, %v; want the 3 actions that happened", log, err)
			}
		})
	}
}

// TestResolveReportOnce: of admins resolving a report at once, one does
// and the others are told it was resolved; the log has one entry.
func TestResolveReportOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		bob, _ := svc.CreateAccount(ctx, "bob", "password1")
		carol, _ := svc.CreateAccount(ctx, "carol", "password1")
		tw, err := svc.PostTweet(ctx, bob, "spam", nil)
		if err != nil {
			t.Fatal(err)
		}
		report, err := svc.ReportTweet(ctx, carol, tw.ID, "Spam", "")
		if err != nil {
			t.Fatal(err)
		}
		const admins = 8
		actors := make([]tweets.User, admins)
		for i := range actors {
			actors[i] = mustAdmin(t, svc, "admin"+string(rune('a'+i)))
		}
		errs := make(chan error, admins)
		var wg sync.WaitGroup
		for _, a := range actors {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- svc.ResolveReport(ctx, a, report.ID, "removed by "+a.Username)
			}()
		}
		wg.Wait()
		close(errs)
		resolved := 0
		for err := range errs {
			switch {
			case err == nil:
				resolved++
			case tweets.ErrorCode(err) != tweets.CodeConflict:
				t.Errorf("a concurrent resolution: err = %v, want a conflict", err)
			}
		}
		log, err := svc.AuditLog(ctx, actors[0], 0)
		if resolved != 1 || err != nil || len(log) != 1 {
			t.Errorf("%d admins at once: %d resolved, %d audit entries (%v); want 1 and 1", admins, resolved, len(log), err)
		}
	})
}

func mustAdmin(t *testing.T, svc *tweets.Service, name string) tweets.User {
	t.Helper()
	ctx := context.Background()
	u, err := svc.CreateAccount(ctx, name, "password1")
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Store.SetAdmin(ctx, u.ID, true); err != nil {
		t.Fatal(err)
	}
	u.IsAdmin = true
	return u
}
