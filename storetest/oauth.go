package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
)

// testOAuth: apps are found by client id; a code is taken once; a token
// leads to its app and user (none for an app-only token) and is revoked
// only by its own app.
func testOAuth(t *testing.T, s tweets.Store) {
	ctx := context.Background()
	alice := mustUser(t, s, "alice")
	app := tweets.App{ID: ids.New(), Name: "Tusky ☀", Website: "https://tusky.app", RedirectURIs: []string{"tusky://oauth", tweets.OutOfBand},
		Scopes: tweets.Scopes{"read", "write", "follow"}, ClientID: "cid", SecretHash: "sh", CreatedAt: at}
	if err := s.CreateApp(ctx, app); err != nil {
		t.Fatal(err)
	}
	got, err := s.AppByClientID(ctx, "cid")
	if err != nil || got.Name != app.Name || !slices.Equal(got.RedirectURIs, app.RedirectURIs) || !slices.Equal(got.Scopes, app.Scopes) || !got.CreatedAt.Equal(at) {
		t.Errorf("AppByClientID = %+v, %v", got, err)
	}
	if _, err := s.AppByClientID(ctx, "nope"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("unknown client: %v", err)
	}

	code := tweets.AuthCode{CodeHash: "ch", AppID: app.ID, UserID: alice.ID, RedirectURI: "tusky://oauth", Scopes: tweets.Scopes{"read"},
		Challenge: "abc", ExpiresAt: at.Add(time.Minute)}
	if err := s.CreateAuthCode(ctx, code); err != nil {
		t.Fatal(err)
	}
	c, err := s.TakeAuthCode(ctx, "ch")
	if err != nil || c.UserID != alice.ID || c.Challenge != "abc" || !c.ExpiresAt.Equal(code.ExpiresAt) || c.Scopes.String() != "read" {
		t.Errorf("TakeAuthCode = %+v, %v", c, err)
	}
	if _, err := s.TakeAuthCode(ctx, "ch"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("a code taken twice: %v", err)
	}

	for _, tok := range []tweets.Token{
		{TokenHash: "user-token", AppID: app.ID, UserID: alice.ID, Scopes: tweets.Scopes{"read", "write:statuses"}, CreatedAt: at},
		{TokenHash: "app-token", AppID: app.ID, Scopes: tweets.Scopes{"read"}, CreatedAt: at},
	} {
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	tok, a, u, err := s.TokenByHash(ctx, "user-token")
	if err != nil || a.ID != app.ID || u.ID != alice.ID || u.Username != "alice" || tok.Scopes.String() != "read write:statuses" {
		t.Errorf("TokenByHash(user) = %+v %+v %+v, %v", tok, a, u, err)
	}
	tok, _, u, err = s.TokenByHash(ctx, "app-token")
	if err != nil || tok.UserID != 0 || u.ID != 0 {
		t.Errorf("TokenByHash(app) = %+v %+v, %v", tok, u, err)
	}
	if err := s.DeleteToken(ctx, "user-token", app.ID+1); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("another app revoked the token: %v", err)
	}
	if err := s.DeleteToken(ctx, "user-token", app.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.TokenByHash(ctx, "user-token"); !errors.Is(err, tweets.ErrNotFound) {
		t.Errorf("a revoked token: %v", err)
	}
}
