package tweets_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// everyScope is each scope a route can need: the granular ones and the
// top-level ones.
var everyScope = []string{"read", "write", "follow", "push", "profile",
	"read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters", "read:follows",
	"read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses",
	"write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites",
	"write:filters", "write:follows", "write:lists", "write:media", "write:mutes", "write:notifications",
	"write:reports", "write:statuses"}

// FuzzParseScopes checks scope strings as an app registers them and a
// client asks for them: a parsed list holds only scopes that were asked
// for ("read" when none were), each once, and parses back to itself; an
// unknown scope is a domain error about "scope". And Within is the rule
// that a token can do no more than its app: when what was asked is
// within what was registered, everything the one allows the other does
// too (a top-level scope counts as all it stands for).
func FuzzParseScopes(f *testing.F) {
	for _, s := range [][2]string{
		{"", ""}, {"read", "read write"}, {"read write follow push", "read"}, {"read:statuses write:media", "read write"},
		{"read", "read:accounts read:blocks read:bookmarks read:favourites read:filters read:follows read:lists read:mutes read:notifications read:search read:statuses"},
		{"follow", "read:follows write:follows read:blocks write:blocks read:mutes write:mutes"},
		{"read+write", "read  read"}, {"admin:read", "read"}, {"READ", "read"}, {"read:", "read"}, {"profile", "read:accounts"},
		{"\xff", "read"}, {"read\twrite", "write"}, {"push", "push profile"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, asked, registered string) {
		sc, err := tweets.ParseScopes(asked)
		if err != nil {
			var e *tweets.Error
			if !errors.As(err, &e) || e.Code != tweets.CodeInvalid || e.Field != "scope" {
				t.Fatalf("ParseScopes(%q) = %#v, want an invalid-scope domain error", asked, err)
			}
			return
		}
		fields := strings.FieldsFunc(asked, func(r rune) bool { return r == ' ' || r == '+' })
		if len(fields) == 0 {
			fields = []string{"read"}
		}
		if len(sc) == 0 {
			t.Fatalf("ParseScopes(%q) gave no scope", asked)
		}
		for i, s := range sc {
			if !slices.Contains(fields, s) {
				t.Fatalf("ParseScopes(%q) = %q grants %q, which was not asked for", asked, sc, s)
			}
			if slices.Contains(sc[:i], s) {
				t.Fatalf("ParseScopes(%q) = %q lists %q twice", asked, sc, s)
			}
		}
		if again, err := tweets.ParseScopes(sc.String()); err != nil || !slices.Equal(again, sc) {
			t.Fatalf("ParseScopes(%q) = %q, %v; want %q back", sc.String(), again, err, sc)
		}
		if !sc.Within(sc) {
			t.Fatalf("%q is not within itself", sc)
		}
		of, err := tweets.ParseScopes(registered)
		if err != nil || !sc.Within(of) {
			return
		}
		for _, need := range everyScope {
			if sc.Allows(need) && !grants(of, need) {
				t.Fatalf("%q is within %q, yet allows %q, which %q does not", sc, of, need, of)
			}
		}
	})
}

// grants reports whether sc allows need, or everything need stands for.
func grants(sc tweets.Scopes, need string) bool {
	if sc.Allows(need) {
		return true
	}
	any := false
	for _, g := range everyScope {
		if strings.HasPrefix(g, need+":") || need == "follow" && slices.Contains([]string{"read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"}, g) {
			if !sc.Allows(g) {
				return false
			}
			any = true
		}
	}
	return any
}
