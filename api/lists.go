package api

import (
	"context"
	"net/http"

	"github.com/tweetsdev/tweets"
)

// engagers is GET /api/v1/statuses/:id/favourited_by and reblogged_by.
func (s *Server) engagers(reposts bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		id, err := parseID(r, "id")
		if err != nil {
			return err
		}
		limit, err := limitParam(r)
		if err != nil {
			return err
		}
		us, err := s.svc.Engagers(r.Context(), g.viewer(), id, reposts, limit)
		if err != nil {
			return err
		}
		return s.writeAccounts(w, r, us)
	}
}

// accountList serves the token user's blocks or mutes.
func (s *Server) accountList(list func(*tweets.Service, context.Context, tweets.User) ([]tweets.User, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request, g grant) error {
		us, err := list(s.svc, r.Context(), *g.User)
		if err != nil {
			return err
		}
		return s.writeAccounts(w, r, us)
	}
}

// searchAccounts is GET /api/v1/accounts/search?q=.
func (s *Server) searchAccounts(w http.ResponseWriter, r *http.Request, g grant) error {
	limit, err := limitParam(r)
	if err != nil {
		return err
	}
	res, err := s.svc.Search(r.Context(), tweets.SearchQuery{Text: r.URL.Query().Get("q"), Viewer: g.User.ID, Accounts: true, Limit: limit})
	if err != nil {
		return err
	}
	return s.writeAccounts(w, r, res.Accounts)
}

func (s *Server) writeAccounts(w http.ResponseWriter, r *http.Request, us []tweets.User) error {
	rd := s.renderer(r)
	out := make([]Account, 0, len(us))
	for _, u := range us {
		out = append(out, rd.account(u, nil))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
