package tweets_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

func TestNormalizeProfile(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      tweets.Profile
		want    tweets.Profile
		field   string // of the refusal; empty when accepted
		message string
	}{
		{"trimmed", tweets.Profile{DisplayName: "  Zoë  ", Bio: "\n hi \n"}, tweets.Profile{DisplayName: "Zoë", Bio: "hi"}, "", ""},
		{"NFC", tweets.Profile{DisplayName: "Zoe\u0308"}, tweets.Profile{DisplayName: "Zo\u00eb"}, "", ""},
		{"bio keeps line breaks, CRLF as LF", tweets.Profile{Bio: "one\r\ntwo\rthree\n\tfour"}, tweets.Profile{Bio: "one\ntwo\nthree\n\tfour"}, "", ""},
		{"50 emoji", tweets.Profile{DisplayName: strings.Repeat("🙂", 50)}, tweets.Profile{DisplayName: strings.Repeat("🙂", 50)}, "", ""},
		{"right to left", tweets.Profile{DisplayName: "مرحبا \u200fשָׁלוֹם"}, tweets.Profile{DisplayName: "مرحبا \u200fשָׁלוֹם"}, "", ""},
		{"invisible only counts as unset", tweets.Profile{DisplayName: "\u200b\u2060", Bio: "\u3164 \u200d"}, tweets.Profile{}, "", ""},
		{"300-character bio", tweets.Profile{Bio: strings.Repeat("𠜎", 300)}, tweets.Profile{Bio: strings.Repeat("𠜎", 300)}, "", ""},
		{"51 characters", tweets.Profile{DisplayName: strings.Repeat("é", 51)}, tweets.Profile{}, "display_name", "has 51 characters; the limit is 50"},
		{"301-character bio", tweets.Profile{Bio: strings.Repeat("x", 301)}, tweets.Profile{}, "bio", "has 301 characters; the limit is 300"},
		{"line break in a display name", tweets.Profile{DisplayName: "two\nlines"}, tweets.Profile{}, "display_name", "one line"},
		{"tab in a display name", tweets.Profile{DisplayName: "a\tb"}, tweets.Profile{}, "display_name", "one line"},
		{"escape in a bio", tweets.Profile{Bio: "bell\x07"}, tweets.Profile{}, "bio", "control character"},
		{"NUL", tweets.Profile{DisplayName: "a\x00b"}, tweets.Profile{}, "display_name", "NUL byte"},
		{"not UTF-8", tweets.Profile{Bio: "\xff"}, tweets.Profile{}, "bio", "not UTF-8"},
	} {
		got, err := tweets.NormalizeProfile(tc.in)
		if tc.field == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
			}
			continue
		}
		var e *tweets.Error
		if !errors.As(err, &e) || e.Code != tweets.CodeInvalid || e.Field != tc.field || !strings.Contains(e.Message, tc.message) {
			t.Errorf("%s: err = %#v; want %s refused with %q", tc.name, err, tc.field, tc.message)
		}
	}
}

func TestUpdateProfile(t *testing.T) {
	forEachBackend(t, func(t *testing.T, svc *tweets.Service) {
		ctx := context.Background()
		alice, err := svc.CreateAccount(ctx, "alice", "password1")
		if err != nil {
			t.Fatal(err)
		}
		if alice.Name() != "@alice" {
			t.Errorf("Name() without a display name = %q, want @alice", alice.Name())
		}
		u, err := svc.UpdateProfile(ctx, alice, tweets.Profile{DisplayName: " Alice 🐇 ", Bio: "Down the\r\nrabbit hole"})
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := svc.UserByUsername(ctx, "alice")
		for _, got := range []tweets.User{u, stored} {
			if got.DisplayName != "Alice 🐇" || got.Bio != "Down the\nrabbit hole" || got.Name() != "Alice 🐇" {
				t.Errorf("after UpdateProfile: %q / %q", got.DisplayName, got.Bio)
			}
		}
		if _, err := svc.UpdateProfile(ctx, alice, tweets.Profile{DisplayName: strings.Repeat("x", 51)}); tweets.ErrorCode(err) != tweets.CodeInvalid {
			t.Errorf("a 51-character display name: err = %v", err)
		}
		if got, _ := svc.UserByUsername(ctx, "alice"); got.DisplayName != "Alice 🐇" {
			t.Errorf("a refused update changed the profile: %q", got.DisplayName)
		}
	})
}
