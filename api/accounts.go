package api

import (
	"net/http"
)

// verifyCredentials is the token user's own account, with its source.
func (s *Server) verifyCredentials(w http.ResponseWriter, r *http.Request, g grant) error {
	pv, err := s.svc.ProfileByID(r.Context(), g.User, g.User.ID)
	if err != nil {
		return err
	}
	a := s.renderer(r).account(pv.User, &pv.Counts)
	a.Source = &Source{Privacy: "public", Language: "", Note: pv.User.Bio, Fields: []any{}}
	writeJSON(w, http.StatusOK, a)
	return nil
}

// account is GET /api/v1/accounts/:id.
func (s *Server) account(w http.ResponseWriter, r *http.Request, g grant) error {
	id, err := parseID(r, "id")
	if err != nil {
		return err
	}
	pv, err := s.svc.ProfileByID(r.Context(), g.viewer(), id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.renderer(r).account(pv.User, &pv.Counts))
	return nil
}
