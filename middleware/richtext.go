package middleware

// A tweet's text as HTML, the same for every transport: the pages, the
// Atom feeds and the API's status content.

import (
	"html/template"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/tweetsdev/tweets"
)

// TweetHTML renders a tweet's text as HTML: the text escaped, mentions
// linked to profiles, hashtags to their pages, and http and https links
// (no other scheme is ever a link) to where they point, marked nofollow
// and opened without a referrer or opener. Every piece of the text goes
// through the HTML escaper, in element content or in a double-quoted
// attribute; what this function adds is constant markup. Each link's
// words are in a <bdi>, so that direction overrides in the text around
// it cannot reorder them. Mentions are linked whether or not the account
// exists (the profile page says when it does not), since a page of
// tweets does not know which names are taken.
//
// base prefixes the site's own links ("" for the pages, the site's
// address for a feed, whose reader resolves them elsewhere), and breaks
// turns line ends into <br> for readers without the pages' stylesheet.
func TweetHTML(text, base string, breaks bool) template.HTML {
	var b strings.Builder
	plain := func(s string) {
		s = template.HTMLEscapeString(s)
		if breaks {
			s = strings.ReplaceAll(s, "\n", "<br>\n")
		}
		b.WriteString(s)
	}
	link := func(href, rel, words string) {
		b.WriteString(`<a href="`)
		b.WriteString(template.HTMLEscapeString(href))
		if rel != "" {
			b.WriteString(`" rel="`)
			b.WriteString(rel)
		}
		b.WriteString(`"><bdi>`)
		b.WriteString(template.HTMLEscapeString(words))
		b.WriteString(`</bdi></a>`)
	}
	pos := 0
	for _, e := range tweets.ParseEntities(text) {
		plain(text[pos:e.Start])
		written := text[e.Start:e.End]
		switch e.Kind {
		case tweets.EntityMention:
			link(base+"/@"+e.Value, "", written)
		case tweets.EntityHashtag:
			link(base+TagPath(e.Value), "", written)
		case tweets.EntityLink:
			link(e.Value, "nofollow noopener noreferrer", shortLink(e.Value))
		}
		pos = e.End
	}
	plain(text[pos:])
	return template.HTML(b.String()) // #nosec G203 -- every piece is escaped above
}

// TagPath is the path of a hashtag's page.
func TagPath(tag string) string { return "/tags/" + url.PathEscape(tweets.FoldHashtag(tag)) }

// maxLinkWords is how much of a link's address the text shows.
const maxLinkWords = 50

// shortLink is what a link shows: its address, cut short with an
// ellipsis when long.
func shortLink(link string) string {
	if utf8.RuneCountInString(link) <= maxLinkWords {
		return link
	}
	n := 0
	for i := range link {
		if n == maxLinkWords-1 {
			return link[:i] + "…"
		}
		n++
	}
	return link
}
