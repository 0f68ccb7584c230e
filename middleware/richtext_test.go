package middleware

import (
	"html"
	"regexp"
	"strings"
	"testing"
)

// safeTweetHTML is every output HTML may give: escaped text (no < >
// or "), line breaks, and links whose address and words are escaped.
var safeTweetHTML = regexp.MustCompile(`^(?:[^<>"]|<br>|<a href="[^<>"]*"(?: rel="nofollow noopener noreferrer")?><bdi>[^<>"]*</bdi></a>)*$`)

var hrefs = regexp.MustCompile(`href="([^"]*)"`)

// checkSafe fails unless out is built only as safeTweetHTML allows, its
// links go to this site or to http(s) addresses, and its text reads as
// text did.
func checkSafe(t *testing.T, text, out string) {
	t.Helper()
	if !safeTweetHTML.MatchString(out) {
		t.Errorf("%q rendered as %q: markup other than escaped text and links", text, out)
	}
	for _, m := range hrefs.FindAllStringSubmatch(out, -1) {
		href := strings.ToLower(html.UnescapeString(m[1]))
		if !strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") || strings.HasPrefix(href, "//") {
			t.Errorf("%q links to %q", text, m[1])
		}
		if strings.ContainsAny(href, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f") {
			t.Errorf("%q links to an address with a direction control: %q", text, m[1])
		}
	}
	tags := regexp.MustCompile(`<[^>]*>`)
	shown := html.UnescapeString(tags.ReplaceAllString(strings.ReplaceAll(out, "<br>\n", "\n"), ""))
	if !strings.Contains(text, "https://") && !strings.Contains(text, "http://") && shown != text {
		t.Errorf("%q reads as %q", text, shown)
	}
}

func TestTweetHTMLIsSafe(t *testing.T) {
	for _, text := range []string{
		`<script>alert("x")</script>`,
		`"><img src=x onerror=alert(1)> '; alert(1); '`,
		`javascript:alert(1) JAVASCRIPT://%0aalert(1) data:text/html,<b>x</b> vbscript:x`,
		`https://example.com/"onmouseover="alert(1)`,
		`https://example.com/'onmouseover='alert(1)'`,
		`https://example.com/<script>`,
		"https://example.com/\u202egnp.exe",
		"\u202e https://example.com/abc \u202c and @alice \u2067#tag\u2069",
		"#tag\"><b> @bob\"x @alice<b> #café&amp; &lt;",
		"line one\nline two\r\n\ttabbed",
		"https://example.com/a&b=c?d=\"e\"",
		"//evil.example/x @//evil #//x",
		"http://[::1]:80/x\x01\x7f",
	} {
		checkSafe(t, text, string(TweetHTML(text, "", false)))
		checkSafe(t, text, string(TweetHTML(text, "http://site.example", true)))
	}
}

func TestTweetHTML(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"hi @Bob_2 #Café https://example.com/a_(b)).",
			`hi <a href="/@Bob_2"><bdi>@Bob_2</bdi></a> <a href="/tags/caf%C3%A9"><bdi>#Café</bdi></a> ` +
				`<a href="https://example.com/a_(b)" rel="nofollow noopener noreferrer"><bdi>https://example.com/a_(b)</bdi></a>).`},
		{"a\nb <c>", "a\nb &lt;c&gt;"},
		{"https://example.com/" + strings.Repeat("x", 60),
			`<a href="https://example.com/` + strings.Repeat("x", 60) + `" rel="nofollow noopener noreferrer"><bdi>https://example.com/` + strings.Repeat("x", 29) + `…</bdi></a>`},
		{"'https://example.com/?a=1&b='2''", `&#39;<a href="https://example.com/?a=1&amp;b=&#39;2" rel="nofollow noopener noreferrer"><bdi>https://example.com/?a=1&amp;b=&#39;2</bdi></a>&#39;&#39;`},
	} {
		if got := string(TweetHTML(tc.text, "", false)); got != tc.want {
			t.Errorf("TweetHTML(%q) =\n %s\nwant\n %s", tc.text, got, tc.want)
		}
	}
	if got, want := string(TweetHTML("#Go\n@a", "https://site.example", true)),
		`<a href="https://site.example/tags/go"><bdi>#Go</bdi></a><br>`+"\n"+`<a href="https://site.example/@a"><bdi>@a</bdi></a>`; got != want {
		t.Errorf("HTML for a feed =\n %s\nwant\n %s", got, want)
	}
}
