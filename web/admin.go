package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/tweetsdev/tweets"
)

// adminRoutes is the admin area's route table. Every handler goes
// through admin(), which refuses anyone but an admin; the service checks
// again, so a route added here without it still cannot act.
func (s *Server) adminRoutes(mux router) {
	mux.Handle("GET /admin", s.admin(s.adminDashboard))
	mux.Handle("GET /admin/users", s.admin(s.adminUsers))
	mux.Handle("POST /admin/users/{id}/suspend", s.admin(s.adminSuspend(true)))
	mux.Handle("POST /admin/users/{id}/unsuspend", s.admin(s.adminSuspend(false)))
	mux.Handle("POST /admin/users/{id}/clear-profile", s.admin(s.adminClearProfile))
	mux.Handle("GET /admin/tweets", s.admin(s.adminTweets))
	mux.Handle("POST /admin/tweets/{id}/delete", s.admin(s.adminDeleteTweet))
	mux.Handle("GET /admin/reports", s.admin(s.adminReports))
	mux.Handle("POST /admin/reports/{id}/resolve", s.admin(s.adminResolve))
	mux.Handle("GET /admin/audit", s.admin(s.adminAudit))
}

type adminHandler func(w http.ResponseWriter, r *http.Request, admin tweets.User) error

func (s *Server) admin(h adminHandler) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		u, err := requireUser(r)
		if err != nil {
			return err
		}
		if !u.IsAdmin {
			return tweets.Errorf(tweets.CodeForbidden, "This area is for admins only.")
		}
		if r.Method == http.MethodPost {
			if err := s.parseForm(w, r); err != nil {
				return err
			}
		}
		return h(w, r, *u)
	})
}

type adminPage struct {
	page
	Section  string // for the admin navigation
	Query    string
	Stats    tweets.Stats
	MaxDay   int
	Users    []tweets.User
	Tweets   []tweets.Tweet
	Reports  []tweets.Report
	Audit    []tweets.AuditEntry
	Older    string
	Resolved bool
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, section, title string) adminPage {
	return adminPage{page: s.newPage(w, r, title), Section: section, Query: r.URL.Query().Get("q")}
}

func (s *Server) adminDashboard(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
	st, err := s.svc.AdminStats(r.Context(), admin, 14)
	if err != nil {
		return err
	}
	p := s.adminPage(w, r, "dashboard", "Admin")
	p.Stats = st
	for _, d := range append(append([]tweets.DayCount{}, st.SignupsPerDay...), st.TweetsPerDay...) {
		p.MaxDay = max(p.MaxDay, d.Count)
	}
	s.render(w, r, http.StatusOK, "admin.html", p)
	return nil
}

// olderLink builds the URL of the page after one that ended at last,
// keeping page's other query parameters; it is empty when the page held
// fewer than pageSize rows (the last page).
func olderLink(page *url.URL, n, pageSize int, last tweets.ID) string {
	if n < pageSize {
		return ""
	}
	q := page.Query()
	q.Set("before", last.String())
	return page.Path + "?" + q.Encode()
}

const adminPageSize = tweets.AdminPageSize

func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
	cursor, err := before(r)
	if err != nil {
		return err
	}
	p := s.adminPage(w, r, "users", "Users · Admin")
	p.Users, err = s.svc.AdminUsers(r.Context(), admin, tweets.UserQuery{Search: p.Query, Before: cursor, Limit: adminPageSize})
	if err != nil {
		return err
	}
	if n := len(p.Users); n > 0 {
		p.Older = olderLink(r.URL, n, adminPageSize, p.Users[n-1].ID)
	}
	s.render(w, r, http.StatusOK, "admin.html", p)
	return nil
}

func (s *Server) adminSuspend(suspend bool) adminHandler {
	return func(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
		id, err := pathID(r)
		if err != nil {
			return err
		}
		if err := s.svc.SetSuspended(r.Context(), admin, id, suspend); err != nil {
			return err
		}
		if suspend {
			s.flash(w, r, "The account is suspended and logged out.")
		} else {
			s.flash(w, r, "The suspension is lifted.")
		}
		return redirect(w, r, backTo(r, "/admin/users"))
	}
}

func (s *Server) adminClearProfile(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.svc.AdminClearProfile(r.Context(), admin, id); err != nil {
		return err
	}
	s.flash(w, r, "The display name and bio are cleared.")
	return redirect(w, r, backTo(r, "/admin/users"))
}

func (s *Server) adminTweets(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
	cursor, err := before(r)
	if err != nil {
		return err
	}
	p := s.adminPage(w, r, "tweets", "Tweets · Admin")
	p.Tweets, err = s.svc.AdminTweets(r.Context(), admin, tweets.TimelineQuery{Search: p.Query, Before: cursor, Limit: adminPageSize})
	if err != nil {
		return err
	}
	if n := len(p.Tweets); n > 0 {
		p.Older = olderLink(r.URL, n, adminPageSize, p.Tweets[n-1].ID)
	}
	s.render(w, r, http.StatusOK, "admin.html", p)
	return nil
}

func (s *Server) adminDeleteTweet(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.svc.AdminDeleteTweet(r.Context(), admin, id); err != nil {
		return err
	}
	s.flash(w, r, "Tweet deleted.")
	return redirect(w, r, backTo(r, "/admin/tweets"))
}

func (s *Server) adminReports(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
	cursor, err := before(r)
	if err != nil {
		return err
	}
	p := s.adminPage(w, r, "reports", "Reports · Admin")
	p.Resolved = r.URL.Query().Get("status") == "resolved"
	p.Reports, err = s.svc.Reports(r.Context(), admin, tweets.ReportQuery{Resolved: p.Resolved, Before: cursor, Limit: adminPageSize})
	if err != nil {
		return err
	}
	if n := len(p.Reports); n > 0 {
		p.Older = olderLink(r.URL, n, adminPageSize, p.Reports[n-1].ID)
	}
	s.render(w, r, http.StatusOK, "admin.html", p)
	return nil
}

func (s *Server) adminResolve(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.svc.ResolveReport(r.Context(), admin, id, r.PostForm.Get("resolution")); err != nil {
		return err
	}
	s.flash(w, r, "Report resolved.")
	return redirect(w, r, "/admin/reports")
}

func (s *Server) adminAudit(w http.ResponseWriter, r *http.Request, admin tweets.User) error {
	cursor, err := before(r)
	if err != nil {
		return err
	}
	p := s.adminPage(w, r, "audit", "Audit log · Admin")
	p.Audit, err = s.svc.AuditLog(r.Context(), admin, cursor)
	if err != nil {
		return err
	}
	if n := len(p.Audit); n > 0 {
		p.Older = olderLink(r.URL, n, adminPageSize, p.Audit[n-1].ID)
	}
	s.render(w, r, http.StatusOK, "admin.html", p)
	return nil
}

// backTo returns the form's "back" field when it is a local admin path.
func backTo(r *http.Request, fallback string) string {
	b := localPath(r.PostForm.Get("back"))
	if strings.HasPrefix(b, "/admin") {
		return b
	}
	return fallback
}
