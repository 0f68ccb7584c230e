package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/middleware"
)

// accountPreview is how many matching accounts the first page of a
// tweet search shows above the tweets.
const accountPreview = 3

type searchPage struct {
	page
	Query    string
	Accounts bool   // the accounts tab rather than the tweets tab
	Error    string // why the query was refused
	Results  tweets.SearchResults
	// Preview is the first few matching accounts, on the first page of
	// tweets; MoreAccounts says there are others.
	Preview      []tweets.User
	MoreAccounts bool
	TweetsTab    string // URLs of the two tabs for this query
	AccountsTab  string
	Older        string
	MaxLength    int
}

// search shows /search: without ?q= the empty form, otherwise a page of
// tweets (?type=accounts: of accounts) for the query.
func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	v := r.URL.Query()
	p := searchPage{page: s.newPage(w, r, "Search"), Query: v.Get("q"), Accounts: v.Get("type") == "accounts", MaxLength: tweets.MaxSearchLength}
	tab := func(accounts bool) string {
		q := url.Values{"q": {p.Query}}
		if accounts {
			q.Set("type", "accounts")
		}
		return "/search?" + q.Encode()
	}
	p.TweetsTab, p.AccountsTab = tab(false), tab(true)
	if !v.Has("q") {
		s.render(w, r, http.StatusOK, "search.html", p)
		return nil
	}
	cursor, err := before(r)
	if err != nil {
		return err
	}
	q := tweets.SearchQuery{Text: p.Query, Accounts: p.Accounts, Before: cursor}
	if u := currentUser(r); u != nil {
		q.Viewer = u.ID
	}
	p.Results, err = s.svc.Search(r.Context(), q)
	var e *tweets.Error
	if asDomain(err, &e) && e.Code == tweets.CodeInvalid {
		p.Title, p.Error, p.Query = "Search", e.Message, tweets.Echo(p.Query, tweets.MaxSearchLength)
		s.render(w, r, http.StatusUnprocessableEntity, "search.html", p)
		return nil
	}
	if err != nil {
		return err
	}
	p.Title = "Search: " + tweets.Excerpt(p.Results.Query, 50)
	page := &url.URL{Path: "/search", RawQuery: strings.TrimPrefix(tab(p.Accounts), "/search?")}
	if p.Accounts {
		if n := len(p.Results.Accounts); n > 0 {
			p.Older = olderLink(page, n, tweets.TimelinePageSize, p.Results.Accounts[n-1].ID)
		}
	} else {
		p.Older = olderPage(page, p.Results.Tweets)
	}
	if !p.Accounts && cursor == 0 && p.Results.Tag == "" {
		more, err := s.svc.Search(r.Context(), tweets.SearchQuery{Text: p.Query, Accounts: true, Limit: accountPreview + 1})
		if err != nil {
			return err
		}
		p.Preview = more.Accounts[:min(len(more.Accounts), accountPreview)]
		p.MoreAccounts = len(more.Accounts) > accountPreview
	}
	s.render(w, r, http.StatusOK, "search.html", p)
	return nil
}

type tagPage struct {
	page
	Tag    string // folded
	Tweets []tweets.Tweet
	Older  string
	Feed   string
}

// tag shows /tags/NAME, the tweets with a hashtag, newest first, and
// /tags/NAME.atom, their feed. A name in another case or form redirects
// to the folded one, the tag's one address.
func (s *Server) tag(w http.ResponseWriter, r *http.Request) error {
	name, feed := strings.CutSuffix(r.PathValue("name"), ".atom")
	cursor, err := before(r)
	if err != nil {
		return err
	}
	folded, ts, err := s.svc.HashtagTweets(r.Context(), currentUser(r), name, cursor)
	if err != nil {
		return err
	}
	path := middleware.TagPath(folded)
	if name != folded {
		if feed {
			path += ".atom"
		}
		if r.URL.RawQuery != "" {
			path += "?" + r.URL.RawQuery
		}
		return redirect(w, r, path)
	}
	if feed {
		return s.tagFeed(w, r, folded, ts)
	}
	p := tagPage{page: s.newPage(w, r, "#"+folded), Tag: folded, Tweets: ts, Feed: path + ".atom",
		Older: olderPage(&url.URL{Path: "/tags/" + folded}, ts)}
	p.Live = liveMarker("tag:"+folded, cursor, ts)
	s.render(w, r, http.StatusOK, "tag.html", p)
	return nil
}
