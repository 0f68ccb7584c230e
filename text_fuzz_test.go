package tweets_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/tweetsdev/tweets"
)

// textSeeds are texts worth starting every text fuzzer from: line ends,
// invisible characters, what NFC composes and what it expands, entities
// at the edges, and links around the length limit.
var textSeeds = []string{
	"",
	"hello world",
	"  \t\n",
	"a\r\nb\r\n\r\n",
	"a\r\r\nb",
	"a\rb\r",
	"\u200b\u200d\u2060\ufe0f",
	"e\u0301 cafe\u0301 caf\u00e9",
	"\u0344\u2adc\ufb2a",
	"\xff\xfe bad bytes",
	"nul\x00byte",
	"@alice @bob_ @x_y_z_ #tag #Café #CAFE\u0301 #123 #_a",
	"mail@example.com a#b C# &#35; ##x @@y",
	"https://example.com/a_(b)). http://[::1]:80/x?y=z#f (see https://t.co/x)",
	"HTTPS://EXAMPLE.COM/ https://user@evil.example/ https:// http://-/",
	"https://example.com/" + strings.Repeat("a", tweets.MaxLinkLength),
	strings.Repeat("x", tweets.MaxTweetLength),
	strings.Repeat("x", tweets.MaxTweetLength+1),
	strings.Repeat("\u00e9", tweets.MaxTweetLength),
	strings.Repeat("e\u0301", tweets.MaxTweetLength),
	strings.Repeat("\ufb2a", tweets.MaxTweetLength),
	strings.Repeat("https://example.com/long-long-long-path ", 12),
	"\u202e https://example.com/abc \u202c @alice \u2067#tag\u2069",
	"<script>alert(1)</script> \"quoted\" 'single' &amp;",
	"javascript:alert(1) data:text/html,x https://example.com/\"onmouseover=x",
}

// FuzzNormalizeTweetText checks the stored form of a text: normalizing
// it again changes nothing, it is valid UTF-8 when the text was, it ends
// in no white space and holds no CRLF, and its length is what the limit
// counted, or less.
func FuzzNormalizeTweetText(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		n := tweets.NormalizeTweetText(text)
		if again := tweets.NormalizeTweetText(n); again != n {
			t.Fatalf("not idempotent: %q → %q → %q", text, n, again)
		}
		if !utf8.ValidString(text) {
			return
		}
		if !utf8.ValidString(n) {
			t.Fatalf("%q normalized to invalid UTF-8 %q", text, n)
		}
		if strings.Contains(n, "\r\n") {
			t.Fatalf("%q normalized to %q, which keeps a CRLF", text, n)
		}
		if last, _ := utf8.DecodeLastRuneInString(n); n != "" && unicode.IsSpace(last) {
			t.Fatalf("%q normalized to %q, which ends in white space", text, n)
		}
		if tweets.IsBlank(n) != tweets.IsBlank(text) {
			t.Fatalf("%q (blank %v) normalized to %q (blank %v)", text, tweets.IsBlank(text), n, tweets.IsBlank(n))
		}
	})
}

// FuzzValidateTweetText checks the length limit: a storable text that
// shows something and has no overlong link is accepted exactly when
// TweetLength counts at most MaxTweetLength, and a refusal is a domain
// error about the text. What is accepted comes back whole from
// EchoTweet, stays accepted with trailing white space added, and is
// accepted again once stored.
func FuzzValidateTweetText(f *testing.F) {
	for _, s := range textSeeds {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, text string, hasMedia bool) {
		err := tweets.ValidateTweetText(text, hasMedia)
		n := tweets.TweetLength(text)
		if n < 0 {
			t.Fatalf("TweetLength(%q) = %d", text, n)
		}
		echo := tweets.EchoTweet(text)
		// What goes back into a page is UTF-8 without NUL (bad bytes
		// become U+FFFD), and a whole-character prefix of a text that is.
		if !utf8.ValidString(echo) || strings.ContainsRune(echo, 0) {
			t.Fatalf("EchoTweet(%q) = %q: not UTF-8 without NUL", text, echo)
		}
		if utf8.ValidString(text) && !strings.ContainsRune(text, 0) && !strings.HasPrefix(text, echo) {
			t.Fatalf("EchoTweet(%q) = %q: not a whole-character prefix", text, echo)
		}
		if err != nil {
			var e *tweets.Error
			if !errors.As(err, &e) || e.Code != tweets.CodeInvalid || e.Field != "text" {
				t.Fatalf("ValidateTweetText(%q) = %#v, want an invalid-text domain error", text, err)
			}
			if !utf8.ValidString(e.Message) {
				t.Fatalf("message %q is not UTF-8", e.Message)
			}
		}
		storable := tweets.CheckText("text", text) == nil
		shows := hasMedia || !tweets.IsBlank(text)
		if !storable || !shows || hasLongLink(text) {
			if err == nil {
				t.Fatalf("ValidateTweetText(%q, %v) accepted a text it should refuse (storable %v, shows %v)", text, hasMedia, storable, shows)
			}
			return
		}
		if accepted := err == nil; accepted != (n <= tweets.MaxTweetLength) {
			t.Fatalf("ValidateTweetText(%q): accepted %v with TweetLength %d (limit %d): %v", text, accepted, n, tweets.MaxTweetLength, err)
		}
		if err != nil {
			if want := fmt.Sprintf("it has %d.", n); !strings.Contains(err.Error(), want) {
				t.Fatalf("refusal %q does not say the count %d", err, n)
			}
			return
		}
		if tweets.TweetLength(text+" \t ") != n {
			t.Fatalf("trailing white space counted: %q", text)
		}
		stored := tweets.NormalizeTweetText(text)
		if stored == text && echo != text {
			t.Fatalf("EchoTweet cut an accepted text %q to %q", text, echo)
		}
		if err := tweets.ValidateTweetText(stored, hasMedia); err != nil && tweets.TweetLength(stored) <= tweets.MaxTweetLength {
			t.Fatalf("%q was accepted, but not as stored (%q): %v", text, stored, err)
		}
	})
}

// hasLongLink reports whether text has a link over MaxLinkLength.
func hasLongLink(text string) bool {
	for _, e := range tweets.ParseEntities(text) {
		if e.Kind == tweets.EntityLink && utf8.RuneCountInString(e.Value) > tweets.MaxLinkLength {
			return true
		}
	}
	return false
}
