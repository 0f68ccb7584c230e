package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/internal/testimage"
)

// atom is what a test reads of a feed: every element RFC 4287 requires
// of a feed and of its entries, and the links.
type atom struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Author  struct {
		Name string `xml:"name"`
		URI  string `xml:"uri"`
	} `xml:"author"`
	Links   []atomLink `xml:"link"`
	Entries []struct {
		ID        string     `xml:"id"`
		Title     string     `xml:"title"`
		Updated   string     `xml:"updated"`
		Published string     `xml:"published"`
		Links     []atomLink `xml:"link"`
		Content   struct {
			Type string `xml:"type,attr"`
			Body string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

func (f atom) link(rel string) string {
	for _, l := range f.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

func parseFeed(t *testing.T, body string) atom {
	t.Helper()
	var f atom
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("the feed is not Atom XML: %v\n%s", err, body)
	}
	return f
}

func TestProfileFeed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		s.svc.Limits.Post = nil
		alice, err := s.svc.CreateAccount(ctx, "alice", "password1")
		if err != nil {
			t.Fatal(err)
		}
		alice, err = s.svc.UpdateProfile(ctx, alice, tweets.Profile{DisplayName: "Zoë & <Co>"})
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 21; i++ {
			if _, err := s.svc.PostTweet(ctx, alice, fmt.Sprintf("tweet %d", i), nil); err != nil {
				t.Fatal(err)
			}
		}
		img, err := s.svc.PostTweet(ctx, alice, "", tweets.UploadBytes(testimage.PNG(4, 4)))
		if err != nil {
			t.Fatal(err)
		}
		const text = "<script>alert(1)</script> & \"co\"\nline two"
		newest, err := s.svc.PostTweet(ctx, alice, text, nil)
		if err != nil {
			t.Fatal(err)
		}

		b := s.browser()
		r := b.Get("/@alice.atom")
		expect(t, r, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if !strings.HasPrefix(r.Body, `<?xml version="1.0" encoding="UTF-8"?>`) {
			t.Errorf("no XML declaration: %.60q", r.Body)
		}
		f := parseFeed(t, r.Body)
		profile := s.srv.URL + "/@alice"
		if f.ID != profile || f.Title != "Zoë & <Co> on tweets" || f.Author.Name != "Zoë & <Co>" || f.Author.URI != profile {
			t.Errorf("feed id %q, title %q, author %+v", f.ID, f.Title, f.Author)
		}
		if f.link("self") != profile+".atom" || f.link("alternate") != profile {
			t.Errorf("links %+v: want self %s.atom and alternate %s", f.Links, profile, profile)
		}
		if updated, err := time.Parse(time.RFC3339, f.Updated); err != nil || !updated.Equal(newest.CreatedAt.Truncate(time.Second)) {
			t.Errorf("updated %q, %v; want the newest tweet's time", f.Updated, err)
		}
		if len(f.Entries) != 20 {
			t.Fatalf("%d entries, want the newest 20", len(f.Entries))
		}
		for i, e := range f.Entries {
			for _, v := range []string{e.Updated, e.Published} {
				if _, err := time.Parse(time.RFC3339, v); err != nil {
					t.Errorf("entry %d: time %q: %v", i, v, err)
				}
			}
			if e.ID == "" || e.Title == "" || e.Content.Type != "html" || len(e.Links) != 1 || e.Links[0].Href != e.ID {
				t.Errorf("entry %d lacks an element: %+v", i, e)
			}
		}
		first := f.Entries[0]
		if first.ID != profile+"/"+newest.ID.String() || first.Title != `<script>alert(1)</script> & "co" line two` {
			t.Errorf("newest entry: id %q, title %q", first.ID, first.Title)
		}
		// Escaped once for HTML inside the XML: a reader shows the text,
		// and runs no script.
		if want := "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;co&#34;<br>\nline two</p>"; first.Content.Body != want {
			t.Errorf("content %q, want %q", first.Content.Body, want)
		}
		if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, "&amp;amp;amp;") {
			t.Error("the tweet's text is not escaped exactly once in the content")
		}
		if e := f.Entries[1]; e.ID != profile+"/"+img.ID.String() || !strings.Contains(e.Content.Body, `<img src="`+s.srv.URL+"/media/"+img.Media[0].Key+`"`) {
			t.Errorf("image entry: %+v", e)
		}
		if last := f.Entries[19]; last.Content.Body != "<p>tweet 4</p>" {
			t.Errorf("the oldest entry is %q, want tweet 4", last.Content.Body)
		}

		// Behind a TLS proxy the addresses are https.
		req, _ := http.NewRequest("GET", s.srv.URL+"/@alice.atom", nil)
		req.Header.Set("X-Forwarded-Proto", "https")
		if f := parseFeed(t, b.Do(req).Body); !strings.HasPrefix(f.ID, "https://") || !strings.HasPrefix(f.link("self"), "https://") {
			t.Errorf("behind TLS: id %q, self %q", f.ID, f.link("self"))
		}

		// The HTML profile is still there, and names the feed.
		expect(t, b.Get("/@alice"), 200, `href="/@alice.atom"`, "tweet 21")
		if r := b.Get("/@Alice.atom"); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/@alice.atom" {
			t.Errorf("/@Alice.atom: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, b.Get("/@nobody.atom"), 404)
		expect(t, b.Get("/@.atom"), 404)
		expect(t, b.Get("/alice.atom"), 404)

		// An account without tweets has a valid, empty feed.
		bob, _ := s.svc.CreateAccount(ctx, "bob", "password1")
		f = parseFeed(t, b.Get("/@bob.atom").Body)
		if len(f.Entries) != 0 || f.Updated != bob.CreatedAt.UTC().Format(time.RFC3339) || f.Title != "@bob on tweets" {
			t.Errorf("empty feed: %+v", f)
		}

		// A suspended account has no feed.
		admin, _ := s.svc.CreateAccount(ctx, "admin", "password1")
		s.svc.Store.SetAdmin(ctx, admin.ID, true)
		admin.IsAdmin = true
		if err := s.svc.SetSuspended(ctx, admin, alice.ID, true); err != nil {
			t.Fatal(err)
		}
		expect(t, b.Get("/@alice.atom"), 404)
	})
}
