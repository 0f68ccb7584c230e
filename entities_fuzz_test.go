package tweets_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tweetsdev/tweets"
)

// FuzzParseEntities checks what ParseEntities finds in any text: each
// entity lies inside the text, after the one before it, and is the text
// at its offsets (its @ or # first, a link's http:// or https://); a
// mention is 1 to MaxUsernameLength name characters, a hashtag valid,
// a link free of white space and of what would end an HTML attribute;
// an entity alone, or between spaces, is found again as itself; and
// Mentions and Hashtags list each name once.
func FuzzParseEntities(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		es := tweets.ParseEntities(text)
		end := 0
		for _, e := range es {
			if e.Start < end || e.End <= e.Start || e.End > len(text) {
				t.Fatalf("%q: entity %+v overlaps the one before (ending at %d) or leaves the text", text, e, end)
			}
			end = e.End
			written := text[e.Start:e.End]
			switch e.Kind {
			case tweets.EntityMention:
				if written != "@"+e.Value || len(e.Value) > tweets.MaxUsernameLength || strings.IndexFunc(e.Value, notNameRune) >= 0 {
					t.Fatalf("%q: bad mention %+v", text, e)
				}
			case tweets.EntityHashtag:
				if written != "#"+e.Value || !tweets.ValidHashtag(e.Value) {
					t.Fatalf("%q: bad hashtag %+v", text, e)
				}
			case tweets.EntityLink:
				lower := strings.ToLower(e.Value)
				if written != e.Value || !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
					t.Fatalf("%q: bad link %+v", text, e)
				}
				if strings.ContainsAny(e.Value, " \t\n\r\f\v<>\"`\\") {
					t.Fatalf("%q: link %q holds white space or a character that ends an attribute", text, e.Value)
				}
			default:
				t.Fatalf("%q: entity of unknown kind %+v", text, e)
			}
			if utf8.ValidString(text) && !utf8.ValidString(e.Value) {
				t.Fatalf("%q: entity %+v is not UTF-8", text, e)
			}
			for _, around := range []string{written, " " + written + " "} {
				again := tweets.ParseEntities(around)
				if len(again) != 1 || again[0].Kind != e.Kind || again[0].Value != e.Value {
					t.Fatalf("%q: entity %+v is found as %+v in %q", text, e, again, around)
				}
			}
		}
		for _, names := range [][]string{tweets.Mentions(text), tweets.Hashtags(text)} {
			sorted := slices.Clone(names)
			slices.Sort(sorted)
			if len(slices.Compact(sorted)) != len(names) {
				t.Fatalf("%q: names listed twice in %q", text, names)
			}
		}
	})
}

func notNameRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_')
}
