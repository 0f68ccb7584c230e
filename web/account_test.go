package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tweetsdev/tweets/internal/testimage"
	"github.com/tweetsdev/tweets/internal/webtest"
)

// loggedIn reports whether the browser's pages say it is logged in.
func loggedIn(b *webtest.Browser) bool { return strings.Contains(b.Get("/").Body, "Log out") }

// logInAs logs in with a User-Agent of its own, as a second browser
// would.
func logInAs(t *testing.T, b *webtest.Browser, name, pw, agent string) {
	t.Helper()
	b.Get("/login")
	r := b.Post("/login", url.Values{"username": {name}, "password": {pw}}, "User-Agent", agent)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("log-in of %s: %d\n%s", name, r.StatusCode, r.Body)
	}
	b.Get("/")
}

func TestChangePasswordPage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		here := s.browser()
		here.SignUp("alice", "password1")
		there := s.browser()
		logInAs(t, there, "alice", "password1", "Other browser")
		bob := s.browser()
		bob.SignUp("bob", "password1")

		expect(t, here.Get("/settings/password"), 200, `<label for="current_password">`, `<label for="new_password">`,
			`<label for="confirm_password">`, `autocomplete="current-password"`)
		change := func(current, next, confirm string) webtest.Response {
			return here.Post("/settings/password", url.Values{"current_password": {current}, "new_password": {next}, "confirm_password": {confirm}})
		}
		r := change("wrong-password", "new-password", "new-password")
		expect(t, r, 422, "That is not your password.", `aria-invalid="true"`)
		if strings.Contains(r.Body, "wrong-password") || strings.Contains(r.Body, `value="new-password"`) {
			t.Error("a refused form shows a password back")
		}
		expect(t, change("password1", "new-password", "other-password"), 422, "differ")
		expect(t, change("password1", "short", "short"), 422, "at least 8")
		if !loggedIn(here) || !loggedIn(there) {
			t.Fatal("a refused change logged a browser out")
		}

		r = change("password1", "new-password", "new-password")
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/settings" {
			t.Fatalf("change: %d to %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		expect(t, here.Get("/settings"), 200, "Your password is changed", "Log out")
		if loggedIn(there) {
			t.Error("the other browser is still logged in")
		}
		if !loggedIn(bob) {
			t.Error("bob was logged out")
		}
		fresh := s.browser()
		fresh.Get("/login")
		expect(t, fresh.Post("/login", url.Values{"username": {"alice"}, "password": {"password1"}}), 401)
		expect(t, fresh.Post("/login", url.Values{"username": {"alice"}, "password": {"new-password"}}), 303)

		if r := s.browser().Post("/settings/password", url.Values{"current_password": {"x"}}); r.StatusCode != 401 {
			t.Errorf("anonymous change: %d", r.StatusCode)
		}
	})
}

// TestWrongPasswordsAreThrottled: the password forms of the settings
// count wrong passwords as failed log-ins of the account from the
// address, so a stolen session guesses no faster than the log-in form.
func TestWrongPasswordsAreThrottled(t *testing.T) {
	s := newSite(t, sqliteBackend())
	b := s.browser()
	b.SignUp("alice", "password1")
	b.Get("/settings/password")
	for i := 0; i < 10; i++ {
		expect(t, b.Post("/settings/delete", url.Values{"password": {"guess-" + string(rune('a'+i))}}), 422)
	}
	r := b.Post("/settings/password", url.Values{"current_password": {"password1"}, "new_password": {"new-password"}, "confirm_password": {"new-password"}})
	expect(t, r, 429, "Too many wrong passwords", `<label for="current_password">`)
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	other := s.browser()
	other.Get("/login")
	expect(t, other.Post("/login", url.Values{"username": {"alice"}, "password": {"password1"}}), 429, "Too many failed log-ins")
}

var endForm = regexp.MustCompile(`action="(/settings/sessions/[0-9a-f]{64}/end)"`)

func TestSessionsPage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		here := s.browser()
		logIn := func(b *webtest.Browser, agent string) {
			t.Helper()
			logInAs(t, b, "alice", "password1", agent)
		}
		s.browser().SignUp("alice", "password1")
		logIn(here, "Mozilla/5.0 <Here> 🦊")
		there := s.browser()
		logIn(there, "Navigateur «là-bas»")
		mallory := s.browser()
		mallory.SignUp("mallory", "password1")

		page := here.Get("/settings/sessions")
		expect(t, page, 200, "<h1", "Mozilla/5.0 &lt;Here&gt; 🦊", "Navigateur «là-bas»", "this browser", "<time datetime=")
		if n := strings.Count(page.Body, "this browser"); n != 1 {
			t.Errorf("%d sessions marked as this browser, want 1", n)
		}
		if strings.Contains(page.Body, "mallory") {
			t.Error("alice sees mallory's session")
		}
		forms := endForm.FindAllStringSubmatch(page.Body, -1)
		// Alice's sign-up session and the other browser's; not this one.
		if len(forms) != 2 {
			t.Fatalf("%d forms to end a session, want 2:\n%s", len(forms), page.Body)
		}
		var thereEnd string
		for _, row := range strings.Split(page.Body, "<tr>") {
			if m := endForm.FindStringSubmatch(row); m != nil && strings.Contains(row, "là-bas") {
				thereEnd = m[1]
			}
		}
		if thereEnd == "" {
			t.Fatal("no form to end the other browser's session")
		}

		// Mallory cannot end it; an unknown session is not found.
		mallory.Get("/settings/sessions")
		expect(t, mallory.Post(thereEnd, nil), 403, "only your own sessions")
		if !loggedIn(there) {
			t.Fatal("mallory logged alice's other browser out")
		}
		expect(t, here.Post("/settings/sessions/"+strings.Repeat("0", 64)+"/end", nil), 404)

		here.Get("/settings/sessions")
		r := here.Post(thereEnd, nil)
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/settings/sessions" {
			t.Fatalf("end: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, here.Get("/settings/sessions"), 200, "The session is logged out.")
		if loggedIn(there) {
			t.Error("the ended session still works")
		}
		if !loggedIn(here) {
			t.Error("ending the other session logged this browser out")
		}
		if r := s.browser().Get("/settings/sessions"); r.StatusCode != 303 {
			t.Errorf("anonymous sessions page: %d", r.StatusCode)
		}
	})
}

func TestDeleteAccountPage(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		alice := s.browser()
		alice.SignUp("alice", "password1")
		alice.PostTweet("soon gone", "cat.png", testimage.PNG(8, 8))
		img := regexp.MustCompile(`<img src="(/media/[a-z0-9]+\.png)"`).FindStringSubmatch(alice.Get("/").Body)
		if img == nil {
			t.Fatal("no image")
		}
		var session *http.Cookie
		for _, c := range alice.Client.Jar.Cookies(mustURL(t, s.srv.URL)) {
			if c.Name == "tweets_session" {
				session = c
			}
		}
		bob := s.browser()
		bob.SignUp("bob", "password1")
		bob.PostTweet("bob stays", "", nil)

		expect(t, alice.Get("/settings/delete"), 200, "<h1", `<label for="password">`, "30 days", "Delete my account")
		expect(t, alice.Post("/settings/delete", url.Values{"password": {"not-it"}}), 422, "That is not your password.", `aria-invalid="true"`)
		if _, err := s.svc.UserByUsername(ctx, "alice"); err != nil {
			t.Fatalf("a refused deletion deleted the account: %v", err)
		}

		r := alice.Post("/settings/delete", url.Values{"password": {"password1"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Fatalf("delete: %d to %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		home := alice.Get("/")
		expect(t, home, 200, "Your account @alice is deleted", "Log in", "bob stays")
		if strings.Contains(home.Body, "Log out") || strings.Contains(home.Body, "soon gone") {
			t.Error("after deleting, the browser is logged in or the tweet shows")
		}
		expect(t, s.browser().Get("/@alice"), 404)
		expect(t, s.browser().Get(img[1]), 404)
		replay := s.browser()
		replay.Client.Jar.SetCookies(mustURL(t, s.srv.URL), []*http.Cookie{session})
		if loggedIn(replay) {
			t.Error("the deleted account's session still works")
		}

		again := s.browser()
		again.Get("/signup")
		free := time.Now().UTC().Add(30 * 24 * time.Hour).Format("January 2, 2006")
		expect(t, again.Post("/signup", url.Values{"username": {"Alice"}, "password": {"password2"}}), 422,
			"This username was in use recently; it is free again on "+free)
		expect(t, bob.Get("/@bob"), 200, "bob stays")
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
