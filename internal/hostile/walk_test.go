package hostile_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/tweetsdev/tweets"
	"github.com/tweetsdev/tweets/inmem"
	"github.com/tweetsdev/tweets/internal/hostile"
	"github.com/tweetsdev/tweets/internal/testapp"
	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/testsite"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// TestHostileInputEverywhere puts every string of the corpus into every
// field a user controls (username, display name, bio, tweet text by
// form and by API, an edit by each, image alt text by form and by API,
// report note, search queries of the pages, the admin pages and the
// API; mentions and hashtags inside tweets), and asserts that each is
// either refused with a 4xx that says why (an HTML page, or a JSON
// error) with nothing stored, or stored as the rules normalize it. Then
// it walks every place the stored values appear (timelines, profile,
// permalink, thread, history, edit and quote and report forms, profile
// settings, search, tag page, notifications, the admin pages, the
// profile and tag Atom feeds, and the API's accounts, statuses,
// contexts, histories, sources, media, timelines, notifications and
// search), and asserts that each renders them harmless (see
// hostile.PageProblems, FeedProblems, JSONProblems) and shows them as
// text. Which texts are refused is decided by the root package's rules;
// the test asserts that both transports apply the same ones.
func TestHostileInputEverywhere(t *testing.T) {
	for _, b := range testapp.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			start := time.Now()
			w := newWorld(t, b)
			entries := []*entry{}
			for i, in := range hostile.Corpus() {
				e := &entry{in: in, name: "w" + strconv.Itoa(i), tag: "hx" + strconv.Itoa(i) + "q"}
				t.Run(in.Name, func(t *testing.T) {
					w.submit(t, e)
					if !in.Long {
						w.walk(t, e)
					}
				})
				entries = append(entries, e)
			}
			t.Run("shared pages", func(t *testing.T) { w.walkShared(t, entries) })
			t.Run("admin actions", func(t *testing.T) { w.moderate(t, entries) })
			t.Logf("%s: %s", b.Name, time.Since(start).Round(time.Millisecond))
		})
	}
}

// world is the pages and the API on one server, as the binary serves
// them, with an admin and a reader whom the writers mention.
type world struct {
	t           *testing.T
	svc         *tweets.Service
	base        string
	scripts     []string // the app's own scripts, from a clean page
	admin       *webtest.Browser
	reader      *webtest.Browser
	readerToken string
	image       []byte
}

const password = "password1"

func newWorld(t *testing.T, b testapp.Backend) *world {
	svc := testapp.Service(t, b.Open(t), nil, func(_ testing.TB, s *tweets.Service) { s.Limits = tweets.Limits{} })
	hub := &inmem.Hub{}
	svc.Events, svc.Live = hub, hub
	site := testsite.Start(t, svc)

	w := &world{t: t, svc: svc, base: site.URL, image: testimage.PNG(32, 32)}
	ctx := context.Background()
	w.admin = webtest.New(t, w.base)
	w.admin.SignUp("root", password)
	root, _ := svc.Store.UserByUsername(ctx, "root")
	if err := svc.Store.SetAdmin(ctx, root.ID, true); err != nil {
		t.Fatal(err)
	}
	w.reader = webtest.New(t, w.base)
	home := w.reader.SignUp("reader", password)
	w.readerToken = w.token(w.reader)
	for _, m := range regexp.MustCompile(`<script src="([^"]+)"`).FindAllStringSubmatch(home.Body, -1) {
		w.scripts = append(w.scripts, m[1])
	}
	if len(w.scripts) == 0 {
		t.Fatal("no script on a clean page: the check of scripts would check nothing")
	}
	return w
}

// token makes a personal access token on the settings page.
func (w *world) token(b *webtest.Browser) string {
	b.Get("/settings/apps")
	r := b.Post("/settings/apps/tokens", url.Values{"token_name": {"hostile"}, "scope": {"read", "write", "follow"}})
	m := regexp.MustCompile(`aria-label="Access token">([A-Za-z0-9_-]{43})<`).FindStringSubmatch(r.Body)
	if m == nil {
		w.t.Fatalf("no token: %d\n%s", r.StatusCode, r.Body)
	}
	return m[1]
}

// entry is one hostile string, its writer, and what was stored of it.
type entry struct {
	in        hostile.Input
	name, tag string // the writer's username; the tag of its tweets
	browser   *webtest.Browser
	token     string
	userID    string
	user      tweets.User // as stored after the profile was sent
	// The writer's tweets: by form (text), with an image described by
	// form, by API (a reply mentioning the reader, edited by form), and
	// with an image described by API. Zero where refused.
	byForm, withAlt, byAPI, withMedia tweets.ID
	mediaID                           string // the API upload
	reported                          bool
}

// submit sends the entry's string to every field, checking each answer.
func (w *world) submit(t *testing.T, e *entry) {
	ctx := context.Background()
	x := e.in.Text
	refuse := e.in.Unstorable()

	// Username: never a valid one.
	users, _ := w.svc.Store.CountUsers(ctx)
	anon := webtest.New(t, w.base)
	anon.Get("/signup")
	w.refused(t, "sign-up", anon.Post("/signup", url.Values{"username": {x}, "password": {password}}))
	if n, _ := w.svc.Store.CountUsers(ctx); n != users {
		t.Errorf("sign-up: %d users after a refused username, want %d", n, users)
	}

	e.browser = webtest.New(t, w.base)
	e.browser.SignUp(e.name, password)
	e.token = w.token(e.browser)
	var me struct{ ID string }
	w.api(t, "GET", "/api/v1/accounts/verify_credentials", e.token, nil, &me)
	e.userID = me.ID
	w.reader.Post("/users/"+e.name+"/follow", nil)

	// Display name and bio: each alone through the API, then both
	// through the form; the form is refused when either field is.
	_, bioErr := tweets.NormalizeProfile(tweets.Profile{Bio: x})
	_, nameErr := tweets.NormalizeProfile(tweets.Profile{DisplayName: x})
	w.decide(t, "API note", bioErr == nil, refuse, w.apiStatus(t, "PATCH", "/api/v1/accounts/update_credentials", e.token, url.Values{"note": {x}}))
	w.decide(t, "API display_name", nameErr == nil, refuse, w.apiStatus(t, "PATCH", "/api/v1/accounts/update_credentials", e.token, url.Values{"display_name": {x}}))
	before := w.user(t, e.name)
	e.browser.Get("/settings/profile")
	r := e.browser.Post("/settings/profile", url.Values{"display_name": {x}, "bio": {x}})
	w.decideForm(t, "profile form", bioErr == nil && nameErr == nil, refuse, r)
	e.user = w.user(t, e.name)
	want, err := tweets.NormalizeProfile(tweets.Profile{DisplayName: x, Bio: x})
	if err != nil {
		want = profileOf(before)
		if nameErr == nil {
			want.DisplayName, _ = normalized(tweets.Profile{DisplayName: x})
		}
		if bioErr == nil {
			_, want.Bio = normalized(tweets.Profile{Bio: x})
		}
	}
	if profileOf(e.user) != want {
		t.Errorf("profile stored as %+q, want %+q", profileOf(e.user), want)
	}

	// A tweet by form.
	textErr := tweets.ValidateTweetText(x, false)
	n := w.count(t, e.name)
	r = w.compose(t, e.browser, map[string]string{"text": x}, false)
	if w.decideForm(t, "tweet form", textErr == nil, refuse, r) {
		e.byForm = w.newest(t, e.name, tweets.NormalizeTweetText(x))
	} else if m := w.count(t, e.name); m != n {
		t.Errorf("tweet form: %d tweets after a refusal, want %d", m, n)
	}

	// An image described by form; without it, a plain tweet to report.
	altOK := !refuse && utf8.RuneCountInString(strings.TrimSpace(tweets.NormalizeTweetText(x))) <= tweets.MaxAltLength
	n = w.count(t, e.name)
	r = w.compose(t, e.browser, map[string]string{"text": "alt #" + e.tag, "alt": x}, true)
	if !w.decideForm(t, "alt text form", altOK, refuse, r) {
		if m := w.count(t, e.name); m != n {
			t.Errorf("alt text form: %d tweets after a refusal, want %d", m, n)
		}
		w.compose(t, e.browser, map[string]string{"text": "alt #" + e.tag}, false)
	}
	e.withAlt = w.newest(t, e.name, "alt #"+e.tag)
	if m := w.media(t, e.withAlt); altOK && (len(m) != 1 || m[0].Alt != strings.TrimSpace(tweets.NormalizeTweetText(x))) {
		t.Errorf("alt text form: stored %+v", m)
	}

	// A reply by API that mentions the reader, with the tag.
	status := "@reader #" + e.tag + " " + x
	form := url.Values{"status": {status}}
	if e.byForm != 0 {
		form.Set("in_reply_to_id", e.byForm.String())
	}
	var posted struct{ ID string }
	n = w.count(t, e.name)
	if !w.decide(t, "API status", tweets.ValidateTweetText(status, false) == nil, refuse, w.api(t, "POST", "/api/v1/statuses", e.token, form, &posted)) {
		if m := w.count(t, e.name); m != n {
			t.Errorf("API status: %d tweets after a refusal, want %d", m, n)
		}
	} else {
		e.byAPI, _ = tweets.ParseID(posted.ID)
		w.stored(t, "API status", e.byAPI, tweets.NormalizeTweetText(status))
		// Edited by form.
		edit := status + " ✎"
		e.browser.Get("/tweets/" + posted.ID + "/edit")
		r := e.browser.Post("/tweets/"+posted.ID+"/edit", url.Values{"text": {edit}})
		if w.decideForm(t, "edit form", tweets.ValidateTweetText(edit, false) == nil, refuse, r) {
			w.stored(t, "edit form", e.byAPI, tweets.NormalizeTweetText(edit))
		}
	}
	// The form's tweet edited by API.
	if e.byForm != 0 {
		edit := x + " ✎"
		if w.decide(t, "API edit", tweets.ValidateTweetText(edit, false) == nil, refuse,
			w.api(t, "PUT", "/api/v1/statuses/"+e.byForm.String(), e.token, url.Values{"status": {edit}}, nil)) {
			w.stored(t, "API edit", e.byForm, tweets.NormalizeTweetText(edit))
		}
	}

	// An image described by API, described again, then posted.
	code, media := w.upload(t, e.token, x)
	if w.decide(t, "API media description", altOK, refuse, code) {
		e.mediaID, _ = media["id"].(string)
		w.decide(t, "API media update", true, false, w.apiStatus(t, "PUT", "/api/v1/media/"+e.mediaID, e.token, url.Values{"description": {x + " 2"}}))
		w.apiPlace(t, "/api/v1/media/"+e.mediaID, e.token, strings.TrimSpace(tweets.NormalizeTweetText(x+" 2")))
		if w.decide(t, "API status with media", true, false, w.api(t, "POST", "/api/v1/statuses", e.token,
			url.Values{"status": {"media #" + e.tag}, "media_ids[]": {e.mediaID}}, &posted)) {
			e.withMedia, _ = tweets.ParseID(posted.ID)
		}
	}

	// A report with a note.
	reports, _ := w.svc.Store.CountOpenReports(ctx)
	noteOK := !refuse && utf8.RuneCountInString(strings.TrimSpace(x)) <= 1000
	report := "/tweets/" + e.withAlt.String() + "/report"
	w.reader.Get(report)
	e.reported = w.decideForm(t, "report form", noteOK, refuse, w.reader.Post(report, url.Values{"reason": {"Spam"}, "note": {x}}))
	if m, _ := w.svc.Store.CountOpenReports(ctx); m != reports+btoi(e.reported) {
		t.Errorf("report form: %d open reports, want %d", m, reports+btoi(e.reported))
	}

	// Searches; a query the size of a megabyte is not a URL (the server
	// refuses the request line before any handler).
	if len(x) > 100<<10 {
		return
	}
	q := url.QueryEscape(x)
	trimmed := strings.TrimSpace(x)
	searchOK := !refuse && !tweets.IsBlank(trimmed) && utf8.RuneCountInString(trimmed) <= tweets.MaxSearchLength
	w.decidePage(t, "search page", searchOK, anon.Get("/search?q="+q))
	w.decidePage(t, "account search page", searchOK, anon.Get("/search?type=accounts&q="+q))
	w.decide(t, "API search", searchOK, refuse, w.api(t, "GET", "/api/v2/search?q="+q, w.readerToken, nil, nil))
	w.decidePage(t, "admin user search", !refuse, w.admin.Get("/admin/users?q="+q))
	w.decidePage(t, "admin tweet search", !refuse, w.admin.Get("/admin/tweets?q="+q))
}

// walk fetches every place where the entry's stored values appear.
func (w *world) walk(t *testing.T, e *entry) {
	anon := webtest.New(t, w.base)
	u := e.user
	texts := func(ids ...tweets.ID) []string {
		var out []string
		for _, id := range ids {
			if id != 0 {
				tw, err := w.svc.Tweet(context.Background(), id)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, tw.Text)
			}
		}
		return out
	}
	profileTexts := append(texts(e.byForm, e.byAPI), u.DisplayName, u.Bio)
	w.page(t, anon, "/@"+e.name, profileTexts...)
	w.page(t, e.browser, "/@"+e.name, profileTexts...)
	w.feed(t, "/@"+e.name+".atom", append(texts(e.byForm, e.byAPI), u.DisplayName)...)
	w.page(t, e.browser, "/settings/profile", u.DisplayName, u.Bio)
	w.page(t, e.browser, "/settings", u.DisplayName)
	w.page(t, w.admin, "/admin/users?q="+e.name, u.DisplayName)
	w.page(t, w.admin, "/admin/tweets?q="+e.tag, texts(e.byAPI)...)
	w.page(t, anon, "/tags/"+e.tag, texts(e.byAPI)...)
	w.feed(t, "/tags/"+e.tag+".atom", texts(e.byAPI)...)
	w.page(t, anon, "/search?q=%23"+e.tag, texts(e.byAPI)...)
	w.apiPlace(t, "/api/v1/accounts/"+e.userID, "", u.DisplayName)
	w.apiPlace(t, "/api/v1/accounts/verify_credentials", e.token, u.DisplayName, u.Bio)
	w.apiPlace(t, "/api/v1/accounts/"+e.userID+"/statuses", "", texts(e.byForm, e.byAPI)...)
	w.apiPlace(t, "/api/v1/timelines/tag/"+e.tag, "", texts(e.byAPI)...)
	w.apiPlace(t, "/api/v2/search?q=%23"+e.tag, e.token, texts(e.byAPI)...)
	if e.byForm != 0 {
		id := e.byForm.String()
		w.page(t, anon, "/@"+e.name+"/"+id, texts(e.byForm, e.byAPI)...)
		w.page(t, anon, "/@"+e.name+"/"+id+"/history", e.in.Text)
		w.page(t, e.browser, "/tweets/"+id+"/edit", texts(e.byForm)...)
		w.page(t, w.reader, "/tweets/"+id+"/quote", texts(e.byForm)...)
		w.page(t, w.reader, "/tweets/"+id+"/report", texts(e.byForm)...)
		w.apiPlace(t, "/api/v1/statuses/"+id, "", texts(e.byForm)...)
		w.apiPlace(t, "/api/v1/statuses/"+id+"/context", "", texts(e.byAPI)...)
		w.apiPlace(t, "/api/v1/statuses/"+id+"/history", "", tweets.NormalizeTweetText(e.in.Text))
		w.apiPlace(t, "/api/v1/statuses/"+id+"/source", e.token, texts(e.byForm)...)
	}
	if e.byAPI != 0 {
		id := e.byAPI.String()
		w.page(t, anon, "/@"+e.name+"/"+id, texts(e.byForm, e.byAPI)...)
		w.page(t, anon, "/@"+e.name+"/"+id+"/history", tweets.NormalizeTweetText("@reader #"+e.tag+" "+e.in.Text))
		w.apiPlace(t, "/api/v1/statuses/"+id, "", texts(e.byAPI)...)
		w.apiPlace(t, "/api/v1/statuses/"+id+"/context", "", texts(e.byForm)...)
	}
	for _, id := range []tweets.ID{e.withAlt, e.withMedia} {
		if id == 0 {
			continue
		}
		var alts []string
		for _, m := range w.media(t, id) {
			alts = append(alts, m.Alt)
		}
		w.page(t, anon, "/@"+e.name+"/"+id.String(), alts...)
		w.apiPlace(t, "/api/v1/statuses/"+id.String(), "", alts...)
	}
}

// walkShared walks the pages that show every entry at once, page by
// page: timelines, notifications, the admin's reports, and the API's
// timelines and notifications.
func (w *world) walkShared(t *testing.T, entries []*entry) {
	anon := webtest.New(t, w.base)
	w.pages(t, w.reader, "/")
	w.pages(t, anon, "/public")
	w.pages(t, w.reader, "/notifications")
	w.pages(t, w.admin, "/admin/reports")
	w.pages(t, w.admin, "/admin/users")
	w.pages(t, w.admin, "/admin/tweets")
	for _, path := range []string{"/api/v1/timelines/public?limit=40", "/api/v1/timelines/home?limit=40", "/api/v1/notifications?limit=40"} {
		for path != "" && !t.Failed() {
			path = w.apiPlace(t, path, w.readerToken)
		}
	}
}

// moderate resolves each report with its note, deletes each tweet by
// form and clears each profile, so that the admin pages that list what
// was done show the strings; then walks them.
func (w *world) moderate(t *testing.T, entries []*entry) {
	for _, e := range entries {
		if e.in.Long {
			continue
		}
		if e.reported {
			page := w.admin.Get("/admin/reports")
			m := regexp.MustCompile(`action="(/admin/reports/\d+/resolve)"`).FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatalf("no open report to resolve for %s", e.in.Name)
			}
			ok := !e.in.Unstorable() && strings.TrimSpace(e.in.Text) != "" && utf8.RuneCountInString(strings.TrimSpace(e.in.Text)) <= 500
			if !w.decideForm(t, e.in.Name+": resolution", ok, e.in.Unstorable(), w.admin.Post(m[1], url.Values{"resolution": {e.in.Text}})) {
				w.admin.Post(m[1], url.Values{"resolution": {"done"}})
			}
		}
		if e.byForm != 0 {
			w.admin.Get("/admin/tweets")
			w.decideForm(t, e.in.Name+": delete", true, false, w.admin.Post("/admin/tweets/"+e.byForm.String()+"/delete", nil))
		}
		if e.user.DisplayName != "" || e.user.Bio != "" {
			w.decideForm(t, e.in.Name+": clear profile", true, false, w.admin.Post("/admin/users/"+e.user.ID.String()+"/clear-profile", nil))
		}
	}
	w.pages(t, w.admin, "/admin/audit")
	w.pages(t, w.admin, "/admin/reports?status=resolved")
}

// page fetches path and checks it as a page that shows each of want.
func (w *world) page(t *testing.T, b *webtest.Browser, path string, want ...string) webtest.Response {
	t.Helper()
	r := b.Get(path)
	if r.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d", path, r.StatusCode)
	}
	w.checkPage(t, "GET "+path, r, want...)
	return r
}

// pages walks a paginated page through its rel="next" links.
func (w *world) pages(t *testing.T, b *webtest.Browser, path string) {
	t.Helper()
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next"`)
	for i := 0; path != "" && i < 50; i++ {
		r := w.page(t, b, path)
		path = ""
		if m := next.FindStringSubmatch(r.Body); m != nil {
			path = strings.ReplaceAll(m[1], "&amp;", "&")
		}
	}
}

// checkPage checks any HTML answer: its security headers, and a body
// that is UTF-8, harmless, and shows each of want as text.
func (w *world) checkPage(t *testing.T, what string, r webtest.Response, want ...string) {
	t.Helper()
	h := r.Header
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") {
		t.Errorf("%s: Content-Security-Policy %q", what, csp)
	}
	if h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Type"), "text/html; charset=utf-8") {
		t.Errorf("%s: headers %v", what, h)
	}
	if !utf8.ValidString(r.Body) || strings.IndexByte(r.Body, 0) >= 0 {
		t.Errorf("%s: the page has bytes that are not UTF-8, or a NUL", what)
	}
	for _, p := range hostile.PageProblems(r.Body, w.scripts) {
		t.Errorf("%s: %s", what, p)
	}
	seen := hostile.Visible(r.Body)
	for _, s := range want {
		if !hostile.Shows(seen, s) {
			t.Errorf("%s: the page does not show %q as text", what, s)
		}
	}
}

// feed fetches an Atom feed and checks that it is well-formed and
// harmless, and shows each of want in a title or an entry.
func (w *world) feed(t *testing.T, path string, want ...string) {
	t.Helper()
	resp, err := http.Get(w.base + path)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/atom+xml; charset=utf-8" {
		t.Errorf("GET %s: %d %q", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	f, problems := hostile.FeedProblems(body)
	for _, p := range problems {
		t.Errorf("GET %s: %s", path, p)
	}
	seen := f.Title + "\n" + f.Author
	for _, e := range f.Entries {
		seen += "\n" + e.Title + "\n" + e.Author + "\n" + hostile.Visible(e.Content.Body)
	}
	for _, s := range want {
		if !hostile.Shows(seen, s) {
			t.Errorf("GET %s: the feed does not show %q", path, s)
		}
	}
}

// api sends an API request, checks the answer (JSON, harmless; an
// error says what went wrong) and decodes it into out.
func (w *world) api(t *testing.T, method, path, token string, form url.Values, out any) int {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, w.base+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	code, data, _, _ := w.do(t, method+" "+path, req)
	if out != nil && code < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Errorf("%s %s: %v", method, path, err)
		}
	}
	return code
}

func (w *world) apiStatus(t *testing.T, method, path, token string, form url.Values) int {
	t.Helper()
	return w.api(t, method, path, token, form, nil)
}

// apiPlace GETs path from the API, checks it shows each of want, and
// returns the next page of its Link header, if any.
func (w *world) apiPlace(t *testing.T, path, token string, want ...string) (next string) {
	t.Helper()
	req, _ := http.NewRequest("GET", w.base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	code, _, texts, h := w.do(t, "GET "+path, req)
	if code != 200 {
		t.Errorf("GET %s: %d", path, code)
	}
	if m := regexp.MustCompile(`<([^>]+)>; rel="next"`).FindStringSubmatch(h.Get("Link")); m != nil {
		next = strings.TrimPrefix(m[1], w.base)
	}
	seen := strings.Join(texts, "\n")
	for _, s := range want {
		if !hostile.Shows(seen, s) {
			t.Errorf("GET %s: the answer does not show %q", path, s)
		}
	}
	return next
}

// do sends an API request and checks its answer.
func (w *world) do(t *testing.T, what string, req *http.Request) (int, []byte, []string, http.Header) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: %d, Content-Type %q, nosniff %q", what, resp.StatusCode, ct, resp.Header.Get("X-Content-Type-Options"))
	}
	texts, problems := hostile.JSONProblems(data)
	for _, p := range problems {
		t.Errorf("%s: %s", what, p)
	}
	if resp.StatusCode >= 400 {
		var e struct{ Error string }
		if json.Unmarshal(data, &e); e.Error == "" {
			t.Errorf("%s: %d without an error message: %s", what, resp.StatusCode, clip(data))
		}
	}
	return resp.StatusCode, data, texts, resp.Header
}

// decide checks a status against the rules' decision: accepted (2xx),
// or refused with a 4xx. Unstorable text is always refused.
func (w *world) decide(t *testing.T, what string, accept, unstorable bool, code int) bool {
	t.Helper()
	if unstorable && accept {
		t.Fatalf("%s: the rules accept unstorable text", what)
	}
	switch {
	case accept && code >= 300:
		t.Errorf("%s: %d, want it accepted", what, code)
	case !accept && (code < 400 || code >= 500):
		t.Errorf("%s: %d, want a 4xx refusal", what, code)
	}
	return code < 300
}

// decideForm checks a form's answer: a redirect when accepted, or a
// 4xx page that says why, itself harmless.
func (w *world) decideForm(t *testing.T, what string, accept, unstorable bool, r webtest.Response) bool {
	t.Helper()
	code := r.StatusCode
	if code < 300 || code >= 400 {
		w.checkPage(t, what, r)
		if code >= 400 && !strings.Contains(r.Body, `class="error`) && !strings.Contains(r.Body, `role="alert"`) {
			t.Errorf("%s: a %d page without an error message", what, code)
		}
		if code < 300 {
			code = 299 // not the redirect of a form that succeeded
		}
	} else {
		code = 200
	}
	return w.decide(t, what, accept, unstorable, code)
}

// decidePage checks a page that answers a query: 200, or a 4xx that
// says why; either way harmless, and echoing the query as text.
func (w *world) decidePage(t *testing.T, what string, accept bool, r webtest.Response) {
	t.Helper()
	w.checkPage(t, what, r)
	w.decide(t, what, accept, false, r.StatusCode)
}

func (w *world) refused(t *testing.T, what string, r webtest.Response) {
	t.Helper()
	w.decideForm(t, what, false, false, r)
}

// compose posts the compose form, with fields and, when image is set,
// an image.
func (w *world) compose(t *testing.T, b *webtest.Browser, fields map[string]string, image bool) webtest.Response {
	t.Helper()
	if b.CSRF == "" {
		b.Get("/")
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.CSRF)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if image {
		fw, _ := mw.CreateFormFile("image", "x.png")
		fw.Write(w.image)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", w.base+"/tweets", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(req)
}

// upload sends an image with a description to the API.
func (w *world) upload(t *testing.T, token, description string) (int, map[string]any) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "x.png")
	fw.Write(w.image)
	mw.WriteField("description", description)
	mw.Close()
	req, _ := http.NewRequest("POST", w.base+"/api/v2/media", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	code, data, _, _ := w.do(t, "POST /api/v2/media", req)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return code, out
}

func (w *world) user(t *testing.T, name string) tweets.User {
	t.Helper()
	u, err := w.svc.Store.UserByUsername(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func profileOf(u tweets.User) tweets.Profile {
	return tweets.Profile{DisplayName: u.DisplayName, Bio: u.Bio}
}

func normalized(p tweets.Profile) (string, string) {
	p, _ = tweets.NormalizeProfile(p)
	return p.DisplayName, p.Bio
}

// count is how many tweets name has.
func (w *world) count(t *testing.T, name string) int {
	t.Helper()
	u := w.user(t, name)
	ts, err := w.svc.Timeline(context.Background(), tweets.TimelineQuery{AuthorID: u.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return len(ts)
}

// newest returns the id of name's newest tweet, checking its text.
func (w *world) newest(t *testing.T, name, text string) tweets.ID {
	t.Helper()
	u := w.user(t, name)
	ts, err := w.svc.Timeline(context.Background(), tweets.TimelineQuery{AuthorID: u.ID, Limit: 1})
	if err != nil || len(ts) == 0 {
		t.Fatalf("no tweet of %s: %v", name, err)
	}
	if ts[0].Text != text {
		t.Errorf("tweet stored as %q, want %q", ts[0].Text, text)
	}
	return ts[0].ID
}

// stored checks a tweet's text as stored.
func (w *world) stored(t *testing.T, what string, id tweets.ID, text string) {
	t.Helper()
	tw, err := w.svc.Tweet(context.Background(), id)
	if err != nil || tw.Text != text {
		t.Errorf("%s: stored %q (%v), want %q", what, tw.Text, err, text)
	}
}

func (w *world) media(t *testing.T, id tweets.ID) []tweets.Media {
	t.Helper()
	tw, err := w.svc.Tweet(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return tw.Media
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func clip(b []byte) string {
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}
