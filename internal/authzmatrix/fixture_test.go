package authzmatrix

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/api"
	"github.com/tweetsdev/tweets/inmem"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/testsite"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// role is who sends a request, as the columns of the table name them.
type role int

const (
	anonymous role = iota // no session, no token
	owner                 // owns the target: its author, the account, the app, ...
	other                 // an unrelated account
	blocked               // an account the owner blocks
	suspended             // suspended after its session or token was made
	admin                 // an admin, not the owner
	roles                 // how many columns the table has
	// unscoped is the owner with a token that lacks the endpoint's
	// scope: checked on every scoped endpoint, always refused with 403.
	unscoped
)

func (r role) String() string {
	if r == unscoped {
		return "owner without the scope"
	}
	return [...]string{"anonymous", "owner", "other", "blocked", "suspended", "admin"}[r]
}

const (
	password   = "password123"
	secretKey  = "test-secret-key-0123456789-0123456789"
	sessionKey = "tweets_session" // the pages' session cookie
)

// fixture is the whole app, pages and API on one handler as cmd/tweets
// serves them, on one database.
type fixture struct {
	t         *testing.T
	svc       *tweets.Service
	base      string
	routes    []string                // the pages' patterns
	endpoints map[string]api.Endpoint // the API's, by pattern
	n         int                     // names the accounts made
}

// noLimits turns the rate limits off: the matrix makes hundreds of
// accounts, posts and requests from one address in seconds.
func noLimits(_ testing.TB, svc *tweets.Service) { svc.Limits = tweets.Limits{} }

func newFixture(t *testing.T, b testapp.Backend) *fixture {
	svc := testapp.Service(t, b.Open(t), nil, noLimits)
	hub := &inmem.Hub{}
	svc.Events, svc.Live = hub, hub
	// As cmd/tweets composes them: the API's prefixes to it, the rest
	// to the pages.
	site := testsite.Start(t, svc)
	f := &fixture{t: t, svc: svc, base: site.URL, routes: site.Pages.Routes(), endpoints: map[string]api.Endpoint{}}
	for _, e := range site.API.Endpoints() {
		f.endpoints[e.Pattern] = e
	}
	return f
}

// user makes an account named after what it is for.
func (f *fixture) user(kind string) tweets.User {
	f.t.Helper()
	f.n++
	u, err := f.svc.CreateAccount(context.Background(), fmt.Sprintf("%s%d", kind, f.n), password)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

// cell is one request of one row by one role, with what its row's
// setup made.
type cell struct {
	f      *fixture
	ctx    context.Context
	row    *row
	role   role
	owner  tweets.User
	actor  *tweets.User // nil for anonymous
	id     string       // fills {id}
	hash   string       // fills {hash}
	values map[string]string
	// What the request got.
	status   int
	location string
	body     string
}

// subject is whose own account a request about "my account" changes:
// the actor's, or the owner's when no one is logged in.
func (c *cell) subject() tweets.User {
	if c.actor != nil {
		return *c.actor
	}
	return c.owner
}

func (c *cell) must(err error) {
	c.f.t.Helper()
	if err != nil {
		c.f.t.Fatalf("%s, %s: setup: %v", c.row.name(), c.role, err)
	}
}

// tweet posts a tweet by u and returns its id.
func (c *cell) tweet(u tweets.User, text string) tweets.ID {
	c.f.t.Helper()
	t, err := c.f.svc.PostTweet(c.ctx, u, text, nil)
	c.must(err)
	return t.ID
}

// ownTweet makes the target a tweet of the owner's.
func (c *cell) ownTweet() {
	c.id = c.tweet(c.owner, "the owner's tweet").String()
}

// idOf reads {id} back.
func (c *cell) idOf() tweets.ID {
	id, err := tweets.ParseID(c.id)
	c.must(err)
	return id
}

// fan makes a new account follow u: a notification for u.
func (c *cell) fan(u tweets.User) tweets.User {
	fan := c.f.user("fan")
	_, err := c.f.svc.Follow(c.ctx, fan, u.Username)
	c.must(err)
	return fan
}

// app registers an OAuth client and keeps its id and secret.
func (c *cell) app() {
	a, secret, err := c.f.svc.CreateApp(c.ctx, "Matrix app", "https://app.example/cb", "read write follow", "")
	c.must(err)
	c.values["client_id"], c.values["client_secret"] = a.ClientID, secret
}

// code has the owner grant the app a code, kept as "code".
func (c *cell) code() {
	code, err := c.f.svc.GrantCode(c.ctx, c.owner, tweets.AuthRequest{ClientID: c.values["client_id"],
		RedirectURI: "https://app.example/cb", Scope: "read"})
	c.must(err)
	c.values["code"] = code
}

// grants reports whether a token still works.
func (c *cell) grants(token string) bool {
	_, err := c.f.svc.Grant(c.ctx, token)
	return err == nil
}

// userState is the stored account of u, or that it is gone.
func (c *cell) userState(u tweets.User) tweets.User {
	got, err := c.f.svc.Store.UserByID(c.ctx, u.ID)
	if err != nil {
		return tweets.User{}
	}
	return got
}

// tweetState is the target tweet as viewer sees it: text, counts and
// what viewer did to it, or that it is gone.
func (c *cell) tweetState(viewer tweets.User) string {
	th, err := c.f.svc.Store.Thread(c.ctx, c.idOf(), viewer.ID, 0)
	if err != nil {
		return "gone"
	}
	t := th.Tweet
	return fmt.Sprintf("%q likes=%d reposts=%d liked=%v reposted=%v bookmarked=%v", t.Text, t.Likes, t.Reposts, t.Liked, t.Reposted, t.Bookmarked)
}

// credentials are how a role's requests identify it.
type credentials struct {
	browser *webtest.Browser // pages: the session cookie and the CSRF token
	token   string           // API: a bearer token
}

// logIn gives the actor a session and a page's CSRF token (pages) or a
// token with scope (API), as it has before any suspension.
func (c *cell) logIn(isAPI bool, scope string) credentials {
	f := c.f
	if isAPI {
		if c.actor == nil {
			return credentials{}
		}
		token, err := f.svc.CreatePersonalToken(c.ctx, *c.actor, "matrix", scope)
		c.must(err)
		return credentials{token: token}
	}
	b := webtest.New(f.t, f.base)
	if c.actor != nil {
		token, _, err := f.svc.StartSession(c.ctx, *c.actor)
		c.must(err)
		u, _ := url.Parse(f.base)
		b.Client.Jar.SetCookies(u, []*http.Cookie{{Name: sessionKey, Value: token, Path: "/"}})
	}
	page := "/" // the compose form
	if c.actor == nil {
		page = "/login"
	}
	b.Get(page) // for its form's CSRF token
	if b.CSRF == "" {
		f.t.Fatalf("%s: no CSRF token on %s", c.role, page)
	}
	return credentials{browser: b}
}

// send makes the row's request with the credentials and records the
// answer.
func (c *cell) send(cr credentials, method, path string, form url.Values, file string) {
	f := c.f
	f.t.Helper()
	var body io.Reader
	ctype := ""
	switch {
	case method == http.MethodGet:
		if len(form) > 0 {
			path += "?" + form.Encode()
		}
	case cr.browser != nil:
		if c.row.page != "" {
			cr.browser.Get(c.row.page) // as a browser opens the form first
		}
		if form == nil {
			form = url.Values{}
		}
		form.Set("csrf", cr.browser.CSRF)
	}
	if method != http.MethodGet {
		if file != "" {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			for k, vs := range form {
				for _, v := range vs {
					_ = mw.WriteField(k, v)
				}
			}
			fw, _ := mw.CreateFormFile(file, "picture.png")
			_, _ = fw.Write(picture())
			_ = mw.Close()
			body, ctype = &buf, mw.FormDataContentType()
		} else if form != nil {
			body, ctype = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
		}
	}
	req, err := http.NewRequest(method, f.base+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if cr.browser != nil {
		r := cr.browser.Do(req)
		c.status, c.location, c.body = r.StatusCode, r.Header.Get("Location"), r.Body
		return
	}
	if cr.token != "" {
		req.Header.Set("Authorization", "Bearer "+cr.token)
	}
	client := &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	c.status, c.location, c.body = resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// lacking is a token scope that does not grant scope.
func lacking(scope string) string {
	if strings.HasPrefix(scope, "read") || scope == "profile" {
		return "write"
	}
	return "read"
}

// picture is a small image to upload.
func picture() []byte { return testimage.PNG(64, 64) }

func pictureUpload() *tweets.Upload {
	b := picture()
	return &tweets.Upload{Content: bytes.NewReader(b), Size: int64(len(b))}
}
