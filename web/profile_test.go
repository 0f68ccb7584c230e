package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestEditProfile(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		b := s.browser()
		b.SignUp("alice", "password1")
		profile := b.Get("/@alice")
		expect(t, profile, 200, `<h1 id="timeline-heading" dir="auto">@alice</h1>`, "Joined <time")
		if strings.Contains(profile.Body, `class="bio"`) || strings.Contains(profile.Body, `class="handle"`) {
			t.Error("a profile without a bio or display name shows them")
		}
		expect(t, b.Get("/settings"), 200, `href="/settings/profile"`, `href="/settings/password"`, `href="/settings/sessions"`, `href="/settings/delete"`)
		expect(t, b.Get("/settings/profile"), 200, "<h1", `name="display_name"`, `name="bio"`, `<label for="display_name">`, `<label for="bio">`)

		r := b.Post("/settings/profile", url.Values{"display_name": {"  Zoë <b>🐇</b> "}, "bio": {"line one\r\n<script>alert(1)</script> & more"}})
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/@alice" {
			t.Fatalf("save: %d to %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
		}
		profile = b.Get("/@alice")
		expect(t, profile, 200, "Your profile is saved.",
			`<title>Zoë &lt;b&gt;🐇&lt;/b&gt; (@alice) · tweets</title>`,
			`<h1 id="timeline-heading" dir="auto">Zoë &lt;b&gt;🐇&lt;/b&gt;</h1>`,
			`<p class="handle">@alice</p>`,
			"<p class=\"bio\" dir=\"auto\">line one\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</p>",
			`<link rel="alternate" type="application/atom+xml" href="/@alice.atom"`)
		if strings.Contains(profile.Body, "<script>") {
			t.Error("the bio is not escaped")
		}
		// Visitors see it too; the form shows what is saved.
		expect(t, s.browser().Get("/@alice"), 200, "Zoë &lt;b&gt;🐇&lt;/b&gt;", "line one\n&lt;script&gt;")
		expect(t, b.Get("/settings/profile"), 200, `value="Zoë &lt;b&gt;🐇&lt;/b&gt;"`, ">line one\n&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</textarea>")
		expect(t, b.Get("/settings"), 200, "<dt>Display name</dt>")

		// Refusals keep the text, and change nothing.
		long := strings.Repeat("é", 51)
		r = b.Post("/settings/profile", url.Values{"display_name": {long}, "bio": {"kept bio"}})
		expect(t, r, 422, "has 51 characters; the limit is 50", `value="`+long+`"`, ">kept bio</textarea>", `aria-invalid="true"`, `role="alert"`)
		longBio := strings.Repeat("b", 301)
		expect(t, b.Post("/settings/profile", url.Values{"display_name": {"Zoë"}, "bio": {longBio}}), 422, "has 301 characters; the limit is 300", `value="Zoë"`, longBio)
		expect(t, b.Post("/settings/profile", url.Values{"display_name": {"two\nlines"}}), 422, "one line")
		expect(t, b.Post("/settings/profile", url.Values{"display_name": {"nul\x00byte"}}), 422, "cannot be stored")
		expect(t, b.Post("/settings/profile", url.Values{"display_name": {"forged"}, "csrf": {"wrong"}}), 403)
		u, _ := s.svc.UserByUsername(context.Background(), "alice")
		if u.DisplayName != "Zoë <b>🐇</b>" || u.Bio != "line one\n<script>alert(1)</script> & more" {
			t.Errorf("refused saves changed the profile: %q / %q", u.DisplayName, u.Bio)
		}

		// Emptying the display name brings back @alice.
		expect(t, b.Post("/settings/profile", url.Values{"display_name": {""}, "bio": {""}}), 303)
		expect(t, b.Get("/@alice"), 200, `<h1 id="timeline-heading" dir="auto">@alice</h1>`)

		anon := s.browser()
		if r := anon.Get("/settings/profile"); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("anonymous GET /settings/profile: %d to %q", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, anon.Post("/settings/profile", url.Values{"display_name": {"x"}}), 401)
	})
}
