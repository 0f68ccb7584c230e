package tweets_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

// entities renders what ParseEntities finds as "@name", "#tag" and
// "<url>", each checked against the text it claims to span.
func entities(t *testing.T, text string) []string {
	t.Helper()
	var out []string
	end := 0
	for _, e := range tweets.ParseEntities(text) {
		if e.Start < end || e.End > len(text) {
			t.Fatalf("%q: entity %+v overlaps the one before or leaves the text", text, e)
		}
		end = e.End
		written := text[e.Start:e.End]
		switch e.Kind {
		case tweets.EntityMention:
			out = append(out, "@"+e.Value)
		case tweets.EntityHashtag:
			out = append(out, "#"+e.Value)
		case tweets.EntityLink:
			out = append(out, "<"+e.Value+">")
			written = "<" + written + ">"
		}
		if written != out[len(out)-1] {
			t.Errorf("%q: entity %+v spans %q", text, e, written)
		}
	}
	return out
}

func TestParseEntities(t *testing.T) {
	long := strings.Repeat("a", 30)
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"hello @alice and @Bob_2!", []string{"@alice", "@Bob_2"}},
		{"@alice: first", []string{"@alice"}},
		{"(@alice)", []string{"@alice"}},
		{"mail alice@example.com or a.b@c.d", nil},
		{"@" + long + " fits, @" + long + "b does not", []string{"@" + long}},
		{"@alice@mastodon.example is elsewhere", nil},
		{"@josé, @ZOË and @naïve are not mentions", nil},
		{"@@alice #@alice $@alice", nil},
		{"@_ @9", []string{"@_", "@9"}},
		{"@ alone, and @", nil},
		{"#go #Café #日本 #Ωmega #हिन्दी", []string{"#go", "#Café", "#日本", "#Ωmega", "#हिन्दी"}},
		{"#2026 #2026年 #_ #_a", []string{"#2026年", "#_a"}},
		{"C# and a#b and &#39; and ##two", nil},
		{"#tag's end, #tag. (#tag) #tag🙂", []string{"#tag", "#tag", "#tag", "#tag"}},
		{"#" + strings.Repeat("x", 100) + " #" + strings.Repeat("y", 101), []string{"#" + strings.Repeat("x", 100)}},
		{"#" + strings.Repeat("ß", 51), nil}, // folds to 102 characters
		{"see https://example.com/path?q=1#frag.", []string{"<https://example.com/path?q=1#frag>"}},
		{"HTTP://EXAMPLE.COM, http://example.com:8080/", []string{"<HTTP://EXAMPLE.COM>", "<http://example.com:8080/>"}},
		{"(https://en.wikipedia.org/wiki/Go_(language))", []string{"<https://en.wikipedia.org/wiki/Go_(language)>"}},
		{"(https://example.com/a)", []string{"<https://example.com/a>"}},
		{"https://example.com/a_(b)).", []string{"<https://example.com/a_(b)>"}},
		{"[https://example.com/x]", []string{"<https://example.com/x>"}},
		{"'https://example.com/it's'", []string{"<https://example.com/it's>"}},
		{"https://ja.wikipedia.org/wiki/日本。次", []string{"<https://ja.wikipedia.org/wiki/日本>"}},
		{"https://example.com/🙂", []string{"<https://example.com/>"}},
		{`https://example.com/"onmouseover=x <b>`, []string{"<https://example.com/>"}},
		{"https://example.com/\u202egnp.exe", []string{"<https://example.com/>"}},
		{"https://[::1]:8080/x", []string{"<https://[::1]:8080/x>"}},
		{"https://user@evil.example/ https:// https://. https:///x", nil},
		{"ftp://example.com javascript:alert(1) data:text/html,x mailto:a@b.c", nil},
		{"xhttps://example.com", nil},
		{"https://example.com/@alice/1#tag and @bob #tag", []string{"<https://example.com/@alice/1#tag>", "@bob", "#tag"}},
		{"@alice#tag #tag@alice", []string{"@alice", "#tag"}},
	} {
		if got := entities(t, tc.text); !slices.Equal(got, tc.want) {
			t.Errorf("ParseEntities(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

func TestHashtagsAndMentions(t *testing.T) {
	text := "#Café #CAFE\u0301 #cafe #ΣΟΦΟΣ #σοφος #Straße @Alice @alice @BOB"
	if got, want := tweets.Hashtags(text), []string{"café", "cafe", "σοφοσ", "strasse"}; !slices.Equal(got, want) {
		t.Errorf("Hashtags = %q, want %q", got, want)
	}
	if got, want := tweets.Mentions(text), []string{"alice", "bob"}; !slices.Equal(got, want) {
		t.Errorf("Mentions = %q, want %q", got, want)
	}
	for tag, valid := range map[string]bool{"go": true, "Ωmega": true, "a_1": true, "123": false, "": false, "a-b": false, "a b": false, "#a": false} {
		if tweets.ValidHashtag(tag) != valid {
			t.Errorf("ValidHashtag(%q) = %v", tag, !valid)
		}
	}
}

func TestTweetLengthCountsLinksAs23(t *testing.T) {
	url500 := "https://example.com/" + strings.Repeat("a", 480)
	for _, tc := range []struct {
		name string
		text string
		want int
	}{
		{"a short link", "http://a.b", 23},
		{"a 500-character link", url500, 23},
		{"text and a link", "look: " + url500, 6 + 23},
		{"two links", url500 + " " + url500, 23 + 1 + 23},
		{"emoji around a link", "🙂 https://example.com/🙂", 1 + 1 + 23 + 1},
		{"a link with a trailing period", "https://example.com/a.", 23 + 1},
		{"decomposed accents beside a link", strings.Repeat("e\u0301", 10) + " https://example.com/e\u0301", 10 + 1 + 23},
		{"a javascript: URL is text", "javascript:alert(1)", 19},
		{"trailing white space", url500 + " \n ", 23},
	} {
		if got := tweets.TweetLength(tc.text); got != tc.want {
			t.Errorf("%s: TweetLength = %d, want %d", tc.name, got, tc.want)
		}
	}

	// 257 characters, a space and a 500-character link: 280, which fits.
	fits := strings.Repeat("x", 256) + " " + url500
	if n := tweets.TweetLength(fits); n != 280 {
		t.Fatalf("TweetLength = %d, want 280", n)
	}
	if err := tweets.ValidateTweetText(fits, false); err != nil {
		t.Errorf("280 characters with a 500-character link refused: %v", err)
	}
	err := tweets.ValidateTweetText("x"+fits, false)
	if !strings.Contains(tweets.ErrorMessage(err), "1 character too long: the limit is 280 and it has 281") {
		t.Errorf("281 with a link: %v", err)
	}
	// Emoji and NFC count as before around links.
	if err := tweets.ValidateTweetText(strings.Repeat("e\u0301", 256)+" "+url500, false); err != nil {
		t.Errorf("256 NFC characters and a link refused: %v", err)
	}
	if err := tweets.ValidateTweetText(strings.Repeat("🙂", 257)+" "+url500, false); err == nil {
		t.Error("257 emoji, a space and a link (281) accepted")
	}

	huge := "https://example.com/" + strings.Repeat("a", tweets.MaxLinkLength)
	err = tweets.ValidateTweetText(huge, false)
	if want := fmt.Sprintf("A link can have at most %d characters", tweets.MaxLinkLength); !strings.Contains(tweets.ErrorMessage(err), want) {
		t.Errorf("a link over the limit: %v", err)
	}
}

// TestEchoTweet: a refused tweet comes back whole when its links made it
// long, but a huge text does not.
func TestEchoTweet(t *testing.T) {
	long := strings.Repeat("x", 300) + " https://example.com/" + strings.Repeat("a", 1000)
	if got := tweets.EchoTweet(long); got != long {
		t.Errorf("a 300-character tweet with a long link was cut to %d bytes", len(got))
	}
	if got, want := tweets.EchoTweet(strings.Repeat("x", 1<<20)), tweets.Echo(strings.Repeat("x", 1<<20), tweets.MaxTweetLength); got != want {
		t.Errorf("a megabyte of text came back with %d bytes, want %d as Echo gives", len(got), len(want))
	}
	links := strings.Repeat(" https://example.com/"+strings.Repeat("a", 1000), 100)
	if got := tweets.EchoTweet(links); len(got) > 20*1020 {
		t.Errorf("100 long links came back with %d bytes", len(got))
	}
	// A text refused for bytes that cannot be stored comes back without
	// them: the page that shows it stays UTF-8.
	for _, got := range []string{tweets.EchoTweet("a\xffb\x00c\xc3"), tweets.Echo("a\xffb\x00c\xc3", 10)} {
		if got != "a\uFFFDb\uFFFDc\uFFFD" {
			t.Errorf("unstorable bytes echoed as %q", got)
		}
	}
}
