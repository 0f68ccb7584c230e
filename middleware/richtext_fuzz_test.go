package middleware

import (
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// FuzzTweetHTML checks that any text renders as checkSafe requires:
// nothing but escaped text, line breaks and links, every link to this
// site or to an http or https address, and the text reading as it was
// written (text as stored: UTF-8 without NUL); and that each entity of the text is one link.
func FuzzTweetHTML(f *testing.F) {
	for _, s := range []string{
		`<script>alert("x")</script>`,
		`"><img src=x onerror=alert(1)> '; alert(1); '`,
		`javascript:alert(1) JAVASCRIPT://%0aalert(1) data:text/html,<b>x</b>`,
		`https://example.com/"onmouseover="alert(1) https://example.com/'x'`,
		"\u202e https://example.com/abc \u202c and @alice \u2067#tag\u2069",
		"#tag\"><b> @bob\"x @alice<b> #café&amp; &lt;",
		"line one\nline two\r\n\ttabbed",
		"//evil.example/x @//evil #//x http://[::1]:80/x\x01\x7f",
		"https://example.com/" + strings.Repeat("é", 60),
		"\xff<\xfe>",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, breaks bool) {
		// Stored text is UTF-8 without NUL (tweets.CheckText): the
		// escaper writes other text otherwise, which reads differently.
		text = strings.ToValidUTF8(strings.ReplaceAll(text, "\x00", ""), "\uFFFD")
		base := ""
		if breaks {
			base = "http://site.example"
		}
		out := string(TweetHTML(text, base, breaks))
		checkSafe(t, text, out)
		if links, es := strings.Count(out, "<a "), len(tweets.ParseEntities(text)); links != es {
			t.Errorf("%q has %d entities but renders %d links: %q", text, es, links, out)
		}
	})
}
