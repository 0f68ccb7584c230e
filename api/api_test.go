package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/api"
	"github.com/tweetsdev/tweets/inmem"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/testsite"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// site is the pages and the API on one test server, as the binary
// serves them.
type site struct {
	t    *testing.T
	base string
}

func newSite(t *testing.T, b testapp.Backend) *site {
	svc := testapp.Service(t, b.Open(t), nil)
	hub := &inmem.Hub{}
	svc.Events, svc.Live = hub, hub
	return &site{t: t, base: testsite.Start(t, svc).URL}
}

// call sends an API request and decodes the JSON answer into out.
func (s *site) call(method, path, token string, body url.Values, out any) int {
	s.t.Helper()
	var rd io.Reader
	ctype := ""
	if body != nil {
		rd, ctype = strings.NewReader(body.Encode()), "application/x-www-form-urlencoded"
	}
	resp := s.send(method, path, token, ctype, rd)
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		s.t.Errorf("%s %s: Content-Type %q, want JSON", method, path, ct)
	}
	if out != nil {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			s.t.Errorf("%s %s: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

// send sends an API request with a body of the content type (none when
// empty) and the token (none when empty); the caller closes the answer.
func (s *site) send(method, path, token, contentType string, body io.Reader) *http.Response {
	s.t.Helper()
	req, _ := http.NewRequest(method, s.base+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp
}

type app struct {
	ClientID     string `json:"client_id"`
	ClientSecret string `json:"client_secret"`
}

type apiErr struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

func pkce() (verifier, challenge string) {
	verifier = "a-verifier-of-enough-length-0123456789-abcdefghijklmnop"
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorize runs the browser part of the code flow: the consent page,
// then Authorize, and returns the code from the redirect.
func authorize(t *testing.T, b *webtest.Browser, a app, scope, challenge string) string {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {"https://app.example/cb"},
		"scope": {scope}, "state": {"st8"}, "code_challenge": {challenge}, "code_challenge_method": {"S256"}}
	r := b.Get("/oauth/authorize?" + q.Encode())
	webtest.Expect(t, r, 200, "Authorize Phanpy ☀?", "<code>"+strings.Fields(scope)[0]+"</code>")
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https://app.example;") {
		t.Errorf("CSP %q does not let the form go back to the app", csp)
	}
	form := url.Values{"decision": {"authorize"}}
	for _, k := range []string{"client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"} {
		form.Set(k, q.Get(k))
	}
	r = b.Post("/oauth/authorize", form)
	loc, err := url.Parse(r.Header.Get("Location"))
	if r.StatusCode != 302 || err != nil || loc.Host != "app.example" || loc.Query().Get("state") != "st8" || loc.Query().Get("code") == "" {
		t.Fatalf("authorize: %d, Location %q", r.StatusCode, r.Header.Get("Location"))
	}
	return loc.Query().Get("code")
}

// TestOAuthFlowAndStatuses: a client registers, its user authorizes it
// (PKCE), it posts and reads with the token, scopes are enforced, and a
// revoked token stops working.
func TestOAuthFlowAndStatuses(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			var a app
			if st := s.call("POST", "/api/v1/apps", "", url.Values{"client_name": {"Phanpy ☀"},
				"redirect_uris": {"https://app.example/cb\nurn:ietf:wg:oauth:2.0:oob"}, "scopes": {"read write follow"}}, &a); st != 200 || a.ClientSecret == "" {
				t.Fatalf("register: %d %+v", st, a)
			}
			browser := webtest.New(t, s.base)
			browser.SignUp("alice", "password1")
			verifier, challenge := pkce()
			code := authorize(t, browser, a, "read write", challenge)

			var bad apiErr
			tokenForm := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {a.ClientID},
				"redirect_uri": {"https://app.example/cb"}, "code_verifier": {"wrong"}}
			if st := s.call("POST", "/oauth/token", "", tokenForm, &bad); st != 400 || bad.Error != "invalid_request" && bad.Error != "invalid_grant" {
				t.Errorf("a wrong verifier: %d %+v", st, bad)
			}
			// The code went with that try: even the right verifier fails now.
			tokenForm.Set("code_verifier", verifier)
			if st := s.call("POST", "/oauth/token", "", tokenForm, &bad); st != 400 || bad.Error != "invalid_grant" {
				t.Errorf("a used code: %d %+v", st, bad)
			}
			tokenForm.Set("code", authorize(t, browser, a, "read write", challenge))
			var tok struct {
				AccessToken string `json:"access_token"`
				TokenType   string `json:"token_type"`
				Scope       string `json:"scope"`
			}
			if st := s.call("POST", "/oauth/token", "", tokenForm, &tok); st != 200 || tok.AccessToken == "" || tok.Scope != "read write" || tok.TokenType != "Bearer" {
				t.Fatalf("token: %d %+v", st, tok)
			}

			var me struct {
				ID, Username, Acct string
				Source             *struct{ Privacy string }
			}
			if st := s.call("GET", "/api/v1/accounts/verify_credentials", tok.AccessToken, nil, &me); st != 200 || me.Username != "alice" || me.Source == nil {
				t.Errorf("verify_credentials: %d %+v", st, me)
			}
			var posted struct {
				ID, Content, Visibility string
				Account                 struct{ Username string }
				Tags                    []struct{ Name string }
			}
			if st := s.call("POST", "/api/v1/statuses", tok.AccessToken, url.Values{"status": {"hello from an app <b>#Go</b>"}}, &posted); st != 200 ||
				posted.Account.Username != "alice" || !strings.Contains(posted.Content, "&lt;b&gt;") || len(posted.Tags) != 1 || posted.Tags[0].Name != "go" {
				t.Fatalf("post: %d %+v", st, posted)
			}
			var home []struct{ ID, Content string }
			if st := s.call("GET", "/api/v1/timelines/home", tok.AccessToken, nil, &home); st != 200 || len(home) != 1 || home[0].ID != posted.ID {
				t.Errorf("home: %d %+v", st, home)
			}
			var public []struct{ ID string }
			if st := s.call("GET", "/api/v1/timelines/public", "", nil, &public); st != 200 || len(public) != 1 {
				t.Errorf("public, anonymous: %d %+v", st, public)
			}
			var e apiErr
			if st := s.call("POST", "/api/v1/statuses", tok.AccessToken, url.Values{"status": {strings.Repeat("x", 281)}}, &e); st != 422 || !strings.Contains(e.Error, "too long") {
				t.Errorf("a long status: %d %+v", st, e)
			}
			if st := s.call("GET", "/api/v1/lists/7/accounts", tok.AccessToken, nil, &e); st != 404 {
				t.Errorf("an endpoint this server lacks: %d", st)
			}

			// A read-only token may not post; an app token has no user.
			readCode := authorize(t, browser, a, "read", challenge)
			var ro struct {
				AccessToken string `json:"access_token"`
			}
			s.call("POST", "/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {readCode}, "client_id": {a.ClientID},
				"redirect_uri": {"https://app.example/cb"}, "code_verifier": {verifier}}, &ro)
			if st := s.call("POST", "/api/v1/statuses", ro.AccessToken, url.Values{"status": {"nope"}}, &e); st != 403 || !strings.Contains(e.Error, "write:statuses") {
				t.Errorf("posting with a read token: %d %+v", st, e)
			}
			var appTok struct {
				AccessToken string `json:"access_token"`
			}
			if st := s.call("POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {a.ClientID},
				"client_secret": {a.ClientSecret}, "scope": {"read"}}, &appTok); st != 200 {
				t.Fatalf("client_credentials: %d", st)
			}
			if st := s.call("GET", "/api/v1/apps/verify_credentials", appTok.AccessToken, nil, nil); st != 200 {
				t.Errorf("apps/verify_credentials: %d", st)
			}
			if st := s.call("GET", "/api/v1/accounts/verify_credentials", appTok.AccessToken, nil, &e); st != 403 {
				t.Errorf("an app token reading an account's credentials: %d", st)
			}
			if st := s.call("POST", "/oauth/token", "", url.Values{"grant_type": {"client_credentials"}, "client_id": {a.ClientID},
				"client_secret": {"wrong"}}, &bad); st != 401 || bad.Error != "invalid_client" {
				t.Errorf("a wrong secret: %d %+v", st, bad)
			}

			if st := s.call("POST", "/oauth/revoke", "", url.Values{"client_id": {a.ClientID}, "client_secret": {a.ClientSecret},
				"token": {tok.AccessToken}}, nil); st != 200 {
				t.Errorf("revoke: %d", st)
			}
			if st := s.call("GET", "/api/v1/accounts/verify_credentials", tok.AccessToken, nil, &e); st != 401 {
				t.Errorf("a revoked token: %d", st)
			}
		})
	}
}

// TestAuthorizeRefusals: a denied request goes back to the app with
// access_denied; an unregistered redirect URI is refused on the page,
// never followed.
func TestAuthorizeRefusals(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	var a app
	s.call("POST", "/api/v1/apps", "", url.Values{"client_name": {"Phanpy ☀"}, "redirect_uris": {"https://app.example/cb"}, "scopes": {"read"}}, &a)
	b := webtest.New(t, s.base)
	b.SignUp("bob", "password1")
	q := url.Values{"response_type": {"code"}, "client_id": {a.ClientID}, "redirect_uri": {"https://evil.example/steal"}, "scope": {"read"}}
	webtest.Expect(t, b.Get("/oauth/authorize?"+q.Encode()), 422, "not one this app registered")
	q.Set("scope", "read write")
	q.Set("redirect_uri", "https://app.example/cb")
	webtest.Expect(t, b.Get("/oauth/authorize?"+q.Encode()), 422, "more (read write) than it registered for (read)")
	r := b.Post("/oauth/authorize", url.Values{"decision": {"deny"}, "client_id": {a.ClientID}, "redirect_uri": {"https://app.example/cb"}, "scope": {"read"}, "state": {"s"}})
	if loc := r.Header.Get("Location"); r.StatusCode != 302 || !strings.HasPrefix(loc, "https://app.example/cb?") || !strings.Contains(loc, "error=access_denied") {
		t.Errorf("deny: %d %q", r.StatusCode, loc)
	}
	anon := webtest.New(t, s.base)
	if r := anon.Get("/oauth/authorize?" + q.Encode()); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
		t.Errorf("anonymous: %d %q; want the log-in page", r.StatusCode, r.Header.Get("Location"))
	}
}

// TestDiscovery: the documents clients and crawlers read first.
func TestDiscovery(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	var inst struct {
		Configuration struct {
			URLs struct {
				Streaming string
			}
			Statuses struct {
				MaxCharacters       int `json:"max_characters"`
				MaxMediaAttachments int `json:"max_media_attachments"`
			}
		}
	}
	if st := s.call("GET", "/api/v2/instance", "", nil, &inst); st != 200 || inst.Configuration.Statuses.MaxCharacters != 280 || inst.Configuration.Statuses.MaxMediaAttachments != 4 ||
		inst.Configuration.URLs.Streaming != "ws"+strings.TrimPrefix(s.base, "http") {
		t.Errorf("instance: %d %+v", st, inst)
	}
	var links struct{ Links []struct{ Href string } }
	if st := s.call("GET", "/.well-known/nodeinfo", "", nil, &links); st != 200 || len(links.Links) != 1 || !strings.HasSuffix(links.Links[0].Href, "/nodeinfo/2.0") {
		t.Fatalf("nodeinfo links: %d %+v", st, links)
	}
	var ni struct{ Software struct{ Name string } }
	if st := s.call("GET", "/nodeinfo/2.0", "", nil, &ni); st != 200 || ni.Software.Name != "tweets" {
		t.Errorf("nodeinfo: %d %+v", st, ni)
	}
	var meta map[string]any
	if st := s.call("GET", "/.well-known/oauth-authorization-server", "", nil, &meta); st != 200 || meta["token_endpoint"] != s.base+"/oauth/token" {
		t.Errorf("RFC 8414 metadata: %d %v", st, meta)
	}
	var e apiErr
	if st := s.call("GET", "/api/v1/accounts/verify_credentials", "not-a-token", nil, &e); st != 401 {
		t.Errorf("a made-up token: %d", st)
	}
}

// TestWebFinger: acct:name@host resolves to the profile; other hosts and
// unknown names do not.
func TestWebFinger(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	webtest.New(t, s.base).SignUp("carol", "password1")
	host := strings.TrimPrefix(s.base, "http://")
	var jrd struct {
		Subject string
		Links   []struct{ Rel, Href string }
	}
	resp, err := http.Get(s.base + "/.well-known/webfinger?resource=acct:Carol@" + host)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&jrd); err != nil || resp.StatusCode != 200 || jrd.Subject != "acct:carol@"+host ||
		len(jrd.Links) == 0 || jrd.Links[0].Href != s.base+"/@carol" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/jrd+json") {
		t.Errorf("webfinger: %d %v %+v", resp.StatusCode, err, jrd)
	}
	for _, res := range []string{"acct:carol@elsewhere.example", "acct:nobody@" + host, "https://x"} {
		if st := s.call("GET", "/.well-known/webfinger?resource="+url.QueryEscape(res), "", nil, nil); st != 404 {
			t.Errorf("%s: %d, want 404", res, st)
		}
	}
	resp, err = http.Get(s.base + "/.well-known/host-meta")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), s.base+"/.well-known/webfinger?resource={uri}") {
		t.Errorf("host-meta: %s", body)
	}
}

// tokenFor signs up name and returns an access token for it with scope.
func (s *site) tokenFor(name, scope string) (string, string) {
	t := s.t
	t.Helper()
	var a app
	if st := s.call("POST", "/api/v1/apps", "", url.Values{"client_name": {"Phanpy ☀"}, "redirect_uris": {"https://app.example/cb"},
		"scopes": {"read write follow"}}, &a); st != 200 {
		t.Fatalf("register: %d", st)
	}
	b := webtest.New(t, s.base)
	b.SignUp(name, "password1")
	verifier, challenge := pkce()
	code := authorize(t, b, a, scope, challenge)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if st := s.call("POST", "/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {code}, "client_id": {a.ClientID},
		"redirect_uri": {"https://app.example/cb"}, "code_verifier": {verifier}}, &tok); st != 200 {
		t.Fatalf("token: %d", st)
	}
	var me struct{ ID string }
	s.call("GET", "/api/v1/accounts/verify_credentials", tok.AccessToken, nil, &me)
	return tok.AccessToken, me.ID
}

// TestSocialEndpoints: follow, favourite, reblog, context, relationships
// and an account's statuses, each idempotent as Mastodon's are, each
// through the Service's rules (a block stops a follow).
func TestSocialEndpoints(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			ann, annID := s.tokenFor("ann", "read write follow")
			ben, benID := s.tokenFor("ben", "read write follow")
			var rel api.Relationship
			for range 2 {
				if st := s.call("POST", "/api/v1/accounts/"+benID+"/follow", ann, nil, &rel); st != 200 || !rel.Following || rel.ID != benID {
					t.Errorf("follow: %d %+v", st, rel)
				}
			}
			var rels []api.Relationship
			if st := s.call("GET", "/api/v1/accounts/relationships?id[]="+benID, ann, nil, &rels); st != 200 || len(rels) != 1 || !rels[0].Following {
				t.Errorf("relationships: %d %+v", st, rels)
			}
			var post struct{ ID string }
			s.call("POST", "/api/v1/statuses", ben, url.Values{"status": {"first"}}, &post)
			var reply struct {
				ID        string
				AccountID *string `json:"in_reply_to_account_id"`
			}
			s.call("POST", "/api/v1/statuses", ann, url.Values{"status": {"@ben nice"}, "in_reply_to_id": {post.ID}}, &reply)
			if reply.AccountID == nil || *reply.AccountID != benID {
				t.Errorf("the reply's in_reply_to_account_id: %v, want %s", reply.AccountID, benID)
			}
			s.call("GET", "/api/v1/statuses/"+reply.ID, "", nil, &reply)
			if reply.AccountID == nil || *reply.AccountID != benID {
				t.Errorf("read back, in_reply_to_account_id: %v, want %s", reply.AccountID, benID)
			}
			var st struct {
				FavouritesCount int  `json:"favourites_count"`
				Favourited      bool `json:"favourited"`
				Reblogged       bool `json:"reblogged"`
			}
			for range 2 {
				if c := s.call("POST", "/api/v1/statuses/"+post.ID+"/favourite", ann, nil, &st); c != 200 || !st.Favourited || st.FavouritesCount != 1 {
					t.Errorf("favourite: %d %+v", c, st)
				}
			}
			if c := s.call("POST", "/api/v1/statuses/"+post.ID+"/reblog", ann, nil, &st); c != 200 || !st.Reblogged {
				t.Errorf("reblog: %d %+v", c, st)
			}
			var ctx struct{ Ancestors, Descendants []struct{ ID string } }
			if c := s.call("GET", "/api/v1/statuses/"+post.ID+"/context", "", nil, &ctx); c != 200 || len(ctx.Descendants) != 1 || ctx.Descendants[0].ID != reply.ID {
				t.Errorf("context: %d %+v", c, ctx)
			}
			var own struct{ ID string }
			s.call("POST", "/api/v1/statuses", ann, url.Values{"status": {"my own"}}, &own)
			var annPosts []struct{ ID string }
			if c := s.call("GET", "/api/v1/accounts/"+annID+"/statuses?exclude_replies=true", "", nil, &annPosts); c != 200 || len(annPosts) != 1 || annPosts[0].ID != own.ID {
				t.Errorf("ann's statuses without replies: %d %+v", c, annPosts)
			}
			if c := s.call("GET", "/api/v1/accounts/"+annID+"/statuses", "", nil, &annPosts); c != 200 || len(annPosts) != 2 {
				t.Errorf("ann's statuses: %d %+v", c, annPosts)
			}
			var found struct{ ID string }
			if c := s.call("GET", "/api/v1/accounts/lookup?acct=BEN", "", nil, &found); c != 200 || found.ID != benID {
				t.Errorf("lookup: %d %+v", c, found)
			}
			// ben blocks ann: ann's follow is gone and cannot come back.
			if c := s.call("POST", "/api/v1/accounts/"+annID+"/block", ben, nil, &rel); c != 200 || !rel.Blocking {
				t.Errorf("block: %d %+v", c, rel)
			}
			var e apiErr
			if c := s.call("POST", "/api/v1/accounts/"+benID+"/follow", ann, nil, &e); c != 403 {
				t.Errorf("following someone who blocks you: %d %+v", c, e)
			}
			if c := s.call("POST", "/api/v1/accounts/999/follow", ann, nil, &e); c != 404 {
				t.Errorf("following no one: %d", c)
			}
		})
	}
}

// TestAppsOnTheSettingsPage: a personal access token made on the
// settings page works with the API; the page lists it and an authorized
// app; revoking either stops its tokens.
func TestAppsOnTheSettingsPage(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			var a app
			s.call("POST", "/api/v1/apps", "", url.Values{"client_name": {"Phanpy ☀"}, "redirect_uris": {"https://app.example/cb"}, "scopes": {"read"}}, &a)
			br := webtest.New(t, s.base)
			br.SignUp("dora", "password1")
			verifier, challenge := pkce()
			var tok struct {
				AccessToken string `json:"access_token"`
			}
			s.call("POST", "/oauth/token", "", url.Values{"grant_type": {"authorization_code"}, "code": {authorize(t, br, a, "read", challenge)},
				"client_id": {a.ClientID}, "redirect_uri": {"https://app.example/cb"}, "code_verifier": {verifier}}, &tok)

			br.Get("/settings/apps")
			webtest.Expect(t, br.Post("/settings/apps/tokens", url.Values{"token_name": {"backup script"}}), 422, "Choose at least one permission")
			r := br.Post("/settings/apps/tokens", url.Values{"token_name": {"backup script"}, "scope": {"read", "write"}})
			m := regexp.MustCompile(`aria-label="Access token">([A-Za-z0-9_-]{43})<`).FindStringSubmatch(r.Body)
			if r.StatusCode != 200 || m == nil || r.Header.Get("Cache-Control") != "no-store" {
				t.Fatalf("create token: %d %v", r.StatusCode, r.Header)
			}
			personal := m[1]
			var posted struct{ ID string }
			if st := s.call("POST", "/api/v1/statuses", personal, url.Values{"status": {"from a script"}}, &posted); st != 200 {
				t.Errorf("posting with the personal token: %d", st)
			}
			page := br.Get("/settings/apps").Body
			ids := regexp.MustCompile(`action="/settings/apps/(\d+)/revoke"`).FindAllStringSubmatch(page, -1)
			if !strings.Contains(page, "backup script") || !strings.Contains(page, "Phanpy ☀") || len(ids) != 2 {
				t.Fatalf("the apps page lists %d apps:\n%s", len(ids), page)
			}
			for _, id := range ids {
				webtest.Expect(t, br.Post("/settings/apps/"+id[1]+"/revoke", url.Values{}), 303)
			}
			for _, token := range []string{personal, tok.AccessToken} {
				if st := s.call("GET", "/api/v1/accounts/verify_credentials", token, nil, nil); st != 401 {
					t.Errorf("a revoked token: %d", st)
				}
			}
			webtest.Expect(t, br.Get("/settings/apps"), 200, "No app can use your account")
			webtest.Expect(t, br.Post("/settings/apps/"+ids[0][1]+"/revoke", url.Values{}), 404)
		})
	}
}

// TestNotificationsAndSearch: a like, a reply and a follow reach the
// author as Mastodon's favourite, mention and follow, filterable by
// type; search finds accounts, statuses and a hashtag.
func TestNotificationsAndSearch(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			eve, eveID := s.tokenFor("eve", "read write follow")
			fay, _ := s.tokenFor("fay", "read write follow")
			var post struct{ ID string }
			s.call("POST", "/api/v1/statuses", eve, url.Values{"status": {"sunny day #Weather"}}, &post)
			s.call("POST", "/api/v1/statuses/"+post.ID+"/favourite", fay, nil, nil)
			s.call("POST", "/api/v1/statuses", fay, url.Values{"status": {"@eve indeed"}, "in_reply_to_id": {post.ID}}, nil)
			s.call("POST", "/api/v1/accounts/"+eveID+"/follow", fay, nil, nil)
			type note struct {
				Type    string
				Account struct{ Username string }
				Status  *struct{ ID string }
			}
			var ns []note
			if st := s.call("GET", "/api/v1/notifications", eve, nil, &ns); st != 200 || len(ns) != 3 {
				t.Fatalf("notifications: %d %+v", st, ns)
			}
			if ns[0].Type != "follow" || ns[1].Type != "mention" || ns[2].Type != "favourite" || ns[2].Status == nil || ns[2].Status.ID != post.ID || ns[0].Account.Username != "fay" {
				t.Errorf("notifications: %+v", ns)
			}
			if st := s.call("GET", "/api/v1/notifications?types[]=mention", eve, nil, &ns); st != 200 || len(ns) != 1 || ns[0].Type != "mention" {
				t.Errorf("types[]=mention: %d %+v", st, ns)
			}
			if st := s.call("GET", "/api/v1/notifications?exclude_types[]=follow&exclude_types[]=mention", eve, nil, &ns); st != 200 || len(ns) != 1 || ns[0].Type != "favourite" {
				t.Errorf("exclude_types[]: %d %+v", st, ns)
			}
			var res struct {
				Accounts []struct{ Username string }
				Statuses []struct{ ID string }
				Hashtags []struct{ Name string }
			}
			if st := s.call("GET", "/api/v2/search?q=%23weather", "", nil, &res); st != 200 || len(res.Statuses) != 1 || len(res.Hashtags) != 1 || res.Hashtags[0].Name != "weather" {
				t.Errorf("search #weather: %d %+v", st, res)
			}
			if st := s.call("GET", "/api/v2/search?q=Weather&type=hashtags", "", nil, &res); st != 200 || len(res.Hashtags) != 1 || res.Hashtags[0].Name != "weather" {
				t.Errorf("a hashtag searched without its #: %d %+v", st, res)
			}
			if st := s.call("GET", "/api/v2/search?q=nosuchtag&type=hashtags", "", nil, &res); st != 200 || len(res.Hashtags) != 0 {
				t.Errorf("a word no tweet carries as a hashtag: %d %+v", st, res)
			}
			if st := s.call("GET", "/api/v2/search?q=fa&type=accounts", "", nil, &res); st != 200 || len(res.Accounts) != 1 || res.Accounts[0].Username != "fay" {
				t.Errorf("search accounts: %d %+v", st, res)
			}
			var e apiErr
			if st := s.call("GET", "/api/v2/search?q=", "", nil, &e); st != 422 {
				t.Errorf("an empty search: %d %+v", st, e)
			}
		})
	}
}

// upload sends one image to POST /api/v2/media.
func (s *site) upload(token string, data []byte, description string) (int, map[string]any) {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "photo.jpg")
	fw.Write(data)
	mw.WriteField("description", description)
	mw.Close()
	req, _ := http.NewRequest("POST", s.base+"/api/v2/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestMediaThroughTheAPI: an image uploaded ahead is described, then
// attached to a status with media_ids; it cannot be attached twice or
// by someone else; a bad file is refused with a JSON error.
func TestMediaThroughTheAPI(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			gus, _ := s.tokenFor("gus", "read write")
			hal, _ := s.tokenFor("hal", "read write")
			st, m := s.upload(gus, testimage.JPEG(1600, 1200), "a hill")
			id, _ := m["id"].(string)
			if st != 200 || id == "" || m["description"] != "a hill" || m["blurhash"] == nil || !strings.Contains(m["preview_url"].(string), "/media/") {
				t.Fatalf("upload: %d %v", st, m)
			}
			var got map[string]any
			if c := s.call("PUT", "/api/v1/media/"+id, gus, url.Values{"description": {"a green hill"}}, &got); c != 200 || got["description"] != "a green hill" {
				t.Errorf("describe: %d %v", c, got)
			}
			if c := s.call("GET", "/api/v1/media/"+id, hal, nil, nil); c != 404 {
				t.Errorf("another account's upload: %d", c)
			}
			var e apiErr
			if c := s.call("POST", "/api/v1/statuses", hal, url.Values{"status": {"mine now"}, "media_ids[]": {id}}, &e); c != 422 {
				t.Errorf("attaching another account's upload: %d %+v", c, e)
			}
			var posted struct {
				MediaAttachments []struct {
					Description string
					Meta        struct{ Original struct{ Width int } }
				} `json:"media_attachments"`
			}
			if c := s.call("POST", "/api/v1/statuses", gus, url.Values{"status": {""}, "media_ids[]": {id}}, &posted); c != 200 ||
				len(posted.MediaAttachments) != 1 || posted.MediaAttachments[0].Description != "a green hill" || posted.MediaAttachments[0].Meta.Original.Width != 1600 {
				t.Fatalf("post with media: %d %+v", c, posted)
			}
			if c := s.call("POST", "/api/v1/statuses", gus, url.Values{"status": {"again"}, "media_ids[]": {id}}, &e); c != 422 {
				t.Errorf("attaching twice: %d %+v", c, e)
			}
			if c, m := s.upload(gus, []byte("<svg/>"), ""); c != 422 || !strings.Contains(m["error"].(string), "not an image") {
				t.Errorf("an SVG: %d %v", c, m)
			}
		})
	}
}

// sse reads server-sent events from path until it has n of the named
// ones or the time is up.
func (s *site) sse(path, token string, n int, names ...string) (chan []string, func()) {
	req, _ := http.NewRequest("GET", s.base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	req = req.WithContext(ctx)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream; charset=utf-8" {
		s.t.Fatalf("%s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	out := make(chan []string, 1)
	go func() {
		defer resp.Body.Close()
		var got []string
		for event, data := range webtest.Events(resp.Body) {
			if slices.Contains(names, event) {
				got = append(got, event+" "+data)
				if len(got) == n {
					break
				}
			}
		}
		out <- got
	}()
	return out, cancel
}

// TestStreaming: the user stream carries the home timeline's new
// statuses (not those of accounts one does not follow), deletions and
// notifications; the hashtag stream only its tag; the user stream needs
// a token.
func TestStreaming(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	kim, kimID := s.tokenFor("kim", "read write follow")
	lee, leeID := s.tokenFor("lee", "read write follow")
	max, _ := s.tokenFor("max", "read write follow")
	s.call("POST", "/api/v1/accounts/"+leeID+"/follow", kim, nil, nil)
	_ = kimID
	user, stop := s.sse("/api/v1/streaming/user", kim, 4, "update", "delete", "notification")
	defer stop()
	tag, stopTag := s.sse("/api/v1/streaming/hashtag?tag=News", "", 1, "update")
	defer stopTag()
	time.Sleep(200 * time.Millisecond) // both subscribed
	var other, followed, own struct{ ID string }
	s.call("POST", "/api/v1/statuses", max, url.Values{"status": {"not followed"}}, &other)
	s.call("POST", "/api/v1/statuses", lee, url.Values{"status": {"big #news"}}, &followed)
	s.call("POST", "/api/v1/statuses", kim, url.Values{"status": {"mine"}}, &own)
	s.call("POST", "/api/v1/statuses/"+own.ID+"/favourite", lee, nil, nil)
	s.call("DELETE", "/api/v1/statuses/"+followed.ID, lee, nil, nil)
	got := <-user
	if len(got) != 4 || !strings.Contains(got[0], `"content":"\u003cp\u003ebig`) && !strings.Contains(got[0], "big ") ||
		!strings.HasPrefix(got[0], "update ") || !strings.HasPrefix(got[1], "update ") || !strings.Contains(got[1], `"id":"`+own.ID+`"`) ||
		!strings.HasPrefix(got[2], "notification ") || !strings.Contains(got[2], `"type":"favourite"`) || got[3] != "delete "+followed.ID {
		t.Errorf("user stream: %q", got)
	}
	for _, e := range got {
		if strings.Contains(e, other.ID) {
			t.Errorf("an account kim does not follow reached her stream: %s", e)
		}
	}
	if got := <-tag; len(got) != 1 || !strings.Contains(got[0], followed.ID) {
		t.Errorf("hashtag stream: %q", got)
	}
	var e apiErr
	if st := s.call("GET", "/api/v1/streaming/user", "", nil, &e); st != 401 {
		t.Errorf("the user stream without a token: %d", st)
	}
}

// TestIdempotencyKey: a post retried with the same Idempotency-Key, in
// turn or at once, makes one status; another key makes another.
func TestIdempotencyKey(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			tok, me := s.tokenFor("ned", "read write")
			post := func(key string) string {
				req, _ := http.NewRequest("POST", s.base+"/api/v1/statuses", strings.NewReader(url.Values{"status": {"once only"}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Idempotency-Key", key)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return ""
				}
				defer resp.Body.Close()
				var st struct{ ID string }
				if err := json.NewDecoder(resp.Body).Decode(&st); err != nil || resp.StatusCode != 200 {
					t.Errorf("post: %d %v", resp.StatusCode, err)
				}
				return st.ID
			}
			first := post("key-1")
			if again := post("key-1"); again != first || first == "" {
				t.Errorf("a retry made %s, the first %s", again, first)
			}
			ids := make(chan string, 8)
			var wg sync.WaitGroup
			for range 8 {
				wg.Add(1)
				go func() { defer wg.Done(); ids <- post("key-2") }()
			}
			wg.Wait()
			close(ids)
			seen := map[string]bool{}
			for id := range ids {
				seen[id] = true
			}
			if len(seen) != 1 || seen[first] {
				t.Errorf("8 concurrent retries made %d statuses: %v", len(seen), seen)
			}
			var mine []struct{ ID string }
			s.call("GET", "/api/v1/accounts/"+me+"/statuses", "", nil, &mine)
			if len(mine) != 2 {
				t.Errorf("%d statuses stored, want 2", len(mine))
			}
		})
	}
}

// TestProfileEditsAndLists: update_credentials changes the name, bio and
// avatar; followers, following, a status's edit, source and history and
// a hashtag timeline answer as Mastodon's do.
func TestProfileEditsAndLists(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			oli, oliID := s.tokenFor("oli", "read write follow")
			pam, pamID := s.tokenFor("pam", "read write follow")
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			mw.WriteField("display_name", "Oli ☀")
			mw.WriteField("note", "hello <there>")
			fw, _ := mw.CreateFormFile("avatar", "me.png")
			fw.Write(testimage.PNG(300, 200))
			mw.Close()
			req, _ := http.NewRequest("PATCH", s.base+"/api/v1/accounts/update_credentials", &body)
			req.Header.Set("Content-Type", mw.FormDataContentType())
			req.Header.Set("Authorization", "Bearer "+oli)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var me struct {
				DisplayName string `json:"display_name"`
				Note        string
				Avatar      string
			}
			_ = json.NewDecoder(resp.Body).Decode(&me)
			resp.Body.Close()
			if resp.StatusCode != 200 || me.DisplayName != "Oli ☀" || me.Note != "<p>hello &lt;there&gt;</p>" || !strings.Contains(me.Avatar, "/media/") {
				t.Errorf("update_credentials: %d %+v", resp.StatusCode, me)
			}
			s.call("POST", "/api/v1/accounts/"+oliID+"/follow", pam, nil, nil)
			var accts []struct{ ID string }
			if st := s.call("GET", "/api/v1/accounts/"+oliID+"/followers", "", nil, &accts); st != 200 || len(accts) != 1 || accts[0].ID != pamID {
				t.Errorf("followers: %d %+v", st, accts)
			}
			if st := s.call("GET", "/api/v1/accounts/"+pamID+"/following", "", nil, &accts); st != 200 || len(accts) != 1 || accts[0].ID != oliID {
				t.Errorf("following: %d %+v", st, accts)
			}
			var post struct{ ID string }
			s.call("POST", "/api/v1/statuses", oli, url.Values{"status": {"frist #typo"}}, &post)
			var edited struct {
				Content  string
				EditedAt *string `json:"edited_at"`
			}
			if st := s.call("PUT", "/api/v1/statuses/"+post.ID, oli, url.Values{"status": {"first #typo"}}, &edited); st != 200 || edited.EditedAt == nil || !strings.Contains(edited.Content, "first") {
				t.Errorf("edit: %d %+v", st, edited)
			}
			var e apiErr
			if st := s.call("PUT", "/api/v1/statuses/"+post.ID, pam, url.Values{"status": {"hijack"}}, &e); st != 403 && st != 404 {
				t.Errorf("editing another's status: %d", st)
			}
			var src struct{ Text string }
			if st := s.call("GET", "/api/v1/statuses/"+post.ID+"/source", oli, nil, &src); st != 200 || src.Text != "first #typo" {
				t.Errorf("source: %d %+v", st, src)
			}
			var hist []struct{ Content string }
			if st := s.call("GET", "/api/v1/statuses/"+post.ID+"/history", "", nil, &hist); st != 200 || len(hist) != 2 || !strings.Contains(hist[0].Content, "frist") {
				t.Errorf("history: %d %+v", st, hist)
			}
			var tagged []struct{ ID string }
			if st := s.call("GET", "/api/v1/timelines/tag/Typo", "", nil, &tagged); st != 200 || len(tagged) != 1 || tagged[0].ID != post.ID {
				t.Errorf("tag timeline: %d %+v", st, tagged)
			}
		})
	}
}

// TestWebSocketStreaming: the WebSocket stream carries what the SSE one
// does, in Mastodon's envelope, with the token as a query parameter or
// the subprotocol; streams are named in the URL or subscribed to (and
// unsubscribed from) with messages, and an unknown one is refused
// without closing the connection.
func TestWebSocketStreaming(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	quinn, _ := s.tokenFor("quinn", "read write")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	wsURL := "ws" + strings.TrimPrefix(s.base, "http") + "/api/v1/streaming?stream=user&access_token=" + quinn
	conn, _, err := websocket.Dial(ctx, wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	time.Sleep(100 * time.Millisecond) // subscribed
	var post struct{ ID string }
	s.call("POST", "/api/v1/statuses", quinn, url.Values{"status": {"over the socket"}}, &post)
	_, data, err := conn.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Stream  []string
		Event   string
		Payload string
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Event != "update" || len(m.Stream) != 1 || m.Stream[0] != "user" || !strings.Contains(m.Payload, `"id":"`+post.ID+`"`) {
		t.Errorf("message: %v %s", err, data)
	}
	if _, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.base, "http")+"/api/v1/streaming?stream=user", nil); err == nil {
		t.Error("the user stream opened without a token")
	}

	// One connection, streams subscribed to with messages, the token as
	// the subprotocol: how masto.js streams.
	multi, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.base, "http")+"/api/v1/streaming", &websocket.DialOptions{Subprotocols: []string{quinn}})
	if err != nil {
		t.Fatal(err)
	}
	defer multi.CloseNow()
	for _, m := range []string{`{"type":"subscribe","stream":"nonsense"}`, `{"type":"subscribe","stream":"hashtag","tag":"Mixed"}`,
		`{"type":"subscribe","stream":"user"}`, `{"type":"unsubscribe","stream":"user"}`} {
		if err := multi.Write(ctx, websocket.MessageText, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	_, data, err = multi.Read(ctx)
	if err != nil || !strings.Contains(string(data), `"error":"Name a stream`) {
		t.Errorf("an unknown stream: %v %s", err, data)
	}
	time.Sleep(100 * time.Millisecond) // subscribed
	s.call("POST", "/api/v1/statuses", quinn, url.Values{"status": {"no tag"}}, nil)
	s.call("POST", "/api/v1/statuses", quinn, url.Values{"status": {"a #mixed bag"}}, &post)
	if _, data, err = multi.Read(ctx); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &m); err != nil || m.Event != "update" || strings.Join(m.Stream, " ") != "hashtag mixed" || !strings.Contains(m.Payload, `"id":"`+post.ID+`"`) {
		t.Errorf("a subscription by message: %v %s", err, data)
	}
}

// TestWebSocketSubscriptions: one connection holds several streams,
// added and dropped with subscribe and unsubscribe messages; a bad
// message gets an error message; notifications carry the id the
// notification list gives; edits arrive as status.update; a blocked
// account sees nothing of the blocker.
func TestWebSocketSubscriptions(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	uma, umaID := s.tokenFor("uma", "read write follow")
	vic, vicID := s.tokenFor("vic", "read write follow")
	wes, _ := s.tokenFor("wes", "read write follow")
	s.call("POST", "/api/v1/accounts/"+vicID+"/follow", uma, nil, nil)
	s.call("POST", "/api/v1/accounts/"+umaID+"/block", wes, nil, nil) // wes blocks uma
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dial := func(tok string) *websocket.Conn {
		conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(s.base, "http")+"/api/v1/streaming", &websocket.DialOptions{Subprotocols: []string{tok}})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.CloseNow() })
		return conn
	}
	conn := dial(uma)
	send := func(m string) {
		if err := conn.Write(ctx, websocket.MessageText, []byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	type message struct {
		Stream  []string
		Event   string
		Payload string
		Error   string
		Status  int
	}
	read := func() message {
		t.Helper()
		_, data, err := conn.Read(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var m message
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%v: %s", err, data)
		}
		return m
	}
	send(`{"type": "subscribe", "stream": "nope"}`)
	if m := read(); m.Status != 422 || !strings.Contains(m.Error, "Name a stream") {
		t.Errorf("a bad stream name: %+v", m)
	}
	send(`{"type": "subscribe", "stream": "hashtag", "tag": "Go"}`)
	send(`{"type": "subscribe", "stream": "user:notification"}`)
	send(`{"type": "subscribe", "stream": "public"}`)
	time.Sleep(200 * time.Millisecond) // subscribed
	var post, blocked struct{ ID string }
	s.call("POST", "/api/v1/statuses", wes, url.Values{"status": {"uma cannot see this #go"}}, &blocked)
	s.call("POST", "/api/v1/statuses", vic, url.Values{"status": {"hello @uma #go"}}, &post)
	got := map[string]message{}
	for range 3 { // public and hashtag updates, a mention
		m := read()
		got[strings.Join(m.Stream, " ")+" "+m.Event] = m
		if strings.Contains(m.Payload, blocked.ID) || strings.Contains(m.Payload, "cannot see") {
			t.Errorf("uma saw what wes, who blocks her, posted: %+v", m)
		}
	}
	if m := got["hashtag go update"]; !strings.Contains(m.Payload, `"id":"`+post.ID+`"`) {
		t.Errorf("hashtag stream: %+v", got)
	}
	if _, ok := got["public update"]; !ok {
		t.Errorf("public stream: %+v", got)
	}
	n, ok := got["user:notification notification"]
	var note struct {
		ID, Type string
		Status   struct{ ID string }
	}
	if !ok || json.Unmarshal([]byte(n.Payload), &note) != nil || note.Type != "mention" || note.Status.ID != post.ID {
		t.Fatalf("notification: %+v", got)
	}
	var listed []struct{ ID string }
	if s.call("GET", "/api/v1/notifications", uma, nil, &listed); len(listed) == 0 || listed[0].ID != note.ID {
		t.Errorf("the streamed notification's id %s is not the listed one: %+v", note.ID, listed)
	}
	// With the hashtag and public streams dropped and the user stream
	// added, an edit of vic's (whom uma follows) comes on the user stream
	// alone.
	send(`{"type": "unsubscribe", "stream": "hashtag", "tag": "go"}`)
	send(`{"type": "unsubscribe", "stream": "public"}`)
	send(`{"type": "subscribe", "stream": "user"}`)
	time.Sleep(200 * time.Millisecond)
	s.call("PUT", "/api/v1/statuses/"+post.ID, vic, url.Values{"status": {"hello again @uma #go"}}, nil)
	if m := read(); m.Event != "status.update" || len(m.Stream) != 1 || m.Stream[0] != "user" || !strings.Contains(m.Payload, "hello again") {
		t.Errorf("after the edit: %+v", m)
	}
}

// TestNotificationEndpoints: one notification by id, dismissing one,
// clearing all; nobody reaches another's.
func TestNotificationEndpoints(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			xia, xiaID := s.tokenFor("xia", "read write follow")
			yan, _ := s.tokenFor("yan", "read write follow")
			readOnly, _ := s.tokenFor("zed", "read")
			s.call("POST", "/api/v1/accounts/"+xiaID+"/follow", yan, nil, nil)
			var post struct{ ID string }
			s.call("POST", "/api/v1/statuses", xia, url.Values{"status": {"notice me"}}, &post)
			s.call("POST", "/api/v1/statuses/"+post.ID+"/favourite", yan, nil, nil)
			var ns []struct{ ID, Type string }
			if st := s.call("GET", "/api/v1/notifications", xia, nil, &ns); st != 200 || len(ns) != 2 {
				t.Fatalf("notifications: %d %+v", st, ns)
			}
			var one struct{ ID, Type string }
			if st := s.call("GET", "/api/v1/notifications/"+ns[1].ID, xia, nil, &one); st != 200 || one != ns[1] {
				t.Errorf("one notification: %d %+v, want %+v", st, one, ns[1])
			}
			var e apiErr
			for _, c := range []struct {
				method, path, tok string
				want              int
			}{
				{"GET", "/api/v1/notifications/" + ns[0].ID, yan, 404}, // not yan's
				{"GET", "/api/v1/notifications/12x", xia, 404},         // not an id
				{"POST", "/api/v1/notifications/" + ns[0].ID + "/dismiss", yan, 404},
				{"POST", "/api/v1/notifications/" + ns[0].ID + "/dismiss", readOnly, 403},
				{"POST", "/api/v1/notifications/clear", readOnly, 403},
				{"POST", "/api/v1/notifications/clear", "", 401},
			} {
				if st := s.call(c.method, c.path, c.tok, nil, &e); st != c.want {
					t.Errorf("%s %s: %d, want %d (%+v)", c.method, c.path, st, c.want, e)
				}
			}
			if st := s.call("POST", "/api/v1/notifications/"+ns[0].ID+"/dismiss", xia, nil, nil); st != 200 {
				t.Errorf("dismiss: %d", st)
			}
			if st := s.call("POST", "/api/v1/notifications/"+ns[0].ID+"/dismiss", xia, nil, &e); st != 404 {
				t.Errorf("dismiss twice: %d", st)
			}
			if s.call("GET", "/api/v1/notifications", xia, nil, &ns); len(ns) != 1 {
				t.Errorf("after dismissing: %+v", ns)
			}
			if st := s.call("POST", "/api/v1/notifications/clear", xia, nil, nil); st != 200 {
				t.Errorf("clear: %d", st)
			}
			if s.call("GET", "/api/v1/notifications", xia, nil, &ns); len(ns) != 0 {
				t.Errorf("after clearing: %+v", ns)
			}
		})
	}
}

// TestAbsentFeatures: what Mastodon has and this server does not answers
// as Mastodon does where a server has none: an empty list (with its
// scope), or a JSON 404.
func TestAbsentFeatures(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	tok, _ := s.tokenFor("abe", "read write follow")
	writeOnly, _ := s.tokenFor("bea", "write")
	for _, c := range []struct {
		path, tok string
		want      int
	}{
		{"/api/v1/custom_emojis", "", 200},
		{"/api/v1/trends/tags", "", 200},
		{"/api/v1/lists", tok, 200},
		{"/api/v1/lists", "", 401},
		{"/api/v1/lists", writeOnly, 403},
		{"/api/v2/filters", tok, 200},
		{"/api/v1/followed_tags", tok, 200},
		{"/api/v2/suggestions", tok, 200},
		{"/api/v1/announcements", tok, 200},
		{"/api/v1/lists/1", tok, 404},
		{"/api/v1/no/such/thing", "", 404},
	} {
		var list []any
		var e apiErr
		out := any(&list)
		if c.want != 200 {
			out = &e
		}
		if st := s.call("GET", c.path, c.tok, nil, out); st != c.want || (st == 200 && (list == nil || len(list) != 0)) || (st != 200 && e.Error == "") {
			t.Errorf("%s: %d %v %+v, want %d", c.path, st, list, e, c.want)
		}
	}
}

// TestRateLimitHeaders: every answer tells the client where it stands,
// per account (per address without a user's token), and the request
// past the limit gets 429 with Retry-After.
func TestRateLimitHeaders(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	tok, _ := s.tokenFor("cal", "read")
	get := func(tok string) *http.Response {
		req, _ := http.NewRequest("GET", s.base+"/api/v1/accounts/verify_credentials", nil)
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	first := get(tok)
	limit, _ := strconv.Atoi(first.Header.Get("X-RateLimit-Limit"))
	left, _ := strconv.Atoi(first.Header.Get("X-RateLimit-Remaining"))
	reset, err := time.Parse(time.RFC3339, first.Header.Get("X-RateLimit-Reset"))
	if limit != tweets.DefaultLimitRules["api"].Limit || left >= limit || err != nil || time.Until(reset) > 5*time.Minute {
		t.Fatalf("headers: %v", first.Header)
	}
	if next := get(tok); next.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(left-1) {
		t.Errorf("remaining after one more: %s, want %d", next.Header.Get("X-RateLimit-Remaining"), left-1)
	}
	// The rest of the window, then one too many.
	for range left - 1 {
		get(tok)
	}
	over := get(tok)
	if over.StatusCode != 429 || over.Header.Get("Retry-After") == "" || over.Header.Get("X-RateLimit-Remaining") != "0" {
		t.Errorf("past the limit: %d %v", over.StatusCode, over.Header)
	}
	// An anonymous caller has its own count.
	if anon := get(""); anon.StatusCode != 401 || anon.Header.Get("X-RateLimit-Remaining") == "0" {
		t.Errorf("anonymous: %d %v", anon.StatusCode, anon.Header)
	}
}

// TestAccountLists: who favourited and reblogged a status, the token
// user's blocks and mutes, and account search.
func TestAccountLists(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			sam, samID := s.tokenFor("sam", "read write follow")
			tia, tiaID := s.tokenFor("tia", "read write follow")
			var post struct{ ID string }
			s.call("POST", "/api/v1/statuses", sam, url.Values{"status": {"like me"}}, &post)
			s.call("POST", "/api/v1/statuses/"+post.ID+"/favourite", tia, nil, nil)
			var us []struct{ ID, Username string }
			if st := s.call("GET", "/api/v1/statuses/"+post.ID+"/favourited_by", "", nil, &us); st != 200 || len(us) != 1 || us[0].ID != tiaID {
				t.Errorf("favourited_by: %d %+v", st, us)
			}
			if st := s.call("GET", "/api/v1/statuses/"+post.ID+"/reblogged_by", "", nil, &us); st != 200 || len(us) != 0 {
				t.Errorf("reblogged_by: %d %+v", st, us)
			}
			s.call("POST", "/api/v1/accounts/"+samID+"/mute", tia, nil, nil)
			if st := s.call("GET", "/api/v1/mutes", tia, nil, &us); st != 200 || len(us) != 1 || us[0].ID != samID {
				t.Errorf("mutes: %d %+v", st, us)
			}
			if st := s.call("GET", "/api/v1/blocks", tia, nil, &us); st != 200 || len(us) != 0 {
				t.Errorf("blocks: %d %+v", st, us)
			}
			if st := s.call("GET", "/api/v1/accounts/search?q=sa", tia, nil, &us); st != 200 || len(us) != 1 || us[0].Username != "sam" {
				t.Errorf("accounts/search: %d %+v", st, us)
			}
			if st := s.call("GET", "/api/v1/statuses/999/favourited_by", "", nil, nil); st != 404 {
				t.Errorf("favourited_by of no status: %d", st)
			}
		})
	}
}

// TestEveryEndpointChecksAccess walks every route the API registers:
// each that needs a token refuses a request without one (401), each that
// needs a scope refuses a token without it (403), and every endpoint
// refuses a token that is not valid (401). A route added later is walked
// too.
func TestEveryEndpointChecksAccess(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	tokens := map[string]string{}
	for i, sc := range []string{"read:statuses", "follow"} {
		tokens[sc], _ = s.tokenFor(fmt.Sprintf("who%d", i), sc)
	}
	endpoints := api.New(nil, nil, api.Options{}).Endpoints()
	if len(endpoints) < 80 {
		t.Fatalf("only %d endpoints listed", len(endpoints))
	}
	fill := strings.NewReplacer("{id}", "1", "{hashtag}", "go")
	for _, e := range endpoints {
		method, path, ok := strings.Cut(e.Pattern, " ")
		if !ok {
			method, path = "GET", e.Pattern // the catch-all
		}
		path = fill.Replace(path)
		var got apiErr
		if st := s.call(method, path, "not-a-token", nil, &got); st != 401 {
			t.Errorf("%s with a bad token: %d %+v", e.Pattern, st, got)
		}
		if e.Access == api.Public {
			continue
		}
		if st := s.call(method, path, "", nil, &got); st != 401 {
			t.Errorf("%s without a token: %d %+v", e.Pattern, st, got)
		}
		if e.Scope == "" {
			continue
		}
		var lacking string
		for sc, tok := range tokens {
			if scopes, _ := tweets.ParseScopes(sc); !scopes.Allows(e.Scope) && !(e.Scope == "profile" && scopes.Allows("read:accounts")) {
				lacking = tok
			}
		}
		if st := s.call(method, path, lacking, nil, &got); st != 403 || !strings.Contains(got.Error, e.Scope) {
			t.Errorf("%s with a token lacking %s: %d %+v", e.Pattern, e.Scope, st, got)
		}
	}
}

// page reads a list of statuses and the links of its Link header, by rel.
func (s *site) page(path, token string) (ids []string, links map[string]string, code int) {
	s.t.Helper()
	resp := s.send("GET", path, token, "", nil)
	defer resp.Body.Close()
	var sts []struct {
		ID         string
		Bookmarked bool
	}
	if resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(&sts); err != nil {
			s.t.Fatalf("GET %s: %v", path, err)
		}
	}
	for _, st := range sts {
		ids = append(ids, st.ID)
	}
	links = map[string]string{}
	for _, m := range regexp.MustCompile(`<([^>]*)>; rel="(\w+)"`).FindAllStringSubmatch(resp.Header.Get("Link"), -1) {
		links[m[2]] = strings.TrimPrefix(m[1], s.base)
	}
	return ids, links, resp.StatusCode
}

// pages follows rel="next" from path and returns every id, in order.
func (s *site) pages(path, token string) []string {
	s.t.Helper()
	var all []string
	for range 10 {
		ids, links, code := s.page(path, token)
		if code != 200 {
			s.t.Fatalf("GET %s: %d", path, code)
		}
		all = append(all, ids...)
		if links["next"] == "" {
			return all
		}
		path = links["next"]
	}
	s.t.Fatalf("the pages from %s do not end", path)
	return nil
}

// postJSON sends a JSON body and decodes the answer into out.
func (s *site) postJSON(path, token, body string, out any) int {
	s.t.Helper()
	resp := s.send("POST", path, token, "application/json", strings.NewReader(body))
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		s.t.Errorf("POST %s: %v", path, err)
	}
	return resp.StatusCode
}

// TestParametersTooLarge: a body of parameters over 64 KiB is refused
// with a 413 that says so, form-encoded or JSON, and nothing changes (a
// form-encoded one was read as no parameters: a 1 MB note answered 200
// and saved nothing).
func TestParametersTooLarge(t *testing.T) {
	s := newSite(t, testapp.ByName("sqlite"))
	tok, _ := s.tokenFor("ida", "read write")
	big := strings.Repeat("x", 65<<10)
	var e apiErr
	if st := s.call("PATCH", "/api/v1/accounts/update_credentials", tok, url.Values{"note": {big}}, &e); st != 413 || !strings.Contains(e.Error, "64 KiB") {
		t.Errorf("a form-encoded note of 65 KiB: %d %+v", st, e)
	}
	e = apiErr{}
	if st := s.postJSON("/api/v1/statuses", tok, `{"status":"`+big+`"}`, &e); st != 413 || !strings.Contains(e.Error, "64 KiB") {
		t.Errorf("a JSON status of 65 KiB: %d %+v", st, e)
	}
	var me struct{ Note string }
	if s.call("GET", "/api/v1/accounts/verify_credentials", tok, nil, &me); me.Note != "" {
		t.Errorf("the note became %.40q…", me.Note)
	}
}

// TestBookmarksAndFavourites: bookmarking is idempotent and shows on
// the status; the bookmarks and favourites lists page newest bookmark
// or like first, by the bookmark's or like's id, through the Link
// header; they are their owner's alone, and need their scopes.
func TestBookmarksAndFavourites(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			kim, kimID := s.tokenFor("kim", "read write follow")
			lou, _ := s.tokenFor("lou", "read write follow")
			var posts []string
			for _, text := range []string{"one", "two ✓", "three", "four", "five"} {
				var p struct{ ID string }
				s.call("POST", "/api/v1/statuses", lou, url.Values{"status": {text}}, &p)
				posts = append(posts, p.ID)
			}
			// Bookmarked and liked oldest status last: the lists run in
			// the order of the bookmarks and likes, not of the statuses.
			var want []string
			for i := len(posts) - 1; i >= 0; i-- {
				var st struct {
					ID                     string
					Bookmarked, Favourited bool
				}
				for range 2 {
					if c := s.call("POST", "/api/v1/statuses/"+posts[i]+"/bookmark", kim, nil, &st); c != 200 || !st.Bookmarked || st.ID != posts[i] {
						t.Fatalf("bookmark: %d %+v", c, st)
					}
				}
				if c := s.call("POST", "/api/v1/statuses/"+posts[i]+"/favourite", kim, nil, &st); c != 200 || !st.Favourited {
					t.Fatalf("favourite: %d %+v", c, st)
				}
				want = append([]string{posts[i]}, want...)
			}
			var st struct{ Bookmarked bool }
			if c := s.call("GET", "/api/v1/statuses/"+posts[2], kim, nil, &st); c != 200 || !st.Bookmarked {
				t.Errorf("a bookmarked status, as its reader: %d %+v", c, st)
			}
			if c := s.call("GET", "/api/v1/statuses/"+posts[2], lou, nil, &st); c != 200 || st.Bookmarked {
				t.Errorf("kim's bookmark, as the author: %d %+v", c, st)
			}
			if got := s.pages("/api/v1/bookmarks?limit=2", kim); !slices.Equal(got, want) {
				t.Errorf("bookmarks, page by page: %v, want %v", got, want)
			}
			if got := s.pages("/api/v1/favourites?limit=2", kim); !slices.Equal(got, want) {
				t.Errorf("favourites, page by page: %v, want %v", got, want)
			}
			first, links, _ := s.page("/api/v1/bookmarks?limit=2", kim)
			second, links, _ := s.page(links["next"], kim)
			if back, _, _ := s.page(links["prev"], kim); !slices.Equal(back, first) || len(second) != 2 {
				t.Errorf("rel=prev of the second page: %v, want %v", back, first)
			}
			if ids, _, _ := s.page("/api/v1/bookmarks", lou); len(ids) != 0 {
				t.Errorf("lou sees bookmarks: %v", ids)
			}

			var unmarked struct{ Bookmarked bool }
			for range 2 {
				if c := s.call("POST", "/api/v1/statuses/"+posts[0]+"/unbookmark", kim, nil, &unmarked); c != 200 || unmarked.Bookmarked {
					t.Errorf("unbookmark: %d %+v", c, unmarked)
				}
			}
			if got := s.pages("/api/v1/bookmarks", kim); len(got) != 4 || slices.Contains(got, posts[0]) {
				t.Errorf("bookmarks after unbookmarking: %v", got)
			}

			var e apiErr
			for _, path := range []string{"/api/v1/statuses/999/bookmark", "/api/v1/statuses/x/bookmark", "/api/v1/statuses/999/unbookmark"} {
				if c := s.call("POST", path, kim, nil, &e); c != 404 {
					t.Errorf("%s: %d", path, c)
				}
			}
			for _, path := range []string{"/api/v1/bookmarks?max_id=x", "/api/v1/favourites?min_id=x", "/api/v1/bookmarks?since_id=-"} {
				if c := s.call("GET", path, kim, nil, &e); c != 422 {
					t.Errorf("%s: %d", path, c)
				}
			}
			reader, _ := s.tokenFor("max", "read:statuses write:statuses")
			for _, c := range []struct{ method, path, scope string }{
				{"GET", "/api/v1/bookmarks", "read:bookmarks"}, {"GET", "/api/v1/favourites", "read:favourites"},
				{"POST", "/api/v1/statuses/" + posts[1] + "/bookmark", "write:bookmarks"},
			} {
				if st := s.call(c.method, c.path, reader, nil, &e); st != 403 || !strings.Contains(e.Error, c.scope) {
					t.Errorf("%s %s without its scope: %d %+v", c.method, c.path, st, e)
				}
			}

			// lou blocks kim: lou's statuses leave kim's lists and cannot
			// be bookmarked.
			s.call("POST", "/api/v1/accounts/"+kimID+"/block", lou, nil, nil)
			if got := s.pages("/api/v1/bookmarks", kim); len(got) != 0 {
				t.Errorf("bookmarks of a blocked account: %v", got)
			}
			if c := s.call("POST", "/api/v1/statuses/"+posts[1]+"/bookmark", kim, nil, &e); c != 404 {
				t.Errorf("bookmarking a blocked account's status: %d", c)
			}
		})
	}
}

// TestMarkers: markers are set from a form or JSON, read back with their
// version counting the moves, and a bad id is refused with its field.
func TestMarkers(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			ned, _ := s.tokenFor("ned", "read write follow")
			type marker struct {
				LastReadID string `json:"last_read_id"`
				Version    int
				UpdatedAt  string `json:"updated_at"`
			}
			var ms map[string]marker
			if c := s.call("GET", "/api/v1/markers?timeline[]=home&timeline[]=notifications", ned, nil, &ms); c != 200 || len(ms) != 0 {
				t.Errorf("no markers yet: %d %+v", c, ms)
			}
			if c := s.call("POST", "/api/v1/markers", ned, url.Values{"home[last_read_id]": {"100"}, "lists[last_read_id]": {"x"}}, &ms); c != 200 ||
				len(ms) != 1 || ms["home"].LastReadID != "100" || ms["home"].Version != 0 || ms["home"].UpdatedAt == "" {
				t.Errorf("set home: %d %+v", c, ms)
			}
			if c := s.postJSON("/api/v1/markers", ned, `{"home": {"last_read_id": "200"}, "notifications": {"last_read_id": 7}}`, &ms); c != 200 ||
				ms["home"].Version != 1 || ms["notifications"].LastReadID != "7" {
				t.Errorf("set both as JSON: %d %+v", c, ms)
			}
			if c := s.call("GET", "/api/v1/markers?timeline[]=home&timeline[]=notifications&timeline[]=lists", ned, nil, &ms); c != 200 ||
				len(ms) != 2 || ms["home"].LastReadID != "200" || ms["home"].Version != 1 || ms["notifications"].Version != 0 {
				t.Errorf("read back: %d %+v", c, ms)
			}
			var only map[string]marker
			if c := s.call("GET", "/api/v1/markers?timeline[]=notifications", ned, nil, &only); c != 200 || len(only) != 1 {
				t.Errorf("notifications only: %d %+v", c, only)
			}
			var e struct {
				Error   string
				Details map[string]string
			}
			if c := s.call("POST", "/api/v1/markers", ned, url.Values{"home[last_read_id]": {"abc"}}, &e); c != 422 || e.Details["home[last_read_id]"] == "" {
				t.Errorf("a bad id: %d %+v", c, e)
			}
			for _, body := range []string{`{"home": "200"}`, `{"home": `} {
				if c := s.postJSON("/api/v1/markers", ned, body, &e); c != 422 {
					t.Errorf("%s: %d %+v", body, c, e)
				}
			}
			if c := s.call("GET", "/api/v1/markers?timeline[]=home", ned, nil, &ms); ms["home"].LastReadID != "200" || c != 200 {
				t.Errorf("after refusals: %d %+v", c, ms)
			}
			reader, _ := s.tokenFor("ola", "read")
			if c := s.call("POST", "/api/v1/markers", reader, url.Values{"home[last_read_id]": {"1"}}, &e); c != 403 {
				t.Errorf("setting a marker with a read token: %d", c)
			}
		})
	}
}

// TestCatchingUp: a client that has seen a timeline up to a status asks
// for what came after it: since_id gives the newest page down to it,
// min_id the page just above it, and the rel="prev" link of any page
// leads to the next newer one, on the home and public timelines and
// notifications.
func TestCatchingUp(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			s := newSite(t, b)
			amy, amyID := s.tokenFor("amy", "read write follow")
			bo, _ := s.tokenFor("bo", "read write follow")
			s.call("POST", "/api/v1/accounts/"+amyID+"/follow", bo, nil, nil)
			var posted []string // oldest first
			for i := range 5 {
				var st struct{ ID string }
				s.call("POST", "/api/v1/statuses", amy, url.Values{"status": {fmt.Sprintf("nº %d", i)}}, &st)
				posted = append(posted, st.ID)
			}
			for _, path := range []string{"/api/v1/timelines/home", "/api/v1/timelines/public"} {
				ids, _, _ := s.page(path+"?limit=2&since_id="+posted[1], bo)
				if !slices.Equal(ids, []string{posted[4], posted[3]}) {
					t.Errorf("%s since_id: %v", path, ids)
				}
				ids, links, _ := s.page(path+"?limit=2&min_id="+posted[0], bo)
				if !slices.Equal(ids, []string{posted[2], posted[1]}) || links["prev"] == "" || links["next"] == "" {
					t.Fatalf("%s min_id: %v %v", path, ids, links)
				}
				if ids, _, _ = s.page(links["prev"], bo); !slices.Equal(ids, []string{posted[4], posted[3]}) {
					t.Errorf("%s, the page before: %v", path, ids)
				}
				if ids, links, _ = s.page(path+"?min_id="+posted[4], bo); len(ids) != 0 || len(links) != 0 {
					t.Errorf("%s above the newest: %v %v", path, ids, links)
				}
			}
			var ns []struct{ ID string }
			s.call("POST", "/api/v1/statuses/"+posted[0]+"/favourite", bo, nil, nil)
			s.call("POST", "/api/v1/statuses/"+posted[1]+"/favourite", bo, nil, nil)
			if s.call("GET", "/api/v1/notifications", amy, nil, &ns); len(ns) != 3 { // the follow, two favourites
				t.Fatalf("notifications: %+v", ns)
			}
			if ids, _, _ := s.page("/api/v1/notifications?since_id="+ns[1].ID, amy); !slices.Equal(ids, []string{ns[0].ID}) {
				t.Errorf("notifications since_id: %v", ids)
			}
			var e apiErr
			if st := s.call("GET", "/api/v1/timelines/public?min_id=x", "", nil, &e); st != 422 || !strings.Contains(e.Error, "min_id") {
				t.Errorf("a bad min_id: %d %+v", st, e)
			}
		})
	}
}
