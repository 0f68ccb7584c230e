package web_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
)

// TestAdminSearchesDisplayNames: the admin's user search matches display
// names as well as usernames, ignoring case in every script, and the
// list shows them.
func TestAdminSearchesDisplayNames(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		root := s.browser()
		root.SignUp("root", "password1")
		u, _ := s.svc.Store.UserByUsername(ctx, "root")
		s.svc.Store.SetAdmin(ctx, u.ID, true)
		bob := s.browser()
		bob.SignUp("bob", "password1")
		expect(t, bob.Post("/settings/profile", url.Values{"display_name": {"Bärbel Ünal"}}), 303)

		for _, q := range []string{"bärbel", "ÜNAL", "BOB"} {
			r := root.Get("/admin/users?q=" + url.QueryEscape(q))
			expect(t, r, 200, `<a href="/@bob">@bob</a>`, `<td dir="auto">Bärbel Ünal</td>`)
			if strings.Contains(r.Body, `<td><a href="/@root">`) {
				t.Errorf("search %q matched root", q)
			}
		}
		expect(t, root.Get("/admin/users?q="+url.QueryEscape("barbel")), 200, "No users found.")
		expect(t, root.Get("/admin/users"), 200, "Search usernames and display names", "<th scope=\"col\">Display name</th>")

		// An admin clears an offensive profile; the audit log keeps what
		// it said; nobody else may.
		b, _ := s.svc.Store.UserByUsername(ctx, "bob")
		expect(t, bob.Post("/admin/users/"+b.ID.String()+"/clear-profile", url.Values{}), 403)
		root.Get("/admin/users")
		expect(t, root.Post("/admin/users/"+b.ID.String()+"/clear-profile", url.Values{}), 303)
		if b, _ = s.svc.Store.UserByUsername(ctx, "bob"); b.DisplayName != "" {
			t.Errorf("the display name stayed: %q", b.DisplayName)
		}
		expect(t, root.Get("/admin/audit"), 200, "user.profile.clear", "Bärbel Ünal")
	})
}
