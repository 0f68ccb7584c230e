package tweets_test

import (
	"context"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testapp"
)

// FuzzCheckAuthRequest checks an authorization request against one
// registered app: what is accepted names one of the app's own redirect
// URIs, exactly; grants only scopes asked for and nothing the app was
// not registered for; and binds the code with PKCE only as S256, to a
// challenge that is a SHA-256 in base64url, never a challenge ignored.
// A refusal is a domain error naming the parameter at fault.
func FuzzCheckAuthRequest(f *testing.F) {
	good := "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
	for _, s := range [][4]string{
		{"https://app.example/cb?x=1", "read", "", ""},
		{"https://app.example/cb?x=1", "read write:statuses", good, "S256"},
		{"https://app.example/cb?x=2", "read", "", ""},
		{"https://APP.example/cb?x=1", "read", "", ""},
		{"myapp://oauth", "write follow", good, "plain"},
		{"urn:ietf:wg:oauth:2.0:oob", "", good, ""},
		{"myapp://oauth", "write", strings.Repeat("!", 43), "S256"},
		{"myapp://oauth", "read:statuses", good[:42] + "d", "S256"},
		{"myapp://oauth", "push", good + "=", "S256"},
	} {
		f.Add(s[0], s[1], s[2], s[3])
	}
	svc := testapp.Service(f, testapp.ByName("sqlite").Open(f), nil)
	ctx := context.Background()
	app, _, err := svc.CreateApp(ctx, "Fuzz", "https://app.example/cb?x=1\nmyapp://oauth\n"+tweets.OutOfBand, "read write:statuses follow", "")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, redirectURI, scope, challenge, method string) {
		req := tweets.AuthRequest{ClientID: app.ClientID, RedirectURI: redirectURI, Scope: scope,
			CodeChallenge: challenge, CodeChallengeMethod: method}
		got, sc, err := svc.CheckAuthRequest(ctx, req)
		if err != nil {
			var e *tweets.Error
			fields := []string{"redirect_uri", "scope", "code_challenge", "code_challenge_method"}
			if !errors.As(err, &e) || e.Code != tweets.CodeInvalid || !slices.Contains(fields, e.Field) {
				t.Fatalf("CheckAuthRequest(%+v) = %#v, want an invalid-parameter domain error", req, err)
			}
			return
		}
		if got.ID != app.ID || !slices.Contains(app.RedirectURIs, redirectURI) {
			t.Fatalf("accepted redirect_uri %q, which %v did not register", redirectURI, app.RedirectURIs)
		}
		asked, err := tweets.ParseScopes(scope)
		if err != nil {
			t.Fatalf("accepted scope %q, which does not parse: %v", scope, err)
		}
		if !slices.Equal(sc, asked) || !sc.Within(app.Scopes) {
			t.Fatalf("scope %q granted %q, app registered %q", scope, sc, app.Scopes)
		}
		for _, need := range everyScope {
			if sc.Allows(need) && !grants(app.Scopes, need) {
				t.Fatalf("scope %q granted %q, which allows %q beyond the app's %q", scope, sc, need, app.Scopes)
			}
		}
		switch {
		case method == "" && challenge != "":
			t.Fatalf("challenge %q accepted without a method: a client that asked for PKCE would get a code without it", challenge)
		case method != "" && method != "S256":
			t.Fatalf("accepted code_challenge_method %q", method)
		case method == "S256":
			if sum, err := base64.RawURLEncoding.Strict().DecodeString(challenge); err != nil || len(sum) != 32 {
				t.Fatalf("accepted code_challenge %q, which no verifier's SHA-256 can match", challenge)
			}
		}
	})
}
