package web

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/tweetsdev/tweets/middleware"
)

// Every timeline page shows twenty tweets, and html/template finds each
// field and calls each function of a partial by reflection: in a profile
// of GET /, executing the tweet partial took more time than reading the
// page from the database. So the partial is written here in Go, to the
// byte what templates/_tweet.html made (tweethtml_test.go renders both
// for every variant and compares), with the same escaping: html/template's
// for text and attributes, and only values already safe for a URL (ids,
// usernames, storage keys, the configured media address) in URLs.

// tweetWriter renders the tweet partial; mediaBase is where media keys
// are appended.
type tweetWriter struct {
	mediaBase string
}

// html returns the partial for it.
func (tw tweetWriter) html(it tweetItem) template.HTML {
	var b strings.Builder
	b.Grow(2048)
	tw.write(&b, it)
	return template.HTML(b.String()) // #nosec G203 -- every value is escaped as it is written, as the template did
}

func (tw tweetWriter) write(b *strings.Builder, it tweetItem) {
	t := &it.Tweet
	id := t.ID.String()
	item := t.Item.String()
	author := esc(t.Author)
	profile := "/@" + urlPart(t.Author)
	permalink := profile + "/" + id

	b.WriteString("\n<article class=\"tweet\" aria-labelledby=\"t" + item + "-author\">")
	if t.RepostedBy != "" {
		b.WriteString("\n  <p class=\"context\">Reposted by <a href=\"/@" + urlPart(t.RepostedBy) + "\">@" + esc(t.RepostedBy) + "</a></p>")
	}
	b.WriteString("\n  <header>\n    <a class=\"avatar-link\" href=\"" + profile + "\" tabindex=\"-1\" aria-hidden=\"true\">")
	tw.avatar(b, newAvatar(t.Author, t.AuthorAvatar, 32))
	b.WriteString("</a>\n    <a id=\"t" + item + "-author\" class=\"author\" href=\"" + profile + "\">@" + author + "</a>")
	b.WriteString("\n    <a class=\"when\" href=\"" + permalink + "\"><time datetime=\"" + esc(timeISO(t.CreatedAt)) +
		"\" title=\"" + esc(timeHuman(t.CreatedAt)) + "\">" + esc(timeAgo(t.CreatedAt)) + "</time></a>")
	if !t.EditedAt.IsZero() {
		b.WriteString("\n    <a class=\"edited\" href=\"" + permalink + "/history\">Edited<span class=\"visually-hidden\">: see the earlier versions</span></a>")
	}
	b.WriteString("\n  </header>")
	if t.ReplyTo != 0 {
		if t.ReplyToAuthor != "" {
			b.WriteString("\n  <p class=\"context\">In reply to <a href=\"/@" + urlPart(t.ReplyToAuthor) + "/" + t.ReplyTo.String() + "\">@" + esc(t.ReplyToAuthor) + "</a></p>")
		} else {
			b.WriteString("\n  <p class=\"context\">In reply to a deleted tweet</p>")
		}
	}
	if t.Text != "" {
		b.WriteString("\n  <p class=\"text\" dir=\"auto\">" + string(middleware.TweetHTML(t.Text, "", false)) + "</p>")
	}
	switch t.ReplyPolicy {
	case "following":
		b.WriteString("\n  <p class=\"context\">Only people @" + author + " follows can reply.</p>")
	case "mentioned":
		b.WriteString("\n  <p class=\"context\">Only people mentioned can reply.</p>")
	}
	if t.Quote != 0 {
		if q := t.Quoted; q != nil {
			qa, qp := esc(q.Author), "/@"+urlPart(q.Author)
			b.WriteString("\n  <blockquote class=\"quoted\"><p><a href=\"" + qp + "\">@" + qa + "</a> · <a href=\"" + qp + "/" + q.ID.String() +
				"\"><time datetime=\"" + esc(timeISO(q.CreatedAt)) + "\">" + esc(timeAgo(q.CreatedAt)) + "</time></a></p><p dir=\"auto\">" +
				string(middleware.TweetHTML(q.Text, "", false)) + "</p></blockquote>")
		} else {
			b.WriteString("\n  <blockquote class=\"quoted unavailable\"><p>This tweet is unavailable: it was deleted, or you cannot see it.</p></blockquote>")
		}
	}
	for _, m := range t.Media {
		p := m.Preview()
		w, h := strconv.Itoa(p.Width), strconv.Itoa(p.Height)
		b.WriteString("\n  <a class=\"media\" href=\"" + tw.mediaURL(m.Key) + "\"><span class=\"frame\">")
		if ph := placeholder(m); ph != "" {
			b.WriteString("<img class=\"placeholder\" src=\"" + urlPart(string(ph)) + "\" width=\"" + w + "\" height=\"" + h + "\" alt=\"\">")
		}
		alt := "Image attached by @" + author
		if m.Alt != "" {
			alt = esc(m.Alt)
		}
		b.WriteString("<img src=\"" + tw.mediaURL(p.Key) + "\" width=\"" + w + "\" height=\"" + h + "\" loading=\"lazy\" decoding=\"async\" alt=\"" + alt + "\"></span></a>")
	}
	b.WriteString("\n  <footer class=\"actions\">\n    <a href=\"" + permalink + "\" class=\"count\">" + strconv.Itoa(t.Replies) +
		"<span class=\"visually-hidden\"> " + plural(t.Replies, "reply", "replies") + "</span><span aria-hidden=\"true\"> ↩</span></a>")
	if t.Quotes != 0 {
		b.WriteString("<span class=\"count\">" + strconv.Itoa(t.Quotes) + "<span class=\"visually-hidden\"> " + plural(t.Quotes, "quote", "quotes") +
			"</span><span aria-hidden=\"true\"> ❝</span></span>")
	}
	if it.User != nil {
		csrf, back := esc(it.CSRF), esc(it.Back)
		hidden := "\n      <input type=\"hidden\" name=\"csrf\" value=\"" + csrf + "\"><input type=\"hidden\" name=\"next\" value=\"" + back + "\">"
		b.WriteString("\n    <a href=\"/tweets/" + id + "/quote\">Quote<span class=\"visually-hidden\"> this tweet</span></a>")
		b.WriteString("\n    <form method=\"post\" action=\"/tweets/" + id + "/" + choose(t.Reposted, "unrepost", "repost") + "\">" + hidden)
		b.WriteString("\n      <button type=\"submit\" class=\"link" + choose(t.Reposted, " on", "") + "\" aria-pressed=\"" + strconv.FormatBool(t.Reposted) + "\">" +
			strconv.Itoa(t.Reposts) + "<span class=\"visually-hidden\"> " + plural(t.Reposts, "repost", "reposts") + ": " +
			choose(t.Reposted, "undo your repost", "repost") + "</span><span aria-hidden=\"true\"> ⟳</span></button>\n    </form>")
		b.WriteString("\n    <form method=\"post\" action=\"/tweets/" + id + "/" + choose(t.Liked, "unlike", "like") + "\">" + hidden)
		b.WriteString("\n      <button type=\"submit\" class=\"link" + choose(t.Liked, " on", "") + "\" aria-pressed=\"" + strconv.FormatBool(t.Liked) + "\">" +
			strconv.Itoa(t.Likes) + "<span class=\"visually-hidden\"> " + plural(t.Likes, "like", "likes") + ": " +
			choose(t.Liked, "unlike", "like") + "</span><span aria-hidden=\"true\"> ♥</span></button>\n    </form>")
	} else {
		b.WriteString("\n    <span class=\"count\">" + strconv.Itoa(t.Reposts) + "<span class=\"visually-hidden\"> " + plural(t.Reposts, "repost", "reposts") +
			"</span><span aria-hidden=\"true\"> ⟳</span></span>")
		b.WriteString("\n    <span class=\"count\">" + strconv.Itoa(t.Likes) + "<span class=\"visually-hidden\"> " + plural(t.Likes, "like", "likes") +
			"</span><span aria-hidden=\"true\"> ♥</span></span>")
	}
	switch {
	case it.User != nil && it.User.ID == t.AuthorID:
		b.WriteString("\n    <a href=\"/tweets/" + id + "/edit\">Edit<span class=\"visually-hidden\"> this tweet</span></a>")
		b.WriteString("\n    <form class=\"delete\" method=\"post\" action=\"/tweets/" + id + "/delete\">\n      <input type=\"hidden\" name=\"csrf\" value=\"" +
			esc(it.CSRF) + "\">\n      <button type=\"submit\" class=\"link danger\">Delete<span class=\"visually-hidden\"> this tweet</span></button>\n    </form>")
	case it.User != nil:
		b.WriteString("\n    <a href=\"/tweets/" + id + "/report\">Report<span class=\"visually-hidden\"> this tweet by @" + author + "</span></a>")
	}
	b.WriteString("\n  </footer>\n</article>\n")
}

// avatar is templates/_avatar.html.
func (tw tweetWriter) avatar(b *strings.Builder, a avatar) {
	size := strconv.Itoa(a.Size)
	if a.Key != "" {
		b.WriteString("<img class=\"avatar avatar-" + size + "\" src=\"" + tw.mediaURL(a.Key) + "\" width=\"" + size + "\" height=\"" + size + "\" alt=\"\">")
		return
	}
	b.WriteString("<span class=\"avatar avatar-" + size + " av-" + strconv.Itoa(a.Hue) + "\" aria-hidden=\"true\">" + esc(a.Initial) + "</span>")
}

// mediaURL is a stored file's address.
func (tw tweetWriter) mediaURL(key string) string { return urlPart(tw.mediaBase + "/" + key) }

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func choose(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}

// esc escapes s as html/template does in text and in quoted attribute
// values.
func esc(s string) string {
	if !strings.ContainsAny(s, "\"&'+<>\x00") {
		return s
	}
	return htmlEscaper.Replace(s)
}

// urlPart writes s into a URL attribute as html/template does: bytes
// that may not appear in a URL percent-encoded (its normalizer), then
// escaped for the attribute.
func urlPart(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("!#$&*+,/:;=?@[]-._~%", c) >= 0:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02x", c)
		}
	}
	return esc(b.String())
}

var htmlEscaper = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")
