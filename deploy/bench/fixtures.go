package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// noRedirects reads answers as they are: a log-in's redirect carries
// the session cookie.
var noRedirects = &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// account is what the API says of an account.
type account struct {
	ID        string `json:"id"`
	Username  string `json:"username"`
	URL       string `json:"url"`
	Followers int    `json:"followers_count"`
	Following int    `json:"following_count"`
	Statuses  int    `json:"statuses_count"`
}

type status struct {
	ID        string  `json:"id"`
	URL       string  `json:"url"`
	Replies   int     `json:"replies_count"`
	InReplyTo *string `json:"in_reply_to_id"`
	Account   account `json:"account"`
}

// session is a logged-in account: its cookies, the CSRF token of its
// forms, and an API token.
type session struct {
	name, cookie, csrf, token string
}

// fixtures are what the scenarios request.
type fixtures struct {
	home    []session // readers sampled across follow counts
	posters []session
	threads []string // permalinks of tweets with replies
	profile string   // the busiest author's profile
	deep    string   // the anonymous timeline half way down
	notes   map[string]string
}

// scenario is one kind of request, with the requests it rotates
// through.
type scenario struct {
	name  string
	reqs  []request
	write bool // changes data: no baseline
	note  string
}

func (fx *fixtures) scenarios() []scenario {
	get := func(path string, headers map[string]string) request {
		return request{method: "GET", path: path, headers: headers}
	}
	var home, api, post []request
	for _, s := range fx.home {
		home = append(home, get("/", map[string]string{"Cookie": s.cookie}))
		api = append(api, get("/api/v1/timelines/home", map[string]string{"Authorization": "Bearer " + s.token}))
	}
	for _, s := range fx.posters {
		for j := range 20 {
			body := url.Values{"csrf": {s.csrf}, "text": {fmt.Sprintf("Benchmark post %d from %s, with a #bench tag and a few more words to read.", j, s.name)}}
			post = append(post, request{method: "POST", path: "/tweets", body: body.Encode(),
				headers: map[string]string{"Cookie": s.cookie, "Content-Type": "application/x-www-form-urlencoded"}})
		}
	}
	var threads []request
	for _, p := range fx.threads {
		threads = append(threads, get(p, nil))
	}
	return []scenario{
		{name: "public", reqs: []request{get("/", nil)}, note: "GET / anonymous: the public timeline's first page"},
		{name: "home", reqs: home, note: fx.notes["home"]},
		{name: "thread", reqs: threads, note: "a permalink with its replies"},
		{name: "profile", reqs: []request{get(fx.profile, nil)}, note: "the busiest author's profile: " + fx.profile},
		{name: "deep", reqs: []request{get(fx.deep, nil)}, note: "the anonymous timeline half way down: " + fx.deep},
		{name: "api-home", reqs: api, note: "GET /api/v1/timelines/home with the home readers' tokens"},
		{name: "post", reqs: post, write: true, note: fmt.Sprintf("POST /tweets from %d accounts in turn (the server's post limit off for the run)", len(fx.posters))},
	}
}

// discover finds, through the API, what to request: recent statuses,
// their authors with their counts, the most-followed account's
// followers; then logs in as a sample of them.
func discover(ctx context.Context, o options) (*fixtures, error) {
	fx := &fixtures{notes: map[string]string{}}
	var statuses []status
	maxID := ""
	for range 5 {
		var page []status
		path := "/api/v1/timelines/public?limit=40"
		if maxID != "" {
			path += "&max_id=" + maxID
		}
		if err := getJSON(ctx, o.base+path, &page); err != nil {
			return nil, err
		}
		if len(page) == 0 {
			break
		}
		statuses, maxID = append(statuses, page...), page[len(page)-1].ID
	}
	if len(statuses) < 20 {
		return nil, fmt.Errorf("the server has %d tweets: seed it first (tweets seed)", len(statuses))
	}
	byID := map[string]account{}
	for _, st := range statuses {
		if _, ok := byID[st.Account.ID]; ok || len(byID) >= 60 {
			continue
		}
		var a account
		if err := getJSON(ctx, o.base+"/api/v1/accounts/"+st.Account.ID, &a); err != nil {
			return nil, err
		}
		byID[a.ID] = a
	}
	authors := make([]account, 0, len(byID))
	for _, a := range byID {
		authors = append(authors, a)
	}
	sort.Slice(authors, func(i, j int) bool { return authors[i].Following < authors[j].Following })
	top := slices.MaxFunc(authors, func(a, b account) int { return a.Followers - b.Followers })
	busiest := slices.MaxFunc(authors, func(a, b account) int { return a.Statuses - b.Statuses })
	fx.profile = pathOf(busiest.URL)
	var followers []account
	if err := getJSON(ctx, o.base+"/api/v1/accounts/"+top.ID+"/followers?limit=40", &followers); err != nil {
		return nil, err
	}
	// Readers: the fewest, the median and the most followings among the
	// authors, and followers of the most-followed account.
	var names []string
	n := len(authors)
	for _, a := range slices.Concat(authors[:min(4, n)], authors[n/2-min(2, n/2):n/2+min(2, n-n/2)], authors[max(0, n-4):]) {
		names = append(names, a.Username)
	}
	for _, a := range followers[:min(8, len(followers))] {
		names = append(names, a.Username)
	}
	names = compact(names)
	for _, name := range names {
		s, err := login(ctx, o.base, name, o.password)
		if err != nil {
			return nil, err
		}
		fx.home = append(fx.home, s)
	}
	fx.posters = fx.home
	fx.notes["home"] = fmt.Sprintf("GET / as %d readers following %d to %d accounts, %d of them following @%s (%d followers)",
		len(fx.home), authors[0].Following, authors[n-1].Following, min(8, len(followers)), top.Username, top.Followers)
	for _, st := range statuses {
		if st.Replies > 0 || st.InReplyTo != nil {
			fx.threads = append(fx.threads, pathOf(st.URL))
		}
	}
	if len(fx.threads) == 0 {
		return nil, errors.New("no recent tweet has replies: seed with replies")
	}
	fx.threads = fx.threads[:min(20, len(fx.threads))]
	deep, err := halfway(ctx, o.base, statuses[0].ID)
	if err != nil {
		return nil, err
	}
	fx.deep = "/?before=" + deep
	return fx, nil
}

// halfway finds the id half way between the oldest tweet and newest:
// ids are time-ordered, so a binary search on the public timeline finds
// the oldest in about 60 requests.
func halfway(ctx context.Context, base, newest string) (string, error) {
	hi, err := strconv.ParseUint(newest, 10, 64)
	if err != nil {
		return "", err
	}
	lo := uint64(0)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		var page []status
		if err := getJSON(ctx, fmt.Sprintf("%s/api/v1/timelines/public?limit=1&max_id=%d", base, mid), &page); err != nil {
			return "", err
		}
		if len(page) > 0 {
			hi = mid // something is older than mid
		} else {
			lo = mid
		}
	}
	top, _ := strconv.ParseUint(newest, 10, 64)
	return strconv.FormatUint(lo+(top-lo)/2, 10), nil
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// login logs in as name through the form, as a browser does, then
// reads a form's CSRF token and makes a personal access token.
func login(ctx context.Context, base, name, password string) (session, error) {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second, CheckRedirect: noRedirects.CheckRedirect}
	form := func(path string, v url.Values) (string, error) {
		page, err := fetch(ctx, c, "GET", base+path, nil)
		if err != nil {
			return "", err
		}
		m := csrfField.FindStringSubmatch(page)
		if m == nil {
			return "", fmt.Errorf("%s has no form", path)
		}
		v.Set("csrf", html.UnescapeString(m[1]))
		return fetch(ctx, c, "POST", base+path, v)
	}
	if _, err := form("/login", url.Values{"username": {name}, "password": {password}}); err != nil {
		return session{}, fmt.Errorf("logging in as %s: %w", name, err)
	}
	s := session{name: name}
	u, _ := url.Parse(base)
	var cookies []string
	for _, ck := range jar.Cookies(u) {
		cookies = append(cookies, ck.Name+"="+ck.Value)
	}
	s.cookie = strings.Join(cookies, "; ")
	home, err := fetch(ctx, c, "GET", base+"/", nil)
	if err != nil {
		return session{}, err
	}
	if m := csrfField.FindStringSubmatch(home); m != nil {
		s.csrf = html.UnescapeString(m[1])
	}
	if s.token, err = personalToken(ctx, c, base); err != nil {
		return session{}, err
	}
	return s, nil
}

var tokenOutput = regexp.MustCompile(`aria-label="Access token">([^<]+)<`)

// personalToken makes a read-only access token on the settings page.
func personalToken(ctx context.Context, c *http.Client, base string) (string, error) {
	page, err := fetch(ctx, c, "GET", base+"/settings/apps", nil)
	if err != nil {
		return "", err
	}
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		return "", errors.New("the settings page has no form")
	}
	out, err := fetch(ctx, c, "POST", base+"/settings/apps/tokens", url.Values{"csrf": {html.UnescapeString(m[1])},
		"token_name": {"bench"}, "scope": {"read"}})
	if err != nil {
		return "", err
	}
	t := tokenOutput.FindStringSubmatch(out)
	if t == nil {
		return "", errors.New("the settings page showed no token")
	}
	return t[1], nil
}

func fetch(ctx context.Context, c *http.Client, method, u string, form url.Values) (string, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		return "", fmt.Errorf("%s %s: %d: %.300s", method, u, resp.StatusCode, b)
	}
	return string(b), err
}

func getJSON(ctx context.Context, u string, out any) error {
	b, err := fetch(ctx, noRedirects, "GET", u, nil)
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(b), out)
}

// pathOf is a URL's path.
func pathOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	return p.Path
}

func compact(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if !seen[n] {
			seen[n], out = true, append(out, n)
		}
	}
	return out
}
