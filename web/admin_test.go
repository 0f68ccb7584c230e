package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tweetsdev/tweets"
)

func TestAdminArea(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		root := s.browser()
		root.SignUp("root", "password1")
		u, _ := s.svc.Store.UserByUsername(ctx, "root")
		s.svc.Store.SetAdmin(ctx, u.ID, true)

		bob := s.browser()
		bob.SignUp("bob", "password1")
		bob.PostTweet("buy cheap watches", "", nil)
		bob.PostTweet("a normal day", "", nil)

		// Only admins get in.
		expect(t, bob.Get("/admin"), 403, "admins only")
		if r := s.browser().Get("/admin/users"); r.StatusCode != 303 || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("anonymous /admin/users: %d %s", r.StatusCode, r.Header.Get("Location"))
		}
		expect(t, bob.Post("/admin/users/"+u.ID.String()+"/suspend", nil), 403)

		expect(t, root.Get("/admin"), 200, "Dashboard", "<dd>2</dd>", "Sign-ups")
		expect(t, root.Get("/admin/users?q=BO"), 200, "@bob")
		if strings.Contains(root.Get("/admin/users?q=bo").Body, `<td><a href="/@root">`) {
			t.Error("user search matched root for 'bo'")
		}
		expect(t, root.Get("/admin/tweets?q=WATCHES"), 200, "buy cheap watches")
		if strings.Contains(root.Get("/admin/tweets?q=watches").Body, "a normal day") {
			t.Error("tweet search matched the wrong tweet")
		}

		// A user reports a tweet; the admin sees and resolves it.
		ts, _ := s.svc.Timeline(ctx, tweets.TimelineQuery{Search: "watches"})
		carol := s.browser()
		carol.SignUp("carol", "password1")
		expect(t, carol.Get("/tweets/"+ts[0].ID.String()+"/report"), 200, "Why are you reporting it?")
		expect(t, carol.Post("/tweets/"+ts[0].ID.String()+"/report", url.Values{"reason": {"Bogus"}}), 422, "Choose a reason")
		r := carol.Post("/tweets/"+ts[0].ID.String()+"/report", url.Values{"reason": {"Spam"}, "note": {"selling watches"}})
		expect(t, r, 303)
		reports := root.Get("/admin/reports")
		expect(t, reports, 200, "@carol", "Spam: selling watches", "buy cheap watches")
		m := regexp.MustCompile(`action="(/admin/reports/\d+/resolve)"`).FindStringSubmatch(reports.Body)
		if m == nil {
			t.Fatal("no resolve form")
		}
		expect(t, root.Post(m[1], url.Values{"resolution": {""}}), 422, "Say how")
		expect(t, root.Post(m[1], url.Values{"resolution": {"spam removed"}}), 303)
		expect(t, root.Get("/admin/reports?status=resolved"), 200, "spam removed")
		expect(t, root.Post(m[1], url.Values{"resolution": {"again"}}), 409)

		// Delete any tweet.
		expect(t, root.Post("/admin/tweets/"+ts[0].ID.String()+"/delete", url.Values{"back": {"/admin/reports"}}), 303)
		if _, err := s.svc.Tweet(ctx, ts[0].ID); err == nil {
			t.Error("the admin's delete did not delete")
		}

		// Suspension: bob cannot log in or post, and is not seen.
		bobUser, _ := s.svc.Store.UserByUsername(ctx, "bob")
		expect(t, root.Post("/admin/users/"+bobUser.ID.String()+"/suspend", nil), 303)
		if strings.Contains(bob.Get("/").Body, "Log out") {
			t.Error("a suspended user is still logged in")
		}
		bob.Get("/login")
		expect(t, bob.Post("/login", url.Values{"username": {"bob"}, "password": {"password1"}}), 403, "suspended")
		anon := s.browser()
		if strings.Contains(anon.Get("/").Body, "a normal day") {
			t.Error("a suspended user's tweet is on the timeline")
		}
		expect(t, anon.Get("/@bob"), 404)
		expect(t, root.Get("/admin/tweets"), 200, "a normal day", "suspended")
		expect(t, root.Post("/admin/users/"+u.ID.String()+"/suspend", nil), 422, "your own account")
		expect(t, root.Post("/admin/users/"+bobUser.ID.String()+"/unsuspend", nil), 303)
		expect(t, anon.Get("/@bob"), 200, "a normal day")

		// Every action is in the audit log.
		expect(t, root.Get("/admin/audit"), 200, "report.resolve", "tweet.delete", "user.suspend", "user.unsuspend", "@root")
	})
}
