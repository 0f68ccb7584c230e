package web_test

import (
	"encoding/xml"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestTagPage: hashtags link to their page, which lists the tag's
// tweets newest first in any case the tag is written, page by page.
func TestTagPage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("alice", "password1")
		s.browser().SignUp("bob", "password1")
		b.PostTweet("Un #Café pour @bob, voir https://example.com/a_(b)).", "", nil)
		b.PostTweet("#CAFÉ encore et #日本", "", nil)
		b.PostTweet("rien à voir, @nobody", "", nil)

		home := b.Get("/")
		expect(t, home, 200,
			`<a href="/tags/caf%C3%A9"><bdi>#Café</bdi></a>`,
			`<a href="/@bob"><bdi>@bob</bdi></a>`,
			`<a href="https://example.com/a_(b)" rel="nofollow noopener noreferrer"><bdi>https://example.com/a_(b)</bdi></a>).`,
			`<a href="/tags/%E6%97%A5%E6%9C%AC"><bdi>#日本</bdi></a>`,
			`<a href="/@nobody"><bdi>@nobody</bdi></a>`)

		page := s.browser().Get("/tags/caf%C3%A9")
		expect(t, page, 200, "<h1 id=\"tag-heading\">#café</h1>", "#CAFÉ</bdi></a> encore", "Un <a", `href="/tags/caf%C3%A9.atom"`)
		if strings.Index(page.Body, "#CAFÉ</bdi></a> encore") > strings.Index(page.Body, "Un <a") {
			t.Error("the tag page is not newest first")
		}
		if strings.Contains(page.Body, "rien à voir") {
			t.Error("the tag page shows a tweet without the tag")
		}
		r := s.browser().Get("/tags/CAF%C3%89?before=123")
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/tags/caf%C3%A9?before=123" {
			t.Errorf("/tags/CAFÉ: %d to %q, want a redirect to /tags/caf%%C3%%A9?before=123", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, s.browser().Get("/tags/%E6%97%A5%E6%9C%AC"), 200, "#CAFÉ</bdi></a> encore")
		expect(t, s.browser().Get("/tags/123"), 404, "not a hashtag")
		expect(t, s.browser().Get("/tags/a-b"), 404)
		expect(t, s.browser().Get("/tags/nothing"), 200, "No tweets with #nothing")

		for i := range 22 {
			b.PostTweet(fmt.Sprintf("page %d #Paging", i), "", nil)
		}
		first := s.browser().Get("/tags/paging")
		older := regexp.MustCompile(`href="(/tags/paging\?before=\d+)" rel="next"`).FindStringSubmatch(first.Body)
		if older == nil || !strings.Contains(first.Body, "page 21 ") || strings.Contains(first.Body, "page 1 ") {
			t.Fatalf("first page of #paging:\n%s", first.Body)
		}
		second := s.browser().Get(html.UnescapeString(older[1]))
		expect(t, second, 200, "page 1 ", "page 0 ")
		if strings.Contains(second.Body, "page 2 ") || strings.Contains(second.Body, `rel="next"`) {
			t.Error("the second page repeats the first or links to a third")
		}
	})
}

type feed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
	Links []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		ID      string `xml:"id"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Author  struct {
			Name string `xml:"name"`
			URI  string `xml:"uri"`
		} `xml:"author"`
		Link struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Content struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

// TestTagFeed: /tags/NAME.atom is an Atom feed with the elements RFC
// 4287 requires, absolute URLs from the request's host and scheme, and
// each tweet as HTML escaped once.
func TestTagFeed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("alice", "password1")
		b.PostTweet("first #Go", "", nil)
		b.PostTweet("<b>bold</b> & #go\nwith @alice \x01", "", nil)
		port := strings.TrimPrefix(s.srv.URL, "http://127.0.0.1")

		req, _ := http.NewRequest("GET", s.srv.URL+"/tags/go.atom", nil)
		req.Host = "localhost" + port
		req.Header.Set("X-Forwarded-Proto", "https") // from a trusted proxy
		r := b.Do(req)
		expect(t, r, 200, `<?xml version="1.0" encoding="UTF-8"?>`, "&lt;b&gt;bold", "&amp;lt;b&amp;gt;bold")
		if ct := r.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		var f feed
		if err := xml.Unmarshal([]byte(r.Body), &f); err != nil {
			t.Fatalf("the feed does not parse: %v\n%s", err, r.Body)
		}
		site := "https://localhost" + port
		if f.ID != site+"/tags/go" || f.Title != "#go · tweets" || f.Updated == "" || f.Author.Name == "" {
			t.Errorf("feed header: %+v", f)
		}
		links := map[string]string{}
		for _, l := range f.Links {
			links[l.Rel] = l.Href
		}
		if links["self"] != site+"/tags/go.atom" || links["alternate"] != site+"/tags/go" {
			t.Errorf("feed links: %v", links)
		}
		if len(f.Entries) != 2 {
			t.Fatalf("%d entries, want 2", len(f.Entries))
		}
		e := f.Entries[0]
		if !regexp.MustCompile(`^`+regexp.QuoteMeta(site)+`/@alice/\d+$`).MatchString(e.ID) || e.Link.Href != e.ID || e.Link.Rel != "alternate" {
			t.Errorf("entry id %q, link %+v: want the permalink", e.ID, e.Link)
		}
		if e.Updated != f.Updated || e.Author.Name != "@alice" || e.Author.URI != site+"/@alice" || !strings.HasPrefix(e.Title, "@alice: <b>bold</b> & #go") {
			t.Errorf("entry: %+v", e)
		}
		want := `&lt;b&gt;bold&lt;/b&gt; &amp; <a href="` + site + `/tags/go"><bdi>#go</bdi></a><br>` + "\n" +
			`with <a href="` + site + `/@alice"><bdi>@alice</bdi></a> ` + "\ufffd"
		if e.Content.Type != "html" || e.Content.Body != want {
			t.Errorf("entry content (%s):\n %q\nwant\n %q", e.Content.Type, e.Content.Body, want)
		}

		plain := s.browser().Get("/tags/Go.atom")
		if plain.StatusCode != http.StatusSeeOther || plain.Header.Get("Location") != "/tags/go.atom" {
			t.Errorf("/tags/Go.atom: %d to %q", plain.StatusCode, plain.Header.Get("Location"))
		}
		var none feed
		empty := s.browser().Get("/tags/nothing.atom")
		if err := xml.Unmarshal([]byte(empty.Body), &none); err != nil || len(none.Entries) != 0 || none.Updated == "" || !strings.HasPrefix(none.ID, "http://127.0.0.1") {
			t.Errorf("the feed of a tag without tweets: %v, %+v", err, none)
		}
	})
}

// TestSearchPage: /search finds tweets by words, hashtag and mention,
// and accounts; a query it cannot run says why, next to the form.
func TestSearchPage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("alice", "password1")
		for _, name := range []string{"alina", "alfred", "alvin", "bob"} {
			s.browser().SignUp(name, "password1")
		}
		b.PostTweet("Bonjour l'École 🙂 #Rentrée avec @alina", "", nil)
		b.PostTweet("東京タワーに行きました", "", nil)

		home := s.browser().Get("/")
		expect(t, home, 200, `<form class="site-search" method="get" action="/search" role="search"`, `<label for="site-q" class="visually-hidden">`)
		expect(t, s.browser().Get("/search"), 200, `<label for="q">`, `<input id="q" name="q" type="search" value=""`)

		for _, tc := range []struct {
			q    string
			want []string
		}{
			{"école", []string{"Tweets matching “<bdi>école</bdi>”", "Bonjour l&#39;École"}},
			{"🙂", []string{"Bonjour l&#39;École"}},
			{"タワー", []string{"東京タワーに行きました"}},
			{"#rentrée", []string{`Tweets with <a href="/tags/rentr%C3%A9e">#rentrée</a>`, "Bonjour"}},
			{"@ALINA", []string{`Tweets mentioning <a href="/@alina">@alina</a>`, "Bonjour"}},
			{"al", []string{`<h2 id="preview-heading">Accounts</h2>`, `href="/@alvin"`, `href="/search?q=al&amp;type=accounts">All accounts matching “<bdi>al</bdi>”`}},
		} {
			r := s.browser().Get("/search?q=" + url.QueryEscape(tc.q))
			expect(t, r, 200, tc.want...)
		}
		if r := s.browser().Get("/search?q=nowhere"); !strings.Contains(r.Body, "No tweets found.") || strings.Contains(r.Body, "preview-heading") {
			t.Error("a search without results")
		}

		// Accounts, newest first, page by page.
		r := s.browser().Get("/search?q=AL&type=accounts")
		expect(t, r, 200, `aria-current="page">Accounts</a>`, `<input type="hidden" name="type" value="accounts">`)
		order := regexp.MustCompile(`<li><a href="/@(\w+)">`).FindAllStringSubmatch(r.Body, -1)
		var names []string
		for _, m := range order {
			names = append(names, m[1])
		}
		if strings.Join(names, " ") != "alvin alfred alina alice" {
			t.Errorf("accounts matching AL: %v", names)
		}

		for _, tc := range []struct {
			q    string
			want string
		}{
			{"", "Type something to search for"},
			{"   ", "Type something to search for"},
			{strings.Repeat("é", 201), "A search can have at most 200 characters; this one has 201."},
		} {
			r := s.browser().Get("/search?q=" + url.QueryEscape(tc.q))
			expect(t, r, 422, `<p id="q-error" class="error" role="alert">`+tc.want, `aria-describedby="q-help q-error" aria-invalid="true"`)
		}
		expect(t, s.browser().Get("/search?q=a%00b"), 422, "cannot be stored")
		expect(t, s.browser().Get("/search?q=%ff"), 422, "cannot be stored")
	})
}

// TestHostileTweetRendersHarmless: markup, quotes, script URLs and
// direction overrides in a tweet reach the page as text; only http and
// https addresses become links.
func TestHostileTweetRendersHarmless(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("alice", "password1")
		text := `<script>alert(1)</script> "x" 'y' javascript:alert(1) data:text/html,<b>x</b> ` +
			`https://example.com/"onmouseover="alert(1) #a"><img src=x> @alice"x ` + "\u202egnp.exe https://example.com/x\u202e"
		if r := b.PostTweet(text, "", nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("post: %d\n%s", r.StatusCode, r.Body)
		}
		page := s.browser().Get("/")
		m := regexp.MustCompile(`(?s)<p class="text" dir="auto">(.*?)</p>`).FindStringSubmatch(page.Body)
		if m == nil {
			t.Fatal("no tweet text on the page")
		}
		out := m[1]
		for _, bad := range []string{"<script", "<img", "<b>", `href="javascript`, `href="data`, `"onmouseover`, "\u202e\"", "\u202e<"} {
			if strings.Contains(out, bad) {
				t.Errorf("the tweet renders %q:\n%s", bad, out)
			}
		}
		hrefs := regexp.MustCompile(`<a href="([^"]*)"`).FindAllStringSubmatch(out, -1)
		var got []string
		for _, h := range hrefs {
			got = append(got, h[1])
		}
		if want := "https://example.com/ /tags/a /@alice https://example.com/x"; strings.Join(got, " ") != want {
			t.Errorf("links %q, want %q", got, want)
		}
	})
}

// TestComposeCountsLinksAs23: the form says how links count, and the
// refusal counts as the server does, keeping the whole text with its
// link.
func TestComposeCountsLinksAs23(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		expect(t, b.SignUp("alice", "password1"), 200, "Up to 280 characters; each link counts as 23, however long.")
		link := "https://example.com/" + strings.Repeat("a", 480)
		if r := b.PostTweet(strings.Repeat("x", 256)+" "+link, "", nil); r.StatusCode != http.StatusSeeOther {
			t.Errorf("280 with a 500-character link: %d", r.StatusCode)
		}
		text := strings.Repeat("x", 258) + " " + link
		expect(t, b.PostTweet(text, "", nil), 422,
			"Your tweet is 2 characters too long: the limit is 280 and it has 282.", ">"+text+"</textarea>")
	})
}
